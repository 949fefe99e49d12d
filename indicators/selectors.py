"""Reads of assessments and entries, always through the user's access scope."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import ALL_ENTRIES_ROLES, is_bappeda_admin_of, opd_ids_operated_by
from accounts.models import User
from accounts.selectors import get_in_scope_or_404, scope_filter, scope_of
from regions.models import Region

from .models import Assessment, IndicatorEntry, OdfStatus


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    return scope_filter(Assessment.objects.select_related("kabupaten", "cycle"), user=user, field="kabupaten__code")


def assessment_for(user: User, pk: int) -> Assessment:
    """One assessment the user may read; 404 when it is outside their scope."""
    return get_in_scope_or_404(assessments_visible_to(user), user=user, field="kabupaten__code", pk=pk)


def can_edit_entry(user: User, entry: IndicatorEntry) -> bool:
    if is_bappeda_admin_of(user, entry.assessment.kabupaten_id):
        return True
    return entry.assigned_opd_id is not None and entry.assigned_opd_id in opd_ids_operated_by(user)


def entries_for_opd_operator(user: User) -> QuerySet[IndicatorEntry]:
    """Exactly the entries assigned to the OPD(s) the user operates for."""
    return IndicatorEntry.objects.filter(assigned_opd_id__in=opd_ids_operated_by(user)).select_related(
        "assessment__kabupaten", "assessment__cycle", "indicator__tatanan", "self_score", "assigned_opd"
    )


def entries_visible_to(user: User) -> QuerySet[IndicatorEntry]:
    """The entries ``user`` reads, on the pages and in the API alike: every entry of the assessments
    in the scope of their roles other than OPD operator, plus exactly the entries assigned to the
    OPD(s) they operate for (``accounts.access``: an OPD operator reads only their own entries).

    One filter on the entries' own rows (the assessment's kabupaten, the assigned OPD), not
    ``pk IN (…)`` of the readable entries: that made PostgreSQL gather and sort every entry of
    the country to give one kabupaten's (docs/PERFORMANCE.md, "Fixed causes")."""
    entries = IndicatorEntry.objects.select_related(
        "assessment__kabupaten",
        "indicator__tatanan",
        "self_score",
        "provincial_score",
        "national_score",
        "assigned_opd",
    ).order_by("assessment_id", "indicator__tatanan__number", "indicator__order", "indicator_id")
    scope = scope_of(user, roles=ALL_ENTRIES_ROLES)
    if scope.everything:
        return entries
    # An empty scope is ``pk IN ()``, which an OR drops and which alone matches nothing.
    visible = scope.q("assessment__kabupaten__code")
    opds = opd_ids_operated_by(user)
    if opds:
        visible |= Q(assigned_opd_id__in=sorted(opds))
    return entries.filter(visible)


def entries_of(assessment: Assessment, *, user: User) -> QuerySet[IndicatorEntry]:
    """The entries of ``assessment`` that ``user`` reads (``entries_visible_to``)."""
    return entries_visible_to(user).filter(assessment=assessment)


def entry_for(user: User, *, assessment: Assessment, pk: int) -> IndicatorEntry:
    """An entry of ``assessment`` that ``user`` reads (``entries_visible_to``), or 404."""
    return get_object_or_404(entries_visible_to(user), assessment=assessment, pk=pk)


def odf_percent(assessment: Assessment) -> Decimal | None:
    """The share of desa/kelurahan of the kabupaten declared ODF, from whichever shape is filled.

    Per-desa rows count for their kecamatan; a kecamatan's count row is used only when that
    kecamatan has no per-desa rows. With an usulan only the proposed kecamatan and desa count
    (``usulan_of``). ``None`` when nothing has been reported.
    """
    rows = list(
        OdfStatus.objects.filter(assessment=assessment).values_list(
            "kecamatan_id", "desa_id", "declared_odf", "desa_total", "desa_odf"
        )
    )
    # With an usulan, only the proposed kecamatan (and, when desa are proposed, their desa) count.
    kecamatan_proposed, desa_proposed = usulan_of(assessment)
    if kecamatan_proposed:
        rows = [row for row in rows if row[0] in kecamatan_proposed]
    if desa_proposed:
        rows = [row for row in rows if row[1] is None or row[1] in desa_proposed]
    with_desa_rows = {kecamatan for kecamatan, desa, *_ in rows if desa}
    total = odf = 0
    for kecamatan, desa, declared, desa_total, desa_odf in rows:
        if desa:
            total += 1
            odf += int(declared)
        elif kecamatan not in with_desa_rows:
            total += desa_total
            odf += desa_odf
    if not total:
        return None
    return (Decimal(odf) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def kecamatan_coverage(assessment: Assessment) -> Decimal | None:
    """The share of the kabupaten/kota's kecamatan in the round's usulan (older rounds tier by it,
    docs/DOMAIN.md "Cycles"); ``None`` while no kecamatan is proposed."""
    proposed = assessment.proposed_kecamatan.count()
    if not proposed:
        return None
    total = Region.objects.filter(level=Region.Level.KECAMATAN, parent_id=assessment.kabupaten_id).count()
    if not total:
        return None
    return (Decimal(proposed) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def usulan_of(assessment: Assessment) -> tuple[set[str], set[str]]:
    """The codes of the kecamatan and desa/kelurahan the round proposes, as ``(kecamatan, desa)``:
    both empty when nothing is proposed (everything counts); no desa proposed means every desa of
    the proposed kecamatan."""
    kecamatan = set(assessment.proposed_kecamatan.values_list("code", flat=True))
    desa = set(assessment.proposed_desa.values_list("code", flat=True))
    return kecamatan, desa


def usulan_region_q(assessment: Assessment, field_name: str) -> Q:
    """A filter on ``field_name`` (a region code) for the regions of the round's usulan: the
    kabupaten/kota itself, the proposed kecamatan (and those of the proposed desa) and their
    desa/kelurahan — only the proposed ones when desa are proposed. The whole kabupaten/kota when
    nothing is proposed. The one rule for what the dossier and the checklist count (docs/DOMAIN.md
    "Cycles"), as ``forums.kelembagaan.services.KabupatenRollup.for_usulan`` does for the gate."""
    kabupaten = assessment.kabupaten_id
    kecamatan, desa = usulan_of(assessment)
    if not kecamatan and not desa:
        return Q(**{field_name: kabupaten}) | Q(**{f"{field_name}__startswith": kabupaten + "."})
    kecamatan = kecamatan | {code.rsplit(".", 1)[0] for code in desa}
    q = Q(**{f"{field_name}__in": sorted({kabupaten, *kecamatan, *desa})})
    if not desa:
        for code in sorted(kecamatan):
            q |= Q(**{f"{field_name}__startswith": code + "."})
    return q


def usulan_kecamatan(assessment: Assessment) -> QuerySet[Region]:
    """The kecamatan the round counts: those of the usulan, or every kecamatan when none is proposed."""
    kecamatan, desa = usulan_of(assessment)
    regions = Region.objects.filter(parent_id=assessment.kabupaten_id, level=Region.Level.KECAMATAN)
    if kecamatan or desa:
        regions = regions.filter(code__in=kecamatan | {code.rsplit(".", 1)[0] for code in desa})
    return regions.order_by("code")
