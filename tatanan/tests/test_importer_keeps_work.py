"""A re-import of the instrument into a cycle whose rounds already hold work: an evidence file stays
on the requirement (document and data year) it was uploaded for and a score on the option (value)
it gave, whatever order the workbook now lists them in; what the workbook no longer asks for is
kept while a file or a score uses it, and the report says so (docs/DOMAIN.md, "Re-importing the
instrument")."""

import pytest

from evidence.tests.factories import EvidenceFileFactory
from indicators.tests.factories import AssessmentFactory, IndicatorEntryFactory, KelembagaanEntryFactory
from tatanan.importer import Status, identity_text, instrument_import
from tatanan.models import EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption

from .workbooks import SCALE_OK, indicator_row, to_file, workbook_2023_layout, workbook_2025

pytestmark = pytest.mark.django_db

BUKTI = "SK, SOP dan laporan kasus tahun 2023 dan 2024"


def workbook(*, bukti=BUKTI, scale=SCALE_OK):
    row = indicator_row(1, "Regulasi pasar sehat", scale, bukti=bukti)
    return to_file(workbook_2025({"Tatanan 4 Pasar": ("TATANAN 4: PASAR", [row])}))


def imported(cycle, *, dry_run=False, **kwargs):
    report = instrument_import(cycle=cycle, file=workbook(**kwargs), dry_run=dry_run)
    assert report.ok, (report.problems, [(r.row_label, r.message) for r in report.error_rows])
    return report


def documents(indicator):
    """(document, data year) of each requirement, in order, years left out of the names."""
    requirements = indicator.evidence_requirements.order_by("order", "data_year", "id")
    return [(identity_text(r.description), r.data_year) for r in requirements]


def the_row(report):
    (row,) = [row for row in report.rows if row.subject.startswith("PSR 1.")]
    return row


def kept_notes(report):
    return [note for note in report.notes if "tidak dihapus" in note]


@pytest.fixture
def pasar(cycle_2025):
    imported(cycle_2025)
    return Indicator.objects.get(cycle=cycle_2025, tatanan__code="PSR", number="1")


@pytest.fixture
def assessment(pasar):
    return AssessmentFactory(cycle=pasar.cycle)


def sk_2024(indicator):
    return indicator.evidence_requirements.get(description="SK", data_year=2024)


@pytest.mark.parametrize(
    ("bukti", "expected"),
    [
        (
            "Laporan kasus, SOP dan SK tahun 2023 dan 2024",  # another order
            ["laporan kasus", "sop", "sk"],
        ),
        (
            "SK, notulen rapat, SOP dan laporan kasus tahun 2023 dan 2024",  # one more document
            ["sk", "notulen rapat", "sop", "laporan kasus"],
        ),
        ("SK dan laporan kasus tahun 2023 dan 2024", ["sk", "laporan kasus"]),  # one fewer, without files
    ],
)
def test_files_stay_on_their_document_and_year(pasar, assessment, bukti, expected):
    assert documents(pasar) == [(name, year) for name in ["sk", "sop", "laporan kasus"] for year in (2023, 2024)]
    cases = pasar.evidence_requirements.get(description="Laporan kasus tahun 2023 dan 2024", data_year=2023)
    files = {
        ("sk", 2024): EvidenceFileFactory(
            on_requirement=True, assessment=assessment, requirement=sk_2024(pasar), data_year=2024
        ),
        ("laporan kasus", 2023): EvidenceFileFactory(
            on_requirement=True, assessment=assessment, requirement=cases, data_year=2023
        ),
    }
    requirement_ids = {key: file.requirement_id for key, file in files.items()}

    report = imported(pasar.cycle, bukti=bukti)

    assert the_row(report).status == Status.UPDATED
    assert "syarat bukti dukung" in the_row(report).message
    assert kept_notes(report) == []
    assert documents(pasar) == [(name, year) for name in expected for year in (2023, 2024)]
    for (name, year), file in files.items():
        file.refresh_from_db()
        assert file.requirement_id == requirement_ids[name, year]
        assert (identity_text(file.requirement.description), file.requirement.data_year) == (name, year)
        assert file.requirement.order == 2 * expected.index(name) + (1 if year == 2023 else 2)


def test_a_document_the_text_drops_is_kept_while_a_file_uses_it(pasar, assessment):
    requirement = sk_2024(pasar)
    file = EvidenceFileFactory(on_requirement=True, assessment=assessment, requirement=requirement, data_year=2024)
    bukti = "SOP dan laporan kasus tahun 2023 dan 2024"

    rehearsal = imported(pasar.cycle, bukti=bukti, dry_run=True)
    report = imported(pasar.cycle, bukti=bukti)

    # The rehearsal says what the import did.
    assert [(r.status, r.message) for r in rehearsal.rows] == [(r.status, r.message) for r in report.rows]
    assert rehearsal.notes == report.notes
    assert the_row(report).status == Status.UPDATED
    assert kept_notes(report) == [
        "Indikator PSR 1: syarat bukti dukung “SK” (2024) tidak lagi diminta teks bukti dukung, "
        "tetapi tidak dihapus karena sudah ada berkas bukti yang diunggah untuknya."
    ]
    # SK 2023, which had no file, is gone; SK 2024 stays, after what the text asks.
    assert documents(pasar) == [("sop", 2023), ("sop", 2024), ("laporan kasus", 2023), ("laporan kasus", 2024)] + [
        ("sk", 2024)
    ]
    file.refresh_from_db()
    assert file.requirement_id == requirement.pk

    # The same file again changes nothing and still says why SK 2024 is there.
    ids = set(EvidenceRequirement.objects.values_list("id", flat=True))
    again = imported(pasar.cycle, bukti=bukti)
    assert {row.status for row in again.rows} == {Status.UNCHANGED}
    assert set(EvidenceRequirement.objects.values_list("id", flat=True)) == ids
    assert kept_notes(again) == kept_notes(report)


def test_a_removed_file_still_keeps_its_document(pasar, assessment):
    """A removed file stays tied to its requirement (it can be restored, and dossiers name it)."""
    requirement = sk_2024(pasar)
    EvidenceFileFactory(on_requirement=True, assessment=assessment, requirement=requirement, data_year=2024)
    requirement.files.update(deleted_at="2025-01-02T03:04:05Z")

    imported(pasar.cycle, bukti="SOP dan laporan kasus tahun 2023 dan 2024")

    assert EvidenceRequirement.objects.filter(pk=requirement.pk).exists()


def test_a_score_stays_on_its_value_while_the_criteria_are_reworded_and_reordered(pasar, assessment):
    options = {o.value: o for o in pasar.scale_options.all()}
    entry = IndicatorEntryFactory(assessment=assessment, indicator=pasar, self_score=options[50])
    scale = "1. Nilai 0 jika turun\n\n2. Nilai 50 jika sama saja\n\n3. Nilai 100 jika naik"

    report = imported(pasar.cycle, scale=scale)

    assert the_row(report).status == Status.UPDATED
    assert "opsi skala" in the_row(report).message
    assert kept_notes(report) == []
    assert [(o.pk, o.value, o.description) for o in pasar.scale_options.all()] == [
        (options[0].pk, 0, "turun"),
        (options[50].pk, 50, "sama saja"),
        (options[100].pk, 100, "naik"),
    ]
    entry.refresh_from_db()
    assert entry.self_score_id == options[50].pk
    assert imported(pasar.cycle, scale=scale).rows[0].status == Status.UNCHANGED


@pytest.mark.parametrize("score", ["self_score", "provincial_score", "national_score"])
def test_an_option_the_scale_drops_is_kept_while_an_entry_scores_it(pasar, assessment, score):
    options = {o.value: o for o in pasar.scale_options.all()}
    entry = IndicatorEntryFactory(assessment=assessment, indicator=pasar, **{score: options[50]})
    scale = "1. Nilai 100 jika meningkat\n\n2. Nilai 75 jika tetap"

    report = imported(pasar.cycle, scale=scale)

    assert kept_notes(report) == [
        "Indikator PSR 1: opsi skala bernilai 50 (“tetap”) tidak ada lagi di skala berkas ini, "
        "tetapi tidak dihapus karena sudah ada isian penilaian yang memakai nilai itu."
    ]
    # 0, which nobody chose, is gone; 50 stays after the scale's options.
    assert [(o.value, o.description) for o in pasar.scale_options.all()] == [
        (100, "meningkat"),
        (75, "tetap"),
        (50, "tetap"),
    ]
    assert not ScaleOption.objects.filter(pk=options[0].pk).exists()
    entry.refresh_from_db()
    assert getattr(entry, f"{score}_id") == options[50].pk

    again = imported(pasar.cycle, scale=scale)
    assert again.rows[0].status == Status.UNCHANGED
    assert kept_notes(again) == kept_notes(report)


def test_a_kelembagaan_option_kept_for_its_score(cycle_2023):
    instrument_import(cycle=cycle_2023, file=to_file(workbook_2023_layout()))
    sk = KelembagaanItem.objects.get(cycle=cycle_2023, component="tim_pembina", item="sk")
    none = sk.scale_options.get(value=0)
    assessment = AssessmentFactory(cycle=cycle_2023)
    KelembagaanEntryFactory(assessment=assessment, item=sk, self_score=none)
    changed = workbook_2023_layout()
    changed["KELEMBAGAAN"]["G3"] = "SK sudah kedaluwarsa"
    changed["KELEMBAGAAN"]["H3"] = 50

    report = instrument_import(cycle=cycle_2023, file=to_file(changed))

    assert report.imported, report.error_rows
    assert [(o.value, o.description) for o in sk.scale_options.all()] == [
        (100, "Ada SK yang berlaku"),
        (50, "SK sudah kedaluwarsa"),
        (0, "Tidak ada SK"),
    ]
    assert sk.scale_options.get(value=0).pk == none.pk
    assert kept_notes(report) == [
        "Butir kelembagaan Tim Pembina – SK: opsi skala bernilai 0 (“Tidak ada SK”) tidak ada lagi di skala "
        "berkas ini, tetapi tidak dihapus karena sudah ada isian penilaian yang memakai nilai itu."
    ]


def test_a_kept_option_is_marked_retired_and_revived_when_the_workbook_has_its_value_again(pasar, assessment):
    options = {o.value: o for o in pasar.scale_options.all()}
    assert not any(o.retired for o in options.values())
    IndicatorEntryFactory(assessment=assessment, indicator=pasar, self_score=options[50])
    shorter = "1. Nilai 100 jika meningkat\n\n2. Nilai 75 jika tetap"

    imported(pasar.cycle, scale=shorter)

    assert [(o.value, o.retired) for o in pasar.scale_options.all()] == [(100, False), (75, False), (50, True)]
    again = imported(pasar.cycle, scale=shorter)
    assert again.rows[0].status == Status.UNCHANGED  # nothing changed: the mark stays, no write

    imported(pasar.cycle)  # the scale with 50 again

    revived = ScaleOption.objects.get(pk=options[50].pk)
    assert not revived.retired
    assert not pasar.scale_options.filter(retired=True).exists()
    assert imported(pasar.cycle).rows[0].status == Status.UNCHANGED


def test_the_dry_run_marks_nothing(pasar, assessment):
    fifty = pasar.scale_options.get(value=50)
    IndicatorEntryFactory(assessment=assessment, indicator=pasar, self_score=fifty)

    imported(pasar.cycle, scale="1. Nilai 100 jika meningkat\n\n2. Nilai 75 jika tetap", dry_run=True)

    fifty.refresh_from_db()
    assert not fifty.retired


def test_a_kept_kelembagaan_option_is_marked_retired(cycle_2023):
    instrument_import(cycle=cycle_2023, file=to_file(workbook_2023_layout()))
    sk = KelembagaanItem.objects.get(cycle=cycle_2023, component="tim_pembina", item="sk")
    KelembagaanEntryFactory(
        assessment=AssessmentFactory(cycle=cycle_2023), item=sk, self_score=sk.scale_options.get(value=0)
    )
    changed = workbook_2023_layout()
    changed["KELEMBAGAAN"]["H3"] = 50

    assert instrument_import(cycle=cycle_2023, file=to_file(changed)).imported

    assert [(o.value, o.retired) for o in sk.scale_options.all()] == [(100, False), (50, False), (0, True)]
