# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("<id:pk>/excel/", views.assessment_export_view, name="assessment_export"),
    path("<id:pk>/excel/impor/", views.assessment_import_view, name="assessment_import"),
    path("impor-berkas/", views.assessment_file_open_view, name="assessment_file_open"),
]
