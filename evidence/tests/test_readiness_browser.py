"""The readiness pages on a phone: Bappeda follows a kecamatan down to a desa and an indicator's
evidence, a kecamatan secretary opens her own kecamatan; nothing scrolls sideways."""

import pytest

from conftest import browser_login, browser_logout
from evidence.tests import readiness_world
from evidence.tests.readiness_world import YEARS, attach_requirement, complete_activity, requirement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

bodies = readiness_world.bodies
evidence_cycle = readiness_world.evidence_cycle
evidence_assessment = readiness_world.evidence_assessment


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_bappeda_and_a_secretary_follow_readiness_on_a_phone(phone, rina, sari, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_carenang"], year)
        complete_activity(bodies["pokja_carenang"], year)
    attach_requirement(evidence_assessment, requirement(evidence_assessment.cycle, "PSR", "1"), 2020)

    browser_login(phone, "rina")
    phone.goto(f"/bukti/kesiapan/{evidence_assessment.pk}/")
    assert phone.locator("#bodies-ready").inner_text() == "2/6"
    assert phone.locator("#indicators-complete").inner_text() == "1/4"
    assert _no_sideways_scroll(phone)
    # Down to the desa of Carenang.
    with phone.expect_navigation():
        phone.locator('#kecamatan-table tr[data-code="36.04.17"] a').first.click()
    assert "Pokja belum dibentuk di portal." in phone.locator('#desa-table tr[data-code="36.04.17.2002"]').inner_text()
    assert _no_sideways_scroll(phone)
    # An indicator's evidence, by requirement and year.
    phone.goto(f"/bukti/penilaian/{evidence_assessment.pk}/")
    assert _no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.locator("#tatanan-PSR tbody tr a").first.click()
    assert phone.locator("#indicator-status").inner_text() == "belum lengkap"
    assert phone.locator(".upload-link").count() == 3  # the report for 2020 and 2021, the screenshots for 2021
    assert _no_sideways_scroll(phone)
    browser_logout(phone)

    browser_login(phone, "sari")
    phone.goto(f"/bukti/kesiapan/{evidence_assessment.pk}/kecamatan/36.04.17/")
    assert phone.locator("h1").inner_text().startswith("Kesiapan bukti kegiatan · Kecamatan Carenang")
    assert _no_sideways_scroll(phone)
    response = phone.goto(f"/bukti/kesiapan/{evidence_assessment.pk}/kecamatan/36.04.18/")
    assert response.status == 404
