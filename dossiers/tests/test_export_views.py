"""SIPANTAS downloads from the dossier page: JSON and Excel, as attachments named after the
kabupaten and the award year, for the dossier's readers only."""

import io
import json

import openpyxl
from django.urls import reverse

from dossiers.tests.conftest import attach, make_blob, pdf_bytes
from evidence.models import EvidenceFile, FileType


def url(name, assessment):
    return reverse(f"dossiers:{name}", kwargs={"pk": assessment.pk})


def test_readers_download_the_json(serang_2025, client_for, vina, nadia, rina):
    report = EvidenceFile.objects.get(original_name="laporan-inspeksi-pasar-2023.pdf")
    for reader in (rina, vina, nadia):
        response = client_for(reader).get(url("sipantas_json", serang_2025))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="sipantas-36.04-2025.json"')
        assert response["X-Content-Type-Options"] == "nosniff"
        data = json.loads(response.content)
        assert (data["kabupaten"]["code"], data["cycle"], data["data_years"]) == ("36.04", 2025, [2023, 2024])
        psr1 = next(row for row in data["indicators"] if (row["tatanan_code"], row["number"]) == ("PSR", "1"))
        assert (psr1["value_year1"], psr1["value_year2"], psr1["self_score"]) == ("72", "81", 75)
        assert [f["sha256"] for f in psr1["files"]] == [report.blob.sha256]
        assert psr1["files"][0]["url"] == "https://kks.example.id" + reverse("evidence:file_download", args=[report.pk])


def test_readers_download_the_workbook(serang_2025, client_for, vina, wilayah):
    # A file name with quotes and a non-ASCII name do not reach the header: only the fixed name does.
    attach(
        make_blob(serang_2025.kabupaten, pdf_bytes(5), FileType.PDF),
        region=wilayah["serang"],
        kind="laporan",
        original_name='laporan "ganda" ✓.pdf',
        requirement=EvidenceFile.objects.get(original_name="laporan-inspeksi-pasar-2023.pdf").requirement,
        assessment=serang_2025,
        data_year=2024,
    )
    response = client_for(vina).get(url("sipantas_xlsx", serang_2025))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="sipantas-36.04-2025.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Kelembagaan", "KSM", "PSR"]
    sheet = workbook["PSR"]
    assert sheet["E3"].value == "Data tahun 2023"
    first = [cell.value for cell in sheet[4]]
    assert first[:3] == ["PSR", "1", "Pasar rakyat memenuhi syarat kesehatan"]
    assert first[8] == 75
    assert 'laporan "ganda" ✓.pdf' in first[13]


def test_others_find_no_export(serang_2025, client_for, client, wawan, oscar, sari, dewi):
    for name in ("sipantas_json", "sipantas_xlsx"):
        for person in (wawan, oscar, sari, dewi):
            assert client_for(person).get(url(name, serang_2025)).status_code == 404
        client.logout()
        response = client.get(url(name, serang_2025))
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("login"))


def test_only_get(serang_2025, client_for, rina):
    assert client_for(rina).post(url("sipantas_json", serang_2025)).status_code == 405
