import django_filters
from django.db.models import Q

from kks_portal.lib.query_filters import StrictBooleanFilter, YearFilter

from .models import Indicator, KelembagaanItem, Tatanan

SEARCH_MAX_LENGTH = 100


class TatananFilter(django_filters.FilterSet):
    set = django_filters.CharFilter(field_name="tatanan_set__code", help_text="Code of a tatanan set, e.g. 2023.")
    cycle = YearFilter(
        field_name="tatanan_set__cycles__award_year", help_text="Award year: the tatanan of that cycle's set."
    )
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", help_text="Stable code, e.g. KSM.")

    class Meta:
        model = Tatanan
        fields = ["set", "cycle", "code"]


class IndicatorFilter(django_filters.FilterSet):
    cycle = YearFilter(field_name="cycle__award_year", help_text="Award year of the cycle.")
    tatanan = django_filters.CharFilter(
        field_name="tatanan__code", lookup_expr="iexact", help_text="Stable tatanan code, e.g. PSR."
    )
    is_local = StrictBooleanFilter(help_text="Only local (true) or only national (false) indicators.")
    search = django_filters.CharFilter(
        method="filter_search",
        min_length=2,
        max_length=SEARCH_MAX_LENGTH,
        help_text="The name or operational definition contains this text, or the number is it.",
    )

    class Meta:
        model = Indicator
        fields = ["cycle", "tatanan", "is_local", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(definisi_operasional__icontains=value) | Q(number__iexact=value)
        )


class KelembagaanItemFilter(django_filters.FilterSet):
    cycle = YearFilter(field_name="cycle__award_year", help_text="Award year of the cycle.")
    component = django_filters.ChoiceFilter(choices=KelembagaanItem.Component.choices)

    class Meta:
        model = KelembagaanItem
        fields = ["cycle", "component"]
