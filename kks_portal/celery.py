import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kks_portal.settings")

app = Celery("kks_portal")
# All Celery settings live in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Project-level tasks (not in an installed app, so autodiscovery would miss them).
app.conf.imports = ["kks_portal.tasks"]
