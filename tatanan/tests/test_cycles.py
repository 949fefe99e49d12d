"""A superuser adds the next cycle from a previous one (``tatanan.cycles``; docs/DOMAIN.md "Cycles")."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tatanan.cycles import cycle_create_from
from tatanan.models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan

pytestmark = pytest.mark.django_db

URL = "/tatanan/siklus-baru/"


@pytest.fixture
def catalogue_2027(wilayah):
    """A small catalogue on the shipped 2027 cycle: one national indicator with its scale and a
    requirement for each data year, a local one of Serang, a kelembagaan item."""
    cycle = Cycle.objects.get(award_year=2027)
    psr = Tatanan.objects.get(tatanan_set__code="2023", code="PSR")
    indicator = Indicator.objects.create(
        cycle=cycle, tatanan=psr, number="1", name="Pasar sehat", responsible_opd="Dinkes"
    )
    for order, value in enumerate((100, 50, 0)):
        ScaleOption.objects.create(indicator=indicator, value=value, order=order, description=f"nilai {value}")
    for year in cycle.data_years:
        EvidenceRequirement.objects.create(
            indicator=indicator, description="SK pasar", year_scope="year", data_year=year
        )
    Indicator.objects.create(
        cycle=cycle, tatanan=psr, number="L1", name="Indikator lokal", is_local=True, owner_kabupaten=wilayah["serang"]
    )
    item = KelembagaanItem.objects.create(cycle=cycle, component="tim_pembina", item="sk", text="SK Tim Pembina")
    ScaleOption.objects.create(kelembagaan_item=item, value=100, order=0, description="ada")
    EvidenceRequirement.objects.create(kelembagaan_item=item, description="SK Tim Pembina")
    return cycle


def test_the_next_cycle_copies_rules_and_catalogue_with_its_data_years_moved(catalogue_2027, root_user):
    cycle = cycle_create_from(source=catalogue_2027, award_year=2029, actor=root_user)

    assert (cycle.data_years, cycle.tatanan_set.code, cycle.tatanan_selection) == ([2027, 2028], "2023", "all")
    assert list(cycle.tier_rules.values_list("tier", "rank", "score_min", "odf_min_percent")) == list(
        catalogue_2027.tier_rules.values_list("tier", "rank", "score_min", "odf_min_percent")
    )
    indicator = Indicator.objects.get(cycle=cycle)  # the national one; Serang's local one stays behind
    assert (indicator.number, indicator.name, indicator.responsible_opd) == ("1", "Pasar sehat", "Dinkes")
    assert sorted(indicator.scale_options.values_list("value", flat=True)) == [0, 50, 100]
    assert sorted(indicator.evidence_requirements.values_list("data_year", flat=True)) == [2027, 2028]
    item = KelembagaanItem.objects.get(cycle=cycle)
    assert (item.text, item.scale_options.count(), item.evidence_requirements.count()) == ("SK Tim Pembina", 1, 1)
    # The source is untouched.
    assert Indicator.objects.filter(cycle=catalogue_2027).count() == 2


def test_a_cycle_with_a_catalogue_or_data_years_after_the_award_are_refused(catalogue_2027, root_user):
    with pytest.raises(ValidationError, match="Siklus Swasti Saba 2027 sudah ada dan sudah punya katalog"):
        cycle_create_from(source=Cycle.objects.get(award_year=2025), award_year=2027, actor=root_user)
    source = Cycle.objects.get(award_year=2017)
    with pytest.raises(ValidationError, match="sebelum tahun penghargaan"):
        cycle_create_from(source=source, award_year=2031, actor=root_user, first_data_year=2030, last_data_year=2031)
    assert not Cycle.objects.filter(award_year=2031).exists()
    with pytest.raises(ValidationError, match="himpunan tatanan lain"):
        cycle_create_from(source=source, award_year=2025, actor=root_user)


def test_an_empty_shipped_cycle_gets_the_catalogue_and_keeps_its_rules(catalogue_2027, root_user):
    """2025 (empty in this test) gets 2027's catalogue; its own rules and data years stay."""
    target = Cycle.objects.get(award_year=2025)
    rules_before = list(target.tier_rules.values_list("tier", "score_min"))
    assert cycle_create_from(source=catalogue_2027, award_year=2025, actor=root_user) == target
    indicator = Indicator.objects.get(cycle=target)
    assert sorted(indicator.evidence_requirements.values_list("data_year", flat=True)) == [2023, 2024]
    assert KelembagaanItem.objects.filter(cycle=target).count() == 1
    assert list(target.tier_rules.values_list("tier", "score_min")) == rules_before


def test_only_a_superuser_adds_a_cycle(rina):
    with pytest.raises(PermissionDenied):
        cycle_create_from(source=Cycle.objects.get(award_year=2027), award_year=2029, actor=rina)


def test_the_page_adds_2019_from_2017_after_it_was_removed(client_for, root_user):
    """The count rules of 2017 come along: 2019 tiers by tatanan and kecamatan coverage."""
    Cycle.objects.filter(award_year=2019).delete()
    client = client_for(root_user)
    page = client.get(URL).content.decode()
    assert 'name="award_year" value="2029"' in page  # the newest cycle plus two, by default
    response = client.post(URL, {"source": 2017, "award_year": 2019})
    assert response.status_code == 302
    assert response["Location"] == "/tatanan/2019/"
    cycle = Cycle.objects.get(award_year=2019)
    assert cycle.data_years == [2017, 2018]
    assert list(cycle.tier_rules.values_list("tier", "method", "min_tatanan_count")) == [
        ("padapa", "count", 2),
        ("wiwerda", "count", 3),
        ("wistara", "count", 5),
    ]
    assert "Siklus Swasti Saba 2019 ditambahkan dari Swasti Saba 2017." in client.get("/tatanan/2019/").content.decode()


def test_the_page_says_in_indonesian_what_is_wrong_and_keeps_the_input(client_for, root_user):
    response = client_for(root_user).post(
        URL, {"source": 2025, "award_year": 2025, "guideline_reference": "Juknis 2027"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pilih tahun penghargaan yang lain dari siklus asal." in page
    assert "Juknis 2027" in page
    response = client_for(root_user).post(URL, {"source": 2025, "award_year": "dua ribu"})
    assert "Masukkan keseluruhan angka bilangan." in response.content.decode()


def test_the_page_fills_the_shipped_2027_with_the_2025_catalogue(client_for, root_user):
    cycle_2025 = Cycle.objects.get(award_year=2025)
    psr = Tatanan.objects.get(tatanan_set__code="2023", code="PSR")
    Indicator.objects.create(cycle=cycle_2025, tatanan=psr, number="1", name="Pasar sehat")
    client = client_for(root_user)
    response = client.post(URL, {"source": 2025, "award_year": 2027})
    assert response.status_code == 302
    assert Indicator.objects.filter(cycle__award_year=2027, name="Pasar sehat").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Katalog Swasti Saba 2025 disalin ke Swasti Saba 2027; aturan strata dan tahun datanya tetap." in page


def test_the_catalogue_links_to_the_page_for_the_superuser_only(client_for, root_user, rina):
    assert 'id="cycle-next-link"' in client_for(root_user).get("/tatanan/").content.decode()
    assert 'id="cycle-next-link"' not in client_for(rina).get("/tatanan/").content.decode()
    assert client_for(rina).get(URL).status_code == 404
