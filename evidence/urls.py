"""URLs of activities and evidence (``evidence`` namespace, under /bukti/)."""

from django.urls import include, path

app_name = "evidence"

urlpatterns = [
    path("", include("evidence.urls_pages")),
    path("berkas/", include("evidence.urls_files")),
    path("", include("evidence.urls_readiness")),
    path("", include("evidence.urls_reference")),
]
