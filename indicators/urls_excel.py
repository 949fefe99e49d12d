# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from . import views_excel

urlpatterns = [
    path("<int:pk>/excel/", views_excel.assessment_export_view, name="assessment_export"),
    path("<int:pk>/excel/impor/", views_excel.assessment_import_view, name="assessment_import"),
]
