"""The field-work API of an assessment: ODF per kecamatan, kelembagaan scores, the chosen tatanan,
the usulan and category, and the kabupaten's local indicators (under ``/api/assessments/<id>/``), and the titik pantau
(``/api/titik-pantau/``). One viewset per resource.

Readers of the assessment read; the writes call ``indicators.fieldwork.services``, whose rule is
the Bappeda admin of the kabupaten/kota (or a superuser): other readers get 404.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import is_bappeda_admin_of, require_kabupaten_admin
from tatanan.models import Cycle, ScaleOption, Tatanan
from tatanan.selectors import is_selectable, retired_option_message
from tatanan.services import local_indicator_update

from ..api import INVALID, NOT_FOUND, AssessmentPartViewSet, assessment_named_in
from ..filters import TitikPantauFilter
from ..models import TitikPantau
from ..selectors import assessments_visible_to, kecamatan_coverage, odf_percent, usulan_of
from ..serializers import (
    ODF_MODES,
    AssessmentTatananSerializer,
    KelembagaanEntrySerializer,
    KelembagaanUpdateSerializer,
    LocalIndicatorSerializer,
    LocalIndicatorWriteSerializer,
    OdfKecamatanDetailSerializer,
    OdfOverviewSerializer,
    OdfWriteSerializer,
    TatananChoiceSerializer,
    TitikPantauSerializer,
    TitikPantauWriteSerializer,
    UsulanSerializer,
    UsulanWriteSerializer,
)
from .services import (
    assessment_tatanan_update,
    assessment_usulan_update,
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


def _odf_row(row: dict) -> dict:
    total, odf = row["total"], row["odf"]
    percent = (Decimal(odf) * 100 / Decimal(total)).quantize(Decimal("0.01")) if total else None
    return {**row, "percent": percent}


class OdfViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/odf/` (the overview) and `…/odf/<kecamatan>/` (one kecamatan).

    serializer_class = OdfOverviewSerializer

    def get_serializer_class(self):
        # The browsable API's form for PUT asks for the serializer of the update.
        return OdfWriteSerializer if self.action == "update" else OdfOverviewSerializer

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
    def overview(self, request, pk=None):
        assessment = self.get_object()
        rows = [_odf_row(row) for row in odf_rows_by_kecamatan(assessment)]
        return Response(OdfOverviewSerializer({"odf_percent": odf_percent(assessment), "kecamatan": rows}).data)

    def _kecamatan(self, assessment, code):
        region = kecamatan_of(assessment.kabupaten).filter(code=code).first()
        if region is None:
            raise Http404
        return region

    def _kecamatan_detail(self, assessment, region) -> Response:
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

    @extend_schema(
        summary="One kecamatan's ODF status, desa by desa",
        operation_id="assessments_odf_kecamatan_retrieve",
        responses={200: OdfKecamatanDetailSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def retrieve(self, request, pk=None, kecamatan=None):
        assessment = self.get_object()
        return self._kecamatan_detail(assessment, self._kecamatan(assessment, kecamatan))

    @extend_schema(
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
    def update(self, request, pk=None, kecamatan=None):
        assessment = self.get_object()
        region = self._kecamatan(assessment, kecamatan)
        require_kabupaten_admin(request.user, assessment.kabupaten_id)  # the services' rule, before the data is judged
        params = OdfWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if "odf_desa" in data:
            odf_checklist_set(assessment=assessment, actor=request.user, kecamatan=region, odf_desa=data["odf_desa"])
        else:
            odf_counts_set(
                assessment=assessment,
                actor=request.user,
                kecamatan=region,
                desa_total=data["desa_total"],
                desa_odf=data["desa_odf"],
            )
        return self._kecamatan_detail(assessment, region)


class KelembagaanViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/kelembagaan/`: the kelembagaan entries of an assessment.

    serializer_class = KelembagaanEntrySerializer

    @staticmethod
    def _entries(assessment):
        return assessment.kelembagaan_entries.select_related("item", "self_score").prefetch_related(
            Prefetch("item__scale_options", queryset=ScaleOption.objects.order_by("order", "-value"))
        )

    @extend_schema(
        summary="Kelembagaan entries of an assessment with their self scores",
        description="Every item at its top option meets the kelembagaan gate of the tiers.",
        responses={200: KelembagaanEntrySerializer(many=True), 404: NOT_FOUND},
        tags=["assessments"],
    )
    def list(self, request, pk=None):
        return Response(KelembagaanEntrySerializer(self._entries(self.get_object()), many=True).data)

    @extend_schema(
        summary="Score kelembagaan entries (Bappeda admin)",
        description=(
            "Calls `kelembagaan_entries_update` with the entries sent (all or nothing); per entry "
            "only the keys sent change. Readers who are not the Bappeda admin get 404."
        ),
        request=KelembagaanUpdateSerializer,
        responses={200: KelembagaanEntrySerializer(many=True), 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def partial_update(self, request, pk=None):
        assessment = self.get_object()
        require_kabupaten_admin(request.user, assessment.kabupaten_id)
        params = KelembagaanUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        entries = {e.pk: e for e in self._entries(assessment)}
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
                option = change["self_score"] and (ScaleOption.objects.filter(pk=change["self_score"]).first() or False)
            if option is False:
                errors[str(index)] = [_("Nilai harus salah satu opsi skala butir ini.")]
                continue
            if (
                option
                and option.kelembagaan_item_id == entry.item_id
                and not is_selectable(option, entry.self_score_id)
            ):
                errors[str(index)] = [retired_option_message(option)]
                continue
            changes.append((entry, option or None, change.get("note", entry.note)))
        if errors:
            raise ValidationError({"entries": errors})
        kelembagaan_entries_update(assessment=assessment, actor=request.user, changes=changes)
        return Response(KelembagaanEntrySerializer(self._entries(assessment), many=True).data)


class ChosenTatananViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/tatanan/`: the tatanan assessed and those that could be.

    serializer_class = AssessmentTatananSerializer

    def _answer(self, request, assessment) -> Response:
        chosen_cycle = assessment.cycle.tatanan_selection == Cycle.TatananSelection.CHOSEN
        data = {
            "selection": assessment.cycle.tatanan_selection,
            "can_choose": chosen_cycle and is_bappeda_admin_of(request.user, assessment.kabupaten_id),
            "tatanan": assessment.tatanan.order_by("number"),
            "available": Tatanan.objects.filter(tatanan_set=assessment.cycle.tatanan_set_id).order_by("number"),
        }
        return Response(AssessmentTatananSerializer(data).data)

    @extend_schema(
        summary="The tatanan assessed, and those the kabupaten/kota could choose",
        responses={200: AssessmentTatananSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def retrieve(self, request, pk=None):
        return self._answer(request, self.get_object())

    @extend_schema(
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
    def update(self, request, pk=None):
        assessment = self.get_object()
        require_kabupaten_admin(request.user, assessment.kabupaten_id)
        params = TatananChoiceSerializer(
            data=request.data, context={**self.get_serializer_context(), "assessment": assessment}
        )
        params.is_valid(raise_exception=True)
        assessment_tatanan_update(assessment=assessment, actor=request.user, tatanan=params.validated_data["tatanan"])
        return self._answer(request, assessment)


class UsulanViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/usulan/`: the category registered for and the kecamatan and
    # desa/kelurahan proposed, as on the page `indicators:usulan_edit`.

    serializer_class = UsulanSerializer

    def get_serializer_class(self):
        # The browsable API's form for PUT asks for the serializer of the update.
        return UsulanWriteSerializer if self.action == "update" else UsulanSerializer

    def _answer(self, request, assessment) -> Response:
        kecamatan, desa = usulan_of(assessment)
        data = {
            "category": assessment.category,
            "categories": list(assessment.cycle.tier_rules.order_by("rank").values_list("tier", flat=True)),
            "kecamatan": sorted(kecamatan),
            "desa": sorted(desa),
            "kecamatan_coverage": kecamatan_coverage(assessment),
            "can_edit": is_bappeda_admin_of(request.user, assessment.kabupaten_id),
        }
        return Response(UsulanSerializer(data).data)

    @extend_schema(
        summary="The category registered for and the kecamatan and desa/kelurahan proposed (usulan)",
        description=(
            "With an usulan, the ODF share, the kelembagaan scores and the dossier count the proposed "
            "regions only; older cycles tier by the share of kecamatan proposed."
        ),
        responses={200: UsulanSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def retrieve(self, request, pk=None):
        return self._answer(request, self.get_object())

    @extend_schema(
        summary="Set the category and the usulan (Bappeda admin of the kabupaten/kota)",
        description=(
            "Calls `assessment_usulan_update`, as the page does: the category is one of the cycle's "
            "tiers (or empty), each kecamatan one of the kabupaten/kota's, each desa/kelurahan in a "
            "proposed kecamatan; all of it replaces what was proposed. Readers who are not the "
            "Bappeda admin get 404."
        ),
        request=UsulanWriteSerializer,
        responses={200: UsulanSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def update(self, request, pk=None):
        assessment = self.get_object()
        require_kabupaten_admin(request.user, assessment.kabupaten_id)  # the service's rule, before the data is judged
        params = UsulanWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        assessment_usulan_update(assessment=assessment, actor=request.user, **params.validated_data)
        return self._answer(request, assessment)


def _local_entries(assessment):
    return local_entries_of(assessment).prefetch_related(
        Prefetch("indicator__scale_options", queryset=ScaleOption.objects.order_by("order"))
    )


class LocalIndicatorViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/local-indicators/` and `…/local-indicators/<indicator id>/`: the
    # kabupaten/kota's local indicators in this assessment, filled in beside the official ones.

    serializer_class = LocalIndicatorSerializer

    @extend_schema(
        summary="The kabupaten/kota's local indicators in this assessment",
        description="Local indicators are filled in beside the official ones but never count in the tiers.",
        responses={200: LocalIndicatorSerializer(many=True), 404: NOT_FOUND},
        tags=["assessments"],
    )
    def list(self, request, pk=None):
        return Response(LocalIndicatorSerializer(_local_entries(self.get_object()), many=True).data)

    @extend_schema(
        summary="Add a local indicator (Bappeda admin of the kabupaten/kota)",
        description=(
            "Calls `local_indicator_add`: the indicator joins the kabupaten/kota's catalogue for the "
            "cycle and gets its entry here. Readers who are not the Bappeda admin get 404."
        ),
        request=LocalIndicatorWriteSerializer,
        responses={201: LocalIndicatorSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, pk=None):
        assessment = self.get_object()
        require_kabupaten_admin(request.user, assessment.kabupaten_id)
        params = LocalIndicatorWriteSerializer(
            data=request.data, context={**self.get_serializer_context(), "assessment": assessment}
        )
        params.is_valid(raise_exception=True)
        entry = local_indicator_add(assessment=assessment, actor=request.user, **params.validated_data)
        entry = _local_entries(assessment).get(pk=entry.pk)
        return Response(LocalIndicatorSerializer(entry).data, status=status.HTTP_201_CREATED)

    def _entry(self, indicator_pk):
        assessment = self.get_object()
        entry = _local_entries(assessment).filter(indicator_id=indicator_pk).first()
        if entry is None:
            raise Http404
        return assessment, entry

    @extend_schema(
        summary="One local indicator of the assessment",
        responses={200: LocalIndicatorSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def retrieve(self, request, pk=None, indicator_pk=None):
        _assessment, entry = self._entry(indicator_pk)
        return Response(LocalIndicatorSerializer(entry).data)

    @extend_schema(
        summary="Change a local indicator (Bappeda admin)",
        description=(
            "Calls `tatanan.services.local_indicator_update` with the fields sent; a new scale "
            "replaces the old one only while no entry is scored with it."
        ),
        request=LocalIndicatorWriteSerializer,
        responses={200: LocalIndicatorSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def partial_update(self, request, pk=None, indicator_pk=None):
        assessment, entry = self._entry(indicator_pk)
        require_kabupaten_admin(request.user, assessment.kabupaten_id)
        params = LocalIndicatorWriteSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        local_indicator_update(indicator=entry.indicator, actor=request.user, **params.validated_data)
        return Response(LocalIndicatorSerializer(_local_entries(assessment).get(pk=entry.pk)).data)

    @extend_schema(
        summary="Remove a local indicator (Bappeda admin)",
        description="Calls `local_indicator_remove`: refused (400) while its entry holds data.",
        responses={204: None, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def destroy(self, request, pk=None, indicator_pk=None):
        assessment, entry = self._entry(indicator_pk)
        local_indicator_remove(assessment=assessment, actor=request.user, indicator=entry.indicator)
        return Response(status=status.HTTP_204_NO_CONTENT)


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

    def _params(self, request, assessment, **kwargs) -> dict:
        """The body, its tatanan and desa codes made objects by the serializer; judged only for the
        Bappeda admin (the services' rule, checked first: 404 for anyone else)."""
        if assessment is not None:
            require_kabupaten_admin(request.user, assessment.kabupaten_id)
        context = {**self.get_serializer_context(), "assessment": assessment}
        params = TitikPantauWriteSerializer(data=request.data, context=context, **kwargs)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    @extend_schema(
        summary="Add a titik pantau (Bappeda admin of the kabupaten/kota)",
        description="Calls `titik_pantau_create`. Anybody but the Bappeda admin gets 404.",
        request=TitikPantauWriteSerializer,
        responses={201: TitikPantauSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, *args, **kwargs):
        assessment = assessment_named_in(request)
        fields = self._params(request, assessment)
        if assessment is None or fields.pop("assessment") != assessment.pk:
            raise Http404  # an id the URL rule refuses but the integer field took ("1.0")
        point = titik_pantau_create(assessment=assessment, actor=request.user, **fields)
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
        fields = self._params(request, point.assessment, partial=True)
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
