"""Authorization rules of the version comparison, the SIPANTAS downloads and the dossier API, in
the shape of ``kks_portal.tests.authz``.

``DOSSIER_DIFF_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``,
beside ``DOSSIER_ROUTES``. They have the dossier's readers (its kabupaten's Bappeda admin, its
province's verifiers, the national verifier, the superuser); only the Bappeda admin and the
superuser compile; the other readers' compile answers 404 (``accounts.access``).
"""

from __future__ import annotations

from dataclasses import replace

from dossiers.tests.authz_rules import DOSSIER_READERS, KABUPATEN_ADMINS, dossier_at, version_at
from indicators.models import Assessment
from kks_portal.tests.authz import Built, Rule, Write


def entry_zip_at(world, place) -> Built:
    """One indicator entry's ZIP of the first data year, under the place's dossier."""
    built = dossier_at(world, place)
    assessment = Assessment.objects.get(pk=built.kwargs["pk"])
    entry = assessment.indicator_entries.order_by("pk").first()
    return replace(built, kwargs={**built.kwargs, "entry_pk": entry.pk, "year": assessment.cycle.first_data_year})


def read(build=dossier_at, **options) -> Rule:
    return Rule("SCOPED_OBJECT", DOSSIER_READERS, build=build, **options)


DOSSIER_DIFF_ROUTES: dict[str, Rule] = {
    "dossiers:diff": read(),
    "dossiers:sipantas_json": read(),
    "dossiers:sipantas_xlsx": read(),
    "dossiers:sipantas_zip": read(),
    "dossiers:sipantas_entry_zip": read(build=entry_zip_at),
    "dossier-detail": read(),
    # A real compile (Celery eager) for the admins; the verifiers read the dossier, and get 404.
    "dossier-compile": read(
        get_ok=None,
        writes=(Write({}, "POST", ok=(202,), writers=KABUPATEN_ADMINS),),
    ),
    "dossier-version": read(version_at),
    "dossier-version-pdf": read(version_at),
    "dossier-diff": read(),
    "dossier-sipantas": read(),
}
