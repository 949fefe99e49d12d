"""Writes of the catalogue that a kabupaten/kota makes itself: its local indicators.

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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from accounts.models import User
from regions.models import Region

from .models import Cycle, Indicator, ScaleOption, Tatanan

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
