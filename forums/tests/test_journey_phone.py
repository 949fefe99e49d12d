"""Issue 4's "Done when", in a real browser on the demo kabupaten and the real 2025 instrument.

Bulk setup (run by ``seed_demo``) creates every body of Kabupaten Serang; the secretary of the
Forum Kecamatan Sehat Carenang records the SK, two members, the secretariat and the work plans
for both data years of the 2025 cycle on a phone; Bappeda approves both plans (also on a phone);
the kelembagaan table shows Carenang complete and its button fills the assessment's kelembagaan
items. The secretary of Binuang gets a 404 on all of Carenang's pages.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from accounts.models import User
from conftest import browser_login, browser_logout
from forums.models import Body, Decree, Member, Secretariat, WorkPlan
from forums.services import body_bulk_setup
from indicators.services import assessment_open
from regions.models import Region
from tatanan.importer import instrument_import
from tatanan.models import Cycle, KelembagaanItem, Tatanan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "jalan-sehat-2025"
WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"
SERANG = "36.04"
CARENANG = "36.04.17"
KECAMATAN_IN_SERANG = 29
DESA_IN_SERANG = 326
# A one-page PDF that readers (and the upload inspection, which wants a real xref) open.
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def serang_2025(live_server, shipped_catalogue):
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    bappeda = User.objects.get(username="bappeda.serang")
    assessment = assessment_open(kabupaten=Region.objects.get(code=SERANG), cycle=cycle, actor=bappeda)
    return assessment


def test_carenang_secretary_completes_her_forum_and_bappeda_fills_the_assessment(phone, serang_2025):
    assessment = serang_2025
    years = assessment.cycle.data_years
    assert years == [2023, 2024]

    # --- Bulk setup (run by seed_demo) made every body of Serang --------------------------------
    serang = Body.objects.filter(region__code__startswith=SERANG + ".")
    assert serang.filter(kind=Body.Kind.FORUM_KECAMATAN).count() == KECAMATAN_IN_SERANG
    assert serang.filter(kind=Body.Kind.TIM_PEMBINA_KECAMATAN).count() == KECAMATAN_IN_SERANG
    assert serang.filter(kind=Body.Kind.POKJA_DESA).count() == DESA_IN_SERANG
    assert Body.objects.filter(region__code=SERANG).count() == 2  # Tim Pembina and Forum Kabupaten
    again = body_bulk_setup(
        kabupaten=Region.objects.get(code=SERANG), actor=User.objects.get(username="bappeda.serang")
    )
    assert again["created"] == 0
    assert again["existing"] == 2 + 2 * KECAMATAN_IN_SERANG + DESA_IN_SERANG
    forum = Body.objects.get(region__code=CARENANG, kind=Body.Kind.FORUM_KECAMATAN)

    # --- The Carenang secretary on her phone: her home and what is missing ----------------------
    browser_login(phone, "fks.carenang", PASSWORD)
    phone.goto("/forum/")
    assert phone.url.endswith("/forum/beranda/")
    assert phone.locator("h1").inner_text() == "Forum Kecamatan Sehat Carenang"
    missing = phone.locator("#home-missing").inner_text()
    assert "Belum ada SK yang berlaku." in missing
    assert "Alamat sekretariat belum diisi." in missing
    assert "2023 dan 2024" in missing
    assert _no_sideways_scroll(phone)

    # The SK, with a scanned PDF.
    phone.click("#home-todo >> text=Tambah atau perbarui SK")
    phone.wait_for_url(f"**/forum/lembaga/{forum.pk}/sk/")
    phone.fill("input[name=number]", "400.7/012/Kec.Crg/2024")
    phone.fill("input[name=date]", "2024-01-15")
    phone.fill("input[name=signer]", "Camat Carenang")
    phone.fill("input[name=valid_from]", "2024-01-15")
    phone.fill("input[name=valid_until]", "2029-01-14")
    phone.set_input_files(
        "input[name=file]", files=[{"name": "sk-forum.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    _submit(phone, "#decree-form [type=submit]")
    assert phone.locator("#decree-history [data-current='1']").inner_text().startswith("400.7/012/Kec.Crg/2024")
    decree = Decree.objects.get(body=forum)
    assert decree.is_current
    assert decree.file

    # Two members: the chair and the secretary.
    for name, position in (("H. Ahmad Fauzi", "ketua"), ("Sari Handayani", "sekretaris")):
        phone.goto(f"/forum/lembaga/{forum.pk}/")
        phone.click("#add-member")
        phone.fill("input[name=name]", name)
        phone.select_option("select[name=position]", position)
        phone.select_option("select[name=origin]", "masyarakat")
        _submit(phone, "#member-form [type=submit]")
        assert name in phone.locator("#members").inner_text()
    assert set(Member.objects.filter(body=forum).values_list("position", flat=True)) == {"ketua", "sekretaris"}

    # The secretariat, with a photo of the name board.
    phone.click("#edit-secretariat")
    phone.fill("textarea[name=address]", "Kantor Kecamatan Carenang, Jl. Raya Carenang No. 1")
    phone.fill("input[name=room]", "Ruang rapat lantai 1")
    phone.check("input[name=has_name_board]")
    phone.set_input_files(
        "input[name=name_board_photo]", files=[{"name": "papan-nama.png", "mimeType": "image/png", "buffer": _png()}]
    )
    _submit(phone, "#secretariat-form [type=submit]")
    assert "Kantor Kecamatan Carenang" in phone.locator("#secretariat").inner_text()
    secretariat = Secretariat.objects.get(body=forum)
    assert secretariat.name_board_photo

    # Work plans for 2023 and 2024, one APBD-funded activity each, submitted.
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    plans = {}
    for year in years:
        phone.goto(f"/forum/lembaga/{forum.pk}/rencana-kerja/")
        phone.select_option("select[name=year]", str(year))
        _submit(phone, "#work-plan-create [type=submit]")
        phone.click("#add-item")
        phone.select_option("select[name=tatanan]", str(ksm.pk))
        phone.fill("textarea[name=activity]", f"Sosialisasi PHBS di sekolah {year}")
        phone.fill("input[name=budget]", "1500000")
        phone.select_option("select[name=funding_source]", "apbd")
        _submit(phone, "#work-plan-item [type=submit]")
        assert phone.locator("#grand-total").inner_text() == "Rp 1.500.000"
        assert _no_sideways_scroll(phone)
        _submit(phone, "#submit-plan")
        plans[year] = WorkPlan.objects.get(body=forum, year=year)
        assert plans[year].status == WorkPlan.Status.SUBMITTED

    phone.goto("/forum/beranda/")
    missing = phone.locator("#home-missing").inner_text()
    assert "Belum ada SK" not in missing
    assert "sekretariat" not in missing
    assert "Rencana kerja tahun 2023 dan 2024 belum lengkap disetujui." in missing
    browser_logout(phone)

    # --- The Binuang secretary sees none of it -------------------------------------------------
    browser_login(phone, "fks.binuang", PASSWORD)
    for url in (
        f"/forum/lembaga/{forum.pk}/",
        f"/forum/lembaga/{forum.pk}/sk/",
        f"/forum/lembaga/{forum.pk}/anggota/tambah/",
        f"/forum/lembaga/{forum.pk}/sekretariat/",
        f"/forum/lembaga/{forum.pk}/rencana-kerja/",
        f"/forum/rencana-kerja/{plans[2023].pk}/",
        f"/forum/rencana-kerja/{plans[2024].pk}/kegiatan/tambah/",
    ):
        response = phone.goto(url)
        assert response.status == 404, url
        assert "Carenang" not in phone.content(), url
    # Nor can she change anything: a forged POST is refused too.
    csrf = next(c["value"] for c in phone.context.cookies() if c["name"] == "csrftoken")
    for action in ("ajukan", "setujui"):
        response = phone.request.post(
            f"/forum/rencana-kerja/{plans[2023].pk}/{action}/", headers={"X-CSRFToken": csrf}, max_redirects=0
        )
        assert response.status == 404, action
    phone.goto("/forum/beranda/")
    assert phone.locator("h1").inner_text() == "Forum Kecamatan Sehat Binuang"
    browser_logout(phone)

    # --- Bappeda approves both plans from the queue, on a phone -------------------------------
    browser_login(phone, "bappeda.serang", PASSWORD)
    for year in years:
        phone.goto("/forum/rencana-kerja/menunggu/")
        phone.click(f"#work-plan-queue [data-plan='{plans[year].pk}'] a")
        phone.wait_for_url(f"**/forum/rencana-kerja/{plans[year].pk}/")
        _submit(phone, "#approve-plan")
        plans[year].refresh_from_db()
        assert plans[year].status == WorkPlan.Status.APPROVED
    phone.goto("/forum/rencana-kerja/menunggu/")
    assert phone.locator("#work-plan-queue [data-plan]").count() == 0

    # --- The kelembagaan table and the fill button ----------------------------------------------
    phone.goto(f"/forum/kelembagaan/{SERANG}/")
    row = phone.locator("#kelembagaan-table tbody tr", has_text=CARENANG)
    forum_cell = row.locator("td").nth(1)
    assert forum_cell.locator(".badge").all_inner_texts() == ["SK ✓", "RK ✓", "Anggaran ✓", "Sekretariat ✓"]
    assert forum_cell.locator(".badge.text-bg-success").count() == 4
    binuang = phone.locator("#kelembagaan-table tbody tr", has_text="36.04.18").locator("td").nth(1)
    assert binuang.locator(".badge.text-bg-danger").count() == 4
    _submit(phone, "#kelembagaan-fill")
    assert "Nilai kelembagaan" in phone.locator(".alert-success").inner_text()

    entries = {
        (e.item.component, e.item.item): e for e in assessment.kelembagaan_entries.select_related("item", "self_score")
    }
    # Carenang is 1 of 29 Forum Kecamatan: a partial share. The rule (forums.kelembagaan.services.pick_option)
    # takes the middle option where the 2025 scale has one (RK, Anggaran: 100/50/0 → 50) and the
    # lowest where it has none (SK, Sekretariat: 100/0 → 0); the notes carry the figure.
    expected = {
        KelembagaanItem.Item.SK: 0,
        KelembagaanItem.Item.RENCANA_KERJA: 50,
        KelembagaanItem.Item.ANGGARAN: 50,
        KelembagaanItem.Item.SEKRETARIAT: 0,
    }
    # seed_demo's round gave Kramatwatu's Forum Kecamatan and its first Pokja an SK and a 2024 plan
    # (only 2024: not a complete RK/Anggaran for the 2023–2024 data years).
    forums_with = {KelembagaanItem.Item.SK: 2}
    pokja_with = {KelembagaanItem.Item.SK: 1}
    notes = {}
    for item, score in expected.items():
        entry = entries[(KelembagaanItem.Component.FORUM_KECAMATAN, item)]
        pokja = entries[(KelembagaanItem.Component.POKJA_DESA, item)]
        notes[item] = (entry.note, pokja.note)
        assert entry.self_score is not None, item
        assert entry.self_score.value == score, (item, entry.note)
        assert pokja.self_score.value == 0, (item, pokja.note)
    for item, (forum_note, pokja_note) in notes.items():
        assert f"{forums_with.get(item, 1)} dari {KECAMATAN_IN_SERANG} Forum Kecamatan" in forum_note, notes
        assert f"{pokja_with.get(item, 0)} dari {DESA_IN_SERANG} Pokja" in pokja_note, notes

    # --- Her home now says everything is in place ----------------------------------------------
    browser_logout(phone)
    browser_login(phone, "fks.carenang", PASSWORD)
    phone.goto("/forum/")
    assert "SK, rencana kerja, anggaran dan sekretariat sudah lengkap." in phone.locator("#home-missing").inner_text()
    assert phone.locator("#home-flags .badge.text-bg-success").count() == 4
    # What is left is issue 5's: record an activity with its evidence.
    needed = phone.locator("#home-todo .list-group-item", has=phone.locator(".badge"))
    assert needed.count() == 1
    assert "Catat kegiatan" in needed.inner_text()
    assert _no_sideways_scroll(phone)
