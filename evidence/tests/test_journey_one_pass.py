"""Issue 12, items 5 and 6, in a real browser on a phone: an activity's papers in one pass, and an
upload status that tells the truth without a reload.

Sari, the secretary of the Forum Kecamatan Sehat of Carenang, records an activity: the indicator
picker shows only the indicators of the tatanan she ticks (and what a search finds), every row a
thumb can hit. On the activity she chooses its papers in one file chooser: undangan, daftar hadir
and notulen PDFs, a JPEG photo, and a scan whose name says nothing. Each file gets a row with its
own kind, guessed from its name and type; one guess is wrong and she fixes it; one "Kirim" sends
them all and the badge and the checklist turn complete in place. The scan, sent without a kind,
says so on its own row; she picks its kind there and sends only that file: no second row, in the
list or in the database. Every control she taps is at least 44 px high, and axe-core finds no
serious or critical problem on the form or on the activity after the upload.
"""

import pytest
from playwright.sync_api import expect

from conftest import axe_violations, browser_login
from evidence.models import Activity, EvidenceFile
from evidence.tests.blobs import photo_bytes
from forums.models import Body
from forums.tests.factories import pdf_bytes
from tatanan.models import Cycle, Indicator, Tatanan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP = 44  # px: the smallest target a thumb hits reliably (WCAG 2.5.5)


def _pdf(title: str) -> dict:
    return {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(title)}


def _heights(locator) -> list[float]:
    return [locator.nth(i).bounding_box()["height"] for i in range(locator.count())]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def forum(live_server, shipped_catalogue, wilayah, sari):
    """Sari's Forum Kecamatan, and a catalogue of two tatanan with long indicator names."""
    cycle = Cycle.objects.get(award_year=2025)
    for code, names in {
        "KSM": [
            "Persentase rumah tangga yang mempraktikkan perilaku hidup bersih dan sehat di seluruh desa dan kelurahan",
            "Persentase desa/kelurahan dengan akses air minum layak dan aman bagi seluruh penduduknya",
            "Jumlah kader kesehatan aktif",
        ],
        "PSR": ["Pasar yang memenuhi syarat kesehatan lingkungan", "Pasar dengan air bersih yang cukup"],
    }.items():
        tatanan = Tatanan.objects.get(tatanan_set__code="2023", code=code)
        for number, name in enumerate(names, start=1):
            Indicator.objects.create(cycle=cycle, tatanan=tatanan, number=str(number), order=number, name=name)
    return Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])


def test_forum_secretary_sends_an_activitys_papers_in_one_pass(phone, forum):
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    water = Indicator.objects.get(tatanan=ksm, number="2")
    browser_login(phone, "sari")

    # --- The activity form: indicators of the tatanan ticked, searchable, rows of 44 px -----------
    phone.goto(f"/bukti/lembaga/{forum.pk}/kegiatan/tambah/")
    indicator_rows = phone.locator("#indicator-picker-list .form-check")
    assert indicator_rows.count() == 5
    # Nothing ticked, nothing searched: no list of every indicator, a line says what to do.
    expect(phone.locator("#indicator-picker-list")).to_be_hidden()
    expect(phone.locator("#indicator-picker-note")).to_contain_text("Centang tatanan")
    phone.fill("input[name=title]", "Sosialisasi air minum aman")
    phone.fill("input[name=date]", "2025-03-12")
    phone.locator("#div_id_tatanan label", has_text="KSM").click()
    visible = phone.locator("#indicator-picker-list .form-check:visible")
    expect(visible).to_have_count(3)
    assert {visible.nth(i).locator("input").get_attribute("data-tatanan") for i in range(3)} == {str(ksm.pk)}
    phone.fill("#indicator-search", "air minum")
    expect(visible).to_have_count(1)
    visible.locator("label").click()
    phone.fill("#indicator-search", "pasar")  # PSR is not ticked: none, but the ticked one stays
    expect(visible).to_have_count(1)
    expect(visible.locator("input")).to_be_checked()
    phone.fill("#indicator-search", "")
    for label in (phone.locator("#div_id_tatanan label"), phone.locator("#indicator-picker-list label:visible")):
        assert min(_heights(label)) >= TAP
    long_label = phone.locator("#indicator-picker-list label", has_text="perilaku hidup bersih")
    box = long_label.bounding_box()
    assert box["x"] + box["width"] <= 390  # wraps, does not overflow
    assert phone.locator("#indicator-search").bounding_box()["height"] >= TAP
    assert _no_sideways_scroll(phone)
    assert axe_violations(phone) == []
    with phone.expect_navigation():
        phone.click("#activity-form [type=submit]")
    activity = Activity.objects.get(body=forum)
    assert list(activity.indicators.all()) == [water]
    assert list(activity.tatanan.all()) == [ksm]
    expect(phone.locator("#activity-badge")).to_have_text("Kurang: undangan, daftar hadir, notulen, foto")
    phone.evaluate("window.samePage = true")  # gone if the page reloads

    # --- Five files in one chooser, each with its guessed kind -----------------------------------
    photo = {
        "name": "IMG_20250312_101500.jpg",
        "mimeType": "image/jpeg",
        "buffer": photo_bytes(taken="2025:03:12 10:15:00"),
    }
    papers = [
        _pdf("Undangan sosialisasi"),
        _pdf("daftar-hadir"),
        _pdf("Notulen, lampiran daftar hadir"),
        photo,
        _pdf("scan0001"),
    ]
    phone.set_input_files("#evidence-files-input", files=papers)
    rows = phone.locator("#evidence-progress li")
    expect(rows).to_have_count(5)
    kinds = [rows.nth(i).locator("select").input_value() for i in range(5)]
    # The third names its attachment too: the guess takes the daftar hadir; the scan says nothing.
    assert kinds == ["undangan", "daftar_hadir", "daftar_hadir", "foto", ""]
    rows.nth(2).locator("select").select_option("notulen")  # Sari fixes the wrong guess
    assert min(_heights(phone.locator("#evidence-progress select"))) >= TAP
    assert phone.locator("#evidence-submit").bounding_box()["height"] >= TAP
    assert _no_sideways_scroll(phone)

    # One "Kirim": four arrive, the badge and the checklist turn complete in place.
    phone.click("#evidence-submit")
    expect(phone.locator("#evidence-progress li[data-state=stored]")).to_have_count(4)
    expect(phone.locator("#activity-badge")).to_have_text("Lengkap")
    for kind in Activity.REQUIRED_KINDS:
        expect(phone.locator(f"#required-kinds [data-required={kind}]")).to_have_attribute("data-present", "1")
    expect(phone.locator("#required-kinds .badge.text-bg-danger")).to_have_count(0)  # no "belum ada" left
    assert phone.evaluate("window.samePage") is True
    assert "4 diterima, 0 ditolak" in phone.locator("#evidence-upload-form .evidence-summary").inner_text()

    # The scan went nowhere: its row says why and offers its own select and button.
    scan = phone.locator("#evidence-progress li", has_text="scan0001.pdf")
    expect(scan).to_have_attribute("data-state", "needs-kind")
    assert "Pilih jenis bukti" in scan.locator(".evidence-verdict").inner_text()
    send_one = scan.locator(".evidence-send-one")
    assert send_one.bounding_box()["height"] >= TAP
    assert axe_violations(phone) == []  # the rows' selects are labelled, the swapped parts too
    assert EvidenceFile.objects.filter(activity=activity).count() == 4

    # Choosing the same file again adds no second row.
    phone.set_input_files("#evidence-files-input", files=[_pdf("scan0001")])
    expect(phone.locator("#evidence-upload-form .evidence-summary")).to_contain_text("sudah ada di daftar")
    expect(rows).to_have_count(5)

    # Fixed on its row, sent alone.
    scan.locator("select").select_option("laporan")
    send_one.click()
    expect(scan).to_have_attribute("data-state", "stored")
    expect(scan.locator(".evidence-verdict")).to_contain_text("tersimpan sebagai laporan")
    expect(phone.locator("#other-kinds [data-kind-group=laporan] .evidence-file")).to_have_count(1)
    files = EvidenceFile.objects.filter(activity=activity)
    assert sorted(files.values_list("original_name", "kind")) == [
        ("IMG_20250312_101500.jpg", "foto"),
        ("Notulen, lampiran daftar hadir.pdf", "notulen"),
        ("Undangan sosialisasi.pdf", "undangan"),
        ("daftar-hadir.pdf", "daftar_hadir"),
        ("scan0001.pdf", "laporan"),
    ]
    assert phone.evaluate("window.samePage") is True
    assert _no_sideways_scroll(phone)
