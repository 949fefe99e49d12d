"""Export of the self-assessment to Excel and import back (services; views in test_excel_views)."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from indicators.excel.workbook import assessment_export, assessment_import
from indicators.models import IndicatorEntry, KelembagaanEntry
from indicators.services import assessment_open, indicator_entry_update
from tatanan.importer import Status, instrument_import
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption

from .conftest import entry, option

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"
HEADER_ROW = 5


def fill(assessment):
    """Give every kind of value a non-trivial content, including a few that Excel likes to mangle."""
    psr1, psr2, pdd1 = entry(assessment, "PSR", "1"), entry(assessment, "PSR", "2"), entry(assessment, "PDD", "1")
    psr1.value_year1, psr1.value_year2, psr1.target = "12", "85,5", "≥ 70 %"
    psr1.explanation = "Naik dua tahun berturut-turut.\nLihat laporan Disperindag."
    psr1.self_score = option(psr1, 75)
    psr1.evidence_link = "https://drive.example.id/serang/psr1"
    psr1.save()
    psr2.value_year1, psr2.value_year2 = "012", "=SUM(A1:A2)"
    psr2.self_score = option(psr2, 0)
    psr2.provincial_score, psr2.provincial_note = option(psr2, 25), "Bukti 2029 kurang."
    psr2.save()
    pdd1.value_year2, pdd1.evidence_link = "ada, SK nomor 12/2029", "http://sekolah.example.id/uks"
    pdd1.save()
    k = KelembagaanEntry.objects.get(assessment=assessment)
    k.self_score, k.note = k.item.scale_options.get(value=100), "SK Bupati 2028"
    k.save()


def snapshot(assessment):
    rows = {}
    for e in IndicatorEntry.objects.filter(assessment=assessment).select_related("indicator", "self_score"):
        rows[(e.indicator.tatanan_id, e.indicator.number, e.indicator.is_local)] = (
            e.value_year1,
            e.value_year2,
            e.target,
            e.explanation,
            e.self_score.value if e.self_score else None,
            e.evidence_link,
        )
    for k in KelembagaanEntry.objects.filter(assessment=assessment).select_related("self_score"):
        rows[("K", k.item_id)] = (k.self_score.value if k.self_score else None, k.note)
    return rows


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "penilaian.xlsx"
    return buffer


def column(ws, label):
    for cell in ws[HEADER_ROW]:
        if cell.value == label:
            return cell.column
    raise AssertionError(f"{label} not in header")


def row_of(ws, number):
    for row in range(HEADER_ROW + 2, ws.max_row + 1):
        if str(ws.cell(row, 1).value) == number:
            return row
    raise AssertionError(f"NO {number} not found")


def blank_all(assessment):
    for e in IndicatorEntry.objects.filter(assessment=assessment):
        e.value_year1 = e.value_year2 = e.target = e.explanation = e.evidence_link = ""
        e.self_score = None
        e.save()
    KelembagaanEntry.objects.filter(assessment=assessment).update(self_score=None, note="")


class TestExport:
    def test_layout_of_the_workbook(self, assessment):
        fill(assessment)
        wb = load(assessment_export(assessment=assessment))
        assert wb.sheetnames == ["Kelembagaan", "Tatanan 1 Pasar Sehat", "Tatanan 2 Pendidikan"]
        ws = wb["Tatanan 1 Pasar Sehat"]
        assert ws["A1"].value == "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT"
        assert ws["A2"].value == "TATANAN 1: PASAR SEHAT"
        assert "Kabupaten Serang" in ws["A3"].value
        assert [c.value for c in ws[HEADER_ROW]] == [
            "NO",
            "INDIKATOR",
            "DEFINISI OPERASIONAL",
            "SUMBER DATA",
            "BUKTI DUKUNG",
            "SKALA/KATEGORI PENILAIAN",
            "DATA TAHUN 2028",
            "DATA TAHUN 2029",
            "TARGET",
            "PENJELASAN",
            "NILAI MANDIRI",
            "LINK BUKTI DUKUNG",
            "NILAI VERIFIKASI PROVINSI",
            "CATATAN PROVINSI",
        ]
        assert ws.freeze_panes == "C7"
        assert ws.cell(HEADER_ROW, 1).font.bold
        assert ws.cell(7, 2).alignment.wrap_text
        assert ws.column_dimensions["B"].width >= 30
        psr2 = row_of(ws, "2")
        assert ws.cell(psr2, column(ws, "NILAI VERIFIKASI PROVINSI")).value == 25
        assert ws.cell(psr2, column(ws, "CATATAN PROVINSI")).value == "Bukti 2029 kurang."
        # Text starting with "=" stays text, never a formula.
        assert ws.cell(psr2, column(ws, "DATA TAHUN 2029")).data_type == "s"
        validations = ws.data_validations.dataValidation
        assert validations[0].formula1 == '"100,75,50,25,0"'
        assert "K7" in str(validations[0].sqref)
        kelembagaan = wb["Kelembagaan"]
        assert kelembagaan["A2"].value == "KELEMBAGAAN"
        assert [c.value for c in kelembagaan[HEADER_ROW]][:3] == ["NO", "KOMPONEN", "INDIKATOR"]
        assert kelembagaan.data_validations.dataValidation[0].formula1 == '"100,0"'

    def test_local_indicators_are_marked(self, assessment, rina, small_cycle, wilayah):
        pasar = small_cycle.indicators.first().tatanan
        local = Indicator.objects.create(
            cycle=small_cycle,
            tatanan=pasar,
            number="1",
            order=9,
            name="Pasar bebas asap rokok",
            is_local=True,
            owner_kabupaten=wilayah["serang"],
        )
        for order, value in enumerate([100, 0]):
            ScaleOption.objects.create(indicator=local, value=value, order=order, description=f"nilai {value}")
        assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina)
        ws = load(assessment_export(assessment=assessment))["Tatanan 1 Pasar Sehat"]
        names = [ws.cell(r, 2).value for r in range(HEADER_ROW + 2, ws.max_row + 1)]
        assert names[-1] == "Pasar bebas asap rokok (lokal)"

        # The local "1" and the national "1" are told apart on the way back.
        rows = [r for r in range(HEADER_ROW + 2, ws.max_row + 1) if str(ws.cell(r, 1).value) == "1"]
        ws.cell(rows[-1], column(ws, "NILAI MANDIRI")).value = 100
        report = assessment_import(assessment=assessment, file=save(ws.parent), actor=rina)
        assert report.imported, report.rows
        assert IndicatorEntry.objects.get(assessment=assessment, indicator=local).self_score.value == 100
        national = IndicatorEntry.objects.get(
            assessment=assessment, indicator__tatanan=pasar, indicator__number="1", indicator__is_local=False
        )
        assert national.self_score is None

    def test_a_local_number_that_is_not_a_plain_number(self, assessment, rina, small_cycle, wilayah):
        pasar = small_cycle.indicators.first().tatanan
        local = Indicator.objects.create(
            cycle=small_cycle,
            tatanan=pasar,
            number="L1",
            order=9,
            name="Pasar tanpa kantong plastik",
            is_local=True,
            owner_kabupaten=wilayah["serang"],
        )
        for order, value in enumerate([100, 0]):
            ScaleOption.objects.create(indicator=local, value=value, order=order, description=f"nilai {value}")
        assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina)
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 1 Pasar Sehat"]
        ws.cell(row_of(ws, "L1"), column(ws, "NILAI MANDIRI")).value = 0
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.imported, report.error_rows
        assert IndicatorEntry.objects.get(assessment=assessment, indicator=local).self_score.value == 0


class TestRoundTrip:
    def test_every_value_comes_back_and_reimport_changes_nothing(self, assessment, rina):
        fill(assessment)
        before = snapshot(assessment)
        data = assessment_export(assessment=assessment)
        blank_all(assessment)

        report = assessment_import(assessment=assessment, file=io.BytesIO(data), actor=rina)
        assert report.imported, (report.problems, [r for r in report.rows if r.status == Status.ERROR])
        assert snapshot(assessment) == before
        assert report.count(Status.UPDATED) == 4  # PSR1, PSR2, PDD1 and the kelembagaan item

        again = assessment_import(assessment=assessment, file=io.BytesIO(data), actor=rina)
        assert again.imported
        assert again.count(Status.UPDATED) == 0
        assert again.count(Status.UNCHANGED) == 5
        assert snapshot(assessment) == before

    def test_a_modified_value_is_reported_updated(self, assessment, rina):
        fill(assessment)
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 2 Pendidikan"]
        ws.cell(row_of(ws, "2"), column(ws, "NILAI MANDIRI")).value = 50
        ws.cell(row_of(ws, "2"), column(ws, "DATA TAHUN 2028")).value = 17

        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.imported
        updated = [r for r in report.rows if r.status == Status.UPDATED]
        assert [r.subject for r in updated] == ["PDD 2. Indikator S2"]
        assert updated[0].status_label == "diperbarui"
        assert "nilai mandiri" in updated[0].message
        assert "data tahun pertama" in updated[0].message
        e = entry(assessment, "PDD", "2")
        assert (e.self_score.value, e.value_year1, e.value_year1_number) == (50, "17", 17)
        assert e.status == IndicatorEntry.Status.DRAF
        assert e.updated_by == rina

    def test_dry_run_writes_nothing(self, assessment, rina):
        fill(assessment)
        data = assessment_export(assessment=assessment)
        blank_all(assessment)
        report = assessment_import(assessment=assessment, file=io.BytesIO(data), actor=rina, dry_run=True)
        assert report.ok
        assert not report.imported
        assert report.count(Status.UPDATED) == 4
        assert entry(assessment, "PSR", "1").self_score is None


class TestRefusals:
    @pytest.mark.parametrize(
        ("label", "value", "reason"),
        [
            ("NILAI MANDIRI", 60, "Nilai mandiri 60 bukan nilai skala indikator ini (yang boleh: 100, 75, 50, 25, 0)."),
            ("NILAI MANDIRI", "tinggi", "Nilai mandiri “tinggi” bukan angka."),
            ("LINK BUKTI DUKUNG", "D:\\bukti\\psr1.pdf", "bukan alamat http:// atau https://"),
            ("LINK BUKTI DUKUNG", "ftp://files.example.id/a", "bukan alamat http:// atau https://"),
        ],
    )
    def test_a_bad_cell_is_reported_and_nothing_is_written(self, assessment, rina, label, value, reason):
        fill(assessment)
        before = snapshot(assessment)
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 1 Pasar Sehat"]
        ws.cell(row_of(ws, "1"), column(ws, label)).value = value
        ws.cell(row_of(ws, "2"), column(ws, "TARGET")).value = "berubah"  # a valid change, not kept either

        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert not report.imported
        errors = report.error_rows
        assert len(errors) == 1
        assert errors[0].status_label == "tidak terbaca"
        assert errors[0].subject.startswith("PSR 1.")
        assert reason in errors[0].message
        assert errors[0].row_label == str(row_of(ws, "1"))
        assert "Tidak ada yang diimpor." in report.summary()
        assert snapshot(assessment) == before

    def test_an_unknown_number_is_reported(self, assessment, rina):
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 2 Pendidikan"]
        ws.cell(ws.max_row + 1, 1).value = 7
        ws.cell(ws.max_row, 2).value = "Indikator yang tidak ada"
        ws.cell(ws.max_row, column(ws, "NILAI MANDIRI")).value = 100
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert not report.imported
        assert [r.message for r in report.error_rows] == ["Nomor indikator 7 tidak ada di tatanan PDD penilaian ini."]
        # Every other row is still reported, as read but not saved.
        assert report.count(Status.VALID) == 5  # 4 indicators and the kelembagaan item

    def test_a_duplicate_number_is_reported(self, assessment, rina):
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 2 Pendidikan"]
        ws.cell(ws.max_row + 1, 1).value = "2."
        ws.cell(ws.max_row, column(ws, "TARGET")).value = "80"
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert not report.imported
        assert "sudah ada di baris" in report.error_rows[0].message

    def test_a_kelembagaan_score_outside_the_scale(self, assessment, rina):
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Kelembagaan"]
        ws.cell(HEADER_ROW + 2, column(ws, "NILAI MANDIRI")).value = 50
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert not report.imported
        assert report.error_rows[0].subject == "Tim Pembina – SK"
        assert "yang boleh: 100, 0" in report.error_rows[0].message

    def test_a_corrupt_file_gives_a_clear_message(self, assessment, rina):
        file = io.BytesIO(b"NO;INDIKATOR\n1;Pasar\n")
        file.name = "penilaian.xlsx"
        report = assessment_import(assessment=assessment, file=file, actor=rina)
        assert not report.imported
        assert report.problems == [
            "Berkas “penilaian.xlsx” tidak dapat dibaca sebagai buku kerja Excel (.xlsx). "
            "Simpan ulang sebagai .xlsx lalu coba lagi."
        ]

    def test_a_workbook_without_assessment_sheets(self, assessment, rina):
        wb = openpyxl.Workbook()
        wb.active["A1"] = "Daftar hadir"
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.problems == ["Tidak ada sheet tatanan atau kelembagaan yang dikenali di berkas ini."]

    def test_section_rows_are_reported_not_dropped(self, assessment, rina):
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 1 Pasar Sehat"]
        ws.insert_rows(HEADER_ROW + 2)
        ws.cell(HEADER_ROW + 2, 1).value = "A"
        ws.cell(HEADER_ROW + 2, 2).value = "Regulasi"
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.imported
        skipped = [r for r in report.rows if r.status == Status.SKIPPED]
        assert [(r.row_label, r.message) for r in skipped] == [("7", "Judul bagian tanpa isian: “A”.")]

    def test_a_refusal_by_the_service_while_writing_keeps_nothing(self, assessment, rina, monkeypatch):
        fill(assessment)
        before = snapshot(assessment)
        data = assessment_export(assessment=assessment)
        blank_all(assessment)
        blank = snapshot(assessment)
        calls = []

        def refuse_the_second(**kwargs):
            calls.append(kwargs)
            if len(calls) == 2:
                raise ValidationError({"self_score": "Ditolak layanan."})
            return indicator_entry_update(**kwargs)

        monkeypatch.setattr("indicators.excel.workbook.indicator_entry_update", refuse_the_second)
        report = assessment_import(assessment=assessment, file=io.BytesIO(data), actor=rina)
        assert not report.imported
        assert report.problems == ["Gagal menyimpan; tidak ada yang diubah: Ditolak layanan."]
        assert snapshot(assessment) == blank != before


class TestHeaderDrift:
    def test_lowercase_headers_and_shuffled_self_columns(self, assessment, rina):
        fill(assessment)
        before = snapshot(assessment)
        wb = load(assessment_export(assessment=assessment))
        for ws in wb.worksheets:
            width = ws.max_column
            first_self = 7 if ws.title != "Kelembagaan" else 8
            # Reverse the self-assessment columns (header and values) and lowercase every header.
            for row in range(HEADER_ROW, ws.max_row + 1):
                cells = [(ws.cell(row, c).value, ws.cell(row, c).data_type) for c in range(first_self, width + 1)]
                for offset, (value, data_type) in enumerate(reversed(cells)):
                    ws.cell(row, first_self + offset).value = value
                    ws.cell(row, first_self + offset).data_type = data_type
            for cell in ws[HEADER_ROW]:
                if isinstance(cell.value, str):
                    cell.value = "  " + cell.value.lower().replace(" ", "  ") + " "
        ws = wb["Tatanan 1 Pasar Sehat"]
        assert ws.cell(HEADER_ROW, 7).value.strip() == "catatan  provinsi"
        blank_all(assessment)

        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.imported, report.error_rows
        assert snapshot(assessment) == before

    def test_a_missing_column_leaves_its_field_alone(self, assessment, rina):
        fill(assessment)
        wb = load(assessment_export(assessment=assessment))
        ws = wb["Tatanan 1 Pasar Sehat"]
        ws.delete_cols(column(ws, "PENJELASAN"))
        ws.cell(row_of(ws, "1"), column(ws, "TARGET")).value = "≥ 80 %"
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.imported
        assert any("penjelasan" in note and "tidak ada" in note for note in report.notes)
        e = entry(assessment, "PSR", "1")
        assert e.target == "≥ 80 %"
        assert e.explanation.startswith("Naik dua tahun")


class TestAccess:
    def test_only_the_bappeda_admin_imports(self, assessment, oscar, vina):
        data = assessment_export(assessment=assessment)
        for user in (oscar, vina):
            with pytest.raises(Http404):
                assessment_import(assessment=assessment, file=io.BytesIO(data), actor=user)


@pytest.mark.django_db
def test_round_trip_on_the_real_2025_instrument(rina, wilayah):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)
    entries = list(
        assessment.indicator_entries.select_related("indicator").prefetch_related("indicator__scale_options")
    )
    for n, e in enumerate(entries):
        e.value_year1, e.value_year2, e.target = str(n), f"{n},5", f"target {n}"
        e.explanation = f"Penjelasan {e.indicator.tatanan_id}/{e.indicator.number}"
        e.self_score = list(e.indicator.scale_options.all())[n % e.indicator.scale_options.count()]
        e.evidence_link = f"https://bukti.example.id/{e.pk}"
        e.save()
    for k in KelembagaanEntry.objects.filter(assessment=assessment).select_related("item"):
        k.self_score = k.item.scale_options.first()
        k.save()
    before = snapshot(assessment)

    data = assessment_export(assessment=assessment)
    wb = load(data)
    assert len(wb.sheetnames) == 10
    assert wb.sheetnames[0] == "Kelembagaan"
    blank_all(assessment)

    report = assessment_import(assessment=assessment, file=io.BytesIO(data), actor=rina)
    assert report.imported, (report.problems, report.error_rows[:3])
    assert snapshot(assessment) == before
    total = len(entries) + KelembagaanItem.objects.filter(cycle=cycle).count()
    assert report.count(Status.UPDATED) == total

    again = assessment_import(assessment=assessment, file=io.BytesIO(data), actor=rina)
    assert again.count(Status.UPDATED) == 0
    assert again.count(Status.UNCHANGED) == total


def test_a_2023_style_workbook_with_two_header_rows_and_options_on_sub_rows(assessment, rina):
    """Options on their own rows (KATEGORI | SKALA) and PENILAIAN MANDIRI / VERIFIKASI PROVINSI
    over NILAI | LINK and NILAI | CATATAN, as the 2023 workbooks were laid out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pasar"
    ws["A1"] = "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT"
    ws["A2"] = "TATANAN PASAR SEHAT"
    ws.append([])
    ws.append(["NO", "INDIKATOR", "KATEGORI", "SKALA", "PENILAIAN MANDIRI", None, "VERIFIKASI PROVINSI", None])
    ws.append([None, None, None, None, "Nilai", "Link Bukti Dukung", "Nilai", "Catatan"])
    ws.merge_cells("E4:F4")
    ws.merge_cells("G4:H4")
    ws.append([1, "Indikator P1", "Jika …", 100, 75, "https://bukti.example.id/p1", 50, "kurang"])
    ws.append([None, None, "Jika …", 75])
    ws.append([None, None, "Jika …", 0])
    ws.merge_cells("A6:A8")
    ws.merge_cells("E6:E8")
    ws.append([2, "Indikator P2", "Jika …", 100])
    ws.append([None, None, "Jika …", 0, 0])

    report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
    assert report.imported, (report.problems, report.error_rows)
    assert [(r.subject, r.row_label) for r in report.rows if r.status == Status.UPDATED] == [
        ("PSR 1. Indikator P1", "6–8"),
        ("PSR 2. Indikator P2", "9–10"),
    ]
    p1, p2 = entry(assessment, "PSR", "1"), entry(assessment, "PSR", "2")
    assert (p1.self_score.value, p1.evidence_link) == (75, "https://bukti.example.id/p1")
    # The province's verification written in the file is recorded while the portal's own has not
    # started (no dossier submitted yet).
    assert (p1.provincial_score.value, p1.provincial_note) == (50, "kurang")
    assert p2.self_score.value == 0
    assert any("tidak ada" in note and "penjelasan" in note for note in report.notes)


def test_data_years_under_a_shared_header(assessment, rina):
    """DATA TAHUN over 2028 | 2029 on the row below, columns in another order than ours."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tatanan Pendidikan"
    ws.append(["No", "Indikator", "Skala/Kategori Penilaian", "Data Tahun", None, "Nilai Mandiri", "Target"])
    ws.append([None, None, None, "2029", "2028", None, None])
    ws.merge_cells("D1:E1")
    ws.append(["1", "Indikator S1", "1. Nilai 100 jika …", "14", "12", 50, "15"])

    report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
    assert report.imported, (report.problems, report.error_rows)
    s1 = entry(assessment, "PDD", "1")
    assert (s1.value_year1, s1.value_year2, s1.target, s1.self_score.value) == ("12", "14", "15", 50)
