"""Filters of the evidence API's lists (activities, evidence files)."""

import django_filters
from django.db.models import Q

from kks_portal.lib.query_filters import IdFilter, StrictBooleanFilter, YearFilter

from .completeness import complete_q
from .models import Activity, EvidenceFile


class ActivityFilter(django_filters.FilterSet):
    body = IdFilter(field_name="body_id", help_text="Id of one body.")
    region = django_filters.CharFilter(method="filter_region", help_text="A region code: that region and below it.")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="On or after (YYYY-MM-DD).")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="On or before (YYYY-MM-DD).")
    year = YearFilter(field_name="date__year", help_text="Activities of one (data) year.")
    tatanan = django_filters.CharFilter(method="filter_tatanan", help_text="Stable tatanan code, e.g. PSR.")
    complete = StrictBooleanFilter(
        method="filter_complete",
        help_text="true: with undangan, daftar hadir, notulen and foto; false: lacking one.",
    )

    class Meta:
        model = Activity
        fields = ["body", "region", "date_from", "date_to", "year", "tatanan", "complete"]

    def filter_region(self, queryset, name, value):
        code = value.strip()
        return (
            queryset.filter(Q(body__region_id=code) | Q(body__region__code__startswith=code + "."))
            if code
            else queryset
        )

    def filter_complete(self, queryset, name, value):
        # EXISTS in the WHERE clause (semi-joins), not the page's per-row annotation (docs/PERFORMANCE.md).
        return queryset.filter(complete_q()) if value else queryset.exclude(complete_q())

    def filter_tatanan(self, queryset, name, value):
        # A subquery, not a join: an activity of two tatanan is listed once.
        chosen = Activity.tatanan.through.objects.filter(tatanan__code__iexact=value.strip())
        return queryset.filter(pk__in=chosen.values("activity_id"))


class EvidenceFileFilter(django_filters.FilterSet):
    activity = IdFilter(field_name="activity_id")
    body = IdFilter(field_name="body_id", help_text="Files of the body itself (SK, secretariat).")
    requirement = IdFilter(field_name="requirement_id")
    assessment = IdFilter(field_name="assessment_id")
    data_year = YearFilter(field_name="data_year")
    titik_pantau = IdFilter(field_name="titik_pantau_id")
    pembinaan_visit = IdFilter(field_name="pembinaan_visit_id")
    kind = django_filters.CharFilter(field_name="kind", help_text="One of: " + ", ".join(EvidenceFile.Kind.values))
    region = django_filters.CharFilter(method="filter_region", help_text="A region code: that region and below it.")
    deleted = StrictBooleanFilter(
        field_name="deleted_at", lookup_expr="isnull", exclude=True, help_text="true: only removed files; false: none."
    )
    current = StrictBooleanFilter(
        method="filter_current", help_text="true: only live files (not removed, not replaced); false: only history."
    )

    class Meta:
        model = EvidenceFile
        fields = [
            "activity",
            "body",
            "requirement",
            "assessment",
            "data_year",
            "titik_pantau",
            "pembinaan_visit",
            "kind",
            "region",
            "deleted",
            "current",
        ]

    def filter_region(self, queryset, name, value):
        code = value.strip()
        return queryset.filter(Q(region_id=code) | Q(region__code__startswith=code + ".")) if code else queryset

    def filter_current(self, queryset, name, value):
        live = Q(deleted_at__isnull=True, replaced_by__isnull=True)
        return queryset.filter(live) if value else queryset.exclude(live)
