"""Authorization rules of the activity, upload, removal and gallery pages, in the shape of
``kks_portal.tests.authz``.

``PAGE_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
Activities and body files are built on the Forum Kecamatan Sehat of the place's kecamatan
(Carenang in Serang): read by the kabupaten's readers and the kecamatan's secretary (sari), edited
by the Bappeda admin, sari and the superuser; tono (Binuang) and dewi (a desa below Carenang)
reach none of them. Requirements and titik pantau belong to the kabupaten's assessment; a
pembinaan visit to the kabupaten's Tim Pembina.

Upload URLs answer a GET with a redirect to the owner's page (302) for whoever may attach, and
404 for everyone else, like their POST.
"""

from __future__ import annotations

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from evidence.models import Activity, EvidenceFile, FileType
from evidence.selectors import Owner
from evidence.tests.blobs import attach, photo_bytes, store_blob
from forums.models import Body
from forums.tests.authz_rules import FORUM_EDITORS, FORUM_READERS, KABUPATEN_ADMINS, READERS, forum_at
from forums.tests.authz_rules_workplans import VISIT_READERS, visit_at
from indicators.models import TitikPantau
from kks_portal.tests.authz import SIGNED_IN, Built, Listing, Rule, Write, everywhere
from tatanan.models import EvidenceRequirement, Indicator

# Who attaches to a titik pantau: Bappeda, and the operators of an OPD with an indicator of its
# tatanan assigned (the world assigns indicator 1 to each kabupaten's Dinkes: oscar in Serang).
TITIK_PANTAU_ATTACHERS = {"serang": frozenset({"rina", "oscar", "root"}), "bogor": frozenset({"root"})}

_pdf_numbers = itertools.count(1)


def pdf_upload(name: str) -> SimpleUploadedFile:
    """A real one-page PDF, different bytes every time (a duplicate would still be linked, but
    the same bytes twice on one owner are not added again, and a write must change something)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Bukti {next(_pdf_numbers)} {name}"})
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), "application/pdf")


# --- Builders -------------------------------------------------------------------------------------


def _forum(world, place) -> Body:
    return Body.objects.get(pk=forum_at(world, place).kwargs["pk"])


def activity_at(world, place) -> Built:
    body = _forum(world, place)
    activity = Activity.objects.create(body=body, title=f"Kegiatan {place} {world.fresh()}", date="2025-03-12")
    activity.tatanan.add(world.tatanan)
    return Built({"pk": activity.pk}, rows=[activity], marker=activity.title, region=body.region)


def body_file_at(world, place) -> Built:
    body = _forum(world, place)
    blob = store_blob(world.kabupaten(place), f"%PDF-1.4 berkas {world.fresh()}".encode(), FileType.PDF)
    evidence = attach(blob, Owner(body=body), kind=EvidenceFile.Kind.SK, name=f"SK {world.fresh()}.pdf")
    return Built({"pk": evidence.pk}, rows=[evidence, blob], marker=evidence.original_name, region=body.region)


def activity_photo_at(world, place) -> Built:
    """A photo of an activity tagged with the world's tatanan (for the tatanan gallery)."""
    built = activity_at(world, place)
    activity = built.rows[0]
    blob = store_blob(world.kabupaten(place), photo_bytes((40 + int(world.fresh()) % 300, 30)), FileType.JPEG)
    evidence = attach(blob, Owner(activity=activity), name=f"Foto {world.fresh()}.jpg")
    return Built({}, rows=[evidence], marker=f"/bukti/berkas/{evidence.pk}/kecil/", region=built.region)


def requirement_at(world, place) -> Built:
    """A requirement (no data year) of an indicator local to the place's kabupaten: under the
    other kabupaten's assessment it does not exist."""
    assessment = world.assessment(place)
    n = world.fresh()
    indicator = Indicator.objects.create(
        cycle=world.cycle,
        tatanan=world.tatanan,
        number=f"R{n}",
        order=500 + int(n),
        name=f"Indikator bukti {place} {n}",
        is_local=True,
        owner_kabupaten=world.kabupaten(place),
    )
    requirement = EvidenceRequirement.objects.create(indicator=indicator, description=f"Laporan {place} {n}")
    return Built(
        {"assessment_pk": assessment.pk, "requirement_pk": requirement.pk, "year": 0},
        rows=[requirement],
        marker=requirement.description,
        region=assessment.kabupaten,
    )


def titik_pantau_at(world, place) -> Built:
    assessment = world.assessment(place)
    point = TitikPantau.objects.create(
        assessment=assessment, tatanan=world.tatanan, name=f"Pasar bukti {place} {world.fresh()}", kind="pasar"
    )
    return Built({"pk": point.pk}, rows=[point], marker=point.name, region=assessment.kabupaten)


# --- What writes send ---------------------------------------------------------------------------


def activity_data(world, built):
    return {"title": f"Kegiatan baru {world.fresh()}", "date": "2025-03-12", "realised_budget": "0"}


def upload_data(world, built):
    # A report is a kind every owner of evidence takes (OWNER_KINDS in evidence/selectors.py).
    return {"kind": "laporan", "files": pdf_upload(f"bukti-{world.fresh()}.pdf")}


def _scoped(audience, build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", audience, build=build, **options)


def _upload(audience, build) -> Rule:
    return _scoped(audience, build, get_ok=(302,), writes=(Write(upload_data, "POST"),))


PAGE_ROUTES: dict[str, Rule] = {
    # A body's activities and its own files.
    "evidence:activity_list": _scoped(FORUM_READERS, forum_at),
    "evidence:activity_add": _scoped(FORUM_EDITORS, forum_at, writes=(Write(activity_data, "POST"),)),
    "evidence:body_files": _scoped(FORUM_READERS, forum_at),
    "evidence:body_upload": _upload(FORUM_EDITORS, forum_at),
    "evidence:body_gallery": _scoped(FORUM_READERS, forum_at),
    # One activity.
    "evidence:activity_detail": _scoped(FORUM_READERS, activity_at),
    "evidence:activity_edit": _scoped(FORUM_EDITORS, activity_at, writes=(Write(activity_data, "POST"),)),
    "evidence:activity_remove": _scoped(FORUM_EDITORS, activity_at, writes=(Write({}, "POST"),)),
    "evidence:activity_upload": _upload(FORUM_EDITORS, activity_at),
    # The assessment's requirements and titik pantau: the kabupaten's readers; Bappeda attaches.
    "evidence:requirement_files": _scoped(READERS, requirement_at),
    "evidence:requirement_upload": _upload(KABUPATEN_ADMINS, requirement_at),
    "evidence:titik_pantau_files": _scoped(READERS, titik_pantau_at),
    "evidence:titik_pantau_upload": _upload(TITIK_PANTAU_ATTACHERS, titik_pantau_at),
    # A visit of the kabupaten's Tim Pembina: read where it went, attached by whoever runs the team.
    "evidence:pembinaan_files": _scoped(VISIT_READERS, visit_at),
    "evidence:pembinaan_upload": _upload(KABUPATEN_ADMINS, visit_at),
    # Removing a file: its owner's attachers (the confirmation page and the POST).
    "evidence:file_remove": _scoped(FORUM_EDITORS, body_file_at, writes=(Write({}, "POST"),)),
    # Photos of activities tagged with a tatanan, each shown to those who read its activity.
    "evidence:tatanan_gallery": Rule(
        "SCOPED_LIST",
        everywhere(SIGNED_IN),
        args=lambda world: {"pk": world.tatanan.pk},
        listings=(Listing(FORUM_READERS, activity_photo_at),),
    ),
}
