"""Filters of the forums API's lists (bodies, work plans): a malformed value is a 400."""

import django_filters
from django.db.models import Q

from kks_portal.lib.query_filters import IdFilter, YearFilter
from regions.selectors import below_q

from .models import Body, WorkPlan


class BodyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Body.Kind.choices, help_text="One kind of body.")
    region = django_filters.CharFilter(method="filter_region", help_text="A region code: that region and below it.")

    class Meta:
        model = Body
        fields = ["kind", "region"]

    def filter_region(self, queryset, name, value):
        code = value.strip()
        return queryset.filter(Q(region_id=code) | below_q(code, "region__code")) if code else queryset


class WorkPlanFilter(django_filters.FilterSet):
    body = IdFilter(field_name="body_id", help_text="Id of one body.")
    year = YearFilter(field_name="year")
    status = django_filters.ChoiceFilter(choices=WorkPlan.Status.choices)

    class Meta:
        model = WorkPlan
        fields = ["body", "year", "status"]
