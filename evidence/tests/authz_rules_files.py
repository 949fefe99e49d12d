"""Authorization rules of the evidence downloads and the reference point page, in the shape of
``kks_portal.tests.authz``.

``FILE_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
The files are built on the Forum Kecamatan Sehat of the place's kecamatan (Carenang in Serang),
so they are read by the kabupaten's readers and by the kecamatan's secretary (sari); tono
(Binuang) and dewi (a desa below Carenang) reach none of them.
"""

from __future__ import annotations

from decimal import Decimal

from evidence.models import EvidenceFile, FileType, ReferencePoint
from evidence.photos import process_blob
from evidence.selectors import Owner
from evidence.tests.blobs import PDF_BYTES, attach, photo_bytes, store_blob
from forums.models import Body
from forums.tests.authz_rules import FORUM_READERS, KABUPATEN_ADMINS, forum_at
from kks_portal.tests.authz import Built, Rule, Write

# Where each place's kabupaten lies (Serang, Bogor), for the reference point form.
CENTRES = {"serang": ("-6.12", "106.15"), "bogor": ("-6.55", "106.80")}


def file_at(world, place) -> Built:
    """A PDF notulen of the kecamatan's forum."""
    body = Body.objects.get(pk=forum_at(world, place).kwargs["pk"])
    blob = store_blob(world.kabupaten(place), PDF_BYTES + world.fresh().encode(), FileType.PDF)
    evidence = attach(blob, Owner(body=body), kind=EvidenceFile.Kind.NOTULEN, name=f"Notulen {world.fresh()}.pdf")
    return Built({"pk": evidence.pk}, rows=[evidence, blob], region=body.region)


def photo_at(world, place) -> Built:
    """A processed photo of the kecamatan's forum (with its thumbnail and preview)."""
    body = Body.objects.get(pk=forum_at(world, place).kwargs["pk"])
    blob = store_blob(world.kabupaten(place), photo_bytes((64 + int(world.fresh()) % 200, 48)))
    process_blob(blob.pk)
    evidence = attach(blob, Owner(body=body), name=f"Foto {world.fresh()}.jpg")
    return Built({"pk": evidence.pk}, rows=[evidence, blob], region=body.region)


def kabupaten_at(world, place) -> Built:
    """The kabupaten, with a reference point already set (refused writes must leave it as it is)."""
    kabupaten = world.kabupaten(place)
    latitude, longitude = CENTRES[place]
    point, _ = ReferencePoint.objects.get_or_create(
        kabupaten=kabupaten, defaults={"latitude": Decimal(latitude), "longitude": Decimal(longitude)}
    )
    return Built({"code": kabupaten.code}, rows=[point], region=kabupaten, extra={"place": place})


def reference_data(world, built):
    latitude, longitude = CENTRES[built.extra["place"]]
    # A new radius every time, so that every allowed write visibly changes the row.
    return {"latitude": latitude, "longitude": longitude, "radius_km": str(10 + int(world.fresh()))}


def _scoped(build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", FORUM_READERS, build=build, **options)


FILE_ROUTES = {
    "evidence:file_download": _scoped(file_at),
    "evidence:file_thumbnail": _scoped(photo_at),
    "evidence:file_preview": _scoped(photo_at),
    # The kabupaten's Bappeda admin and the superuser; every other persona finds no page.
    "evidence:reference_point": Rule(
        "SCOPED_OBJECT", KABUPATEN_ADMINS, build=kabupaten_at, writes=(Write(reference_data, "POST"),)
    ),
}
