"""The region browser: provinsi → kabupaten/kota → kecamatan → desa/kelurahan, and a search.

Who may read what: regions are the public Kemendagri reference list (Kepmendagri
300.2.2-2138/2025, published openly and the same for everyone), not data of any kabupaten,
so every signed-in user may browse all of Indonesia here. This is deliberately the one list
that does not go through ``accounts.selectors.scope_filter``; the records that hang off a
region (forums, evidence, dossiers) stay scoped. The user's own working area is only
*marked*, so that a secretary finds their kecamatan quickly.

The working area comes from ``request.scope`` (set by ``accounts.middleware.ScopeMiddleware``),
so ``regions`` never imports ``accounts``: dependencies point one way (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .forms import RegionSearchForm
from .models import Region
from .scope import Scope
from .selectors import (
    RegionCounts,
    region_ancestors,
    region_children,
    region_counts,
    region_get,
    region_paths,
    region_search,
)

SEARCH_PAGE_SIZE = 25


@dataclass
class Row:
    region: Region
    numbers: list[int] = field(default_factory=list)
    path: list[Region] = field(default_factory=list)
    mine: bool = False  # inside the user's working area
    holds_mine: bool = False  # the user's working area lies inside it


def _marks(scope: Scope, code: str) -> tuple[bool, bool]:
    # A user who reads everything (national verifier, superuser) gets one note at the top
    # instead of a badge on every row.
    if scope.everything:
        return False, False
    return scope.covers(code), any(prefix.startswith(code + ".") for prefix in scope.prefixes)


def _fmt(number: int) -> str:
    return number_format(number, force_grouping=True)


def _summary(counts: RegionCounts, below_level: int) -> list[str]:
    """'8 kabupaten/kota (4 kabupaten, 4 kota)', … for the levels below ``below_level``."""
    parts = []
    if below_level < Region.Level.KABKOTA:
        parts.append(
            _("%(total)s kabupaten/kota (%(kab)s kabupaten, %(kota)s kota)")
            % {"total": _fmt(counts.kabkota), "kab": _fmt(counts.kabupaten), "kota": _fmt(counts.kota)}
        )
    if below_level < Region.Level.KECAMATAN:
        parts.append(_("%(total)s kecamatan") % {"total": _fmt(counts.kecamatan)})
    if below_level < Region.Level.DESA:
        parts.append(
            _("%(total)s desa/kelurahan (%(desa)s desa, %(kel)s kelurahan)")
            % {"total": _fmt(counts.desa_kelurahan), "desa": _fmt(counts.desa), "kel": _fmt(counts.kelurahan)}
        )
    return parts


def _working_area(scope: Scope) -> list[Region]:
    if scope.everything or not scope.prefixes:
        return []
    return list(Region.objects.filter(code__in=scope.prefixes).order_by("code"))


def _listing(request, region: Region | None):
    scope = request.scope
    children = list(region_children(region=region))
    counts = region_counts(parent=region)
    child_level = Region.Level.PROVINSI if region is None else region.level + 1

    # Columns: what lies below the children. Their sums, plus the children themselves, are
    # what lies below ``region``: no second query for the heading.
    # (level, label, short label for phones)
    columns = [
        column
        for column in (
            (Region.Level.KABKOTA, _("Kabupaten/Kota"), _("Kabupaten/Kota")),
            (Region.Level.KECAMATAN, _("Kecamatan"), _("Kec.")),
            (Region.Level.DESA, _("Desa/Kelurahan"), _("Desa/Kel.")),
        )
        if column[0] > child_level
    ]
    total = RegionCounts()
    rows = []
    for child in children:
        below = counts.get(child.code, RegionCounts())
        total.add_counts(below)
        total.add(child.kind)
        mine, holds_mine = _marks(scope, child.code)
        rows.append(
            Row(child, numbers=[below.at_level(column[0]) for column in columns], mine=mine, holds_mine=holds_mine)
        )

    mine, holds_mine = _marks(scope, region.code) if region else (False, False)
    context = {
        "region": region,
        "ancestors": region_ancestors(region=region) if region else [],
        "rows": rows,
        "columns": columns,
        "child_level_label": Region.Level(child_level).label if child_level <= Region.Level.DESA else "",
        "summary": _summary(total, below_level=region.level if region else 0),
        "mine": mine,
        "holds_mine": holds_mine,
        "scope_everything": scope.everything,
        "working_area": _working_area(scope) if region is None else [],
        "form": RegionSearchForm(),
    }
    return render(request, "regions/browse.html", context)


def _search(request):
    form = RegionSearchForm(request.GET)
    page = None
    rows = []
    if form.is_valid():
        scope = request.scope
        results = region_search(query=form.cleaned_data["q"])
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        paths = region_paths(regions=page.object_list)
        for result in page.object_list:
            mine, holds_mine = _marks(scope, result.code)
            rows.append(Row(result, path=paths[result.code], mine=mine, holds_mine=holds_mine))
    return render(request, "regions/search.html", {"form": form, "page": page, "rows": rows})


@login_required
def browse(request):
    """The provinces of Indonesia, or, with ``?q=``, regions matching a name or code."""
    if "q" in request.GET:
        return _search(request)
    return _listing(request, region=None)


@login_required
def detail(request, code):
    """One region: its path, what lies below it, and its children with their own counts."""
    try:
        region = region_get(code=code)
    except Region.DoesNotExist:
        raise Http404(_("Wilayah tidak ditemukan.")) from None
    return _listing(request, region=region)
