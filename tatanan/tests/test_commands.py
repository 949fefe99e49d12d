import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tatanan.models import Indicator

from .workbooks import SCALE_OK, indicator_row, workbook_2025


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_instrumen", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_the_official_workbook(cycle_2025, real_workbook):
    out, _err = run(str(real_workbook), "--cycle", "2025")

    assert "Impor selesai. 152 dibuat, 0 diperbarui, 0 tidak berubah, 0 tidak terbaca, 0 dilewati." in out
    assert Indicator.objects.filter(cycle=cycle_2025).count() == 136

    out, _err = run(str(real_workbook), "--cycle", "2025")
    assert "0 dibuat, 0 diperbarui, 152 tidak berubah" in out


def test_dry_run_succeeds_without_writing(cycle_2025, real_workbook):
    out, _err = run(str(real_workbook), "--cycle", "2025", "--dry-run")

    assert "Uji coba selesai" in out
    assert not Indicator.objects.exists()


def test_exit_code_is_non_zero_when_a_row_cannot_be_read(cycle_2025, tmp_path):
    path = tmp_path / "rusak.xlsx"
    workbook_2025(
        {"Pasar": ("TATANAN 4: PASAR", [indicator_row(1, "KTR", SCALE_OK), indicator_row(2, "K3", "Baik")])}
    ).save(path)

    with pytest.raises(CommandError, match="Tidak ada yang diimpor") as caught:
        run(str(path), "--cycle", "2025")

    assert caught.value.returncode == 1  # what manage.py exits with
    assert not Indicator.objects.exists()


def test_problems_and_error_rows_are_printed(cycle_2025, tmp_path, capsys):
    path = tmp_path / "rusak.xlsx"
    workbook_2025({"Pasar": ("TATANAN 4: PASAR", [indicator_row(1, "KTR", "Baik")])}).save(path)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_instrumen", str(path), "--cycle", "2025", stdout=out, stderr=err)

    assert "Pasar baris 7" in out.getvalue()
    assert "Skala tidak dikenali" in out.getvalue()


def test_not_a_workbook(cycle_2025, tmp_path):
    path = tmp_path / "instrumen.csv"
    path.write_text("NO;INDIKATOR\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_instrumen", str(path), "--cycle", "2025", stdout=io.StringIO(), stderr=err)

    assert "tidak dapat dibaca sebagai buku kerja Excel" in err.getvalue()


def test_unknown_cycle_and_missing_file(cycle_2025, real_workbook, tmp_path):
    with pytest.raises(CommandError, match="Siklus 2099 tidak ada"):
        run(str(real_workbook), "--cycle", "2099")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run(str(tmp_path / "tidak-ada.xlsx"), "--cycle", "2025")
