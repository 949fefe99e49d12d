"""Bappeda compiles from the page in a real browser while the real worker renders: the progress
bar polls the status, the page shows the finished version, its PDF opens and verifies."""

import hashlib
import re

import pytest
from django.core.files.storage import default_storage

from conftest import browser_login
from dossiers.models import ChapterRender, DossierVersion
from evidence.models import Blob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rina_watches_the_progress_bar_and_opens_the_pdf(serang_2025, rina, desktop, celery_worker):
    try:
        browser_login(desktop, "rina")
        desktop.goto(f"/dossier/{serang_2025.pk}/")
        assert desktop.locator("#compile-progress").is_hidden()
        with desktop.expect_navigation():
            desktop.click("#compile-button")
        # The page comes back with the version queued; the script polls while the worker renders.
        desktop.locator("#compile-progress").wait_for(state="visible")
        assert desktop.locator("#compile-button").is_disabled()
        desktop.locator("#compile-progress-label").filter(has_text=re.compile(r"Versi 1: .+ \(\d+/\d+ bab\)")).wait_for(
            timeout=60_000
        )
        # When the worker is done the script reloads the page: the version is listed, with its hash.
        desktop.locator("#version-list tr[data-version='1'][data-state='done']").wait_for(timeout=180_000)
        version = DossierVersion.objects.get()
        assert desktop.locator("#version-list tr[data-version='1'] .sha256").inner_text() == version.sha256
        assert desktop.locator("#compile-progress").is_hidden()

        response = desktop.request.get(f"/dossier/{serang_2025.pk}/versi/1/unduh/")
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert hashlib.sha256(response.body()).hexdigest() == version.sha256

        desktop.goto("/dossier/verifikasi/")
        desktop.fill("#verify-form input[name=sha256]", version.sha256)
        with desktop.expect_navigation():
            desktop.click("#verify-form [type=submit]")
        assert desktop.locator("#verify-result").get_attribute("data-result") == "genuine"
        assert "Kabupaten Serang" in desktop.locator("#verify-kabupaten").inner_text()
    finally:
        names = [v.pdf.name for v in DossierVersion.objects.all()]
        names += list(ChapterRender.objects.values_list("file", flat=True))
        for blob in Blob.objects.all():
            names += [blob.file.name, blob.preview.name, blob.thumbnail.name]
        for name in names:
            if name:
                default_storage.delete(name)
