"""Reads of the catalogue, for pages and (later) the API.

The official instrument is public, so every logged-in user reads the national catalogue.
Local indicators (``is_local``) belong to one kabupaten/kota and go through the portal's one
access-scope mechanism (``accounts.selectors.scope_of``): a user sees those of the regions in
their scope. Importing the official catalogue is for superusers only: it is national data and
one import changes it for every kabupaten/kota.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.selectors import scope_of

from .models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan


def can_import_instrument(user) -> bool:
    """Only superusers replace the national catalogue of a cycle."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _visible_indicator_q(user, prefix: str = "") -> Q:
    """National indicators, plus local ones owned by a kabupaten/kota in the user's scope."""
    scope = scope_of(user)
    return Q(**{f"{prefix}is_local": False}) | (
        Q(**{f"{prefix}is_local": True}) & scope.q(f"{prefix}owner_kabupaten__code")
    )


def cycles_visible_to(user) -> QuerySet[Cycle]:
    if not getattr(user, "is_authenticated", False):
        return Cycle.objects.none()
    return (
        Cycle.objects.select_related("tatanan_set")
        .annotate(
            indicator_count=Count("indicators", filter=_visible_indicator_q(user, "indicators__"), distinct=True),
            kelembagaan_count=Count("kelembagaan_items", distinct=True),
        )
        .order_by("-award_year")
    )


def cycle_for(user, award_year: int) -> Cycle:
    return get_object_or_404(cycles_visible_to(user), award_year=award_year)


def tatanan_of_cycle(user, *, cycle: Cycle) -> QuerySet[Tatanan]:
    """The cycle's tatanan, each with ``indicator_count`` of the indicators the user may see."""
    visible = Q(indicators__cycle=cycle) & _visible_indicator_q(user, "indicators__")
    return (
        Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id)
        .annotate(indicator_count=Count("indicators", filter=visible))
        .order_by("number")
    )


def indicators_in_scope_of(user) -> QuerySet[Indicator]:
    """Every indicator ``user`` may name, of any cycle: the national catalogue and the local
    indicators of the kabupaten/kota in their scope (for fields that take an indicator's id)."""
    if not getattr(user, "is_authenticated", False):
        return Indicator.objects.none()
    return Indicator.objects.filter(_visible_indicator_q(user))


def indicators_visible_to(user, *, cycle: Cycle, tatanan: Tatanan | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(cycle=cycle).filter(_visible_indicator_q(user))
    if tatanan is not None:
        indicators = indicators.filter(tatanan=tatanan)
    return (
        indicators.select_related("tatanan", "owner_kabupaten")
        .prefetch_related(
            Prefetch("scale_options", queryset=ScaleOption.objects.order_by("order")),
            Prefetch("evidence_requirements", queryset=EvidenceRequirement.objects.order_by("order", "data_year")),
        )
        .order_by("tatanan__number", "order", "id")
    )


def kelembagaan_items_of(*, cycle: Cycle) -> QuerySet[KelembagaanItem]:
    return (
        KelembagaanItem.objects.filter(cycle=cycle)
        .prefetch_related(
            Prefetch("scale_options", queryset=ScaleOption.objects.order_by("order")),
            Prefetch("evidence_requirements", queryset=EvidenceRequirement.objects.order_by("order", "data_year")),
        )
        .order_by("order", "id")
    )
