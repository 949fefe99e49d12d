"""Authorization rules of the kelembagaan routes, in the shape of ``kks_portal.tests.authz``.

For the project's registry next to ``FORUM_ROUTES``::

    from forums.tests.authz_rules_kelembagaan import KELEMBAGAAN_ROUTES
    ROUTES.update(KELEMBAGAAN_ROUTES)
"""

from __future__ import annotations

import datetime

from forums.models import Body
from indicators.models import DataRequest
from kks_portal.tests.authz import Built, Rule, Write, everywhere

# Bappeda's table: the kabupaten's Bappeda admin and the verifiers over it (not OPD operators,
# not secretaries).
TABLE_READERS = {
    "serang": frozenset({"rina", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}
FILLERS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}


def kabupaten_at(world, place) -> Built:
    kabupaten = world.kabupaten(place)
    return Built({"code": kabupaten.code}, marker=kabupaten.name, region=kabupaten)


def empty_kelembagaan_at(world, place) -> Built:
    """The place's assessment with its kelembagaan entries unscored, so that a fill changes them."""
    assessment = world.assessment(place)
    entries = list(assessment.kelembagaan_entries.all())
    assessment.kelembagaan_entries.update(self_score=None, note="")
    return Built({"code": assessment.kabupaten_id}, rows=entries, region=assessment.kabupaten)


def requestable_at(world, place) -> Built:
    """The place's kabupaten with an open assessment, a Forum Kecamatan and no document request
    yet, so that asking creates one."""
    assessment = world.assessment(place)
    kecamatan = world.kecamatan[place]
    Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=kecamatan)
    assessment.data_requests.filter(kind=DataRequest.Kind.KELEMBAGAAN).delete()
    return Built(
        {"code": assessment.kabupaten_id},
        rows=[assessment],
        region=assessment.kabupaten,
        extra={"region": kecamatan.code},
    )


def document_request_data(world, built):
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    return {"regions": [built.extra["region"]], "documents": ["sk"], "deadline": deadline.isoformat()}


KELEMBAGAAN_ROUTES: dict[str, Rule] = {
    # Every secretary has a home (telling them to ask Bappeda when their body is not set up yet).
    "forums:secretary_home": Rule("SIGNED_IN", everywhere({"sari", "tono", "dewi"})),
    # Bappeda (and the superuser) land on their kabupaten's table.
    "forums:kelembagaan_start": Rule("SIGNED_IN", everywhere({"rina", "root"}), get_ok=(302,)),
    "forums:kelembagaan_table": Rule("SCOPED_OBJECT", TABLE_READERS, build=kabupaten_at),
    "forums:kelembagaan_fill": Rule(
        "SCOPED_OBJECT",
        TABLE_READERS,
        build=kabupaten_at,
        get_ok=None,
        writes=(Write({}, "POST", writers=FILLERS, build=empty_kelembagaan_at),),
    ),
    # Asking the secretaries for documents is the kabupaten's Bappeda admin's (verifiers: 404).
    "forums:kelembagaan_request": Rule(
        "SCOPED_OBJECT", FILLERS, build=requestable_at, writes=(Write(document_request_data),)
    ),
}
