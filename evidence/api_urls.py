"""API routes of activities and evidence (``evidence.api``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("activities", api.ActivityViewSet, basename="activity")
router.register("evidence-files", api.EvidenceFileViewSet, basename="evidence-file")

urlpatterns = [
    *router.urls,
    path("bodies/<int:pk>/files/", api.BodyFilesView.as_view(), name="body-files"),
    path("bodies/<int:pk>/readiness/", api.BodyReadinessView.as_view(), name="body-readiness"),
    path(
        "assessments/<int:pk>/requirements/<int:requirement_pk>/years/<int:year>/files/",
        api.RequirementFilesView.as_view(),
        name="requirement-files",
    ),
    path("titik-pantau/<int:pk>/files/", api.TitikPantauFilesView.as_view(), name="titik-pantau-files"),
    path("pembinaan/<int:pk>/files/", api.PembinaanFilesView.as_view(), name="pembinaan-files"),
    path("assessments/<int:pk>/readiness/", api.AssessmentReadinessView.as_view(), name="assessment-readiness"),
    path(
        "assessments/<int:pk>/readiness/kecamatan/<str:code>/",
        api.KecamatanReadinessView.as_view(),
        name="assessment-readiness-kecamatan",
    ),
]
