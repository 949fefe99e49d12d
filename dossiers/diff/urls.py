"""URL of the comparison of two dossier versions, included into the ``dossiers`` namespace."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("<id:pk>/beda/", views.dossier_diff, name="diff"),
]
