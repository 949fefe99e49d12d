"""Downloads go through the scope check, never trust the upload, stream in chunks, and hand the
file to nginx / Apache when configured."""

from __future__ import annotations

import os
import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.models import Blob, EvidenceFile, FileType
from evidence.photos import process_blob
from evidence.selectors import Owner
from evidence.tests.blobs import PDF_BYTES, attach, photo_bytes, store_blob
from forums.models import Body
from kks_portal.lib.files.names import ascii_filename, content_disposition
from kks_portal.lib.files.responses import CSP_PDF_INLINE, CSP_SANDBOXED

DOCX = FileType.DOCX


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.DOWNLOAD_ACCEL = "none"


@pytest.fixture
def carenang_forum(wilayah):
    body, _ = Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    return body


@pytest.fixture
def notulen(wilayah, carenang_forum, sari):
    """Minutes of the Forum Kecamatan Sehat Carenang, a PDF."""
    blob = store_blob(wilayah["serang"], PDF_BYTES, FileType.PDF)
    return attach(
        blob, Owner(body=carenang_forum), kind=EvidenceFile.Kind.NOTULEN, name="Notulen rapat.pdf", actor=sari
    )


@pytest.fixture
def photo(wilayah, carenang_forum):
    blob = store_blob(wilayah["serang"], photo_bytes((800, 600), orientation=6, gps=(-6.08, 106.32)))
    return attach(blob, Owner(body=carenang_forum), name="Foto kerja bakti.jpg")


def download_url(evidence, **query):
    url = reverse("evidence:file_download", kwargs={"pk": evidence.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Who gets the file ----------------------------------------------------------------------------


def test_the_routes_live_under_bukti_berkas(notulen):
    assert reverse("evidence:file_download", kwargs={"pk": 7}) == "/bukti/berkas/7/unduh/"
    assert reverse("evidence:file_thumbnail", kwargs={"pk": 7}) == "/bukti/berkas/7/kecil/"
    assert reverse("evidence:file_preview", kwargs={"pk": 7}) == "/bukti/berkas/7/pratinjau/"


@pytest.mark.parametrize("persona", ["sari", "rina", "oscar", "vina", "nadia", "root_user"])
def test_readers_of_carenang_get_the_file(request, client, notulen, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(download_url(notulen))

    assert response.status_code == 200
    assert body_of(response) == PDF_BYTES


@pytest.mark.parametrize("persona", ["tono", "dewi", "wawan"])
def test_others_find_no_file(request, client, notulen, persona):
    """Tono (secretary of Binuang), dewi (a desa below Carenang) and wawan (Jawa Barat)."""
    client.force_login(request.getfixturevalue(persona))

    for name in ("evidence:file_download", "evidence:file_thumbnail", "evidence:file_preview"):
        assert client.get(reverse(name, kwargs={"pk": notulen.pk})).status_code == 404


def test_logged_out_visitors_are_sent_to_the_login_page(client, notulen):
    url = download_url(notulen)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_file_still_being_uploaded_is_not_there(client, rina, notulen):
    Blob.objects.filter(pk=notulen.blob_id).update(state=Blob.State.PENDING)
    client.force_login(rina)

    assert client.get(download_url(notulen)).status_code == 404


def test_a_missing_file_is_a_404_not_a_crash(client, rina, notulen):
    default_storage.delete(notulen.blob.file.name)
    client.force_login(rina)

    assert client.get(download_url(notulen)).status_code == 404


def test_only_get_and_head(client, rina, notulen):
    client.force_login(rina)

    assert client.post(download_url(notulen)).status_code == 405
    head = client.head(download_url(notulen))
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(PDF_BYTES))
    assert head.content == b""


# --- Headers --------------------------------------------------------------------------------------


def test_an_attachment_by_default_with_safe_headers(client, rina, notulen):
    client.force_login(rina)

    response = client.get(download_url(notulen))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Notulen rapat.pdf\"; filename*=UTF-8''Notulen%20rapat.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP_SANDBOXED
    assert "sandbox" in CSP_SANDBOXED
    assert "default-src 'none'" in CSP_SANDBOXED
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["ETag"] == f'"{notulen.blob.sha256}"'
    assert response["X-Frame-Options"] == "DENY"


def test_the_type_comes_from_the_stored_content_never_from_the_name(client, rina, notulen):
    EvidenceFile.objects.filter(pk=notulen.pk).update(original_name="undangan.html")
    client.force_login(rina)

    response = client.get(download_url(notulen, inline=1))

    assert response["Content-Type"] == "application/pdf"


def test_non_ascii_names_travel_in_filename_star(client, rina, notulen):
    EvidenceFile.objects.filter(pk=notulen.pk).update(original_name="Notulen Désa — Carenang.pdf")
    client.force_login(rina)

    disposition = client.get(download_url(notulen))["Content-Disposition"]

    assert disposition == (
        'attachment; filename="Notulen Desa Carenang.pdf"; '
        "filename*=UTF-8''Notulen%20D%C3%A9sa%20%E2%80%94%20Carenang.pdf"
    )


def test_ascii_fallback_never_carries_quotes_or_separators():
    assert ascii_filename('a"b\\c;d.pdf', "pdf") == "a_b_c_d.pdf"
    assert ascii_filename("标题.pdf", "pdf") == "berkas.pdf"
    assert ascii_filename("Laporan akhir", "docx") == "Laporan akhir.docx"
    assert ascii_filename("— .", "pdf") == "berkas.pdf"
    assert 'filename="' in content_disposition("x.pdf", inline=True, extension="pdf")


def test_pdfs_inline_when_asked_without_the_sandbox_chromium_refuses(client, rina, notulen):
    client.force_login(rina)

    response = client.get(download_url(notulen, inline=1))

    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == CSP_PDF_INLINE
    assert "default-src 'none'" in CSP_PDF_INLINE
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_images_inline_when_asked_and_sandboxed(client, rina, photo):
    client.force_login(rina)

    response = client.get(download_url(photo, inline=1))

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == CSP_SANDBOXED


def test_office_documents_are_always_attachments(client, rina, wilayah, carenang_forum):
    blob = store_blob(wilayah["serang"], b"PK\x03\x04 not really a docx", FileType.PDF)
    Blob.objects.filter(pk=blob.pk).update(file_type=DOCX)
    evidence = attach(blob, Owner(body=carenang_forum), kind=EvidenceFile.Kind.LAPORAN, name="Laporan.docx")
    client.force_login(rina)

    response = client.get(download_url(evidence, inline=1))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment; ")


def test_a_known_version_answers_304(client, rina, notulen):
    client.force_login(rina)
    etag = client.get(download_url(notulen))["ETag"]

    again = client.get(download_url(notulen), headers={"If-None-Match": etag})
    other = client.get(download_url(notulen), headers={"If-None-Match": '"something-else"'})

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert other.status_code == 200


def test_the_304_is_only_for_readers(client, tono, notulen):
    client.force_login(tono)

    response = client.get(download_url(notulen), headers={"If-None-Match": f'"{notulen.blob.sha256}"'})

    assert response.status_code == 404


# --- Derived copies -------------------------------------------------------------------------------


def test_thumbnail_and_preview_of_a_processed_photo(client, rina, photo):
    process_blob(photo.blob_id)
    client.force_login(rina)
    photo.blob.refresh_from_db()

    for name, stored in (
        ("evidence:file_thumbnail", photo.blob.thumbnail),
        ("evidence:file_preview", photo.blob.preview),
    ):
        response = client.get(reverse(name, kwargs={"pk": photo.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline; ")
        assert response["Content-Security-Policy"] == CSP_SANDBOXED
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["ETag"] != f'"{photo.blob.sha256}"'
        with default_storage.open(stored.name, "rb") as handle:
            assert body_of(response) == handle.read()
    preview = client.get(reverse("evidence:file_preview", kwargs={"pk": photo.pk}))
    assert "Foto%20kerja%20bakti-1600px.jpg" in preview["Content-Disposition"]


def test_before_processing_the_original_stands_in_for_the_copies(client, rina, photo):
    client.force_login(rina)
    original = client.get(download_url(photo))

    for name in ("evidence:file_thumbnail", "evidence:file_preview"):
        response = client.get(reverse(name, kwargs={"pk": photo.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline; ")
        assert response["Content-Security-Policy"] == CSP_SANDBOXED
        assert response["ETag"] == original["ETag"]
        assert body_of(response) == body_of(client.get(download_url(photo)))
    # Once the copy exists, a browser holding the stand-in gets the copy, not a 304.
    process_blob(photo.blob_id)
    url = reverse("evidence:file_thumbnail", kwargs={"pk": photo.pk})
    after = client.get(url, headers={"If-None-Match": original["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != original["ETag"]


def test_no_copies_of_documents_nor_of_undecodable_images(client, rina, notulen, wilayah, carenang_forum):
    broken = attach(store_blob(wilayah["serang"], b"\xff\xd8\xff not a photo"), Owner(body=carenang_forum))
    process_blob(broken.blob_id)
    client.force_login(rina)

    assert client.get(reverse("evidence:file_preview", kwargs={"pk": notulen.pk})).status_code == 404
    assert client.get(reverse("evidence:file_thumbnail", kwargs={"pk": notulen.pk})).status_code == 404
    assert client.get(reverse("evidence:file_thumbnail", kwargs={"pk": broken.pk})).status_code == 404
    assert client.get(download_url(broken)).status_code == 200  # the original is still there


# --- Streaming and acceleration -------------------------------------------------------------------


def test_streams_in_chunks_without_reading_the_file_into_memory(client, rina, wilayah, carenang_forum):
    size = 40 * 1024 * 1024
    data = PDF_BYTES + os.urandom(size - len(PDF_BYTES))
    blob = store_blob(wilayah["serang"], data, FileType.PDF)
    evidence = attach(blob, Owner(body=carenang_forum), kind=EvidenceFile.Kind.LAPORAN, name="besar.pdf")
    del data
    client.force_login(rina)

    tracemalloc.start()
    try:
        response = client.get(download_url(evidence))
        received = 0
        for chunk in response.streaming_content:
            received += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.streaming
    assert received == size
    assert response["Content-Length"] == str(size)
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB while sending 40 MB"


def test_nginx_sends_the_file_after_the_scope_check(client, rina, tono, notulen, settings):
    settings.DOWNLOAD_ACCEL = "nginx"
    settings.DOWNLOAD_ACCEL_PREFIX = "/protected/"
    client.force_login(rina)

    response = client.get(download_url(notulen))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{notulen.blob.file.name}"
    assert response.content == b""
    assert not response.streaming
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(tono)
    refused = client.get(download_url(notulen))
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


def test_sendfile_names_the_absolute_path(client, rina, photo, settings, tmp_path):
    settings.DOWNLOAD_ACCEL = "sendfile"
    client.force_login(rina)

    response = client.get(download_url(photo))

    assert response["X-Sendfile"] == str(tmp_path / photo.blob.file.name)
    assert os.path.isabs(response["X-Sendfile"])
    assert os.path.exists(response["X-Sendfile"])
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
