"""Bappeda opens an older round from a filled workbook in a desktop browser (issue 13 item 5)."""

from pathlib import Path

import pytest
from django.conf import settings

from conftest import axe_check, browser_login
from indicators.models import Assessment
from tatanan.importer import instrument_import
from tatanan.models import Cycle
from tatanan.tests.workbooks import to_file, workbook_2023_field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.VAR_DIR) / "screens"


def test_bappeda_opens_the_2023_round_from_the_provinces_file(desktop, rina, wilayah, shipped_catalogue, tmp_path):
    cycle = Cycle.objects.get(award_year=2023)
    assert instrument_import(cycle=cycle, file=to_file(workbook_2023_field())).imported
    path = tmp_path / "instrumen-terisi-2023.xlsx"
    path.write_bytes(to_file(workbook_2023_field()).getvalue())
    browser_login(desktop, "rina")

    desktop.goto("/penilaian/")
    desktop.click("#file-open-link")
    desktop.wait_for_url("**/penilaian/impor-berkas/")
    axe_check(desktop)
    desktop.select_option("select[name=cycle]", "2023")
    desktop.select_option("select[name=category]", "padapa")
    desktop.set_input_files("input[name=file]", str(path))
    desktop.click("#assessment-file-open-form [type=submit]")
    desktop.locator("#import-summary").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop.screenshot(path=str(SHOTS / "file-open-report.png"), full_page=True)

    assert "Impor selesai" in desktop.locator("#import-summary").inner_text()
    assessment = Assessment.objects.get(kabupaten=wilayah["serang"], cycle=cycle)
    assert sorted(assessment.tatanan.values_list("code", flat=True)) == ["KSM", "PLS", "PSR"]
    axe_check(desktop)

    desktop.click("#open-assessment")
    desktop.wait_for_url(f"**/penilaian/{assessment.pk}/")
    desktop.goto(f"/penilaian/{assessment.pk}/kelembagaan/")
    item = desktop.locator("[data-item=tim_pembina-sk]")
    assert "https://drive.example.org/sk-tp" in item.inner_text()
    assert "SK masih berlaku" in item.inner_text()
    desktop.screenshot(path=str(SHOTS / "kelembagaan-imported.png"), full_page=True)
