"""Scoped downloads of evidence files (``evidence`` namespace, under /bukti/berkas/)."""

from django.urls import path

from . import views_files

urlpatterns = [
    path("<int:pk>/unduh/", views_files.file_download, name="file_download"),
    path("<int:pk>/kecil/", views_files.file_thumbnail, name="file_thumbnail"),
    path("<int:pk>/pratinjau/", views_files.file_preview, name="file_preview"),
]
