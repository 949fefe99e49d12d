"""Writes of the assessment round: opening an assessment and filling its entries."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import is_bappeda_admin_of, require_kabupaten_admin
from accounts.functions import functions_in
from accounts.models import Opd, User
from accounts.selectors import opd_function_map
from regions.models import Region
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption, Tatanan
from tatanan.selectors import check_selectable

from .models import Assessment, IndicatorEntry, KelembagaanEntry
from .selectors import can_edit_entry

# What a kabupaten fills in. The verifier fields (provincial_*, national_*) are written by the
# verification services of a later issue, never here.
ENTRY_FIELDS = {"value_year1", "value_year2", "target", "explanation", "evidence_link", "self_score", "status"}
ADMIN_ONLY_ENTRY_FIELDS = {"assigned_opd"}

_NUMBER = re.compile(r"^-?\d{1,10}([.,]\d{1,4})?$")


def _as_number(text: str) -> Decimal | None:
    """The decimal a data cell holds when it is a plain number ("12", "85,5"), else None."""
    text = (text or "").strip().replace(" ", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _opd_for(indicator: Indicator, opds: dict[str, Opd], by_function: dict[str, Opd] | None = None) -> Opd | None:
    """The first OPD of the kabupaten named in the indicator's ``responsible_opd`` list; else the
    OPD mapped to the first function its SUMBER DATA names that the kabupaten has mapped
    (``accounts.functions``: "perangkat daerah yang membidangi urusan kesehatan" → Dinkes)."""
    for name in indicator.responsible_opd.split(","):
        opd = opds.get(name.strip().lower())
        if opd:
            return opd
    for function in functions_in(indicator.sumber_data):
        opd = (by_function or {}).get(function)
        if opd:
            return opd
    return None


@transaction.atomic
def entries_assign_by_function(*, assessment: Assessment, actor: User) -> int:
    """Assign every official entry of ``assessment`` that has no OPD yet by the kabupaten's map of
    functions (``_opd_for``); returns how many were assigned. Assigned entries are left as they
    are: Bappeda changes them in bulk on the assign page. The kabupaten's Bappeda admin only."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    opds = {opd.short_name.lower(): opd for opd in Opd.objects.filter(kabupaten_id=assessment.kabupaten_id)}
    by_function = opd_function_map(assessment.kabupaten_id)
    changed = []
    for entry in assessment.indicator_entries.filter(assigned_opd__isnull=True).select_related("indicator"):
        opd = _opd_for(entry.indicator, opds, by_function)
        if opd is not None:
            entry.assigned_opd = opd
            changed.append(entry)
    IndicatorEntry.objects.bulk_update(changed, ["assigned_opd"])
    return len(changed)


def category_check(cycle: Cycle, category: str) -> None:
    """The category registered for is one of ``cycle``'s tiers, or none (docs/DOMAIN.md "Cycles")."""
    if category and not cycle.tier_rules.filter(tier=category).exists():
        raise ValidationError({"category": _("Kategori ini tidak ada dalam aturan strata siklus ini.")})


@transaction.atomic
def assessment_open(
    *, kabupaten: Region, cycle: Cycle, actor: User, tatanan: list[Tatanan] | None = None, category: str = ""
) -> Assessment:
    """Open (or complete) the assessment of ``kabupaten`` for ``cycle``.

    When the cycle makes every tatanan compulsory all tatanan of its set are assessed; otherwise
    ``tatanan`` names the chosen ones (on a re-run they are added). An entry is created for every
    indicator of the assessed tatanan (national ones and the kabupaten's own local ones) and every
    kelembagaan item; entries that exist are left untouched, so calling this again is safe.
    Indicators get the first OPD named in their ``responsible_opd`` that the kabupaten has, else
    the OPD the kabupaten mapped to the function their SUMBER DATA names (``_opd_for``).
    ``category`` (one of the cycle's tiers) is the category registered for; given, it is set.
    """
    require_kabupaten_admin(actor, kabupaten.code)
    if kabupaten.level != Region.Level.KABKOTA:
        raise ValidationError(_("Penilaian dibuka untuk kabupaten/kota."))

    if cycle.tatanan_selection == Cycle.TatananSelection.ALL:
        chosen = list(Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id))
    else:
        chosen = list(tatanan or [])
        if any(t.tatanan_set_id != cycle.tatanan_set_id for t in chosen):
            raise ValidationError(_("Tatanan yang dipilih bukan bagian dari himpunan tatanan siklus ini."))

    category_check(cycle, category)
    assessment, created = Assessment.objects.get_or_create(
        kabupaten=kabupaten, cycle=cycle, defaults={"created_by": actor}
    )
    if category and assessment.category != category:
        assessment.category = category
        assessment.save(update_fields=["category"])
    if chosen:
        assessment.tatanan.add(*chosen)
    if not assessment.tatanan.exists():
        raise ValidationError(_("Pilih sedikitnya satu tatanan."))

    indicators = Indicator.objects.filter(cycle=cycle, tatanan__in=assessment.tatanan.all()).filter(
        Q(is_local=False) | Q(owner_kabupaten=kabupaten)
    )
    existing = set(assessment.indicator_entries.values_list("indicator_id", flat=True))
    opds = {opd.short_name.lower(): opd for opd in Opd.objects.filter(kabupaten=kabupaten)}
    by_function = opd_function_map(kabupaten.code)
    IndicatorEntry.objects.bulk_create(
        IndicatorEntry(assessment=assessment, indicator=indicator, assigned_opd=_opd_for(indicator, opds, by_function))
        for indicator in indicators
        if indicator.pk not in existing
    )
    existing_items = set(assessment.kelembagaan_entries.values_list("item_id", flat=True))
    KelembagaanEntry.objects.bulk_create(
        KelembagaanEntry(assessment=assessment, item=item)
        for item in KelembagaanItem.objects.filter(cycle=cycle)
        if item.pk not in existing_items
    )
    return assessment


def indicator_entry_update(*, entry: IndicatorEntry, actor: User, **fields) -> IndicatorEntry:
    """Change what a kabupaten filled in for one indicator.

    The Bappeda admin of the kabupaten may edit any entry (and reassign it to an OPD); an OPD
    operator only the entries assigned to their OPD. Anyone else gets ``Http404``: to them the
    entry does not exist. The self score must be one of the indicator's own scale options, and
    not a retired one unless it is the score already stored (``tatanan.selectors.is_selectable``).
    A first score moves an empty entry to draft.
    """
    if not can_edit_entry(actor, entry):
        raise Http404
    unknown = set(fields) - ENTRY_FIELDS - ADMIN_ONLY_ENTRY_FIELDS
    if unknown:
        raise ValidationError(
            _("Kolom berikut tidak dapat diubah di sini: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if set(fields) & ADMIN_ONLY_ENTRY_FIELDS and not is_bappeda_admin_of(actor, entry.assessment.kabupaten_id):
        raise ValidationError({"assigned_opd": _("Hanya admin Bappeda yang dapat menugaskan OPD.")})

    score = fields.get("self_score")
    if isinstance(score, int):
        score = fields["self_score"] = ScaleOption.objects.filter(pk=score).first()
    if score is not None and score.indicator_id != entry.indicator_id:
        raise ValidationError({"self_score": _("Nilai harus salah satu opsi skala indikator ini.")})
    check_selectable(score, entry.self_score_id, field="self_score")
    opd = fields.get("assigned_opd")
    if opd is not None and opd.kabupaten_id != entry.assessment.kabupaten_id:
        raise ValidationError({"assigned_opd": _("OPD harus dari kabupaten/kota yang sama.")})
    if "status" in fields and fields["status"] not in IndicatorEntry.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    if fields.get("evidence_link"):
        fields["evidence_link"] = fields["evidence_link"].strip()
        try:
            URLValidator(schemes=["http", "https"])(fields["evidence_link"])
        except ValidationError:
            raise ValidationError(
                {"evidence_link": _("Tautan bukti dukung harus alamat web yang diawali http:// atau https://.")}
            ) from None

    for name, value in fields.items():
        setattr(entry, name, value)
    for name in ("value_year1", "value_year2"):
        if name in fields:
            setattr(entry, f"{name}_number", _as_number(fields[name]))
    # A scored entry is no longer empty, even when the form sent its old status along.
    if entry.self_score_id and entry.status == IndicatorEntry.Status.KOSONG:
        entry.status = IndicatorEntry.Status.DRAF
    entry.updated_by = actor
    entry.save()
    return entry


# --- Results recorded outside the portal ------------------------------------------------------


def offline_verification_allowed(assessment: Assessment) -> bool:
    """Whether the province's verification may be recorded from a file: only while the portal's
    own verification has not started (no dossier, or one still a draft). Once the dossier is
    submitted, provincial scores are the province's to give in the portal (the dossier workflow,
    ``dossiers.workflow``, a layer above this app; its draft status is the string "draft")."""
    return (
        not Assessment.objects.filter(pk=assessment.pk, dossier__isnull=False).exclude(dossier__status="draft").exists()
    )


@transaction.atomic
def imported_results_record(
    *,
    assessment: Assessment,
    actor: User,
    entries: list[tuple[IndicatorEntry, dict]] = (),
    kelembagaan: list[tuple[KelembagaanEntry, dict]] = (),
) -> None:
    """Record what a filled workbook from the field carries besides the self-assessment: the
    province's score and note per indicator (``provincial_score``, ``provincial_note``) and, per
    kelembagaan item, the link to its proof and the province's note (``evidence_link``,
    ``provincial_note``). Only the Bappeda admin of the kabupaten (or a superuser) imports such a
    file; the province's part only while ``offline_verification_allowed``.
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    provincial = offline_verification_allowed(assessment)
    for entry, fields in entries:
        if entry.assessment_id != assessment.pk or set(fields) - {"provincial_score", "provincial_note"}:
            raise Http404
        score = fields.get("provincial_score")
        if score is not None and score.indicator_id != entry.indicator_id:
            raise ValidationError({"provincial_score": _("Nilai harus salah satu opsi skala indikator ini.")})
        if "provincial_score" in fields:
            check_selectable(score, entry.provincial_score_id, field="provincial_score")
        if not provincial:
            raise ValidationError(_("Verifikasi provinsi sudah berjalan di portal; nilai provinsi tidak diimpor."))
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_by = actor
        entry.save(update_fields=[*fields, "updated_by", "updated_at"])
    for entry, fields in kelembagaan:
        if entry.assessment_id != assessment.pk or set(fields) - {"evidence_link", "provincial_note"}:
            raise Http404
        if "provincial_note" in fields and not provincial:
            raise ValidationError(_("Verifikasi provinsi sudah berjalan di portal; catatan provinsi tidak diimpor."))
        if fields.get("evidence_link"):
            URLValidator(schemes=["http", "https"])(fields["evidence_link"])
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(fields))
