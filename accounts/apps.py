from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self):
        # Connects the log line of refused (locked-out) logins to django-axes' signal.
        # Imported in ready(), not at the top: the module uses models, which the app registry loads first.
        from . import lockout  # noqa: F401
