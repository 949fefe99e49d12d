"""The demo's 2025 round: opened on the real instrument, filled, with papers and activities."""

from pathlib import Path

from pypdf import PdfReader

from demo.round import demo_pdf
from demo.services import demo_seed
from evidence.models import Activity, Blob, EvidenceFile
from forums.models import Body, WorkPlan
from indicators.models import Assessment, IndicatorEntry, OdfStatus
from indicators.scoring import assessment_score
from tatanan.importer import instrument_import
from tatanan.models import Cycle

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"


def test_demo_pdf_is_a_readable_one_page_pdf():
    reader = PdfReader(__import__("io").BytesIO(demo_pdf("Undangan rapat (demo)")))

    assert len(reader.pages) == 1
    assert "Undangan rapat demo" in reader.pages[0].extract_text()


def test_seed_opens_and_fills_the_2025_round_once(db):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported

    demo_seed()
    assessment = Assessment.objects.get(kabupaten_id="36.04", cycle=cycle)
    entries = assessment.indicator_entries.all()
    assert entries.count() > 100
    assert not entries.filter(status=IndicatorEntry.Status.KOSONG).exists()
    assert OdfStatus.objects.filter(assessment=assessment).count() == 29
    assert assessment.titik_pantau.count() == 3
    score = assessment_score(assessment=assessment)
    assert all(t.percent is not None for t in score.tatanan)

    # Kramatwatu shows finished bodies; the demo secretaries' (Carenang) stay empty to try.
    assert not Body.objects.get(region_id="36.04.17", kind=Body.Kind.FORUM_KECAMATAN).decrees.exists()
    pokja = Body.objects.filter(region__parent_id="36.04.05", kind=Body.Kind.POKJA_DESA).order_by("region_id")[0]
    assert pokja.decrees.filter(is_current=True).exists()
    assert WorkPlan.objects.get(body=pokja, year=2024).status == WorkPlan.Status.APPROVED
    activities = Activity.objects.filter(body=pokja)
    assert activities.count() == 2
    kinds = set(EvidenceFile.objects.filter(activity__in=activities).values_list("kind", flat=True))
    assert kinds == {"undangan", "daftar_hadir", "notulen", "foto"}

    # A second run changes nothing, and a user's edit survives it.
    entry = entries.first()
    entry.explanation = "Diubah pengguna"
    entry.save()
    counts = (Activity.objects.count(), EvidenceFile.objects.count(), Blob.objects.count())
    demo_seed()
    entry.refresh_from_db()
    assert entry.explanation == "Diubah pengguna"
    assert (Activity.objects.count(), EvidenceFile.objects.count(), Blob.objects.count()) == counts
