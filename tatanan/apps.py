from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TatananConfig(AppConfig):
    name = "tatanan"
    verbose_name = _("Tatanan")
