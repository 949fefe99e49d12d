"""Issue 3's "Done when", in a real browser on the demo kabupaten and the real 2025 instrument.

The Bappeda admin of Kabupaten Serang opens the 2025 assessment, asks Dinkes for the Pasar
Sehat (PSR) indicators with a deadline a week ahead; the Dinkes operator finds exactly those
on the to-do list and fills every one (both data years and a self score); the dashboard then
shows the tatanan percentages and the predicted tier, which the test works out by hand.

Everything else a round needs (the other eight tatanan, kelembagaan, ODF) is filled through
the services in Python, as the Bappeda admin, to keep the browser part short.
"""

import json
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Opd, User
from conftest import browser_login, browser_logout
from indicators.fieldwork.services import desa_of, kecamatan_of, kelembagaan_entries_update, odf_counts_set
from indicators.models import Assessment, IndicatorEntry
from indicators.requests.selectors import today
from indicators.scoring import assessment_score
from indicators.services import indicator_entry_update
from tatanan.importer import instrument_import
from tatanan.models import Cycle, TierRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "jalan-sehat-2025"
WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"
SERANG = "36.04"
PSR_INDICATORS = 13  # the real 2025 workbook's Pasar Sehat sheet
SCORED_50 = {"11", "12", "13"}  # the indicator numbers Dinkes scores 50; the other ten get 100


@pytest.fixture
def cycle_2025(live_server, shipped_catalogue):
    # Banten and Jawa Barat from the shipped Kemendagri files, Serang's OPDs and the demo users.
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    return cycle


def _percent(text: str) -> Decimal:
    """ "88,46 %" (or "88.46 %") as a Decimal."""
    return Decimal(text.replace("%", "").strip().replace(",", "."))


def _fill_everything_but_psr(assessment: Assessment, actor: User) -> None:
    """Score 100 on every entry outside PSR, every kelembagaan item at its top option and every
    desa/kelurahan of every kecamatan ODF, through the services, as the Bappeda admin. The
    entries get data for both years too: every tier needs them."""
    for entry in assessment.indicator_entries.exclude(indicator__tatanan__code="PSR").select_related("indicator"):
        top = entry.indicator.scale_options.get(value=100)
        indicator_entry_update(
            entry=entry,
            actor=actor,
            value_year1="1",
            value_year2="1",
            self_score=top,
            status=IndicatorEntry.Status.SELESAI,
        )
    changes = []
    for entry in assessment.kelembagaan_entries.select_related("item"):
        changes.append((entry, entry.item.scale_options.order_by("-value").first(), ""))
    kelembagaan_entries_update(assessment=assessment, actor=actor, changes=changes)
    kecamatan_list = list(kecamatan_of(assessment.kabupaten))
    assert kecamatan_list
    for kecamatan in kecamatan_list:
        total = desa_of(kecamatan).count()
        odf_counts_set(assessment=assessment, actor=actor, kecamatan=kecamatan, desa_total=total, desa_odf=total)


def test_bappeda_runs_the_2025_round_and_the_dashboard_matches_the_hand_calculation(desktop, phone, cycle_2025):
    bappeda = User.objects.get(username="bappeda.serang")
    dinkes = Opd.objects.get(kabupaten_id=SERANG, short_name="Dinkes")

    # --- Bappeda opens the 2025 assessment with the form on the Penilaian page -------------
    browser_login(desktop, "bappeda.serang", PASSWORD)
    with desktop.expect_navigation():
        desktop.locator("#mainnav a.nav-link", has_text="Penilaian").first.click()
    assert "/penilaian/" in desktop.url
    desktop.select_option("#assessment-open-form select[name=kabupaten]", SERANG)
    # Choosing the cycle reloads the form with that cycle's tatanan and tiers; the kabupaten stays.
    with desktop.expect_navigation():
        desktop.select_option(
            "#assessment-open-form select[name=cycle]", label="Swasti Saba 2025 (tahun data 2023–2024)"
        )
    assert "siklus=2025" in desktop.url
    assert desktop.locator("#assessment-open-form select[name=kabupaten]").input_value() == SERANG
    assert desktop.locator("#assessment-open-form input[name=tatanan]").count() == 0  # 2025: all compulsory
    desktop.select_option("#assessment-open-form select[name=category]", label="Wistara")
    desktop.click("#assessment-open-form [type=submit]")
    desktop.wait_for_url(re.compile(r"/penilaian/\d+/$"))
    assessment = Assessment.objects.get(kabupaten_id=SERANG, cycle=cycle_2025)
    assert desktop.url.endswith(f"/penilaian/{assessment.pk}/")
    assert "Swasti Saba 2025" in desktop.locator("h1").inner_text()
    assert assessment.tatanan.count() == 9  # 2025: all nine tatanan are compulsory
    assert assessment.category == "wistara"
    psr = list(
        assessment.indicator_entries.filter(indicator__tatanan__code="PSR")
        .select_related("indicator")
        .order_by("indicator__order")
    )
    assert len(psr) == PSR_INDICATORS
    psr_ids = {str(entry.pk) for entry in psr}

    # --- Python: the rest of the round, as the Bappeda admin ---------------------------------
    _fill_everything_but_psr(assessment, bappeda)

    # --- Bappeda asks Dinkes for every PSR indicator, a week ahead ---------------------------
    deadline = today() + timedelta(days=7)
    desktop.click("#request-links >> text=Permintaan data ke OPD")
    desktop.wait_for_url(f"**/penilaian/{assessment.pk}/permintaan-data/")
    desktop.click(".nav-tabs >> text=Tugaskan ke OPD")
    desktop.wait_for_url(f"**/penilaian/{assessment.pk}/permintaan-data/tugaskan/")
    desktop.click("details[data-tatanan=PSR] [data-pick=all]")  # in the browser, no reload
    ticked = desktop.locator("#assign-form input[name=entries]:checked")
    assert {ticked.nth(i).get_attribute("value") for i in range(ticked.count())} == psr_ids
    desktop.select_option("#assign-form select[name=opd]", label=str(dinkes))
    desktop.fill("#assign-form input[name=deadline]", deadline.isoformat())
    desktop.click("#assign-form [type=submit]")
    desktop.wait_for_url(f"**/penilaian/{assessment.pk}/permintaan-data/")
    assert (
        f"{PSR_INDICATORS} indikator diminta dari Dinkes, tenggat {deadline:%d-%m-%Y}."
        in desktop.locator(".alert").first.inner_text()
    )
    assert assessment.data_requests.get(opd=dinkes).deadline == deadline

    # --- The Dinkes operator fills the PSR entries from the to-do list, on a phone -----------
    browser_login(phone, "dinkes.serang", PASSWORD)
    phone.goto("/penilaian/tugas/")
    rows = phone.locator(f"section[data-assessment='{assessment.pk}'] tr[data-entry]")
    assert rows.count() == PSR_INDICATORS
    assert {rows.nth(i).get_attribute("data-entry") for i in range(rows.count())} == psr_ids
    assert [h.split(" – ")[0] for h in phone.locator("section h3").all_inner_texts()] == ["PSR"]
    assert phone.locator("[data-overdue]").count() == 0
    years = cycle_2025.data_years
    for entry in psr:
        number = entry.indicator.number
        score = 50 if number in SCORED_50 else 100
        phone.goto("/penilaian/tugas/")
        phone.click(f"tr[data-entry='{entry.pk}'] >> text=Isi")
        phone.wait_for_url(f"**/penilaian/{assessment.pk}/isian/{entry.pk}/")
        assert phone.locator("h1").inner_text().startswith(f"PSR {number}.")
        # "form#": crispy-bootstrap5 also puts the helper's id on the radio group's <div>.
        form = phone.locator("form#entry-form")
        form.get_by_label(f"Data tahun {years[0]}").fill("12" if score == 100 else "4")
        form.get_by_label(f"Data tahun {years[-1]}").fill("14" if score == 100 else "5")
        # The radios read "<value> – <criterion>", e.g. "100 – ada Perda/Perbub/…".
        form.get_by_label(re.compile(rf"^\s*{score} –")).check()
        form.locator("select[name=status]").select_option(label="Selesai")
        form.locator("[type=submit]").click()
        phone.wait_for_url(f"**/penilaian/{assessment.pk}/")
        assert "Isian indikator disimpan." in phone.locator(".alert").first.inner_text()

    phone.goto("/penilaian/tugas/")
    assert phone.locator("tr[data-entry] .badge", has_text="Selesai").count() == PSR_INDICATORS
    for entry in psr:
        entry.refresh_from_db()
        assert entry.self_score.value == (50 if entry.indicator.number in SCORED_50 else 100)
        assert entry.value_year1_number is not None
        assert entry.value_year2_number is not None
        assert entry.status == IndicatorEntry.Status.SELESAI
        assert entry.updated_by.username == "dinkes.serang"
        assert entry.assigned_opd == dinkes

    # The DLH operator is not asked for any of them.
    browser_logout(phone)
    browser_login(phone, "dlh.serang", PASSWORD)
    phone.goto("/penilaian/tugas/")
    shown = phone.locator("tr[data-entry]")
    assert not {shown.nth(i).get_attribute("data-entry") for i in range(shown.count())} & psr_ids
    assert phone.locator("#no-tasks").is_visible()

    # --- Bappeda reads the dashboard ----------------------------------------------------------
    desktop.goto(f"/penilaian/{assessment.pk}/")
    desktop.click("#request-links >> text=Dasbor kesiapan")
    desktop.wait_for_url(f"**/penilaian/{assessment.pk}/dasbor/")
    table = {
        row.get_attribute("data-code"): _percent(row.locator("td").nth(1).inner_text())
        for row in desktop.locator("#readiness-table tr[data-code]").all()
    }
    tier = desktop.locator("#tier").inner_text().strip()
    overall = _percent(desktop.locator("#overall").inner_text())
    chart = json.loads(desktop.locator("#readiness-data").text_content())

    # Hand calculation. All 2025 indicators weigh 1 and score on 100/50/0.
    #   PSR = (10×100 + 3×50) / (13×100) × 100 = 1150 / 1300 × 100 = 88.4615… → 88.46 %
    #   KSM, PFU, PDD, KPI, PAR, TLL, PLS, BCN: every indicator 100 → 100 %
    #   Average (shown, not what the tier uses) = (8×100 + 88.46) / 9 = 98.717… → 98.72 %
    # The 2025 TierRule rows (tatanan/migrations/0003) all use aggregation "minimum":
    #   achievement = min(tatanan %) = 88.46 % → Padapa (≥ 71, ODF ≥ 80) and Wiwerda (≥ 81,
    #   ODF ≥ 90) hold; Wistara needs ≥ 91 (and ODF 100) → not reached. ODF = 100 %,
    #   kelembagaan all at the top option, so the gates pass → Wiwerda.
    rules = {r.tier: r for r in cycle_2025.tier_rules.all()}
    assert {r.aggregation for r in rules.values()} == {TierRule.Aggregation.MINIMUM}
    assert (rules["wiwerda"].score_min, rules["wiwerda"].odf_min_percent) == (Decimal(81), Decimal(90))
    assert rules["wistara"].score_min == Decimal(91)
    expected = {code: Decimal("100.00") for code in ["KSM", "PFU", "PDD", "KPI", "PAR", "TLL", "PLS", "BCN"]}
    expected["PSR"] = Decimal("88.46")
    assert table == expected
    assert overall == Decimal("98.72")
    assert tier == "Wiwerda"
    assert dict(zip(chart["codes"], chart["percents"], strict=True)) == {k: float(v) for k, v in expected.items()}
    # What blocks Wistara is the PSR score alone.
    failures = desktop.locator("#next-tier-failures li").all_inner_texts()
    assert len(failures) == 1
    assert "88,46 %" in failures[0]
    assert "91 %" in failures[0]
    assert desktop.locator("#outstanding-total").inner_text() == "0"

    # The page and the scoring module agree.
    score = assessment_score(assessment=assessment)
    assert {t.code: t.percent for t in score.tatanan} == table
    assert score.overall == overall
    assert score.minimum == Decimal("88.46")
    assert score.odf == Decimal(100)
    assert score.kelembagaan_met
    assert score.tier == "wiwerda"
    assert score.tier_label == tier
