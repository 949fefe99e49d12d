from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Kegiatan dan bukti")

    def ready(self):
        # Imported in ready(), not at the top: the modules use models, which the app registry loads first.
        # rollups: the refresh of the readiness rows when a body is deleted (forums' model signal)
        # and their first fill after migrate;
        # readiness.views: the evidence panel of the assessment dashboard (indicators' signal),
        # whether or not the URL configuration has been loaded yet in this process.
        from . import rollups
        from .readiness import views  # noqa: F401

        post_migrate.connect(rollups.rebuild_if_empty, sender=self, dispatch_uid="evidence.rollups.rebuild_if_empty")
