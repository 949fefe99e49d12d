import django_filters

from kks_portal.lib.query_filters import IdFilter, StrictBooleanFilter, YearFilter

from .models import Assessment, DataRequest, IndicatorEntry, Innovation, TitikPantau


class AssessmentFilter(django_filters.FilterSet):
    cycle = YearFilter(field_name="cycle__award_year", help_text="Award year of the cycle.")
    kabupaten = django_filters.CharFilter(field_name="kabupaten_id", help_text="Code of the kabupaten/kota.")

    class Meta:
        model = Assessment
        fields = ["cycle", "kabupaten"]


class EntryFilter(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id")
    tatanan = django_filters.CharFilter(
        field_name="indicator__tatanan__code", lookup_expr="iexact", help_text="Stable tatanan code, e.g. PSR."
    )
    status = django_filters.ChoiceFilter(choices=IndicatorEntry.Status.choices)
    assigned_opd = IdFilter(field_name="assigned_opd_id", help_text="Id of the OPD.")
    unassigned = StrictBooleanFilter(
        field_name="assigned_opd", lookup_expr="isnull", help_text="true: only entries assigned to no OPD."
    )

    class Meta:
        model = IndicatorEntry
        fields = ["assessment", "tatanan", "status", "assigned_opd", "unassigned"]


class TitikPantauFilter(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id")
    tatanan = django_filters.CharFilter(field_name="tatanan__code", lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(choices=TitikPantau.Kind.choices)

    class Meta:
        model = TitikPantau
        fields = ["assessment", "tatanan", "kind"]


class DataRequestFilter(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id")
    opd = IdFilter(field_name="opd_id", help_text="Id of the OPD.")
    kind = django_filters.ChoiceFilter(choices=DataRequest.Kind.choices)

    class Meta:
        model = DataRequest
        fields = ["assessment", "opd", "kind"]


class InnovationFilter(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id")
    tatanan = django_filters.CharFilter(field_name="tatanan__code", lookup_expr="iexact")
    year = YearFilter(field_name="year")

    class Meta:
        model = Innovation
        fields = ["assessment", "tatanan", "year"]
