"""Readiness pages and the assessment's indicator evidence, included into the ``evidence`` namespace."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("kesiapan/<id:pk>/", views.readiness, name="readiness"),
    path("kesiapan/<id:pk>/kecamatan/<str:code>/", views.readiness_kecamatan, name="readiness_kecamatan"),
    path("penilaian/<id:pk>/", views.assessment_evidence, name="assessment_evidence"),
    path("penilaian/<id:pk>/indikator/<id:entry_pk>/", views.indicator_evidence, name="indicator_evidence"),
]
