from pathlib import Path

from indicators.scoring import assessment_score
from indicators.services import assessment_open
from tatanan.importer import instrument_import
from tatanan.models import Cycle, Indicator, KelembagaanItem

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"


def test_opening_an_assessment_on_the_2025_instrument(db, rina, wilayah):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)

    assert assessment.tatanan.count() == 9
    assert assessment.indicator_entries.count() == Indicator.objects.filter(cycle=cycle).count() > 0
    assert assessment.kelembagaan_entries.count() == KelembagaanItem.objects.filter(cycle=cycle).count() > 0
    score = assessment_score(assessment=assessment)
    assert len(score.tatanan) == 9
    assert score.tier is None
    assert score.what_if.target_tier == "padapa"
    assert score.what_if.reaches_score
