"""Fixtures of the verification workflow tests (imported by the test modules that use them).

``ready``: the small Serang dossier world of ``conftest.serang_2025`` completed so that every
submission check passes (the second year's evidence, kelembagaan scores, the kabupaten's Tim
Pembina and Forum with an SK, ODF for both kecamatan). ``finished_version`` makes a finished
version with a small real PDF (the workflow does not care how it was compiled; the compile has
tests of its own). ``submitted`` is the ready dossier submitted by rina.
"""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile

from dossiers.models import Dossier, DossierVersion
from dossiers.tests.conftest import attach, make_blob, pdf_bytes
from dossiers.workflow.services import ScoreChange, dossier_submit, review_open, verification_scores_update
from evidence.models import FileType
from forums.models import Body, Decree
from indicators.models import KelembagaanEntry, OdfStatus
from tatanan.models import EvidenceRequirement

PLAN = [
    {"key": "profil", "title": "Profil Umum", "number": "1", "group": "", "group_title": ""},
    {"key": "tatanan-psr", "title": "Pasar", "number": "5.4", "group": "tatanan", "group_title": "Capaian"},
]


def finished_version(assessment, *, actor=None, pages=2) -> DossierVersion:
    """A finished version of ``assessment``'s dossier with a real small PDF, numbered next."""
    dossier, _created = Dossier.objects.get_or_create(assessment=assessment)
    number = (dossier.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    pdf = pdf_bytes(pages)
    version = DossierVersion(
        dossier=dossier,
        number=number,
        created_by=actor,
        state=DossierVersion.State.DONE,
        progress=100,
        plan=PLAN,
        sha256=hashlib.sha256(pdf + str(number).encode()).hexdigest(),
        manifest_sha256=hashlib.sha256(f"manifest {assessment.pk} {number}".encode()).hexdigest(),
        page_count=pages,
        size=len(pdf),
    )
    version.pdf.save("dossier.pdf", ContentFile(pdf), save=False)
    version.save()
    return version


def complete(assessment) -> None:
    """Fill what ``serang_2025`` leaves missing so that every submission check passes."""
    serang = assessment.kabupaten
    for requirement in EvidenceRequirement.objects.filter(indicator__cycle=assessment.cycle):
        for year in (2023, 2024):
            if not assessment.files.filter(requirement=requirement, data_year=year).exists():
                blob = make_blob(serang, pdf_bytes(1) + f"{requirement.pk}-{year}".encode(), FileType.PDF)
                attach(
                    blob,
                    region=serang,
                    kind="laporan",
                    original_name=f"laporan-{year}.pdf",
                    requirement=requirement,
                    assessment=assessment,
                    data_year=year,
                )
    for entry in KelembagaanEntry.objects.filter(assessment=assessment).select_related("item"):
        entry.self_score = entry.item.scale_options.order_by("-value").first()
        entry.save()
    for kind in (Body.Kind.TIM_PEMBINA_KABKOTA, Body.Kind.FORUM_KABKOTA):
        body, _created = Body.objects.get_or_create(kind=kind, region=serang)
        if not body.decrees.exists():
            Decree.objects.create(
                body=body,
                number=f"100.3.3.2/Kep.{kind[:4]}-Huk/2023",
                date=datetime.date(2023, 2, 6),
                signer="Bupati Serang",
                valid_from=datetime.date(2023, 2, 6),
            )


@pytest.fixture
def ready(serang_2025, wilayah):
    complete(serang_2025)
    OdfStatus.objects.get_or_create(
        assessment=serang_2025, kecamatan=wilayah["binuang"], desa=None, defaults={"desa_total": 1, "desa_odf": 1}
    )
    return serang_2025


@pytest.fixture
def submitted(ready, rina, django_capture_on_commit_callbacks):
    finished_version(ready, actor=rina)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit(assessment=ready, actor=rina, comment="Mohon diverifikasi.")
    return Dossier.objects.get(assessment=ready)


def score_all(dossier, actor, *, value=None) -> int:
    """Score every indicator in the actor's current layer: the option with ``value``, else the
    self score's value."""
    changes = []
    for entry in dossier.assessment.indicator_entries.select_related("self_score"):
        options = {o.value: o.pk for o in entry.indicator.scale_options.all()}
        wanted = value if value is not None else entry.self_score.value
        changes.append(ScoreChange(entry_id=entry.pk, option_id=options[wanted], note=f"Dinilai {wanted}."))
    return verification_scores_update(dossier=dossier, actor=actor, changes=changes)


@pytest.fixture
def in_review(submitted, vina):
    review_open(dossier=submitted, actor=vina)
    submitted.refresh_from_db()
    return submitted
