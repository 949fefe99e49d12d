"""Issue 5's "Done when", in a real browser on a phone-sized screen.

Dewi, the secretary of the Pokja of desa Carenang, records an activity of 17 August 2024 from her
phone, uploads its undangan, daftar hadir and notulen (PDFs, a fake PDF refused beside a good one
in the same batch) and a photo through the widget, and sees the activity complete. Bappeda's
readiness page of the kabupaten counts the activity complete. The secretary of Binuang gets a
404 on the activity and on its upload URL.
"""

import pytest
from playwright.sync_api import expect as expect_that

from conftest import browser_login, browser_logout
from evidence.models import Activity, EvidenceFile
from evidence.tests.blobs import photo_bytes
from forums.models import Body
from forums.tests.factories import pdf_bytes
from indicators.services import assessment_open
from tatanan.models import Cycle, Tatanan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf(title: str) -> bytes:
    return pdf_bytes(title)


def _file(name: str, mime: str, data: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _upload(page, kind: str, selector: str, files: list[dict], *, expect: dict[str, int]) -> None:
    """Put ``files`` into the input ``selector``, set each one's kind to ``kind``, press Kirim and
    wait until every file has the server's verdict; ``expect`` counts the verdicts by state."""
    before = {state: page.locator(f"#evidence-progress li[data-state={state}]").count() for state in expect}
    page.set_input_files(selector, files=files)
    queued = page.locator("#evidence-progress li[data-state=queued]")
    assert queued.count() == len(files)
    for i in range(len(files)):
        queued.nth(i).locator("select").select_option(kind)
    page.click("#evidence-submit")
    for state, count in expect.items():
        page.locator(f"#evidence-progress li[data-state={state}]").nth(before[state] + count - 1).wait_for()
    page.locator("#evidence-progress li[data-state=sending]").first.wait_for(state="detached")
    assert page.locator("#evidence-progress li[data-state=queued]").count() == 0


@pytest.fixture
def carenang(live_server, shipped_catalogue, wilayah, dewi, tono, rina):
    pokja = Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])
    Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])
    cycle = Cycle.objects.get(award_year=2025)
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)
    return pokja, assessment


def test_pokja_secretary_documents_an_activity_on_her_phone(phone, desktop, carenang):
    pokja, assessment = carenang
    assert assessment.cycle.data_years == [2023, 2024]
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")

    # Bappeda's readiness figure before: no activity in the data years.
    browser_login(desktop, "rina")
    desktop.goto(f"/bukti/kesiapan/{assessment.pk}/")
    assert desktop.locator("#activities-complete").inner_text() == "0/0"

    # --- Dewi on her phone: from her home to a new activity -------------------------------------
    browser_login(phone, "dewi")
    phone.goto("/forum/")
    assert phone.url.endswith("/forum/beranda/")
    phone.click("#home-todo >> text=Catat kegiatan dan unggah buktinya")
    phone.wait_for_url(f"**/bukti/lembaga/{pokja.pk}/kegiatan/")
    phone.click("#add-activity")
    phone.fill("input[name=title]", "Rapat koordinasi Pokja dan kerja bakti")
    phone.fill("input[name=date]", "2024-08-17")
    phone.fill("input[name=place]", "Balai Desa Carenang")
    phone.check(f"input[name=tatanan][value='{ksm.pk}']")
    phone.fill("textarea[name=participants]", "Kader posyandu, RT 01–05, PKK")
    phone.fill("input[name=participant_count]", "32")
    phone.fill("textarea[name=result]", "Jadwal kerja bakti bulanan disepakati")
    phone.fill("input[name=realised_budget]", "750000")
    assert _no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.click("#activity-form [type=submit]")
    activity = Activity.objects.get(body=pokja)
    assert phone.url.endswith(f"/bukti/kegiatan/{activity.pk}/")
    assert phone.locator("#activity-badge").inner_text() == "Kurang: undangan, daftar hadir, notulen, foto"
    assert _no_sideways_scroll(phone)

    # The activity counts for the kabupaten, not yet complete.
    desktop.reload()
    assert desktop.locator("#activities-complete").inner_text() == "0/1"

    # --- The evidence through the widget ----------------------------------------------------------
    # The invitation, with a fake PDF (a web page renamed) in the same batch: refused on its own.
    fake = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    _upload(
        phone,
        "undangan",
        "#evidence-files-input",
        [_file("undangan-rapat.pdf", "application/pdf", _pdf("Undangan")), _file("palsu.pdf", "application/pdf", fake)],
        expect={"stored": 1, "refused": 1},
    )
    refused = phone.locator("#evidence-progress li[data-state=refused]").inner_text()
    assert "palsu.pdf" in refused
    assert "HTML" in refused
    stored = phone.locator("#evidence-progress li[data-state=stored]").first
    assert "tersimpan sebagai undangan" in stored.inner_text()
    assert stored.locator(".progress-bar").evaluate("bar => bar.style.width") == "100%"

    _upload(
        phone,
        "daftar_hadir",
        "#evidence-files-input",
        [_file("daftar-hadir.pdf", "application/pdf", _pdf("Daftar hadir"))],
        expect={"stored": 1},
    )
    _upload(
        phone,
        "notulen",
        "#evidence-files-input",
        [_file("notulen.pdf", "application/pdf", _pdf("Notulen"))],
        expect={"stored": 1},
    )
    # The photo as the camera gives it.
    _upload(
        phone,
        "foto",
        "#evidence-camera",
        [_file("IMG_20240817_093000.jpg", "image/jpeg", photo_bytes(taken="2024:08:17 09:30:00"))],
        expect={"stored": 1},
    )
    assert "4 diterima, 1 ditolak" in phone.locator("#evidence-upload-form .evidence-summary").inner_text()
    assert sorted(EvidenceFile.objects.filter(activity=activity).values_list("kind", flat=True)) == [
        "daftar_hadir",
        "foto",
        "notulen",
        "undangan",
    ]

    # --- Complete, without a reload -----------------------------------------------------------------
    expect_that(phone.locator("#activity-badge")).to_have_text("Lengkap")
    phone.reload()
    assert phone.locator("#activity-badge").inner_text() == "Lengkap"
    for kind in Activity.REQUIRED_KINDS:
        assert phone.locator(f"#required-kinds [data-required={kind}]").get_attribute("data-present") == "1"
    assert phone.locator("#required-kinds [data-required=foto] img.evidence-thumb").count() == 1
    assert _no_sideways_scroll(phone)
    phone.click("ol.breadcrumb >> text=Kegiatan")
    assert phone.locator(f"[data-activity='{activity.pk}'] .activity-badge").inner_text() == "Lengkap"

    # The kabupaten's readiness changed.
    desktop.reload()
    assert desktop.locator("#activities-complete").inner_text() == "1/1"

    # --- Binuang's secretary: the activity does not exist for him -------------------------------
    browser_logout(phone)
    browser_login(phone, "tono")
    for url in (f"/bukti/kegiatan/{activity.pk}/", f"/bukti/kegiatan/{activity.pk}/unggah/"):
        response = phone.goto(url)
        assert response.status == 404, url


def test_desktop_drag_and_drop_and_replace(desktop, carenang):
    """On a computer the files can be dropped on the widget; a file is replaced from its row and
    the old version stays in its history."""
    pokja, _assessment = carenang
    activity = Activity.objects.create(body=pokja, title="Sosialisasi PHBS", date="2024-05-02")
    browser_login(desktop, "dewi")
    desktop.goto(f"/bukti/kegiatan/{activity.pk}/")
    # What a drop hands over: a DataTransfer holding the files.
    desktop.evaluate(
        """([name, bytes]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, {type: "application/pdf"}));
            const zone = document.querySelector("[data-drop]");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        ["notulen-draf.pdf", list(_pdf("Notulen draf"))],
    )
    queued = desktop.locator("#evidence-progress li[data-state=queued]")
    assert queued.inner_text().startswith("notulen-draf.pdf")
    assert queued.locator("select").input_value() == "notulen"  # guessed from the name
    desktop.click("#evidence-submit")
    desktop.locator("#evidence-progress li[data-state=stored]").wait_for()
    draft = EvidenceFile.objects.get(activity=activity)
    # The file list is put in place: the new file can be replaced without a reload.
    desktop.locator(f"[data-file='{draft.pk}']").wait_for()
    assert draft.original_name == "notulen-draf.pdf"

    row = desktop.locator(f"[data-file='{draft.pk}']")
    row.locator("summary >> text=Ganti").click()
    row.locator(f"#replace-{draft.pk}").set_input_files(
        files=[_file("notulen-final.pdf", "application/pdf", _pdf("Notulen final"))]
    )
    row.locator("button[type=submit]").click()
    verdict = row.locator(".evidence-progress li[data-state=stored]")
    verdict.wait_for()
    assert "menggantikan notulen-draf.pdf" in verdict.inner_text()
    with desktop.expect_navigation():
        desktop.reload()
    final = EvidenceFile.objects.get(activity=activity, replaced_by__isnull=True)
    draft.refresh_from_db()
    assert draft.replaced_by == final
    history = desktop.locator(f"[data-file='{final.pk}'] .evidence-history")
    history.locator("summary").click()
    assert f"/bukti/berkas/{draft.pk}/unduh/" in history.inner_html()
