"""The assessment API: assessments (open, read, score, Excel workbook), their indicator entries
(read, fill in), titik pantau and data requests (read; written by the Bappeda admin), and the
field work under an assessment: ODF per kecamatan, kelembagaan scores, the chosen tatanan and
the kabupaten's local indicators (read by the assessment's readers; written by its Bappeda
admin through ``indicators.fieldwork.services``).

Every queryset starts from a scoped selector (``indicators.selectors``, ``accounts.selectors``),
so an object outside the caller's scope answers 404. Writes call the same services as the web
pages (``assessment_open``, ``indicator_entry_update``, the titik pantau, data request and Excel
services); their ``Http404``, ``PermissionDenied`` and ``ValidationError`` come out in the one
error shape of ``kks_portal.lib.api_errors``. Who may do what is therefore the services' rule,
e.g. opening an assessment is for the kabupaten's Bappeda admin (or a superuser); anybody else,
whether or not they read the kabupaten, gets 404 (``accounts.access``).
"""

import logging
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.access import is_bappeda_admin_of, opd_ids_operated_by, require_kabupaten_admin
from accounts.selectors import admin_scope_of
from kks_portal.lib.files.responses import protected_file_response
from kks_portal.lib.url_ids import ID_REGEX, parse_id
from regions.selectors import region_list
from tatanan.models import Cycle, ScaleOption, Tatanan
from tatanan.selectors import cycles_visible_to
from tatanan.services import local_indicator_update

from .excel.forms import AssessmentImportForm
from .excel.workbook import assessment_export, assessment_import, can_import, export_filename
from .fieldwork.services import (
    assessment_tatanan_update,
    desa_of,
    kecamatan_of,
    kelembagaan_entries_update,
    local_entries_of,
    local_indicator_add,
    local_indicator_remove,
    odf_checklist_set,
    odf_counts_set,
    odf_rows_by_kecamatan,
    titik_pantau_create,
    titik_pantau_delete,
    titik_pantau_update,
)
from .filters import AssessmentFilter, DataRequestFilter, EntryFilter, TitikPantauFilter
from .models import DataRequest, IndicatorEntry, TitikPantau
from .requests.services import data_request_assign, data_request_remind
from .scoring import assessment_score
from .selectors import (
    assessments_visible_to,
    entries_visible_to,
    odf_percent,
)
from .serializers import (
    ODF_MODES,
    AssessmentDetailSerializer,
    AssessmentOpenSerializer,
    AssessmentScoreSerializer,
    AssessmentSerializer,
    AssessmentTatananSerializer,
    DataRequestAssignSerializer,
    DataRequestSerializer,
    EntrySerializer,
    EntryUpdateSerializer,
    ImportReportSerializer,
    KelembagaanEntrySerializer,
    KelembagaanUpdateSerializer,
    LocalIndicatorSerializer,
    LocalIndicatorWriteSerializer,
    OdfKecamatanDetailSerializer,
    OdfOverviewSerializer,
    OdfWriteSerializer,
    ScoreQuerySerializer,
    TatananChoiceSerializer,
    TitikPantauSerializer,
    TitikPantauWriteSerializer,
    WorkbookUploadSerializer,
)
from .services import assessment_open, indicator_entry_update

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def _odf_row(row: dict) -> dict:
    total, odf = row["total"], row["odf"]
    percent = (Decimal(odf) * 100 / Decimal(total)).quantize(Decimal("0.01")) if total else None
    return {**row, "percent": percent}


def _local_entries(assessment):
    return local_entries_of(assessment).prefetch_related(
        Prefetch("indicator__scale_options", queryset=ScaleOption.objects.order_by("order"))
    )


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
            Prefetch("tatanan", queryset=Tatanan.objects.order_by("number"))
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
        params = AssessmentOpenSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        kabupaten = region_list().filter(code=data["kabupaten"]).first()
        if kabupaten is None:
            raise ValidationError({"kabupaten": [_("Kode wilayah tidak dikenal.")]})
        cycle = cycles_visible_to(request.user).filter(award_year=data["cycle"]).first()
        if cycle is None:
            raise ValidationError({"cycle": [_("Siklus penilaian tidak dikenal.")]})
        codes = {code.strip().upper() for code in data["tatanan"]}
        tatanan = list(Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id, code__in=codes))
        unknown = codes - {t.code for t in tatanan}
        if unknown:
            message = _("Tatanan tidak dikenal dalam siklus ini: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            raise ValidationError({"tatanan": [message]})
        existed = assessments_visible_to(request.user).filter(kabupaten=kabupaten, cycle=cycle).exists()
        assessment = assessment_open(kabupaten=kabupaten, cycle=cycle, actor=request.user, tatanan=tatanan)
        assessment = self.get_queryset().get(pk=assessment.pk)
        assessment.summary = _summary(assessment)
        assessment.can_administer = True
        return Response(
            AssessmentDetailSerializer(assessment, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary="Download the self-assessment as an Excel workbook",
        description="The instrument-shaped workbook of the web page; for everyone who reads the assessment.",
        responses={(200, XLSX): OpenApiTypes.BINARY, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Fill the self-assessment from an Excel workbook (Bappeda admin)",
        description=(
            "Calls `assessment_import`: all-or-nothing, with a row-by-row report. A file that cannot "
            "be imported still answers 200 with `imported` false and the reasons in `problems` and "
            "`rows`; a missing, oversized or non-.xlsx file answers 400. Anyone but the Bappeda "
            "admin gets 404, as on the web."
        ),
        request={"multipart/form-data": WorkbookUploadSerializer},
        responses={200: ImportReportSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        pagination_class=None,
        parser_classes=[MultiPartParser],
    )
    def workbook(self, request, pk=None):
        assessment = self.get_object()
        if request.method == "GET":
            return protected_file_response(
                request,
                content=assessment_export(assessment=assessment),
                content_type=XLSX,
                filename=export_filename(assessment),
            )
        if not can_import(request.user, assessment):
            raise Http404  # as on the web: the upload does not exist for anyone else
        form = AssessmentImportForm(request.data, request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors)
        report = assessment_import(
            assessment=assessment,
            file=form.cleaned_data["file"],
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        report_data = {
            "filename": report.filename,
            "dry_run": report.dry_run,
            "imported": report.imported,
            "ok": report.ok,
            "summary": report.summary(),
            "counts": report.counts,
            "problems": [str(p) for p in report.problems],
            "notes": [str(n) for n in report.notes],
            "rows": [
                {
                    "sheet": row.sheet,
                    "first_row": row.rows[0],
                    "last_row": row.rows[1],
                    "status": row.status,
                    "status_label": row.status_label,
                    "subject": str(row.subject),
                    "message": str(row.message),
                }
                for row in report.rows
            ],
        }
        return Response(ImportReportSerializer(report_data).data)

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
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def score(self, request, pk=None):
        assessment = self.get_object()
        params = ScoreQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = assessment_score(assessment=assessment, layer=params.validated_data["layer"])
        return Response(AssessmentScoreSerializer(result).data)

    # --- Field work: ODF, kelembagaan, chosen tatanan, local indicators ------------------------
    # Readers of the assessment read; the writes call ``indicators.fieldwork.services``, whose
    # rule is the Bappeda admin of the kabupaten/kota (or a superuser): other readers get 404.

    @extend_schema(
        summary="ODF status per kecamatan and the kabupaten/kota's ODF %",
        description=(
            "Every kecamatan of the kabupaten/kota (Kemendagri regions) with how its status is "
            "reported (" + ODF_MODES + "), the counts and its %, and the kabupaten/kota's desa/kelurahan "
            "ODF % that the tiers use."
        ),
        responses={200: OdfOverviewSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def odf(self, request, pk=None):
        assessment = self.get_object()
        rows = [_odf_row(row) for row in odf_rows_by_kecamatan(assessment)]
        return Response(OdfOverviewSerializer({"odf_percent": odf_percent(assessment), "kecamatan": rows}).data)

    @extend_schema(
        methods=["GET"],
        summary="One kecamatan's ODF status, desa by desa",
        operation_id="assessments_odf_kecamatan_retrieve",
        responses={200: OdfKecamatanDetailSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["PUT"],
        summary="Set a kecamatan's ODF status: counts or a per-desa checklist (Bappeda admin)",
        operation_id="assessments_odf_kecamatan_update",
        description=(
            "Counts call `odf_counts_set`, a checklist `odf_checklist_set`; either replaces the "
            "kecamatan's other shape. A kecamatan outside the kabupaten/kota is 404, and so is "
            "the write of a reader who is not its Bappeda admin."
        ),
        request=OdfWriteSerializer,
        responses={200: OdfKecamatanDetailSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path=r"odf/(?P<kecamatan>[0-9.]+)",
        url_name="odf-kecamatan",
        filter_backends=[],
        pagination_class=None,
    )
    def odf_kecamatan(self, request, pk=None, kecamatan=None):
        assessment = self.get_object()
        region = kecamatan_of(assessment.kabupaten).filter(code=kecamatan).first()
        if region is None:
            raise Http404
        if request.method == "PUT":
            require_kabupaten_admin(
                request.user, assessment.kabupaten_id
            )  # the services' rule, before the data is judged
            params = OdfWriteSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            data = params.validated_data
            if "odf_desa" in data:
                odf_checklist_set(
                    assessment=assessment, actor=request.user, kecamatan=region, odf_desa=data["odf_desa"]
                )
            else:
                odf_counts_set(
                    assessment=assessment,
                    actor=request.user,
                    kecamatan=region,
                    desa_total=data["desa_total"],
                    desa_odf=data["desa_odf"],
                )
        row = next(r for r in odf_rows_by_kecamatan(assessment) if r["kecamatan"].code == region.code)
        declared = set(
            assessment.odf_statuses.filter(kecamatan=region, desa__isnull=False, declared_odf=True).values_list(
                "desa_id", flat=True
            )
        )
        detail = {
            **_odf_row(row),
            "odf_percent": odf_percent(assessment),
            "desa": [{"code": d.code, "name": d.name, "declared_odf": d.code in declared} for d in desa_of(region)],
        }
        return Response(OdfKecamatanDetailSerializer(detail).data)

    def _kelembagaan_entries(self, assessment):
        return assessment.kelembagaan_entries.select_related("item", "self_score").prefetch_related(
            Prefetch("item__scale_options", queryset=ScaleOption.objects.order_by("order", "-value"))
        )

    @extend_schema(
        methods=["GET"],
        summary="Kelembagaan entries of an assessment with their self scores",
        description="Every item at its top option meets the kelembagaan gate of the tiers.",
        responses={200: KelembagaanEntrySerializer(many=True), 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Score kelembagaan entries (Bappeda admin)",
        description=(
            "Calls `kelembagaan_entries_update` with the entries sent (all or nothing); per entry "
            "only the keys sent change. Readers who are not the Bappeda admin get 404."
        ),
        request=KelembagaanUpdateSerializer,
        responses={200: KelembagaanEntrySerializer(many=True), 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(detail=True, methods=["get", "patch"], filter_backends=[], pagination_class=None)
    def kelembagaan(self, request, pk=None):
        assessment = self.get_object()
        if request.method == "PATCH":
            require_kabupaten_admin(request.user, assessment.kabupaten_id)
            params = KelembagaanUpdateSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            entries = {e.pk: e for e in self._kelembagaan_entries(assessment)}
            changes, errors = [], {}
            for index, change in enumerate(params.validated_data["entries"]):
                entry = entries.get(change["id"])
                if entry is None:
                    errors[str(index)] = [_("Isian kelembagaan tidak dikenal dalam penilaian ini.")]
                    continue
                option = entry.self_score
                if "self_score_value" in change:
                    value = change["self_score_value"]
                    option = (
                        None
                        if value is None
                        else next((o for o in entry.item.scale_options.all() if o.value == value), False)
                    )
                elif "self_score" in change:
                    # Resolved here so that an unknown id is an error, not a cleared score; whether
                    # the option belongs to the item is the service's check.
                    option = change["self_score"] and (
                        ScaleOption.objects.filter(pk=change["self_score"]).first() or False
                    )
                if option is False:
                    errors[str(index)] = [_("Nilai harus salah satu opsi skala butir ini.")]
                    continue
                changes.append((entry, option or None, change.get("note", entry.note)))
            if errors:
                raise ValidationError({"entries": errors})
            kelembagaan_entries_update(assessment=assessment, actor=request.user, changes=changes)
        entries = self._kelembagaan_entries(assessment)
        return Response(KelembagaanEntrySerializer(entries, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="The tatanan assessed, and those the kabupaten/kota could choose",
        responses={200: AssessmentTatananSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["PUT"],
        summary="Choose the tatanan assessed (Bappeda admin; cycles with chosen tatanan only)",
        description=(
            "Calls `assessment_tatanan_update`: new tatanan get their entries; a tatanan is dropped "
            "only while nothing was filled in for it. In a cycle where every tatanan is compulsory "
            "the change is refused (400). Readers who are not the Bappeda admin get 404."
        ),
        request=TatananChoiceSerializer,
        responses={200: AssessmentTatananSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="tatanan",
        url_name="tatanan",
        filter_backends=[],
        pagination_class=None,
    )
    def chosen_tatanan(self, request, pk=None):
        assessment = self.get_object()
        available = Tatanan.objects.filter(tatanan_set=assessment.cycle.tatanan_set_id).order_by("number")
        chosen_cycle = assessment.cycle.tatanan_selection == Cycle.TatananSelection.CHOSEN
        if request.method == "PUT":
            require_kabupaten_admin(request.user, assessment.kabupaten_id)
            params = TatananChoiceSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            codes = {code.strip().upper() for code in params.validated_data["tatanan"]}
            tatanan = [t for t in available if t.code in codes]
            unknown = codes - {t.code for t in tatanan}
            if unknown:
                message = _("Tatanan tidak dikenal dalam siklus ini: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
                raise ValidationError({"tatanan": [message]})
            assessment_tatanan_update(assessment=assessment, actor=request.user, tatanan=tatanan)
        data = {
            "selection": assessment.cycle.tatanan_selection,
            "can_choose": chosen_cycle and is_bappeda_admin_of(request.user, assessment.kabupaten_id),
            "tatanan": assessment.tatanan.order_by("number"),
            "available": available,
        }
        return Response(AssessmentTatananSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        summary="The kabupaten/kota's local indicators in this assessment",
        description="Local indicators are filled in beside the official ones but never count in the tiers.",
        responses={200: LocalIndicatorSerializer(many=True), 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a local indicator (Bappeda admin of the kabupaten/kota)",
        description=(
            "Calls `local_indicator_add`: the indicator joins the kabupaten/kota's catalogue for the "
            "cycle and gets its entry here. Readers who are not the Bappeda admin get 404."
        ),
        request=LocalIndicatorWriteSerializer,
        responses={201: LocalIndicatorSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="local-indicators",
        url_name="local-indicators",
        filter_backends=[],
        pagination_class=None,
    )
    def local_indicators(self, request, pk=None):
        assessment = self.get_object()
        if request.method == "POST":
            require_kabupaten_admin(request.user, assessment.kabupaten_id)
            params = LocalIndicatorWriteSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            fields = dict(params.validated_data)
            code = fields.pop("tatanan").strip().upper()
            tatanan = assessment.tatanan.filter(code=code).first()
            if tatanan is None:
                raise ValidationError({"tatanan": [_("Pilih salah satu tatanan yang dinilai dalam penilaian ini.")]})
            entry = local_indicator_add(assessment=assessment, actor=request.user, tatanan=tatanan, **fields)
            entry = _local_entries(assessment).get(pk=entry.pk)
            return Response(LocalIndicatorSerializer(entry).data, status=status.HTTP_201_CREATED)
        return Response(LocalIndicatorSerializer(_local_entries(assessment), many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="One local indicator of the assessment",
        responses={200: LocalIndicatorSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change a local indicator (Bappeda admin)",
        description=(
            "Calls `tatanan.services.local_indicator_update` with the fields sent; a new scale "
            "replaces the old one only while no entry is scored with it."
        ),
        request=LocalIndicatorWriteSerializer,
        responses={200: LocalIndicatorSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a local indicator (Bappeda admin)",
        description="Calls `local_indicator_remove`: refused (400) while its entry holds data.",
        responses={204: None, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=rf"local-indicators/(?P<indicator_pk>{ID_REGEX})",
        url_name="local-indicator",
        filter_backends=[],
        pagination_class=None,
    )
    def local_indicator(self, request, pk=None, indicator_pk=None):
        assessment = self.get_object()
        entry = _local_entries(assessment).filter(indicator_id=indicator_pk).first()
        if entry is None:
            raise Http404
        if request.method == "DELETE":
            local_indicator_remove(assessment=assessment, actor=request.user, indicator=entry.indicator)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if request.method == "PATCH":
            require_kabupaten_admin(request.user, assessment.kabupaten_id)
            params = LocalIndicatorWriteSerializer(data=request.data, partial=True)
            params.is_valid(raise_exception=True)
            local_indicator_update(indicator=entry.indicator, actor=request.user, **params.validated_data)
            entry = _local_entries(assessment).get(pk=entry.pk)
        return Response(LocalIndicatorSerializer(entry).data)


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
            option = None if value is None else entry.indicator.scale_options.filter(value=value).first()
            if value is not None and option is None:
                raise ValidationError({"self_score_value": [_("Nilai harus salah satu opsi skala indikator ini.")]})
            fields["self_score"] = option
        indicator_entry_update(entry=entry, actor=request.user, **fields)
        entry = self.get_queryset().filter(pk=entry.pk).first() or entry
        return Response(self.get_serializer(entry).data)


@extend_schema_view(
    list=extend_schema(summary="Titik pantau of the assessments in the caller's scope", tags=["assessments"]),
    retrieve=extend_schema(
        summary="One titik pantau", responses={200: TitikPantauSerializer, 404: NOT_FOUND}, tags=["assessments"]
    ),
)
class TitikPantauViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Everyone who reads an assessment reads its titik pantau (field verifiers need them); the
    writes are the fieldwork services', for the Bappeda admin of the kabupaten/kota."""

    serializer_class = TitikPantauSerializer
    filterset_class = TitikPantauFilter

    def get_queryset(self):
        return (
            TitikPantau.objects.filter(assessment__in=assessments_visible_to(self.request.user))
            .select_related("assessment__cycle", "assessment__kabupaten", "tatanan", "desa")
            .order_by("assessment_id", "tatanan__number", "name", "id")
        )

    @staticmethod
    def _service_fields(assessment, data: dict) -> dict:
        fields = dict(data)
        if "tatanan" in fields:
            # An unknown code goes to the service as None: the service words the error.
            fields["tatanan"] = Tatanan.objects.filter(
                tatanan_set=assessment.cycle.tatanan_set_id, code=fields["tatanan"].strip().upper()
            ).first()
        if fields.get("desa"):
            # Resolved here: the service reads an unknown code as "no desa", which would drop it silently.
            desa = region_list().filter(code=fields["desa"].strip()).first()
            if desa is None:
                raise ValidationError({"desa": [_("Kode wilayah tidak dikenal.")]})
            fields["desa"] = desa
        elif "desa" in fields:
            fields["desa"] = None
        return fields

    @extend_schema(
        summary="Add a titik pantau (Bappeda admin of the kabupaten/kota)",
        description="Calls `titik_pantau_create`. Anybody but the Bappeda admin gets 404.",
        request=TitikPantauWriteSerializer,
        responses={201: TitikPantauSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, *args, **kwargs):
        params = TitikPantauWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        fields = dict(params.validated_data)
        assessment = assessments_visible_to(request.user).filter(pk=fields.pop("assessment")).first()
        if assessment is None:
            raise Http404
        point = titik_pantau_create(
            assessment=assessment, actor=request.user, **self._service_fields(assessment, fields)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a titik pantau (Bappeda admin of the kabupaten/kota)",
        description="Calls `titik_pantau_update` with the fields sent; the assessment cannot change.",
        request=TitikPantauWriteSerializer,
        responses={200: TitikPantauSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def partial_update(self, request, *args, **kwargs):
        point = self.get_object()
        params = TitikPantauWriteSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        fields = self._service_fields(point.assessment, params.validated_data)
        titik_pantau_update(titik_pantau=point, actor=request.user, **fields)
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data)

    @extend_schema(
        summary="Delete a titik pantau (Bappeda admin of the kabupaten/kota)",
        responses={204: None, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def destroy(self, request, *args, **kwargs):
        titik_pantau_delete(titik_pantau=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="Data requests",
        description=(
            "Bappeda admins read the requests of their kabupaten/kota, OPD operators those made to "
            "their OPD; verifiers and secretaries none (the kabupaten's internal business)."
        ),
        tags=["assessments"],
    ),
    retrieve=extend_schema(
        summary="One data request", responses={200: DataRequestSerializer, 404: NOT_FOUND}, tags=["assessments"]
    ),
)
class DataRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Writes call ``indicators.requests.services``: only the Bappeda admin of the kabupaten/kota
    (or a superuser) asks and reminds; to anyone else the service answers 404."""

    serializer_class = DataRequestSerializer
    filterset_class = DataRequestFilter

    def get_queryset(self):
        user = self.request.user
        requests = DataRequest.objects.filter(assessment__in=assessments_visible_to(user))
        administered = admin_scope_of(user)
        # Not one OR of the two: the superuser's scope is the empty Q(), and Q() | Q(x) is just Q(x).
        if not administered.everything:
            requests = requests.filter(
                administered.q("assessment__kabupaten__code") | Q(opd_id__in=opd_ids_operated_by(user))
            )
        return requests.select_related("opd", "assessment__kabupaten").order_by(
            "assessment_id", "deadline", "opd__short_name"
        )

    @extend_schema(
        summary="Ask an OPD for the data of some entries by a deadline (Bappeda admin)",
        description=(
            "Calls `data_request_assign`: assigns the entries to the OPD and creates its request "
            "(201) or moves its deadline (200). Anyone but the Bappeda admin of the kabupaten/kota "
            "gets 404, as on the web."
        ),
        request=DataRequestAssignSerializer,
        responses={201: DataRequestSerializer, 200: DataRequestSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, *args, **kwargs):
        # The assessment is the parent the request is written into: one the caller does not read
        # answers 404, as a URL would, before the OPD and entries are judged against it.
        named = str(request.data.get("assessment", "") if hasattr(request.data, "get") else "")
        assessment = None
        if (assessment_pk := parse_id(named)) is not None:
            assessment = assessments_visible_to(request.user).filter(pk=assessment_pk).first()
            if assessment is None:
                raise Http404
        context = {**self.get_serializer_context(), "assessment": assessment}
        params = DataRequestAssignSerializer(data=request.data, context=context)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        data.pop("assessment")
        opd = data.pop("opd")
        existed = self.get_queryset().filter(assessment=assessment, opd=opd).exists()
        data_request = data_request_assign(assessment=assessment, opd=opd, actor=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=data_request.pk)).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Remind the OPD's operators by e-mail (Bappeda admin)",
        description=(
            "Calls `data_request_remind`: the e-mail listing the entries not yet selesai is queued and "
            "sent in the background (202); nothing is sent when nothing is outstanding."
        ),
        request=None,
        responses={202: DataRequestSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def remind(self, request, pk=None):
        data_request = self.get_object()
        data_request_remind(data_request=data_request, actor=request.user, base_url=request.build_absolute_uri("/"))
        return Response(self.get_serializer(data_request).data, status=status.HTTP_202_ACCEPTED)
