"""The dossier's rows: one active compile per assessment in the database itself, finished versions
whose content never changes, submitted versions that never change at all."""

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from dossiers.models import Dossier, DossierVersion, SealedVersionError
from indicators.services import assessment_open
from tatanan.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(shipped_catalogue, wilayah, rina):
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=Cycle.objects.get(award_year=2025), actor=rina)
    return Dossier.objects.create(assessment=assessment)


def done_version(dossier, number=1, **fields) -> DossierVersion:
    version = DossierVersion(dossier=dossier, number=number, state=DossierVersion.State.DONE, progress=100, **fields)
    version.pdf.save("dossier.pdf", ContentFile(b"%PDF-1.7 versi"), save=False)
    version.sha256 = "a" * 64
    version.manifest = {"format": 1, "evidence": []}
    version.save()
    return version


def test_a_new_dossier_is_a_draft(dossier):
    assert dossier.status == Dossier.Status.DRAFT
    assert {value for value, _label in Dossier.Status.choices} >= {
        "submitted",
        "returned",
        "province_approved",
        "national_review",
        "awarded",
        "not_awarded",
    }


def test_the_database_allows_one_active_compile_per_dossier(dossier):
    DossierVersion.objects.create(dossier=dossier, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierVersion.objects.create(dossier=dossier, number=2, state=DossierVersion.State.RUNNING)
    # Finished and failed versions do not count.
    DossierVersion.objects.filter(dossier=dossier, number=1).update(state=DossierVersion.State.FAILED)
    DossierVersion.objects.create(dossier=dossier, number=2, state=DossierVersion.State.RUNNING)


def test_version_numbers_are_unique_per_dossier(dossier):
    DossierVersion.objects.create(dossier=dossier, number=1, state=DossierVersion.State.FAILED)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierVersion.objects.create(dossier=dossier, number=1, state=DossierVersion.State.FAILED)


def test_a_finished_version_keeps_its_content(dossier):
    version = done_version(dossier)
    version.sha256 = "b" * 64
    with pytest.raises(SealedVersionError):
        version.save()
    version.refresh_from_db()
    version.state = DossierVersion.State.FAILED
    with pytest.raises(SealedVersionError):
        version.save()
    with pytest.raises(SealedVersionError):
        DossierVersion.objects.filter(pk=version.pk).update(manifest={})
    version.refresh_from_db()
    assert version.sha256 == "a" * 64
    assert version.manifest == {"format": 1, "evidence": []}
    # Sealing it (the workflow's part) is still allowed.
    version.submitted = True
    version.save()


def test_a_submitted_version_refuses_every_write(dossier, rina):
    version = done_version(dossier, submitted=True, submitted_by=rina)
    version.error = "diubah"
    with pytest.raises(SealedVersionError):
        version.save()
    with pytest.raises(SealedVersionError):
        DossierVersion.objects.filter(pk=version.pk).update(progress=50)
    with pytest.raises(SealedVersionError):
        version.delete()
    with pytest.raises(SealedVersionError):
        DossierVersion.objects.filter(dossier=dossier).delete()
    assert DossierVersion.objects.filter(pk=version.pk, error="").exists()


def test_only_a_finished_version_with_a_hash_can_be_submitted(dossier):
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierVersion.objects.create(dossier=dossier, number=1, submitted=True)
