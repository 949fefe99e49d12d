"""Reads of work plans (rencana kerja) and pembinaan visits, limited to what the asking user may see.

Reading follows the portal's scope (``accounts.selectors.scope_filter``) on the body's region
code for plans and on the target region's code for visits: outside the scope, 404.

Who decides a plan is the level above its body: a Pokja's plan by the secretary of the kecamatan
containing the desa (the Forum Kecamatan's secretary) or by Bappeda of the kabupaten; the plans of
kecamatan and kabupaten bodies by Bappeda of the kabupaten. Superusers decide everything.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.selectors import admin_scope_of, get_in_scope_or_404, scope_filter
from regions.models import Region
from tatanan.models import Cycle, Indicator, Tatanan
from tatanan.selectors import indicators_in_scope_of

from ..kelembagaan.services import current_cycle, data_years_of
from ..models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from ..selectors import can_edit_body, secretary_regions_of

EDITABLE_STATUSES = (WorkPlan.Status.DRAFT, WorkPlan.Status.RETURNED)


def rupiah(value) -> str:
    """ "Rp 1.500.000": thousands separated by dots, no decimals."""
    return "Rp " + f"{int(value or 0):,}".replace(",", ".")


def tatanan_for_work_plans() -> QuerySet[Tatanan]:
    """The tatanan an item may be tied to: those of the 2023-onward set."""
    return Tatanan.objects.filter(tatanan_set__code="2023").order_by("number")


def work_plan_indicator_choices(*, work_plan: WorkPlan) -> QuerySet[Indicator]:
    """The indicators an item of ``work_plan`` may be tied to: the catalogue's indicators of the
    2023-onward tatanan and the local indicators of the plan's own kabupaten/kota, never those
    another kabupaten added (they are not its business, and naming one would reveal it exists)."""
    kabupaten = ".".join(work_plan.body.region_id.split(".")[:2])
    return (
        Indicator.objects.filter(tatanan__tatanan_set__code="2023")
        .filter(Q(is_local=False) | Q(is_local=True, owner_kabupaten_id=kabupaten))
        .select_related("tatanan")
        .order_by("tatanan__number", "is_local", "order", "id")
    )


def work_plan_indicators_for(user: User, *, work_plan: WorkPlan) -> QuerySet[Indicator]:
    """The indicators ``user`` may name on an item of ``work_plan``: the plan's choices, within
    what the user sees of the catalogue (for the API's and the page's indicator field)."""
    return work_plan_indicator_choices(work_plan=work_plan).filter(pk__in=indicators_in_scope_of(user).values("pk"))


# --- Work plans ---------------------------------------------------------------------------------


def work_plans_visible_to(user: User) -> QuerySet[WorkPlan]:
    return scope_filter(
        WorkPlan.objects.select_related("body", "body__region", "submitted_by", "decided_by"),
        user=user,
        field="body__region__code",
    )


def work_plan_for(user: User, pk: int) -> WorkPlan:
    """The plan ``pk`` if ``user`` may read it, else 404."""
    return get_in_scope_or_404(
        WorkPlan.objects.select_related("body", "body__region", "submitted_by", "decided_by"),
        user=user,
        field="body__region__code",
        pk=pk,
    )


def work_plans_of_body(body: Body) -> QuerySet[WorkPlan]:
    return body.work_plans.select_related("submitted_by", "decided_by").order_by("-year")


# How many years before the round's first data year the form still offers (a late plan of an
# earlier year, for the record).
EARLIER_YEARS_OFFERED = 4


@dataclass(frozen=True)
class WorkPlanYears:
    """The years a new plan of a body may be for: the data years of the current round first (the
    kelembagaan items score the plans of exactly those years, docs/DOMAIN.md "Scores and award
    tiers"), then the others; and the years the body already has a plan for."""

    cycle: Cycle | None
    data_years: list[int]
    other_years: list[int]
    planned: frozenset[int] = field(default_factory=frozenset)

    @property
    def suggested(self) -> int | None:
        """The first data year still without a plan, else the first other year without one."""
        return next((y for y in [*self.data_years, *self.other_years] if y not in self.planned), None)


def work_plan_years(body: Body, *, today: datetime.date | None = None) -> WorkPlanYears:
    """The years to offer for a new plan of ``body``: the current round's data years, as the
    secretary's home asks for them (``forums.kelembagaan``), then the years from next year back to
    a few before the round."""
    cycle = current_cycle()
    data_years = data_years_of(cycle, today=today)
    this_year = (today or timezone.localdate()).year
    newest = max(this_year + 1, data_years[-1])
    oldest = data_years[0] - EARLIER_YEARS_OFFERED
    other_years = [y for y in range(newest, oldest - 1, -1) if y not in data_years]
    planned = frozenset(body.work_plans.values_list("year", flat=True))
    return WorkPlanYears(cycle=cycle, data_years=data_years, other_years=other_years, planned=planned)


def can_edit_work_plan(user: User, plan: WorkPlan) -> bool:
    """Whoever edits the body (its secretary, Bappeda) edits its plan while draft or returned."""
    return plan.status in EDITABLE_STATUSES and can_edit_body(user, plan.body)


def _kecamatan_secretary_codes(user: User) -> list[str]:
    return [r.code for r in secretary_regions_of(user) if r.level == Region.Level.KECAMATAN]


def can_decide_work_plan(user: User, plan: WorkPlan) -> bool:
    """Whether ``user`` is the level above the plan's body (see the module docstring)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    body = plan.body
    if admin_scope_of(user).covers(body.region_id):
        return True
    if body.kind == Body.Kind.POKJA_DESA:
        parent_code = body.region_id.rsplit(".", 1)[0]
        return parent_code in _kecamatan_secretary_codes(user)
    return False


def work_plans_awaiting(user: User) -> QuerySet[WorkPlan]:
    """Submitted plans ``user`` decides: "Rencana kerja menunggu persetujuan"."""
    plans = WorkPlan.objects.select_related("body", "body__region", "submitted_by").filter(
        status=WorkPlan.Status.SUBMITTED
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return plans.none()
    admin = admin_scope_of(user)
    query = admin.q("body__region__code") if not admin.empty else Q(pk__in=[])
    for code in _kecamatan_secretary_codes(user):
        query |= Q(body__kind=Body.Kind.POKJA_DESA, body__region__code__startswith=code + ".")
    return plans.filter(query).order_by("submitted_at", "pk")


def work_plan_items(plan: WorkPlan) -> list[WorkPlanItem]:
    items = list(plan.items.select_related("tatanan", "indicator"))
    for item in items:
        item.budget_display = rupiah(item.budget)
    return items


def work_plan_totals(plan: WorkPlan) -> dict:
    """Budget per funding source (only sources used, in the choices' order) and the grand total."""
    sums = dict(plan.items.order_by().values_list("funding_source").annotate(total=Sum("budget")))
    per_source = OrderedDict()
    for value, label in WorkPlanItem.FundingSource.choices:
        if value in sums:
            per_source[value] = {"label": label, "total": sums[value], "display": rupiah(sums[value])}
    total = sum(sums.values(), Decimal(0))
    return {"per_source": list(per_source.values()), "total": total, "total_display": rupiah(total)}


# --- Pembinaan ----------------------------------------------------------------------------------


def pembinaan_visits_visible_to(user: User) -> QuerySet[PembinaanVisit]:
    return scope_filter(
        PembinaanVisit.objects.select_related("visiting_body", "target_region", "created_by"),
        user=user,
        field="target_region__code",
    )


def pembinaan_visit_for(user: User, pk: int) -> PembinaanVisit:
    return get_in_scope_or_404(
        PembinaanVisit.objects.select_related("visiting_body", "visiting_body__region", "target_region"),
        user=user,
        field="target_region__code",
        pk=pk,
    )


def pembinaan_team_regions_of(user: User) -> list[Region]:
    """Regions whose Tim Pembina ``user`` records visits for: the kabupaten of a Bappeda admin and
    its kecamatan (Bappeda records the kecamatan teams' visits too; every kabupaten for a superuser
    is too many: none), the kecamatan of a kecamatan secretary."""
    regions: list[Region] = []
    admin = admin_scope_of(user)
    if not admin.everything and not admin.empty:
        kabupaten = list(Region.objects.filter(level=Region.Level.KABKOTA, code__in=admin.prefixes).order_by("code"))
        regions.extend(kabupaten)
        regions.extend(
            Region.objects.filter(level=Region.Level.KECAMATAN, parent__in=kabupaten).order_by("parent_id", "name")
        )
    regions.extend(r for r in secretary_regions_of(user) if r.level == Region.Level.KECAMATAN)
    unique = {region.code: region for region in reversed(regions)}
    return [region for region in regions if unique.pop(region.code, None) is not None]


def can_record_pembinaan(user: User) -> bool:
    return bool(pembinaan_team_regions_of(user))


def can_edit_pembinaan_visit(user: User, visit: PembinaanVisit) -> bool:
    """Bappeda edits every visit of its kabupaten's teams; a kecamatan secretary those of the Tim
    Pembina of their kecamatan."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if admin_scope_of(user).covers(visit.visiting_body.region_id):
        return True
    return (
        visit.visiting_body.kind == Body.Kind.TIM_PEMBINA_KECAMATAN
        and visit.visiting_body.region_id in _kecamatan_secretary_codes(user)
    )


def pembinaan_visit_to_edit(user: User, pk: int) -> PembinaanVisit:
    visit = pembinaan_visit_for(user, pk)
    if not can_edit_pembinaan_visit(user, visit):
        raise Http404
    return visit


def pembinaan_target_regions(team_region: Region) -> QuerySet[Region]:
    """Where a team may go: a kabupaten team to its kecamatan and desa, a kecamatan team to its desa."""
    below = Region.objects.filter(code__startswith=team_region.code + ".")
    if team_region.level == Region.Level.KABKOTA:
        return below.filter(level__in=[Region.Level.KECAMATAN, Region.Level.DESA]).order_by("code")
    return below.filter(level=Region.Level.DESA).order_by("code")
