"""A Pokja secretary drafts and submits her work plan from a phone."""

import os
from pathlib import Path

import pytest

from conftest import browser_login
from forums.models import WorkPlan
from tatanan.models import Tatanan
from tatanan.tests.factories import official_catalogue_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dewi_drafts_and_submits_on_her_phone(shipped_catalogue, phone, dewi, pokja_carenang, tmp_path):
    official_catalogue_in(2025)  # the 2025 round is the one being run (2027's instrument is not in)
    browser_login(phone, "dewi")
    phone.goto(f"/forum/lembaga/{pokja_carenang.pk}/rencana-kerja/")
    # The 2025 round's data years come first and the first of them is chosen (issue 12).
    year = phone.locator("select[name=year]")
    assert year.input_value() == "2023"
    assert year.locator("option").all_inner_texts()[:2] == ["2023", "2024"]
    shots = Path(os.environ.get("KKS_SHOTS_DIR") or tmp_path)  # a folder to look at the screens in
    shots.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(shots / "workplan-year-dewi.png"), full_page=True)
    with phone.expect_navigation():
        phone.click("#work-plan-create [type=submit]")
    phone.click("#add-item")
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    phone.select_option("select[name=tatanan]", str(ksm.pk))
    phone.fill("textarea[name=activity]", "Kerja bakti bersih desa")
    phone.fill("input[name=budget]", "1500000")
    phone.select_option("select[name=funding_source]", "apbdes_dana_desa")
    with phone.expect_navigation():
        phone.click("#work-plan-item [type=submit]")
    assert phone.locator("#grand-total").inner_text() == "Rp 1.500.000"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with phone.expect_navigation():
        phone.click("#submit-plan")
    plan = WorkPlan.objects.get(body=pokja_carenang)
    assert (plan.year, plan.status) == (2023, WorkPlan.Status.SUBMITTED)
