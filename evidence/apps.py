from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Kegiatan dan bukti")

    def ready(self):
        # Connects the evidence panel of the assessment dashboard (indicators' signal), whether or
        # not the URL configuration has been loaded yet in this process.
        # Imported in ready(), not at the top: the module uses models, which the app registry loads first.
        from .readiness import views  # noqa: F401
