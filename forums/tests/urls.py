"""The project's URLs plus this app's, until kks_portal/urls.py includes them."""

from django.urls import include, path

from kks_portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns]
if not any(getattr(p, "namespace", None) == "forums" for p in project_urlpatterns):
    urlpatterns.append(path("forum/", include("forums.urls")))
