"""Numbers and dates the way Indonesian documents write them, independent of the active language."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _as_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        # An aware moment is dated where the portal works (Asia/Jakarta), not in UTC.
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return _as_date(datetime.datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def tanggal(value) -> str:
    """ "23 November 2026"; empty for nothing."""
    day = _as_date(value)
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _group(digits: str) -> str:
    return f"{int(digits):,}".replace(",", ".")


def rupiah(value) -> str:
    """ "Rp 1.250.000": whole rupiah, thousands separated by dots."""
    try:
        amount = Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {_group(str(abs(int(amount))))}"


def angka(value, places: int = 2) -> str:
    """ "71,5" or "1.234,25": a number with a decimal comma, trailing zeros dropped."""
    if value in (None, ""):
        return "–"
    try:
        number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{_group(whole)}" + (f",{fraction}" if fraction else "")


def persen(value) -> str:
    """ "71,5 %"; "–" when there is no figure."""
    return "–" if value in (None, "") else f"{angka(value)} %"


def ukuran(value) -> str:
    """A file size: "850 B", "12,4 KB", "3,2 MB", "1,05 GB" (powers of 1024)."""
    if value in (None, ""):
        return "–"
    size = Decimal(int(value))
    if size < 1024:
        return f"{int(size)} B"
    unit, places = "KB", 1
    for unit, places in (("KB", 1), ("MB", 1), ("GB", 2)):  # noqa: B007 - the last unit is kept
        size /= 1024
        if size < 1024:
            break
    return f"{angka(size, places)} {unit}"
