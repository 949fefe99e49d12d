from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forum dan Pokja")

    def ready(self):
        # Connects the answer to "which kelembagaan documents does this data request still wait
        # for" (indicators' signal), whether or not the URL configuration has been loaded yet.
        # Imported in ready(), not at the top: the module uses models, which the app registry loads first.
        from .kelembagaan import selectors  # noqa: F401
