from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField
from rest_framework.utils.formatting import lazy_format

from accounts.models import Opd
from accounts.selectors import opds_visible_to
from accounts.serializers import OpdRefSerializer, RegionRefSerializer
from kks_portal.lib.scoped_fields import ScopedPrimaryKeyRelatedField
from regions.selectors import region_list
from tatanan.models import ScaleOption, Tatanan, TierRule
from tatanan.selectors import cycles_visible_to, is_selectable, retired_option_message, selectable_options
from tatanan.serializers import TatananRefSerializer

from .models import Assessment, DataRequest, IndicatorEntry, Innovation, KelembagaanEntry, TitikPantau
from .scoring import LAYERS
from .selectors import can_edit_entry
from .services import ADMIN_ONLY_ENTRY_FIELDS, ENTRY_FIELDS


def _percent(**kwargs):
    # Percentages go out as JSON numbers (71.5), not strings: they are read, never summed to the cent.
    return serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, **kwargs)


# --- Tatanan named by their codes ----------------------------------------------------------------

UNKNOWN_TATANAN = _("Tatanan tidak dikenal dalam siklus ini: %(codes)s")
NOT_ASSESSED = _("Pilih salah satu tatanan yang dinilai dalam penilaian ini.")


def assessed_tatanan(serializer):
    """The tatanan assessed in the assessment of the serializer's context (none without one)."""
    assessment = serializer.context.get("assessment")
    return assessment.tatanan.all() if assessment is not None else Tatanan.objects.none()


def cycle_tatanan(serializer):
    """Every tatanan of the cycle of the assessment of the serializer's context (none without one)."""
    assessment = serializer.context.get("assessment")
    if assessment is None:
        return Tatanan.objects.none()
    return Tatanan.objects.filter(tatanan_set=assessment.cycle.tatanan_set_id)


def _tatanan_of_codes(queryset, codes, message) -> list:
    """The tatanan of ``queryset`` with these codes (case and surrounding spaces ignored), in their
    order; a ``ValidationError`` naming every code not among them."""
    codes = {code.strip().upper() for code in codes}
    tatanan = list(queryset.filter(code__in=codes).order_by("number"))
    unknown = codes - {t.code for t in tatanan}
    if unknown:
        raise serializers.ValidationError(message % {"codes": ", ".join(sorted(unknown))})
    return tatanan


class _TatananCodesField(ManyRelatedField):
    """``TatananCodeField(many=True)``: a list of codes, every unknown one named in one message."""

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        child = self.child_relation
        for code in data:
            if not isinstance(code, str):
                child.fail("invalid")
            serializers.Field.run_validators(child, code)
        return _tatanan_of_codes(child.get_queryset(), data, child.message)


@extend_schema_field(OpenApiTypes.STR)  # and maxLength, from the validator
class TatananCodeField(serializers.SlugRelatedField):
    """A tatanan named by its code (``PSR``; case and surrounding spaces ignored), turned into the
    object by the serializer, among the tatanan ``scope(serializer)`` allows (``assessed_tatanan``,
    ``cycle_tatanan``): a code outside them is refused with ``message`` (``%(codes)s`` names it).
    With ``many=True`` a list of codes, every unknown code named in one message."""

    default_error_messages = {"blank": serializers.CharField.default_error_messages["blank"]}

    def __init__(self, *, scope, message=UNKNOWN_TATANAN, **kwargs):
        self.scope = scope
        self.message = message
        if not kwargs.get("read_only"):
            kwargs["queryset"] = Tatanan.objects.none()
        # The validators judge the code, before it is looked up (``to_internal_value``).
        max_length = Tatanan._meta.get_field("code").max_length
        message_too_long = lazy_format(
            serializers.CharField.default_error_messages["max_length"], max_length=max_length
        )
        # NUL first: PostgreSQL refuses it in a query, so it must never reach the lookup.
        kwargs["validators"] = [
            ProhibitNullCharactersValidator(),
            MaxLengthValidator(max_length, message=message_too_long),
        ]
        super().__init__(slug_field="code", **kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": _TatananCodeItem(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return _TatananCodesField(**list_kwargs)

    def get_queryset(self):
        return self.scope(self.root)

    def run_validation(self, data=empty):
        if isinstance(data, str):
            data = data.strip()
            if not data and not self.allow_null:
                self.fail("blank")
        return super().run_validation(data)  # "" is None to a related field

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        super().run_validators(data)
        return _tatanan_of_codes(self.get_queryset(), [data], self.message)[0]

    def run_validators(self, value):
        pass  # ``value`` is the tatanan: the validators judged its code


@extend_schema_field({"type": "string", "maxLength": 10})  # an item of the list has no validators in the schema
class _TatananCodeItem(TatananCodeField):
    pass


class ScoreOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleOption
        fields = ["id", "value", "description", "retired"]
        extra_kwargs = {
            "retired": {"help_text": "No longer in the instrument: kept for the scores that hold it, not a new choice."}
        }
        read_only_fields = fields


# --- Assessments ------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    kabupaten = RegionRefSerializer(read_only=True)
    cycle = serializers.IntegerField(source="cycle.award_year", read_only=True, help_text="Award year of the cycle.")
    tatanan = TatananRefSerializer(many=True, read_only=True, help_text="The tatanan assessed.")
    category = serializers.CharField(
        read_only=True, help_text="The category (tier) registered for: padapa, wiwerda, …; empty when none."
    )
    proposed_kecamatan = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text="Kemendagri codes of the kecamatan proposed (usulan); older cycles tier by their share.",
    )
    proposed_desa = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text="Kemendagri codes of the desa/kelurahan proposed in those kecamatan; empty: all of their desa.",
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "kabupaten",
            "cycle",
            "tatanan",
            "category",
            "proposed_kecamatan",
            "proposed_desa",
            "created_at",
        ]
        read_only_fields = fields


class EntryCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    kosong = serializers.IntegerField()
    draf = serializers.IntegerField()
    selesai = serializers.IntegerField()
    self_scored = serializers.IntegerField(help_text="Entries with a self score.")
    unassigned = serializers.IntegerField(help_text="Entries assigned to no OPD.")


class KelembagaanCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    self_scored = serializers.IntegerField()


class AssessmentSummarySerializer(serializers.Serializer):
    entries = EntryCountsSerializer()
    kelembagaan = KelembagaanCountsSerializer()
    odf_percent = _percent(allow_null=True, help_text="Desa/kelurahan declared ODF; null when none reported.")
    titik_pantau = serializers.IntegerField(help_text="Monitoring points recorded.")


class AssessmentDetailSerializer(AssessmentSerializer):
    summary = AssessmentSummarySerializer(read_only=True)
    can_administer = serializers.BooleanField(
        read_only=True, help_text="Whether the caller is the Bappeda admin of this kabupaten/kota (or superuser)."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "summary", "can_administer"]
        read_only_fields = fields


class AssessmentOpenSerializer(serializers.Serializer):
    """What ``POST /api/assessments/`` takes; the service ``assessment_open`` does the rest."""

    # The codes become objects here: ``kabupaten`` a region, ``cycle`` a cycle the caller sees
    # (the ``request`` of the context), ``tatanan`` tatanan of the cycle's set.

    kabupaten = serializers.CharField(max_length=13, help_text="Kemendagri code of the kabupaten/kota, e.g. 36.04.")
    cycle = serializers.IntegerField(help_text="Award year of the cycle, e.g. 2025.")
    tatanan = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        default=list,
        help_text="Codes of the chosen tatanan, for cycles where the kabupaten chooses; "
        "ignored when every tatanan is compulsory.",
    )
    category = serializers.ChoiceField(
        choices=TierRule.Tier.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="The category (tier) registered for; one of the cycle's tiers (the service checks which).",
    )

    def validate_kabupaten(self, code):
        kabupaten = region_list().filter(code=code).first()
        if kabupaten is None:
            raise serializers.ValidationError(_("Kode wilayah tidak dikenal."))
        return kabupaten

    def validate_cycle(self, award_year):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        cycle = cycles_visible_to(user).filter(award_year=award_year).first() if user is not None else None
        if cycle is None:
            raise serializers.ValidationError(_("Siklus penilaian tidak dikenal."))
        return cycle

    def validate(self, attrs):
        # The tatanan are those of the cycle's set: known only once the cycle is.
        tatanan = Tatanan.objects.filter(tatanan_set=attrs["cycle"].tatanan_set_id)
        try:
            attrs["tatanan"] = _tatanan_of_codes(tatanan, attrs["tatanan"], UNKNOWN_TATANAN)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"tatanan": error.detail}) from None
        return attrs


# --- Scores -------------------------------------------------------------------------------------


class ScoreQuerySerializer(serializers.Serializer):
    layer = serializers.ChoiceField(
        choices=list(LAYERS), default="self", help_text="Whose scores: self, provincial or national."
    )


class TatananScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    percent = _percent()
    indicator_count = serializers.IntegerField()
    scored_count = serializers.IntegerField()


class TierOutcomeSerializer(serializers.Serializer):
    tier = serializers.CharField()
    label = serializers.CharField()
    rank = serializers.IntegerField()
    reached = serializers.BooleanField()
    failures = serializers.ListField(child=serializers.CharField(), help_text="Conditions not met, worded for people.")


class ImprovementSerializer(serializers.Serializer):
    indicator_id = serializers.IntegerField()
    tatanan_code = serializers.CharField()
    label = serializers.CharField()
    from_value = serializers.IntegerField(allow_null=True)
    to_value = serializers.IntegerField()


class WhatIfSerializer(serializers.Serializer):
    target_tier = serializers.CharField()
    target_label = serializers.CharField()
    improvements = ImprovementSerializer(many=True)
    reaches_score = serializers.BooleanField(
        help_text="False when even every indicator at its top value does not meet the score condition."
    )


class AssessmentScoreSerializer(serializers.Serializer):
    """``indicators.scoring.AssessmentScore`` as JSON."""

    layer = serializers.ChoiceField(choices=list(LAYERS))
    tatanan = TatananScoreSerializer(many=True, help_text="Per tatanan: Σ(value × weight) / (100 × Σ weight) %.")
    overall = _percent(allow_null=True, help_text="Plain average of the tatanan %.")
    minimum = _percent(allow_null=True, help_text="The lowest tatanan %.")
    odf = _percent(allow_null=True, help_text="Desa/kelurahan declared ODF (%); null when none reported.")
    kelembagaan_met = serializers.BooleanField(help_text="Every kelembagaan item at its top option.")
    kelembagaan_missing = serializers.IntegerField(help_text="Kelembagaan items short of their top option.")
    tier = serializers.CharField(allow_null=True, help_text="The predicted award tier; null when none is reached.")
    tier_label = serializers.CharField(allow_null=True)
    outcomes = TierOutcomeSerializer(many=True, help_text="Every tier rule, highest first, with what fails.")
    failed_outcomes = TierOutcomeSerializer(many=True, help_text="The tiers not reached (outcomes with failures).")
    what_if = WhatIfSerializer(
        allow_null=True, help_text="Improvements that meet the score condition of the next tier up, if any."
    )
    reported_both_years = serializers.BooleanField(
        help_text="Every official entry has data for both data years (a condition of every tier)."
    )
    missing_year1 = serializers.IntegerField(help_text="Official entries without data for the first data year.")
    missing_year2 = serializers.IntegerField(help_text="Official entries without data for the second data year.")


class _RefusesOtherKeys:
    """Refuse keys the serializer does not take (400) instead of silently dropping them."""

    def validate(self, attrs):
        unknown = set(getattr(self, "initial_data", {}) or {}) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Kolom ini tidak dapat diubah di sini.")] for name in sorted(unknown)}
            )
        return attrs


class WorkbookUploadSerializer(serializers.Serializer):
    """Documents the upload; the checks are the web form's (``AssessmentImportForm``)."""

    file = serializers.FileField(help_text="A filled self-assessment workbook (.xlsx, at most 20 MB).")
    dry_run = serializers.BooleanField(default=False, help_text="true: check the file without saving anything.")


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    valid = serializers.IntegerField(help_text="Read but not saved (dry run, or another row failed).")
    skipped = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportRowSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    first_row = serializers.IntegerField()
    last_row = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    subject = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """``tatanan.importer.ImportReport`` of a self-assessment import, as JSON."""

    filename = serializers.CharField()
    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField(help_text="Whether anything was saved (all-or-nothing).")
    ok = serializers.BooleanField(help_text="No problem and no unreadable row.")
    summary = serializers.CharField()
    counts = ImportCountsSerializer()
    problems = serializers.ListField(child=serializers.CharField(), help_text="What blocked the import.")
    notes = serializers.ListField(child=serializers.CharField())
    rows = ImportRowSerializer(many=True, help_text="Row by row: what was (or would be) done.")


# --- Entries ------------------------------------------------------------------------------------


class IndicatorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    tatanan = TatananRefSerializer()
    is_local = serializers.BooleanField()


class EntrySerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    indicator = IndicatorRefSerializer(read_only=True)
    self_score = ScoreOptionSerializer(read_only=True, allow_null=True)
    provincial_score = ScoreOptionSerializer(read_only=True, allow_null=True)
    national_score = ScoreOptionSerializer(read_only=True, allow_null=True)
    assigned_opd = OpdRefSerializer(read_only=True, allow_null=True)
    value_year1_number = serializers.DecimalField(
        max_digits=14, decimal_places=4, coerce_to_string=False, read_only=True, allow_null=True
    )
    value_year2_number = serializers.DecimalField(
        max_digits=14, decimal_places=4, coerce_to_string=False, read_only=True, allow_null=True
    )
    can_edit = serializers.SerializerMethodField(help_text="Whether the caller may PATCH this entry.")

    class Meta:
        model = IndicatorEntry
        fields = [
            "id",
            "assessment",
            "indicator",
            "value_year1",
            "value_year1_number",
            "value_year2",
            "value_year2_number",
            "target",
            "explanation",
            "evidence_link",
            "self_score",
            "status",
            "assigned_opd",
            "provincial_score",
            "provincial_note",
            "national_score",
            "national_note",
            "updated_at",
            "can_edit",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_edit(self, entry) -> bool:
        return can_edit_entry(self.context["request"].user, entry)


class EntryUpdateSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``PATCH /api/entries/<id>/`` takes. Only the fields sent are changed.

    The fields are those the service ``indicator_entry_update`` accepts (its ``ENTRY_FIELDS``),
    plus the evidence link, which is saved with the entry under the same access rule (as the
    Excel import does while the service does not list it); the verifiers' scores and notes are
    not among them. Any other key is refused (400) rather
    than silently dropped. ``self_score`` names the option by id, ``self_score_value`` by its
    value (one of the two); ``assigned_opd`` is for the Bappeda admin only (the service says so).
    The view passes the entry in the context (``entry``): the options are its indicator's, the
    OPDs those of its kabupaten the caller sees.
    """

    value_year1 = serializers.CharField(max_length=500, allow_blank=True, required=False)
    value_year2 = serializers.CharField(max_length=500, allow_blank=True, required=False)
    target = serializers.CharField(max_length=500, allow_blank=True, required=False)
    explanation = serializers.CharField(allow_blank=True, required=False)
    evidence_link = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="An http(s) link to the evidence outside the portal (as in the instrument's column).",
    )
    self_score = ScopedPrimaryKeyRelatedField(
        model=ScaleOption,
        scope=lambda user, serializer: serializer.context["entry"].indicator.scale_options.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": _("Nilai harus salah satu opsi skala indikator ini.")},
        help_text=(
            "Id of one of the indicator's scale options; null clears it. An option no longer in the "
            "instrument (`retired`) only when it is the entry's score already."
        ),
    )
    self_score_value = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=0,
        max_value=100,
        help_text="The value of one of the indicator's scale options (e.g. 75), instead of its id; null clears it.",
    )
    status = serializers.ChoiceField(choices=IndicatorEntry.Status.choices, required=False)
    assigned_opd = ScopedPrimaryKeyRelatedField(
        model=Opd,
        scope=lambda user, serializer: opds_visible_to(user).filter(
            kabupaten_id=serializer.context["entry"].assessment.kabupaten_id
        ),
        allow_null=True,
        required=False,
        help_text="Id of an OPD of the kabupaten/kota; null unassigns. Bappeda only.",
    )

    def get_fields(self):
        # The service's list is the one rule of what a kabupaten edits; the API offers exactly that.
        # The evidence link is saved beside the service's fields, as the Excel import does (see the view).
        accepted = ENTRY_FIELDS | ADMIN_ONLY_ENTRY_FIELDS | {"evidence_link"}
        if "self_score" in accepted:
            accepted = accepted | {"self_score_value"}
        return {name: field for name, field in super().get_fields().items() if name in accepted}

    def validate_self_score(self, option):
        # A retired option only for the entry that holds it (tatanan.selectors.is_selectable).
        if option is not None and not is_selectable(option, self.context["entry"].self_score_id):
            raise serializers.ValidationError(retired_option_message(option))
        return option

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "self_score" in attrs and "self_score_value" in attrs:
            raise serializers.ValidationError(
                {"self_score_value": [_("Kirim self_score atau self_score_value, tidak keduanya.")]}
            )
        if not attrs:
            raise serializers.ValidationError({"non_field_errors": [_("Tidak ada kolom yang diubah.")]})
        return attrs


# --- Titik pantau and data requests ---------------------------------------------------------------


class TitikPantauSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    tatanan = TatananRefSerializer(read_only=True)
    # A plain string, not an enum: the regions' "kind" already names an enum in the schema.
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(TitikPantau.Kind.values) + ".")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    desa = RegionRefSerializer(read_only=True, allow_null=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )

    class Meta:
        model = TitikPantau
        fields = [
            "id",
            "assessment",
            "tatanan",
            "name",
            "kind",
            "kind_label",
            "desa",
            "address",
            "latitude",
            "longitude",
            "description",
            "created_at",
        ]
        read_only_fields = fields


class OutstandingItemSerializer(serializers.Serializer):
    """One thing a data request still waits for (``indicators.requests.selectors.Outstanding``)."""

    text = serializers.CharField(help_text="What is still missing, in words (Indonesian).")
    url = serializers.CharField(help_text="Path of the web page where it is filled in; empty when there is none.")
    count = serializers.IntegerField(help_text='How many it stands for ("2 titik pantau lagi" counts 2).')


class DataRequestSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    # A plain string, not an enum: the regions' "kind" already names an enum in the schema.
    kind = serializers.CharField(
        read_only=True,
        help_text="What is asked: isian (entries), titik_pantau, kelembagaan (documents of a Forum/Pokja).",
    )
    opd = OpdRefSerializer(read_only=True, allow_null=True, help_text="The OPD asked (entries, titik pantau).")
    region = serializers.CharField(
        source="region_id",
        read_only=True,
        allow_null=True,
        help_text="Code of the region whose Forum/Pokja secretary is asked (kelembagaan documents).",
    )
    tatanan = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Titik pantau: the tatanan asked."
    )
    point_kinds = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Titik pantau: the kinds asked (empty: every kind)."
    )
    documents = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Kelembagaan: the documents asked, of " + ", ".join(DataRequest.Document.values) + ".",
    )
    # Set by the view from ``outstanding_of``: read from the data every time, never stored.
    outstanding = OutstandingItemSerializer(
        many=True,
        read_only=True,
        source="outstanding_items",
        help_text="What the request still waits for: entries not selesai, titik pantau missing or incomplete, "
        "kelembagaan documents not uploaded. Empty: nothing.",
    )
    outstanding_count = serializers.IntegerField(read_only=True, help_text="How many things are outstanding.")
    overdue = serializers.BooleanField(read_only=True, help_text="Past its deadline with something still outstanding.")

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "assessment",
            "kind",
            "opd",
            "region",
            "tatanan",
            "point_kinds",
            "points_min",
            "documents",
            "deadline",
            "message",
            "created_at",
            "last_reminded_at",
            "reminder_count",
            "outstanding",
            "outstanding_count",
            "overdue",
        ]
        read_only_fields = fields


class TitikPantauWriteSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``POST``/``PATCH /api/titik-pantau/`` take; the fieldwork services check the values
    (tatanan assessed, kind known, desa in the kabupaten/kota, coordinates in range and paired)."""

    assessment = serializers.IntegerField(help_text="Id of the assessment (on create only).")
    tatanan = TatananCodeField(
        scope=assessed_tatanan, message=NOT_ASSESSED, help_text="Code of one of the assessed tatanan, e.g. PSR."
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=20, help_text="One of: " + ", ".join(TitikPantau.Kind.values) + ".")
    desa = serializers.CharField(
        max_length=13, allow_blank=True, allow_null=True, required=False, help_text="Code of a desa/kelurahan."
    )
    address = serializers.CharField(max_length=300, allow_blank=True, required=False)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False)

    def get_fields(self):
        fields = super().get_fields()
        if self.partial:
            del fields["assessment"]  # a point stays with its assessment
        return fields

    def validate_desa(self, code):
        if not code:
            return None
        desa = region_list().filter(code=code.strip()).first()
        if desa is None:
            # Refused here: the service reads an unknown code as "no desa", which would drop it silently.
            raise serializers.ValidationError(_("Kode wilayah tidak dikenal."))
        return desa


def _request_opds(user, serializer):
    """The OPDs of the assessment's kabupaten (the view finds the assessment, 404 outside the
    caller's reach, and passes it in the context) that the caller sees."""
    assessment = serializer.context.get("assessment")
    if assessment is None:
        return Opd.objects.none()
    return opds_visible_to(user).filter(kabupaten_id=assessment.kabupaten_id)


def _request_entries(serializer):
    assessment = serializer.context.get("assessment")
    return assessment.indicator_entries.all() if assessment is not None else IndicatorEntry.objects.none()


class DataRequestAssignSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``POST /api/data-requests/`` takes: ask an OPD for the data of some entries by a deadline
    (the service ``data_request_assign``; again for the same OPD, it updates the request)."""

    assessment = serializers.IntegerField(help_text="Id of the assessment.")
    opd = ScopedPrimaryKeyRelatedField(
        model=Opd,
        scope=lambda user, serializer: _request_opds(user, serializer),
        help_text="Id of an OPD of the kabupaten/kota.",
    )
    entries = ScopedPrimaryKeyRelatedField(
        model=IndicatorEntry,
        scope=lambda user, serializer: _request_entries(serializer),
        many=True,
        allow_empty=False,
        help_text="Ids of the entries asked of the OPD.",
    )
    deadline = serializers.DateField(help_text="Today or later.")
    message = serializers.CharField(allow_blank=True, required=False, help_text="Kept as it was when left out.")
    replace = serializers.BooleanField(
        default=False, help_text="true: the OPD keeps exactly these entries; its others become unassigned."
    )


def regions_of_codes(codes) -> list:
    """The regions with these Kemendagri codes (surrounding spaces ignored), each once and in the
    order given; a ``ValidationError`` naming every code no region has. Which regions a write
    takes is the service's rule."""
    wanted = list(dict.fromkeys(code.strip() for code in codes))
    found = {region.code: region for region in region_list().filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise serializers.ValidationError(_("Kode wilayah tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)})
    return [found[code] for code in wanted]


def _region_code():
    return serializers.CharField(max_length=13)


class TitikPantauRequestSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``POST /api/data-requests/titik-pantau/`` takes: ask an OPD for the titik pantau of some
    tatanan by a deadline (the service ``data_request_titik_pantau``, which judges the values:
    the OPD of the kabupaten/kota, tatanan assessed, kinds known, the minimum, the deadline)."""

    assessment = serializers.IntegerField(help_text="Id of the assessment.")
    opd = ScopedPrimaryKeyRelatedField(
        model=Opd,
        scope=lambda user, serializer: _request_opds(user, serializer),
        help_text="Id of an OPD of the kabupaten/kota.",
    )
    tatanan = TatananCodeField(
        many=True, scope=cycle_tatanan, help_text='Codes of the tatanan asked, e.g. ["PSR"]: assessed ones.'
    )
    point_kinds = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="The kinds of titik pantau asked, of " + ", ".join(TitikPantau.Kind.values) + "; empty: every kind.",
    )
    points_min = serializers.IntegerField(
        required=False, default=1, help_text="At least this many titik pantau per tatanan (1 to 50)."
    )
    deadline = serializers.DateField(help_text="Today or later.")
    message = serializers.CharField(allow_blank=True, required=False, help_text="Kept as it was when left out.")


class KelembagaanRequestSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``POST /api/data-requests/kelembagaan/`` takes: ask the secretaries of some Forum/Pokja
    for their kelembagaan documents by a deadline (the service ``data_request_documents``, which
    judges the values: regions of the kabupaten/kota with a Forum/Pokja, documents known, the
    deadline)."""

    assessment = serializers.IntegerField(help_text="Id of the assessment.")
    regions = serializers.ListField(
        child=_region_code(),
        help_text="Kemendagri codes of the regions whose Forum/Pokja is asked: the kabupaten/kota itself, "
        "its kecamatan or its desa/kelurahan. One request per region.",
    )
    documents = serializers.ListField(
        child=serializers.CharField(max_length=20),
        help_text="The documents asked, of " + ", ".join(DataRequest.Document.values) + ".",
    )
    deadline = serializers.DateField(help_text="Today or later.")
    message = serializers.CharField(allow_blank=True, required=False, help_text="Kept as it was when left out.")

    def validate_regions(self, codes):
        return regions_of_codes(codes)


# --- Field work: ODF, kelembagaan, chosen tatanan, local indicators -------------------------------

ODF_MODES = "`desa`: desa by desa (checklist); `jumlah`: counts for the whole kecamatan; null: not reported."


class OdfDesaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    declared_odf = serializers.BooleanField(help_text="Declared Stop BABS in the checklist.")


class OdfKecamatanSerializer(serializers.Serializer):
    """One kecamatan's ODF status (``fieldwork.services.odf_rows_by_kecamatan``)."""

    kecamatan = RegionRefSerializer()
    mode = serializers.CharField(allow_null=True, help_text="How the status is reported. " + ODF_MODES)
    total = serializers.IntegerField(allow_null=True, help_text="Desa/kelurahan counted; null when not reported.")
    odf = serializers.IntegerField(allow_null=True, help_text="Of those, declared ODF (Stop BABS).")
    percent = _percent(allow_null=True, help_text="odf / total (%); null when not reported.")
    desa_count = serializers.IntegerField(help_text="Desa/kelurahan of the kecamatan in the Kemendagri regions.")


class OdfKecamatanDetailSerializer(OdfKecamatanSerializer):
    odf_percent = _percent(allow_null=True, help_text="The kabupaten/kota's desa/kelurahan ODF (%).")
    desa = OdfDesaSerializer(many=True, help_text="Every desa/kelurahan of the kecamatan with its checklist mark.")


class OdfOverviewSerializer(serializers.Serializer):
    odf_percent = _percent(allow_null=True, help_text="The kabupaten/kota's desa/kelurahan ODF (%); null when none.")
    kecamatan = OdfKecamatanSerializer(many=True)


class OdfWriteSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``PUT /api/assessments/<id>/odf/<kecamatan>/`` takes: counts *or* a checklist.

    Counts (``desa_total`` and ``desa_odf``) call ``odf_counts_set``, the checklist
    (``odf_desa``, the codes of the desa/kelurahan declared ODF; the others are not) calls
    ``odf_checklist_set``. Either replaces the kecamatan's other shape.
    """

    desa_total = serializers.IntegerField(required=False, help_text="Desa/kelurahan in total (counts).")
    desa_odf = serializers.IntegerField(required=False, help_text="Of those, declared Stop BABS (counts).")
    odf_desa = serializers.ListField(
        child=serializers.CharField(max_length=13),
        required=False,
        help_text="Checklist: codes of the desa/kelurahan declared Stop BABS (may be empty).",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        counts = {"desa_total", "desa_odf"} & set(attrs)
        if "odf_desa" in attrs and counts:
            raise serializers.ValidationError(
                {"odf_desa": [_("Kirim jumlah (desa_total, desa_odf) atau daftar odf_desa, tidak keduanya.")]}
            )
        if "odf_desa" not in attrs:
            missing = {"desa_total", "desa_odf"} - counts
            if missing:
                raise serializers.ValidationError(
                    {name: [_("Kolom ini wajib diisi.")] for name in sorted(missing)}
                    if counts
                    else {"non_field_errors": [_("Kirim jumlah (desa_total, desa_odf) atau daftar odf_desa.")]}
                )
        return attrs


class KelembagaanItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component = serializers.CharField()
    component_label = serializers.CharField(source="get_component_display")
    item = serializers.CharField()
    item_label = serializers.CharField(source="get_item_display")
    text = serializers.CharField(help_text="The operational definition.")


class KelembagaanEntrySerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    item = KelembagaanItemRefSerializer(read_only=True)
    self_score = ScoreOptionSerializer(read_only=True, allow_null=True)
    options = serializers.SerializerMethodField(
        help_text=(
            "The options the entry may be scored with: the item's scale without the retired options, "
            "plus the entry's score when it is retired. The top one meets the gate."
        )
    )

    class Meta:
        model = KelembagaanEntry
        fields = ["id", "assessment", "item", "self_score", "note", "evidence_link", "provincial_note", "options"]
        read_only_fields = fields

    @extend_schema_field(ScoreOptionSerializer(many=True))
    def get_options(self, entry) -> list:
        return ScoreOptionSerializer(selectable_options(entry.item, entry.self_score_id), many=True).data


class KelembagaanChangeSerializer(_RefusesOtherKeys, serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of a kelembagaan entry of this assessment.")
    self_score = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of one of the item's scale options; null clears it."
    )
    self_score_value = serializers.IntegerField(
        allow_null=True, required=False, min_value=0, max_value=100, help_text="The option by its value instead."
    )
    note = serializers.CharField(allow_blank=True, required=False)

    def to_internal_value(self, data):
        # Nested in a list, this serializer has no initial_data: refuse other keys here.
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Kolom ini tidak dapat diubah di sini.")] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "self_score" in attrs and "self_score_value" in attrs:
            raise serializers.ValidationError(
                {"self_score_value": [_("Kirim self_score atau self_score_value, tidak keduanya.")]}
            )
        return attrs


class KelembagaanUpdateSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``PATCH /api/assessments/<id>/kelembagaan/`` takes: the entries to change; per entry
    only the keys sent change (score, note)."""

    entries = KelembagaanChangeSerializer(many=True, allow_empty=False)


class AssessmentTatananSerializer(serializers.Serializer):
    selection = serializers.CharField(help_text="`chosen`: the kabupaten chooses its tatanan; `all`: all compulsory.")
    can_choose = serializers.BooleanField(help_text="Whether the caller may PUT a new choice.")
    tatanan = TatananRefSerializer(many=True, help_text="The tatanan assessed.")
    available = TatananRefSerializer(many=True, help_text="Every tatanan of the cycle's set.")


class TatananChoiceSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``PUT /api/assessments/<id>/tatanan/`` takes (``assessment_tatanan_update``)."""

    tatanan = TatananCodeField(
        many=True, scope=cycle_tatanan, help_text='Codes of the tatanan chosen, e.g. ["PSR", "PDD"].'
    )


class UsulanSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="The category (tier) registered for; empty when none.")
    categories = serializers.ListField(
        child=serializers.CharField(), help_text="The categories the cycle has (its tiers, lowest first)."
    )
    kecamatan = serializers.ListField(
        child=serializers.CharField(), help_text="Kemendagri codes of the kecamatan proposed (usulan)."
    )
    desa = serializers.ListField(
        child=serializers.CharField(),
        help_text="Kemendagri codes of the desa/kelurahan proposed in them; empty: all of their desa/kelurahan.",
    )
    kecamatan_coverage = _percent(
        allow_null=True, help_text="Share of the kabupaten/kota's kecamatan proposed; null when none is."
    )
    can_edit = serializers.BooleanField(help_text="Whether the caller may PUT a new usulan.")


class UsulanWriteSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``PUT /api/assessments/<id>/usulan/`` takes (``assessment_usulan_update``, which judges
    the regions: kecamatan of the kabupaten/kota, each desa in a proposed kecamatan; and the
    category: one of the cycle's tiers)."""

    category = serializers.ChoiceField(
        choices=TierRule.Tier.choices,
        allow_blank=True,
        help_text="The category (tier) registered for; empty for none.",
        error_messages={
            "invalid_choice": _(
                "Kategori tidak dikenal: {input}. Pilih padapa, wiwerda, wistara atau wistara_paripurna, "
                "atau kosongkan."
            )
        },
    )
    kecamatan = serializers.ListField(
        child=_region_code(), help_text="Kemendagri codes of the kecamatan proposed; empty: none proposed."
    )
    desa = serializers.ListField(
        child=_region_code(),
        required=False,
        default=list,
        help_text="Kemendagri codes of the desa/kelurahan proposed, each in a proposed kecamatan; "
        "empty or left out: all of their desa/kelurahan.",
    )

    def validate_kecamatan(self, codes):
        return regions_of_codes(codes)

    def validate_desa(self, codes):
        return regions_of_codes(codes)


class LocalIndicatorSerializer(serializers.Serializer):
    """A local indicator of the kabupaten/kota with its entry in the assessment."""

    id = serializers.IntegerField(source="indicator.id", help_text="Id of the indicator.")
    entry = serializers.IntegerField(source="id", help_text="Id of its entry (PATCH /api/entries/<id>/ fills it).")
    tatanan = TatananRefSerializer(source="indicator.tatanan")
    number = serializers.CharField(source="indicator.number")
    name = serializers.CharField(source="indicator.name")
    definisi_operasional = serializers.CharField(source="indicator.definisi_operasional")
    sumber_data = serializers.CharField(source="indicator.sumber_data")
    target = serializers.CharField(source="indicator.target")
    responsible_opd = serializers.CharField(source="indicator.responsible_opd")
    scale_text = serializers.CharField(source="indicator.scale_text")
    scale_options = ScoreOptionSerializer(source="indicator.scale_options", many=True)
    status = serializers.CharField(help_text="The entry's status.")
    self_score = ScoreOptionSerializer(allow_null=True)


class LocalIndicatorWriteSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``POST``/``PATCH`` of local indicators take (``local_indicator_add`` /
    ``tatanan.services.local_indicator_update``); the services check the values."""

    tatanan = TatananCodeField(
        scope=assessed_tatanan, message=NOT_ASSESSED, help_text="Code of one of the assessed tatanan (on create only)."
    )
    number = serializers.CharField(max_length=10)
    name = serializers.CharField()
    definisi_operasional = serializers.CharField(allow_blank=True, required=False)
    sumber_data = serializers.CharField(allow_blank=True, required=False)
    target = serializers.CharField(allow_blank=True, required=False)
    responsible_opd = serializers.CharField(max_length=200, allow_blank=True, required=False)
    scale_text = serializers.CharField(
        allow_blank=True, required=False, help_text='The scale, one option a line: "100 = ada dan berfungsi".'
    )

    def get_fields(self):
        fields = super().get_fields()
        if self.partial:
            del fields["tatanan"]  # an indicator stays in its tatanan
        return fields


# --- Innovations ---------------------------------------------------------------------------------


class InnovationSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    tatanan = TatananRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Innovation
        fields = ["id", "assessment", "tatanan", "title", "year", "description", "result", "created_at", "updated_at"]
        read_only_fields = fields


class InnovationWriteSerializer(_RefusesOtherKeys, serializers.Serializer):
    """What ``POST``/``PATCH /api/innovations/`` take; the service checks the values (tatanan
    assessed, year not after the award year, title and description not blank)."""

    assessment = serializers.IntegerField(help_text="Id of the assessment (on create only).")
    title = serializers.CharField(max_length=200, allow_blank=True)
    tatanan = TatananCodeField(
        scope=cycle_tatanan,
        allow_null=True,
        required=False,
        help_text="Code of one of the assessed tatanan, e.g. PSR; empty or null for none.",
    )
    year = serializers.IntegerField(help_text="The year the innovation started.")
    description = serializers.CharField(allow_blank=True)
    result = serializers.CharField(allow_blank=True, required=False, help_text="Its result or impact.")

    def get_fields(self):
        fields = super().get_fields()
        if self.partial:
            del fields["assessment"]  # an innovation stays with its assessment
        return fields
