"""The shell in a real browser on a phone-sized screen: log in, see the role's dashboard,
switch language, log out."""

import pytest

from conftest import browser_login, browser_logout, browser_open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_on_a_phone_and_sees_their_dashboard(phone, sari):
    browser_login(phone, "sari")
    assert phone.locator("[data-role=secretary]").is_visible()
    assert "Carenang" in phone.locator("[data-role=secretary]").inner_text()
    # The navigation collapses behind the toggler on a phone and opens on tap.
    assert not phone.locator("#mainnav").is_visible()
    browser_logout(phone)
    assert "/akun/masuk/" in phone.url
    assert phone.locator("input[name=username]").is_visible()


def test_wrong_password_shows_an_indonesian_message(phone, sari):
    browser_login(phone, "sari", "salah-sekali")
    assert phone.url.endswith("/akun/masuk/")
    assert "tidak benar" in phone.locator("#login-form").inner_text().lower()  # "… kata sandi tidak benar"


def test_repeated_wrong_passwords_lock_the_login_with_a_time_to_try_again(phone, sari):
    for n in range(5):
        browser_login(phone, "sari", f"salah-{n}")
    lockout = phone.locator("#lockout-message")
    assert lockout.is_visible()
    assert "Coba lagi pukul" in lockout.inner_text()
    # The form is there again, with the username kept, for the try after the cooldown.
    assert phone.locator("input[name=username]").input_value() == "sari"


def test_language_switch_to_english_and_back(phone, sari):
    browser_login(phone, "sari")
    assert phone.locator("html").get_attribute("lang") == "id"
    browser_open_menu(phone)
    with phone.expect_navigation():
        phone.select_option("#language-select", "en")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in phone.locator("h1").inner_text()
    browser_open_menu(phone)
    with phone.expect_navigation():
        phone.select_option("#language-select", "id")
    assert "Selamat datang" in phone.locator("h1").inner_text()


def test_pages_load_no_asset_from_outside(phone, sari, live_server):
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    browser_login(phone, "sari")
    phone.goto("/wilayah/")
    phone.goto("/api/docs/")
    phone.wait_for_load_state("networkidle")
    assert any("/static/" in url for url in requested)
    outside = [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
    assert outside == []
