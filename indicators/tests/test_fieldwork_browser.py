"""Field work in a real browser: ODF ticked desa by desa and a titik pantau added on a phone."""

import pytest

from conftest import browser_login
from indicators.models import TitikPantau
from indicators.selectors import odf_percent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rina_ticks_stop_babs_desa_and_adds_a_titik_pantau_on_a_phone(phone, assessment, tmp_path):
    browser_login(phone, "rina")

    phone.goto(f"/penilaian/{assessment.pk}/")
    phone.click("#fieldwork-links >> text=Status ODF")
    phone.wait_for_url(f"**/penilaian/{assessment.pk}/odf/")
    phone.click("[data-kecamatan='36.04.17']")
    phone.wait_for_url("**/odf/36.04.17/")
    phone.check("input[value='36.04.17.2002']")
    phone.click("#odf-checklist-form [type=submit]")
    phone.wait_for_url(f"**/penilaian/{assessment.pk}/odf/")
    assert phone.locator("#odf-percent").inner_text() == "50,00 %"
    assert "Desa ODF kabupaten: 50,00 %." in phone.locator(".alert").inner_text()  # regions/words.py
    assert phone.locator("[data-kecamatan='36.04.17'] .odf-count").inner_text() == "1/2 ODF"
    phone.screenshot(path=str(tmp_path / "odf.png"), full_page=True)

    phone.goto(f"/penilaian/{assessment.pk}/titik-pantau/")
    phone.click("#add-titik-pantau")
    phone.select_option("select[name=tatanan]", label="PSR – Pasar Sehat")
    phone.fill("input[name=name]", "Pasar Baros")
    phone.select_option("select[name=kind]", "pasar")
    phone.select_option("select[name=desa]", "36.04.17.2001")
    phone.fill("input[name=latitude]", "-6.12")
    phone.fill("input[name=longitude]", "106.25")
    phone.click("#titik-pantau-form [type=submit]")
    phone.wait_for_url(f"**/penilaian/{assessment.pk}/titik-pantau/")
    assert "Pasar Baros" in phone.locator("[data-tatanan=PSR]").inner_text()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    phone.screenshot(path=str(tmp_path / "titik.png"), full_page=True)
    assert overflow <= 0

    assert odf_percent(assessment) == 50
    assert TitikPantau.objects.get().desa_id == "36.04.17.2001"
