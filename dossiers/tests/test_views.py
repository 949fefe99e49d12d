"""The dossier page, compiling from it, the status the progress bar polls, downloads, and the
public verification page."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.models import DossierVersion
from dossiers.tests.conftest import read_pdf
from kks_portal.lib.files.responses import CSP_PDF_INLINE


def detail_url(assessment):
    return reverse("dossiers:detail", kwargs={"pk": assessment.pk})


def download_url(version):
    return reverse("dossiers:download", kwargs={"pk": version.dossier.assessment_id, "number": version.number})


@pytest.fixture
def compiled(serang_2025, rina, compile_now):
    return compile_now(serang_2025, rina)


def test_bappeda_sees_the_button_and_verifiers_read(serang_2025, client_for, rina, vina, nadia):
    page = client_for(rina).get(detail_url(serang_2025))
    assert page.status_code == 200
    assert 'id="compile-form"' in page.content.decode()
    for reader in (vina, nadia):
        page = client_for(reader).get(detail_url(serang_2025))
        assert page.status_code == 200
        assert 'id="compile-form"' not in page.content.decode()
        assert "Dossier disusun oleh admin Bappeda" in page.content.decode()


def test_others_find_no_dossier(serang_2025, client_for, client, wawan, oscar, sari, dewi):
    for person in (wawan, oscar, sari, dewi):
        assert client_for(person).get(detail_url(serang_2025)).status_code == 404
        assert client_for(person).get(reverse("dossiers:status", kwargs={"pk": serang_2025.pk})).status_code == 404
    client.logout()
    response = client.get(detail_url(serang_2025))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_bappeda_compiles_from_the_page(serang_2025, client_for, rina, django_capture_on_commit_callbacks):
    client = client_for(rina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:compile", kwargs={"pk": serang_2025.pk}))
    assert response.status_code == 302
    version = DossierVersion.objects.get()
    assert version.state == "done", version.error
    page = client.get(detail_url(serang_2025)).content.decode()
    assert "Versi 1 sedang disusun." in page
    assert version.sha256 in page
    assert download_url(version) in page

    status = client.get(reverse("dossiers:status", kwargs={"pk": serang_2025.pk})).json()
    assert status["version"] == 1
    assert (status["state"], status["progress"], status["active"]) == ("done", 100, False)
    assert status["sha256"] == version.sha256
    assert status["download_url"] == download_url(version)


def test_a_second_click_while_compiling_is_refused_politely(
    serang_2025, client_for, rina, django_capture_on_commit_callbacks
):
    client = client_for(rina)
    with django_capture_on_commit_callbacks(execute=False):  # the workers have not started yet
        client.post(reverse("dossiers:compile", kwargs={"pk": serang_2025.pk}))
    page = client.get(detail_url(serang_2025)).content.decode()
    assert 'data-active="1"' in page
    assert "disabled" in page.split('id="compile-button"')[1].split(">")[0]
    response = client.post(reverse("dossiers:compile", kwargs={"pk": serang_2025.pk}), follow=True)
    assert "Dossier sedang disusun" in response.content.decode()
    assert DossierVersion.objects.count() == 1
    status = client.get(reverse("dossiers:status", kwargs={"pk": serang_2025.pk})).json()
    assert (status["state"], status["active"], status["download_url"]) == ("queued", True, None)


def test_readers_cannot_compile(serang_2025, client_for, vina, nadia, wawan, oscar):
    for person in (vina, nadia, wawan, oscar):
        response = client_for(person).post(reverse("dossiers:compile", kwargs={"pk": serang_2025.pk}))
        assert response.status_code == 404
    assert not DossierVersion.objects.exists()


def test_download_is_inline_and_scoped(compiled, client_for, rina, vina, nadia, wawan, oscar):
    for person in (rina, vina, nadia):
        response = client_for(person).get(download_url(compiled))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == CSP_PDF_INLINE
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == compiled.sha256
    for person in (wawan, oscar):
        assert client_for(person).get(download_url(compiled)).status_code == 404
    missing = reverse("dossiers:download", kwargs={"pk": compiled.dossier.assessment_id, "number": 9})
    assert client_for(rina).get(missing).status_code == 404


# --- Public verification ------------------------------------------------------------------------------


def test_anyone_verifies_an_uploaded_pdf(compiled, client):
    _reader, data = read_pdf(compiled)
    response = client.post(
        reverse("dossiers:verify"), {"file": SimpleUploadedFile("dossier.pdf", data, "application/pdf")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="genuine"' in page
    assert "Kabupaten Serang" in page
    assert "Swasti Saba 2025" in page
    assert 'id="verify-version">1' in page
    assert compiled.sha256 in page


def test_a_changed_pdf_is_not_genuine(compiled, client):
    _reader, data = read_pdf(compiled)
    tampered = data.replace(b"Kabupaten Serang", b"Kabupaten Serong", 1)
    assert tampered != data
    response = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("d.pdf", tampered)})
    assert 'data-result="unknown"' in response.content.decode()
    assert hashlib.sha256(tampered).hexdigest() in response.content.decode()


def test_a_pasted_hash_is_checked_however_it_is_typed(compiled, client):
    spaced = " ".join(compiled.sha256.upper()[i : i + 16] for i in range(0, 64, 16))
    response = client.post(reverse("dossiers:verify"), {"sha256": spaced})
    assert 'data-result="genuine"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sha256": "abc123"}, "SHA-256 harus 64 karakter heksadesimal"),
        ({}, "Unggah berkas PDF atau tempel SHA-256-nya"),
    ],
)
def test_bad_input_gets_an_indonesian_answer(db, client, data, message):
    response = client.post(reverse("dossiers:verify"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="verify-result"' not in response.content.decode()


def test_an_unknown_hash_is_not_genuine(db, client):
    response = client.get(reverse("dossiers:verify_code", kwargs={"code": "0" * 64}))
    assert response.status_code == 200
    assert 'data-result="unknown"' in response.content.decode()


def test_the_cover_qr_code_leads_to_the_version(compiled, client):
    reader, _data = read_pdf(compiled)
    url = reverse("dossiers:verify_code", kwargs={"code": compiled.manifest_sha256})
    assert url in reader.pages[0].extract_text().replace("\n", "")
    page = client.get(url).content.decode()
    assert 'data-result="genuine"' in page
    assert "kode manifes" in page
    assert compiled.sha256 in page  # to compare with the file in hand


def test_an_upload_too_large_is_refused_before_it_is_read(compiled, client, settings):
    settings.DOSSIER_VERIFY_MAX_UPLOAD_MB = 1
    response = client.post(
        reverse("dossiers:verify"), {"file": SimpleUploadedFile("besar.pdf", b"0" * (1024 * 1024 + 10))}
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()


def test_an_upload_larger_than_any_dossier_is_refused_unread(compiled, client):
    """No genuine dossier is larger than the largest version the portal finished."""
    _reader, data = read_pdf(compiled)
    bigger = data + b"\0" * (64 * 1024)
    response = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("d.pdf", bigger)})
    assert response.status_code == 413
    assert "dossier terbesar yang pernah disusun portal" in response.content.decode()


def test_without_any_dossier_no_upload_is_read(db, client):
    response = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("d.pdf", b"%PDF" * 10_000)})
    assert response.status_code == 413
    assert "belum pernah menyusun dossier" in response.content.decode()


def test_uploads_are_throttled_per_address_but_pasted_hashes_are_not(compiled, client, settings):
    settings.DOSSIER_VERIFY_UPLOADS_PER_HOUR = 2
    _reader, data = read_pdf(compiled)
    address = {"REMOTE_ADDR": "203.0.113.77"}
    for _ in range(2):
        response = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("d.pdf", data)}, **address)
        assert 'data-result="genuine"' in response.content.decode()
    refused = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("d.pdf", data)}, **address)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Terlalu banyak berkas diunggah dari alamat Anda" in refused.content.decode()
    pasted = client.post(reverse("dossiers:verify"), {"sha256": compiled.sha256}, **address)
    assert 'data-result="genuine"' in pasted.content.decode()
    elsewhere = client.post(
        reverse("dossiers:verify"), {"file": SimpleUploadedFile("d.pdf", data)}, REMOTE_ADDR="203.0.113.78"
    )
    assert 'data-result="genuine"' in elsewhere.content.decode()


def test_the_upload_throttle_knows_the_client_by_the_trusted_proxy_address(compiled, client, settings):
    """Behind one trusted proxy a client is its X-Forwarded-For address: a made-up header value
    further left does not make a new client."""
    settings.DOSSIER_VERIFY_UPLOADS_PER_HOUR = 1
    settings.KKS_TRUSTED_PROXIES = 1
    _reader, data = read_pdf(compiled)
    first = client.post(
        reverse("dossiers:verify"),
        {"file": SimpleUploadedFile("d.pdf", data)},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert 'data-result="genuine"' in first.content.decode()
    second = client.post(
        reverse("dossiers:verify"),
        {"file": SimpleUploadedFile("d.pdf", data)},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9",
    )
    assert second.status_code == 429
