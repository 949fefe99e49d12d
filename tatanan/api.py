"""Read-only API of the catalogue: cycles (with their tier rules), tatanan, indicators and
kelembagaan items.

The official instrument is public, so any authenticated caller reads it; only local indicators
are scoped, and that rule stays in ``tatanan.selectors`` (``indicators_visible_to``). The catalogue
is edited by importing the instrument (superusers, on the web), never through this API.
"""

from functools import reduce
from operator import or_

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from .filters import IndicatorFilter, KelembagaanItemFilter, TatananFilter
from .models import Indicator, KelembagaanItem, Tatanan, TierRule
from .selectors import cycles_visible_to, indicators_visible_to, kelembagaan_items_of
from .serializers import CycleSerializer, IndicatorSerializer, KelembagaanItemSerializer, TatananSerializer

AWARD_YEAR_PARAMETER = OpenApiParameter(
    "award_year", int, OpenApiParameter.PATH, description="Award year of the cycle, e.g. 2025."
)


def _across_cycles(user, per_cycle, model):
    """The union of a per-cycle selector over every cycle the user sees.

    The catalogue selectors take one cycle (the pages show one at a time); the API lists across
    cycles and lets ``?cycle=`` narrow it, so the visibility rule is still the selector's. There
    are a handful of cycles, so the OR of their filters stays a small query.
    """
    querysets = [per_cycle(cycle) for cycle in cycles_visible_to(user)]
    if not querysets:
        return model.objects.none()
    return reduce(or_, querysets)


@extend_schema_view(
    list=extend_schema(
        summary="Award cycles",
        description="Every Swasti Saba round, newest first, with its data years, windows and tier rules.",
        tags=["catalogue"],
    ),
    retrieve=extend_schema(summary="One award cycle", parameters=[AWARD_YEAR_PARAMETER], tags=["catalogue"]),
)
class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CycleSerializer
    lookup_field = "award_year"
    lookup_value_regex = r"[0-9]{4}"
    filter_backends: list = []

    def get_queryset(self):
        return cycles_visible_to(self.request.user).prefetch_related(
            Prefetch("tier_rules", queryset=TierRule.objects.order_by("rank"))
        )


@extend_schema_view(
    list=extend_schema(
        summary="Tatanan",
        description="The tatanan of every set, or of one set (`set`) or of the set a cycle uses (`cycle`).",
        tags=["catalogue"],
    ),
    retrieve=extend_schema(summary="One tatanan", tags=["catalogue"]),
)
class TatananViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TatananSerializer
    filterset_class = TatananFilter

    def get_queryset(self):
        # Tatanan are national reference data without a region: nothing to scope (as regions).
        return Tatanan.objects.select_related("tatanan_set").order_by("tatanan_set__code", "number")


@extend_schema_view(
    list=extend_schema(
        summary="Indicators",
        description=(
            "Indicators of every cycle, newest cycle first, with their scale options and evidence "
            "requirements. Local indicators appear only for the kabupaten/kota in the caller's scope."
        ),
        tags=["catalogue"],
    ),
    retrieve=extend_schema(
        summary="One indicator (404 for a local one outside the caller's scope)", tags=["catalogue"]
    ),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        user = self.request.user
        indicators = _across_cycles(user, lambda cycle: indicators_visible_to(user, cycle=cycle), Indicator)
        return indicators.select_related("cycle").order_by("-cycle__award_year", "tatanan__number", "order", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Kelembagaan items",
        description="The kelembagaan sheet of every cycle (SK, work plan, budget, secretariat of each body).",
        tags=["catalogue"],
    ),
    retrieve=extend_schema(summary="One kelembagaan item", tags=["catalogue"]),
)
class KelembagaanItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = KelembagaanItemSerializer
    filterset_class = KelembagaanItemFilter

    def get_queryset(self):
        items = _across_cycles(self.request.user, lambda cycle: kelembagaan_items_of(cycle=cycle), KelembagaanItem)
        return items.select_related("cycle").order_by("-cycle__award_year", "order", "id")
