"""Readiness pages and the assessment's indicator evidence, included into the ``evidence`` namespace."""

from django.urls import path

from . import views_readiness as views

urlpatterns = [
    path("kesiapan/<int:pk>/", views.readiness, name="readiness"),
    path("kesiapan/<int:pk>/kecamatan/<str:code>/", views.readiness_kecamatan, name="readiness_kecamatan"),
    path("penilaian/<int:pk>/", views.assessment_evidence, name="assessment_evidence"),
    path("penilaian/<int:pk>/indikator/<int:entry_pk>/", views.indicator_evidence, name="indicator_evidence"),
]
