"""The year of a new work plan (issue 12: "A Pokja's work plan defaults to 2026 while the secretary's
home asks for 2023 and 2024"): the form offers the current round's data years first, the first
one without a plan chosen, the same years the secretary's home asks for."""

import datetime
import re

import pytest
from django.urls import reverse

from forums.models import WorkPlan
from forums.workplans.selectors import work_plan_years
from tatanan.tests.factories import official_catalogue_in as catalogue_in

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _round_2025_running(db):
    """The 2025 round is the one being run: its instrument is in, 2027's is not yet
    (``forums.kelembagaan.services.current_cycle``)."""
    catalogue_in(2025)


def year_select(html: str) -> str:
    match = re.search(r'<select name="year".*?</select>', html, re.S)
    assert match, "no year select on the page"
    return match.group(0)


def offered(html: str) -> list[int]:
    return [int(y) for y in re.findall(r'<option value="(\d+)"', year_select(html))]


def selected(html: str) -> list[int]:
    return [int(y) for y in re.findall(r'<option value="(\d+)"[^>]*selected', year_select(html))]


def list_page(client, body):
    response = client.get(reverse("forums:work_plan_list", args=[body.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_dewi_gets_the_2025_rounds_data_years_first_and_2023_chosen(client_for, dewi, pokja_carenang):
    html = list_page(client_for(dewi), pokja_carenang)
    assert offered(html)[:2] == [2023, 2024]
    assert selected(html) == [2023]
    # The data years stand in a group of their own, named after the round, the others after it.
    select = year_select(html)
    assert select.index('label="Tahun data Swasti Saba 2025"') < select.index('label="Tahun lain"')
    assert select.index('value="2024"') < select.index('label="Tahun lain"')
    assert "Penilaian memakai rencana kerja tahun 2023 dan 2024." in html


def test_the_years_are_those_the_secretarys_home_asks_for(client_for, dewi, pokja_carenang):
    client = client_for(dewi)
    home = client.get(reverse("forums:secretary_home")).content.decode()
    assert "Susun rencana kerja dan anggaran tahun 2023 dan 2024" in home
    assert offered(list_page(client, pokja_carenang))[:2] == [2023, 2024]


def test_once_2023_has_a_plan_2024_is_chosen_then_the_next_year_without_one(client_for, dewi, pokja_carenang):
    client = client_for(dewi)
    WorkPlan.objects.create(body=pokja_carenang, year=2023)
    assert selected(list_page(client, pokja_carenang)) == [2024]
    WorkPlan.objects.create(body=pokja_carenang, year=2024)
    html = list_page(client, pokja_carenang)
    assert offered(html)[:2] == [2023, 2024]  # still first: the list of the round does not move
    assert selected(html) == [offered(html)[2]]


def test_dewi_creates_her_2023_plan_with_the_chosen_year(client_for, dewi, pokja_carenang):
    client = client_for(dewi)
    response = client.post(
        reverse("forums:work_plan_list", args=[pokja_carenang.pk]),
        {"year": selected(list_page(client, pokja_carenang))[0]},
    )
    plan = WorkPlan.objects.get(body=pokja_carenang)
    assert plan.year == 2023
    assert response.url == reverse("forums:work_plan_detail", args=[plan.pk])


def test_a_year_already_planned_is_refused_and_the_choice_kept(client_for, dewi, pokja_carenang):
    WorkPlan.objects.create(body=pokja_carenang, year=2024)
    client = client_for(dewi)
    response = client.post(reverse("forums:work_plan_list", args=[pokja_carenang.pk]), {"year": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rencana kerja tahun 2024 sudah ada." in html
    assert selected(html) == [2024]  # what she chose survives the error
    assert WorkPlan.objects.filter(body=pokja_carenang).count() == 1


def test_a_year_outside_the_offer_is_refused(client_for, dewi, pokja_carenang):
    client = client_for(dewi)
    response = client.post(reverse("forums:work_plan_list", args=[pokja_carenang.pk]), {"year": "1999"})
    assert response.status_code == 200
    assert not WorkPlan.objects.filter(body=pokja_carenang).exists()


def test_the_next_round_moves_the_offer(client_for, dewi, pokja_carenang):
    catalogue_in(2027)  # its instrument arrives: data years 2025 and 2026
    html = list_page(client_for(dewi), pokja_carenang)
    assert offered(html)[:2] == [2025, 2026]
    assert selected(html) == [2025]
    assert 'label="Tahun data Swasti Saba 2027"' in html


def test_the_other_years_run_from_next_year_back_to_a_few_before_the_round(pokja_carenang):
    years = work_plan_years(pokja_carenang, today=datetime.date(2026, 12, 6))
    assert years.data_years == [2023, 2024]
    assert years.other_years == [2027, 2026, 2025, 2022, 2021, 2020, 2019]
    assert years.suggested == 2023
