"""Rina assigns entries of two tatanan to an OPD in a real browser, on a desktop and on a phone:
"Pilih semua" works without a reload, the action bar stays on screen, an error keeps every tick."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.tests.factories import OpdFactory
from conftest import browser_login
from indicators.models import DataRequest, IndicatorEntry
from tatanan.models import Indicator

from .conftest import entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-I")


def bar_on_screen(page):
    box = page.locator("#assign-bar").bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 1


def opd_of(page, e):
    return page.locator(f"tr[data-entry='{e.pk}'] td[data-col=opd]").inner_text()


def long_pasar(assessment, n=24):
    """More Pasar entries, unassigned: a list as long as a real tatanan's, so the page scrolls."""
    pasar = entry(assessment, "PSR", "1").indicator.tatanan
    for number in range(3, 3 + n):
        indicator = Indicator.objects.create(
            cycle=assessment.cycle, tatanan=pasar, number=str(number), order=number, name=f"Tambahan pasar {number}"
        )
        IndicatorEntry.objects.create(assessment=assessment, indicator=indicator)


def checked(page):
    boxes = page.locator("#assign-form input[name=entries]:checked")
    return {boxes.nth(i).get_attribute("value") for i in range(boxes.count())}


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_rina_ticks_in_two_tatanan_uses_pilih_semua_and_saves(request, device, rina, assessment, wilayah):
    page = request.getfixturevalue(device)
    SHOTS.mkdir(exist_ok=True)
    dlh = OpdFactory(kabupaten=wilayah["serang"], name="Dinas Lingkungan Hidup", short_name="DLH")
    psr1, psr2 = entry(assessment, "PSR", "1"), entry(assessment, "PSR", "2")
    pdd1, pdd2 = entry(assessment, "PDD", "1"), entry(assessment, "PDD", "2")
    long_pasar(assessment)
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    browser_login(page, "rina")
    page.goto(f"/penilaian/{assessment.pk}/permintaan-data/tugaskan/")
    assert [opd_of(page, e) for e in (psr1, psr2, pdd1, pdd2)] == ["Dinkes", "Dinkes", "Disdik", "Disdik"]
    assert page.evaluate("document.documentElement.scrollHeight") > page.viewport_size["height"] * 1.5
    assert bar_on_screen(page)
    page.screenshot(path=str(SHOTS / f"assign-top-{device}.png"))
    url = page.url

    # One tick in Pasar, "Pilih semua" of Pendidikan: no reload, the count follows.
    page.check(f"#entry-{psr2.pk}")
    page.click("details[data-tatanan=PDD] [data-pick=all]")
    assert checked(page) == {str(psr2.pk), str(pdd1.pk), str(pdd2.pk)}
    assert page.locator("[data-selected-count]").inner_text() == "3"
    assert page.locator("details[data-tatanan=PDD] [data-group-count]").inner_text() == "2"

    # The filter shows only matching rows; "Kosongkan" then clears only those.
    page.fill("#entry-filter", "Indikator S2")
    assert page.locator("tr[data-entry]:visible").count() == 1
    assert page.locator("details[data-tatanan=PSR]").is_hidden()
    page.click("#assign-tools [data-pick=none]")
    assert checked(page) == {str(psr2.pk), str(pdd1.pk)}
    page.fill("#entry-filter", "")
    page.click("details[data-tatanan=PDD] [data-pick=all]")
    assert page.locator("[data-selected-count]").inner_text() == "3"
    assert page.url == url

    # The bar stays on screen wherever the list is scrolled.
    page.locator(f"#entry-{pdd2.pk}").scroll_into_view_if_needed()
    assert bar_on_screen(page)
    page.fill("#assign-form input[name=deadline]", deadline.isoformat())
    page.fill("#assign-form textarea[name=message]", "Mohon data dua tahun.")
    page.screenshot(path=str(SHOTS / f"assign-{device}.png"))

    # Saving without an OPD: the page comes back with every tick and field as typed.
    with page.expect_navigation():
        page.click("#assign-bar [type=submit]")
    assert "Pilih OPD yang diminta datanya." in page.locator("#assign-errors").inner_text()
    assert checked(page) == {str(psr2.pk), str(pdd1.pk), str(pdd2.pk)}
    assert page.input_value("#assign-form input[name=deadline]") == deadline.isoformat()
    assert page.input_value("#assign-form textarea[name=message]") == "Mohon data dua tahun."
    assert page.locator("[data-selected-count]").inner_text() == "3"
    page.screenshot(path=str(SHOTS / f"assign-error-{device}.png"), full_page=True)

    page.select_option("#assign-form select[name=opd]", label=str(dlh))
    with page.expect_navigation():
        page.click("#assign-bar [type=submit]")
    page.wait_for_url(f"**/penilaian/{assessment.pk}/permintaan-data/")
    assert f"3 indikator diminta dari DLH, tenggat {deadline:%d-%m-%Y}." in page.locator(".alert").first.inner_text()
    page.screenshot(path=str(SHOTS / f"assign-saved-{device}.png"))

    assert set(assessment.indicator_entries.filter(assigned_opd=dlh)) == {psr2, pdd1, pdd2}
    psr1.refresh_from_db()
    assert psr1.assigned_opd.short_name == "Dinkes"
    data_request = DataRequest.objects.get(assessment=assessment, opd=dlh)
    assert (data_request.deadline, data_request.message) == (deadline, "Mohon data dua tahun.")

    # Back on the page, "OPD saat ini" shows the new OPD.
    page.goto(f"/penilaian/{assessment.pk}/permintaan-data/tugaskan/")
    assert [opd_of(page, e) for e in (psr1, psr2, pdd1, pdd2)] == ["Dinkes", "DLH", "DLH", "DLH"]
    assert errors == []
