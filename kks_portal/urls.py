from django.contrib import admin
from django.urls import include, path
from django.views import defaults

from kks_portal import views
from kks_portal.lib import api_errors

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tentang/", views.about, name="about"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("accounts.urls")),
    path("kelola/", include("accounts.manage_urls")),
    path("wilayah/", include("regions.urls")),
    path("tatanan/", include("tatanan.urls")),
    path("penilaian/", include("indicators.urls")),
    path("forum/", include("forums.urls")),
    path("bukti/", include("evidence.urls")),
    path("dossier/", include("dossiers.urls")),
    path("api/", include("kks_portal.api_urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "KKS Portal"
admin.site.site_title = "KKS Portal"


def handler400(request, exception=None):
    # Django answers a request it refuses before any view runs (a form body over
    # DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields) with this page; the API's is JSON.
    if request.path.startswith("/api/"):
        return api_errors.json_bad_request(request)
    return defaults.bad_request(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.json_not_found(request)
    return views.page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return api_errors.json_server_error(request)
    return views.server_error(request)
