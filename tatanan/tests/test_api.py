"""The catalogue API: read-only for any authenticated caller, local indicators only in scope."""

import pytest

from tatanan.models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def catalogue(cycle_2025, wilayah):
    """Two national indicators of KSM in 2025, and one local indicator each of Serang and Bogor."""
    ksm = Tatanan.objects.get(tatanan_set=cycle_2025.tatanan_set, code="KSM")
    psr = Tatanan.objects.get(tatanan_set=cycle_2025.tatanan_set, code="PSR")
    air = Indicator.objects.create(cycle=cycle_2025, tatanan=ksm, number="1", order=1, name="Air minum layak")
    for order, value in enumerate([100, 50, 0]):
        ScaleOption.objects.create(indicator=air, value=value, order=order, description=f"nilai {value}")
    EvidenceRequirement.objects.create(indicator=air, description="Profil kesehatan", year_scope="each")
    Indicator.objects.create(cycle=cycle_2025, tatanan=psr, number="1", order=1, name="Pasar bersih")
    local = {
        key: Indicator.objects.create(
            cycle=cycle_2025,
            tatanan=ksm,
            number="L1",
            order=9,
            name=f"Indikator lokal {key}",
            is_local=True,
            owner_kabupaten=wilayah[key],
        )
        for key in ("serang", "bogor")
    }
    item = KelembagaanItem.objects.create(cycle=cycle_2025, component="forum_kabkota", item="sk", order=1)
    ScaleOption.objects.create(kelembagaan_item=item, value=100, order=0, description="ada SK")
    return {"air": air, "local": local, "item": item}


def test_anonymous_callers_are_refused_in_the_error_shape(client, db):
    response = client.get("/api/cycles/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_cycles_come_newest_first_with_their_tier_rules(client_for, sari, catalogue):
    body = results(client_for(sari).get("/api/cycles/"))

    assert [c["award_year"] for c in body] == [2027, 2025, 2023, 2021, 2019, 2017]
    cycle_2025 = body[1]
    assert cycle_2025["data_years"] == Cycle.objects.get(award_year=2025).data_years
    assert cycle_2025["tatanan_set"]["code"] == "2023"
    ranks = [rule["rank"] for rule in cycle_2025["tier_rules"]]
    assert ranks == [1, 2, 3, 4]
    assert cycle_2025["tier_rules"][0]["tier"] == "padapa"
    assert isinstance(cycle_2025["tier_rules"][0]["score_min"], (int, float))
    # Sari's scope (a kecamatan of Serang) holds no kabupaten: national indicators only.
    assert cycle_2025["indicator_count"] == 2
    assert cycle_2025["kelembagaan_count"] == 1


def test_one_cycle_by_award_year_and_404_for_an_unknown_one(client_for, sari, catalogue):
    client = client_for(sari)

    assert client.get("/api/cycles/2025/").json()["award_year"] == 2025
    response = client.get("/api/cycles/2099/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_tatanan_filtered_by_cycle_and_by_set(client_for, sari, db):
    client = client_for(sari)

    of_2025 = results(client.get("/api/tatanan/?cycle=2025"))
    assert len(of_2025) == 9
    assert {t["tatanan_set"] for t in of_2025} == {"2023"}
    assert [t["number"] for t in of_2025] == list(range(1, 10))
    of_2017 = results(client.get("/api/tatanan/?set=2017"))
    assert {t["code"] for t in of_2017} == {"PSU", "LLT", "IKP", "PAR", "PGZ", "KSM", "KSS"}


def test_indicators_nest_scale_options_and_evidence_requirements(client_for, sari, catalogue):
    body = results(client_for(sari).get("/api/indicators/?cycle=2025&tatanan=ksm"))

    assert [i["name"] for i in body] == ["Air minum layak"]
    air = body[0]
    assert air["tatanan"]["code"] == "KSM"
    assert air["cycle"] == 2025
    assert [(o["value"], o["description"]) for o in air["scale_options"]] == [
        (100, "nilai 100"),
        (50, "nilai 50"),
        (0, "nilai 0"),
    ]
    assert air["evidence_requirements"][0]["description"] == "Profil kesehatan"
    assert air["evidence_requirements"][0]["year_scope"] == "each"


def test_indicator_search(client_for, sari, catalogue):
    body = results(client_for(sari).get("/api/indicators/?search=pasar"))

    assert [i["name"] for i in body] == ["Pasar bersih"]


@pytest.mark.parametrize(
    ("persona", "visible_local"),
    [
        ("rina", {"Indikator lokal serang"}),  # Bappeda Serang: Serang's own
        ("vina", {"Indikator lokal serang"}),  # Banten: Serang lies in it
        ("wawan", {"Indikator lokal bogor"}),  # Jawa Barat: Bogor
        ("nadia", {"Indikator lokal serang", "Indikator lokal bogor"}),  # national
        ("sari", set()),  # a kecamatan holds no kabupaten
    ],
)
def test_local_indicators_only_in_the_callers_scope(request, client_for, persona, visible_local, catalogue):
    body = results(client_for(request.getfixturevalue(persona)).get("/api/indicators/?is_local=true"))

    assert {i["name"] for i in body} == visible_local


def test_local_indicator_of_another_kabupaten_is_404(client_for, wawan, catalogue):
    client = client_for(wawan)
    serang = catalogue["local"]["serang"]

    response = client.get(f"/api/indicators/{serang.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/indicators/{catalogue['local']['bogor'].pk}/").status_code == 200


def test_kelembagaan_items_of_a_cycle(client_for, sari, catalogue):
    body = results(client_for(sari).get("/api/kelembagaan-items/?cycle=2025"))

    assert len(body) == 1
    assert body[0]["component"] == "forum_kabkota"
    assert body[0]["item_label"] == "SK"
    assert body[0]["scale_options"][0]["value"] == 100
    assert results(client_for(sari).get("/api/kelembagaan-items/?cycle=2023")) == []


def test_the_catalogue_is_read_only(client_for, root_user, catalogue):
    client = client_for(root_user)

    response = client.post("/api/indicators/", {"name": "baru"}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert client.delete(f"/api/cycles/{2025}/").status_code == 405
