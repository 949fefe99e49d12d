from rest_framework import serializers

from .models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan, TatananSet, TierRule


class TatananSetRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = TatananSet
        fields = ["code", "name"]


class TierRuleSerializer(serializers.ModelSerializer):
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    score_min = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True)
    score_max = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True)
    odf_min_percent = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True)
    kecamatan_coverage_min_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    kecamatan_coverage_max_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = TierRule
        fields = [
            "tier",
            "tier_label",
            "rank",
            "method",
            "odf_min_percent",
            "score_min",
            "score_max",
            "aggregation",
            "min_tatanan_count",
            "kecamatan_coverage_min_percent",
            "kecamatan_coverage_max_percent",
            "requires_kelembagaan",
            "extra_requirements",
        ]
        read_only_fields = fields


class CycleSerializer(serializers.ModelSerializer):
    tatanan_set = TatananSetRefSerializer(read_only=True)
    data_years = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    indicator_count = serializers.IntegerField(
        read_only=True, help_text="Indicators of the cycle the caller sees (national, plus local ones in scope)."
    )
    kelembagaan_count = serializers.IntegerField(read_only=True)
    tier_rules = TierRuleSerializer(
        many=True, read_only=True, help_text="How scores become an award tier, lowest rank first."
    )

    class Meta:
        model = Cycle
        fields = [
            "award_year",
            "first_data_year",
            "last_data_year",
            "data_years",
            "guideline_reference",
            "tatanan_set",
            "tatanan_selection",
            "scale_values",
            "self_assessment_opens",
            "self_assessment_closes",
            "province_deadline",
            "correction_window_hours",
            "indicator_count",
            "kelembagaan_count",
            "tier_rules",
        ]
        read_only_fields = fields


class TatananSerializer(serializers.ModelSerializer):
    tatanan_set = serializers.CharField(source="tatanan_set.code", read_only=True, help_text="Code of the set.")
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list", read_only=True)

    class Meta:
        model = Tatanan
        fields = ["id", "tatanan_set", "code", "number", "name", "aliases"]
        read_only_fields = fields


class TatananRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tatanan
        fields = ["id", "code", "number", "name"]
        read_only_fields = fields


class ScaleOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleOption
        fields = ["id", "value", "description", "order"]
        read_only_fields = fields


class EvidenceRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceRequirement
        fields = ["id", "description", "year_scope", "data_year", "count", "order", "derived"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="cycle.award_year", read_only=True, help_text="Award year of the cycle.")
    tatanan = TatananRefSerializer(read_only=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True)
    owner_kabupaten = serializers.CharField(
        source="owner_kabupaten_id", allow_null=True, read_only=True, help_text="Code of the owner of a local one."
    )
    scale_options = ScaleOptionSerializer(many=True, read_only=True)
    evidence_requirements = EvidenceRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "cycle",
            "tatanan",
            "number",
            "order",
            "name",
            "definisi_operasional",
            "sumber_data",
            "bukti_dukung",
            "scale_text",
            "weight",
            "responsible_opd",
            "target",
            "is_local",
            "owner_kabupaten",
            "scale_options",
            "evidence_requirements",
        ]
        read_only_fields = fields


class KelembagaanItemSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="cycle.award_year", read_only=True, help_text="Award year of the cycle.")
    component_label = serializers.CharField(source="get_component_display", read_only=True)
    item_label = serializers.CharField(source="get_item_display", read_only=True)
    scale_options = ScaleOptionSerializer(many=True, read_only=True)
    evidence_requirements = EvidenceRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = KelembagaanItem
        fields = [
            "id",
            "cycle",
            "component",
            "component_label",
            "item",
            "item_label",
            "order",
            "text",
            "sumber_data",
            "bukti_dukung",
            "scale_text",
            "scale_options",
            "evidence_requirements",
        ]
        read_only_fields = fields
