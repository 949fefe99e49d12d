from django.urls import re_path

from kks_portal.lib.url_ids import ID_REGEX, Router

from . import api
from .excel import api as excel_api
from .fieldwork import api as fieldwork_api
from .innovations import api as innovations_api
from .requests import api as requests_api

router = Router()
router.register("assessments", api.AssessmentViewSet, basename="assessment")
router.register("entries", api.EntryViewSet, basename="entry")
router.register("titik-pantau", fieldwork_api.TitikPantauViewSet, basename="titik-pantau")
router.register("data-requests", requests_api.DataRequestViewSet, basename="data-request")
router.register("innovations", innovations_api.InnovationViewSet, basename="innovation")


def assessment_part(path: str, viewset, actions: dict, name: str):
    """A route of one part of an assessment, ``assessments/<id>/<path>/``, named
    ``assessment-<name>``: the URL and name the router gives an extra action of the assessment
    viewset, served by the part's own viewset (``api.AssessmentPartViewSet``)."""
    return re_path(
        rf"^assessments/(?P<pk>{ID_REGEX})/{path}/$",
        viewset.as_view(actions, detail=True, basename="assessment"),
        name=f"assessment-{name}",
    )


urlpatterns = [
    *router.urls,
    assessment_part("workbook", excel_api.WorkbookViewSet, {"get": "retrieve", "post": "create"}, "workbook"),
    assessment_part("score", api.ScoreViewSet, {"get": "retrieve"}, "score"),
    assessment_part("odf", fieldwork_api.OdfViewSet, {"get": "overview"}, "odf"),
    assessment_part(
        r"odf/(?P<kecamatan>[0-9.]+)",
        fieldwork_api.OdfViewSet,
        {"get": "retrieve", "put": "update"},
        "odf-kecamatan",
    ),
    assessment_part(
        "kelembagaan", fieldwork_api.KelembagaanViewSet, {"get": "list", "patch": "partial_update"}, "kelembagaan"
    ),
    assessment_part("tatanan", fieldwork_api.ChosenTatananViewSet, {"get": "retrieve", "put": "update"}, "tatanan"),
    assessment_part("usulan", fieldwork_api.UsulanViewSet, {"get": "retrieve", "put": "update"}, "usulan"),
    assessment_part(
        "local-indicators", fieldwork_api.LocalIndicatorViewSet, {"get": "list", "post": "create"}, "local-indicators"
    ),
    assessment_part(
        rf"local-indicators/(?P<indicator_pk>{ID_REGEX})",
        fieldwork_api.LocalIndicatorViewSet,
        {"get": "retrieve", "patch": "partial_update", "delete": "destroy"},
        "local-indicator",
    ),
]
