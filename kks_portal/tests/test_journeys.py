"""The foundation's first browser journey, on the real demo data (``seed_demo``): every demo
role logs in on a phone and lands on its own dashboard card; a secretary switches language and
goes from her card to her kecamatan and one of its desa. Later issues add their journeys beside this one."""

import pytest
from django.core.management import call_command

from conftest import browser_login, browser_logout, browser_open_menu
from demo.services import DEMO_USERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "jalan-sehat-2025"


@pytest.fixture
def demo(live_server):
    # Loads Banten and Jawa Barat from the shipped Kemendagri files, then the demo users.
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_demo_role_logs_in_and_sees_its_own_dashboard(phone, demo):
    for demo_user in DEMO_USERS:
        browser_login(phone, demo_user.username, PASSWORD)
        card_role = demo_user.role or "superuser"
        card = phone.locator(f"[data-role={card_role}]").first
        assert card.is_visible(), f"{demo_user.username}: no {card_role} card"
        if demo_user.region_code:
            # The card names the region the role is scoped to.
            assert demo_user.serves.split()[-1] in card.inner_text(), demo_user.username
        browser_logout(phone)
        assert "/akun/masuk/" in phone.url


def test_secretary_switches_language_and_browses_down_to_her_desa(phone, demo):
    browser_login(phone, "fks.carenang", PASSWORD)
    browser_open_menu(phone)
    with phone.expect_navigation():
        phone.select_option("#language-select", "en")
    assert phone.locator("html").get_attribute("lang") == "en"
    # Her menu holds her work only (issue 12); her kecamatan is one tap away on her dashboard card.
    with phone.expect_navigation():
        phone.locator("[data-role=secretary] a", has_text="View region").click()
    assert "Carenang" in phone.locator("h1").inner_text()
    # Carenang's desa, with their real names; the secretary's own area is marked.
    rows = phone.locator("table").inner_text()
    for desa in ["Pamanuk", "Mandaya", "Teras", "Walikukun"]:
        assert desa in rows
    assert "Your working area" in phone.locator("main").inner_text()
    with phone.expect_navigation():
        phone.locator("table a").filter(has_text="Pamanuk").first.click()
    assert "36.04.17.2002" in phone.locator("main").inner_text()
    # Back to Indonesian: the same page, translated.
    browser_open_menu(phone)
    with phone.expect_navigation():
        phone.select_option("#language-select", "id")
    assert "Kode" in phone.locator("main").inner_text() or "Desa" in phone.locator("main").inner_text()
