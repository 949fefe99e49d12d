"""Import the members of one body from an Excel sheet, with a row-by-row report.

Expected columns (headers may drift in case, spacing and wording, and need not start on row 1):
NAMA, JABATAN, ASAL/UNSUR, TATANAN (codes or names, comma-separated), TELEPON, EMAIL.
All-or-nothing: one unreadable row and nothing is saved. A member whose name is already on the
body is updated, not added twice.
"""

from __future__ import annotations

import io
import re

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


def member_import(*, body: Body, actor: User, file, dry_run: bool = False) -> ImportReport:
    """Import members of ``body`` from the first sheet of ``file`` that has a member header."""
    report = ImportReport(filename=workbook_filename(file), dry_run=dry_run)
    workbook = open_workbook(file, report)
    if workbook is None:
        return report
    found = None
    for worksheet in workbook.worksheets:
        rows = list(worksheet.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS))
        found = _find_header(rows)
        if found:
            sheet = worksheet.title
            break
    if not found:
        report.problems.append(
            _(
                "Tidak ditemukan baris judul kolom. Baris judul harus memuat paling sedikit NAMA dan JABATAN "
                "(kolom lain: ASAL/UNSUR, TATANAN, TELEPON, EMAIL)."
            )
        )
        return report
    header_row, columns = found
    for key, label in (("origin", "ASAL/UNSUR"), ("tatanan", "TATANAN"), ("phone", "TELEPON"), ("email", "EMAIL")):
        if key not in columns:
            report.notes.append(_("Kolom %(label)s tidak ditemukan; dibiarkan kosong.") % {"label": label})

    tatanan_lookup = _tatanan_lookup()
    existing = {m.name.casefold(): m for m in body.members.prefetch_related("tatanan")}
    seen: dict[str, int] = {}
    parsed: list[tuple[int, dict, list]] = []

    def cell(row, key):
        col = columns.get(key)
        return row[col] if col is not None and col < len(row) else None

    for offset, row in enumerate(rows[header_row:], start=header_row + 1):
        if all(is_blank(v) for v in row):
            continue
        name = _text(cell(row, "name"))
        errors = []
        if not name:
            report.add_row(sheet, (offset, offset), Status.ERROR, "—", _("NAMA kosong."))
            continue
        if name.casefold() in seen:
            errors.append(_("Nama sama dengan baris %(row)d.") % {"row": seen[name.casefold()]})
        seen.setdefault(name.casefold(), offset)
        position = _position(cell(row, "position"))
        if position is None:
            errors.append(
                _(
                    "JABATAN “%(value)s” tidak dikenal (ketua, wakil ketua, sekretaris, bendahara, koordinator, anggota)."
                )
                % {"value": _text(cell(row, "position"))}
            )
        origin = Member.Origin.MASYARAKAT
        if "origin" in columns:
            origin = _origin(cell(row, "origin"))
            if origin is None:
                errors.append(
                    _("ASAL/UNSUR “%(value)s” tidak dikenal (pemerintah, masyarakat, swasta, media).")
                    % {"value": _text(cell(row, "origin"))}
                )
        tatanan = []
        for part in re.split(r"[,;/\n]+", _text(cell(row, "tatanan")) if "tatanan" in columns else ""):
            if not part.strip():
                continue
            match = tatanan_lookup.get(_norm(part))
            if match is None:
                errors.append(_("TATANAN “%(value)s” tidak dikenal.") % {"value": part.strip()})
            elif match not in tatanan:
                tatanan.append(match)
        email = _text(cell(row, "email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("EMAIL “%(value)s” tidak sah.") % {"value": email})
        if errors:
            report.add_row(sheet, (offset, offset), Status.ERROR, name, " ".join(str(e) for e in errors))
            continue
        values = {
            "name": name[:200],
            "position": position,
            "origin": origin,
            "phone": _text(cell(row, "phone"))[:30],
            "email": email,
        }
        parsed.append((offset, values, tatanan))

    if not parsed and not report.rows:
        report.problems.append(_("Tidak ada baris anggota di bawah baris judul."))
    if not report.ok:
        return report

    with transaction.atomic():
        next_order = max((m.order for m in existing.values()), default=0)
        for offset, values, tatanan in parsed:
            member = existing.get(values["name"].casefold())
            if member is None:
                next_order += 1
                member = Member.objects.create(body=body, order=next_order, **values)
                member.tatanan.set(tatanan)
                report.add_row(sheet, (offset, offset), Status.CREATED, member.name)
                continue
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
            status = Status.UPDATED if changed else Status.UNCHANGED
            report.add_row(sheet, (offset, offset), status, member.name)
        if dry_run:
            for row in report.rows:
                if row.status in (Status.CREATED, Status.UPDATED):
                    row.status = Status.VALID
            transaction.set_rollback(True)
        else:
            report.imported = True
    return report


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
