"""Authorization rules of the innovation routes (pages and API), in the shape of
``kks_portal.tests.authz``.

``INNOVATION_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
Innovations are read by everyone who reads the assessment (its Bappeda admin and OPD operators,
the verifiers of its province, the national verifier, the superuser); only the Bappeda admin of
the kabupaten/kota and the superuser write them; the other readers' writes answer 404, as for
titik pantau (``accounts.access``).
"""

from __future__ import annotations

from indicators.models import Innovation
from kks_portal.tests.authz import SIGNED_IN, Built, Listing, Rule, Write, everywhere

ASSESSMENT_READERS = {
    "serang": frozenset({"rina", "oscar", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}
KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}


def assessment_at(world, place) -> Built:
    assessment = world.assessment(place)
    return Built({"pk": assessment.pk}, rows=[assessment], api_id=assessment.pk)


def innovation_at(world, place) -> Built:
    assessment = world.assessment(place)
    innovation = Innovation.objects.create(
        assessment=assessment, title=f"Inovasi {place} {world.fresh()}", description="Uraian.", year=2030
    )
    return Built(
        {"pk": assessment.pk, "innovation_pk": innovation.pk},
        rows=[innovation],
        marker=innovation.title,
        api_id=innovation.pk,
    )


def innovation_by_id(world, place) -> Built:
    built = innovation_at(world, place)
    built.kwargs = {"pk": built.api_id}
    return built


def new_innovation(world, built):
    return {"title": f"Inovasi baru {world.fresh()}", "year": "2030", "description": "Bank sampah desa."}


def new_innovation_api(world, built):
    return {
        "assessment": built.kwargs["pk"],
        "title": f"Inovasi API {world.fresh()}",
        "year": 2030,
        "description": "Bank sampah desa.",
        "tatanan": "PSR",
    }


def renamed(world, built):
    return {"title": f"Inovasi diubah {world.fresh()}"}


def scoped(audience, build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", audience, build=build, **options)


INNOVATION_ROUTES: dict[str, Rule] = {
    "indicators:innovation_list": scoped(ASSESSMENT_READERS, assessment_at),
    "indicators:innovation_create": scoped(KABUPATEN_ADMINS, assessment_at, writes=(Write(new_innovation),)),
    "indicators:innovation_edit": scoped(KABUPATEN_ADMINS, innovation_at, writes=(Write(new_innovation),)),
    "indicators:innovation_delete": scoped(KABUPATEN_ADMINS, innovation_at, writes=(Write(),)),
    "innovation-list": Rule(
        "SCOPED_LIST",
        everywhere(SIGNED_IN),
        listings=(Listing(ASSESSMENT_READERS, innovation_at),),
        writes=(
            Write(
                new_innovation_api,
                ok=(201,),
                build=assessment_at,
                writers=KABUPATEN_ADMINS,
            ),
        ),
    ),
    "innovation-detail": scoped(
        ASSESSMENT_READERS,
        innovation_by_id,
        writes=(
            Write(renamed, "PATCH", ok=(200,), writers=KABUPATEN_ADMINS),
            Write({}, "DELETE", ok=(204,), writers=KABUPATEN_ADMINS),
        ),
    ),
}
