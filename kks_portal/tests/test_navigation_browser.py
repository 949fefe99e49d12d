"""The role-aware menu on a phone (issue 12): it opens from the toggler, holds the role's work only,
every item is a tap target of at least 44 px, and the section shown is marked."""

import os
from pathlib import Path

import pytest

from conftest import browser_login, browser_open_menu
from forums.models import Body
from forums.tests.factories import BodyFactory
from indicators.tests.factories import AssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TAP = 44  # px, the smallest comfortable touch target


@pytest.fixture
def shots(tmp_path):
    """Where the screenshots go: KKS_SHOTS_DIR to look at them, else the test's own folder."""
    folder = Path(os.environ.get("KKS_SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def menu_labels(page) -> list[str]:
    return [text.strip() for text in page.locator("#main-menu a.nav-link").all_inner_texts()]


def small_targets(page) -> list[str]:
    """The tappable things of the open menu lower than ``MIN_TAP``."""
    return page.evaluate(
        """(min) => [...document.querySelectorAll(
              '#mainnav a.nav-link, #mainnav select, #mainnav button, .navbar-toggler')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => el.getBoundingClientRect().height < min)
            .map((el) => `${el.id || el.textContent.trim()}: ${el.getBoundingClientRect().height}px`)""",
        MIN_TAP,
    )


def test_sari_opens_her_menu_on_a_phone_and_finds_her_forum(phone, sari, wilayah, shots):
    forum = BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    browser_login(phone, "sari")
    assert not phone.locator("#mainnav").is_visible()
    browser_open_menu(phone)
    phone.screenshot(path=str(shots / "menu-sari-phone.png"))
    assert menu_labels(phone) == ["Beranda", "Lembaga", "Kegiatan"]
    assert phone.locator("#main-menu [aria-current=page]").inner_text().strip() == "Beranda"
    assert small_targets(phone) == []
    with phone.expect_navigation():
        phone.locator("#main-menu a", has_text="Kegiatan").click()
    assert phone.url.endswith(f"/bukti/lembaga/{forum.pk}/kegiatan/")
    browser_open_menu(phone)
    assert phone.locator("#main-menu [aria-current=page]").inner_text().strip() == "Kegiatan"
    phone.screenshot(path=str(shots / "menu-sari-kegiatan-phone.png"))


def test_rina_opens_her_menu_on_a_phone_and_reaches_the_dossier(phone, rina, wilayah, shipped_catalogue, shots):
    assessment = AssessmentFactory(kabupaten=wilayah["serang"], entries=False)
    browser_login(phone, "rina")
    browser_open_menu(phone)
    phone.screenshot(path=str(shots / "menu-rina-phone.png"))
    assert menu_labels(phone) == [
        "Beranda",
        "Lembaga",
        "Penilaian",
        "Dossier",
        "Pengguna",
        "OPD",
        "Katalog",
        "Wilayah",
    ]
    assert small_targets(phone) == []
    with phone.expect_navigation():
        phone.locator("#main-menu a", has_text="Dossier").click()
    assert phone.url.endswith(f"/dossier/{assessment.pk}/")
    browser_open_menu(phone)
    assert phone.locator("#main-menu [aria-current=page]").inner_text().strip() == "Dossier"
    phone.screenshot(path=str(shots / "menu-rina-dossier-phone.png"))


@pytest.mark.parametrize("width", [992, 1366])
def test_the_superusers_long_menu_stays_on_a_laptop_screen(browser, live_server, root_user, shots, width):
    """The superuser's menu is the longest: it wraps instead of pushing the account menu off screen."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    try:
        browser_login(page, "root")
        page.screenshot(path=str(shots / f"menu-root-{width}.png"))
        right = page.evaluate("document.querySelector('#user-menu').getBoundingClientRect().right")
        assert right <= width, f"the account menu ends at {right}px on a {width}px screen"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()
