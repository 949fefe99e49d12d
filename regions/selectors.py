"""Reads of the region table, shared by the region browser and the region API.

Region data is the public Kemendagri reference list, the same for everyone, so these
selectors take no user: unlike every other record in the portal, regions are not limited to
the reader's scope. Marking a reader's own working area is presentation, done by the views.

A region code is hierarchical and its segments have a fixed width per level (``36``,
``36.04``, ``36.04.17``, ``36.04.17.2001``), so "everything below X" is a prefix match on
``X.`` and "the child of X that a row lies in" is the first N characters of the row's code.
The counts below rely on that to count whole subtrees in one aggregate query.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from .models import Region

# Length of a code at each level.
CODE_LENGTH = {Region.Level.PROVINSI: 2, Region.Level.KABKOTA: 5, Region.Level.KECAMATAN: 8, Region.Level.DESA: 13}
SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
CODE_LIKE = re.compile(r"[0-9.]+")
BELOW_KINDS = ("kabupaten", "kota", "kecamatan", "desa", "kelurahan")


@dataclass
class RegionCounts:
    """How many regions of each kind lie below one region (the region itself not included)."""

    kabupaten: int = 0
    kota: int = 0
    kecamatan: int = 0
    desa: int = 0
    kelurahan: int = 0

    @property
    def kabkota(self) -> int:
        return self.kabupaten + self.kota

    @property
    def desa_kelurahan(self) -> int:
        return self.desa + self.kelurahan

    def at_level(self, level: int) -> int:
        """How many of the regions below lie at ``level``."""
        return {
            Region.Level.KABKOTA: self.kabkota,
            Region.Level.KECAMATAN: self.kecamatan,
            Region.Level.DESA: self.desa_kelurahan,
        }.get(level, 0)

    def add(self, kind: str, number: int = 1) -> None:
        """Count ``number`` more regions of ``kind`` (provinces are never below anything)."""
        name = str(kind)
        if name in BELOW_KINDS:
            setattr(self, name, getattr(self, name) + number)

    def add_counts(self, other: RegionCounts) -> None:
        for name in BELOW_KINDS:
            self.add(name, getattr(other, name))


def below_q(code: str, field: str = "code") -> Q:
    """Regions strictly below ``code`` (whole segments: 36.04 never matches 36.041…)."""
    return Q(**{f"{field}__startswith": code + "."})


def region_list() -> QuerySet[Region]:
    """Every region, in code order."""
    return Region.objects.order_by("code")


def region_get(*, code: str) -> Region:
    """One region by code; raises ``Region.DoesNotExist``."""
    return Region.objects.get(code=code)


def region_children(*, region: Region | None) -> QuerySet[Region]:
    """The regions directly below ``region``; the provinces when ``region`` is None."""
    if region is None:
        return Region.objects.filter(level=Region.Level.PROVINSI).order_by("code")
    return Region.objects.filter(parent=region).order_by("code")


def region_ancestors(*, region: Region) -> list[Region]:
    """The regions above ``region``, province first (one query)."""
    codes = region.ancestor_codes[:-1]
    if not codes:
        return []
    return list(Region.objects.filter(code__in=codes).order_by("level"))


def region_paths(*, regions: Iterable[Region]) -> dict[str, list[Region]]:
    """For each region, the regions above it, province first: ``{code: [ancestors…]}``.

    One query for any number of regions (e.g. a page of search results).
    """
    regions = list(regions)
    wanted = {code for region in regions for code in region.ancestor_codes[:-1]}
    by_code = {r.code: r for r in Region.objects.filter(code__in=wanted)} if wanted else {}
    return {
        region.code: [by_code[code] for code in region.ancestor_codes[:-1] if code in by_code] for region in regions
    }


def region_counts(*, parent: Region | None) -> dict[str, RegionCounts]:
    """For each child of ``parent`` (of each province when None), what lies below it.

    One aggregate query, however many children there are: the rows below ``parent`` are
    grouped by the leading part of their code that names the child they sit in, and by kind.
    """
    child_level = Region.Level.PROVINSI if parent is None else parent.level + 1
    if child_level >= Region.Level.DESA:
        return {}  # desa/kelurahan have nothing below them
    rows = Region.objects.filter(level__gt=child_level)
    if parent is not None:
        rows = rows.filter(below_q(parent.code))
    grouped = (
        rows.annotate(child=Substr("code", 1, CODE_LENGTH[child_level]))
        .values("child", "kind")
        .annotate(number=Count("code"))
        .order_by()
    )
    counts: dict[str, RegionCounts] = defaultdict(RegionCounts)
    for row in grouped:
        counts[row["child"]].add(row["kind"], row["number"])
    return dict(counts)


def region_subtree_counts(*, region: Region | None) -> RegionCounts:
    """What lies below ``region`` (the whole country when None), by kind, in one query."""
    rows = Region.objects.all() if region is None else Region.objects.filter(below_q(region.code))
    counts = RegionCounts()
    for row in rows.values("kind").annotate(number=Count("code")).order_by():
        counts.add(row["kind"], row["number"])
    return counts


def search_q(query: str) -> Q:
    """The search rule: the name contains ``query`` (any case) or the code starts with it."""
    query = query.strip()
    return Q(name__icontains=query) | Q(code__startswith=query)


def search_ordering(query: str) -> tuple[str, ...]:
    """Higher levels first (a kabupaten before the desa that share its name); then by code for
    a query that looks like a code, else by name."""
    if CODE_LIKE.fullmatch(query.strip()):
        return ("level", "code")
    return ("level", "name", "code")


def region_search(*, query: str) -> QuerySet[Region]:
    """Regions across the country whose name contains ``query`` or whose code starts with it.

    The caller checks the length (``SEARCH_MIN_LENGTH``): one letter would match most of the
    country.
    """
    return Region.objects.filter(search_q(query)).order_by(*search_ordering(query))
