"""A Pokja secretary drafts and submits her work plan from a phone."""

import pytest

from conftest import browser_login
from forums.models import WorkPlan
from tatanan.models import Tatanan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls("forums.tests.urls")]


def test_dewi_drafts_and_submits_on_her_phone(shipped_catalogue, phone, dewi, pokja_carenang):
    browser_login(phone, "dewi")
    phone.goto(f"/forum/lembaga/{pokja_carenang.pk}/rencana-kerja/")
    phone.fill("input[name=year]", "2025")
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
    assert WorkPlan.objects.get(body=pokja_carenang).status == WorkPlan.Status.SUBMITTED
