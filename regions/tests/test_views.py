import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Region
from regions.tests import factories as rf

from .html import by_id, rows

pytestmark = pytest.mark.django_db

BROWSE = reverse("regions:browse")


def detail(code):
    return reverse("regions:detail", args=[code])


@pytest.mark.parametrize("url", [BROWSE, detail("36.04"), BROWSE + "?q=serang"])
def test_login_required(client, wilayah, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_provinces_with_what_lies_below_each(client_for, rina):
    response = client_for(rina).get(BROWSE)

    assert response.status_code == 200
    shown = rows(response)
    assert list(shown) == ["32", "36"]
    # name, code · kind, then kab/kota, kecamatan, desa/kelurahan
    assert shown["36"].startswith("Banten")
    assert shown["36"].endswith("36 · Provinsi 1 2 3")
    assert shown["32"] == "Jawa Barat 32 · Provinsi 1 0 0"
    assert (
        "2 kabupaten/kota (2 kabupaten, 0 kota) · 2 kecamatan · 3 desa/kelurahan" in by_id(response)["region-summary"]
    )


def test_kabupaten_page_breadcrumbs_children_and_counts(client_for, rina):
    response = client_for(rina).get(detail("36.04"))

    page = by_id(response)
    assert page["region-breadcrumbs"] == "Indonesia Banten Kabupaten Serang"
    assert "Kode 36.04" in page["region-summary"]
    assert "2 kecamatan · 3 desa/kelurahan (3 desa, 0 kelurahan)" in page["region-summary"]
    shown = rows(response)
    assert list(shown) == ["36.04.17", "36.04.18"]
    assert shown["36.04.17"].startswith("Carenang")
    assert shown["36.04.17"].endswith("36.04.17 · Kecamatan 2")
    assert shown["36.04.18"].endswith("36.04.18 · Kecamatan 1")


def test_kind_of_each_region_is_shown(client_for, rina):
    rf.region(("36.73", "Kota Serang"))
    rf.region(("36.73.01.1002", "Cipare"))

    banten = rows(client_for(rina).get(detail("36")))
    kecamatan = rows(client_for(rina).get(detail("36.73.01")))

    assert "36.04 · Kabupaten" in banten["36.04"]
    assert "36.73 · Kota" in banten["36.73"]
    assert "36.73.01.1002 · Kelurahan" in kecamatan["36.73.01.1002"]


def test_desa_page_shows_its_full_path(client_for, rina):
    response = client_for(rina).get(detail("36.04.17.2002"))

    page = by_id(response)
    assert page["region-breadcrumbs"] == "Indonesia Banten Kabupaten Serang Carenang Pamanuk"
    assert "Desa" in page["region-leaf"]
    assert "Kecamatan Carenang" in page["region-leaf"]
    assert rows(response) == {}


@pytest.mark.parametrize("code", ["99.99", "36.04.99", "abc"])
def test_unknown_region_is_404(client_for, rina, code):
    assert client_for(rina).get(detail(code)).status_code == 404


def test_own_working_area_is_marked(client_for, sari):
    kabupaten = rows(client_for(sari).get(detail("36.04")))
    provinces = client_for(sari).get(BROWSE)

    assert "Wilayah kerja Anda" in kabupaten["36.04.17"]
    assert "Wilayah kerja Anda" not in kabupaten["36.04.18"]
    assert "Mencakup wilayah kerja Anda" in rows(provinces)["36"]
    assert "wilayah kerja" not in rows(provinces)["32"].lower()
    assert by_id(provinces)["working-area"] == "Wilayah kerja Anda: Carenang"


def test_desa_inside_the_working_area_is_marked(client_for, sari):
    page = by_id(client_for(sari).get(detail("36.04.17.2001")))
    other = by_id(client_for(sari).get(detail("36.04.18.2001")))

    assert "Wilayah kerja Anda" in page["content"]
    assert "Wilayah kerja Anda" not in other["content"]


def test_every_signed_in_user_may_browse_every_region(client_for, wawan):
    # Wawan verifies Jawa Barat; Banten is public reference data all the same.
    response = client_for(wawan).get(detail("36.04"))

    assert response.status_code == 200
    assert list(rows(response)) == ["36.04.17", "36.04.18"]
    assert "wilayah kerja" not in by_id(response)["content"].lower()


def test_national_verifier_sees_one_note_instead_of_a_badge_per_row(client_for, nadia):
    response = client_for(nadia).get(BROWSE)

    assert by_id(response)["working-area"] == "Wilayah kerja Anda: seluruh Indonesia."
    assert all("Wilayah kerja" not in text for text in rows(response).values())


def test_counts_cost_the_same_queries_however_many_children(client_for, rina):
    client = client_for(rina)
    client.get(detail("36"))  # warm the session and the user's roles
    with CaptureQueriesContext(connection) as few:
        client.get(detail("36"))
    for number in range(1, 11):
        rf.region((f"36.{number + 10:02d}", f"Kabupaten Contoh {number}"))
        rf.region((f"36.{number + 10:02d}.01", f"Kecamatan Contoh {number}"))
        rf.region((f"36.{number + 10:02d}.01.2001", f"Desa Contoh {number}"))

    with CaptureQueriesContext(connection) as many:
        response = client.get(detail("36"))

    assert len(rows(response)) == 11
    assert rows(response)["36.15"].endswith("1 1")
    assert len(many) == len(few)


# --- Search -----------------------------------------------------------------------------------


def test_search_by_name_across_the_country_with_full_paths(client_for, sari):
    response = client_for(sari).get(BROWSE, {"q": "carenang"})

    shown = rows(response)
    assert list(shown) == ["36.04.17", "36.04.17.2001"]  # kecamatan before desa
    assert "Banten › Kabupaten Serang" in shown["36.04.17"]
    assert "Banten › Kabupaten Serang › Carenang" in shown["36.04.17.2001"]
    assert "Kecamatan" in shown["36.04.17"]
    assert "Wilayah kerja Anda" in shown["36.04.17.2001"]
    assert by_id(response)["search-count"] == "2 wilayah cocok dengan “carenang”."


def test_search_by_code_prefix(client_for, wawan):
    response = client_for(wawan).get(BROWSE, {"q": "36.04.18"})

    assert list(rows(response)) == ["36.04.18", "36.04.18.2001"]


def test_search_without_match_says_so(client_for, rina):
    response = client_for(rina).get(BROWSE, {"q": "Atlantis"})

    assert rows(response) == {}
    assert "Tidak ada wilayah yang cocok" in by_id(response)["no-results"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a", "Ketik paling sedikit 2 huruf atau angka untuk mencari wilayah."),
        ("  b ", "Ketik paling sedikit 2 huruf atau angka untuk mencari wilayah."),
        ("", "Ketik nama atau kode wilayah yang dicari."),
    ],
)
def test_bad_search_explains_itself(client_for, rina, query, message):
    response = client_for(rina).get(BROWSE, {"q": query})

    assert response.status_code == 200
    assert by_id(response)["region-search-error"] == message
    assert rows(response) == {}


def test_search_results_are_paginated(client_for, rina, wilayah):
    Region.objects.bulk_create(
        Region(code=f"36.04.17.{2100 + n}", parent=wilayah["carenang"], name=f"Sukamaju {n:02d}", level=4, kind="desa")
        for n in range(30)
    )
    client = client_for(rina)

    first = client.get(BROWSE, {"q": "sukamaju"})
    second = client.get(BROWSE, {"q": "sukamaju", "page": 2})

    assert len(rows(first)) == 25
    assert list(rows(second)) == [f"36.04.17.{2100 + n}" for n in range(25, 30)]
    assert "?q=sukamaju&amp;page=2" in first.content.decode()
    assert by_id(first)["search-count"] == "30 wilayah cocok dengan “sukamaju”."
