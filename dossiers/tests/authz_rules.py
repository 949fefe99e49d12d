"""Authorization rules of the dossier routes, in the shape of ``kks_portal.tests.authz``.

``DOSSIER_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
A dossier is read by the kabupaten's Bappeda admin, its province's verifiers, the national
verifier and the superuser (not by OPD operators or secretaries); only the Bappeda admin and
the superuser compile. The verification page is public.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from dossiers.models import Dossier, DossierVersion
from kks_portal.tests.authz import EVERYONE, Built, Rule, Write, everywhere

DOSSIER_READERS = {
    "serang": frozenset({"rina", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}
KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}
UNKNOWN_SHA256 = "0" * 64


def dossier_at(world, place) -> Built:
    assessment = world.assessment(place)
    return Built({"pk": assessment.pk}, rows=[assessment], marker=assessment.kabupaten.name)


def version_at(world, place) -> Built:
    """A finished version with a small PDF. Numbers differ between places (so that a number named
    under the other place's assessment is really someone else's) and stay clear of the versions
    the compile route makes (1, 2, …)."""
    assessment = world.assessment(place)
    dossier, _ = Dossier.objects.get_or_create(assessment=assessment)
    version = DossierVersion(
        dossier=dossier, number=1000 + int(world.fresh()), state=DossierVersion.State.DONE, progress=100
    )
    version.pdf.save("dossier.pdf", ContentFile(b"%PDF-1.7\n% dossier uji\n"), save=False)
    version.sha256 = "1" * 64
    version.save()
    return Built({"pk": assessment.pk, "number": version.number}, rows=[version])


DOSSIER_ROUTES: dict[str, Rule] = {
    "dossiers:detail": Rule("SCOPED_OBJECT", DOSSIER_READERS, build=dossier_at),
    "dossiers:status": Rule("SCOPED_OBJECT", DOSSIER_READERS, build=dossier_at),
    "dossiers:download": Rule("SCOPED_OBJECT", DOSSIER_READERS, build=version_at),
    # Compiling (a real one, Celery eager) is the kabupaten's Bappeda admin's; readers get 404.
    "dossiers:compile": Rule(
        "SCOPED_OBJECT",
        DOSSIER_READERS,
        build=dossier_at,
        get_ok=None,
        writes=(Write({}, "POST", writers=KABUPATEN_ADMINS),),
    ),
    # Anyone checks a PDF or a hash; checking changes nothing.
    "dossiers:verify": Rule(
        "PUBLIC", everywhere(EVERYONE), writes=(Write({"sha256": UNKNOWN_SHA256}, "POST", ok=(200,), changes=False),)
    ),
    "dossiers:verify_code": Rule("PUBLIC", everywhere(EVERYONE), args=lambda world: {"code": UNKNOWN_SHA256}),
}
