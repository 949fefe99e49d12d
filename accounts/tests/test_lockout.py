"""Login lockout (django-axes) on the web login and the API token, its cooldown and the ways an
admin lifts it earlier; the password reset's throttle."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCKED = "Terlalu banyak percobaan masuk yang gagal"
WRONG_LOGIN = "Nama pengguna atau kata sandi tidak benar."  # accounts.forms.LoginForm


def login_post(client, username, password, address=None):
    extra = {"HTTP_X_FORWARDED_FOR": address} if address else {}
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def ask_token(client, username, password, address=None):
    extra = {"HTTP_X_FORWARDED_FOR": address} if address else {}
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, content_type="application/json", **extra
    )


def addresses(count):
    return [f"198.51.100.{n}" for n in range(1, count + 1)]


def text(response):
    return response.content.decode()


def assert_locked_page(response):
    assert response.status_code == 429
    assert LOCKED in text(response)
    assert "Coba lagi pukul" in text(response)
    assert 'id="login-form"' in text(response)  # the login page again, not a bare page
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def assert_locked_api(response):
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == 429
    assert body["error"]["code"] == "locked_out"
    assert LOCKED in body["error"]["message"]
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def assert_signed_in(client, username):
    response = client.get("/api/me/")
    assert response.status_code == 200
    assert response.json()["username"] == username


def let_cooldown_pass(minutes=15):
    """Move every recorded failure ``minutes`` (and a second) into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes, seconds=1))


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    # The defaults of settings.py, stated so that the counts below read plainly; the token
    # throttle (per address) must not answer before the lockout does.
    settings.AXES_FAILURE_LIMIT = 5
    settings.KKS_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.KKS_TRUSTED_PROXIES = 0
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "1000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


# --- Web login ---------------------------------------------------------------------------------------


def test_thirty_wrong_passwords_lock_the_account_on_the_web_login(client, rina, password):
    responses = [login_post(client, "rina", f"tebakan-{n}") for n in range(30)]

    for response in responses[:4]:
        assert response.status_code == 200
        assert WRONG_LOGIN in text(response)
    for response in responses[4:]:  # from the 5th failure on
        assert_locked_page(response)
    assert_locked_page(login_post(client, "rina", password))  # the right password too
    assert client.get("/api/me/").status_code in (401, 403)
    # Tries while locked are refused uncounted: the lock does not grow with them.
    assert AccessAttempt.objects.get(username="rina").failures_since_start == 5


def test_the_forwarded_header_is_ignored_without_trusted_proxies(client, rina, password):
    for address in addresses(30):
        response = login_post(client, "rina", "tebakan", address)
    assert_locked_page(response)
    assert_locked_page(login_post(client, "rina", password, "203.0.113.200"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_one_account_tried_from_many_addresses_still_locks(client, settings, rina, password):
    settings.KKS_TRUSTED_PROXIES = 1
    for address in addresses(30):
        response = login_post(client, "rina", "tebakan", address)
    assert_locked_page(response)
    assert_locked_page(login_post(client, "rina", password, "203.0.113.200"))  # an address never seen
    assert AccessAttempt.objects.filter(username="rina").count() == 5  # one failure from each of 5 addresses


def test_one_address_trying_many_accounts_locks_the_address(client, settings, sari, password):
    settings.KKS_TRUSTED_PROXIES = 1
    for n in range(30):
        login_post(client, f"orang{n}", "tebakan", "203.0.113.9")

    assert_locked_page(login_post(client, "sari", password, "203.0.113.9"))
    assert login_post(client, "sari", password, "203.0.113.10").status_code == 302  # sari herself is not locked


def test_an_office_behind_one_address_is_not_locked_by_its_typos(client, settings, sari, password):
    """Twenty-nine failures of ten people behind one NAT: nobody's account reached five, the
    address has not reached its own limit, so a colleague still gets in."""
    settings.KKS_TRUSTED_PROXIES = 1
    for n in range(29):
        response = login_post(client, f"pegawai{n % 10}", "salah-ketik", "203.0.113.50")
        assert response.status_code == 200
    assert login_post(client, "sari", password, "203.0.113.50").status_code == 302


def test_the_right_password_works_again_after_the_cooldown(client, rina, password):
    for n in range(5):
        login_post(client, "rina", f"tebakan-{n}")
    let_cooldown_pass(minutes=14)
    assert_locked_page(login_post(client, "rina", password))

    let_cooldown_pass(minutes=1)
    assert login_post(client, "rina", password).status_code == 302
    assert_signed_in(client, "rina")


def test_the_lockout_message_says_when_to_try_again(client, rina):
    for n in range(5):
        response = login_post(client, "rina", f"tebakan-{n}")
    # 15 minutes after the 5th failure, in the portal's time zone (WIB).
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert "WIB" in text(response)
    assert "sekitar 15 menit lagi" in text(response)


def test_a_lockout_is_logged_with_the_address_and_the_username(client, settings, rina, caplog):
    settings.KKS_TRUSTED_PROXIES = 1
    with caplog.at_level(logging.WARNING):
        for n in range(6):
            login_post(client, "rina", f"tebakan-{n}", "203.0.113.77")
    lines = [r.getMessage() for r in caplog.records if r.name == "accounts.lockout"]
    assert lines == ["Login refused, locked out: username=rina address=203.0.113.77 path=/akun/masuk/"] * 2
    assert any("Locking out" in r.getMessage() and "203.0.113.77" in r.getMessage() for r in caplog.records)


# --- API token ------------------------------------------------------------------------------------------


def test_thirty_wrong_passwords_lock_the_account_on_the_token_endpoint(client, rina, password):
    responses = [ask_token(client, "rina", f"tebakan-{n}") for n in range(30)]

    for response in responses[:4]:
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_credentials"
    for response in responses[4:]:
        assert_locked_api(response)
    assert_locked_api(ask_token(client, "rina", password))
    # The failures went through axes: recorded against rina and the caller's address.
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("rina", "127.0.0.1", 5)
    assert attempt.path_info == "/api/auth/token/"


def test_the_token_endpoint_locks_an_account_tried_from_many_addresses(client, settings, rina, password):
    settings.KKS_TRUSTED_PROXIES = 1
    for address in addresses(30):
        response = ask_token(client, "rina", "tebakan", address)
    assert_locked_api(response)
    assert_locked_api(ask_token(client, "rina", password, "203.0.113.200"))


def test_web_and_api_failures_count_together(client, rina, password):
    for n in range(3):
        login_post(client, "rina", f"tebakan-{n}")
    ask_token(client, "rina", "tebakan-3")
    assert_locked_api(ask_token(client, "rina", "tebakan-4"))
    assert_locked_page(login_post(client, "rina", password))


def test_a_token_after_the_cooldown(client, rina, password):
    for n in range(5):
        ask_token(client, "rina", f"tebakan-{n}")
    let_cooldown_pass()
    response = ask_token(client, "rina", password)
    assert response.status_code == 200
    assert response.json()["token"]


# --- Unlocking earlier ----------------------------------------------------------------------------------


def test_the_reset_username_command_unlocks(client, rina, password):
    for n in range(5):
        login_post(client, "rina", f"tebakan-{n}")
    call_command("axes_reset_username", "rina")
    assert login_post(client, "rina", password).status_code == 302


def test_the_reset_ip_command_unlocks_the_address(client, settings, sari, password):
    settings.KKS_TRUSTED_PROXIES = 1
    for n in range(30):
        login_post(client, f"orang{n}", "tebakan", "203.0.113.9")
    assert_locked_page(login_post(client, "sari", password, "203.0.113.9"))
    call_command("axes_reset_ip", "203.0.113.9")
    assert login_post(client, "sari", password, "203.0.113.9").status_code == 302


def test_the_bappeda_admin_unlocks_a_user_of_the_kabupaten(client, client_for, rina, sari, password):
    for n in range(5):
        login_post(client, "sari", f"tebakan-{n}", None)
    admin = client_for(rina)
    detail = admin.get(reverse("accounts:user_detail", args=[sari.pk]))
    assert 'id="locked"' in text(detail)

    response = admin.post(reverse("accounts:user_unlock", args=[sari.pk]), follow=True)
    assert "Kunci masuk akun Sari Carenang dibuka" in text(response)
    assert 'id="locked"' not in text(response)
    admin.logout()
    assert login_post(client, "sari", password).status_code == 302


def test_the_unlock_button_shows_only_for_a_locked_user(client_for, rina, sari):
    detail = client_for(rina).get(reverse("accounts:user_detail", args=[sari.pk]))
    assert 'id="unlock"' not in text(detail)


def test_a_secretary_cannot_unlock(client, client_for, sari, tono):
    for n in range(5):
        login_post(client, "tono", f"tebakan-{n}")
    response = client_for(sari).post(reverse("accounts:user_unlock", args=[tono.pk]))
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="tono").exists()


# --- Password reset -------------------------------------------------------------------------------------


def reset_post(client, email, address=None):
    extra = {"HTTP_X_FORWARDED_FOR": address} if address else {}
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_password_reset_is_throttled_per_address(client, sari, mailoutbox):
    for n in range(10):
        assert reset_post(client, f"orang{n}@example.org").status_code == 302
    response = reset_post(client, "sari@example.org")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan tautan reset kata sandi. Coba lagi dalam 60 menit." in text(response)
    assert 59 * 60 < int(response["Retry-After"]) <= 60 * 60
    assert mailoutbox == []


def test_password_reset_is_throttled_per_email_from_any_address(client, settings, sari, mailoutbox):
    settings.KKS_TRUSTED_PROXIES = 1
    for address in addresses(3):
        assert reset_post(client, "Sari@Example.org", address).status_code == 302
    response = reset_post(client, "sari@example.org", "203.0.113.200")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in text(response)
    assert len(mailoutbox) == 3
    assert reset_post(client, "tono@example.org", "203.0.113.200").status_code == 302  # other e-mails go on


def test_password_reset_throttle_tells_nothing_about_the_account(client, settings, sari):
    settings.KKS_TRUSTED_PROXIES = 1
    answers = {}
    for email in ("sari@example.org", "tidak-ada@example.org"):
        for address in addresses(3):
            reset_post(client, email, address)
        response = reset_post(client, email, "203.0.113.200")
        errors = re.findall(r'role="alert"[^>]*>(.*?)</div>', text(response), flags=re.S)
        answers[email] = (response.status_code, [" ".join(e.split()) for e in errors])
    assert answers["sari@example.org"] == answers["tidak-ada@example.org"]
    assert answers["sari@example.org"][0] == 429


def test_the_admin_login_counts_and_locks_too(client, root_user, password):
    for n in range(5):
        response = client.post("/admin/login/", {"username": "root", "password": f"tebakan-{n}"})
    assert_locked_page(response)
    assert_locked_page(login_post(client, "root", password))


def test_a_completed_password_reset_ends_the_lockout(client, sari, mailoutbox):
    for n in range(5):
        login_post(client, "sari", f"tebakan-{n}")
    client.post(reverse("password_reset"), {"email": "sari@example.org"})
    link = re.search(r"http://testserver(/akun/kata-sandi/reset/\S+/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Baru-sekali-2025", "new_password2": "Baru-sekali-2025"})
    assert response.url == reverse("password_reset_complete")

    assert login_post(client, "sari", "Baru-sekali-2025").status_code == 302


def test_an_overlong_username_is_refused_before_it_is_counted(client):
    response = ask_token(client, "x" * 300, "tebakan")
    assert response.status_code == 400
    assert "username" in response.json()["error"]["fields"]
    assert not AccessAttempt.objects.exists()
