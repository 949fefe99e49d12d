"""Import the members of one body from an Excel sheet, with a row-by-row report.

Expected columns (headers may drift in case, spacing and wording, and need not start on row 1):
NAMA, JABATAN, ASAL/UNSUR, TATANAN (codes or names, comma-separated), TELEPON, EMAIL.
All-or-nothing: one unreadable row and nothing is saved. A member whose name is already on the
body is updated, not added twice.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from tatanan.importer import ImportReport, Status, is_blank, open_workbook, workbook_filename

from .models import Body, Member
from .services import tatanan_for_members

HEADER_SEARCH_ROWS = 20
MAX_ROWS = 2000


def _norm(value) -> str:
    """Upper-case letters and digits only, single spaces: "No. HP / WA" → "NO HP WA"."""
    return re.sub(r"[^A-Z0-9]+", " ", str(value or "").upper()).strip()


def _column_key(header) -> str | None:
    text = _norm(header)
    if not text:
        return None
    words = text.split()
    if words[0] == "NAMA" and not {"INSTANSI", "LEMBAGA", "TATANAN"} & set(words):
        return "name"
    if words[0] in {"JABATAN", "KEDUDUKAN", "POSISI"}:
        return "position"
    if {"ASAL", "UNSUR"} & set(words):
        return "origin"
    if "TATANAN" in words or "BIDANG" in words:
        return "tatanan"
    if {"EMAIL", "SUREL"} & set(words) or text.startswith("E MAIL"):
        return "email"
    if {"TELEPON", "TELPON", "TELP", "TLP", "HP", "WA", "HANDPHONE", "WHATSAPP", "KONTAK"} & set(words):
        return "phone"
    return None


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """(row number, {key: column index}) of the first row that names at least NAMA and JABATAN."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            key = _column_key(value)
            if key and key not in columns:
                columns[key] = col
        if "name" in columns and "position" in columns:
            return index + 1, columns
    return None


def _position(value) -> str | None:
    text = _norm(value).lower()
    if not text:
        return Member.Position.ANGGOTA
    if text.startswith("wakil"):
        return Member.Position.WAKIL_KETUA
    if text.startswith("ketua"):
        return Member.Position.KETUA
    if text.startswith(("sekretaris", "sekertaris", "sekretariat")):
        return Member.Position.SEKRETARIS
    if text.startswith("bendahara"):
        return Member.Position.BENDAHARA
    if text.startswith(("koordinator", "koord", "korbid")):
        return Member.Position.KOORDINATOR_TATANAN
    if text.startswith("anggota"):
        return Member.Position.ANGGOTA
    return None


ORIGIN_WORDS = {
    Member.Origin.PEMERINTAH: ("pemerintah", "pemerintahan", "pemda", "opd", "dinas", "instansi", "asn", "pns"),
    Member.Origin.MASYARAKAT: ("masyarakat", "tokoh", "lsm", "ormas", "pkk", "komunitas", "warga", "kader"),
    Member.Origin.SWASTA: ("swasta", "dunia usaha", "usaha", "perusahaan", "csr", "bumn", "bumd"),
    Member.Origin.MEDIA: ("media", "pers", "wartawan", "jurnalis"),
}


def _origin(value) -> str | None:
    text = _norm(value).lower()
    for origin, words in ORIGIN_WORDS.items():
        if any(text == w or text.startswith(w + " ") for w in words):
            return origin
    return None


def _tatanan_lookup() -> dict[str, object]:
    lookup: dict[str, object] = {}
    for tatanan in tatanan_for_members():
        lookup[_norm(tatanan.code)] = tatanan
        lookup[_norm(tatanan.name)] = tatanan
        for alias in tatanan.aliases.splitlines():
            if alias.strip():
                lookup.setdefault(_norm(alias), tatanan)
    return lookup


def _text(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    return " ".join(str(value).split())


@dataclass(frozen=True)
class _MemberSheet:
    """The sheet with the member header: its rows, the header's row number and {key: column index}."""

    title: str
    rows: list[tuple]
    header_row: int
    columns: dict[str, int]

    def cell(self, row: tuple, key: str):
        col = self.columns.get(key)
        return row[col] if col is not None and col < len(row) else None

    def data_rows(self):
        """(row number, row) for every row below the header."""
        return enumerate(self.rows[self.header_row :], start=self.header_row + 1)


def member_import(*, body: Body, actor: User, file, dry_run: bool = False) -> ImportReport:
    """Import members of ``body`` from the first sheet of ``file`` that has a member header."""
    report = ImportReport(filename=workbook_filename(file), dry_run=dry_run)
    workbook = open_workbook(file, report)
    if workbook is None:
        return report
    sheet = _find_member_sheet(workbook, report)
    if sheet is None:
        return report

    tatanan_lookup = _tatanan_lookup()
    existing = {m.name.casefold(): m for m in body.members.prefetch_related("tatanan")}
    parsed = _parse_rows(sheet, tatanan_lookup, report)
    if not parsed and not report.rows:
        report.problems.append(_("Tidak ada baris anggota di bawah baris judul."))
    if not report.ok:
        return report

    with transaction.atomic():
        _save_members(body, existing, parsed, sheet.title, report)
        if dry_run:
            for row in report.rows:
                if row.status in (Status.CREATED, Status.UPDATED):
                    row.status = Status.VALID
            transaction.set_rollback(True)
        else:
            report.imported = True
    return report


def _find_member_sheet(workbook, report: ImportReport) -> _MemberSheet | None:
    """The first sheet with a member header, its optional columns that are missing noted; None, with
    a problem reported, when no sheet has one."""
    for worksheet in workbook.worksheets:
        rows = list(worksheet.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS))
        found = _find_header(rows)
        if found:
            header_row, columns = found
            for key, label in (
                ("origin", "ASAL/UNSUR"),
                ("tatanan", "TATANAN"),
                ("phone", "TELEPON"),
                ("email", "EMAIL"),
            ):
                if key not in columns:
                    report.notes.append(_("Kolom %(label)s tidak ditemukan; dibiarkan kosong.") % {"label": label})
            return _MemberSheet(worksheet.title, rows, header_row, columns)
    report.problems.append(
        _(
            "Tidak ditemukan baris judul kolom. Baris judul harus memuat paling sedikit NAMA dan JABATAN "
            "(kolom lain: ASAL/UNSUR, TATANAN, TELEPON, EMAIL)."
        )
    )
    return None


def _parse_rows(sheet: _MemberSheet, tatanan_lookup: dict, report: ImportReport) -> list[tuple[int, dict, list]]:
    """(row number, member fields, tatanan) of every good row; every bad row is reported as an error."""
    seen: dict[str, int] = {}
    parsed: list[tuple[int, dict, list]] = []
    for offset, row in sheet.data_rows():
        if all(is_blank(v) for v in row):
            continue
        name = _text(sheet.cell(row, "name"))
        errors = []
        if not name:
            report.add_row(sheet.title, (offset, offset), Status.ERROR, "—", _("NAMA kosong."))
            continue
        if name.casefold() in seen:
            errors.append(_("Nama sama dengan baris %(row)d.") % {"row": seen[name.casefold()]})
        seen.setdefault(name.casefold(), offset)
        position = _read_position(sheet, row, errors)
        origin = _read_origin(sheet, row, errors)
        tatanan = _read_tatanan(sheet, row, tatanan_lookup, errors)
        email = _read_email(sheet, row, errors)
        if errors:
            report.add_row(sheet.title, (offset, offset), Status.ERROR, name, " ".join(str(e) for e in errors))
            continue
        values = {
            "name": name[:200],
            "position": position,
            "origin": origin,
            "phone": _text(sheet.cell(row, "phone"))[:30],
            "email": email,
        }
        parsed.append((offset, values, tatanan))
    return parsed


# Each ``_read_<column>`` returns the row's value and adds its problem, if any, to ``errors``.


def _read_position(sheet: _MemberSheet, row: tuple, errors: list) -> str | None:
    position = _position(sheet.cell(row, "position"))
    if position is None:
        errors.append(
            _("JABATAN “%(value)s” tidak dikenal (ketua, wakil ketua, sekretaris, bendahara, koordinator, anggota).")
            % {"value": _text(sheet.cell(row, "position"))}
        )
    return position


def _read_origin(sheet: _MemberSheet, row: tuple, errors: list) -> str | None:
    """Masyarakat when the sheet has no ASAL/UNSUR column."""
    if "origin" not in sheet.columns:
        return Member.Origin.MASYARAKAT
    origin = _origin(sheet.cell(row, "origin"))
    if origin is None:
        errors.append(
            _("ASAL/UNSUR “%(value)s” tidak dikenal (pemerintah, masyarakat, swasta, media).")
            % {"value": _text(sheet.cell(row, "origin"))}
        )
    return origin


def _read_tatanan(sheet: _MemberSheet, row: tuple, tatanan_lookup: dict, errors: list) -> list:
    """The tatanan named in the cell (codes or names, comma-separated), each once."""
    tatanan = []
    for part in re.split(r"[,;/\n]+", _text(sheet.cell(row, "tatanan")) if "tatanan" in sheet.columns else ""):
        if not part.strip():
            continue
        match = tatanan_lookup.get(_norm(part))
        if match is None:
            errors.append(_("TATANAN “%(value)s” tidak dikenal.") % {"value": part.strip()})
        elif match not in tatanan:
            tatanan.append(match)
    return tatanan


def _read_email(sheet: _MemberSheet, row: tuple, errors: list) -> str:
    email = _text(sheet.cell(row, "email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("EMAIL “%(value)s” tidak sah.") % {"value": email})
    return email


def _save_members(
    body: Body, existing: dict[str, Member], parsed: list[tuple[int, dict, list]], sheet: str, report: ImportReport
) -> None:
    """Create the new members (after the body's last) and update the existing ones, one report row each."""
    next_order = max((m.order for m in existing.values()), default=0)
    for offset, values, tatanan in parsed:
        member = existing.get(values["name"].casefold())
        if member is None:
            next_order += 1
            member = Member.objects.create(body=body, order=next_order, **values)
            member.tatanan.set(tatanan)
            report.add_row(sheet, (offset, offset), Status.CREATED, member.name)
            continue
        status = Status.UPDATED if _update_member(member, values, tatanan) else Status.UNCHANGED
        report.add_row(sheet, (offset, offset), status, member.name)


def _update_member(member: Member, values: dict, tatanan: list) -> bool:
    """Bring an existing member in line with its row (active again if it was not); whether anything changed."""
    changed = [key for key, value in values.items() if getattr(member, key) != value]
    if not member.active:
        changed.append("active")
        member.active = True
    for key in changed:
        if key != "active":
            setattr(member, key, values[key])
    if changed:
        member.save()
    if {t.pk for t in member.tatanan.all()} != {t.pk for t in tatanan}:
        member.tatanan.set(tatanan)
        changed.append("tatanan")
    return bool(changed)


TEMPLATE_HEADER = ["NO", "NAMA", "JABATAN", "ASAL/UNSUR", "TATANAN", "TELEPON", "EMAIL"]


def member_import_template() -> bytes:
    """An empty member sheet with the expected header and one example row, as .xlsx bytes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Anggota"
    sheet.append(TEMPLATE_HEADER)
    sheet.append([1, "Contoh: Siti Aminah", "Sekretaris", "Masyarakat", "KSM, PSR", "081234567890", ""])
    for column, width in zip("ABCDEFG", (5, 30, 22, 16, 24, 18, 28), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
