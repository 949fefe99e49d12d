"""What to call one region and the villages under it, where a text speaks of that one region.

A kota reads as a kota and its kelurahan as kelurahan (docs/GLOSSARY.md, "Regions and accounts",
"One region, its own words"): "Kembalikan ke kota", "Pokja Kelurahan", "12 kelurahan". Text about
the programme or about many regions keeps "kabupaten/kota" and "desa/kelurahan".

The kabupaten/kota word follows the region's kind. The village word follows the villages in the
regions table, not the kind alone: 19 kota have desa (the gampong of Kota Banda Aceh are all desa)
and Kepulauan Seribu, a kabupaten, has kelurahan only. Where no village of a region is loaded, a
kota says "kelurahan" and a kabupaten "desa/kelurahan".

Templates use the filters of ``regions/templatetags/region_words.py`` (``kabkota_word``,
``village_word``, with Django's ``capfirst`` for the start of a sentence or a label).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Region, kabupaten_code_of

# The kind as part of a proper name ("Forum Kota Sehat Serang", "Pokja Kelurahan Sehat Unyur"):
# stored in names, so never translated.
KIND_IN_NAMES = {
    Region.Kind.PROVINSI: "Provinsi",
    Region.Kind.KABUPATEN: "Kabupaten",
    Region.Kind.KOTA: "Kota",
    Region.Kind.KECAMATAN: "Kecamatan",
    Region.Kind.DESA: "Desa",
    Region.Kind.KELURAHAN: "Kelurahan",
}

# The head of a region, as an SK's signer or an office is named ("Wali Kota Serang", "Lurah Unyur").
HEAD_TITLES = {
    Region.Kind.KABUPATEN: "Bupati",
    Region.Kind.KOTA: "Wali Kota",
    Region.Kind.KECAMATAN: "Camat",
    Region.Kind.DESA: "Kepala Desa",
    Region.Kind.KELURAHAN: "Lurah",
}

# Attributes caching the lookups on the region instance: a page asks several times.
_KABKOTA_KIND = "_words_kabkota_kind"
_VILLAGE_KINDS = "_words_village_kinds"


def kind_in_names(kind: str) -> str:
    """ "Kota" for a kota: the kind as a body's or an official's name says it."""
    return KIND_IN_NAMES.get(kind, "")


def head_title(region: Region) -> str:
    """ "Wali Kota Serang", "Bupati Serang", "Camat Carenang", "Lurah Unyur", "Kepala Desa Carenang"."""
    name = region.name
    if region.level == Region.Level.KABKOTA:
        name = name.removeprefix(kind_in_names(region.kind) + " ")
    return f"{HEAD_TITLES.get(region.kind, '')} {name}".strip()


def head_word(region: Region | None) -> str:
    """ "wali kota" or "bupati": the head of the kabupaten/kota ``region`` is or lies in, for a sentence."""
    kind = kabkota_kind(region)
    if kind == Region.Kind.KOTA:
        return _("wali kota")
    if kind == Region.Kind.KABUPATEN:
        return _("bupati")
    return _("bupati atau wali kota")


def kabkota_kind(region: Region | None) -> str:
    """The kind (kabupaten or kota) of the kabupaten/kota ``region`` is or lies in; "" when above one."""
    if region is None or region.level < Region.Level.KABKOTA:
        return ""
    if region.level == Region.Level.KABKOTA:
        return region.kind
    if not hasattr(region, _KABKOTA_KIND):
        code = kabupaten_code_of(region.code)
        kind = Region.objects.filter(code=code).values_list("kind", flat=True).first() or ""
        setattr(region, _KABKOTA_KIND, kind)
    return getattr(region, _KABKOTA_KIND)


def kabkota_word(region: Region | None) -> str:
    """ "kota", "kabupaten", or "kabupaten/kota" when ``region`` is none or above a kabupaten/kota."""
    kind = kabkota_kind(region)
    if kind == Region.Kind.KOTA:
        return _("kota")
    if kind == Region.Kind.KABUPATEN:
        return _("kabupaten")
    return _("kabupaten/kota")


def village_kinds(region: Region) -> frozenset[str]:
    """The kinds (desa, kelurahan) of the villages ``region`` is or holds, in one query, cached."""
    if region.level == Region.Level.DESA:
        return frozenset({region.kind})
    if not hasattr(region, _VILLAGE_KINDS):
        kinds = (
            Region.objects.filter(code__startswith=region.code + ".", level=Region.Level.DESA)
            .order_by()
            .values_list("kind", flat=True)
            .distinct()
        )
        setattr(region, _VILLAGE_KINDS, frozenset(kinds))
    return getattr(region, _VILLAGE_KINDS)


def village_word_of_kinds(kinds: Iterable[str], *, kota: bool = False) -> str:
    """ "kelurahan" when all are kelurahan, "desa" when all are desa, else "desa/kelurahan".

    With no kinds at all: "kelurahan" for a kota (``kota``), "desa/kelurahan" otherwise.
    """
    kinds = set(kinds)
    if not kinds:
        kinds = {Region.Kind.KELURAHAN} if kota else set()
    if kinds == {Region.Kind.KELURAHAN}:
        return _("kelurahan")
    if kinds == {Region.Kind.DESA}:
        return _("desa")
    return _("desa/kelurahan")


def village_word(region: Region | None) -> str:
    """What the villages of ``region`` are: "desa", "kelurahan" or "desa/kelurahan".

    A desa or a kelurahan: its own kind. A province or no region: "desa/kelurahan".
    """
    if region is None or region.level < Region.Level.KABKOTA:
        return _("desa/kelurahan")
    kinds = village_kinds(region)
    # Whether it is a kota only matters without villages: a desa's own word costs no query (the
    # titik pantau list asked for each desa it shows; docs/PERFORMANCE.md).
    return village_word_of_kinds(kinds, kota=not kinds and kabkota_kind(region) == Region.Kind.KOTA)


def village_word_of_counts(*, desa: int, kelurahan: int, kota: bool = False) -> str:
    """The village word for counts already made (the dashboard, the dossier's profile)."""
    kinds = [kind for kind, n in ((Region.Kind.DESA, desa), (Region.Kind.KELURAHAN, kelurahan)) if n]
    return village_word_of_kinds(kinds, kota=kota)
