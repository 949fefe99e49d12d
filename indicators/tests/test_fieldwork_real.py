"""Field work on the official 2025 instrument: its 16 kelembagaan items and its real scales."""

from pathlib import Path

import pytest

from indicators.fieldwork.services import local_indicator_add
from indicators.models import KelembagaanEntry
from indicators.scoring import assessment_score
from indicators.services import assessment_open
from tatanan.importer import instrument_import
from tatanan.models import Cycle, Tatanan

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"


@pytest.fixture
def assessment_2025(db, rina, wilayah):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    return assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)


def test_rina_scores_the_16_kelembagaan_items_in_one_form(client_for, rina, assessment_2025):
    client = client_for(rina)
    page = client.get(f"/penilaian/{assessment_2025.pk}/kelembagaan/")
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 16
    entries = list(KelembagaanEntry.objects.filter(assessment=assessment_2025).order_by("item__order", "item_id"))
    data = {
        "kelembagaan-TOTAL_FORMS": "16",
        "kelembagaan-INITIAL_FORMS": "16",
        "kelembagaan-MIN_NUM_FORMS": "0",
        "kelembagaan-MAX_NUM_FORMS": "1000",
    }
    for i, e in enumerate(entries):
        top = max(e.item.scale_options.all(), key=lambda o: o.value)
        data |= {f"kelembagaan-{i}-entry": e.pk, f"kelembagaan-{i}-self_score": top.pk, f"kelembagaan-{i}-note": ""}
    assert not assessment_score(assessment=assessment_2025).kelembagaan_met
    assert client.post(f"/penilaian/{assessment_2025.pk}/kelembagaan/", data).status_code == 302
    assert assessment_score(assessment=assessment_2025).kelembagaan_met


def test_a_local_indikator_pokok_leaves_the_ksm_percent_alone(rina, assessment_2025):
    ksm = Tatanan.objects.get(tatanan_set=assessment_2025.cycle.tatanan_set, code="KSM")
    for e in assessment_2025.indicator_entries.filter(indicator__tatanan=ksm):
        e.self_score = e.indicator.scale_options.order_by("-value").first()
        e.save()
    before = {t.code: t.percent for t in assessment_score(assessment=assessment_2025).tatanan}
    assert before["KSM"] == 100
    entry = local_indicator_add(
        assessment=assessment_2025,
        actor=rina,
        tatanan=ksm,
        number="L1",
        name="Tidak ada gelandangan dan pengemis di tempat umum",
        scale_text="100 = tidak ada\n0 = ada",
    )
    entry.self_score = entry.indicator.scale_options.get(value=0)
    entry.save()
    after = {t.code: t.percent for t in assessment_score(assessment=assessment_2025).tatanan}
    assert after == before
