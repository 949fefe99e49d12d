from django.urls import include, path, register_converter

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views


class Sha256Converter:
    regex = "[0-9a-fA-F]{64}"

    def to_python(self, value):
        return value.lower()

    def to_url(self, value):
        return value


register_converter(Sha256Converter, "sha256")

app_name = "dossiers"

urlpatterns = [
    path("verifikasi/", views.verify, name="verify"),
    path("verifikasi/<sha256:code>/", views.verify_code, name="verify_code"),
    path("<id:pk>/", views.dossier_detail, name="detail"),
    path("<id:pk>/susun/", views.dossier_compile_view, name="compile"),
    path("<id:pk>/status/", views.dossier_status, name="status"),
    path("<id:pk>/versi/<id:number>/unduh/", views.version_download, name="download"),
    # The comparison of two versions, the SIPANTAS export and the verification workflow.
    path("", include("dossiers.diff.urls")),
    path("", include("dossiers.export.urls")),
    path("", include("dossiers.workflow.urls")),
]
