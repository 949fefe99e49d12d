"""A kota reads as a kota throughout (issue 13, item 10; docs/GLOSSARY.md, "One region, its own
words"): Kota Serang (36.73), whose villages are all kelurahan, seen by its Bappeda admin on the
landing page, the kelembagaan table, the ODF pages, the usulan page, the forum pages, the readiness
page and in the dossier's profile chapter. Where the text speaks of Kota Serang it says "kota" and
"kelurahan", never "kabupaten" or "desa"; the programme's own name ("Kabupaten/Kota Sehat") stays."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import OpdFactory, RoleAssignmentFactory, UserFactory
from dossiers.renderer.chapters import chapter_context, chapter_plan
from forums.models import Body
from forums.services import body_bulk_setup
from indicators.services import assessment_open
from indicators.tests.conftest import small_cycle  # noqa: F401 - the fixture
from regions.tests import factories as rf

pytestmark = pytest.mark.django_db

KOTA_SERANG = ("36.73", "Kota Serang")
KELURAHAN = [("36.73.01.1001", "Serang"), ("36.73.01.1002", "Cipare"), ("36.73.02.1001", "Kasemen")]


@pytest.fixture
def kota(wilayah):
    kota = rf.region(KOTA_SERANG)
    for code_name in KELURAHAN:
        rf.region(code_name)
    return kota


@pytest.fixture
def kiki(kota):
    """The Bappeda admin of Kota Serang."""
    user = UserFactory(username="kiki", full_name="Kiki Bappeda Kota")
    RoleAssignmentFactory(user=user, role=Role.BAPPEDA_ADMIN, region=kota)
    return user


@pytest.fixture
def kota_round(kota, kiki, small_cycle):  # noqa: F811 - the fixture imported above
    OpdFactory(kabupaten=kota, name="Dinas Kesehatan", short_name="Dinkes")
    body_bulk_setup(kabupaten=kota, actor=kiki)
    return assessment_open(kabupaten=kota, cycle=small_cycle, actor=kiki)


def _text(html: str) -> str:
    """What a reader sees: the page without its tags, scripts, attributes and the programme's name."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"Kabupaten/Kota Sehat", " ", text)
    return re.sub(r"\s+", " ", text)


def _wrong_words(text: str) -> list[str]:
    """Each "desa" or "kabupaten" a Kota Serang page shows, with the words around it."""
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in re.finditer(r"\b(desa|kabupaten)\b", text, re.I)]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _text(response.content.decode())


def test_the_landing_page_of_a_kota_bappeda(client_for, kiki, kota_round):
    text = _page(client_for(kiki), reverse("dashboard"))
    assert re.search(r"Kelurahan \d", text) or "Kelurahan" in text
    assert _wrong_words(text) == []


def test_the_kelembagaan_table_and_the_forum_pages(client_for, kiki, kota_round, kota):
    client = client_for(kiki)
    table = _page(client, reverse("forums:kelembagaan_table", args=[kota.code]))
    for words in ("Lembaga kota", "Tim Pembina Kota", "Forum Kota Sehat", "Pokja Kelurahan (semua kelurahan)"):
        assert words in table
    assert _wrong_words(table) == []

    bodies = _page(client, reverse("forums:body_list"))
    assert "Pokja Kelurahan Sehat Cipare" in bodies
    assert "Pokja Kelurahan Sehat:" in bodies  # the count per kind
    assert "Membentuk Tim Pembina dan Forum kota" in bodies
    assert "Pokja tiap kelurahan" in bodies
    assert _wrong_words(bodies) == []

    pokja = Body.objects.get(kind=Body.Kind.POKJA_DESA, region_id="36.73.01.1002")
    detail = _page(client, reverse("forums:body_detail", args=[pokja.pk]))
    assert "Pokja Kelurahan Sehat ·" in detail
    assert _wrong_words(detail) == []

    request_page = _page(client, reverse("forums:kelembagaan_request", args=[kota.code]))
    assert _wrong_words(request_page) == []


def test_the_odf_and_usulan_pages(client_for, kiki, kota_round):
    client = client_for(kiki)
    overview = _page(client, reverse("indicators:odf_overview", args=[kota_round.pk]))
    assert "Kelurahan ODF kota" in overview
    assert "2 kelurahan (Kemendagri)" in overview
    assert _wrong_words(overview) == []

    edit_url = reverse("indicators:odf_edit", args=[kota_round.pk, "36.73.01"])
    assert 'value="Simpan daftar kelurahan"' in client.get(edit_url).content.decode()
    edit = _page(client, edit_url)
    assert "Centang per kelurahan" in edit
    assert "Kelurahan yang sudah deklarasi Stop BABS" in edit
    assert _wrong_words(edit) == []
    counts = _page(client, edit_url + "?cara=jumlah")
    assert "Jumlah kelurahan sudah deklarasi Stop BABS" in counts
    assert _wrong_words(counts) == []
    refused = client.post(edit_url, {"desa_total": 3, "desa_odf": 1, "save_counts": "1"})
    assert "melebihi jumlah kelurahan Kecamatan Serang" in _text(refused.content.decode())
    saved = client.post(edit_url, {"desa_total": 2, "desa_odf": 1, "save_counts": "1"}, follow=True)
    assert "Kelurahan ODF kota: 50,00 %." in _text(saved.content.decode())

    usulan = _page(client, reverse("indicators:usulan_edit", args=[kota_round.pk]))
    assert "Kecamatan dan kelurahan usulan" in usulan
    assert "2 kelurahan" in usulan
    assert _wrong_words(usulan) == []

    detail = _page(client, reverse("indicators:assessment_detail", args=[kota_round.pk]))
    assert "Kelurahan ODF" in detail
    assert _wrong_words(detail) == []


def test_the_readiness_page(client_for, kiki, kota_round):
    text = _page(client_for(kiki), reverse("evidence:readiness", args=[kota_round.pk]))
    assert "Lembaga kota" in text
    assert "Forum Kota Sehat" in text
    assert "Pokja Kelurahan siap" in text
    assert _wrong_words(text) == []
    kecamatan = _page(client_for(kiki), reverse("evidence:readiness_kecamatan", args=[kota_round.pk, "36.73.01"]))
    assert "Pokja Kelurahan" in kecamatan
    assert _wrong_words(kecamatan) == []


def test_the_dossier_profile_chapter(kota_round):
    spec = next(spec for spec in chapter_plan(kota_round) if spec.key == "profil")
    data = chapter_context(kota_round, spec)
    text = _text(render_to_string(data.template, data.context))
    assert "Kota Kota Serang (36.73)" in text  # the label, then the name
    assert "2 kecamatan, 3 kelurahan" in text
    assert "Pokja Kelurahan Sehat 3" in text
    assert "Forum Kota Sehat 1" in text
    assert _wrong_words(text) == []


def test_a_kabupaten_keeps_its_words(client_for, rina, wilayah):
    """Kabupaten Serang, whose villages (in the test data) are desa: "Lembaga kabupaten", "Pokja Desa"."""
    table = _page(client_for(rina), reverse("forums:kelembagaan_table", args=[wilayah["serang"].code]))
    assert "Lembaga kabupaten" in table
    assert "Pokja Desa (semua desa)" in table
    assert "kelurahan" not in table.lower()
