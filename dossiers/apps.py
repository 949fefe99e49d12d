from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dokumen penilaian (dossier)")

    def ready(self):
        # The workflow's Celery tasks live beside its e-mails, outside ``tasks``: register them.
        # Imported in ready(), not at the top: the module uses models, which the app registry loads first.
        from . import notifications  # noqa: F401
