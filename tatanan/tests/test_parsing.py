import pytest

from tatanan.importer import match_shortened_name
from tatanan.parsing import (
    ParseError,
    data_years_mentioned,
    header_key,
    match_label,
    normalize_number,
    parse_requirements,
    parse_scale_text,
    split_documents,
    strip_option_prefix,
)

ALLOWED = [100, 75, 50, 25, 0]
YEARS = [2023, 2024]


def values(options):
    return [o.value for o in options]


class TestScaleText:
    def test_numbered_options_of_the_2025_instrument(self):
        text = "1. Nilai 100 jika jumlah kematian ibu menurun \n\n2. Nilai 50 jika tetap\n\n3. Nilai 0 jika meningkat\n"
        options = parse_scale_text(text, allowed_values=ALLOWED)
        assert values(options) == [100, 50, 0]
        assert options[0].description == "jumlah kematian ibu menurun"
        assert options[2].description == "meningkat"

    def test_typos_seen_in_the_workbook(self):
        # "NIlai", "4.Nilai" without a space, "50jika", a missing "jika", skipped and repeated
        # list numbers: all in the official 2025 file.
        text = (
            "1. NIlai 100 jika semua\n\n2. Nilai 75 jika\xa0sebagian\n\n3. Nilai 50jika sedikit\n\n"
            "3. Nilai 25 hanya rencana\n\n5.Nilai 0 jika tidak ada"
        )
        options = parse_scale_text(text, allowed_values=ALLOWED)
        assert values(options) == [100, 75, 50, 25, 0]
        assert [o.description for o in options] == ["semua", "sebagian", "sedikit", "hanya rencana", "tidak ada"]

    def test_options_on_one_line(self):
        options = parse_scale_text("1. Nilai 100 jika ada 2. Nilai 0 jika tidak ada", allowed_values=ALLOWED)
        assert values(options) == [100, 0]
        assert options[0].description == "ada"

    def test_a_value_inside_a_criterion_is_not_an_option(self):
        text = "1. Nilai 100 jika nilai 70 tercapai\n2. Nilai 0 jika tidak"
        options = parse_scale_text(text, allowed_values=ALLOWED)
        assert values(options) == [100, 0]
        assert options[0].description == "nilai 70 tercapai"

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "kosong"),
            ("Baik / Cukup / Kurang", "tidak dikenali"),
            ("Kategori:\n1. Nilai 100 jika ada\n2. Nilai 0 jika tidak", "sebelum opsi pertama"),
            ("1. Nilai 100 jika ada", "minimal 2"),
            ("1. Nilai 100 jika ada\n2. Nilai 60 jika sebagian\n3. Nilai 0 jika tidak", "60 tidak sah"),
            ("1. Nilai 100 jika ada\n2. Nilai 100 jika sebagian", "dua kali"),
            ("1. Nilai 100 jika ada\n2. Nilai 0 jika", "tidak punya kriteria"),
        ],
    )
    def test_unparseable_scales_say_why(self, text, message):
        with pytest.raises(ParseError, match=message):
            parse_scale_text(text, allowed_values=ALLOWED)


class TestRequirements:
    def test_both_data_years_give_one_requirement_each(self):
        requirements = parse_requirements("Laporan capaian tahun 2023 dan 2024 dari Dinkes.", data_years=YEARS)
        assert [(r.year_scope, r.data_year) for r in requirements] == [("year", 2023), ("year", 2024)]
        assert all(r.description == "Laporan capaian tahun 2023 dan 2024 dari Dinkes." for r in requirements)

    @pytest.mark.parametrize(
        "text",
        ["Laporan persentase elektrifikasi dalam 2 tahun terakhir.", "Dokumen rencana kerja dengan data dua tahun"],
    )
    def test_two_years_in_words(self, text):
        assert [r.data_year for r in parse_requirements(text, data_years=YEARS)] == [2023, 2024]

    def test_one_year(self):
        requirements = parse_requirements("Laporan hasil SSGI tahun 2024", data_years=YEARS)
        assert [(r.year_scope, r.data_year) for r in requirements] == [("year", 2024)]

    def test_validity_bounds_are_not_data_years(self):
        text = "Dokumen SK Tim Pembina minimal < 10 tahun dan masih berlaku sd tahun 2024."
        assert [(r.year_scope, r.data_year) for r in parse_requirements(text, data_years=YEARS)] == [("none", None)]
        assert data_years_mentioned("Jika regulasi ditetapkan sebelum 2023 maka …", YEARS) == set()
        assert data_years_mentioned("Dokumen RPJMN 2020-2024", YEARS) == set()

    def test_numbered_list_of_documents(self):
        text = "1. Dokumen Rencana Kontingensi Bencana Daerah 2. Laporan Review Rencana Kontingensi tahun 2024"
        requirements = parse_requirements(text, data_years=YEARS)
        assert [(r.description, r.data_year) for r in requirements] == [
            ("Dokumen Rencana Kontingensi Bencana Daerah", None),
            ("Laporan Review Rencana Kontingensi tahun 2024", 2024),
        ]

    def test_list_after_an_introduction_stays_one_document(self):
        text = "Laporan terdiri dari : 1. SK Kumuh 2. data awal 3. capaian tahun 2023 dan 2024"
        assert split_documents(text) == [text]

    def test_minimum_count(self):
        (requirement,) = parse_requirements(
            "Dokumentasi minimal 2 buah foto dengan keterangan lokasi", data_years=YEARS
        )
        assert requirement.count == 2

    def test_empty_text_requires_nothing(self):
        assert parse_requirements("", data_years=YEARS) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1"),
        (12, "12"),
        ("3.", "3"),
        ("2a", "2a"),
        ("2 a", "2a"),
        ("2.a", "2a"),
        ("2B)", "2b"),
        ("(1)", None),
        ("A", None),
        (1.5, None),
        (None, None),
    ],
)
def test_normalize_number(value, expected):
    assert normalize_number(value) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("SKALA/ KATEGORI PENILAIAN", "skala_text"),
        ("  skala   penilaian ", "skala_text"),
        ("KATEGORI PENILAIAN", "skala_text"),
        ("DEFINISI OPERASIONAL (DO)", "definisi"),
        ("Defenisi Operasional", "definisi"),
        ("SUMBER DATA ", "sumber_data"),
        ("Bukti Dukung / Data Dukung", "bukti_dukung"),
        ("SKALA", "skala_value"),
        ("Penilaian Mandiri Nilai", "self_value"),
        ("PENILAIAN MANDIRI Link Bukti Dukung", "evidence_link"),
        ("Verifikasi Provinsi Catatan", "province_notes"),
        ("Nilai Verifikasi Provinsi", "province_value"),
        ("(1)", None),
        ("Kolom Bebas", None),
        # The 2023 field workbooks (docs/DOMAIN.md "The instrument workbook").
        ("NILAI SELF-ASSESMENT", "self_value"),
        ("CATATAN TIM PEMBINA PROVINSI", "province_notes"),
        ("BUKTI DATA PENDUKUNG", "bukti_dukung"),
        ("KETERSEDIAAN DATA", "data_availability"),
        ("LAMPIRKAN BUKTI", "evidence_link"),
        ("ADA (√) / TIDAK ADA (-)", "check"),
        ("ADA (√)", "check_yes"),
        ("TIDAK ADA (-)", "check_no"),
        # Close spellings are not matched against very short synonyms.
        ("DATA", None),
    ],
)
def test_header_key(text, key):
    assert header_key(text) == key


def test_match_label_needs_exactly_one_tatanan():
    candidates = {"PFU": ["Permukiman dan Fasilitas Umum", "perkim"], "PSR": ["Pasar"]}
    assert match_label("Tatanan 2 Perkim", candidates) == "PFU"
    assert match_label("TATANAN 4: PASAR", candidates) == "PSR"
    assert match_label("Rekap", candidates) is None
    assert match_label("Pasar dan perkim", candidates) is None


@pytest.mark.parametrize(
    ("text", "value", "criterion"),
    [
        ("a. Nilai 100 jika ≥ 80% desa", 100, "≥ 80% desa"),
        ("b) Menurun", None, "Menurun"),
        ("c. Nilai 0 jika tidak ada", 0, "tidak ada"),
        ("Ada dan berfungsi", None, "Ada dan berfungsi"),
    ],
)
def test_lettered_options(text, value, criterion):
    assert strip_option_prefix(text) == (value, criterion)


def test_a_sheet_name_cut_short_names_the_one_tatanan_holding_its_words():
    candidates = {
        "PLS": ["Perlindungan Sosial", "linsos"],
        "KSM": ["Kehidupan Masyarakat Sehat Mandiri"],
        "PFU": ["Permukiman dan Fasilitas Umum"],
    }
    assert match_shortened_name("8 Sosial", candidates) == "PLS"
    assert match_shortened_name("1. Masyarakat", candidates) == "KSM"
    assert match_shortened_name("Tatanan 2", candidates) is None
    assert match_shortened_name("Rekap", candidates) is None
