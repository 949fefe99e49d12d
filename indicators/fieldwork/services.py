"""Field work of an assessment: titik pantau, ODF status, kelembagaan scores, the chosen
tatanan and the kabupaten's local indicators.

Every write is for the Bappeda admin of the assessment's kabupaten/kota (and superusers); anyone
else gets ``Http404``, whether or not they read the assessment (``accounts.access``). One
exception: the titik pantau an OPD was asked for (a data request of kind ``titik_pantau``) are
also written by that OPD's operators (``requests.selectors.may_write_titik_pantau``). The few
reads these pages need sit at the end of this module, next to the writes they serve.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.access import is_bappeda_admin_of, require_kabupaten_admin
from accounts.models import User
from regions.models import Region
from regions.words import village_word
from tatanan.models import Cycle, Indicator, ScaleOption, Tatanan
from tatanan.selectors import is_selectable, retired_option_message
from tatanan.services import local_indicator_create, local_indicator_delete

from ..models import Assessment, IndicatorEntry, KelembagaanEntry, OdfStatus, TitikPantau
from ..requests.selectors import may_write_titik_pantau
from ..selectors import usulan_kecamatan
from ..services import assessment_open, category_check

# Indonesia's bounding box with a little margin: from Sabang to Merauke, Miangas to Rote.
INDONESIA_LATITUDE = (Decimal("-11.5"), Decimal("6.5"))
INDONESIA_LONGITUDE = (Decimal("94.5"), Decimal("141.5"))

TITIK_PANTAU_FIELDS = {"tatanan", "name", "kind", "desa", "address", "latitude", "longitude", "description"}


# --- Titik pantau -----------------------------------------------------------------------------


def outside_indonesia(latitude: Decimal | None, longitude: Decimal | None) -> bool:
    """True when a coordinate lies well outside Indonesia: probably swapped or mistyped."""
    if latitude is None or longitude is None:
        return False
    return not (
        INDONESIA_LATITUDE[0] <= latitude <= INDONESIA_LATITUDE[1]
        and INDONESIA_LONGITUDE[0] <= longitude <= INDONESIA_LONGITUDE[1]
    )


def _clean_titik_pantau(assessment: Assessment, fields: dict) -> dict:
    errors: dict[str, str] = {}
    tatanan = fields.get("tatanan")
    if "tatanan" in fields and (tatanan is None or not assessment.tatanan.filter(pk=tatanan.pk).exists()):
        errors["tatanan"] = _("Pilih salah satu tatanan yang dinilai dalam penilaian ini.")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            errors["name"] = _("Isi nama titik pantau.")
    if "kind" in fields and fields["kind"] not in TitikPantau.Kind.values:
        errors["kind"] = _("Jenis titik pantau tidak dikenal.")
    desa = fields.get("desa")
    if isinstance(desa, str):
        desa = fields["desa"] = Region.objects.filter(code=desa.strip()).first() if desa.strip() else None
    if desa is not None and (
        desa.level != Region.Level.DESA or not desa.code.startswith(assessment.kabupaten_id + ".")
    ):
        errors["desa"] = _("%(village)s harus berada di wilayah %(kabupaten)s.") % {
            "village": capfirst(village_word(assessment.kabupaten)),  # regions/words.py
            "kabupaten": assessment.kabupaten.name,
        }
    latitude, longitude = fields.get("latitude"), fields.get("longitude")
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        errors["latitude"] = _("Lintang harus antara -90 dan 90.")
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        errors["longitude"] = _("Bujur harus antara -180 dan 180.")
    if ("latitude" in fields or "longitude" in fields) and (latitude is None) != (longitude is None):
        errors["longitude" if latitude is not None else "latitude"] = _("Isi lintang dan bujur bersama-sama.")
    if errors:
        raise ValidationError(errors)
    return fields


def _require_titik_pantau_writer(actor: User, assessment: Assessment, tatanan: Tatanan | None, kind: str) -> None:
    """404 unless ``actor`` may write a titik pantau of this tatanan and kind: the Bappeda admin,
    or an operator of an OPD asked for them (README "Permintaan data")."""
    if not may_write_titik_pantau(actor, assessment, tatanan_id=getattr(tatanan, "pk", None), kind=kind):
        raise Http404


def titik_pantau_create(*, assessment: Assessment, actor: User, tatanan: Tatanan, name: str, kind: str, **fields):
    """Add a monitoring point to ``assessment`` for one of its assessed tatanan.

    Optional fields: ``desa`` (a Region or its code; must lie in the kabupaten/kota),
    ``address``, ``latitude`` and ``longitude`` (together), ``description``.
    """
    _require_titik_pantau_writer(actor, assessment, tatanan, kind)
    fields.update(tatanan=tatanan, name=name, kind=kind)
    unknown = set(fields) - TITIK_PANTAU_FIELDS
    if unknown:
        raise ValidationError(_("Kolom tidak dikenal: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    fields = _clean_titik_pantau(assessment, fields)
    return TitikPantau.objects.create(assessment=assessment, created_by=actor, **fields)


def titik_pantau_update(*, titik_pantau: TitikPantau, actor: User, **fields) -> TitikPantau:
    """Change a titik pantau; an OPD operator only within what their OPD was asked, before and
    after the change (a point cannot be moved out of, or into, their reach)."""
    assessment = titik_pantau.assessment
    _require_titik_pantau_writer(actor, assessment, titik_pantau.tatanan, titik_pantau.kind)
    _require_titik_pantau_writer(
        actor, assessment, fields.get("tatanan", titik_pantau.tatanan), fields.get("kind", titik_pantau.kind)
    )
    unknown = set(fields) - TITIK_PANTAU_FIELDS
    if unknown:
        raise ValidationError(_("Kolom tidak dikenal: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    fields = _clean_titik_pantau(titik_pantau.assessment, fields)
    for name, value in fields.items():
        setattr(titik_pantau, name, value)
    titik_pantau.save()
    return titik_pantau


def titik_pantau_delete(*, titik_pantau: TitikPantau, actor: User) -> None:
    """Delete a titik pantau: the Bappeda admin any, an OPD operator only one they added
    themselves within what their OPD was asked."""
    assessment = titik_pantau.assessment
    if not is_bappeda_admin_of(actor, assessment.kabupaten_id):
        _require_titik_pantau_writer(actor, assessment, titik_pantau.tatanan, titik_pantau.kind)
        if titik_pantau.created_by_id != actor.pk:
            raise Http404
    titik_pantau.delete()


# --- ODF ----------------------------------------------------------------------------------------


def _check_kecamatan(assessment: Assessment, kecamatan: Region) -> None:
    if kecamatan.level != Region.Level.KECAMATAN or kecamatan.parent_id != assessment.kabupaten_id:
        raise ValidationError(
            _("Kecamatan harus berada di wilayah %(kabupaten)s.") % {"kabupaten": assessment.kabupaten.name}
        )


@transaction.atomic
def odf_counts_set(
    *, assessment: Assessment, actor: User, kecamatan: Region, desa_total: int, desa_odf: int
) -> OdfStatus:
    """Report a kecamatan's ODF status as counts: desa/kelurahan in total and declared Stop BABS.

    The total cannot exceed the kecamatan's desa/kelurahan in the Kemendagri regions. Counts
    replace a per-desa checklist of the same kecamatan (``odf_percent`` would prefer the
    checklist otherwise, and the user just said the counts are what holds).
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    _check_kecamatan(assessment, kecamatan)
    real = desa_of(kecamatan).count()
    village = village_word(kecamatan)  # "kelurahan" in a kecamatan of kelurahan (regions/words.py)
    errors = {}
    if desa_total is None or desa_total < 0:
        errors["desa_total"] = _("Jumlah %(village)s tidak boleh negatif.") % {"village": village}
    elif desa_total > real:
        errors["desa_total"] = _(
            "Jumlah %(village)s (%(total)s) melebihi jumlah %(village)s Kecamatan %(kecamatan)s "
            "menurut data wilayah Kemendagri (%(real)s)."
        ) % {"village": village, "total": desa_total, "kecamatan": kecamatan.name, "real": real}
    if desa_odf is None or desa_odf < 0:
        errors["desa_odf"] = _("Jumlah %(village)s Stop BABS tidak boleh negatif.") % {"village": village}
    elif desa_total is not None and desa_odf > desa_total:
        errors["desa_odf"] = _("Jumlah %(village)s Stop BABS tidak boleh melebihi jumlah %(village)s.") % {
            "village": village
        }
    if errors:
        raise ValidationError(errors)
    OdfStatus.objects.filter(assessment=assessment, kecamatan=kecamatan, desa__isnull=False).delete()
    status, _created = OdfStatus.objects.update_or_create(
        assessment=assessment,
        kecamatan=kecamatan,
        desa=None,
        defaults={"desa_total": desa_total, "desa_odf": desa_odf, "declared_odf": False},
    )
    return status


@transaction.atomic
def odf_checklist_set(
    *, assessment: Assessment, actor: User, kecamatan: Region, odf_desa: Iterable[Region | str]
) -> list[OdfStatus]:
    """Report a kecamatan's ODF status desa by desa: every desa/kelurahan of the kecamatan gets
    a row, declared Stop BABS when it is in ``odf_desa`` (Regions or codes). Replaces the
    kecamatan's counts."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    _check_kecamatan(assessment, kecamatan)
    desa = list(desa_of(kecamatan))
    known = {d.code for d in desa}
    declared = {d.code if isinstance(d, Region) else str(d) for d in odf_desa}
    strangers = declared - known
    if strangers:
        raise ValidationError(
            _("Desa/kelurahan berikut bukan bagian dari Kecamatan %(kecamatan)s: %(codes)s")
            % {"kecamatan": kecamatan.name, "codes": ", ".join(sorted(strangers))}
        )
    if not desa:
        raise ValidationError(
            _("Data wilayah tidak memuat desa/kelurahan Kecamatan %(kecamatan)s.") % {"kecamatan": kecamatan.name}
        )
    OdfStatus.objects.filter(assessment=assessment, kecamatan=kecamatan, desa__isnull=True).delete()
    rows = []
    for d in desa:
        row, _created = OdfStatus.objects.update_or_create(
            assessment=assessment, kecamatan=kecamatan, desa=d, defaults={"declared_odf": d.code in declared}
        )
        rows.append(row)
    return rows


# --- Kelembagaan --------------------------------------------------------------------------------


@transaction.atomic
def kelembagaan_entries_update(
    *, assessment: Assessment, actor: User, changes: Iterable[tuple[KelembagaanEntry, ScaleOption | None, str]]
) -> int:
    """Set the self score and note of kelembagaan entries: (entry, option or None, note) each.

    The option must be one of the entry's item's own scale options, and not a retired one unless
    the entry holds it already (``tatanan.selectors.is_selectable``); nothing is saved when one
    is not. Returns the number of entries changed.
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    changed = []
    errors = []
    for entry, option, note in changes:
        if entry.assessment_id != assessment.pk:
            raise Http404
        if option is not None and option.kelembagaan_item_id != entry.item_id:
            errors.append(_("%(item)s: nilai harus salah satu opsi skala butir ini.") % {"item": entry.item})
            continue
        if option is not None and not is_selectable(option, entry.self_score_id):
            errors.append(f"{entry.item}: {retired_option_message(option)}")
            continue
        note = note or ""
        if entry.self_score_id != (option.pk if option else None) or entry.note != note:
            entry.self_score, entry.note = option, note
            changed.append(entry)
    if errors:
        raise ValidationError(errors)
    KelembagaanEntry.objects.bulk_update(changed, ["self_score", "note"])
    return len(changed)


# --- Chosen tatanan -----------------------------------------------------------------------------

FILLED_ENTRY = (
    ~Q(status=IndicatorEntry.Status.KOSONG)
    | Q(self_score__isnull=False)
    | Q(provincial_score__isnull=False)
    | Q(national_score__isnull=False)
    | ~Q(value_year1="")
    | ~Q(value_year2="")
    | ~Q(target="")
    | ~Q(explanation="")
    | ~Q(evidence_link="")
    | ~Q(provincial_note="")
    | ~Q(national_note="")
)


@transaction.atomic
def assessment_tatanan_update(*, assessment: Assessment, actor: User, tatanan: Iterable[Tatanan]) -> Assessment:
    """Set the tatanan a kabupaten chose to be assessed on (cycles with chosen tatanan only).

    Newly chosen tatanan get their entries through ``assessment_open``. A tatanan is dropped
    only when nothing was filled in for it: its entries all empty and no titik pantau;
    otherwise the whole change is refused with the tatanan named.
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    if assessment.cycle.tatanan_selection != Cycle.TatananSelection.CHOSEN:
        raise ValidationError(_("Dalam siklus ini semua tatanan wajib dinilai; tatanan tidak dapat dipilih."))
    wanted = {t.pk: t for t in tatanan}
    if not wanted:
        raise ValidationError(_("Pilih sedikitnya satu tatanan."))
    if any(t.tatanan_set_id != assessment.cycle.tatanan_set_id for t in wanted.values()):
        raise ValidationError(_("Tatanan yang dipilih bukan bagian dari himpunan tatanan siklus ini."))
    current = {t.pk: t for t in assessment.tatanan.all()}
    dropped = [t for pk, t in current.items() if pk not in wanted]
    blocked = [
        t
        for t in dropped
        if assessment.indicator_entries.filter(indicator__tatanan=t).filter(FILLED_ENTRY).exists()
        or assessment.titik_pantau.filter(tatanan=t).exists()
    ]
    if blocked:
        raise ValidationError(
            _(
                "Tatanan berikut sudah berisi data (isian indikator atau titik pantau) sehingga tidak dapat "
                "dihapus dari penilaian: %(names)s. Kosongkan isiannya lebih dulu."
            )
            % {"names": ", ".join(str(t) for t in blocked)}
        )
    if dropped:
        assessment.indicator_entries.filter(indicator__tatanan__in=dropped).delete()
        assessment.tatanan.remove(*dropped)
    added = [t for pk, t in wanted.items() if pk not in current]
    if added:
        assessment_open(kabupaten=assessment.kabupaten, cycle=assessment.cycle, actor=actor, tatanan=added)
    return assessment


# --- Usulan and category --------------------------------------------------------------------------


@transaction.atomic
def assessment_usulan_update(
    *,
    assessment: Assessment,
    actor: User,
    category: str,
    kecamatan: Iterable[Region],
    desa: Iterable[Region] = (),
) -> Assessment:
    """Set the category the kabupaten/kota registered for and what it proposes (usulan): its
    kecamatan and, in them, its desa/kelurahan.

    The category is one of the cycle's tiers (or none); the kecamatan must be the kabupaten's
    own, and each desa must lie in a proposed kecamatan. Older rounds tier by the share of
    kecamatan proposed (``selectors.kecamatan_coverage``); the kelembagaan scores and the ODF
    share count the proposed ones (``selectors.usulan_of``).
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    category_check(assessment.cycle, category)
    chosen = list(kecamatan)
    foreign = [k for k in chosen if k.level != Region.Level.KECAMATAN or k.parent_id != assessment.kabupaten_id]
    if foreign:
        raise ValidationError(
            {
                "kecamatan": _("Bukan kecamatan %(kabupaten)s: %(names)s.")
                % {"kabupaten": assessment.kabupaten.name, "names": ", ".join(k.name for k in foreign)}
            }
        )
    proposed = {k.code for k in chosen}
    villages = list(desa)
    outside = [d for d in villages if d.level != Region.Level.DESA or d.parent_id not in proposed]
    if outside:
        raise ValidationError(
            {
                "desa": _(
                    "Desa/kelurahan berikut tidak berada di kecamatan yang diusulkan: %(names)s. "
                    "Centang kecamatannya juga, atau hapus centang desanya."
                )
                % {"names": ", ".join(d.name for d in outside)}
            }
        )
    assessment.category = category
    assessment.save(update_fields=["category"])
    assessment.proposed_kecamatan.set(chosen)
    assessment.proposed_desa.set(villages)
    return assessment


# --- Local indicators ---------------------------------------------------------------------------


@transaction.atomic
def local_indicator_add(*, assessment: Assessment, actor: User, tatanan: Tatanan, **fields) -> IndicatorEntry:
    """Add a local indicator of the assessment's kabupaten (see ``tatanan.services``) and its
    entry in this assessment. Its tatanan must be one the assessment covers."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    if not assessment.tatanan.filter(pk=tatanan.pk).exists():
        raise ValidationError({"tatanan": _("Pilih salah satu tatanan yang dinilai dalam penilaian ini.")})
    indicator = local_indicator_create(
        actor=actor, kabupaten=assessment.kabupaten, cycle=assessment.cycle, tatanan=tatanan, **fields
    )
    entry, _created = IndicatorEntry.objects.get_or_create(assessment=assessment, indicator=indicator)
    return entry


@transaction.atomic
def local_indicator_remove(*, assessment: Assessment, actor: User, indicator: Indicator) -> None:
    """Remove a local indicator from the assessment and the catalogue; refused while its entry
    holds data."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    if not indicator.is_local or indicator.owner_kabupaten_id != assessment.kabupaten_id:
        raise Http404
    entries = IndicatorEntry.objects.filter(indicator=indicator)
    if entries.filter(FILLED_ENTRY).exists():
        raise ValidationError(_("Indikator lokal ini sudah diisi; kosongkan isiannya sebelum menghapus."))
    entries.delete()
    local_indicator_delete(indicator=indicator, actor=actor)


# --- Reads for the pages above ------------------------------------------------------------------


def desa_of(kecamatan: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=kecamatan, level=Region.Level.DESA).order_by("code")


def kecamatan_of(kabupaten: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=kabupaten, level=Region.Level.KECAMATAN).order_by("code")


def titik_pantau_by_tatanan(assessment: Assessment) -> list[tuple[Tatanan, list[TitikPantau]]]:
    """Every assessed tatanan with its titik pantau (possibly none), in tatanan order."""
    points = list(assessment.titik_pantau.select_related("tatanan", "desa__parent"))
    return [(t, [p for p in points if p.tatanan_id == t.pk]) for t in assessment.tatanan.order_by("number")]


def odf_rows_by_kecamatan(assessment: Assessment) -> list[dict]:
    """Per kecamatan the round counts (the usulan's, else all): how its ODF status is reported,
    and the figures."""
    rows = list(OdfStatus.objects.filter(assessment=assessment))
    result = []
    kecamatan_list = usulan_kecamatan(assessment).annotate(
        desa_count=Count("children", filter=Q(children__level=Region.Level.DESA))
    )
    for kecamatan in kecamatan_list:
        own = [r for r in rows if r.kecamatan_id == kecamatan.code]
        per_desa = [r for r in own if r.desa_id]
        count = next((r for r in own if not r.desa_id), None)
        if per_desa:
            mode, total, odf = "desa", len(per_desa), sum(r.declared_odf for r in per_desa)
        elif count:
            mode, total, odf = "jumlah", count.desa_total, count.desa_odf
        else:
            mode, total, odf = None, None, None
        result.append(
            {"kecamatan": kecamatan, "mode": mode, "total": total, "odf": odf, "desa_count": kecamatan.desa_count}
        )
    return result


def local_entries_of(assessment: Assessment) -> QuerySet[IndicatorEntry]:
    return assessment.indicator_entries.filter(indicator__is_local=True).select_related(
        "indicator__tatanan", "self_score"
    )
