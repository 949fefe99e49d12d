"""Writes of the catalogue: a kabupaten/kota's own local indicators, and the superuser's review of
the evidence requirements the importer derived (merging and splitting documents).

The national catalogue comes from the official instrument (``importer.instrument_import``).
A kabupaten/kota may add indicators of its own (``is_local``, e.g. its "indikator pokok") to a
cycle and tatanan. They are assessed beside the official ones but never count in official
scores (``indicators.scoring`` leaves them out), and only users whose scope covers the owner
kabupaten see them (``selectors._visible_indicator_q``).

Creating the assessment entries for a new local indicator is the job of the ``indicators`` app
(``indicators.fieldwork.services.local_indicator_add``): this app does not know assessments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from accounts.models import User
from regions.models import Region

from .models import Cycle, EvidenceRequirement, Indicator, ScaleOption, Tatanan
from .selectors import can_import_instrument, requirement_documents, requirements_with_evidence

LOCAL_FIELDS = {"number", "name", "definisi_operasional", "sumber_data", "target", "responsible_opd", "scale_text"}

# "100 = ada dan berfungsi", "50: sebagian", "0 - tidak ada", "1. Nilai 100 jika …"
_OPTION_LINE = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:nilai\s+)?(\d{1,3})\s*(?:[=:\-–]|jika\b)?\s*(.*)$", re.IGNORECASE)


def scale_options_parse(*, text: str, allowed: list[int]) -> list[tuple[int, str]]:
    """(value, criterion) per non-empty line of ``text``, e.g. "100 = ada dan berfungsi".

    Values must be among the cycle's ``allowed`` scale values and appear once each.
    """
    options: list[tuple[int, str]] = []
    for line_no, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _OPTION_LINE.match(line)
        if not match:
            raise ValidationError(
                {"scale_text": _("Baris %(line)s: tulis nilai lalu kriteria, mis. “100 = ada”.") % {"line": line_no}}
            )
        value, criterion = int(match.group(1)), match.group(2).strip()
        if value not in allowed:
            raise ValidationError(
                {
                    "scale_text": _("Baris %(line)s: nilai %(value)s tidak sah; pilih dari %(allowed)s.")
                    % {"line": line_no, "value": value, "allowed": ", ".join(str(v) for v in allowed)}
                }
            )
        if any(value == v for v, _c in options):
            raise ValidationError({"scale_text": _("Nilai %(value)s tertulis dua kali.") % {"value": value}})
        options.append((value, criterion or str(value)))
    return options


def _replace_scale_options(indicator: Indicator, options: list[tuple[int, str]]) -> None:
    indicator.scale_options.all().delete()
    ScaleOption.objects.bulk_create(
        ScaleOption(indicator=indicator, value=value, description=criterion, order=order)
        for order, (value, criterion) in enumerate(options)
    )


def _check_number_free(*, cycle: Cycle, tatanan: Tatanan, kabupaten: Region, number: str, exclude_pk=None) -> None:
    taken = Indicator.objects.filter(
        cycle=cycle, tatanan=tatanan, is_local=True, owner_kabupaten=kabupaten, number=number
    ).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"number": _("Nomor %(number)s sudah dipakai indikator lokal lain.") % {"number": number}}
        )


@transaction.atomic
def local_indicator_create(
    *,
    actor: User,
    kabupaten: Region,
    cycle: Cycle,
    tatanan: Tatanan,
    number: str,
    name: str,
    definisi_operasional: str = "",
    sumber_data: str = "",
    target: str = "",
    responsible_opd: str = "",
    scale_text: str = "",
) -> Indicator:
    """Add a local indicator of ``kabupaten`` to ``cycle`` and ``tatanan``.

    ``scale_text`` optionally holds the scale, one option a line ("100 = …"); without it the
    indicator is filled in but not scored. Local indicators sort after the official ones.
    """
    require_kabupaten_admin(actor, kabupaten.code)
    if kabupaten.level != Region.Level.KABKOTA:
        raise ValidationError(_("Indikator lokal dimiliki kabupaten/kota."))
    if tatanan.tatanan_set_id != cycle.tatanan_set_id:
        raise ValidationError({"tatanan": _("Tatanan ini bukan bagian dari himpunan tatanan siklus.")})
    number, name = (number or "").strip(), (name or "").strip()
    if not number:
        raise ValidationError({"number": _("Isi nomor indikator.")})
    if not name:
        raise ValidationError({"name": _("Isi nama indikator.")})
    _check_number_free(cycle=cycle, tatanan=tatanan, kabupaten=kabupaten, number=number)
    options = scale_options_parse(text=scale_text, allowed=list(cycle.scale_values))
    last = Indicator.objects.filter(cycle=cycle, tatanan=tatanan).aggregate(m=Max("order"))["m"] or 0
    indicator = Indicator.objects.create(
        cycle=cycle,
        tatanan=tatanan,
        number=number,
        name=name,
        order=last + 1,
        definisi_operasional=definisi_operasional,
        sumber_data=sumber_data,
        target=target,
        responsible_opd=responsible_opd,
        scale_text=scale_text,
        is_local=True,
        owner_kabupaten=kabupaten,
    )
    _replace_scale_options(indicator, options)
    return indicator


@transaction.atomic
def local_indicator_update(*, indicator: Indicator, actor: User, **fields) -> Indicator:
    """Change a local indicator. A new scale replaces the old one only while no assessment entry
    is scored with it (a score points at its option row)."""
    if not indicator.is_local:
        raise Http404
    require_kabupaten_admin(actor, indicator.owner_kabupaten_id)
    unknown = set(fields) - LOCAL_FIELDS
    if unknown:
        raise ValidationError(
            _("Kolom berikut tidak dapat diubah di sini: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "number" in fields:
        fields["number"] = (fields["number"] or "").strip()
        if not fields["number"]:
            raise ValidationError({"number": _("Isi nomor indikator.")})
        _check_number_free(
            cycle=indicator.cycle,
            tatanan=indicator.tatanan,
            kabupaten=indicator.owner_kabupaten,
            number=fields["number"],
            exclude_pk=indicator.pk,
        )
    if "name" in fields and not (fields["name"] or "").strip():
        raise ValidationError({"name": _("Isi nama indikator.")})
    new_scale = "scale_text" in fields and fields["scale_text"] != indicator.scale_text
    options = scale_options_parse(text=fields.get("scale_text", ""), allowed=list(indicator.cycle.scale_values))
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    if new_scale:
        try:
            with transaction.atomic():
                _replace_scale_options(indicator, options)
        except ProtectedError as error:
            raise ValidationError(
                {"scale_text": _("Skala tidak dapat diganti: sudah ada isian yang dinilai dengan skala ini.")}
            ) from error
    return indicator


def local_indicator_delete(*, indicator: Indicator, actor: User) -> None:
    """Delete a local indicator that no assessment uses any more (its entries are protected:
    remove it from the assessment first, which refuses when the entry holds data)."""
    if not indicator.is_local:
        raise Http404
    require_kabupaten_admin(actor, indicator.owner_kabupaten_id)
    try:
        with transaction.atomic():
            indicator.delete()
    except ProtectedError as error:
        raise ValidationError(_("Indikator lokal ini masih dipakai dalam penilaian.")) from error


# --- Merging and splitting evidence requirements (the review page) ------------------------------
# A superuser reviews what the importer derived from the bukti dukung texts and merges documents
# it cut apart, or splits one it left whole, before the kabupaten upload evidence. An owner with
# any file attached to one of its requirements is refused: the file was uploaded for that
# requirement as it stands (docs/DOMAIN.md, "Evidence requirements").


@dataclass
class _NewDocument:
    description: str
    count: int
    scopes: list[tuple[str, int | None]]  # (year_scope, data_year) per requirement row
    rows: list[EvidenceRequirement] | None = None  # an untouched document's rows


def _untouched(document) -> _NewDocument:
    return _NewDocument(document.description, document.count, [], rows=document.requirements)


def _scopes_of(requirements) -> list[tuple[str, int | None]]:
    return [(r.year_scope, r.data_year) for r in requirements]


def _merged_scopes(documents) -> list[tuple[str, int | None]]:
    """A merged document asks what its parts asked: every data year any of them named."""
    scope = EvidenceRequirement.YearScope
    rows = [row for document in documents for row in _scopes_of(document.requirements)]
    if any(year_scope == scope.EACH for year_scope, _year in rows):
        return [(scope.EACH, None)]
    years = sorted({year for year_scope, year in rows if year_scope == scope.YEAR})
    return [(scope.YEAR, year) for year in years] or [(scope.NONE, None)]


def _owner_label(owner) -> str:
    if isinstance(owner, Indicator):
        return _("indikator %(code)s %(number)s") % {"code": owner.tatanan.code, "number": owner.number}
    return _("butir kelembagaan %(item)s") % {"item": f"{owner.get_component_display()} – {owner.get_item_display()}"}


def _edit_requirements(owner, actor: User, change) -> None:
    """Rewrite ``owner``'s requirements as ``change(documents)`` says, under a lock, and mark the
    owner as edited so that a re-import leaves them alone (``importer._sync_requirements``).
    Documents made here are hand-made (``derived=False``); untouched ones keep their rows."""
    if not can_import_instrument(actor):
        raise Http404
    with transaction.atomic():
        owner = type(owner).objects.select_for_update().get(pk=owner.pk)
        requirements = list(owner.evidence_requirements.select_for_update().order_by("order", "data_year", "id"))
        if requirements_with_evidence(EvidenceRequirement.objects.filter(pk__in=[r.pk for r in requirements])).exists():
            raise ValidationError(
                _(
                    "Syarat bukti dukung %(owner)s tidak dapat diubah lagi: sudah ada berkas bukti yang diunggah "
                    "untuknya."
                )
                % {"owner": _owner_label(owner)}
            )
        documents = change(requirement_documents(requirements))
        link = {"indicator": owner} if isinstance(owner, Indicator) else {"kelembagaan_item": owner}
        kept, made = set(), []
        for order, document in enumerate(documents, start=1):
            if document.rows:  # untouched: its rows (and their ids, which open forms name) stay
                kept.update(row.pk for row in document.rows)
                EvidenceRequirement.objects.filter(pk__in=[row.pk for row in document.rows]).update(order=order)
                continue
            made += [
                EvidenceRequirement(
                    **link,
                    description=document.description,
                    year_scope=year_scope,
                    data_year=data_year,
                    count=document.count,
                    order=order,
                    derived=False,
                )
                for year_scope, data_year in document.scopes
            ]
        EvidenceRequirement.objects.filter(pk__in=[r.pk for r in requirements if r.pk not in kept]).delete()
        EvidenceRequirement.objects.bulk_create(made)
        owner.requirements_edited = True
        owner.save(update_fields=["requirements_edited"])


def _chosen(documents, keys) -> list:
    keys = [int(key) for key in keys]
    chosen = [document for document in documents if document.key in keys]
    if len(chosen) != len(set(keys)):
        raise ValidationError(
            _("Dokumen yang dipilih sudah tidak ada pada syarat ini (mungkin baru diubah). Muat ulang halaman.")
        )
    return chosen


def requirements_merge(*, owner, keys: list[int], description: str, actor: User) -> None:
    """Merge two or more of ``owner``'s documents (named by ``RequirementDocument.key``) into one,
    called ``description``, where the first of them stood; it asks every data year they asked and
    the highest count."""
    description = " ".join((description or "").split())
    if len(set(keys)) < 2:
        raise ValidationError({"requirement_ids": _("Pilih sedikitnya dua dokumen untuk digabung.")})
    if not description:
        raise ValidationError({"description": _("Tulis nama dokumen gabungannya.")})

    def change(documents):
        chosen = _chosen(documents, keys)
        merged = _NewDocument(description, max(d.count for d in chosen), _merged_scopes(chosen))
        result = []
        for document in documents:
            if document is chosen[0]:
                result.append(merged)
            elif document not in chosen:
                result.append(_untouched(document))
        return result

    _edit_requirements(owner, actor, change)


def requirements_split(*, owner, key: int, descriptions: list[str], actor: User) -> None:
    """Split one of ``owner``'s documents into several, one per description, in its place; each
    asks the data years and the count the document asked."""
    descriptions = [" ".join(d.split()) for d in descriptions if d and d.strip()]
    if len(descriptions) < 2:
        raise ValidationError({"descriptions": _("Tulis sedikitnya dua dokumen, satu per baris.")})
    seen = set()
    for description in descriptions:
        if description.lower() in seen:
            raise ValidationError({"descriptions": _("Dokumen “%(name)s” tertulis dua kali.") % {"name": description}})
        seen.add(description.lower())

    def change(documents):
        (document,) = _chosen(documents, [key])
        result = []
        for existing in documents:
            if existing is document:
                scopes = _scopes_of(existing.requirements)
                result += [_NewDocument(description, existing.count, scopes) for description in descriptions]
            else:
                result.append(_untouched(existing))
        return result

    _edit_requirements(owner, actor, change)
