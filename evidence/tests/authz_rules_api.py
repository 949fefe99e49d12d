"""Authorization rules of the readiness pages and the evidence API, in the shape of
``kks_portal.tests.authz``.

``EVIDENCE_API_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.

Who reaches what, by hand (not computed with the selectors under test):

* Activities and files of the Forum Kecamatan Sehat of the place's kecamatan (Carenang in
  Serang) are read by the kabupaten's readers and the kecamatan's secretary (sari) and changed by
  the Bappeda admin, sari and the superuser; tono (Binuang) and dewi (a desa of Carenang) reach
  nothing.
* An assessment's readiness and indicator evidence are read by its readers (Bappeda, the OPD
  operator, the verifiers of the province and the centre, the superuser); a kecamatan's readiness
  also by that kecamatan's secretary.
* A requirement of an indicator assigned to the kabupaten's Dinkes: read by the readers, uploaded
  to by Bappeda, Dinkes's operator (oscar) and the superuser; the same people upload to a titik
  pantau of a tatanan where Dinkes has an indicator. A pembinaan visit of the kabupaten's Tim
  Pembina is uploaded to by Bappeda and the superuser.

Uploads are multipart: the registry sends JSON, which the allowed writers get back as 415 (the
uploads themselves are tested in ``evidence/tests/test_api.py``), everyone else as 404 (401).
"""

from __future__ import annotations

import datetime

from evidence.models import Activity, Blob, EvidenceFile
from forums.models import Body
from forums.tests.authz_rules import FORUM_EDITORS, FORUM_READERS, KABUPATEN_ADMINS, forum_at
from forums.tests.authz_rules_workplans import visit_at
from indicators.models import IndicatorEntry, TitikPantau
from kks_portal.tests.authz import SIGNED_IN, Built, Listing, Rule, Write, everywhere
from tatanan.models import EvidenceRequirement, Indicator

READERS = {
    "serang": frozenset({"rina", "oscar", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}
KECAMATAN_READERS = {"serang": READERS["serang"] | {"sari"}, "bogor": READERS["bogor"]}
DINKES_WORKERS = {"serang": frozenset({"rina", "oscar", "root"}), "bogor": frozenset({"root"})}


def scoped_object(audience, build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", audience, build=build, **options)


def json_upload(writers) -> Write:
    """A JSON body sent to an upload: 415 for those who may upload, and nothing stored."""
    return Write({"kind": "notulen"}, "POST", ok=(415,), changes=False, writers=writers)


# --- Builders ---------------------------------------------------------------------------------------


def assessment_at(world, place) -> Built:
    assessment = world.assessment(place)
    return Built({"pk": assessment.pk}, rows=[assessment], api_id=assessment.pk)


def kecamatan_at(world, place) -> Built:
    assessment = world.assessment(place)
    return Built({"pk": assessment.pk, "code": world.kecamatan[place].code}, rows=[assessment])


def dinkes_entry_at(world, place) -> Built:
    """Indicator 1's entry, assigned to the kabupaten's Dinkes."""
    assessment = world.assessment(place)
    entry = assessment.indicator_entries.get(indicator__number="1", indicator__is_local=False)
    IndicatorEntry.objects.filter(pk=entry.pk).update(assigned_opd=world.opds[place])
    return Built({"pk": assessment.pk, "entry_pk": entry.pk}, rows=[entry])


def activity_at(world, place) -> Built:
    body = Body.objects.get(pk=forum_at(world, place).kwargs["pk"])
    activity = Activity.objects.create(
        body=body, title=f"Rapat forum {place} {world.fresh()}", date=datetime.date(2025, 2, 3)
    )
    return Built({"pk": activity.pk}, rows=[activity], marker=activity.title, api_id=activity.pk, region=body.region)


def file_at(world, place) -> Built:
    """A notulen (a ready blob's row) of an activity of the kecamatan's forum."""
    built = activity_at(world, place)
    activity = built.rows[0]
    blob = Blob.objects.create(
        kabupaten=world.kabupaten(place),
        sha256=f"{world.fresh():0>64}",
        size=10,
        file_type="pdf",
        file=f"bukti/uji/{world.fresh()}.pdf",
        state=Blob.State.READY,
    )
    evidence = EvidenceFile.objects.create(
        blob=blob, kind="notulen", original_name="notulen.pdf", region=activity.body.region, activity=activity
    )
    return Built({"pk": evidence.pk}, rows=[evidence, activity], api_id=evidence.pk, region=activity.body.region)


def requirement_at(world, place) -> Built:
    """A requirement of a local indicator of the kabupaten (so that another kabupaten's assessment
    does not have it), assigned to its Dinkes, for the cycle's first data year."""
    assessment = world.assessment(place)
    indicator = Indicator.objects.create(
        cycle=world.cycle,
        tatanan=world.tatanan,
        number=f"R{world.fresh()}",
        order=500,
        name=f"Indikator lokal bukti {place}",
        is_local=True,
        owner_kabupaten=world.kabupaten(place),
    )
    IndicatorEntry.objects.create(assessment=assessment, indicator=indicator, assigned_opd=world.opds[place])
    requirement = EvidenceRequirement.objects.create(
        indicator=indicator, description="Laporan tahunan", year_scope=EvidenceRequirement.YearScope.EACH
    )
    return Built(
        {"pk": assessment.pk, "requirement_pk": requirement.pk, "year": world.cycle.first_data_year},
        rows=[requirement],
    )


def titik_pantau_at(world, place) -> Built:
    dinkes_entry_at(world, place)  # Dinkes has an indicator in the tatanan
    point = TitikPantau.objects.create(
        assessment=world.assessment(place), tatanan=world.tatanan, name=f"Pasar {place} {world.fresh()}", kind="pasar"
    )
    return Built({"pk": point.pk}, rows=[point])


def new_activity_data(world, built):
    return {"body": built.kwargs["pk"], "title": f"Kegiatan API {world.fresh()}", "date": "2025-01-15"}


def renamed_activity(world, built):
    return {"title": f"Kegiatan diubah {world.fresh()}"}


EVIDENCE_API_ROUTES: dict[str, Rule] = {
    # Pages
    "evidence:readiness": scoped_object(READERS, assessment_at),
    "evidence:readiness_kecamatan": scoped_object(KECAMATAN_READERS, kecamatan_at),
    "evidence:assessment_evidence": scoped_object(READERS, assessment_at),
    "evidence:indicator_evidence": scoped_object(READERS, dinkes_entry_at),
    # Activities
    "activity-list": Rule(
        "SCOPED_LIST",
        everywhere(SIGNED_IN),
        listings=(Listing(FORUM_READERS, activity_at),),
        writes=(Write(new_activity_data, "POST", ok=(201,), writers=FORUM_EDITORS, build=forum_at),),
    ),
    "activity-detail": scoped_object(
        FORUM_READERS,
        activity_at,
        writes=[
            Write(renamed_activity, "PATCH", ok=(200,), writers=FORUM_EDITORS),
            Write({}, "DELETE", ok=(204,), writers=FORUM_EDITORS),
        ],
    ),
    "activity-files": scoped_object(FORUM_READERS, activity_at, writes=[json_upload(FORUM_EDITORS)]),
    "activity-completeness": scoped_object(FORUM_READERS, activity_at),
    # Files of the other owners
    "body-files": scoped_object(FORUM_READERS, forum_at, writes=[json_upload(FORUM_EDITORS)]),
    "requirement-files": scoped_object(READERS, requirement_at, writes=[json_upload(DINKES_WORKERS)]),
    "titik-pantau-files": scoped_object(READERS, titik_pantau_at, writes=[json_upload(DINKES_WORKERS)]),
    "pembinaan-files": scoped_object(FORUM_READERS, visit_at, writes=[json_upload(KABUPATEN_ADMINS)]),
    # Evidence files
    "evidence-file-list": Rule("SCOPED_LIST", everywhere(SIGNED_IN), listings=(Listing(FORUM_READERS, file_at),)),
    "evidence-file-detail": scoped_object(
        FORUM_READERS, file_at, writes=[Write({}, "DELETE", ok=(204,), writers=FORUM_EDITORS)]
    ),
    "evidence-file-history": scoped_object(FORUM_READERS, file_at),
    # Readiness
    "body-readiness": scoped_object(FORUM_READERS, forum_at),
    "assessment-readiness": scoped_object(READERS, assessment_at),
    "assessment-readiness-kecamatan": scoped_object(KECAMATAN_READERS, kecamatan_at),
}
