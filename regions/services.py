"""Writes to the region table: loading the Kemendagri region list.

The four CSV files (see ``regions/data/wilayah/README.md``) are read and checked completely
before anything is written, then upserted level by level inside one transaction. A bad file
therefore imports nothing, and a good one can be loaded again at any time: rows that did not
change are not even written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Region

# Rows per INSERT … ON CONFLICT statement. SQLite caps a statement at 999 parameters, so
# Django lowers this there on its own (to 199 rows of 5 columns); PostgreSQL takes it as is.
BATCH_SIZE = 2000
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length


@dataclass(frozen=True)
class LevelFile:
    level: int
    filename: str
    parent_column: str | None
    code_pattern: re.Pattern
    code_example: str


LEVEL_FILES = (
    LevelFile(Region.Level.PROVINSI, "provinces.csv", None, re.compile(r"\d{2}"), "36"),
    LevelFile(Region.Level.KABKOTA, "regencies.csv", "province_code", re.compile(r"\d{2}\.\d{2}"), "36.04"),
    LevelFile(Region.Level.KECAMATAN, "districts.csv", "regency_code", re.compile(r"\d{2}\.\d{2}\.\d{2}"), "36.04.17"),
    LevelFile(
        Region.Level.DESA, "villages.csv", "district_code", re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"), "36.04.17.2001"
    ),
)


class WilayahImportError(Exception):
    """The region files cannot be imported; ``str()`` names the file and line when known."""

    def __init__(self, message: str, *, filename: str | None = None, line: int | None = None):
        self.message = message
        self.filename = filename
        self.line = line
        if filename and line:
            text = _("%(file)s, baris %(line)d: %(message)s") % {"file": filename, "line": line, "message": message}
        elif filename:
            text = f"{filename}: {message}"
        else:
            text = message
        super().__init__(text)


@dataclass(frozen=True)
class WilayahRow:
    code: str
    parent_code: str | None
    name: str
    level: int
    kind: str


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # In the database below the imported area but not in the files: kept, never deleted,
    # since other records (role assignments, forums…) may point at them.
    absent: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    province: str | None = None
    levels: dict[int, LevelCounts] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(c.created for c in self.levels.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.levels.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.levels.values())

    @property
    def total(self) -> int:
        return sum(c.total for c in self.levels.values())


def _kabkota_kind(name: str) -> str | None:
    if name.startswith("Kabupaten "):
        return Region.Kind.KABUPATEN
    if name.startswith("Kota "):
        return Region.Kind.KOTA
    return None


def _village_kind(code: str) -> str:
    # Kemendagri numbers kelurahan 1xxx and desa 2xxx; the 3xxx "Desa Adat" of Papua are desa too.
    return Region.Kind.KELURAHAN if code.rsplit(".", 1)[1].startswith("1") else Region.Kind.DESA


def _kind_for(spec: LevelFile, code: str, name: str) -> str | None:
    if spec.level == Region.Level.PROVINSI:
        return Region.Kind.PROVINSI
    if spec.level == Region.Level.KABKOTA:
        return _kabkota_kind(name)
    if spec.level == Region.Level.KECAMATAN:
        return Region.Kind.KECAMATAN
    return _village_kind(code)


def _fail(spec: LevelFile, message: str, line: int | None = None) -> NoReturn:
    raise WilayahImportError(message, filename=spec.filename, line=line)


@dataclass(frozen=True)
class _Columns:
    """Where the columns of one file are, from its header line."""

    width: int
    code_at: int
    name_at: int
    parent_at: int | None


def _read_header(reader, spec: LevelFile) -> _Columns:
    """The header line: present, with every column the level needs."""
    header = [column.strip().lower() for column in next(reader, [])]
    if not header:
        _fail(spec, _("berkas kosong, baris judul kolom tidak ada"), 1)
    required = ["code", spec.parent_column, "name"] if spec.parent_column else ["code", "name"]
    missing = [column for column in required if column not in header]
    if missing:
        _fail(
            spec,
            _("kolom %(missing)s tidak ada; kolom yang diperlukan: %(required)s")
            % {"missing": ", ".join(missing), "required": ",".join(required)},
            1,
        )
    return _Columns(
        width=len(header),
        code_at=header.index("code"),
        name_at=header.index("name"),
        parent_at=header.index(spec.parent_column) if spec.parent_column else None,
    )


def _read_parent_code(
    spec: LevelFile, record: list[str], columns: _Columns, code: str, parent_codes: set[str] | None, line: int
) -> str | None:
    """The row's parent code: one read in the level above, and the prefix of the row's own code."""
    if columns.parent_at is None:
        return None
    parent_code = record[columns.parent_at].strip()
    if parent_code not in parent_codes:
        _fail(spec, _("kode induk %(parent)s tidak dikenal") % {"parent": parent_code or "''"}, line)
    if code.rsplit(".", 1)[0] != parent_code:
        _fail(
            spec,
            _("kode %(code)s tidak berada di bawah kode induknya %(parent)s") % {"code": code, "parent": parent_code},
            line,
        )
    return parent_code


def _read_row(
    spec: LevelFile,
    record: list[str],
    line: int,
    columns: _Columns,
    seen: dict[str, int],
    parent_codes: set[str] | None,
) -> WilayahRow:
    """Check one data row; ``seen`` (code -> line) is updated so duplicates are caught."""
    if len(record) != columns.width:
        _fail(
            spec,
            _("ada %(found)d kolom, seharusnya %(expected)d") % {"found": len(record), "expected": columns.width},
            line,
        )
    code, name = record[columns.code_at].strip(), record[columns.name_at].strip()
    if not spec.code_pattern.fullmatch(code):
        _fail(
            spec,
            _("kode %(code)r tidak sah (bentuknya seperti %(example)s)") % {"code": code, "example": spec.code_example},
            line,
        )
    if code in seen:
        _fail(spec, _("kode %(code)s ganda, sudah ada di baris %(first)d") % {"code": code, "first": seen[code]}, line)
    seen[code] = line
    if not name:
        _fail(spec, _("nama wilayah %(code)s kosong") % {"code": code}, line)
    if len(name) > NAME_MAX_LENGTH:
        _fail(spec, _("nama lebih dari %(max)d karakter") % {"max": NAME_MAX_LENGTH}, line)
    parent_code = _read_parent_code(spec, record, columns, code, parent_codes, line)
    kind = _kind_for(spec, code, name)
    if kind is None:
        _fail(spec, _("nama kabupaten/kota harus diawali 'Kabupaten ' atau 'Kota ': %(name)s") % {"name": name}, line)
    return WilayahRow(code, parent_code, name, spec.level, kind)


def _read_level(path: Path, spec: LevelFile, parent_codes: set[str] | None) -> list[WilayahRow]:
    """Read and check one file; every problem is a ``WilayahImportError`` naming file and line."""
    if not path.is_file():
        _fail(spec, _("berkas tidak ditemukan di %(dir)s") % {"dir": path.parent})
    rows: list[WilayahRow] = []
    seen: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            columns = _read_header(reader, spec)
            for record in reader:
                if not record or not any(value.strip() for value in record):
                    continue  # blank line
                rows.append(_read_row(spec, record, reader.line_num, columns, seen, parent_codes))
    except UnicodeDecodeError:
        _fail(spec, _("berkas bukan teks UTF-8"))
    except csv.Error as exc:
        _fail(spec, _("CSV rusak: %(error)s") % {"error": exc})
    return rows


def wilayah_read(*, data_dir: Path | str) -> dict[int, list[WilayahRow]]:
    """Read and check the four region files, top level first. Writes nothing."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise WilayahImportError(_("folder data wilayah tidak ditemukan: %(dir)s") % {"dir": data_dir})
    levels: dict[int, list[WilayahRow]] = {}
    parent_codes: set[str] | None = None
    for spec in LEVEL_FILES:
        rows = _read_level(data_dir / spec.filename, spec, parent_codes)
        levels[spec.level] = rows
        parent_codes = {row.code for row in rows}
    return levels


def _in_province(code: str, province: str) -> bool:
    return code == province or code.startswith(province + ".")


def wilayah_import(*, data_dir: Path | str, province: str | None = None) -> ImportReport:
    """Load (or refresh) the regions from the Kemendagri CSV files in ``data_dir``.

    Provinces, then kabupaten/kota, kecamatan and desa/kelurahan, upserted on the code with
    ``bulk_create(update_conflicts=True)`` so that running it again only counts what changed.
    ``province`` (a code such as ``"36"``) limits the import to that province and its subtree.
    Everything happens in one transaction: on any error nothing is imported.
    Raises ``WilayahImportError`` for unreadable or inconsistent files and unknown provinces.
    """
    levels = wilayah_read(data_dir=data_dir)
    if province is not None:
        province = province.strip()
        if province not in {row.code for row in levels[Region.Level.PROVINSI]}:
            raise WilayahImportError(
                _("kode provinsi %(code)s tidak ada di %(file)s") % {"code": province, "file": LEVEL_FILES[0].filename}
            )
        levels = {level: [row for row in rows if _in_province(row.code, province)] for level, rows in levels.items()}

    report = ImportReport(province=province)
    with transaction.atomic():
        # One read of what is there already, so that the comparison costs no query per row.
        existing_rows = Region.objects.all()
        if province is not None:
            existing_rows = existing_rows.filter(Q(code=province) | Q(code__startswith=province + "."))
        existing = {
            code: (parent_id, name, level, kind)
            for code, parent_id, name, level, kind in existing_rows.values_list(
                "code", "parent_id", "name", "level", "kind"
            )
        }
        for level, rows in levels.items():
            counts = LevelCounts()
            to_write = []
            for row in rows:
                current = existing.get(row.code)
                if current is None:
                    counts.created += 1
                elif current != (row.parent_code, row.name, row.level, row.kind):
                    counts.updated += 1
                else:
                    counts.unchanged += 1
                    continue
                to_write.append(
                    Region(code=row.code, parent_id=row.parent_code, name=row.name, level=row.level, kind=row.kind)
                )
            if to_write:
                Region.objects.bulk_create(
                    to_write,
                    batch_size=BATCH_SIZE,
                    update_conflicts=True,
                    unique_fields=["code"],
                    update_fields=["parent", "name", "level", "kind"],
                )
            imported = {row.code for row in rows}
            counts.absent = sum(
                1
                for code, (_parent, _name, existing_level, _kind) in existing.items()
                if existing_level == level
                and code not in imported
                and (province is None or _in_province(code, province))
            )
            report.levels[level] = counts
    return report
