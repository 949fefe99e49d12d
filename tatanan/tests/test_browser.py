"""The catalogue on a phone, and the upload in a desktop browser."""

import pytest

from conftest import browser_login
from tatanan.importer import instrument_import
from tatanan.models import Cycle, Indicator

from .workbooks import REAL_WORKBOOK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle_2025(transactional_db, shipped_catalogue):
    return Cycle.objects.get(award_year=2025)


def test_indicators_are_readable_on_a_phone(phone, sari, cycle_2025):
    instrument_import(cycle=cycle_2025, file=REAL_WORKBOOK)
    browser_login(phone, "sari")

    phone.goto("/tatanan/2025/")
    phone.click("[data-code=KSM]")
    phone.wait_for_url("**/tatanan/2025/KSM/")
    assert phone.locator("article.indicator").count() == 29
    first = phone.locator("#indikator-1")
    assert first.locator(".scale-value").all_inner_texts() == ["100", "50", "0"]
    assert not first.locator("dl").is_visible()
    first.locator("summary").click()
    assert first.locator("dl").is_visible()
    # Long criteria wrap instead of pushing the page sideways.
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_superuser_uploads_the_instrument(desktop, root_user, cycle_2025):
    browser_login(desktop, "root")

    desktop.goto("/tatanan/impor/")
    desktop.select_option("select[name=cycle]", str(cycle_2025.pk))
    desktop.set_input_files("input[name=file]", str(REAL_WORKBOOK))
    desktop.click("#instrument-upload-form [type=submit]")
    desktop.locator("#import-summary").wait_for()

    assert "Impor selesai. 152 dibuat" in desktop.locator("#import-summary").inner_text()
    assert desktop.locator("#import-rows tbody tr").count() == 152
    assert Indicator.objects.filter(cycle=cycle_2025).count() == 136
