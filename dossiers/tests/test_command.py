"""manage.py compile_dossier: the same pipeline, in the operator's process, to a file."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from dossiers.models import DossierVersion


def run(**options):
    out = io.StringIO()
    call_command("compile_dossier", stdout=out, **options)
    return out.getvalue()


def test_writes_the_pdf_of_a_new_version(serang_2025, tmp_path):
    target = tmp_path / "serang-2025.pdf"
    output = run(kabupaten="36.04", cycle=2025, output=str(target))

    version = DossierVersion.objects.get()
    assert version.state == "done"
    assert version.created_by is None  # the operator at the command line
    data = target.read_bytes()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert len(PdfReader(io.BytesIO(data)).pages) == version.page_count
    assert "Versi 1 selesai" in output
    assert version.sha256 in output
    assert f"{len(version.plan)} bab dirender, 0 dipakai ulang" in output

    again = run(kabupaten="36.04", cycle=2025, output=str(target))
    assert f"0 bab dirender, {len(version.plan)} dipakai ulang" in again
    assert DossierVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kabupaten": "36.99", "cycle": 2025}, "Kabupaten/kota dengan kode 36.99 tidak ada."),
        ({"kabupaten": "36.04.17", "cycle": 2025}, "bukan kabupaten/kota"),
        ({"kabupaten": "36.04", "cycle": 2099}, "Siklus Swasti Saba 2099 tidak ada."),
        ({"kabupaten": "32.01", "cycle": 2025}, "Kabupaten Bogor belum membuka penilaian Swasti Saba 2025."),
    ],
)
def test_clear_errors_for_what_does_not_exist(serang_2025, tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        run(output=str(tmp_path / "x.pdf"), **options)
    assert not DossierVersion.objects.exists()


def test_refuses_an_output_it_cannot_write_before_compiling(serang_2025, tmp_path):
    with pytest.raises(CommandError, match="Folder .* tidak ada"):
        run(kabupaten="36.04", cycle=2025, output=str(tmp_path / "tidak-ada" / "x.pdf"))
    with pytest.raises(CommandError, match="adalah folder"):
        run(kabupaten="36.04", cycle=2025, output=str(tmp_path))
    not_a_folder = tmp_path / "berkas.txt"
    not_a_folder.write_text("x")
    with pytest.raises(CommandError, match="tidak ada"):
        run(kabupaten="36.04", cycle=2025, output=str(not_a_folder / "x.pdf"))
    assert not DossierVersion.objects.exists()


def test_refuses_while_another_compile_runs(serang_2025, rina, tmp_path, django_capture_on_commit_callbacks):
    from dossiers.services import dossier_compile

    with django_capture_on_commit_callbacks(execute=False):
        dossier_compile(assessment=serang_2025, actor=rina)
    with pytest.raises(CommandError, match="sedang disusun"):
        run(kabupaten="36.04", cycle=2025, output=str(tmp_path / "x.pdf"))
