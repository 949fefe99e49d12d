"""A filled 2023-layout workbook from the field (issue 13 item 5): the catalogue comes from it
(``import_instrumen``), then the kabupaten's assessment (``import_penilaian`` / the upload page),
opening the round when it is not open yet."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dossiers.tests.factories import DossierFactory
from indicators.excel.workbook import assessment_import, assessment_import_opening
from indicators.models import Assessment, IndicatorEntry, KelembagaanEntry
from tatanan.importer import Status, instrument_import
from tatanan.models import Cycle, Indicator
from tatanan.tests.workbooks import to_file, workbook_2023_field


@pytest.fixture
def cycle_2023(db):
    return Cycle.objects.get(award_year=2023)


@pytest.fixture
def catalogue_2023(cycle_2023):
    report = instrument_import(cycle=cycle_2023, file=to_file(workbook_2023_field()))
    assert report.imported, (report.problems, report.error_rows)
    return cycle_2023


def entry(assessment, code, number) -> IndicatorEntry:
    return IndicatorEntry.objects.select_related("self_score", "provincial_score").get(
        assessment=assessment, indicator__tatanan__code=code, indicator__number=number
    )


def kelembagaan(assessment, component, item) -> KelembagaanEntry:
    return KelembagaanEntry.objects.select_related("self_score").get(
        assessment=assessment, item__component=component, item__item=item
    )


def state(assessment):
    """Everything an import writes, to compare before and after a second import."""
    rows = [
        (
            e.indicator.tatanan.code,
            e.indicator.number,
            e.self_score_id,
            e.evidence_link,
            e.provincial_score_id,
            e.provincial_note,
        )
        for e in IndicatorEntry.objects.filter(assessment=assessment).select_related("indicator__tatanan")
    ]
    rows += [
        (k.item.component, k.item.item, k.self_score_id, k.evidence_link, k.provincial_note)
        for k in KelembagaanEntry.objects.filter(assessment=assessment).select_related("item")
    ]
    return sorted(rows, key=str)


def test_the_catalogue_reads_the_field_layout(catalogue_2023):
    """Sheet names "1. Masyarakat", "4 Pasar" and "8 Sosial", the tatanan's name over the indicator
    column, lettered options under it, a kelembagaan checklist grouped by body."""
    indicators = Indicator.objects.filter(cycle=catalogue_2023).select_related("tatanan")
    assert sorted((i.tatanan.code, i.number) for i in indicators) == [
        ("KSM", "1"),
        ("KSM", "2"),
        ("PLS", "1"),
        ("PSR", "1"),
    ]
    ksm1 = indicators.get(tatanan__code="KSM", number="1")
    assert [(o.value, o.description) for o in ksm1.scale_options.all()] == [
        (100, "≥ 80% desa/kelurahan"),
        (50, "50–79% desa/kelurahan"),
        (0, "< 50% desa/kelurahan"),
    ]
    assert ksm1.bukti_dukung == "Laporan STBM tahun 2021 dan 2022"
    assert ksm1.definisi_operasional == "Definisi Persentase desa/kelurahan yang melaksanakan STBM"
    items = {(k.component, k.item): k for k in catalogue_2023.kelembagaan_items.all()}
    assert set(items) == {
        ("tim_pembina", "sk"),
        ("tim_pembina", "rencana_kerja"),
        ("tim_pembina", "anggaran"),
        ("forum_kabkota", "sk"),
        ("forum_kabkota", "sekretariat"),
        ("forum_kecamatan", "sk"),
    }
    assert [(o.value, o.description) for o in items[("tim_pembina", "sk")].scale_options.all()] == [
        (100, "Ada"),
        (0, "Tidak ada"),
    ]
    again = instrument_import(cycle=catalogue_2023, file=to_file(workbook_2023_field()))
    assert again.imported
    assert again.count(Status.CREATED) == again.count(Status.UPDATED) == 0


def test_penilaian_opens_the_round_and_imports_scores_notes_links_and_checklist(catalogue_2023, rina, wilayah):
    serang = wilayah["serang"]
    assert not Assessment.objects.filter(kabupaten=serang, cycle=catalogue_2023).exists()

    report, assessment = assessment_import_opening(
        kabupaten=serang, cycle=catalogue_2023, file=to_file(workbook_2023_field()), actor=rina, category="padapa"
    )
    assert report.imported, (report.problems, report.error_rows)
    assert assessment.category == "padapa"
    assert sorted(assessment.tatanan.values_list("code", flat=True)) == ["KSM", "PLS", "PSR"]
    assert report.notes[0].startswith("Penilaian")

    ksm1, ksm2, psr1, pls1 = (
        entry(assessment, "KSM", "1"),
        entry(assessment, "KSM", "2"),
        entry(assessment, "PSR", "1"),
        entry(assessment, "PLS", "1"),
    )
    assert (ksm1.self_score.value, ksm1.evidence_link) == (100, "https://drive.example.org/ksm-1")
    assert (ksm1.provincial_score.value, ksm1.provincial_note) == (
        50,
        "Data tahun 2022 belum divalidasi Dinas Kesehatan",
    )
    assert (ksm2.self_score.value, ksm2.provincial_score.value, ksm2.provincial_note) == (75, 75, "")
    assert (psr1.self_score.value, psr1.evidence_link, psr1.provincial_score) == (50, "", None)
    assert (pls1.self_score.value, pls1.provincial_score.value, pls1.provincial_note) == (
        0,
        0,
        "Tidak ada data pembanding",
    )
    assert ksm1.status == IndicatorEntry.Status.DRAF

    sk = kelembagaan(assessment, "tim_pembina", "sk")
    assert (sk.self_score.description, sk.evidence_link, sk.provincial_note) == (
        "Ada",
        "https://drive.example.org/sk-tp",
        "SK masih berlaku",
    )
    anggaran = kelembagaan(assessment, "tim_pembina", "anggaran")
    assert (anggaran.self_score.description, anggaran.provincial_note) == ("Tidak ada", "Belum ada DPA")
    assert kelembagaan(assessment, "forum_kabkota", "sekretariat").self_score is None
    assert kelembagaan(assessment, "forum_kecamatan", "sk").provincial_note == "Baru 3 dari 5 kecamatan"

    before = state(assessment)
    counts = (IndicatorEntry.objects.count(), KelembagaanEntry.objects.count(), Assessment.objects.count())
    again, same = assessment_import_opening(
        kabupaten=serang, cycle=catalogue_2023, file=to_file(workbook_2023_field()), actor=rina
    )
    assert again.imported
    assert same == assessment
    assert again.count(Status.UPDATED) == 0
    assert again.count(Status.UNCHANGED) == 4 + 6
    assert state(assessment) == before
    assert (IndicatorEntry.objects.count(), KelembagaanEntry.objects.count(), Assessment.objects.count()) == counts


def test_a_dry_run_or_a_bad_row_does_not_open_the_round(catalogue_2023, rina, wilayah):
    serang = wilayah["serang"]
    report, assessment = assessment_import_opening(
        kabupaten=serang, cycle=catalogue_2023, file=to_file(workbook_2023_field()), actor=rina, dry_run=True
    )
    assert report.ok
    assert not report.imported
    assert assessment is None
    assert "akan dibuka" in report.notes[0]
    assert (report.count(Status.UPDATED), report.count(Status.UNCHANGED)) == (9, 1)  # Sekretariat: unmarked

    workbook = workbook_2023_field()
    workbook["Kelembagaan"]["C6"] = "mungkin"  # the SK Tim Pembina row
    report, assessment = assessment_import_opening(
        kabupaten=serang, cycle=catalogue_2023, file=to_file(workbook), actor=rina
    )
    assert not report.imported
    assert assessment is None
    assert [(r.sheet, r.row_label) for r in report.error_rows] == [("Kelembagaan", "6")]
    assert "√ (ada) atau - (tidak ada)" in report.error_rows[0].message
    assert not Assessment.objects.filter(kabupaten=serang).exists()


def test_the_round_is_not_opened_without_a_catalogue(cycle_2023, rina, wilayah):
    report, assessment = assessment_import_opening(
        kabupaten=wilayah["serang"], cycle=cycle_2023, file=to_file(workbook_2023_field()), actor=rina
    )
    assert assessment is None
    assert not report.imported
    assert any("Katalog indikator siklus 2023 belum diimpor" in p for p in report.problems)


def test_the_provinces_columns_wait_once_verification_runs_in_the_portal(catalogue_2023, rina, wilayah):
    _report, assessment = assessment_import_opening(
        kabupaten=wilayah["serang"], cycle=catalogue_2023, file=to_file(workbook_2023_field()), actor=rina
    )
    DossierFactory(assessment=assessment, status="submitted")
    workbook = workbook_2023_field()
    workbook["1. Masyarakat"]["F9"] = 100  # the province's value of KSM 1, changed in the file
    workbook["1. Masyarakat"]["D9"] = 50  # and the kabupaten's own
    report = assessment_import(assessment=assessment, file=to_file(workbook), actor=rina)
    assert report.imported, (report.problems, report.error_rows)
    ksm1 = entry(assessment, "KSM", "1")
    assert (ksm1.self_score.value, ksm1.provincial_score.value) == (50, 50)
    assert any("verifikasi provinsi sudah berjalan di portal" in note for note in report.notes)


def test_import_penilaian_command_opens_the_round(catalogue_2023, rina, wilayah, tmp_path):
    path = tmp_path / "kota-contoh-2023.xlsx"
    path.write_bytes(to_file(workbook_2023_field()).getvalue())
    out = io.StringIO()
    call_command("import_penilaian", str(path), kabupaten=wilayah["serang"].code, cycle=2023, user="rina", stdout=out)
    assert "Impor selesai" in out.getvalue()
    assessment = Assessment.objects.get(kabupaten=wilayah["serang"], cycle=catalogue_2023)
    assert entry(assessment, "PLS", "1").provincial_note == "Tidak ada data pembanding"
    with pytest.raises(CommandError, match="Kabupaten/kota 99.99 tidak ada"):
        call_command("import_penilaian", str(path), kabupaten="99.99", cycle=2023, user="rina")


def test_bappeda_opens_a_round_from_the_upload_page(client, catalogue_2023, rina, wilayah):
    client.force_login(rina)
    page = client.get(reverse("indicators:assessment_list"))
    assert reverse("indicators:assessment_file_open") in page.content.decode()

    upload = SimpleUploadedFile("kota-contoh-2023.xlsx", to_file(workbook_2023_field()).getvalue())
    response = client.post(
        reverse("indicators:assessment_file_open"),
        {"kabupaten": wilayah["serang"].pk, "cycle": 2023, "category": "wiwerda", "file": upload},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assessment = Assessment.objects.get(kabupaten=wilayah["serang"], cycle=catalogue_2023)
    assert assessment.category == "wiwerda"
    assert "Impor selesai" in html
    assert reverse("indicators:assessment_detail", args=[assessment.pk]) in html


def test_the_upload_page_answers_bad_input_in_indonesian(client, catalogue_2023, rina, wilayah):
    client.force_login(rina)
    upload = SimpleUploadedFile("penilaian.xls", b"not a workbook")
    response = client.post(
        reverse("indicators:assessment_file_open"),
        {"kabupaten": wilayah["serang"].pk, "cycle": 1999, "file": upload},
    )
    html = response.content.decode()
    assert "Pilih salah satu siklus yang ada." in html
    assert "Pilih berkas Excel berakhiran .xlsx" in html
    upload = SimpleUploadedFile("penilaian.xlsx", b"not a workbook")
    response = client.post(
        reverse("indicators:assessment_file_open"),
        {"kabupaten": wilayah["serang"].pk, "cycle": 2023, "file": upload},
    )
    assert "tidak dapat dibaca sebagai buku kerja Excel" in response.content.decode()
    assert not Assessment.objects.filter(kabupaten=wilayah["serang"]).exists()
