"""The assessment API: assessments (open, read), their score, and their indicator entries (read,
fill in); plus the base of the viewsets of one part of an assessment under
``/api/assessments/<id>/…``, which live in the feature packages: the Excel workbook
(``indicators.excel.api``), ODF, kelembagaan, chosen tatanan, usulan and local indicators
(``indicators.fieldwork.api``). Titik pantau are in ``indicators.fieldwork.api``, data requests in
``indicators.requests.api``, innovations in ``indicators.innovations.api``; the routes are
``indicators/api_urls.py``.

Every queryset starts from a scoped selector (``indicators.selectors``, ``accounts.selectors``),
so an object outside the caller's scope answers 404. Writes call the same services as the web
pages (``assessment_open``, ``indicator_entry_update``, the titik pantau, data request and Excel
services); their ``Http404``, ``PermissionDenied`` and ``ValidationError`` come out in the one
error shape of ``kks_portal.lib.api_errors``. Who may do what is therefore the services' rule,
e.g. opening an assessment is for the kabupaten's Bappeda admin (or a superuser); anybody else,
whether or not they read the kabupaten, gets 404 (``accounts.access``).
"""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import is_bappeda_admin_of
from kks_portal.lib.url_ids import parse_id
from tatanan.models import Tatanan
from tatanan.selectors import is_selectable, retired_option_message

from .filters import AssessmentFilter, EntryFilter
from .models import IndicatorEntry
from .scoring import assessment_score
from .selectors import assessments_visible_to, entries_visible_to, odf_percent
from .serializers import (
    AssessmentDetailSerializer,
    AssessmentOpenSerializer,
    AssessmentScoreSerializer,
    AssessmentSerializer,
    EntrySerializer,
    EntryUpdateSerializer,
    ScoreQuerySerializer,
)
from .services import assessment_open, indicator_entry_update

NOT_FOUND = OpenApiResponse(description="Outside the caller's scope (the one error shape, code not_found).")
INVALID = OpenApiResponse(description="Invalid data: the one error shape with `fields` (code invalid).")


def _summary(assessment) -> dict:
    statuses = IndicatorEntry.Status
    entries = assessment.indicator_entries.aggregate(
        total=Count("pk"),
        kosong=Count("pk", filter=Q(status=statuses.KOSONG)),
        draf=Count("pk", filter=Q(status=statuses.DRAF)),
        selesai=Count("pk", filter=Q(status=statuses.SELESAI)),
        self_scored=Count("pk", filter=Q(self_score__isnull=False)),
        unassigned=Count("pk", filter=Q(assigned_opd__isnull=True)),
    )
    kelembagaan = assessment.kelembagaan_entries.aggregate(
        total=Count("pk"), self_scored=Count("pk", filter=Q(self_score__isnull=False))
    )
    return {
        "entries": entries,
        "kelembagaan": kelembagaan,
        "odf_percent": odf_percent(assessment),
        "titik_pantau": assessment.titik_pantau.count(),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Assessments in the caller's scope",
        description="A verifier of another province sees none of a kabupaten's assessments.",
        tags=["assessments"],
    ),
    retrieve=extend_schema(
        summary="One assessment with a summary of its entries",
        responses={200: AssessmentDetailSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    ),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return assessments_visible_to(self.request.user).prefetch_related(
            Prefetch("tatanan", queryset=Tatanan.objects.order_by("number")), "proposed_kecamatan", "proposed_desa"
        )

    def retrieve(self, request, *args, **kwargs):
        assessment = self.get_object()
        assessment.summary = _summary(assessment)
        assessment.can_administer = is_bappeda_admin_of(request.user, assessment.kabupaten_id)
        return Response(AssessmentDetailSerializer(assessment, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Open an assessment (Bappeda admin of the kabupaten/kota, or superuser)",
        description=(
            "Calls the service `assessment_open`: creates the assessment with an entry for every "
            "indicator of the assessed tatanan and every kelembagaan item, or completes an existing "
            "one (safe to repeat: 200 instead of 201). Anybody but the kabupaten's Bappeda admin gets "
            "404, also when they read the kabupaten."
        ),
        request=AssessmentOpenSerializer,
        responses={
            201: AssessmentDetailSerializer,
            200: AssessmentDetailSerializer,
            400: INVALID,
            404: NOT_FOUND,
        },
        tags=["assessments"],
    )
    def create(self, request, *args, **kwargs):
        params = AssessmentOpenSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        kabupaten, cycle, tatanan = (params.validated_data[name] for name in ("kabupaten", "cycle", "tatanan"))
        existed = assessments_visible_to(request.user).filter(kabupaten=kabupaten, cycle=cycle).exists()
        assessment = assessment_open(
            kabupaten=kabupaten,
            cycle=cycle,
            actor=request.user,
            tatanan=tatanan,
            category=params.validated_data["category"],
        )
        assessment = self.get_queryset().get(pk=assessment.pk)
        assessment.summary = _summary(assessment)
        assessment.can_administer = True
        return Response(
            AssessmentDetailSerializer(assessment, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


def assessment_named_in(request):
    """The assessment a create names in its body (``assessment``: an id), looked up in the caller's
    scope before the rest of the body is judged against it: one the caller does not read answers
    404, as a URL would. None when the id is missing or malformed (the serializer says so)."""
    named = request.data.get("assessment", "") if hasattr(request.data, "get") else ""
    if (assessment_pk := parse_id(named)) is None:
        return None
    assessment = assessments_visible_to(request.user).filter(pk=assessment_pk).first()
    if assessment is None:
        raise Http404
    return assessment


class AssessmentPartViewSet(viewsets.GenericViewSet):
    # A viewset of one part of an assessment, under `/api/assessments/<id>/…` (mounted by
    # indicators/api_urls.py): `get_object()` is the assessment, looked up in the caller's scope
    # (404 outside); no filters, no pages. Comments, not docstrings, here and in the subclasses:
    # drf-spectacular shows a viewset's docstring as the description of its operations.

    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return assessments_visible_to(self.request.user)


class ScoreViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/score/`.

    serializer_class = AssessmentScoreSerializer

    @extend_schema(
        summary="Scores, predicted tier and what-if of an assessment",
        description=(
            "`indicators.scoring.assessment_score` in one layer: per tatanan %, overall and minimum, "
            "ODF %, the kelembagaan gate, the predicted tier, every tier's failed conditions and the "
            "improvements that would reach the next tier's score."
        ),
        parameters=[ScoreQuerySerializer],
        responses={200: AssessmentScoreSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def retrieve(self, request, pk=None):
        assessment = self.get_object()
        params = ScoreQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = assessment_score(assessment=assessment, layer=params.validated_data["layer"])
        return Response(AssessmentScoreSerializer(result).data)


@extend_schema_view(
    list=extend_schema(
        summary="Indicator entries the caller reads",
        description=(
            "Bappeda admins and verifiers read every entry of the assessments in their scope; an OPD "
            "operator exactly the entries assigned to their OPD."
        ),
        tags=["assessments"],
    ),
    retrieve=extend_schema(
        summary="One indicator entry", responses={200: EntrySerializer, 404: NOT_FOUND}, tags=["assessments"]
    ),
)
class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EntrySerializer
    filterset_class = EntryFilter

    def get_queryset(self):
        return entries_visible_to(self.request.user)

    @extend_schema(
        summary="Fill in an indicator entry",
        description=(
            "Calls the service `indicator_entry_update`. The Bappeda admin of the kabupaten/kota "
            "edits every entry (and `assigned_opd`), an OPD operator only the entries assigned to "
            "their OPD; for anyone else the entry does not exist (404), also for a verifier who "
            "reads it. The verifiers' scores and notes are read-only here."
        ),
        request=EntryUpdateSerializer,
        responses={200: EntrySerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        params = EntryUpdateSerializer(data=request.data, context={**self.get_serializer_context(), "entry": entry})
        params.is_valid(raise_exception=True)
        fields = dict(params.validated_data)
        if "self_score_value" in fields:
            value = fields.pop("self_score_value")
            option = (
                None
                if value is None
                else entry.indicator.scale_options.filter(value=value).order_by("retired", "order").first()
            )
            if value is not None and option is None:
                raise ValidationError({"self_score_value": [_("Nilai harus salah satu opsi skala indikator ini.")]})
            if option is not None and not is_selectable(option, entry.self_score_id):
                raise ValidationError({"self_score_value": [retired_option_message(option)]})
            fields["self_score"] = option
        indicator_entry_update(entry=entry, actor=request.user, **fields)
        entry = self.get_queryset().filter(pk=entry.pk).first() or entry
        return Response(self.get_serializer(entry).data)
