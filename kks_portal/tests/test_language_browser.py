"""A browser set to English (en-US) still gets the Indonesian portal; English only from the
switch (issue 12: "a browser set to English gets the English UI ('Body' for Lembaga)")."""

import pytest

from conftest import PHONE, browser_login, browser_open_menu, fail_on_csp_violations, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_phone(browser, live_server):
    """A phone whose browser asks for English (Accept-Language and navigator.language en-US)."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", **PHONE)
    context.set_default_timeout(15000)
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    fail_on_csp_violations(violations)


def test_an_english_browser_sees_indonesian_until_english_is_chosen(english_phone, sari):
    page = english_phone
    assert page.evaluate("navigator.language") == "en-US"
    page.goto("/akun/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Masuk ke KKS Portal"
    browser_login(page, "sari")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Selamat datang" in page.locator("h1").inner_text()
    browser_open_menu(page)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in page.locator("h1").inner_text()
    browser_open_menu(page)
    with page.expect_navigation():
        page.select_option("#language-select", "id")
    assert "Selamat datang" in page.locator("h1").inner_text()
