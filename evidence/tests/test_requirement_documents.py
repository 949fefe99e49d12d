"""One requirement per document (docs/DOMAIN.md, "Evidence requirements"): on the real 2025
instrument, an indicator asking "SK, SOP dan laporan kasus" is complete only with a file for each
document and year, and its requirements can no longer be merged or split once a file is there."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evidence.completeness import indicator_readiness
from evidence.tests.readiness_world import attach_requirement
from indicators.models import IndicatorEntry
from indicators.services import assessment_open
from tatanan.importer import instrument_import
from tatanan.models import Cycle
from tatanan.selectors import requirement_documents
from tatanan.services import requirements_merge

pytestmark = pytest.mark.django_db

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"


@pytest.fixture
def serang_2025(wilayah, rina, dinkes_serang):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    return assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)


def sra_entry(assessment):
    """PDD 3: a report on child-friendly schools with 1. the SK, 2. the SOP, 3. the case reports."""
    return IndicatorEntry.objects.get(assessment=assessment, indicator__tatanan__code="PDD", indicator__number="3")


def test_one_pdf_for_sk_sop_and_case_reports_is_not_complete(serang_2025):
    entry = sra_entry(serang_2025)
    documents = requirement_documents(entry.indicator.evidence_requirements.order_by("order", "data_year", "id"))
    assert len(documents) == 4

    # Before, the whole text was one requirement per year: one PDF a year made it complete.
    for requirement in documents[0].requirements:
        attach_requirement(serang_2025, requirement, requirement.data_year)
    state = indicator_readiness(entry)
    assert not state.complete
    assert [(c.requirement.description[:20], c.year) for c in state.missing] == [
        ("SK untuk SRA baik ya", 2023),
        ("SK untuk SRA baik ya", 2024),
        ("SOP penanganan kasus", 2023),
        ("SOP penanganan kasus", 2024),
        ("Laporan pendampingan", 2023),
        ("Laporan pendampingan", 2024),
    ]

    for document in documents[1:]:
        for requirement in document.requirements:
            attach_requirement(serang_2025, requirement, requirement.data_year)
    assert indicator_readiness(sra_entry(serang_2025)).complete


def test_requirements_with_evidence_are_locked(serang_2025, root_user, client_for):
    entry = sra_entry(serang_2025)
    documents = requirement_documents(entry.indicator.evidence_requirements.order_by("order", "data_year", "id"))
    attach_requirement(serang_2025, documents[1].requirements[0], 2023)

    with pytest.raises(ValidationError, match="sudah ada berkas bukti yang diunggah"):
        requirements_merge(
            owner=entry.indicator, keys=[documents[1].key, documents[2].key], description="SK dan SOP", actor=root_user
        )
    page = client_for(root_user).post(
        reverse("tatanan:requirements_review", args=[2025]),
        {
            "action": "merge",
            "owner": f"indicator-{entry.indicator.pk}",
            "requirement_ids": [documents[1].key, documents[2].key],
            "description": "SK dan SOP",
        },
    )
    assert page.status_code == 200
    assert "sudah ada berkas bukti yang diunggah untuknya" in page.content.decode()
    assert len(requirement_documents(entry.indicator.evidence_requirements.all())) == 4
