"""A browser set to English (en-US) still gets the Indonesian portal; English only from the
switch (issue 12: "a browser set to English gets the English UI ('Body' for Lembaga)")."""

import pytest

from conftest import browser_login, browser_open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
