"""The project's URLs plus this app's, until kks_portal/urls.py includes it."""

from django.urls import include, path

from kks_portal.urls import handler404, handler500  # noqa: F401
from kks_portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("penilaian/", include("indicators.urls"))]
