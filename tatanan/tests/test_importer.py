import io

import pytest
from django.db.models import Count

from tatanan.importer import Status, instrument_import
from tatanan.models import EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption

from .workbooks import SCALE_OK, drifted_copy, indicator_row, to_file, workbook_2023_layout, workbook_2025

EXPECTED_2025 = {"KSM": 29, "PFU": 22, "PDD": 11, "PSR": 13, "KPI": 11, "PAR": 12, "TLL": 11, "PLS": 13, "BCN": 14}


def counts_per_tatanan(cycle):
    rows = Indicator.objects.filter(cycle=cycle).values_list("tatanan__code").annotate(n=Count("id"))
    return dict(rows)


class TestOfficialWorkbook:
    def test_imports_every_tatanan_indicator_and_kelembagaan_item(self, cycle_2025, real_workbook):
        report = instrument_import(cycle=cycle_2025, file=real_workbook)

        assert report.imported, (report.problems, report.error_rows)
        assert counts_per_tatanan(cycle_2025) == EXPECTED_2025
        assert Indicator.objects.filter(cycle=cycle_2025).count() == 136
        assert report.count(Status.CREATED) == 136 + 16
        assert report.count(Status.ERROR) == 0

        components = KelembagaanItem.objects.filter(cycle=cycle_2025).values_list("component", "item")
        assert len(components) == 16
        assert set(components) == {
            (component, item) for component in KelembagaanItem.Component for item in KelembagaanItem.Item
        }

    def test_every_scale_cell_becomes_options(self, catalogue_2025):
        for indicator in Indicator.objects.filter(cycle=catalogue_2025).prefetch_related("scale_options"):
            options = list(indicator.scale_options.all())
            assert len(options) >= 2, indicator
            assert {o.value for o in options} <= {0, 25, 50, 75, 100}, indicator
            assert all(o.description for o in options), indicator
            assert (options[0].value, options[-1].value) == (100, 0), indicator
        for item in KelembagaanItem.objects.filter(cycle=catalogue_2025):
            assert item.scale_options.count() >= 2, item

    def test_the_worded_catalogue(self, catalogue_2025):
        indicator = Indicator.objects.get(cycle=catalogue_2025, tatanan__code="KSM", number="4")
        assert indicator.name == "Persentase fasilitas pelayanan kesehatan terdekat"
        assert [o.value for o in indicator.scale_options.all()] == [100, 75, 50, 0]
        assert indicator.scale_options.first().description.startswith("capaian ≥ 75% Desa/Kelurahan")
        assert indicator.sumber_data == "Perangkat daerah yang membidangi urusan kesehatan"

        # "tahun 2023 dan 2024" in the bukti dukung: one requirement per data year, original text kept.
        stunting = Indicator.objects.get(cycle=catalogue_2025, tatanan__code="KSM", number="1")
        requirements = list(stunting.evidence_requirements.all())
        assert [(r.year_scope, r.data_year) for r in requirements] == [("year", 2023), ("year", 2024)]
        assert "Aplikasi MPDN tahun 2023 dan 2024" in stunting.bukti_dukung

        sk = KelembagaanItem.objects.get(cycle=catalogue_2025, component="tim_pembina", item="sk")
        assert [(r.year_scope, r.data_year) for r in sk.evidence_requirements.all()] == [("none", None)]
        renja = KelembagaanItem.objects.get(cycle=catalogue_2025, component="pokja_desa", item="rencana_kerja")
        assert [r.data_year for r in renja.evidence_requirements.all()] == [2023, 2024]

    def test_reimport_changes_nothing(self, catalogue_2025, real_workbook):
        option_ids = set(ScaleOption.objects.values_list("id", flat=True))
        requirement_ids = set(EvidenceRequirement.objects.values_list("id", flat=True))

        report = instrument_import(cycle=catalogue_2025, file=real_workbook)

        assert report.imported
        assert report.count(Status.CREATED) == 0
        assert report.count(Status.UPDATED) == 0
        assert report.count(Status.UNCHANGED) == 136 + 16
        assert set(ScaleOption.objects.values_list("id", flat=True)) == option_ids
        assert set(EvidenceRequirement.objects.values_list("id", flat=True)) == requirement_ids

    def test_reimport_updates_in_place_and_keeps_what_the_workbook_does_not_hold(self, catalogue_2025, real_workbook):
        indicator = Indicator.objects.get(cycle=catalogue_2025, tatanan__code="PSR", number="1")
        option_ids = list(indicator.scale_options.values_list("id", flat=True))
        indicator.name = "Nama lama"
        indicator.responsible_opd = "Disperindag"
        indicator.save()
        indicator.scale_options.filter(value=50).update(description="kriteria lama")
        manual = EvidenceRequirement.objects.create(indicator=indicator, description="Foto pasar", derived=False)

        report = instrument_import(cycle=catalogue_2025, file=real_workbook)

        assert report.count(Status.UPDATED) == 1
        (updated,) = [row for row in report.rows if row.status == Status.UPDATED]
        assert updated.subject.startswith("PSR 1.")
        assert "nama" in updated.message
        assert "opsi skala" in updated.message
        indicator.refresh_from_db()
        assert indicator.name == "Adanya regulasi daerah tentang pasar sehat"
        assert indicator.responsible_opd == "Disperindag"
        assert list(indicator.scale_options.values_list("id", flat=True)) == option_ids
        assert EvidenceRequirement.objects.filter(pk=manual.pk).exists()

    def test_dry_run_writes_nothing(self, cycle_2025, real_workbook):
        report = instrument_import(cycle=cycle_2025, file=real_workbook, dry_run=True)

        assert report.ok
        assert not report.imported
        assert report.count(Status.CREATED) == 152
        assert not Indicator.objects.exists()
        assert not KelembagaanItem.objects.exists()


def test_header_drift_reads_the_same_catalogue(catalogue_2025):
    """Shuffled columns, lowercase and spaced-out headers, synonyms, an unknown column and no
    merged cells: the same 152 rows, all unchanged."""
    report = instrument_import(cycle=catalogue_2025, file=to_file(drifted_copy()))

    assert report.ok, (report.problems, [(r.sheet, r.row_label, r.message) for r in report.error_rows])
    assert report.count(Status.UNCHANGED) == 152, [
        (r.subject, r.message) for r in report.rows if r.status != "unchanged"
    ]
    assert any("Kolom Bebas" in note for note in report.notes)


def test_header_drift_into_an_empty_cycle(cycle_2025):
    report = instrument_import(cycle=cycle_2025, file=to_file(drifted_copy(seed=3)))

    assert report.imported
    assert counts_per_tatanan(cycle_2025) == EXPECTED_2025
    assert KelembagaanItem.objects.filter(cycle=cycle_2025).count() == 16


def test_older_layout_with_options_on_sub_rows(cycle_2023):
    report = instrument_import(cycle=cycle_2023, file=to_file(workbook_2023_layout()))

    assert report.imported, (report.problems, [(r.row_label, r.message) for r in report.error_rows])
    indicators = Indicator.objects.filter(cycle=cycle_2023).order_by("order")
    assert [(i.tatanan.code, i.number) for i in indicators] == [("PSR", "1"), ("PSR", "2a"), ("PSR", "2b")]

    first, second, third = indicators
    assert [(o.value, o.description) for o in first.scale_options.all()] == [
        (100, "Meningkat dan ≥ 50% pada tahun 2022"),
        (50, "Meningkat namun < 50%"),
        (0, "Menurun"),
    ]
    assert [(o.value, o.description) for o in second.scale_options.all()] == [
        (100, "semua pasar"),
        (75, "sebagian besar pasar"),
        (0, "tidak ada"),
    ]
    # The 2023 cycle's data years are 2021 and 2022.
    assert [r.data_year for r in first.evidence_requirements.all()] == [2021, 2022]
    assert [r.data_year for r in third.evidence_requirements.all()] == [2021, 2022]
    assert [r.year_scope for r in second.evidence_requirements.all()] == ["none"]
    # Self-assessment and province columns are recognised and left out of the catalogue.
    assert "drive.example.org" not in first.bukti_dukung
    assert any("diabaikan" in note for note in report.notes)
    rows = {row.subject.split(".")[0]: row.row_label for row in report.rows if row.sheet == "Pasar Sehat"}
    assert rows == {"PSR 1": "6–8", "PSR 2a": "9–11", "PSR 2b": "12–13"}

    items = KelembagaanItem.objects.filter(cycle=cycle_2023).order_by("order")
    assert [(i.component, i.item) for i in items] == [("tim_pembina", "sk"), ("tim_pembina", "rencana_kerja")]
    assert [(o.value, o.description) for o in items[0].scale_options.all()] == [
        (100, "Ada SK yang berlaku"),
        (0, "Tidak ada SK"),
    ]

    again = instrument_import(cycle=cycle_2023, file=to_file(workbook_2023_layout()))
    assert again.count(Status.CREATED) == 0
    assert again.count(Status.UNCHANGED) == 5


def test_older_layout_value_and_text_must_agree(cycle_2023):
    workbook = workbook_2023_layout()
    workbook["Pasar Sehat"]["G10"] = 50  # the text of that row says "Nilai 75"

    report = instrument_import(cycle=cycle_2023, file=to_file(workbook))

    assert not report.imported
    (error,) = report.error_rows
    assert error.subject.startswith("PSR 2a")
    assert "Baris 10" in error.message
    assert "75" in error.message
    assert not Indicator.objects.exists()


def _two_tatanan_workbook(bad_scale):
    return workbook_2025(
        {
            "Tatanan 4 Pasar": (
                "TATANAN 4: PASAR",
                [indicator_row(1, "Regulasi pasar sehat", SCALE_OK), indicator_row(2, "Pasar KTR", bad_scale)],
            ),
            "Tatanan 6 Pariwisata": ("TATANAN 6: PARIWISATA", [indicator_row(1, "Regulasi pariwisata", SCALE_OK)]),
        }
    )


def test_an_unparseable_scale_cell_imports_nothing(cycle_2025):
    report = instrument_import(cycle=cycle_2025, file=to_file(_two_tatanan_workbook("Baik / Cukup / Kurang")))

    assert not report.imported
    assert not report.ok
    (error,) = report.error_rows
    assert (error.sheet, error.row_label) == ("Tatanan 4 Pasar", "8")
    assert error.subject.startswith("PSR 2.")
    assert "Skala tidak dikenali" in error.message
    # The rows that were fine are listed too, marked as not saved.
    assert report.count(Status.VALID) == 2
    assert "Tidak ada yang diimpor" in report.summary()
    assert not Indicator.objects.exists()


def test_an_unparseable_row_leaves_an_existing_catalogue_untouched(catalogue_2025):
    good = instrument_import(cycle=catalogue_2025, file=to_file(_two_tatanan_workbook(SCALE_OK)))
    assert good.imported  # renames PSR 1 and 2, PAR 1
    before = list(Indicator.objects.order_by("id").values_list("name", flat=True))

    workbook = _two_tatanan_workbook("1. Nilai 100 jika ada\n2. Nilai 60 jika sebagian\n3. Nilai 0 jika tidak")
    workbook["Tatanan 6 Pariwisata"]["B7"] = "Nama baru yang tidak boleh tersimpan"
    report = instrument_import(cycle=catalogue_2025, file=to_file(workbook))

    assert not report.imported
    assert "60 tidak sah" in report.error_rows[0].message
    assert list(Indicator.objects.order_by("id").values_list("name", flat=True)) == before
    assert any("tidak di berkas" in note for note in good.notes)  # PSR 3–13 kept, and said so


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"NO;INDIKATOR\n1;Angka Kriminalitas\n", "instrumen.xlsx"),
        (b"PK\x03\x04 truncated zip", "instrumen.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "instrumen.xls"),
        (b"", "kosong.xlsx"),
    ],
)
def test_a_file_that_is_not_a_workbook_gives_a_clear_error(cycle_2025, content, name):
    file = io.BytesIO(content)
    file.name = name

    report = instrument_import(cycle=cycle_2025, file=file)

    assert not report.imported
    assert report.problems == [
        f"Berkas “{name}” tidak dapat dibaca sebagai buku kerja Excel (.xlsx). Simpan ulang sebagai .xlsx lalu coba lagi."
    ]


def test_a_workbook_without_catalogue_sheets(cycle_2025):
    workbook = workbook_2025({})
    workbook.create_sheet("Petunjuk")["A1"] = "Isi sheet tatanan"

    report = instrument_import(cycle=cycle_2025, file=to_file(workbook))

    assert not report.imported
    assert "Tidak ada sheet tatanan atau kelembagaan" in report.problems[0]


def test_a_sheet_with_indicators_but_no_known_tatanan_is_an_error(cycle_2025):
    workbook = workbook_2025({"Lain-lain": ("INDIKATOR TAMBAHAN", [indicator_row(1, "Indikator", SCALE_OK)])})

    report = instrument_import(cycle=cycle_2025, file=to_file(workbook))

    assert not report.imported
    assert "tidak dapat dikaitkan dengan tatanan" in report.problems[0]


def test_rows_that_cannot_be_placed_are_reported(cycle_2025):
    workbook = workbook_2025(
        {
            "Pasar": (
                "TATANAN 4: PASAR",
                [
                    ["A.", "KEBIJAKAN", None, None, None, None],
                    indicator_row(1, "Regulasi pasar sehat", SCALE_OK),
                    indicator_row(1, "Nomor ganda", SCALE_OK),
                    indicator_row("x", "Nomor aneh", SCALE_OK),
                    indicator_row(3, "", SCALE_OK),
                ],
            )
        }
    )

    report = instrument_import(cycle=cycle_2025, file=to_file(workbook))

    by_row = {row.row_label: (row.status, row.message) for row in report.rows}
    assert by_row["7"][0] == Status.SKIPPED
    assert "KEBIJAKAN" in by_row["7"][1]
    assert by_row["9"] == (Status.ERROR, "Nomor indikator 1 sudah dipakai di baris 8.")
    assert by_row["10"] == (Status.ERROR, "Nomor indikator “x” tidak dikenali.")
    assert by_row["11"] == (Status.ERROR, "Nama indikator kosong.")
    assert not report.imported
