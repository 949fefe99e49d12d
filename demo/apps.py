from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (``manage.py seed_demo``). Last in the dependency chain: it may use every app."""

    name = "demo"
    verbose_name = _("Data demo")
