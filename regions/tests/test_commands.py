from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regions.models import Region

from .conftest import SMALL

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command("import_wilayah", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def banten():
    """Banten from the shipped Kemendagri 2025 files."""
    return run("--province", "36")


def below(code, level):
    return Region.objects.filter(code__startswith=code + ".", level=level)


def test_banten_from_the_real_files(banten):
    assert below("36", Region.Level.KABKOTA).count() == 8
    assert below("36.04", Region.Level.KECAMATAN).count() == 29
    assert below("36.04", Region.Level.DESA).count() == 326
    assert Region.objects.get(code="36.04").kind == "kabupaten"
    assert Region.objects.get(code="36.73").kind == "kota"
    assert Region.objects.get(code="36.73.01.1002").name == "Cipare"
    assert Region.objects.get(code="36.73.01.1002").kind == "kelurahan"
    assert Region.objects.get(code="36.04.17.2001").kind == "desa"
    assert below("36", Region.Level.DESA).filter(kind="kelurahan").count() == 314
    assert not Region.objects.exclude(code="36").exclude(code__startswith="36.").exists()


def test_output_reports_counts_per_level(banten):
    assert "Kabupaten/Kota: 8 baru, 0 diperbarui, 0 tetap" in banten
    assert "Desa/Kelurahan: 1.552 baru, 0 diperbarui, 0 tetap" in banten
    assert "1.716 wilayah" in banten


def test_running_again_creates_nothing(banten):
    again = run("--province", "36")

    assert "Kecamatan: 0 baru, 0 diperbarui, 155 tetap" in again
    assert "(0 baru, 0 diperbarui)" in again
    assert Region.objects.count() == 1 + 8 + 155 + 1552


def test_unknown_province_is_a_command_error():
    with pytest.raises(CommandError, match="kode provinsi 99 tidak ada di provinces.csv"):
        run("--province", "99")
    assert not Region.objects.exists()


def test_if_empty_skips_when_regions_are_loaded(wilayah, wilayah_dir):
    out = run("--if-empty", "--data-dir", str(wilayah_dir()))

    assert "sudah berisi data" in out
    assert not Region.objects.filter(code="91").exists()


def test_if_empty_imports_into_an_empty_table(wilayah_dir):
    out = run("--if-empty", "--data-dir", str(wilayah_dir()))

    assert "Selesai: 16 wilayah" in out
    assert Region.objects.count() == 16


def test_broken_file_is_a_command_error_naming_file_and_line(wilayah, wilayah_dir):
    before = Region.objects.count()
    folder = wilayah_dir(districts=SMALL["districts.csv"] + "36.05.01,36.05,Cikande\n")

    with pytest.raises(CommandError, match=r"tidak ada yang dimuat\. districts\.csv, baris 6: kode induk 36\.05"):
        run("--data-dir", str(folder))

    assert Region.objects.count() == before
    assert not Region.objects.filter(code="91").exists()
