"""The words for one region (regions/words.py, docs/GLOSSARY.md "One region, its own words"): a kota
reads as a kota, its villages by what the regions table says they are."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from regions import words
from regions.tests import factories as rf

pytestmark = pytest.mark.django_db


def test_a_kota_of_kelurahan_says_kota_and_kelurahan_down_to_its_kelurahan():
    kota = rf.region(("36.73", "Kota Serang"))
    assert (words.kabkota_word(kota), words.village_word(kota)) == ("kota", "kelurahan")  # none loaded yet
    kelurahan = rf.region(("36.73.01.1002", "Cipare"))
    kecamatan = kelurahan.parent
    kota = type(kota).objects.get(code="36.73")  # a fresh instance: the first answer was cached
    assert words.village_word(kota) == "kelurahan"
    assert words.village_word(kecamatan) == "kelurahan"
    assert words.village_word(kelurahan) == "kelurahan"
    assert words.kabkota_word(kecamatan) == "kota"
    assert words.kabkota_word(kelurahan) == "kota"
    assert words.head_title(kota) == "Wali Kota Serang"
    assert words.head_title(kelurahan) == "Lurah Cipare"
    assert words.head_word(kecamatan) == "wali kota"


def test_the_villages_decide_not_the_kind(wilayah):
    # The gampong of Kota Banda Aceh are desa.
    banda_aceh = rf.region(("11.71", "Kota Banda Aceh"))
    rf.region(("11.71.01.2001", "Kampung Baru"))
    assert (words.kabkota_word(banda_aceh), words.village_word(banda_aceh)) == ("kota", "desa")
    serang = wilayah["serang"]  # its three desa, no kelurahan
    assert (words.kabkota_word(serang), words.village_word(serang)) == ("kabupaten", "desa")
    rf.region(("36.04.01.1001", "Sumur Pecung"))
    serang = type(serang).objects.get(code="36.04")
    assert words.village_word(serang) == "desa/kelurahan"
    assert words.head_title(serang) == "Bupati Serang"
    assert words.head_title(wilayah["desa_carenang"]) == "Kepala Desa Carenang"


def test_above_a_kabupaten_or_without_a_region_the_words_stay_generic(wilayah):
    assert words.kabkota_word(wilayah["banten"]) == "kabupaten/kota"
    assert words.village_word(wilayah["banten"]) == "desa/kelurahan"
    assert words.kabkota_word(None) == "kabupaten/kota"
    assert words.village_word_of_counts(desa=0, kelurahan=0) == "desa/kelurahan"
    assert words.village_word_of_counts(desa=0, kelurahan=0, kota=True) == "kelurahan"
    assert words.village_word_of_counts(desa=3, kelurahan=2) == "desa/kelurahan"


def test_the_template_filters():
    kota = rf.region(("36.73", "Kota Serang"))
    template = Template(
        "{% load region_words %}{{ region|kabkota_word|capfirst }} · {{ region|village_word }} · {{ region|head_word }}"
    )
    assert template.render(Context({"region": kota})) == "Kota · kelurahan · wali kota"
