"""The project's URLs plus the catalogue's, for tests run before kks_portal/urls.py includes them."""

from django.urls import include, path

from kks_portal import urls as project_urls

urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(pattern, "namespace", None) == "tatanan" for pattern in urlpatterns):
    urlpatterns.append(path("tatanan/", include("tatanan.urls")))

handler404 = project_urls.handler404
handler500 = project_urls.handler500
