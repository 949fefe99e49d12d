"""The public verification page checks a 250 MB dossier by its hash alone: the browser computes the
SHA-256 (Web Crypto) and the request that reaches the portal carries 64 characters, not the file."""

import hashlib
import os

import pytest

from dossiers.models import Dossier, DossierVersion
from indicators.models import Assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


@pytest.fixture
def big_pdf(tmp_path):
    """A 250 MB file that starts like a PDF (the page only compares hashes)."""
    path = tmp_path / "dossier-besar.pdf"
    block = os.urandom(MB)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        out.write(head)
        digest.update(head)
        for index in range(250):
            chunk = block[index:] + block[:index]
            out.write(chunk)
            digest.update(chunk)
    return path, digest.hexdigest()


def _version_with(assessment: Assessment, sha256: str, size: int) -> DossierVersion:
    dossier = Dossier.objects.create(assessment=assessment)
    return DossierVersion.objects.create(
        dossier=dossier, number=1, state=DossierVersion.State.DONE, sha256=sha256, size=size, page_count=1186
    )


def test_a_250_mb_dossier_is_checked_by_hash_without_sending_the_file(desktop, serang_2025, big_pdf):
    path, sha256 = big_pdf
    _version_with(serang_2025, sha256, path.stat().st_size)
    posted = []

    def record(request):
        if request.method == "POST" and request.url.endswith("/dossier/verifikasi/"):
            posted.append(len(request.post_data_buffer or b""))

    desktop.on("request", record)
    desktop.goto("/dossier/verifikasi/")
    assert desktop.locator("#verify-hash").get_attribute("data-mode") == "browser"
    desktop.set_input_files("#verify-form input[name=file]", str(path))
    with desktop.expect_navigation(timeout=60_000):
        desktop.click("#verify-form [type=submit]")
    assert desktop.locator("#verify-result").get_attribute("data-result") == "genuine"
    assert desktop.locator("#verify-sha256").inner_text() == sha256
    assert len(posted) == 1
    assert posted[0] < 4096  # the hash and the CSRF token, never the 250 MB


def test_a_file_not_in_the_portal_is_unknown_and_the_typed_hash_is_shown(desktop, serang_2025, tmp_path):
    _version_with(serang_2025, "a" * 64, 10 * MB)
    path = tmp_path / "lain.pdf"
    path.write_bytes(b"%PDF-1.7\nbukan dossier portal\n")
    desktop.goto("/dossier/verifikasi/")
    desktop.set_input_files("#verify-form input[name=file]", str(path))
    with desktop.expect_navigation():
        desktop.click("#verify-form [type=submit]")
    assert desktop.locator("#verify-result").get_attribute("data-result") == "unknown"
    assert hashlib.sha256(path.read_bytes()).hexdigest() in desktop.locator("#verify-result").inner_text()


def test_without_javascript_the_file_is_uploaded_and_checked(browser, live_server, serang_2025, tmp_path):
    path = tmp_path / "kecil.pdf"
    path.write_bytes(b"%PDF-1.7\nsebuah dossier kecil\n" * 100)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    _version_with(serang_2025, sha256, path.stat().st_size)
    context = browser.new_context(base_url=live_server.url, locale="id-ID", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/dossier/verifikasi/")
        page.set_input_files("#verify-form input[name=file]", str(path))
        with page.expect_navigation():
            page.click("#verify-form [type=submit]")
        assert page.locator("#verify-result").get_attribute("data-result") == "genuine"
    finally:
        context.close()
