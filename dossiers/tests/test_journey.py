"""Issue 6's "Done when", in a real browser on the demo kabupaten, the real 2025 instrument and
the real Celery worker.

Setup: ``seed_demo`` (issue 12) completes Serang's 2025 round through the services, compiles the
dossier in its own process and submits it: version 1 waits in the Banten verifier's queue.

In the browser: the Banten verifier finds it in her queue, opens the review, comments on an
indicator and returns it with a reason; Bappeda reads the reason and the comment, answers, fixes
the indicator, compiles again and watches the progress bar, opens the PDF (pypdf: its table of
contents links to the chapters, its bookmarks are there) and submits again; the verifier sees what
changed (the diff page), scores a tatanan on the page (the rest through the service), approves;
the berita acara exists and names the version's SHA-256; the public verification page confirms
the PDF; the Jawa Barat verifier sees none of it (404); the national verifier finds it in his queue.

It is also issue 12's provincial and national verifiers' journeys: each starts from the home
page and goes on by clicking only (queue → score → comment without losing scores → return →
diff → approve, "Setujui" disabled until every indicator is scored), axe-core checks every page
and every step leaves a screenshot in var/journeys/<role>/ (conftest.journey_shot).
"""

from __future__ import annotations

import hashlib
import io
import re
import time

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from accounts.models import User
from conftest import DEMO_PASSWORD, axe_violations, browser_login, browser_logout, fail_on_axe_violations, journey_shot
from dossiers.models import BeritaAcara, ChapterRender, Dossier, DossierComment, DossierVersion
from dossiers.workflow.services import ScoreChange, verification_scores_update
from evidence.models import Blob
from indicators.models import Assessment, IndicatorEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERANG = "36.04"
COMPILE_TIMEOUT = 300_000  # ms: the whole demo kabupaten on a shared 2-core machine


@pytest.fixture
def demo_round(seeded_demo):
    cycle = seeded_demo
    assessment = Assessment.objects.get(kabupaten_id=SERANG, cycle=cycle)
    assert Dossier.objects.get(assessment=assessment).status == Dossier.Status.SUBMITTED
    return assessment


def _login(page, username):
    browser_login(page, username, DEMO_PASSWORD)


def _click(page, selector):
    with page.expect_navigation():
        page.click(selector)


def _compile(page, assessment, number: int) -> DossierVersion:
    """Bappeda presses "Susun dossier" and watches the progress bar until the version is done."""
    page.goto(f"/dossier/{assessment.pk}/")
    _click(page, "#compile-button")
    page.locator("#compile-progress").wait_for(state="visible")
    page.locator("#compile-progress-label").filter(
        has_text=re.compile(rf"Versi {number}: .+ \(\d+/\d+ bab\)")
    ).wait_for(timeout=COMPILE_TIMEOUT)
    widths = set()
    deadline = time.monotonic() + COMPILE_TIMEOUT / 1000
    row = page.locator(f"#version-list tr[data-version='{number}'][data-state='done']")
    while time.monotonic() < deadline and not row.count():
        bar = page.locator("#compile-progress-bar")
        if bar.count():
            widths.add(bar.get_attribute("style"))
        page.wait_for_timeout(300)
    row.wait_for(timeout=10_000)
    version = DossierVersion.objects.get(dossier__assessment=assessment, number=number)
    # A compile that reuses its chapters may be done between two looks at the bar.
    assert len(widths) >= 2 or version.chapters_reused, f"the progress bar did not move: {widths}"
    assert version.state == DossierVersion.State.DONE, version.error
    return version


def _outline_titles(reader, items=None) -> list[str]:
    titles = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            titles.extend(_outline_titles(reader, item))
        else:
            titles.append(item.title)
    return titles


def _check_pdf(page, assessment, version) -> bytes:
    """The PDF as the browser downloads it: the sealed bytes, contents linked, bookmarks there."""
    response = page.request.get(f"/dossier/{assessment.pk}/versi/{version.number}/unduh/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    reader = PdfReader(io.BytesIO(data))
    titles = _outline_titles(reader)
    assert titles[:3] == ["Sampul", "Daftar Isi", "Ringkasan Capaian"]
    assert "5. Capaian per Tatanan" in titles
    assert any(title.endswith("Tatanan Pencegahan dan Penanganan Bencana") for title in titles)
    contents = reader.pages[reader.get_destination_page_number(reader.outline[1])]
    pages = [p.indirect_reference for p in reader.pages]
    targets = {pages.index(a.get_object()["/Dest"][0]) for a in contents["/Annots"] if "/Dest" in a.get_object()}
    chapter_pages = {
        reader.get_destination_page_number(item) for item in reader.outline[2:] if not isinstance(item, list)
    }
    assert chapter_pages <= targets, "every chapter is linked from the table of contents"
    return data


def _from_home_queue(page, role: str, kabupaten: str) -> None:
    """The verifier's home lists the dossier in her queue; its "Verifikasi" button opens the review."""
    with page.expect_navigation():
        page.click("a.navbar-brand")
    row = page.locator(f"[data-role={role}-queue] tr", has_text=kabupaten)
    assert row.count() == 1, page.locator("main").inner_text()
    with page.expect_navigation():
        row.locator(".queue-link").click()


def _stored_names() -> set[str]:
    names = {v.pdf.name for v in DossierVersion.objects.all()}
    names |= set(ChapterRender.objects.values_list("file", flat=True))
    names |= set(BeritaAcara.objects.values_list("pdf", flat=True))
    for blob in Blob.objects.all():
        names |= {blob.file.name, blob.preview.name, blob.thumbnail.name}
    return {name for name in names if name}


def _cleanup(keep: set[str]) -> None:
    """Delete the files this test stored in the worker's media folder, not the seeded demo's
    (``seeded_demo`` gives them to the next journey)."""
    for name in _stored_names() - keep:
        default_storage.delete(name)


def test_submit_return_resubmit_approve_verify(desktop, demo_round, celery_worker):
    assessment = demo_round
    page = desktop
    dossier_url = f"/dossier/{assessment.pk}/"
    review_url = f"/dossier/{assessment.pk}/verifikasi/"
    keep = _stored_names()
    try:
        # --- seed_demo compiled version 1 and Bappeda submitted it -----------------------------------
        first = DossierVersion.objects.get(dossier__assessment=assessment, number=1)
        assert first.submitted
        with first.pdf.open("rb") as handle:
            first_pdf = handle.read()

        # --- The Banten verifier returns it with a reason ---------------------------------------------
        axe = []
        role = "verifikator-provinsi"
        _login(page, "verifikator.banten")
        _from_home_queue(page, "province_verifier", "Kabupaten Serang")
        journey_shot(page, role, "antrean-ke-verifikasi")
        _click(page, "#review-open-button")
        assert page.locator("#review-status").get_attribute("data-status") == "province_review"
        # Nothing scored yet: "Setujui" is disabled and says why.
        assert page.locator("#approve-button").is_disabled()
        assert page.locator("#approve-form").get_attribute("data-complete") == "0"
        assert "0 dari" in page.locator("#approve-progress").inner_text()
        axe += axe_violations(page)
        journey_shot(page, role, "verifikasi-dibuka")
        _click(page, "#tatanan-tabs a[data-tatanan='PSR']")
        entry, second_entry = (
            assessment.indicator_entries.select_related("indicator")
            .filter(indicator__tatanan__code="PSR", indicator__is_local=False, indicator__number__in=["1", "2"])
            .order_by("indicator__order")
        )
        # She scores two indicators, then comments before saving: the comment keeps the scores.
        for scored in (entry, second_entry):
            page.select_option(f"#id_score-{scored.pk}", str(scored.self_score_id))
        card = page.locator(f"#indikator-{entry.pk}")
        card.locator(".new-thread-form textarea").fill("Penjelasan belum menyebut jumlah pasar yang dinilai.")
        journey_shot(page, role, "nilai-dan-komentar", target=card)
        with page.expect_navigation():
            card.locator(".new-thread-form button").click()
        assert "Penjelasan belum menyebut jumlah pasar" in page.locator(f"#indikator-{entry.pk}").inner_text()
        for scored in (entry, second_entry):
            assert page.locator(f"#id_score-{scored.pk}").input_value() == str(scored.self_score_id)
            assert IndicatorEntry.objects.get(pk=scored.pk).provincial_score_id == scored.self_score_id
        axe += axe_violations(page)
        journey_shot(page, role, "komentar-terkirim-nilai-tetap", target=f"#indikator-{entry.pk}")
        page.fill("#id_return-reason", "")
        _click(page, "#return-button")  # no reason: refused, nothing lost
        assert "Tuliskan alasannya" in page.content() or "Alasan wajib diisi." in page.content()
        assert Dossier.objects.get(assessment=assessment).status == Dossier.Status.PROVINCE_REVIEW
        journey_shot(page, role, "kembalikan-tanpa-alasan", target="#return-form")
        page.fill("#id_return-reason", "Lengkapi penjelasan indikator PSR 1 (lihat komentar), lalu ajukan kembali.")
        _click(page, "#return-button")
        assert Dossier.objects.get(assessment=assessment).status == Dossier.Status.RETURNED
        axe += axe_violations(page)
        journey_shot(page, role, "dikembalikan")
        browser_logout(page)

        # --- Bappeda reads it, answers, fixes, recompiles, resubmits ---------------------------------
        _login(page, "bappeda.serang")
        page.goto(dossier_url)
        assert page.locator("#workflow-status").inner_text() == "Dikembalikan untuk perbaikan"
        assert "Lengkapi penjelasan indikator PSR 1" in page.locator("#workflow-history").inner_text()
        page.goto(f"{review_url}?tatanan=PSR")
        thread = page.locator(f"#indikator-{entry.pk} .thread").first
        thread.locator("textarea").fill("Sudah kami lengkapi: 12 pasar rakyat dinilai.")
        with page.expect_navigation():
            thread.locator("button").click()
        page.goto(f"/penilaian/{assessment.pk}/isian/{entry.pk}/")
        page.fill("textarea[name=explanation]", "12 pasar rakyat dinilai pada 2024; 9 memenuhi syarat kesehatan.")
        _click(page, "#entry-form [type=submit]")
        page.goto(dossier_url)
        assert page.locator("#submit-checklist li[data-check='version']").get_attribute("data-ok") == "0"
        second = _compile(page, assessment, 2)
        assert second.chapters_reused > 0  # only what changed is rendered again
        _check_pdf(page, assessment, second)
        assert page.locator("#submit-checklist").get_attribute("data-ok") == "1"
        page.fill("#id_submit_comment", "Penjelasan PSR 1 sudah dilengkapi, mohon diverifikasi kembali.")
        _click(page, "#submit-button")
        assert page.locator("#workflow-status").inner_text() == "Diajukan ke provinsi"
        browser_logout(page)

        # --- The verifier sees the diff and approves ----------------------------------------------------------
        _login(page, "verifikator.banten")
        _from_home_queue(page, "province_verifier", "Kabupaten Serang")
        _click(page, "#review-open-button")
        assert page.locator("#review-version").inner_text().count("2") >= 1
        journey_shot(page, role, "versi-2")
        _click(page, "#review-diff")
        assert "12 pasar rakyat dinilai pada 2024" in page.content()
        axe += axe_violations(page)
        journey_shot(page, role, "perubahan")
        page.go_back()
        _click(page, "#tatanan-tabs a[data-tatanan='PSR']")
        psr = list(
            assessment.indicator_entries.filter(indicator__tatanan__code="PSR").select_related(
                "self_score", "indicator"
            )
        )
        for item in psr:
            if item.self_score_id:
                page.select_option(f"#id_score-{item.pk}", str(item.self_score_id))
        page.fill(f"#id_note-{entry.pk}", "Penjelasan sudah lengkap.")
        _click(page, "#scores-save")
        assert page.locator("#approve-button").is_disabled()  # the other tatanan are still unscored
        journey_shot(page, role, "nilai-psr-disimpan")
        scored = IndicatorEntry.objects.get(pk=entry.pk)
        assert scored.provincial_score_id == scored.self_score_id
        assert scored.provincial_note == "Penjelasan sudah lengkap."
        # The other tatanan are scored through the same service the page calls.
        vina = User.objects.get(username="verifikator.banten")
        rest = assessment.indicator_entries.exclude(indicator__tatanan__code="PSR").select_related("self_score")
        verification_scores_update(
            dossier=Dossier.objects.get(assessment=assessment),
            actor=vina,
            changes=[ScoreChange(e.pk, e.self_score_id, "") for e in rest if e.self_score_id],
        )
        page.reload()
        assert page.locator("#approve-button").is_enabled()
        assert page.locator("#approve-form").get_attribute("data-complete") == "1"
        page.fill("#id_approve-comment", "Dokumen lengkap; diteruskan ke pusat.")
        journey_shot(page, role, "siap-disetujui")
        _click(page, "#approve-button")
        assert page.locator("#workflow-status").inner_text() == "Disetujui provinsi"
        axe += axe_violations(page)
        journey_shot(page, role, "disetujui")

        # --- The berita acara exists and names the version ----------------------------------------------------
        record = BeritaAcara.objects.get()
        second.refresh_from_db()
        assert record.version == second
        link = page.locator("#berita-acara-list .berita-acara-link")
        assert link.inner_text().strip() == record.number
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        flat = "".join(text.split())
        assert "BERITAACARAVERIFIKASIPROVINSI" in flat
        assert second.sha256 in flat
        assert "KabupatenSerang" in flat
        browser_logout(page)

        # --- Anyone confirms the PDF on the public verification page -------------------------------------
        page.goto("/dossier/verifikasi/")
        with second.pdf.open("rb") as handle:
            second_pdf = handle.read()
        page.set_input_files(
            "#verify-form input[name=file]",
            files=[{"name": "dossier-serang.pdf", "mimeType": "application/pdf", "buffer": second_pdf}],
        )
        _click(page, "#verify-form [type=submit]")
        assert page.locator("#verify-result").get_attribute("data-result") == "genuine"
        assert page.locator("#verify-sha256").inner_text() == second.sha256
        assert page.locator("#verify-version").inner_text().startswith("2")
        assert hashlib.sha256(first_pdf).hexdigest() == first.sha256  # the first one stays genuine too

        # --- The Jawa Barat verifier sees none of it --------------------------------------------------------
        _login(page, "verifikator.jabar")
        for url in (
            dossier_url,
            review_url,
            f"/dossier/{assessment.pk}/beda/",
            f"/dossier/{assessment.pk}/versi/2/unduh/",
            f"/dossier/{assessment.pk}/berita-acara/{record.pk}/",
        ):
            assert page.request.get(url).status == 404, url
        page.goto("/dossier/antrean/")
        assert not page.locator(f"tr[data-assessment='{assessment.pk}']").count()
        assert "Kabupaten Serang" not in page.locator("#content").inner_text()
        browser_logout(page)

        # --- The national verifier finds it in his queue and opens the virtual verification ----------
        role = "verifikator-pusat"
        _login(page, "verifikator.pusat")
        journey_shot(page, role, "beranda")
        _from_home_queue(page, "national_verifier", "Kabupaten Serang")
        axe += axe_violations(page)
        journey_shot(page, role, "dossier-disetujui-provinsi")
        _click(page, "#national-open-button")
        assert "pusat" in page.locator("#review-layer").inner_text()
        assert page.locator("#review-status").get_attribute("data-status") == Dossier.Status.NATIONAL_REVIEW
        axe += axe_violations(page)
        journey_shot(page, role, "verifikasi-pusat-dibuka")
        fail_on_axe_violations(axe)

        # The verifier was told by e-mail (the worker's file backend) when Bappeda submitted again.
        mails = [path.read_text() for path in celery_worker["mail_dir"].iterdir()]
        told = [m for m in mails if "To: verifikator.banten@kks-demo.example" in m]
        assert any("Subject: [KKS] Dossier Kabupaten Serang diajukan untuk verifikasi provinsi" in m for m in told)
        assert DossierComment.objects.filter(side="kabupaten").count() == 1
    finally:
        _cleanup(keep)
