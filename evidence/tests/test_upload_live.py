"""What the upload widget relies on from the server (issue 12, items 5 and 6): the part of an
owner's page an upload changes (``?bagian=berkas``), a refusal of the whole request that says which
field was wrong, and the activity form's indicators naming their tatanan. The widget itself is
driven in a real browser in ``test_journey_one_pass.py``."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Activity
from evidence.selectors import Owner
from evidence.tests.blobs import photo_bytes
from evidence.uploads import attach_upload
from forums.models import Body
from forums.tests.factories import pdf_bytes
from tatanan.models import Cycle, Indicator, Tatanan

pytestmark = pytest.mark.django_db


def _pdf(marker: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{marker}.pdf", pdf_bytes(marker), "application/pdf")


def _fragment(client, activity: Activity) -> str:
    response = client.get(reverse("evidence:activity_detail", args=[activity.pk]), {"bagian": "berkas"})
    assert response.status_code == 200
    return response.content.decode()


def _present(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-required="(\w+)" data-present="(\d)"', html))


def test_an_activitys_fragment_tells_its_completeness_as_it_changes(
    client_for, dewi, activity_carenang, media_root, upload_temp_dir
):
    client = client_for(dewi)
    html = _fragment(client, activity_carenang)
    # Only the parts an upload changes, each with the id the page's element has.
    assert "<html" not in html
    assert "evidence-upload-form" not in html
    assert 'id="activity-status"' in html
    assert 'id="berkas"' in html
    assert "Kurang: undangan, daftar hadir, notulen, foto" in html
    assert set(_present(html).values()) == {"0"}

    response = client.post(
        reverse("evidence:activity_upload", args=[activity_carenang.pk]),
        {"files": [_pdf("undangan"), _pdf("absen")], "kind": ["undangan", "daftar_hadir"]},
        HTTP_ACCEPT="application/json",
    )
    assert [row["status"] for row in response.json()["files"]] == ["stored", "stored"]
    html = _fragment(client, activity_carenang)
    assert "Kurang: notulen, foto" in html
    assert _present(html) == {"undangan": "1", "daftar_hadir": "1", "notulen": "0", "foto": "0"}

    owner = Owner(activity=activity_carenang)
    attach_upload(owner=owner, upload=_pdf("notulen"), kind="notulen", actor=dewi)
    attach_upload(
        owner=owner, upload=SimpleUploadedFile("foto.jpg", photo_bytes(), "image/jpeg"), kind="foto", actor=dewi
    )
    html = _fragment(client, activity_carenang)
    assert 'data-complete="1">Lengkap<' in html
    assert set(_present(html).values()) == {"1"}
    # The files come with their replace forms, which the widget wires again once in place.
    assert html.count("data-evidence-upload") == 4


def test_the_fragment_is_read_like_its_page(client_for, tono, activity_carenang, pokja_carenang):
    """Outside the reader's scope it is 404, like the page; another owner's fragment is its file list."""
    url = reverse("evidence:activity_detail", args=[activity_carenang.pk])
    assert client_for(tono).get(url, {"bagian": "berkas"}).status_code == 404
    assert client_for(tono).get(reverse("evidence:body_files", args=[pokja_carenang.pk])).status_code == 404


def test_a_body_files_fragment_is_its_file_list(client_for, dewi, pokja_carenang):
    html = client_for(dewi).get(reverse("evidence:body_files", args=[pokja_carenang.pk]), {"bagian": "berkas"})
    text = html.content.decode()
    assert 'id="berkas"' in text
    assert "Belum ada berkas." in text
    assert "<html" not in text
    assert "activity-status" not in text


def test_the_widget_hears_which_field_refused_a_whole_request(
    client_for, dewi, activity_carenang, media_root, upload_temp_dir
):
    """A file sent without a kind: the JSON answer names the field, so the widget marks that
    file's row to choose a kind there instead of leaving it waiting."""
    response = client_for(dewi).post(
        reverse("evidence:activity_upload", args=[activity_carenang.pk]),
        {"files": [_pdf("scan0001")], "kind": ""},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["files"] == []
    assert body["problems"]["kind"].startswith("Pilih jenis bukti yang diterima di sini: undangan, daftar hadir")
    assert body["message"] == body["problems"]["kind"]


def test_the_activity_forms_indicators_are_checkboxes_naming_their_tatanan(
    client_for, sari, wilayah, shipped_catalogue
):
    forum = Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    cycle = Cycle.objects.get(award_year=2025)
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    psr = Tatanan.objects.get(tatanan_set__code="2023", code="PSR")
    air = Indicator.objects.create(cycle=cycle, tatanan=ksm, number="1", order=1, name="Akses air minum")
    pasar = Indicator.objects.create(cycle=cycle, tatanan=psr, number="1", order=1, name="Pasar sehat")
    client = client_for(sari)
    url = reverse("evidence:activity_add", args=[forum.pk])
    page = client.get(url).content.decode()
    assert re.search(rf'type="checkbox"[^>]*value="{air.pk}"[^>]*data-tatanan="{ksm.pk}"', page)
    assert re.search(rf'type="checkbox"[^>]*value="{pasar.pk}"[^>]*data-tatanan="{psr.pk}"', page)
    assert "js/activity-form.js" in page
    assert "data-indicator-picker" in page

    # The rule stays on the server: an indicator of a tatanan not ticked is refused, input kept.
    response = client.post(
        url, {"title": "Sosialisasi", "date": "2025-03-12", "tatanan": [ksm.pk], "indicators": [air.pk, pasar.pk]}
    )
    assert response.status_code == 200
    assert not Activity.objects.filter(body=forum).exists()
    page = response.content.decode()
    assert 'value="Sosialisasi"' in page
    assert "Indikator 1 bukan dari tatanan yang dipilih" in page
    [kept] = [tag for tag in re.findall(r"<input[^>]*>", page) if f'value="{pasar.pk}"' in tag and "indicators" in tag]
    assert "checked" in kept
    assert f'data-tatanan="{psr.pk}"' in kept
