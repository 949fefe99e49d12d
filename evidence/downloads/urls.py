"""Scoped downloads of evidence files (``evidence`` namespace, under /bukti/berkas/)."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("<id:pk>/unduh/", views.file_download, name="file_download"),
    path("<id:pk>/kecil/", views.file_thumbnail, name="file_thumbnail"),
    path("<id:pk>/pratinjau/", views.file_preview, name="file_preview"),
]
