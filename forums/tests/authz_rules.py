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

from forums.models import Body, Decree, Member, Secretariat
from kks_portal.tests.authz import SIGNED_IN, Built, Listing, Rule, Write, everywhere

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
}
