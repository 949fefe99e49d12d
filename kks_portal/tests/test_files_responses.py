"""``protected_file_response``: the one builder every download goes through.

The views (evidence files, dossier PDFs, SK scans, exports) test their scope checks; here the
builder's own promises: the headers of an inline and an attachment answer, a non-ASCII name,
the 304 with an ETag, the ways the bytes leave (Django, nginx, sendfile) and a missing file.
"""

from __future__ import annotations

import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404
from django.test import RequestFactory

from kks_portal.lib.files.responses import CSP_PDF_INLINE, CSP_SANDBOXED, protected_file_response

PDF = b"%PDF-1.4 laporan\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    """The default storage on a throw-away folder, holding one stored PDF."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.DOWNLOAD_ACCEL = "none"
    return default_storage.save("dossier/ab/laporan.pdf", ContentFile(PDF))


@pytest.fixture
def get():
    return RequestFactory().get("/unduh/")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_attachment_by_default_with_the_file_headers(get, media):
    response = protected_file_response(get, name=media, content_type="application/pdf", filename="Laporan.pdf")

    assert response.status_code == 200
    assert body_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == "attachment; filename=\"Laporan.pdf\"; filename*=UTF-8''Laporan.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # An attachment is sandboxed, whatever its type; it is not meant to be framed.
    assert response["Content-Security-Policy"] == CSP_SANDBOXED
    assert "sandbox" in CSP_SANDBOXED
    assert "X-Frame-Options" not in response


def test_a_pdf_inline_gets_the_pdf_policy_and_may_be_framed_by_the_portal(get, media):
    response = protected_file_response(
        get, name=media, content_type="application/pdf", filename="Laporan.pdf", inline=True
    )

    assert response["Content-Disposition"].startswith('inline; filename="Laporan.pdf"')
    assert response["Content-Security-Policy"] == CSP_PDF_INLINE
    assert "sandbox" not in CSP_PDF_INLINE
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_an_image_inline_stays_sandboxed(get):
    response = protected_file_response(
        get, content=b"\xff\xd8\xff", content_type="image/jpeg", filename="papan.jpg", inline=True
    )

    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == CSP_SANDBOXED


def test_non_ascii_names_travel_in_filename_star_with_an_ascii_stand_in(get):
    response = protected_file_response(
        get, content=b"{}", content_type="application/json", filename="Notulen Désa — Carenang.json"
    )

    disposition = response["Content-Disposition"]
    assert 'filename="Notulen Desa Carenang.json"' in disposition
    assert "filename*=UTF-8''Notulen%20D%C3%A9sa%20%E2%80%94%20Carenang.json" in disposition
    assert disposition.isascii()


def test_bytes_made_in_memory(get):
    response = protected_file_response(
        get, content=b"PK\x03\x04 workbook", content_type="application/vnd.ms-excel", filename="anggota.xlsx"
    )

    assert response.content == b"PK\x03\x04 workbook"
    assert response["Content-Disposition"].startswith('attachment; filename="anggota.xlsx"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_an_etag_the_browser_keeps_it_and_asks_again(media):
    factory = RequestFactory()
    first = protected_file_response(
        factory.get("/"), name=media, content_type="application/pdf", filename="a.pdf", etag='"v1"'
    )
    again = protected_file_response(
        factory.get("/", HTTP_IF_NONE_MATCH='"v1"'),
        name=media,
        content_type="application/pdf",
        filename="a.pdf",
        etag='"v1"',
    )

    assert first["Cache-Control"] == "private, no-cache"
    assert first["ETag"] == '"v1"'
    assert again.status_code == 304
    assert again["ETag"] == '"v1"'


def test_nginx_gets_the_storage_name_under_the_internal_prefix(get, media, settings):
    settings.DOWNLOAD_ACCEL = "nginx"
    settings.DOWNLOAD_ACCEL_PREFIX = "/protected/"

    response = protected_file_response(get, name=media, content_type="application/pdf", filename="Laporan.pdf")

    assert response["X-Accel-Redirect"] == "/protected/dossier/ab/laporan.pdf"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP_SANDBOXED


def test_sendfile_gets_the_absolute_path(get, media, settings, tmp_path):
    settings.DOWNLOAD_ACCEL = "sendfile"

    response = protected_file_response(get, name=media, content_type="application/pdf", filename="Laporan.pdf")

    assert response["X-Sendfile"] == str(tmp_path / media)
    assert os.path.isabs(response["X-Sendfile"])
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment; ")


def test_a_storage_the_web_server_cannot_read_is_streamed_by_django(get, media, settings, tmp_path):
    """Only the default storage maps to the web server's media folder."""
    settings.DOWNLOAD_ACCEL = "nginx"
    elsewhere = FileSystemStorage(location=str(tmp_path / "lain"))
    name = elsewhere.save("x.pdf", ContentFile(PDF))

    response = protected_file_response(
        get, name=name, storage=elsewhere, content_type="application/pdf", filename="x.pdf"
    )

    assert "X-Accel-Redirect" not in response
    assert body_of(response) == PDF


@pytest.mark.parametrize("accel", ["none", "nginx", "sendfile"])
def test_a_missing_file_is_a_404(get, media, settings, accel):
    settings.DOWNLOAD_ACCEL = accel
    with pytest.raises(Http404):
        protected_file_response(get, name="dossier/ab/hilang.pdf", content_type="application/pdf", filename="a.pdf")


def test_exactly_one_source():
    with pytest.raises(ValueError, match="exactly one"):
        protected_file_response(RequestFactory().get("/"), content_type="text/plain", filename="a.txt")
