"""Serializers of the evidence API: activities, evidence files, upload results and readiness.

Write serializers check the shape of the data; the rules (who may, which values) are the
services' (``evidence.services``, ``evidence.uploads``). Readiness comes from
``evidence.completeness`` as plain data (``*_data`` functions below); the serializer classes
beside them describe its shape for the OpenAPI schema.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forums.models import Body, WorkPlanItem
from forums.selectors import bodies_visible_to
from kks_portal.lib.api_schema import ApiErrorDetailSerializer
from kks_portal.lib.query_filters import MAX_YEAR, MIN_YEAR
from kks_portal.lib.scoped_fields import ScopedPrimaryKeyRelatedField
from tatanan.models import Indicator
from tatanan.selectors import indicators_in_scope_of

from .completeness import activity_missing_kinds
from .models import Activity, EvidenceFile
from .services import activity_indicator_choices, activity_tatanan_choices, activity_work_plan_item_choices

# --- Activities -----------------------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    region = serializers.CharField(source="body.region_id", read_only=True, help_text="Code of the body's region.")
    tatanan = serializers.SerializerMethodField(help_text="Ids of the tatanan the activity supports.")
    tatanan_codes = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField(help_text="Ids of the indicators the activity supports.")
    is_complete = serializers.SerializerMethodField(
        help_text="Has at least one live undangan, daftar hadir, notulen and foto."
    )
    missing_kinds = serializers.SerializerMethodField(help_text="Required kinds without a live file.")

    class Meta:
        model = Activity
        fields = [
            "id",
            "body",
            "body_name",
            "region",
            "title",
            "date",
            "place",
            "tatanan",
            "tatanan_codes",
            "indicators",
            "work_plan_item",
            "participants",
            "participant_count",
            "result",
            "realised_budget",
            "is_complete",
            "missing_kinds",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_tatanan(self, activity) -> list[int]:
        return sorted(t.pk for t in activity.tatanan.all())

    def get_tatanan_codes(self, activity) -> list[str]:
        return [t.code for t in sorted(activity.tatanan.all(), key=lambda t: t.number)]

    def get_indicators(self, activity) -> list[int]:
        return sorted(i.pk for i in activity.indicators.all())

    def get_missing_kinds(self, activity) -> list[str]:
        return activity_missing_kinds(activity)

    def get_is_complete(self, activity) -> bool:
        return not activity_missing_kinds(activity)


def _activity_body(serializer) -> Body | None:
    """The body the activity is written into: the view finds it (404 outside the caller's
    reach) and passes it in the context before the other fields are judged against it."""
    return serializer.context.get("body")


def _body_indicators(user, serializer):
    body = _activity_body(serializer)
    if body is None:
        return Indicator.objects.none()
    return activity_indicator_choices(body).filter(pk__in=indicators_in_scope_of(user).values("pk"))


def _body_work_plan_items(user, serializer):
    body = _activity_body(serializer)
    return activity_work_plan_item_choices(body) if body is not None else WorkPlanItem.objects.none()


class ActivityWriteSerializer(serializers.Serializer):
    """Fields of an activity; on PATCH only those sent change. The view passes the activity's
    body in the context (``body``): indicators and work-plan items are those of that body."""

    body = ScopedPrimaryKeyRelatedField(
        model=Body,
        scope=lambda user, serializer: bodies_visible_to(user),
        help_text="Id of the body (on create only; its editors record).",
    )
    title = serializers.CharField(max_length=300)
    date = serializers.DateField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    tatanan = serializers.PrimaryKeyRelatedField(
        queryset=activity_tatanan_choices(),
        many=True,
        required=False,
        error_messages={"does_not_exist": _("Pilih tatanan dari daftar tatanan yang berlaku.")},
    )
    indicators = ScopedPrimaryKeyRelatedField(model=Indicator, scope=_body_indicators, many=True, required=False)
    work_plan_item = ScopedPrimaryKeyRelatedField(
        model=WorkPlanItem, scope=_body_work_plan_items, required=False, allow_null=True
    )
    participants = serializers.CharField(required=False, allow_blank=True)
    participant_count = serializers.IntegerField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
    realised_budget = serializers.DecimalField(max_digits=17, decimal_places=2, required=False)


class ActivityCompletenessSerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    missing_kinds = serializers.ListField(child=serializers.CharField())
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Live files per required kind.")


# --- Files --------------------------------------------------------------------------------------------


def download_url(evidence: EvidenceFile) -> str:
    try:
        return reverse("evidence:file_download", args=[evidence.pk])
    except NoReverseMatch:  # downloads are routed by their own module
        return ""


KIND_HELP = "One of: " + ", ".join(EvidenceFile.Kind.values)


class EvidenceFileSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    file_type = serializers.CharField(source="blob.file_type", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    # From the photo's EXIF: null for documents and for photos without a date or position.
    taken_at = serializers.DateTimeField(source="blob.taken_at", read_only=True, allow_null=True)
    latitude = serializers.DecimalField(
        source="blob.latitude", max_digits=9, decimal_places=6, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        source="blob.longitude", max_digits=9, decimal_places=6, read_only=True, allow_null=True
    )
    uploaded_by = serializers.SerializerMethodField()
    is_current = serializers.BooleanField(read_only=True)
    download_url = serializers.SerializerMethodField(help_text="The scoped download (evidence:file_download).")
    flag_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "kind",
            "title",
            "original_name",
            "file_type",
            "size",
            "sha256",
            "region",
            "activity",
            "body",
            "requirement",
            "assessment",
            "data_year",
            "titik_pantau",
            "pembinaan_visit",
            "flags",
            "flag_labels",
            "taken_at",
            "latitude",
            "longitude",
            "uploaded_at",
            "uploaded_by",
            "deleted_at",
            "replaced_by",
            "replaced_at",
            "is_current",
            "download_url",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, evidence) -> str | None:
        user = evidence.uploaded_by
        return (user.get_full_name() or user.username) if user is not None else None

    def get_download_url(self, evidence) -> str:
        return download_url(evidence)


class UploadSerializer(serializers.Serializer):
    """The multipart form of an upload (documented; the view reads the streamed files itself)."""

    file = serializers.ListField(
        child=serializers.FileField(), help_text="One or more files: repeat the field for each file."
    )
    kind = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        help_text=KIND_HELP
        + " (each kind of owner takes some of them). Once for every file, or repeated once per file in the"
        " order of the files: then a file whose own kind is missing or not taken is refused on its own"
        " (code bad_kind).",
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Longer is refused (never cut); empty with replaces keeps the replaced file's title.",
    )
    replaces = serializers.IntegerField(
        required=False, help_text="Id of a current file of the same owner that the (single) new file replaces."
    )


class UploadResultSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file name as sent (made printable).")
    status = serializers.CharField(help_text="stored, duplicate, already or refused.")
    file = EvidenceFileSerializer(
        required=False,
        help_text="The new attachment (stored or duplicate), or the one already attached (already).",
    )
    duplicate_of = serializers.DictField(
        required=False, help_text="The earlier attachment of the same bytes in the kabupaten (id, owner)."
    )
    code = serializers.CharField(required=False, help_text="Why it was refused: too_large, bad_type, bad_name …")
    message = serializers.CharField(required=False)


class UploadResponseSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    already = serializers.IntegerField(help_text="Files already attached to this owner: not linked again.")
    refused = serializers.IntegerField()
    results = UploadResultSerializer(many=True)


class UploadRefusedSerializer(serializers.Serializer):
    """An upload's 400: the one error shape; when every file was refused (code upload_refused), also
    the counts and one result per file, as in a success."""

    error = ApiErrorDetailSerializer()
    stored = serializers.IntegerField(required=False)
    duplicates = serializers.IntegerField(required=False)
    already = serializers.IntegerField(required=False)
    refused = serializers.IntegerField(required=False)
    results = UploadResultSerializer(many=True, required=False)


# --- Readiness ----------------------------------------------------------------------------------


class TallySerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.IntegerField()
    complete = serializers.IntegerField()


class BodyReadinessSerializer(serializers.Serializer):
    body = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    ready = serializers.BooleanField()
    activities = TallySerializer()
    per_year = YearCountSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())


class DesaReadinessSerializer(serializers.Serializer):
    region = serializers.CharField()
    name = serializers.CharField()
    ready = serializers.BooleanField()
    pokja = BodyReadinessSerializer(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())


class KecamatanReadinessSerializer(serializers.Serializer):
    region = serializers.CharField()
    name = serializers.CharField()
    ready = serializers.BooleanField()
    forum = BodyReadinessSerializer(allow_null=True)
    tim_pembina = BodyReadinessSerializer(allow_null=True)
    pokja = TallySerializer()
    activities = TallySerializer()
    missing = serializers.ListField(child=serializers.CharField())
    desa = DesaReadinessSerializer(many=True, required=False, help_text="Only in the kecamatan's own endpoint.")


class MissingCellSerializer(serializers.Serializer):
    requirement = serializers.IntegerField()
    description = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    have = serializers.IntegerField()
    need = serializers.IntegerField()


class IndicatorReadinessSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    indicator = serializers.IntegerField()
    tatanan = serializers.CharField()
    number = serializers.CharField()
    assigned_opd = serializers.IntegerField(allow_null=True)
    complete = serializers.BooleanField()
    missing = MissingCellSerializer(many=True)


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Tatanan code, or OPD id ('' for indicators assigned to no OPD).")
    label = serializers.CharField()
    indicators = TallySerializer()


class AssessmentReadinessSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    kabupaten = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    bodies = TallySerializer(help_text="Community bodies ready of those expected.")
    forums_kecamatan = TallySerializer()
    pokja = TallySerializer()
    activities = TallySerializer()
    forum_kabkota = BodyReadinessSerializer(allow_null=True)
    tim_pembina_kabkota = BodyReadinessSerializer(allow_null=True)
    kecamatan = KecamatanReadinessSerializer(many=True)
    indicators = TallySerializer()
    kelembagaan = TallySerializer(allow_null=True)
    per_tatanan = GroupSerializer(many=True)
    per_opd = GroupSerializer(many=True)
    incomplete_indicators = IndicatorReadinessSerializer(many=True)


def tally_data(tally) -> dict:
    return {"done": tally.done, "total": tally.total, "percent": tally.percent}


def body_readiness_data(state) -> dict | None:
    if state is None:
        return None
    return {
        "body": state.body.pk,
        "name": state.body.name,
        "kind": state.body.kind,
        "region": state.body.region_id,
        "years": state.years,
        "ready": state.ready,
        "activities": {"done": state.complete, "total": state.total, "percent": None},
        "per_year": [{"year": y.year, "total": y.total, "complete": y.complete} for y in state.per_year],
        "missing": [str(text) for text in state.missing],
    }


def kecamatan_data(row, *, with_desa: bool = False) -> dict:
    data = {
        "region": row.region.code,
        "name": row.region.name,
        "ready": row.ready,
        "forum": body_readiness_data(row.forum),
        "tim_pembina": body_readiness_data(row.tim_pembina),
        "pokja": tally_data(row.pokja),
        "activities": tally_data(row.activities),
        "missing": [str(text) for text in row.missing],
    }
    if with_desa:
        data["desa"] = [
            {
                "region": desa.region.code,
                "name": desa.region.name,
                "ready": desa.ready,
                "pokja": body_readiness_data(desa.pokja),
                "missing": [str(text) for text in desa.missing],
            }
            for desa in row.desa
        ]
    return data


def indicator_data(item) -> dict:
    return {
        "entry": item.entry.pk,
        "indicator": item.indicator.pk,
        "tatanan": item.indicator.tatanan.code,
        "number": item.indicator.number,
        "assigned_opd": item.entry.assigned_opd_id,
        "complete": item.complete,
        "missing": [
            {
                "requirement": cell.requirement.pk,
                "description": cell.requirement.description,
                "year": cell.year,
                "have": cell.have,
                "need": cell.need,
            }
            for cell in item.missing
        ],
    }


def assessment_readiness_data(assessment, bodies, evidence, *, opd_only: bool) -> dict:
    return {
        "assessment": assessment.pk,
        "kabupaten": assessment.kabupaten_id,
        "years": bodies.years,
        "bodies": tally_data(bodies.bodies),
        "forums_kecamatan": tally_data(bodies.forums_kecamatan),
        "pokja": tally_data(bodies.pokja),
        "activities": tally_data(bodies.activities),
        "forum_kabkota": body_readiness_data(bodies.forum),
        "tim_pembina_kabkota": body_readiness_data(bodies.tim_pembina),
        "kecamatan": [kecamatan_data(row) for row in bodies.kecamatan],
        "indicators": tally_data(evidence.tally),
        "kelembagaan": None if opd_only else tally_data(evidence.kelembagaan_tally),
        "per_tatanan": [
            {"key": g.key, "label": g.label, "indicators": tally_data(g.tally)} for g in evidence.per_tatanan
        ],
        "per_opd": [{"key": g.key, "label": str(g.label), "indicators": tally_data(g.tally)} for g in evidence.per_opd],
        "incomplete_indicators": [indicator_data(item) for item in evidence.indicators if not item.complete],
    }


class FilesQuerySerializer(serializers.Serializer):
    """Query parameters of the file lists of one owner (``GET …/files/``)."""

    all = serializers.BooleanField(required=False, default=False, help_text="true: removed and replaced files too.")


class BodyReadinessQuerySerializer(serializers.Serializer):
    """Query parameters of ``GET /api/bodies/{id}/readiness/``."""

    cycle = serializers.IntegerField(
        required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="Award year; default the newest cycle."
    )
