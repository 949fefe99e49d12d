"""The download and upload pages, and the two management commands."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from indicators.excel.workbook import assessment_export
from indicators.models import Assessment

from .conftest import entry, option

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_url(assessment):
    return f"/penilaian/{assessment.pk}/excel/"


def import_url(assessment):
    return f"/penilaian/{assessment.pk}/excel/impor/"


def upload(data: bytes, name="penilaian-serang.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def with_score(assessment, value):
    wb = openpyxl.load_workbook(io.BytesIO(assessment_export(assessment=assessment)))
    wb["Tatanan 1 Pasar Sehat"].cell(7, 11).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class TestDownload:
    def test_vina_downloads_serang(self, client_for, vina, assessment):
        response = client_for(vina).get(export_url(assessment))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert response["Content-Disposition"].startswith('attachment; filename="penilaian-mandiri-36.04-2030.xlsx"')
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames[0] == "Kelembagaan"

    def test_oscar_downloads_his_kabupaten(self, client_for, oscar, assessment):
        assert client_for(oscar).get(export_url(assessment)).status_code == 200

    def test_wawan_cannot_download_serang(self, client_for, wawan, assessment):
        assert client_for(wawan).get(export_url(assessment)).status_code == 404

    def test_anonymous_goes_to_login(self, client, assessment):
        assert client.get(export_url(assessment)).status_code == 302


class TestUpload:
    def test_rina_imports_and_sees_the_report(self, client_for, rina, assessment):
        client = client_for(rina)
        page = client.get(import_url(assessment))
        assert page.status_code == 200
        assert 'id="assessment-import-form"' in page.content.decode()

        response = client.post(import_url(assessment), {"file": upload(with_score(assessment, 75))})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="import-summary"' in html
        assert "Impor selesai." in html
        assert 'data-status="updated"' in html
        assert entry(assessment, "PSR", "1").self_score == option(entry(assessment, "PSR", "1"), 75)

    def test_a_rejected_row_is_shown_and_nothing_saved(self, client_for, rina, assessment):
        response = client_for(rina).post(import_url(assessment), {"file": upload(with_score(assessment, 60))})
        html = response.content.decode()
        assert "Tidak ada yang diimpor." in html
        assert 'data-status="error"' in html
        assert "Nilai mandiri 60 bukan nilai skala indikator ini" in html
        assert entry(assessment, "PSR", "1").self_score is None

    def test_dry_run(self, client_for, rina, assessment):
        response = client_for(rina).post(
            import_url(assessment), {"file": upload(with_score(assessment, 75)), "dry_run": "on"}
        )
        assert "Uji coba selesai; tidak ada yang disimpan." in response.content.decode()
        assert entry(assessment, "PSR", "1").self_score is None

    def test_a_file_that_is_not_xlsx(self, client_for, rina, assessment):
        client = client_for(rina)
        response = client.post(import_url(assessment), {"file": upload(b"no;indikator\n1;x\n", name="isian.csv")})
        assert response.status_code == 200
        assert "Pilih berkas Excel berakhiran .xlsx" in response.content.decode()

        # Named .xlsx but not a workbook: the importer's message.
        response = client.post(import_url(assessment), {"file": upload(b"\x00garbage", name="isian.xlsx")})
        assert "tidak dapat dibaca sebagai buku kerja Excel (.xlsx)" in response.content.decode()

    @pytest.mark.parametrize("persona", ["oscar", "sari", "vina", "wawan"])
    def test_others_get_404(self, request, client_for, assessment, persona):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(import_url(assessment)).status_code == 404
        data = with_score(assessment, 75)
        assert client.post(import_url(assessment), {"file": upload(data)}).status_code == 404
        assert entry(assessment, "PSR", "1").self_score is None


class TestCommands:
    def test_export_then_import(self, tmp_path, assessment, rina, root_user):
        target = tmp_path / "serang.xlsx"
        call_command("export_penilaian", "--kabupaten", "36.04", "--cycle", "2030", "--output", str(target))
        wb = openpyxl.load_workbook(target)
        wb["Tatanan 2 Pendidikan"].cell(7, 11).value = 100
        wb.save(target)

        out = io.StringIO()
        call_command("import_penilaian", str(target), "--kabupaten", "36.04", "--cycle", "2030", stdout=out)
        assert "Impor selesai." in out.getvalue()
        e = entry(assessment, "PDD", "1")
        assert e.self_score.value == 100
        assert e.updated_by == root_user

        call_command(
            "import_penilaian", str(target), "--kabupaten", "36.04", "--cycle", "2030", "--user", "rina", stdout=out
        )

    def test_import_refuses_someone_who_is_not_bappeda(self, tmp_path, assessment, oscar):
        target = tmp_path / "serang.xlsx"
        target.write_bytes(assessment_export(assessment=assessment))
        with pytest.raises(CommandError, match="bukan admin Bappeda"):
            call_command("import_penilaian", str(target), "--kabupaten", "36.04", "--cycle", "2030", "--user", "oscar")

    def test_import_exits_non_zero_on_a_bad_row(self, tmp_path, assessment, rina):
        target = tmp_path / "serang.xlsx"
        target.write_bytes(with_score(assessment, 60))
        with pytest.raises(CommandError, match="Tidak ada yang diimpor"):
            call_command(
                "import_penilaian",
                str(target),
                "--kabupaten",
                "36.04",
                "--cycle",
                "2030",
                "--user",
                "rina",
                stdout=io.StringIO(),
            )

    def test_unknown_assessment(self, db):
        assert not Assessment.objects.exists()
        with pytest.raises(CommandError, match="Belum ada penilaian"):
            call_command("export_penilaian", "--kabupaten", "36.04", "--cycle", "2025", "--output", "x.xlsx")


class TestDetailLinks:
    def test_rina_sees_download_and_upload(self, client_for, rina, assessment):
        html = client_for(rina).get(f"/penilaian/{assessment.pk}/").content.decode()
        assert f'href="{export_url(assessment)}"' in html
        assert f'href="{import_url(assessment)}"' in html

    def test_vina_sees_only_download(self, client_for, vina, assessment):
        html = client_for(vina).get(f"/penilaian/{assessment.pk}/").content.decode()
        assert f'href="{export_url(assessment)}"' in html
        assert f'href="{import_url(assessment)}"' not in html
