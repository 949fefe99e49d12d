import pytest

from regions.tests import factories as rf

pytestmark = pytest.mark.django_db

LIST = "/api/regions/"


def codes(response):
    return [region["code"] for region in response.json()["results"]]


def test_anonymous_callers_are_refused_in_the_error_shape(client, wilayah):
    response = client.get(LIST)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_list_is_paginated_in_code_order(client_for, wawan):
    body = client_for(wawan).get(LIST).json()

    assert body["count"] == 9
    assert [r["code"] for r in body["results"]][:3] == ["32", "32.01", "36"]
    assert body["results"][1] == {
        "code": "32.01",
        "name": "Kabupaten Bogor",
        "level": 2,
        "level_label": "Kabupaten/Kota",
        "kind": "kabupaten",
        "kind_label": "Kabupaten",
        "parent": "32",
    }


def test_page_size_is_the_project_default(client_for, rina, wilayah):
    for number in range(60):
        rf.region((f"36.04.17.{2100 + number}", f"Desa {number}"))

    body = client_for(rina).get(LIST).json()

    assert body["count"] == 69
    assert len(body["results"]) == 50
    assert body["next"].endswith("?page=2")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": 2}, ["32.01", "36.04"]),
        ({"level": 1}, ["32", "36"]),
        ({"kind": "kecamatan"}, ["36.04.17", "36.04.18"]),
        ({"parent": "36.04.17"}, ["36.04.17.2001", "36.04.17.2002"]),
        ({"code_prefix": "36.04.17"}, ["36.04.17", "36.04.17.2001", "36.04.17.2002"]),
        ({"code_prefix": "32"}, ["32", "32.01"]),
        ({"search": "binuang"}, ["36.04.18", "36.04.18.2001"]),
        ({"search": "KABUPATEN"}, ["32.01", "36.04"]),
        ({"search": "36.04.1"}, ["36.04.17", "36.04.18", "36.04.17.2001", "36.04.17.2002", "36.04.18.2001"]),
        ({"level": 4, "code_prefix": "36.04.17"}, ["36.04.17.2001", "36.04.17.2002"]),
    ],
)
def test_filters(client_for, rina, query, expected):
    response = client_for(rina).get(LIST, query)

    assert response.status_code == 200
    assert codes(response) == expected


def test_kind_filter_tells_kota_from_kabupaten(client_for, rina):
    rf.region(("36.73", "Kota Serang"))

    assert codes(client_for(rina).get(LIST, {"kind": "kota"})) == ["36.73"]


def test_code_prefix_matches_whole_segments_only(client_for, rina):
    rf.region(("36.41", "Kabupaten Bukan Serang"))

    assert "36.41" not in codes(client_for(rina).get(LIST, {"code_prefix": "36.04"}))


def test_detail_has_parent_chain_and_counts(client_for, wawan):
    response = client_for(wawan).get(f"{LIST}36.04/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Kabupaten Serang"
    assert body["parent"] == "36"
    assert body["ancestors"] == [{"code": "36", "name": "Banten", "level": 1, "kind": "provinsi"}]
    assert body["counts"] == {"children": 2, "kabupaten": 0, "kota": 0, "kecamatan": 2, "desa": 3, "kelurahan": 0}


def test_detail_of_a_desa_by_its_dotted_code(client_for, rina):
    rf.region(("36.73.01.1002", "Cipare"))

    body = client_for(rina).get(f"{LIST}36.73.01.1002/").json()

    assert body["kind"] == "kelurahan"
    assert [a["code"] for a in body["ancestors"]] == ["36", "36.73", "36.73.01"]
    assert body["counts"]["children"] == 0


@pytest.mark.parametrize("code", ["99.99", "36.04.17.9999", "abc"])
def test_unknown_code_is_404_in_the_error_shape(client_for, rina, code):
    response = client_for(rina).get(f"{LIST}{code}/")

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": 9}, "level"),
        ({"level": "satu"}, "level"),
        ({"kind": "kampung"}, "kind"),
        ({"parent": "36-04"}, "parent"),
        ({"code_prefix": "36.4"}, "code_prefix"),
        ({"search": "a"}, "search"),
    ],
)
def test_bad_filter_values_are_400_in_the_error_shape(client_for, rina, query, field):
    response = client_for(rina).get(LIST, query)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
