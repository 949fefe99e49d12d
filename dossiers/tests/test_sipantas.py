"""SIPANTAS export: per indicator, both data years, explanation, scores and file links; JSON and Excel."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.round import demo_pdf
from dossiers.export.sipantas import sipantas_json, sipantas_rows, sipantas_workbook
from evidence.selectors import Owner
from evidence.uploads import attach_upload, evidence_remove
from indicators.services import assessment_open, indicator_entry_update
from tatanan.models import Cycle, EvidenceRequirement, Indicator, ScaleOption, Tatanan, TatananSet


@pytest.fixture
def round_with_evidence(db, rina, wilayah, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    tatanan_set = TatananSet.objects.create(code="UJS", name="Himpunan uji SIPANTAS")
    pasar = Tatanan.objects.create(tatanan_set=tatanan_set, code="PSR", number=1, name="Pasar Sehat")
    sekolah = Tatanan.objects.create(tatanan_set=tatanan_set, code="PDD", number=2, name="Pendidikan")
    cycle = Cycle.objects.create(award_year=2031, first_data_year=2029, last_data_year=2030, tatanan_set=tatanan_set)
    indicators = []
    for tatanan in (pasar, sekolah):
        indicator = Indicator.objects.create(
            cycle=cycle, tatanan=tatanan, number="1", order=1, name=f"Ind {tatanan.name}"
        )
        for order, value in enumerate((100, 50, 0)):
            ScaleOption.objects.create(indicator=indicator, value=value, order=order, description=f"nilai {value}")
        indicators.append(indicator)
    requirement = EvidenceRequirement.objects.create(
        indicator=indicators[0], description="SK pengelola pasar", year_scope=EvidenceRequirement.YearScope.EACH
    )
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)
    entry = assessment.indicator_entries.get(indicator=indicators[0])
    indicator_entry_update(
        entry=entry,
        actor=rina,
        value_year1="12 pasar",
        value_year2="14 pasar",
        explanation="Semua pasar\x07 punya SK",  # a control character Excel would refuse
        self_score=entry.indicator.scale_options.get(value=100),
    )
    owner = Owner(requirement=requirement, assessment=assessment, data_year=2029)
    kept = attach_upload(
        owner=owner,
        upload=SimpleUploadedFile("sk-2029.pdf", demo_pdf("SK 2029"), "application/pdf"),
        kind="sk",
        actor=rina,
    ).evidence
    removed = attach_upload(
        owner=Owner(requirement=requirement, assessment=assessment, data_year=2030),
        upload=SimpleUploadedFile("salah.pdf", demo_pdf("Salah unggah"), "application/pdf"),
        kind="sk",
        actor=rina,
    ).evidence
    evidence_remove(evidence=removed, actor=rina)
    return assessment, kept


def test_rows_follow_the_instrument_with_live_files_only(round_with_evidence):
    assessment, kept = round_with_evidence

    rows = sipantas_rows(assessment, base_url="https://kks.example.go.id/")

    assert [(r.tatanan_code, r.number) for r in rows] == [("PSR", "1"), ("PDD", "1")]
    first = rows[0]
    assert (first.value_year1, first.value_year2, first.self_score) == ("12 pasar", "14 pasar", 100)
    assert [f.name for f in first.files] == ["sk-2029.pdf"]
    link = first.files[0]
    assert link.data_year == 2029
    assert link.sha256 == kept.blob.sha256
    assert link.url == "https://kks.example.go.id" + reverse("evidence:file_download", args=[kept.pk])
    assert rows[1].files == []
    assert rows[1].self_score is None


def test_json_names_the_assessment_and_its_data_years(round_with_evidence):
    assessment, _kept = round_with_evidence

    data = sipantas_json(assessment)

    assert data["kabupaten"] == {"code": "36.04", "name": assessment.kabupaten.name}
    assert (data["cycle"], data["data_years"]) == (2031, [2029, 2030])
    assert len(data["indicators"]) == 2
    assert data["indicators"][0]["files"][0]["requirement"] == "SK pengelola pasar"


def test_workbook_has_a_sheet_per_tatanan_and_clean_cells(round_with_evidence):
    assessment, kept = round_with_evidence

    workbook = openpyxl.load_workbook(io.BytesIO(sipantas_workbook(assessment)))

    assert workbook.sheetnames == ["PSR", "PDD"]
    sheet = workbook["PSR"]
    assert sheet["E3"].value == "Data tahun 2029"
    assert sheet["F3"].value == "Data tahun 2030"
    row = [cell.value for cell in sheet[4]]
    assert row[:3] == ["PSR", "1", "Ind Pasar Sehat"]
    assert row[3] is None  # no OPD assigned: an empty cell
    assert row[4:6] == ["12 pasar", "14 pasar"]
    assert row[7] == "Semua pasar punya SK"
    assert row[8] == 100
    assert "sk-2029.pdf" in row[13]
    assert kept.blob.sha256 in row[13]


# --- The feed (issue 13, item 6): status, option texts, kelembagaan, local sheet, ZIPs --------------


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming  # made while sent, never whole in memory
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_round_zip_holds_every_live_file_named_per_indicator_and_year(round_with_evidence, client_for, rina):
    assessment, kept = round_with_evidence
    response = client_for(rina).get(reverse("dossiers:sipantas_zip", args=[assessment.pk]))
    assert "sipantas-36.04-2031-bukti.zip" in response["Content-Disposition"]
    archive = _zip(response)
    assert archive.namelist() == ["01-PSR/PSR-1/2029/PSR-1_2029_01_sk-2029.pdf"]  # the removed file is not in it
    with kept.blob.file.open("rb") as stored:
        assert archive.read("01-PSR/PSR-1/2029/PSR-1_2029_01_sk-2029.pdf") == stored.read()
    assert archive.testzip() is None


def test_one_indicators_year_comes_as_its_own_zip_to_upload_straight(round_with_evidence, client_for, rina):
    assessment, _kept = round_with_evidence
    entry = assessment.indicator_entries.get(indicator__tatanan__code="PSR")
    url = reverse("dossiers:sipantas_entry_zip", args=[assessment.pk, entry.pk, 2029])
    zips = sipantas_json(assessment)["indicators"][0]["zips"]
    assert list(zips) == ["2029"]
    assert zips["2029"].endswith(url)
    archive = _zip(client_for(rina).get(url))
    assert archive.namelist() == ["PSR-1_2029_01_sk-2029.pdf"]
    empty = _zip(client_for(rina).get(reverse("dossiers:sipantas_entry_zip", args=[assessment.pk, entry.pk, 2030])))
    assert empty.namelist() == []


def test_the_json_says_status_option_texts_and_kelembagaan(round_with_evidence, rina):
    assessment, _kept = round_with_evidence
    from tatanan.models import KelembagaanItem

    item = KelembagaanItem.objects.create(cycle=assessment.cycle, component="tim_pembina", item="sk", text="SK TP")
    option = ScaleOption.objects.create(kelembagaan_item=item, value=100, order=0, description="Ada SK")
    assessment.kelembagaan_entries.create(
        item=item,
        self_score=option,
        note="SK 2029",
        evidence_link="https://drive.example.org/sk",
        provincial_note="SK berlaku",
    )
    data = sipantas_json(assessment)
    first = data["indicators"][0]
    assert (first["status"], first["self_score_text"]) == ("Draf", "nilai 100")
    assert data["kelembagaan"] == [
        {
            "component": "Tim Pembina",
            "item": "SK",
            "text": "SK TP",
            "self_score": 100,
            "self_score_text": "Ada SK",
            "note": "SK 2029",
            "evidence_link": "https://drive.example.org/sk",
            "provincial_note": "SK berlaku",
            "files": [],
        }
    ]
    assert data["evidence_zip"].endswith(reverse("dossiers:sipantas_zip", args=[assessment.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(sipantas_workbook(assessment)))
    assert workbook.sheetnames == ["Kelembagaan", "PSR", "PDD"]
    assert [c.value for c in workbook["Kelembagaan"][4]][:9] == [
        "Tim Pembina",
        "SK",
        "SK TP",
        100,
        "Ada SK",
        "SK 2029",
        "https://drive.example.org/sk",
        "SK berlaku",
        None,
    ]
    header = [c.value for c in workbook["PSR"][3]]
    assert header[-4:] == ["Status", "Kriteria nilai mandiri", "Catatan pusat", "ZIP bukti dukung per tahun"]
    row = [c.value for c in workbook["PSR"][4]]
    assert row[14:16] == ["Draf", "nilai 100"]
    assert row[17].startswith("2029: ")


def test_local_indicators_go_to_their_own_sheet(round_with_evidence, rina):
    assessment, _kept = round_with_evidence
    from indicators.fieldwork.services import local_indicator_add

    local_indicator_add(
        assessment=assessment,
        actor=rina,
        tatanan=Tatanan.objects.get(tatanan_set__code="UJS", code="PSR"),
        number="L1",
        name="Pasar rakyat ber-SNI",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(sipantas_workbook(assessment)))
    assert workbook.sheetnames == ["PSR", "PDD", "Lokal"]
    assert [c.value for c in workbook["Lokal"][4]][:3] == ["PSR", "L1 (lokal)", "Pasar rakyat ber-SNI"]
    assert [c.value for c in workbook["PSR"]["B"]][3:] == ["1"]
