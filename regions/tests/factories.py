"""Regions for tests: the real Kemendagri codes and names.

``region()`` and the named constants give the regions the personas live in (Kabupaten Serang in
Banten, Kabupaten Bogor in Jawa Barat). The level factories draw further regions, one after the
other, from the Kemendagri list the portal ships (``regions/data/wilayah``, see its README), so a
factory-made kabupaten is a real one, its kecamatan lie in it and its desa in them:

    kabupaten = KabupatenFactory()                  # e.g. 11.01 Kabupaten Aceh Selatan (and 11 Aceh)
    kecamatan = KecamatanFactory(parent=kabupaten)  # one of its kecamatan
    desa = DesaFactory(parent=kecamatan)            # one of that kecamatan's desa/kelurahan

Every factory gets or creates by code, so asking again for a region that exists returns it.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import factory

from regions.models import Region

# Real Kemendagri codes and names, so tests read like the portal's users speak.
BANTEN = ("36", "Banten")
KAB_SERANG = ("36.04", "Kabupaten Serang")
KEC_CARENANG = ("36.04.17", "Carenang")
KEC_BINUANG = ("36.04.18", "Binuang")
DESA_CARENANG = ("36.04.17.2001", "Carenang")
DESA_PAMANUK = ("36.04.17.2002", "Pamanuk")
DESA_BINUANG = ("36.04.18.2001", "Binuang")
JAWA_BARAT = ("32", "Jawa Barat")
KAB_BOGOR = ("32.01", "Kabupaten Bogor")

WILAYAH = Path(__file__).resolve().parent.parent / "data" / "wilayah"


def kind_for(code: str, name: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return Region.Kind.PROVINSI
    if len(parts) == 2:
        return Region.Kind.KOTA if name.startswith("Kota ") else Region.Kind.KABUPATEN
    if len(parts) == 3:
        return Region.Kind.KECAMATAN
    return Region.Kind.KELURAHAN if parts[3].startswith("1") else Region.Kind.DESA


@cache
def _rows(filename: str) -> tuple[tuple[str, ...], ...]:
    with open(WILAYAH / filename, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # header
        return tuple(tuple(row) for row in reader if row)


@cache
def _children(filename: str) -> dict[str, list[tuple[str, str]]]:
    """parent code → [(code, name)] of one level file (``code,parent_code,name``)."""
    children: dict[str, list[tuple[str, str]]] = {}
    for code, parent, name in _rows(filename):
        children.setdefault(parent, []).append((code, name))
    return children


@cache
def real_name(code: str) -> str | None:
    """The Kemendagri name of ``code`` (None when the shipped list does not have it)."""
    level = len(code.split("."))
    if level == 1:
        return dict(_rows("provinces.csv")).get(code)
    filename = {2: "regencies.csv", 3: "districts.csv", 4: "villages.csv"}[level]
    parent = code.rsplit(".", 1)[0]
    return dict(_children(filename).get(parent, [])).get(code)


def _nth_province(n: int) -> tuple[str, str]:
    rows = _rows("provinces.csv")
    code, name = rows[n % len(rows)]
    return code, name


def _nth_regency(n: int) -> tuple[str, str, str]:
    rows = _rows("regencies.csv")
    return rows[n % len(rows)]  # code, province code, name


def _nth_child(filename: str, parent_code: str, n: int) -> tuple[str, str]:
    children = _children(filename).get(parent_code)
    if not children:
        raise ValueError(f"the Kemendagri list has no region under {parent_code} (in {filename})")
    return children[n % len(children)]


class RegionFactory(factory.django.DjangoModelFactory):
    """Any region by its code (``RegionFactory(code="36.04.17", name="Carenang")``); level and kind
    follow from the code, the parent must exist (``region()`` creates it). Without a code: the
    next real province."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: _nth_province(n)[0])
    name = factory.LazyAttribute(lambda o: real_name(o.code) or f"Wilayah {o.code}")
    level = factory.LazyAttribute(lambda o: len(o.code.split(".")))
    kind = factory.LazyAttribute(lambda o: kind_for(o.code, o.name))
    parent = factory.LazyAttribute(
        lambda o: Region.objects.get(code=o.code.rsplit(".", 1)[0]) if "." in o.code else None
    )


class ProvinsiFactory(RegionFactory):
    """The next real province (its real code and name)."""


class KabupatenFactory(RegionFactory):
    """The next real kabupaten/kota of the Kemendagri list, with its province."""

    class Params:
        row = factory.Sequence(_nth_regency)

    code = factory.LazyAttribute(lambda o: o.row[0])
    name = factory.LazyAttribute(lambda o: o.row[2])
    parent = factory.SubFactory(ProvinsiFactory, code=factory.LazyAttribute(lambda o: o.factory_parent.row[1]))


class KecamatanFactory(RegionFactory):
    """A real kecamatan of ``parent`` (by default of a new ``KabupatenFactory`` kabupaten)."""

    class Params:
        row = factory.LazyAttributeSequence(lambda o, n: _nth_child("districts.csv", o.parent.code, n))

    parent = factory.SubFactory(KabupatenFactory)
    code = factory.LazyAttribute(lambda o: o.row[0])
    name = factory.LazyAttribute(lambda o: o.row[1])


class DesaFactory(RegionFactory):
    """A real desa/kelurahan of ``parent`` (by default of a new ``KecamatanFactory`` kecamatan)."""

    class Params:
        row = factory.LazyAttributeSequence(lambda o, n: _nth_child("villages.csv", o.parent.code, n))

    parent = factory.SubFactory(KecamatanFactory)
    code = factory.LazyAttribute(lambda o: o.row[0])
    name = factory.LazyAttribute(lambda o: o.row[1])


def region(code_name: tuple[str, str]) -> Region:
    """Create a region and, where missing, its ancestors (with their Kemendagri names)."""
    code, name = code_name
    parts = code.split(".")
    for i in range(1, len(parts)):
        RegionFactory(code=".".join(parts[:i]))
    return RegionFactory(code=code, name=name)
