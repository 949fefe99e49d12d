"""Authorization rules of the forum routes, in the shape of ``kks_portal.tests.authz``.

``kks_portal/tests/test_authorization.py`` can take them into its registry once
``kks_portal/urls.py`` includes ``forums.urls``::

    from forums.tests.authz_rules import FORUM_ROUTES
    ROUTES = {..., **FORUM_ROUTES}

The builders use the World of that module (``kecamatan``, ``kabupaten``, ``fresh``).
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from forums.models import Body, Decree, Member, Secretariat, WorkPlan
from kks_portal.tests.authz import SIGNED_IN, Built, Listing, Rule, Write, everywhere
from tatanan.models import Tatanan

# As READERS in kks_portal/tests/test_authorization.py: who reads a kabupaten's objects.
READERS = {
    "serang": frozenset({"rina", "oscar", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}


def post(data=None, **options) -> Write:
    return Write({} if data is None else data, "POST", **options)


def scoped_object(audience, build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", audience, build=build, **options)


# The Forum Kecamatan Sehat of the place's kecamatan (Carenang in Serang) is read by the
# kabupaten's readers and by the kecamatan's secretary (sari); it is edited by the Bappeda admin,
# that secretary and the superuser. Tono (Binuang) and dewi (a desa of Carenang) reach neither.
FORUM_READERS = {"serang": READERS["serang"] | {"sari"}, "bogor": READERS["bogor"]}
FORUM_EDITORS = {"serang": frozenset({"rina", "sari", "root"}), "bogor": frozenset({"root"})}
KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}


def forum_at(world, place) -> Built:
    body, _ = Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=world.kecamatan[place])
    return Built({"pk": body.pk}, rows=[body], marker=body.name, api_id=body.pk, region=body.region)


def member_at(world, place) -> Built:
    built = forum_at(world, place)
    member = Member.objects.create(body_id=built.kwargs["pk"], name=f"Anggota {place} {world.fresh()}")
    return Built({"pk": member.body_id, "member_pk": member.pk}, rows=[member], marker=member.name)


def decree_at(world, place) -> Built:
    built = forum_at(world, place)
    Decree.objects.filter(body_id=built.kwargs["pk"]).update(is_current=False)
    day = datetime.date(2024, 1, 1)
    decree = Decree.objects.create(
        body_id=built.kwargs["pk"], number=f"SK {world.fresh()}", date=day, signer="Camat", valid_from=day
    )
    decree.file.save("sk.pdf", ContentFile(b"%PDF-1.4 SK"))
    return Built({"pk": decree.body_id, "decree_pk": decree.pk}, rows=[decree, *built.rows])


def secretariat_at(world, place) -> Built:
    built = forum_at(world, place)
    secretariat, _ = Secretariat.objects.get_or_create(body_id=built.kwargs["pk"])
    return Built({"pk": built.kwargs["pk"]}, rows=[secretariat, *built.rows])


def photo_at(world, place) -> Built:
    built = forum_at(world, place)
    secretariat, _ = Secretariat.objects.get_or_create(body_id=built.kwargs["pk"])
    for field in ("name_board_photo", "org_chart_photo"):
        getattr(secretariat, field).save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    secretariat.save()
    return Built({"pk": built.kwargs["pk"]}, rows=[secretariat])


def kabupaten_without_tim_pembina(world, place) -> Built:
    """The kabupaten with its Tim Pembina removed, so that each bulk setup creates something."""
    kabupaten = world.kabupaten(place)
    Body.objects.filter(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=kabupaten).delete()
    return Built({}, extra={"kabupaten": kabupaten.code})


def member_data(world, built):
    return {"name": f"Anggota baru {world.fresh()}", "position": "anggota", "origin": "media"}


def decree_data(world, built):
    return {"number": f"SK baru {world.fresh()}", "date": "2025-01-02", "signer": "Camat", "valid_from": "2025-01-02"}


def secretariat_data(world, built):
    return {"address": f"Jl. Baru {world.fresh()}", "room": "Aula"}


# --- The API (``forums.api``): objects named by their own id; writes refused with 404 like the pages.


def patch(data, **options) -> Write:
    return Write(data, "PATCH", **{"ok": (200,), **options})


def api_post(data=None, **options) -> Write:
    return Write({} if data is None else data, "POST", **{"ok": (201,), **options})


def member_by_id(world, place) -> Built:
    built = member_at(world, place)
    return Built({"pk": built.kwargs["member_pk"]}, rows=built.rows, marker=built.marker)


def _workplan_builders():
    from forums.tests import authz_rules_workplans as workplans  # it imports this module

    return workplans


def api_plan_at(world, place, **options) -> Built:
    built = _workplan_builders().plan_at(world, place, **options)
    built.api_id = built.kwargs["pk"]
    return built


def api_plan_with_item_at(world, place) -> Built:
    return api_plan_at(world, place, with_item=True)


def api_submitted_plan_at(world, place) -> Built:
    return api_plan_at(world, place, status=WorkPlan.Status.SUBMITTED, with_item=True)


def api_item_at(world, place) -> Built:
    built = _workplan_builders().item_at(world, place)
    return Built({"pk": built.kwargs["item_pk"]}, rows=built.rows, marker=built.marker)


def api_visit_at(world, place) -> Built:
    built = _workplan_builders().visit_at(world, place)
    built.api_id = built.kwargs["pk"]
    return built


def api_visit_target_at(world, place) -> Built:
    return _workplan_builders().visit_target_at(world, place)


def api_plan_data(world, built):
    return {"body": built.kwargs["pk"], "year": _workplan_builders().free_year(built.kwargs["pk"])}


def api_item_data(world, built):
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    return {"tatanan": ksm.pk, "activity": f"Kegiatan API {world.fresh()}", "budget": "1000"}


def api_visit_data(world, built):
    return _workplan_builders().visit_data(world, built)


def api_visit_change(world, built):
    return {"findings": f"Temuan API {world.fresh()}"}


FORUM_ROUTES: dict[str, Rule] = {
    "forums:home": Rule("SIGNED_IN", everywhere(SIGNED_IN), get_ok=(302,)),
    "forums:body_list": Rule("SCOPED_LIST", everywhere(SIGNED_IN), listings=(Listing(FORUM_READERS, forum_at),)),
    "forums:body_bulk_setup": Rule(
        "MANAGE",
        everywhere({"rina", "root"}),
        get_ok=None,
        writes=(
            Write(
                lambda world, built: {"kabupaten": built.extra["kabupaten"]},
                writers=KABUPATEN_ADMINS,
                build=kabupaten_without_tim_pembina,
            ),
        ),
    ),
    "forums:body_detail": scoped_object(FORUM_READERS, forum_at),
    # Renaming a body is its kabupaten's Bappeda's (the name of its SK); each write a new name.
    "forums:body_rename": scoped_object(
        KABUPATEN_ADMINS, forum_at, writes=[post(lambda world, built: {"name": f"Forum Komunikasi {world.fresh()}"})]
    ),
    "forums:decree_list": scoped_object(FORUM_READERS, forum_at, writes=[post(decree_data, writers=FORUM_EDITORS)]),
    "forums:decree_file": scoped_object(FORUM_READERS, decree_at),
    "forums:member_add": scoped_object(FORUM_EDITORS, forum_at, writes=[post(member_data)]),
    "forums:member_import": scoped_object(FORUM_EDITORS, forum_at, writes=[post(ok=(200,), changes=False)]),
    "forums:member_import_template": scoped_object(FORUM_EDITORS, forum_at),
    "forums:member_edit": scoped_object(FORUM_EDITORS, member_at, writes=[post(member_data)]),
    "forums:member_toggle_active": scoped_object(FORUM_EDITORS, member_at, get_ok=None, writes=[post()]),
    "forums:secretariat_edit": scoped_object(FORUM_EDITORS, secretariat_at, writes=[post(secretariat_data)]),
    "forums:name_board_photo": scoped_object(FORUM_READERS, photo_at),
    "forums:org_chart_photo": scoped_object(FORUM_READERS, photo_at),
    # The API: readers read, editors write (others who read get 404 on writes, as on the pages).
    "body-list": Rule("SCOPED_LIST", everywhere(SIGNED_IN), listings=(Listing(FORUM_READERS, forum_at),)),
    "body-detail": scoped_object(FORUM_READERS, forum_at),
    "body-decrees": scoped_object(FORUM_READERS, forum_at, writes=[api_post(decree_data, writers=FORUM_EDITORS)]),
    "body-members": scoped_object(FORUM_READERS, forum_at, writes=[api_post(member_data, writers=FORUM_EDITORS)]),
    "body-secretariat": scoped_object(
        FORUM_READERS, secretariat_at, writes=[Write(secretariat_data, "PUT", ok=(200,), writers=FORUM_EDITORS)]
    ),
    "member-detail": scoped_object(FORUM_EDITORS, member_by_id, get_ok=None, writes=[patch(member_data)]),
    "work-plan-list": Rule(
        "SCOPED_LIST",
        everywhere(SIGNED_IN),
        listings=(Listing(FORUM_READERS, api_plan_at),),
        writes=(api_post(api_plan_data, writers=FORUM_EDITORS, build=forum_at),),
    ),
    "work-plan-detail": scoped_object(FORUM_READERS, api_plan_at),
    "work-plan-items": scoped_object(FORUM_EDITORS, api_plan_at, get_ok=None, writes=[api_post(api_item_data)]),
    "work-plan-submit": scoped_object(FORUM_EDITORS, api_plan_with_item_at, get_ok=None, writes=[post(ok=(200,))]),
    "work-plan-approve": scoped_object(
        FORUM_READERS, api_submitted_plan_at, get_ok=None, writes=[post(ok=(200,), writers=KABUPATEN_ADMINS)]
    ),
    "work-plan-return": scoped_object(
        FORUM_READERS,
        api_submitted_plan_at,
        get_ok=None,
        writes=[post({"reason": "Perbaiki target"}, ok=(200,), writers=KABUPATEN_ADMINS)],
    ),
    "work-plan-item-detail": scoped_object(
        FORUM_EDITORS,
        api_item_at,
        get_ok=None,
        writes=[patch(api_item_data), Write({}, "DELETE", ok=(204,))],
    ),
    "pembinaan-list": Rule(
        "SCOPED_LIST",
        everywhere(SIGNED_IN),
        listings=(Listing(FORUM_READERS, api_visit_at),),
        writes=(
            api_post(
                api_visit_data,
                writers={"serang": frozenset({"rina"}), "bogor": frozenset()},
                build=api_visit_target_at,
            ),
        ),
    ),
    "pembinaan-detail": scoped_object(
        FORUM_READERS, api_visit_at, writes=[patch(api_visit_change, writers=KABUPATEN_ADMINS)]
    ),
}
