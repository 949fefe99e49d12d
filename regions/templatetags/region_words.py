"""The words of ``regions.words`` for templates: ``{{ kabupaten|kabkota_word }}`` ("kota"),
``{{ kabupaten|village_word|capfirst }}`` ("Kelurahan"). See docs/GLOSSARY.md, "One region, its own words".
Also ``{{ years|and_list }}`` ("2023 dan 2024", "2023 and 2024"): a list joined for a sentence."""

from django import template

from kks_portal.lib import text
from regions import words

register = template.Library()


@register.filter
def kabkota_word(region) -> str:
    """ "kota" or "kabupaten": the kabupaten/kota ``region`` is or lies in."""
    return words.kabkota_word(region)


@register.filter
def head_word(region) -> str:
    """ "wali kota" or "bupati": the head of the kabupaten/kota ``region`` is or lies in."""
    return words.head_word(region)


@register.filter
def village_word(region) -> str:
    """ "kelurahan", "desa" or "desa/kelurahan": the villages ``region`` is or holds."""
    return words.village_word(region)


@register.filter
def and_list(items) -> str:
    return text.and_list(items)
