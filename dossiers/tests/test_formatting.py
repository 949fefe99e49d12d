"""Indonesian dates, Rupiah, numbers and sizes, as the dossier prints them."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from dossiers.renderer.formatting import angka, persen, rupiah, tanggal, ukuran


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 23), "23 November 2026"),
        (datetime.date(2024, 1, 5), "5 Januari 2024"),
        (datetime.date(2023, 3, 18), "18 Maret 2023"),
        (datetime.date(2025, 8, 17), "17 Agustus 2025"),
        # 20:30 UTC on the 22nd is already the 23rd in Jakarta.
        (datetime.datetime(2026, 11, 22, 20, 30, tzinfo=datetime.UTC), "23 November 2026"),
        (datetime.datetime(2026, 2, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), "1 Februari 2026"),
        ("2024-12-31", "31 Desember 2024"),
        (None, ""),
        ("bukan tanggal", ""),
    ],
)
def test_tanggal(value, expected):
    assert tanggal(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_250_000, "Rp 1.250.000"),
        (Decimal("1250000"), "Rp 1.250.000"),
        (Decimal("999.50"), "Rp 1.000"),
        (500, "Rp 500"),
        (0, "Rp 0"),
        (None, "Rp 0"),
        (-75_000, "-Rp 75.000"),
        (12_345_678_901, "Rp 12.345.678.901"),
    ],
)
def test_rupiah(value, expected):
    assert rupiah(value) == expected


def test_numbers_and_percentages_use_a_decimal_comma():
    assert angka(Decimal("71.50")) == "71,5"
    assert angka(1234.25) == "1.234,25"
    assert angka(Decimal("100.00")) == "100"
    assert angka(None) == "–"
    assert persen(Decimal("87.50")) == "87,5 %"
    assert persen(None) == "–"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(850, "850 B"), (12_700, "12,4 KB"), (3_355_443, "3,2 MB"), (1_127_428_915, "1,05 GB"), (None, "–")],
)
def test_ukuran(value, expected):
    assert ukuran(value) == expected


def test_template_filters():
    template = Template(
        "{% load dossier_format %}{{ day|tanggal }} · {{ money|rupiah }} · {{ share|persen }} · {{ size|ukuran }}"
    )
    text = template.render(
        Context({"day": datetime.date(2026, 11, 23), "money": 1_250_000, "share": Decimal("91.25"), "size": 2048})
    )
    assert text == "23 November 2026 · Rp 1.250.000 · 91,25 % · 2 KB"
