"""The landing page: one card per role, with real figures of the person's region."""

import re

import pytest
from django.urls import reverse

from accounts.models import Opd, Role, RoleAssignment
from accounts.tests.factories import UserFactory
from kks_portal.dashboard import cards_for

pytestmark = pytest.mark.django_db


def card_of(user, role):
    (card,) = [c for c in cards_for(user) if c.role == role]
    return card


def stats(card):
    return {stat.label: stat.value for stat in card.stats}


def card_html(response, role):
    html = response.content.decode()
    match = re.search(rf'<section[^>]*data-role="{role}".*?</section>', html, re.S)
    assert match, f"no {role} card on the page"
    return match.group(0)


def test_bappeda_card_counts_the_kabupaten(client_for, rina, oscar, sari, tono, dewi, wawan, dinkes_serang, wilayah):
    Opd.objects.create(kabupaten=wilayah["serang"], name="Dinas Lingkungan Hidup", short_name="DLH")
    Opd.objects.create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    card = card_of(rina, Role.BAPPEDA_ADMIN)
    assert card.subtitle == "Kabupaten Serang"
    assert stats(card) == {
        "Kecamatan": 2,
        "Desa": 3,  # Kabupaten Serang's villages are all desa (regions/words.py)
        "OPD": 2,
        "Pengguna: Admin Bappeda": 1,
        "Pengguna: Operator OPD": 1,
        "Pengguna: Sekretaris Forum/Pokja": 3,
    }
    links = dict(card.links)
    assert links["Tambah pengguna"] == reverse("accounts:user_create")
    assert links["Kelola OPD"] == reverse("accounts:opd_list")

    page = card_html(client_for(rina).get(reverse("dashboard")), Role.BAPPEDA_ADMIN)
    assert "Kabupaten Serang" in page
    assert f'href="{reverse("accounts:user_list")}?role=secretary"' in page


def test_new_kabupaten_gets_next_steps_instead_of_figures_it_has_not(rina):
    card = card_of(rina, Role.BAPPEDA_ADMIN)
    assert stats(card)["OPD"] == 0
    assert any("OPD" in step for step in card.next_steps)
    assert any("sekretaris" in step for step in card.next_steps)


def test_opd_operator_sees_their_opd_and_kabupaten(client_for, oscar):
    card = card_of(oscar, Role.OPD_OPERATOR)
    assert card.body == "Dinas Kesehatan"
    assert card.subtitle == "Kabupaten Serang · Provinsi Banten"
    assert stats(card) == {"Singkatan": "Dinkes", "Operator di OPD ini": 1}
    page = card_html(client_for(oscar).get(reverse("dashboard")), Role.OPD_OPERATOR)
    assert "Dinas Kesehatan" in page


def test_kecamatan_secretary_sees_the_forum_and_its_kabupaten(client_for, sari, dewi):
    card = card_of(sari, Role.SECRETARY)
    assert card.body == "Forum Kecamatan Sehat Carenang"
    assert card.subtitle == "Kecamatan Carenang · Kabupaten Serang · Provinsi Banten"
    assert stats(card) == {"Desa": 2, "Desa dengan sekretaris Pokja di portal": 1}
    page = card_html(client_for(sari).get(reverse("dashboard")), Role.SECRETARY)
    assert "Forum Kecamatan Sehat Carenang" in page


def test_desa_secretary_sees_the_pokja_and_its_kecamatan(dewi):
    card = card_of(dewi, Role.SECRETARY)
    assert card.body == "Pokja Desa Sehat Carenang"
    assert card.subtitle.startswith("Desa Carenang · Kecamatan Carenang · Kabupaten Serang")
    assert card.stats == []


def test_kabupaten_secretary_sees_the_forum_kabupaten(wilayah):
    forum = UserFactory(username="fajar")
    RoleAssignment.objects.create(user=forum, role=Role.SECRETARY, region=wilayah["serang"])
    card = card_of(forum, Role.SECRETARY)
    assert card.body == "Forum Kabupaten Sehat Serang"
    assert card.subtitle == "Kabupaten Serang · Provinsi Banten"
    assert stats(card) == {"Kecamatan": 2, "Desa": 3}


def test_province_verifier_counts_the_kabupaten_of_the_province(rina, vina, wawan):
    card = card_of(vina, Role.PROVINCE_VERIFIER)
    assert card.subtitle == "Provinsi Banten"
    assert stats(card)["Kabupaten/kota"] == 1
    assert stats(card)["Kabupaten/kota dengan admin Bappeda di portal"] == 1
    assert stats(card_of(wawan, Role.PROVINCE_VERIFIER))["Kabupaten/kota dengan admin Bappeda di portal"] == 0


def test_national_verifier_counts_the_provinces(nadia, wilayah):
    assert stats(card_of(nadia, Role.NATIONAL_VERIFIER)) == {"Provinsi": 2, "Kabupaten/kota": 2}


def test_superuser_card(root_user, rina, wilayah):
    card = card_of(root_user, "superuser")
    assert stats(card) == {"Pengguna": 2, "Provinsi": 2, "Kabupaten/kota": 2}


def test_person_without_a_role_is_told_whom_to_ask(client_for, wilayah):
    nobody = UserFactory(username="nobody")
    page = client_for(nobody).get(reverse("dashboard")).content.decode()
    assert 'id="no-role"' in page
    assert "data-role=" not in page


def test_one_card_per_role(rina, sari, wilayah, dinkes_serang):
    RoleAssignment.objects.create(user=sari, role=Role.OPD_OPERATOR, region=wilayah["serang"], opd=dinkes_serang)
    assert sorted(card.role for card in cards_for(sari)) == [Role.OPD_OPERATOR, Role.SECRETARY]


def test_dashboard_queries_stay_few(client_for, rina, wilayah, django_assert_max_num_queries):
    # Rina also secretaries a Pokja: two cards, still a handful of queries. One of them is the
    # menu's, on every page: her assessment's dossier and her Pokja, found in one query; one
    # finds the Pokja again for the card's next task.
    RoleAssignment.objects.create(user=rina, role=Role.SECRETARY, region=wilayah["desa_pamanuk"])
    client = client_for(rina)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("dashboard")).status_code == 200
