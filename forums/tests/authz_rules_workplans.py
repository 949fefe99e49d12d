"""Authorization rules of the work plan and pembinaan routes, in the shape of ``kks_portal.tests.authz``.

``WORKPLAN_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``,
beside ``FORUM_ROUTES``.
"""

from __future__ import annotations

from forums.models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from forums.tests.authz_rules import FORUM_EDITORS, FORUM_READERS, KABUPATEN_ADMINS, forum_at, post
from forums.workplans.selectors import work_plan_years
from kks_portal.tests.authz import SIGNED_IN, Built, Listing, Rule, Write, everywhere
from tatanan.models import Tatanan

# Who reads a visit to the place's kecamatan: the kabupaten's readers and the kecamatan's secretary.
VISIT_READERS = FORUM_READERS
# Who records and edits the kabupaten team's visits: Bappeda of that kabupaten (and the superuser
# edits, but records none: a superuser has no kabupaten team of their own).
VISIT_EDITORS = KABUPATEN_ADMINS
VISIT_RECORDERS = {"serang": frozenset({"rina"}), "bogor": frozenset()}


def free_year(body_id) -> int:
    """A year (within the API's 2000–2100) the body has no plan for yet."""
    taken = set(WorkPlan.objects.filter(body_id=body_id).values_list("year", flat=True))
    return next(year for year in range(2000, 2101) if year not in taken)


def offered_free_year(body_id) -> int:
    """A year the page's form offers and the body has no plan for yet (the form's own choice)."""
    return work_plan_years(Body.objects.get(pk=body_id)).suggested


def plan_at(world, place, *, status=WorkPlan.Status.DRAFT, with_item=False) -> Built:
    body = Body.objects.get(pk=forum_at(world, place).kwargs["pk"])
    plan = WorkPlan.objects.create(body=body, year=free_year(body.pk), status=status)
    rows = [plan]
    if with_item:
        rows.append(WorkPlanItem.objects.create(work_plan=plan, tatanan=ksm(), activity=f"Kegiatan {world.fresh()}"))
    return Built({"pk": plan.pk}, rows=rows, marker=body.name, region=body.region)


def plan_with_item_at(world, place) -> Built:
    return plan_at(world, place, with_item=True)


def submitted_plan_at(world, place) -> Built:
    return plan_at(world, place, status=WorkPlan.Status.SUBMITTED, with_item=True)


def item_at(world, place) -> Built:
    built = plan_at(world, place, with_item=True)
    item = built.rows[1]
    return Built({"pk": built.kwargs["pk"], "item_pk": item.pk}, rows=built.rows, marker=item.activity)


def visit_at(world, place) -> Built:
    kabupaten = world.kabupaten(place)
    team, _ = Body.objects.get_or_create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=kabupaten)
    visit = PembinaanVisit.objects.create(
        visiting_body=team, target_region=world.kecamatan[place], date="2025-03-12", findings=f"Temuan {world.fresh()}"
    )
    return Built({"pk": visit.pk}, rows=[visit], marker=visit.findings, region=visit.target_region)


def visit_target_at(world, place) -> Built:
    return Built({}, extra={"team": world.kabupaten(place).code, "target": world.kecamatan[place].code})


def ksm() -> Tatanan:
    return Tatanan.objects.get(tatanan_set__code="2023", code="KSM")


def item_data(world, built):
    return {
        "tatanan": ksm().pk,
        "activity": f"Kegiatan baru {world.fresh()}",
        "budget": "1000",
        "funding_source": "apbd",
    }


def visit_data(world, built):
    if built.extra:
        team, target = built.extra["team"], built.extra["target"]
    else:
        visit = built.rows[0]
        team, target = visit.visiting_body.region_id, visit.target_region_id
    return {"team_region": team, "target_region": target, "date": "2025-04-01", "findings": f"Baru {world.fresh()}"}


def scoped_object(audience, build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", audience, build=build, **options)


WORKPLAN_ROUTES: dict[str, Rule] = {
    "forums:work_plan_list": scoped_object(
        FORUM_READERS,
        forum_at,
        writes=[post(lambda world, built: {"year": offered_free_year(built.kwargs["pk"])}, writers=FORUM_EDITORS)],
    ),
    "forums:work_plan_queue": Rule(
        "SCOPED_LIST", everywhere(SIGNED_IN), listings=(Listing(KABUPATEN_ADMINS, submitted_plan_at),)
    ),
    "forums:work_plan_detail": scoped_object(FORUM_READERS, plan_at),
    "forums:work_plan_item_add": scoped_object(FORUM_EDITORS, plan_at, writes=[post(item_data)]),
    "forums:work_plan_item_edit": scoped_object(FORUM_EDITORS, item_at, writes=[post(item_data)]),
    "forums:work_plan_item_delete": scoped_object(FORUM_EDITORS, item_at, get_ok=None, writes=[post()]),
    "forums:work_plan_submit": scoped_object(FORUM_EDITORS, plan_with_item_at, get_ok=None, writes=[post()]),
    "forums:work_plan_approve": scoped_object(
        FORUM_READERS, submitted_plan_at, get_ok=None, writes=[post(writers=KABUPATEN_ADMINS)]
    ),
    "forums:work_plan_return": scoped_object(
        FORUM_READERS,
        submitted_plan_at,
        get_ok=None,
        writes=[post({"reason": "Perbaiki target"}, writers=KABUPATEN_ADMINS)],
    ),
    "forums:pembinaan_list": Rule("SCOPED_LIST", everywhere(SIGNED_IN), listings=(Listing(VISIT_READERS, visit_at),)),
    "forums:pembinaan_add": Rule(
        "SCOPED_OBJECT",
        everywhere({"rina", "sari", "tono"}),  # Bappeda; each kecamatan secretary for its own team
        writes=(Write(visit_data, writers=VISIT_RECORDERS, build=visit_target_at),),
    ),
    "forums:pembinaan_edit": scoped_object(VISIT_EDITORS, visit_at, writes=[post(visit_data)]),
}
