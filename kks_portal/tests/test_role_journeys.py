"""Issue 12's journeys per role, on the demo (``seed_demo``), in a real browser: each role logs in
and walks its main work from the home page by clicking only (``page.goto`` opens the login page
and nothing else). Every step checks what issue 12 asks of it, axe-core looks at every page (the
violations are collected and fail the test once, at the end) and a screenshot of every step is
saved in ``var/journeys/<role>/`` (``conftest.journey_shot``; README, "Journeys and screenshots").

One test per role, each on the seeded demo (``seeded_demo`` in conftest.py: seeded once per
pass, its rows put back before each test):

* Bappeda Serang, in a browser whose language is English (the UI stays Indonesian): the round's
  stage on the home, the OPD past their deadline → assign (a refused form keeps what was ticked)
  → the readiness dashboard → the map of OPDs by function, pre-filled from the OPD names, saved.
* Bappeda Cilegon: the returned dossier's reason on the home, with its links → the verifier's
  comments → the dossier → compile, watching the progress bar (the real Celery worker) → submit.
* The Dinkes operator: the next task → the entry form → its evidence → upload → save → the
  next task is another indicator.
* The Pokja secretary of desa Carenang on a phone: the next task → the SK → the work plans of
  the cycle's data years (2023 and 2024).
* The Forum Kecamatan secretary of Carenang on a phone: an activity and its four papers in one pass.
* The superuser adds the 2019 cycle; Bappeda of Kota Cilegon opens it with 6 of 7 tatanan, a
  category and its usulan, and reads the tier predicted by count and kecamatan coverage.

The provincial and national verifiers' journeys are in ``dossiers/tests/test_journey.py``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from accounts.models import Opd, OpdFunction
from conftest import (
    DEMO_PASSWORD,
    PHONE,
    axe_violations,
    browser_login,
    browser_logout,
    fail_on_axe_violations,
    fail_on_csp_violations,
    journey_shot,
    watch_csp,
)
from demo.services import RETURN_REASON
from dossiers.models import ChapterRender, Dossier, DossierVersion
from evidence.models import Activity, Blob, EvidenceFile
from evidence.tests.blobs import photo_bytes
from forums.models import Body, Decree, WorkPlan
from forums.tests.factories import pdf_bytes
from indicators.fieldwork.services import titik_pantau_create
from indicators.models import Assessment, IndicatorEntry
from indicators.requests.selectors import today
from tatanan.models import Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERANG = "36.04"
CILEGON = "36.72"
COMPILE_TIMEOUT = 300_000  # ms: a whole kabupaten on a shared 2-core machine


def _pdf(title: str) -> dict:
    return {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(title)}


@pytest.fixture
def open_context(browser, live_server):
    """``open_context(locale=…, **options)``: a new browser context on the live server (a phone
    with ``**PHONE``); every context's CSP violations fail the test at the end."""
    contexts, violations = [], []

    def open_(locale="id-ID", **options):
        options.setdefault("viewport", {"width": 1366, "height": 900})
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        context.set_default_timeout(15000)
        violations.append(watch_csp(context))
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
    fail_on_csp_violations([v for found in violations for v in found])


def _click(page, locator) -> None:
    with page.expect_navigation():
        (page.locator(locator) if isinstance(locator, str) else locator).click()


def _home(page) -> None:
    _click(page, "a.navbar-brand")


def _stored_names() -> set[str]:
    names = {v.pdf.name for v in DossierVersion.objects.all()}
    names |= set(ChapterRender.objects.values_list("file", flat=True))
    for blob in Blob.objects.all():
        names |= {blob.file.name, blob.preview.name, blob.thumbnail.name}
    names |= {decree.file.name for decree in Decree.objects.all()}
    return {name for name in names if name}


def _cleanup(keep: set[str]) -> None:
    """Delete the stored files but ``keep`` (those of a demo seeded for more than this test)."""
    for name in _stored_names() - keep:
        default_storage.delete(name)


@pytest.fixture
def journey(seeded_demo, open_context, celery_worker):
    """One role's journey on the seeded demo: ``(open_context, axe, cycle)``. The axe-core
    violations of its pages fail it once, at the end; the files it stored go then (the seeded
    demo's stay for the next journey)."""
    axe: list[str] = []
    keep = _stored_names()
    yield open_context, axe, seeded_demo
    _cleanup(keep)
    fail_on_axe_violations(axe)


def test_bappeda_assigns_work_and_reads_readiness(journey):
    open_context, axe, _cycle = journey
    _bappeda_serang_assigns_and_reads_readiness(open_context, axe)


def test_bappeda_of_a_returned_dossier_compiles_and_submits(journey):
    open_context, axe, _cycle = journey
    _bappeda_cilegon_fixes_compiles_and_submits(open_context, axe)


def test_opd_operator_goes_from_task_to_entry_to_evidence_to_the_next_task(journey):
    open_context, axe, _cycle = journey
    _opd_operator_fills_documents_and_moves_on(open_context, axe)


def test_pokja_secretary_keeps_her_sk_and_work_plans_on_a_phone(journey):
    open_context, axe, cycle = journey
    _pokja_secretary_sk_and_work_plans(open_context, axe, cycle)


def test_forum_secretary_records_an_activity_with_its_papers_in_one_pass(journey):
    open_context, axe, _cycle = journey
    _forum_secretary_activity_in_one_pass(open_context, axe)


def _bappeda_serang_assigns_and_reads_readiness(open_context, axe):
    role = "bappeda"
    page = open_context(locale="en-US")  # English browser: Indonesian until the user picks English
    browser_login(page, "bappeda.serang", DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "id"
    assessment = Assessment.objects.get(kabupaten_id=SERANG, cycle__award_year=2025)
    round_card = page.locator(f"#round-{assessment.pk}")
    assert round_card.get_attribute("data-status") == Dossier.Status.SUBMITTED
    assert "Tahap: Diajukan ke provinsi" in round_card.locator("#round-stage").inner_text()
    overdue = round_card.locator("#round-overdue").inner_text()
    assert "DLH" in overdue
    assert "belum selesai" in overdue
    axe += axe_violations(page)
    journey_shot(page, role, "beranda-tahap-dan-opd-terlambat")

    # "Ingatkan OPD": the data requests, then the assign form.
    _click(page, "#round-overdue-link")
    axe += axe_violations(page)
    journey_shot(page, role, "permintaan-data")
    _click(page, page.locator(".nav-link", has_text="Tugaskan ke OPD"))
    # Bappeda ticks two PSR indicators and a deadline but forgets the OPD: refused, nothing lost.
    boxes = page.locator("details[data-tatanan=PSR] input[name=entries]")
    picked = [boxes.nth(i).get_attribute("value") for i in range(2)]
    for value in picked:
        page.check(f"#assign-form input[name=entries][value='{value}']")
    deadline = (today() + timedelta(days=14)).isoformat()
    page.fill("#assign-form input[name=deadline]", deadline)
    _click(page, "#assign-form [type=submit]")
    assert page.locator("#assign-errors").is_visible()
    checked = page.locator("#assign-form input[name=entries]:checked")
    assert set(picked) <= {checked.nth(i).get_attribute("value") for i in range(checked.count())}
    assert page.input_value("#assign-form input[name=deadline]") == deadline
    axe += axe_violations(page)
    journey_shot(page, role, "tugaskan-tanpa-opd-isian-tetap")
    dinkes = Opd.objects.get(kabupaten_id=SERANG, short_name="Dinkes")
    page.select_option("#assign-form select[name=opd]", label=str(dinkes))
    _click(page, "#assign-form [type=submit]")
    assert "2 indikator diminta dari Dinkes" in page.locator(".alert").first.inner_text()
    assert set(IndicatorEntry.objects.filter(pk__in=picked).values_list("assigned_opd__short_name", flat=True)) == {
        "Dinkes"
    }
    journey_shot(page, role, "tugaskan-tersimpan")

    # The readiness dashboard, from the same tabs.
    _click(page, page.locator(".nav-link", has_text="Dasbor kesiapan"))
    assert page.locator("#readiness-table tr[data-code]").count() == 9
    assert page.locator("#tier").inner_text().strip()
    axe += axe_violations(page)
    journey_shot(page, role, "dasbor-kesiapan")

    # OPDs by function: the map pre-filled from the OPD names; saving it assigns what has no OPD.
    _click(page, "#opd-functions-link")
    form = page.locator("#opd-function-form")
    dinkes = Opd.objects.get(kabupaten_id=SERANG, short_name="Dinkes")
    assert form.locator("select[name=fungsi_kesehatan]").input_value() == str(dinkes.pk)
    axe += axe_violations(page)
    journey_shot(page, role, "fungsi-opd")
    _click(page, "#opd-function-form [type=submit]")
    assert "Peta fungsi OPD Kabupaten Serang disimpan" in page.locator(".alert").first.inner_text()
    assert OpdFunction.objects.filter(kabupaten_id=SERANG, function="kesehatan", opd=dinkes).exists()
    journey_shot(page, role, "fungsi-opd-tersimpan")
    browser_logout(page)


def _bappeda_cilegon_fixes_compiles_and_submits(open_context, axe):
    role = "bappeda-dikembalikan"
    page = open_context()
    browser_login(page, "bappeda.cilegon", DEMO_PASSWORD)
    assessment = Assessment.objects.get(kabupaten_id=CILEGON, cycle__award_year=2025)
    round_card = page.locator(f"#round-{assessment.pk}")
    assert round_card.get_attribute("data-status") == Dossier.Status.RETURNED
    returned = round_card.locator("#round-returned").inner_text()
    assert RETURN_REASON[:60] in " ".join(returned.split())
    assert "Vina Oktaviani" in returned
    axe += axe_violations(page)
    journey_shot(page, role, "beranda-alasan-dikembalikan")
    _click(page, "#round-review-link")  # the verifier's scores and comments
    assert page.locator("#review-status").get_attribute("data-status") == Dossier.Status.RETURNED
    assert page.locator("#review-actions").count() == 0  # no empty box of verifier buttons
    axe += axe_violations(page)
    journey_shot(page, role, "nilai-dan-komentar-verifikator")
    _home(page)
    _click(page, "#round-dossier-link")
    assert RETURN_REASON[:60] in " ".join(page.locator("#returned-comment").inner_text().split())
    journey_shot(page, role, "dossier")

    # Compile: the progress bar shows the chapters as the worker renders them.
    _click(page, "#compile-button")
    page.locator("#compile-progress").wait_for(state="visible")
    page.locator("#compile-progress-label").filter(has_text=re.compile(r"Versi 2: .+ \(\d+/\d+ bab\)")).wait_for(
        timeout=COMPILE_TIMEOUT
    )
    journey_shot(page, role, "susun-dengan-progres")
    page.locator("#version-list tr[data-version='2'][data-state='done']").wait_for(timeout=COMPILE_TIMEOUT)
    version = DossierVersion.objects.get(dossier__assessment=assessment, number=2)
    assert version.state == DossierVersion.State.DONE, version.error
    expect(page.locator("#submit-checklist")).to_have_attribute("data-ok", "1")
    axe += axe_violations(page)
    journey_shot(page, role, "versi-2-selesai")
    page.fill("#id_submit_comment", "Laporan pengawasan pasar dan nilai kelembagaan sudah kami perbaiki.")
    _click(page, "#submit-button")
    assert page.locator("#workflow-status").inner_text() == "Diajukan ke provinsi"
    assert Dossier.objects.get(assessment=assessment).status == Dossier.Status.SUBMITTED
    journey_shot(page, role, "diajukan-kembali")
    _home(page)
    assert page.locator(f"#round-{assessment.pk}").get_attribute("data-status") == Dossier.Status.SUBMITTED
    journey_shot(page, role, "beranda-setelah-diajukan")
    browser_logout(page)


def _opd_operator_fills_documents_and_moves_on(open_context, axe):
    role = "operator-opd"
    page = open_context()
    browser_login(page, "dinkes.serang", DEMO_PASSWORD)
    task = page.locator("[data-role=opd_operator-next]")
    first_task = task.locator(".next-task-text").inner_text()
    assert first_task.startswith("Isi data indikator")
    assert task.locator(".deadline").count() == 1  # with its deadline
    axe += axe_violations(page)
    journey_shot(page, role, "beranda-tugas-berikutnya")

    _click(page, task.locator(".next-task-link"))
    entry_pk = int(re.search(r"/isian/(\d+)/", page.url).group(1))
    entry = IndicatorEntry.objects.select_related("indicator__tatanan").get(pk=entry_pk)
    code = f"{entry.indicator.tatanan.code} {entry.indicator.number}"
    assert code in first_task
    assert page.locator("h1").inner_text().startswith(f"{code}.")
    axe += axe_violations(page)
    journey_shot(page, role, "isian-indikator")

    # The entry's evidence: each requirement with its upload link.
    _click(page, "#entry-evidence-link")
    assert page.locator("h1").inner_text().startswith(code) or code in page.locator("h1").inner_text()
    axe += axe_violations(page)
    journey_shot(page, role, "bukti-dukung-indikator")
    _click(page, page.locator(".upload-link").first)
    before = EvidenceFile.objects.count()
    page.set_input_files("#evidence-files-input", files=[_pdf("laporan-dinkes-2024")])
    kind = page.locator("#evidence-progress li select")
    if kind.count() and not kind.input_value():
        kind.select_option(index=1)
    page.click("#evidence-submit")
    expect(page.locator("#evidence-progress li[data-state=stored]")).to_have_count(1)
    assert EvidenceFile.objects.count() == before + 1
    axe += axe_violations(page)
    journey_shot(page, role, "unggah-bukti", target="#evidence-progress")

    # Up the breadcrumb to the indicator's evidence, from there to the entry form, marked done;
    # the home then offers the next indicator.
    _click(page, "#indicator-evidence-crumb")
    _click(page, "#indicator-entry-link")
    assert page.url.endswith(f"/isian/{entry_pk}/")
    page.locator("form#entry-form select[name=status]").select_option(label="Selesai")
    _click(page, "form#entry-form [type=submit]")
    assert "Isian indikator disimpan." in page.locator(".alert").first.inner_text()
    assert IndicatorEntry.objects.get(pk=entry_pk).status == IndicatorEntry.Status.SELESAI
    _home(page)
    next_task = page.locator("[data-role=opd_operator-next] .next-task-text").inner_text()
    assert next_task != first_task
    journey_shot(page, role, "tugas-berikutnya")
    browser_logout(page)


def _pokja_secretary_sk_and_work_plans(open_context, axe, cycle):
    role = "sekretaris-pokja"
    page = open_context(**PHONE)
    browser_login(page, "pokja.carenang", DEMO_PASSWORD)
    pokja = Body.objects.get(region_id="36.04.17.2001", kind=Body.Kind.POKJA_DESA)
    task = page.locator("[data-role=secretary-next]")
    assert "SK" in task.locator(".next-task-text").inner_text()
    axe += axe_violations(page)
    journey_shot(page, role, "beranda-tugas-sk")

    _click(page, task.locator(".next-task-link"))
    page.fill("input[name=number]", "141/05/Ds.Crg/2024")
    page.fill("input[name=date]", "2024-02-01")
    page.fill("input[name=signer]", "Kepala Desa Carenang")
    page.fill("input[name=valid_from]", "2024-02-01")
    page.set_input_files("input[name=file]", files=[_pdf("sk-pokja-carenang")])
    journey_shot(page, role, "sk-diisi")
    _click(page, "#decree-form [type=submit]")
    assert Decree.objects.get(body=pokja).is_current
    assert page.locator("#decree-history [data-current='1']").inner_text().startswith("141/05/Ds.Crg/2024")
    axe += axe_violations(page)
    journey_shot(page, role, "sk-tersimpan", target="#decree-history")

    # The work plans of the cycle's data years, each from the home's next task.
    years = cycle.data_years
    assert years == [2023, 2024]
    for year in years:
        _home(page)
        task = page.locator("[data-role=secretary-next]")
        assert "Rencana kerja" in task.locator(".next-task-text").inner_text()
        _click(page, task.locator(".next-task-link"))
        page.select_option("select[name=year]", str(year))
        _click(page, "#work-plan-create [type=submit]")
        _click(page, "#add-item")
        page.select_option("select[name=tatanan]", index=1)
        page.fill("textarea[name=activity]", f"Kerja bakti dan penyuluhan PHBS {year}")
        page.fill("input[name=budget]", "750000")
        page.select_option("select[name=funding_source]", "apbd")
        _click(page, "#work-plan-item [type=submit]")
        assert page.locator("#grand-total").inner_text() == "Rp 750.000"
        axe += axe_violations(page)
        journey_shot(page, role, f"rencana-kerja-{year}")
        _click(page, "#submit-plan")
        assert WorkPlan.objects.get(body=pokja, year=year).status == WorkPlan.Status.SUBMITTED
    journey_shot(page, role, "rencana-kerja-diajukan")
    browser_logout(page)


def _forum_secretary_activity_in_one_pass(open_context, axe):
    role = "sekretaris-forum-kecamatan"
    page = open_context(**PHONE)
    browser_login(page, "fks.carenang", DEMO_PASSWORD)
    forum = Body.objects.get(region_id="36.04.17", kind=Body.Kind.FORUM_KECAMATAN)
    journey_shot(page, role, "beranda")
    _click(page, page.locator("[data-role=secretary] a", has_text="Beranda lembaga saya"))
    axe += axe_violations(page)
    journey_shot(page, role, "beranda-lembaga")
    _click(page, page.locator("#home-todo a", has_text="Catat kegiatan"))
    if page.locator("#add-activity").count():
        journey_shot(page, role, "daftar-kegiatan")
        _click(page, "#add-activity")
    page.fill("input[name=title]", "Rapat koordinasi Forum Kecamatan Sehat")
    page.fill("input[name=date]", "2024-05-14")
    page.locator("#div_id_tatanan label", has_text="KSM").click()
    page.locator("#indicator-picker-list .form-check:visible label").first.click()
    axe += axe_violations(page)
    journey_shot(page, role, "kegiatan-diisi")
    _click(page, "#activity-form [type=submit]")
    activity = Activity.objects.get(body=forum)
    expect(page.locator("#activity-badge")).to_contain_text("Kurang")

    # The four papers in one chooser, each kind guessed from its name; one "Kirim".
    photo = {
        "name": "IMG_20240514_093000.jpg",
        "mimeType": "image/jpeg",
        "buffer": photo_bytes(taken="2024:05:14 09:30:00"),
    }
    page.set_input_files(
        "#evidence-files-input",
        files=[_pdf("undangan-rapat"), _pdf("daftar-hadir"), _pdf("notulen-rapat"), photo],
    )
    rows = page.locator("#evidence-progress li")
    expect(rows).to_have_count(4)
    assert [rows.nth(i).locator("select").input_value() for i in range(4)] == [
        "undangan",
        "daftar_hadir",
        "notulen",
        "foto",
    ]
    journey_shot(page, role, "empat-berkas-dipilih", target="#evidence-progress")
    page.click("#evidence-submit")
    expect(page.locator("#evidence-progress li[data-state=stored]")).to_have_count(4)
    expect(page.locator("#activity-badge")).to_have_text("Lengkap")
    assert set(EvidenceFile.objects.filter(activity=activity).values_list("kind", flat=True)) == set(
        Activity.REQUIRED_KINDS
    )
    axe += axe_violations(page)
    journey_shot(page, role, "kegiatan-lengkap", target="#activity-badge")
    browser_logout(page)


def test_superuser_adds_2019_and_a_kota_opens_it_by_count_and_coverage(journey):
    """Issue 13: the superuser adds cycle 2019 from the catalogue page (it ships; removed here
    first, as if it were new); Bappeda of Kota Cilegon opens it with 6 of the 7 tatanan and the
    category Padapa, proposes its kecamatan and adds titik pantau (17 in all); the predicted tier
    follows the count-and-coverage rule, beside the category."""
    open_context, axe, _cycle = journey
    Cycle.objects.filter(award_year=2019).delete()
    page = open_context()
    browser_login(page, "admin", DEMO_PASSWORD)
    _click(page, page.locator("#mainnav a.nav-link", has_text="Katalog").first)
    _click(page, "#cycle-next-link")
    axe += axe_violations(page)
    page.select_option("#cycle-next-form select[name=source]", "2017")
    page.fill("#cycle-next-form input[name=award_year]", "2019")
    journey_shot(page, "superuser", "siklus-baru-dari-2017")
    _click(page, "#cycle-next-form [type=submit]")
    assert page.url.endswith("/tatanan/2019/")
    assert "Siklus Swasti Saba 2019 ditambahkan" in page.locator(".alert").first.inner_text()
    axe += axe_violations(page)
    journey_shot(page, "superuser", "siklus-2019")
    browser_logout(page)

    role = "bappeda-kota"
    browser_login(page, "bappeda.cilegon", DEMO_PASSWORD)
    _click(page, page.locator("#mainnav a.nav-link", has_text="Penilaian").first)
    form = page.locator("#assessment-open-form")
    with page.expect_navigation():
        form.locator("select[name=cycle]").select_option("2019")
    boxes = form.locator("input[name=tatanan]")
    assert boxes.count() == 7  # the 2017–2021 set, each once
    for i in range(6):
        boxes.nth(i).check()
    form.locator("select[name=category]").select_option(label="Padapa")
    axe += axe_violations(page)
    journey_shot(page, role, "buka-2019-enam-tatanan")
    _click(page, "#assessment-open-form [type=submit]")
    assessment = Assessment.objects.get(kabupaten_id=CILEGON, cycle__award_year=2019)
    assert (assessment.tatanan.count(), assessment.category) == (6, "padapa")
    # Without usulan the coverage cannot be computed, and the page says what is missing.
    assert "kecamatan usulan belum dipilih" in page.locator("#kecamatan-coverage").inner_text()
    assert "Belum mencapai strata" in page.locator("#tier").inner_text()

    _click(page, "#usulan-link")
    kecamatan = page.locator("#usulan-form input[name=kecamatan]")
    total = kecamatan.count()
    assert total >= 2
    for i in range(total):
        kecamatan.nth(i).check()
    axe += axe_violations(page)
    journey_shot(page, role, "usulan-semua-kecamatan")
    _click(page, "#usulan-form [type=submit]")
    # Six tatanan and every kecamatan: Wistara (5 tatanan, ≥ 71 %), above the Padapa registered.
    assert page.locator("#tier").inner_text().strip() == "Wistara"
    assert "Kategori didaftarkan: Padapa" in page.locator("#tier-category").inner_text()
    assert "syaratnya terpenuhi" in page.locator("#tier-category").inner_text()
    assert "100 %" in page.locator("#kecamatan-coverage").inner_text()
    axe += axe_violations(page)
    journey_shot(page, role, "perkiraan-strata-menurut-jumlah-dan-cakupan", target="#tier")

    # One titik pantau through the page, sixteen more as a list the same way: 17 in all.
    _click(page, page.locator("#fieldwork-links a", has_text="Titik pantau"))
    _click(page, "#add-titik-pantau")
    point = page.locator("form").filter(has=page.locator("input[name=name]"))
    point.locator("input[name=name]").fill("Pasar Kranggot")
    point.locator("select[name=kind]").select_option("pasar")
    _click(page, point.locator("[type=submit]"))
    chosen = list(assessment.tatanan.order_by("number"))
    for n in range(2, 18):
        titik_pantau_create(
            assessment=assessment,
            actor=assessment.created_by,
            tatanan=chosen[n % len(chosen)],
            name=f"Titik pantau {n}",
            kind="lainnya",
        )
    page.reload()
    assert assessment.titik_pantau.count() == 17
    assert page.locator("text=Pasar Kranggot").count() >= 1
    journey_shot(page, role, "titik-pantau-17")
