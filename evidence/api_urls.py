"""API routes of activities and evidence (``evidence.api``)."""

from django.urls import path

from kks_portal.lib.url_ids import Router

from . import api

router = Router()
router.register("activities", api.ActivityViewSet, basename="activity")
router.register("evidence-files", api.EvidenceFileViewSet, basename="evidence-file")

urlpatterns = [
    *router.urls,
    path("bodies/<id:pk>/files/", api.BodyFilesView.as_view(), name="body-files"),
    path("bodies/<id:pk>/readiness/", api.BodyReadinessView.as_view(), name="body-readiness"),
    path(
        "assessments/<id:pk>/requirements/<id:requirement_pk>/years/<year:year>/files/",
        api.RequirementFilesView.as_view(),
        name="requirement-files",
    ),
    path("titik-pantau/<id:pk>/files/", api.TitikPantauFilesView.as_view(), name="titik-pantau-files"),
    path("pembinaan/<id:pk>/files/", api.PembinaanFilesView.as_view(), name="pembinaan-files"),
    path("assessments/<id:pk>/readiness/", api.AssessmentReadinessView.as_view(), name="assessment-readiness"),
    path(
        "assessments/<id:pk>/readiness/kecamatan/<str:code>/",
        api.KecamatanReadinessView.as_view(),
        name="assessment-readiness-kecamatan",
    ),
]
