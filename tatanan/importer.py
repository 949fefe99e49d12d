"""Import of the official assessment instrument (an .xlsx workbook) into a cycle's catalogue.

``instrument_import(cycle=…, file=…)`` reads a workbook with a Kelembagaan sheet and one sheet
per tatanan, in either layout seen so far:

* 2025 style: one row per indicator; the scale is free text in one cell
  ("1. Nilai 100 jika … 2. Nilai 50 jika …").
* 2023 style: the options on their own sub-rows, the criterion in a KATEGORI column and the
  value in a SKALA column, plus columns for the self-assessment value, evidence link and the
  province's value and notes (recognised, not read: the catalogue holds no scores).

Headers are matched after normalising case, spacing and punctuation, with synonyms and close
spellings (``tatanan.parsing.HEADER_SYNONYMS``), in any column order. Sheets are matched to
the cycle's tatanan by the names and aliases stored on ``Tatanan`` (data, not code).

The import is all-or-nothing: every sheet is parsed first; if any row cannot be read, nothing
is written and the report says which rows and why. Otherwise everything is written in one
transaction, indicators matched on (cycle, tatanan, number), so that importing the same file
again changes nothing and reports every row as unchanged. Rows are never dropped silently:
each non-blank row below a header appears in the report.

A re-import may meet a cycle whose rounds already hold scores and evidence files, which point at
scale options and evidence requirements. So these are matched to the parsed ones by identity,
never by position (docs/DOMAIN.md, "Re-importing the instrument"): an option by its value (its
identity within a scale), a derived requirement by (document, year scope, data year), the
document compared without case, spacing, punctuation or the years it names. A matched row is
updated in place and keeps its id; the order follows the workbook. A row the workbook no longer
has is deleted only when nothing points at it (no entry's score, no evidence file, live or
removed); otherwise it is kept, after the wanted ones, and a note names it; a kept option is
marked ``retired`` (no longer offered for a new score, ``selectors.selectable_options``) until a
later workbook has its value again. Requirements added by
hand, and all of an owner's once a superuser merged or split them (``requirements_edited``), are
left alone. The dry run goes through the same writes and rolls them back, so it reports the same.

The official catalogue is national; only superusers import it (see ``selectors``).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan
from .parsing import (
    CHECKLIST_COLUMNS,
    IGNORED_COLUMNS,
    ParseError,
    RequirementData,
    ScaleOptionData,
    clean_text,
    header_key,
    match_label,
    normalize_header,
    normalize_number,
    one_line,
    parse_requirements,
    parse_scale_text,
    strip_option_prefix,
    validate_options,
)

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 30
# Merged ranges bigger than this are formatting (a banner across a sheet), not data.
MAX_MERGED_CELLS = 5000


class Status:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    VALID = "valid"
    SKIPPED = "skipped"
    ERROR = "error"

    labels = {
        CREATED: gettext_lazy("dibuat"),
        UPDATED: gettext_lazy("diperbarui"),
        UNCHANGED: gettext_lazy("tidak berubah"),
        VALID: gettext_lazy("terbaca, tidak disimpan"),
        SKIPPED: gettext_lazy("dilewati"),
        ERROR: gettext_lazy("tidak terbaca"),
    }


@dataclass
class RowReport:
    sheet: str
    rows: tuple[int, int]
    status: str
    subject: str
    message: str = ""

    @property
    def row_label(self) -> str:
        first, last = self.rows
        return str(first) if first == last else f"{first}–{last}"

    @property
    def status_label(self) -> str:
        return str(Status.labels[self.status])


@dataclass
class ImportReport:
    """What an import did (or would do), row by row. ``problems`` block the import; ``notes`` inform."""

    filename: str
    cycle: Cycle | None = None
    dry_run: bool = False
    rows: list[RowReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: bool = False

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in Status.labels}

    @property
    def error_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.status == Status.ERROR]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.error_rows

    def summary(self) -> str:
        counts = self.counts
        if self.ok and self.imported:
            head = _("Impor selesai.")
        elif self.ok and self.dry_run:
            head = _("Uji coba selesai; tidak ada yang disimpan.")
        else:
            head = _("Tidak ada yang diimpor.")
        parts = [
            _("%(n)d dibuat") % {"n": counts[Status.CREATED]},
            _("%(n)d diperbarui") % {"n": counts[Status.UPDATED]},
            _("%(n)d tidak berubah") % {"n": counts[Status.UNCHANGED]},
            _("%(n)d tidak terbaca") % {"n": counts[Status.ERROR]},
            _("%(n)d dilewati") % {"n": counts[Status.SKIPPED]},
        ]
        if counts[Status.VALID]:
            parts.append(_("%(n)d terbaca tetapi tidak disimpan") % {"n": counts[Status.VALID]})
        return f"{head} " + ", ".join(parts) + "."

    def add_row(self, sheet, rows, status, subject, message=""):
        self.rows.append(RowReport(sheet, rows, status, subject, str(message)))


# --- Reading a sheet --------------------------------------------------------------------------


class Grid:
    """The values of a worksheet with merged cells resolved (1-based rows and columns)."""

    def __init__(self, worksheet):
        self.title = worksheet.title
        self.values = [list(row) for row in worksheet.iter_rows(values_only=True)]
        # A merged range keeps its value in the top-left cell; the others read None. ``filled``
        # gives every cell of the range that value, ``is_continuation`` tells them apart.
        self._fill: dict[tuple[int, int], object] = {}
        for merged in worksheet.merged_cells.ranges:
            size = (merged.max_row - merged.min_row + 1) * (merged.max_col - merged.min_col + 1)
            if size > MAX_MERGED_CELLS:
                continue
            top_left = self.raw(merged.min_row, merged.min_col)
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        self._fill[(row, col)] = top_left

    @property
    def max_row(self) -> int:
        return len(self.values)

    def raw(self, row: int, col: int):
        try:
            return self.values[row - 1][col - 1]
        except IndexError:
            return None

    def filled(self, row: int, col: int):
        if (row, col) in self._fill:
            return self._fill[(row, col)]
        return self.raw(row, col)

    def is_continuation(self, row: int, col: int) -> bool:
        return (row, col) in self._fill

    def row_values(self, row: int) -> list:
        return self.values[row - 1] if 0 < row <= len(self.values) else []

    def row_text(self, row: int) -> str:
        return " ".join(one_line(v) for v in self.row_values(row) if not is_blank(v))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_column_numbering(values: Iterable) -> bool:
    """The "(1) (2) (3) …" row printed under the header of official forms (in any order, since
    columns get moved)."""
    cells = [one_line(v) for v in values if not is_blank(v)]
    if len(cells) < 3:
        return False
    numbers = []
    for cell in cells:
        match = re.fullmatch(r"\(?(\d{1,2})\)?", cell)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(set(numbers)) == len(numbers)


@dataclass
class Header:
    first_row: int
    row: int  # the last header row; data starts below (after an optional numbering row)
    columns: dict[str, int]  # key → column
    unknown: list[str]
    duplicates: list[str]
    data_start: int
    # The tatanan whose name heads the indicator column (2023 field workbooks), if any.
    tatanan_code: str | None = None
    # 2023 field workbooks: the options are lettered sub-rows of the indicator column ("a. …")
    # with their value in a lone SKALA column.
    options_under_indicator: bool = False

    @property
    def rows_layout(self) -> bool:
        """2023 style: options on sub-rows with their value in a column of its own."""
        return self.options_under_indicator or ("skala_text" in self.columns and "skala_value" in self.columns)

    @property
    def checklist(self) -> bool:
        """A kelembagaan checklist: items marked Ada (√) / Tidak Ada (-) instead of scored."""
        return bool(CHECKLIST_COLUMNS & set(self.columns))


def _header_keys(grid: Grid, row: int, parent_row: int | None = None) -> dict[int, str | None]:
    keys = {}
    for col, value in enumerate(grid.row_values(row), start=1):
        if is_blank(value) and not (parent_row and not is_blank(grid.filled(parent_row, col))):
            continue
        child = one_line(value)
        parent = one_line(grid.filled(parent_row, col)) if parent_row else ""
        if parent and child and parent != child:
            context = set(normalize_header(parent).split()) & {"provinsi", "verifikasi", "mandiri"}
            key = header_key(f"{parent} {child}") if context else (header_key(child) or header_key(parent))
        else:
            key = header_key(child or parent)
        keys[col] = key
    return keys


def _tatanan_column(grid: Grid, row: int, keys: dict[int, str | None], tatanan_names: dict | None):
    """(column, tatanan code) of a header cell naming a tatanan where the indicator column should
    be ("PERLINDUNGAN SOSIAL" over the indicators of the 2023 field workbooks), else (None, None)."""
    if not tatanan_names or "indikator" in keys.values():
        return None, None
    for col, value in enumerate(grid.row_values(row), start=1):
        if keys.get(col) is None and not is_blank(value):
            code = match_label(one_line(value), tatanan_names)
            if code:
                return col, code
    return None, None


def find_header(grid: Grid, tatanan_names: dict[str, list[str]] | None = None) -> Header | None:
    """The header row: the first row naming an indicator column and a scale column (or, for a
    kelembagaan checklist, the Ada / Tidak Ada marks).

    ``tatanan_names`` (code → name and aliases) lets a tatanan's name head the indicator column.
    """
    for row in range(1, min(grid.max_row, HEADER_SEARCH_ROWS) + 1):
        keys = _header_keys(grid, row)
        tatanan_col, tatanan_code = _tatanan_column(grid, row, keys, tatanan_names)
        if tatanan_col:
            keys[tatanan_col] = "indikator"
        found = set(keys.values())
        checklist = bool(found & CHECKLIST_COLUMNS)
        if checklist and "indikator" not in found and "komponen" in found:
            # "KELEMBAGAAN" heads a column of body headings and their items.
            keys = {col: ("indikator" if key == "komponen" else key) for col, key in keys.items()}
            found = set(keys.values())
        if "indikator" not in found or not (found & {"skala_text", "skala_value"} or checklist):
            continue
        header_rows = [row]
        # A second header row (e.g. VERIFIKASI PROVINSI over NILAI | CATATAN) whose every cell
        # is a header too.
        below = [(col, v) for col, v in enumerate(grid.row_values(row + 1), start=1) if not is_blank(v)]
        if (
            below
            and not is_column_numbering(v for _c, v in below)
            and all(header_key(v) or header_key(f"{grid.filled(row, c)} {v}") for c, v in below)
        ):
            sub_keys = _header_keys(grid, row + 1, parent_row=row)
            keys.update({col: key for col, key in sub_keys.items() if key})
            header_rows.append(row + 1)
        last = header_rows[-1]
        data_start = last + 1
        if is_column_numbering(grid.row_values(data_start)):
            data_start += 1
        columns: dict[str, int] = {}
        unknown, duplicates = [], []
        for col, key in sorted(keys.items()):
            label = one_line(grid.filled(last, col)) or one_line(grid.filled(row, col))
            if key is None:
                if label:
                    unknown.append(label)
            elif key in columns:
                duplicates.append(label)
            else:
                columns[key] = col
        options_under_indicator = False
        if "skala_value" in columns and "skala_text" not in columns:
            if _holds_only_numbers(grid, columns["skala_value"], data_start):
                # Values only: the options are the sub-rows of the indicator column.
                options_under_indicator = True
            else:
                # A lone SKALA column holds the whole scale text.
                columns["skala_text"] = columns.pop("skala_value")
        return Header(row, last, columns, unknown, duplicates, data_start, tatanan_code, options_under_indicator)
    return None


def _holds_only_numbers(grid: Grid, col: int, data_start: int) -> bool:
    values = [grid.raw(row, col) for row in range(data_start, grid.max_row + 1)]
    values = [value for value in values if not is_blank(value)]
    return bool(values) and all(scale_number(value) is not None for value in values)


# --- Parsed records ---------------------------------------------------------------------------


@dataclass
class Record:
    sheet: str
    first_row: int
    last_row: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    scale_rows: list[tuple[int, object, object]] = field(default_factory=list)  # (row, text, value)
    error: str = ""
    options: list[ScaleOptionData] = field(default_factory=list)
    requirements: list[RequirementData] = field(default_factory=list)
    # Indicators
    number: str = ""
    tatanan: Tatanan | None = None
    # Kelembagaan
    component: str = ""
    item: str = ""
    order: int = 0

    def add(self, key: str, value) -> None:
        text = clean_text(value)
        if text:
            self.fields.setdefault(key, []).append(text)

    def text(self, key: str) -> str:
        return "\n".join(self.fields.get(key, []))

    @property
    def rows(self) -> tuple[int, int]:
        return (self.first_row, self.last_row)

    @property
    def subject(self) -> str:
        if self.tatanan is not None:
            return f"{self.tatanan.code} {self.number}. {one_line(self.text('indikator'))[:80]}"
        if self.component:
            return (
                f"{KelembagaanItem.Component(self.component).label} – {KelembagaanItem.Item(self.item).label}"
                if self.item
                else str(KelembagaanItem.Component(self.component).label)
            )
        return one_line(self.text("indikator"))[:80]


COMPONENT_NAMES = {
    KelembagaanItem.Component.TIM_PEMBINA: ["tim pembina", "tim pembina kabupaten/kota", "tim pembina kks"],
    KelembagaanItem.Component.FORUM_KABKOTA: [
        "forum kabupaten/kota",
        "forum kabupaten/kota sehat",
        "forum kab/kota",
        "forum kabupaten",
        "forum kota",
        "forum kks",
    ],
    KelembagaanItem.Component.FORUM_KECAMATAN: [
        "forum komunikasi kecamatan",
        "forum komunikasi kecamatan sehat",
        "forum kecamatan",
        "forum kecamatan sehat",
        "fkks",
        "fks",
    ],
    KelembagaanItem.Component.POKJA_DESA: [
        "pokja",
        "pokja desa/kelurahan",
        "kelompok kerja",
        "kelompok kerja desa/kelurahan",
    ],
}
ITEM_NAMES = {
    KelembagaanItem.Item.SK: ["sk", "surat keputusan", "sk pembentukan"],
    KelembagaanItem.Item.RENCANA_KERJA: ["rencana kerja", "renja", "rencana kegiatan"],
    KelembagaanItem.Item.ANGGARAN: ["anggaran", "dukungan anggaran"],
    KelembagaanItem.Item.SEKRETARIAT: ["sekretariat"],
}


class SheetParser:
    """Turns one sheet into records (indicators or kelembagaan items) and report rows."""

    def __init__(self, *, grid: Grid, header: Header, cycle: Cycle, report: ImportReport, kelembagaan: bool):
        self.grid = grid
        self.header = header
        self.cycle = cycle
        self.report = report
        self.kelembagaan = kelembagaan
        self.records: list[Record] = []

    def cell(self, row: int, key: str, *, filled: bool = False):
        col = self.header.columns.get(key)
        if col is None:
            return None
        if filled:
            return self.grid.filled(row, col)
        # Merge continuations repeat the record above them: treat them as empty.
        return None if self.grid.is_continuation(row, col) else self.grid.raw(row, col)

    def _has_scale(self, row: int) -> bool:
        return not is_blank(self.cell(row, "skala_text")) or not is_blank(self.cell(row, "skala_value"))

    def _has_catalogue_content(self, row: int) -> bool:
        keys = ("indikator", "definisi", "sumber_data", "bukti_dukung")
        return self._has_scale(row) or any(not is_blank(self.cell(row, key)) for key in keys)

    def parse(self) -> list[Record]:
        current: Record | None = None
        component = ""
        for row in range(self.header.data_start, self.grid.max_row + 1):
            values = self.grid.row_values(row)
            if all(is_blank(v) for v in values):
                continue
            if self.kelembagaan and self.header.checklist:
                current, component = self._checklist_row(row, current, component)
            elif self.kelembagaan:
                current, component = self._kelembagaan_row(row, current, component)
            else:
                current = self._indicator_row(row, current)
        for record in self.records:
            self._finish(record)
        return self.records

    def _indicator_row(self, row: int, current: Record | None) -> Record | None:
        raw_no = self.cell(row, "no")
        number = normalize_number(raw_no)
        if not is_blank(raw_no) and number is None:
            label = one_line(raw_no)[:60]
            if self._has_scale(row):
                self.report.add_row(
                    self.grid.title,
                    (row, row),
                    Status.ERROR,
                    label,
                    _("Nomor indikator “%(no)s” tidak dikenali.") % {"no": label},
                )
            else:
                self.report.add_row(
                    self.grid.title,
                    (row, row),
                    Status.SKIPPED,
                    label,
                    _("Judul bagian tanpa skala: “%(text)s”.") % {"text": one_line(self.grid.row_text(row))[:80]},
                )
            return None
        if number:
            current = Record(self.grid.title, row, row, number=number, order=len(self.records) + 1)
            self.records.append(current)
        elif current is None:
            text = one_line(self.grid.row_text(row))[:80]
            if self._has_catalogue_content(row):
                self.report.add_row(
                    self.grid.title,
                    (row, row),
                    Status.ERROR,
                    text,
                    _("Baris tanpa nomor indikator sebelum indikator pertama: “%(text)s”.") % {"text": text},
                )
            else:
                self.report.add_row(
                    self.grid.title,
                    (row, row),
                    Status.SKIPPED,
                    text,
                    _("Baris tanpa nomor dan tanpa isi katalog: “%(text)s”.") % {"text": text},
                )
            return None
        else:
            current.last_row = row
        self._collect(row, current)
        return current

    def _kelembagaan_row(self, row: int, current: Record | None, component: str) -> tuple[Record | None, str]:
        raw_component = self.cell(row, "komponen", filled=True)
        if not is_blank(raw_component):
            component = one_line(raw_component)
        item_text = self.cell(row, "indikator")
        if not is_blank(item_text):
            current = Record(self.grid.title, row, row, order=len(self.records) + 1)
            current.fields["komponen"] = [component]
            self.records.append(current)
        elif current is None:
            text = one_line(self.grid.row_text(row))[:80]
            status = Status.ERROR if self._has_catalogue_content(row) else Status.SKIPPED
            self.report.add_row(
                self.grid.title,
                (row, row),
                status,
                text,
                _("Baris tanpa butir kelembagaan: “%(text)s”.") % {"text": text},
            )
            return None, component
        else:
            current.last_row = row
        self._collect(row, current)
        return current, component

    def _checklist_row(self, row: int, current: Record | None, component: str) -> tuple[Record | None, str]:
        """A row of a kelembagaan checklist: a body's heading ("A | TIM PEMBINA …") or an item
        under it ("1 | SK Tim Pembina | √")."""
        text = one_line(self.cell(row, "indikator"))
        if not text:
            if current is not None:
                current.last_row = row
                self._collect(row, current)
                return current, component
            self.report.add_row(
                self.grid.title,
                (row, row),
                Status.SKIPPED,
                one_line(self.grid.row_text(row))[:80],
                _("Baris tanpa butir kelembagaan."),
            )
            return None, component
        if match_label(text, COMPONENT_NAMES) and not match_label(text, ITEM_NAMES):
            self.report.add_row(
                self.grid.title,
                (row, row),
                Status.SKIPPED,
                text[:80],
                _("Judul kelompok: “%(text)s”.") % {"text": text},
            )
            return None, text
        current = Record(self.grid.title, row, row, order=len(self.records) + 1)
        current.fields["komponen"] = [component or text]
        self.records.append(current)
        self._collect(row, current)
        return current, component

    def _collect(self, row: int, record: Record) -> None:
        if self.header.options_under_indicator and row != record.first_row:
            self._collect_option_row(row, record)
            for key in ("definisi", "sumber_data", "bukti_dukung"):
                record.add(key, self.cell(row, key))
            return
        for key in ("indikator", "definisi", "sumber_data", "bukti_dukung"):
            record.add(key, self.cell(row, key))
        if self.header.options_under_indicator:
            return  # the indicator's own row: its SKALA cell is not an option
        text, value = self.cell(row, "skala_text"), self.cell(row, "skala_value")
        if not is_blank(text) or not is_blank(value):
            record.scale_rows.append((row, text, value))

    def _collect_option_row(self, row: int, record: Record) -> None:
        """A sub-row of an indicator whose options sit under its name: an option when it has a
        value or reads like one ("b. …", "Nilai 50 jika …"), else the name continued."""
        text, value = self.cell(row, "indikator"), self.cell(row, "skala_value")
        if is_blank(text) and is_blank(value):
            return
        if not is_blank(value) or looks_like_option(text):
            record.scale_rows.append((row, text, value))
        else:
            record.add("indikator", text)

    def _finish(self, record: Record) -> None:
        """Parse the scale and the evidence of a record; a problem becomes ``record.error``."""
        try:
            if self.kelembagaan:
                self._identify_kelembagaan(record)
            elif not one_line(record.text("indikator")):
                raise ParseError(_("Nama indikator kosong."))
            record.options = self._options(record)
            record.requirements = parse_requirements(record.text("bukti_dukung"), data_years=self.cycle.data_years)
        except ParseError as exc:
            record.error = str(exc)

    def _identify_kelembagaan(self, record: Record) -> None:
        component_text = record.text("komponen")
        component = match_label(component_text, COMPONENT_NAMES)
        if not component:
            raise ParseError(_("Komponen kelembagaan “%(text)s” tidak dikenali.") % {"text": component_text or "—"})
        item_text = one_line(record.text("indikator"))
        item = match_label(item_text, ITEM_NAMES)
        if not item:
            raise ParseError(_("Butir kelembagaan “%(text)s” tidak dikenali.") % {"text": item_text[:60]})
        record.component, record.item = component, item

    def _options(self, record: Record) -> list[ScaleOptionData]:
        allowed = self.cycle.scale_values
        rows = record.scale_rows
        if self.kelembagaan and self.header.checklist:
            return checklist_options(allowed)
        if not rows:
            if self.kelembagaan:
                return []  # kelembagaan sheets without a scale are allowed
            raise ParseError(_("Skala penilaian kosong."))
        values = [v for _row, _text, v in rows if not is_blank(v)]
        if not self.header.rows_layout or (len(rows) == 1 and not values):
            # One text cell (possibly continued on the rows below) holding all options.
            return parse_scale_text("\n".join(clean_text(t) for _r, t, _v in rows), allowed_values=allowed)
        options = []
        for row, text, value in rows:
            prefixed_value, description = strip_option_prefix(clean_text(text))
            if is_blank(value):
                if prefixed_value is None:
                    raise ParseError(_("Baris %(row)d: nilai skala kosong.") % {"row": row})
                number = prefixed_value
            else:
                number = scale_number(value)
                if number is None:
                    raise ParseError(
                        _("Baris %(row)d: nilai skala “%(value)s” bukan angka.")
                        % {"row": row, "value": one_line(value)}
                    )
                if prefixed_value is not None and prefixed_value != number:
                    raise ParseError(
                        _("Baris %(row)d: kolom SKALA berisi %(value)d tetapi teksnya menyebut Nilai %(text)d.")
                        % {"row": row, "value": number, "text": prefixed_value}
                    )
            options.append(ScaleOptionData(number, description))
        validate_options(options, allowed_values=allowed)
        return options


# The descriptions of the two options a checklist item gets (stored data, in Indonesian).
CHECKLIST_YES = "Ada"
CHECKLIST_NO = "Tidak ada"


def checklist_options(allowed_values) -> list[ScaleOptionData]:
    """The scale of a checklist item: Ada scores the cycle's top value, Tidak ada its lowest."""
    return [ScaleOptionData(max(allowed_values), CHECKLIST_YES), ScaleOptionData(min(allowed_values), CHECKLIST_NO)]


def looks_like_option(text) -> bool:
    """Whether a sub-row's text reads like a scale option: lettered ("a. …") or "Nilai N …"."""
    text = clean_text(text)
    return bool(re.match(r"^[a-eA-E]\s*[.)]\s+", text)) or strip_option_prefix(text)[0] is not None


def scale_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else None
    text = one_line(value)
    return int(text) if re.fullmatch(r"\d{1,3}", text) else None


# --- The service ------------------------------------------------------------------------------


def open_workbook(file, report: ImportReport):
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not read (data validation, styles).
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(file, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen kinds (zip, XML, KeyError) on a bad file
        logger.info("instrument workbook unreadable: %s: %s", exc.__class__.__name__, exc)
        report.problems.append(
            _(
                "Berkas “%(name)s” tidak dapat dibaca sebagai buku kerja Excel (.xlsx). Simpan ulang sebagai .xlsx lalu coba lagi."
            )
            % {"name": report.filename}
        )
        return None


def workbook_filename(file) -> str:
    if isinstance(file, str | Path):
        return Path(file).name
    return Path(getattr(file, "name", "") or "berkas").name


def instrument_import(*, cycle: Cycle, file, dry_run: bool = False) -> ImportReport:
    """Import the instrument workbook ``file`` (a path or a file object) into ``cycle``.

    All-or-nothing; returns the row-by-row report. With ``dry_run`` every write is rolled back,
    so the report shows what an import would create, update or leave unchanged.
    """
    report = ImportReport(filename=workbook_filename(file), cycle=cycle, dry_run=dry_run)
    workbook = open_workbook(file, report)
    if workbook is None:
        return report

    tatanan_by_code = {t.code: t for t in Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id)}
    candidates = {code: [t.name, *t.alias_list] for code, t in tatanan_by_code.items()}
    indicators: list[Record] = []
    kelembagaan: list[Record] = []
    sheets_for: dict[str, str] = {}
    sheet_order: list[str] = []

    for worksheet in workbook.worksheets:
        grid = Grid(worksheet)
        sheet_order.append(grid.title)
        header = find_header(grid, candidates)
        kind = _sheet_kind(grid, header, candidates, tatanan_by_code, report)
        if kind is None:
            continue
        is_kelembagaan, tatanan = kind
        if not _sheet_usable(grid, header, is_kelembagaan, tatanan, cycle, report):
            continue
        key = "KELEMBAGAAN" if is_kelembagaan else tatanan.code
        if key in sheets_for:
            report.problems.append(
                _("Sheet “%(sheet)s” dan “%(other)s” sama-sama berisi %(what)s.")
                % {"sheet": grid.title, "other": sheets_for[key], "what": key}
            )
            continue
        sheets_for[key] = grid.title
        _note_header(report, grid, header, tatanan)
        parser = SheetParser(grid=grid, header=header, cycle=cycle, report=report, kelembagaan=is_kelembagaan)
        records = parser.parse()
        for record in records:
            record.tatanan = tatanan
        (kelembagaan if is_kelembagaan else indicators).extend(records)

    _check_records(report, indicators, kelembagaan, missing=sorted(set(tatanan_by_code) - set(sheets_for)))

    if not report.ok:
        for record in [*kelembagaan, *indicators]:
            if not record.error:
                report.add_row(record.sheet, record.rows, Status.VALID, record.subject)
        sort_rows(report, sheet_order)
        return report

    try:
        with transaction.atomic():
            _write_kelembagaan(cycle, kelembagaan, report)
            _write_indicators(cycle, indicators, report)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as exc:
        logger.exception("instrument import failed while writing")
        report.problems.append(_("Gagal menyimpan ke basis data: %(error)s") % {"error": exc})
        report.rows = [row for row in report.rows if row.status == Status.SKIPPED]
        return report
    report.imported = not dry_run
    sort_rows(report, sheet_order)
    return report


def sheet_target(grid: Grid, header: Header | None, candidates: dict[str, list[str]]) -> tuple[bool, set[str]]:
    """(is the kelembagaan sheet, codes of the tatanan the sheet names) — one rule for both imports.

    The sheet's own title rows name its tatanan better than the sheet name, which Excel cuts at
    31 characters ("Tatanan 9 Penanggulangan Bencan"); the header may name it too (the indicator
    column of 2023 field workbooks). A sheet name that names nothing whole may still be a
    tatanan's name cut short: "8 Sosial" is the one tatanan with "sosial" in its name.
    """
    last_title_row = header.first_row - 1 if header else min(grid.max_row, 5)
    title_labels = [grid.row_text(r) for r in range(1, last_title_row + 1)]
    labels = [label for label in [*title_labels, grid.title] if label]
    is_kelembagaan = (
        header is not None and ("komponen" in header.columns or (header.checklist and not header.tatanan_code))
    ) or any("kelembagaan" in normalize_header(label).split() for label in labels)
    if is_kelembagaan:
        return True, set()
    matches = {m for m in (match_label(label, candidates) for label in labels) if m}
    if header is not None and header.tatanan_code:
        matches.add(header.tatanan_code)
    if not matches:
        shortened = match_shortened_name(grid.title, candidates)
        if shortened:
            matches.add(shortened)
    return False, matches


# Words of a sheet name that say nothing about which tatanan it holds.
_SHEET_NAME_NOISE = {"tatanan", "sheet", "tat", "kks", "no", "dan", "yang"}


def match_shortened_name(title: str, candidates: dict[str, list[str]]) -> str | None:
    """The one candidate whose name (or an alias) holds every meaningful word of ``title``."""
    words = {w for w in normalize_header(title).replace("/", " ").split() if not w.isdigit()} - _SHEET_NAME_NOISE
    if not words:
        return None
    found = {
        code
        for code, names in candidates.items()
        for name in names
        if words <= set(normalize_header(name).replace("/", " ").split())
    }
    return found.pop() if len(found) == 1 else None


def _sheet_kind(
    grid: Grid, header: Header | None, candidates: dict, tatanan_by_code: dict[str, Tatanan], report: ImportReport
) -> tuple[bool, Tatanan | None] | None:
    """Whether the sheet holds the kelembagaan, and else which tatanan it names (None when none).
    None, with a problem reported, when it names more than one tatanan."""
    is_kelembagaan, matches = sheet_target(grid, header, candidates)
    if is_kelembagaan:
        return True, None
    if len(matches) > 1:
        report.problems.append(
            _("Sheet “%(sheet)s” cocok dengan lebih dari satu tatanan (%(codes)s); ganti nama sheet.")
            % {"sheet": grid.title, "codes": ", ".join(sorted(matches))}
        )
        return None
    return False, tatanan_by_code[matches.pop()] if matches else None


def _sheet_usable(
    grid: Grid,
    header: Header | None,
    is_kelembagaan: bool,
    tatanan: Tatanan | None,
    cycle: Cycle,
    report: ImportReport,
) -> bool:
    """Whether the sheet can be parsed: a header, a tatanan (or the kelembagaan) and, for indicators,
    the NO column. A sheet that is none of these is noted as skipped; the others are problems."""
    if header is None:
        if tatanan is not None or is_kelembagaan:
            report.problems.append(
                _(
                    "Sheet “%(sheet)s” tidak punya baris judul kolom yang dikenali "
                    "(perlu setidaknya INDIKATOR dan SKALA/KATEGORI PENILAIAN)."
                )
                % {"sheet": grid.title}
            )
        else:
            report.notes.append(
                _("Sheet “%(sheet)s” dilewati: bukan sheet tatanan atau kelembagaan.") % {"sheet": grid.title}
            )
        return False
    if not is_kelembagaan and tatanan is None:
        report.problems.append(
            _(
                "Sheet “%(sheet)s” berisi indikator tetapi tidak dapat dikaitkan dengan tatanan mana pun "
                "dari himpunan %(set)s. Beri nama sheet atau judul sesuai nama tatanan."
            )
            % {"sheet": grid.title, "set": cycle.tatanan_set.code}
        )
        return False
    if not is_kelembagaan and "no" not in header.columns:
        report.problems.append(_("Sheet “%(sheet)s” tidak punya kolom NO.") % {"sheet": grid.title})
        return False
    return True


def _check_records(
    report: ImportReport, indicators: list[Record], kelembagaan: list[Record], *, missing: list[str]
) -> None:
    """The checks across sheets (duplicates, nothing recognised, tatanan ``missing`` from the file),
    then every record in error reported as a row."""
    _check_duplicates(indicators, kelembagaan)
    if not indicators and not kelembagaan and not report.problems and not report.error_rows:
        report.problems.append(_("Tidak ada sheet tatanan atau kelembagaan yang dikenali di berkas ini."))
    if missing and indicators:
        report.notes.append(
            _("Tatanan yang tidak ada di berkas (tidak diubah): %(codes)s.") % {"codes": ", ".join(missing)}
        )
    for record in [*kelembagaan, *indicators]:
        if record.error:
            report.add_row(record.sheet, record.rows, Status.ERROR, record.subject, record.error)


def _note_header(report: ImportReport, grid: Grid, header: Header, tatanan: Tatanan | None) -> None:
    what = _("kelembagaan") if tatanan is None else f"{tatanan.code} – {tatanan.name}"
    if header.checklist:
        layout = _("daftar periksa Ada/Tidak ada")
    elif header.rows_layout:
        layout = _("opsi skala per baris")
    else:
        layout = _("skala dalam satu sel")
    report.notes.append(
        _("Sheet “%(sheet)s” → %(what)s (judul kolom di baris %(row)d, %(layout)s).")
        % {"sheet": grid.title, "what": what, "row": header.row, "layout": layout}
    )
    ignored = [key for key in header.columns if key in IGNORED_COLUMNS | CHECKLIST_COLUMNS]
    if ignored:
        report.notes.append(
            _("Sheet “%(sheet)s”: kolom nilai/tautan/catatan penilaian diabaikan (katalog tidak menyimpan nilai).")
            % {"sheet": grid.title}
        )
    for label in header.unknown:
        report.notes.append(
            _("Sheet “%(sheet)s”: kolom “%(label)s” tidak dikenal dan diabaikan.")
            % {"sheet": grid.title, "label": label[:60]}
        )
    for label in header.duplicates:
        report.notes.append(
            _("Sheet “%(sheet)s”: kolom “%(label)s” ganda; hanya kolom pertama yang dibaca.")
            % {"sheet": grid.title, "label": label[:60]}
        )


def _check_duplicates(indicators: list[Record], kelembagaan: list[Record]) -> None:
    seen: dict[tuple, Record] = {}
    for record in indicators:
        key = (record.tatanan.code, record.number)
        if key in seen and not record.error:
            record.error = _("Nomor indikator %(no)s sudah dipakai di baris %(row)d.") % {
                "no": record.number,
                "row": seen[key].first_row,
            }
        seen.setdefault(key, record)
    seen = {}
    for record in kelembagaan:
        if not record.component:
            continue
        key = (record.component, record.item)
        if key in seen and not record.error:
            record.error = _("Butir ini sudah ada di baris %(row)d.") % {"row": seen[key].first_row}
        seen.setdefault(key, record)


def sort_rows(report: ImportReport, sheet_order: list[str]) -> None:
    position = {sheet: index for index, sheet in enumerate(sheet_order)}
    report.rows.sort(key=lambda r: (position.get(r.sheet, len(position)), r.rows[0]))


# --- Writing ------------------------------------------------------------------------------------
# Scale options and derived evidence requirements are matched to the parsed ones by identity, not
# by position (docs/DOMAIN.md, "Re-importing the instrument"): an option by its value, a
# requirement by its document and data year. A matched row is updated in place (its id, which
# scores and evidence files point at, stays); a row no longer wanted is deleted only when nothing
# points at it, and otherwise kept, after the wanted ones, and named in a note.


# The years a description names ("tahun 2023 dan 2024", "2023–2024"): the data year is part of a
# requirement's identity already, and the splitter leaves them on whichever document came last.
_NAMED_YEARS_RE = re.compile(
    r"(?:\btahun\s+)?\b(?:19|20)\d{2}\b"
    r"(?:\s*(?:,|dan|serta|-|–|/|s\.?\s*d\.?|sampai(?:\s+dengan)?)\s*(?:tahun\s+)?\b(?:19|20)\d{2}\b)*",
    re.IGNORECASE,
)


def identity_text(text: str) -> str:
    """A requirement's description as part of its identity: case, spacing, punctuation and the
    years it names make no other document ("Laporan kasus tahun 2023 dan 2024" is "laporan kasus")."""
    text = _NAMED_YEARS_RE.sub(" ", text or "")
    return " ".join(re.sub(r"[^\w]+", " ", text).split()).casefold()


def _option_key(option) -> tuple:
    return (option.value,)


def _requirement_key(requirement) -> tuple:
    return (identity_text(requirement.description), requirement.year_scope, requirement.data_year)


def referenced_ids(model, rows) -> set[int]:
    """The ids of ``rows`` some other row points at: an evidence file (live, removed or replaced)
    at a requirement, an entry's self, provincial or national score at an option. Found through
    the model's reverse relations, so that ``tatanan`` imports neither ``evidence`` nor
    ``indicators`` (docs/ARCHITECTURE.md) and a table added later that points here counts too."""
    ids = [row.pk for row in rows]
    found: set[int] = set()
    if not ids:
        return found
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        field_ = relation.field
        rows_pointing = relation.related_model._base_manager.filter(**{f"{field_.name}__in": ids})
        found.update(rows_pointing.values_list(field_.attname, flat=True))
    return found


@dataclass
class _Sync:
    """How one owner's rows become the parsed ones. ``rows``: (the existing row, or None for a new
    one; the values it gets) per wanted row, then per kept row; ``kept``: the rows no longer
    wanted that something points at; ``dropped``: the others, deleted."""

    rows: list[tuple]
    kept: list
    dropped: list
    changed: bool = False

    def differs(self) -> bool:
        return bool(self.dropped) or any(
            row is None or any(getattr(row, name) != value for name, value in values.items())
            for row, values in self.rows
        )


def _sync_rows(
    model, owner_field: str, owner, existing: list, wanted: list, *, key, values, extra=None, kept_values=None
) -> _Sync:
    """Make ``owner``'s ``existing`` rows the ``wanted`` ones, pairing them by ``key`` (in order
    when two share one) and writing ``values(data, order)`` on each; the order follows ``wanted``,
    then the kept rows in the order they had, each also given ``kept_values`` (an option's
    ``retired``). Returns what it did (``changed``: whether it wrote)."""
    pool: dict[tuple, list] = {}
    for row in existing:
        pool.setdefault(key(row), []).append(row)
    rows = []
    for order, data in enumerate(wanted, start=1):
        matches = pool.get(key(data))
        rows.append((matches.pop(0) if matches else None, values(data, order)))
    paired = {id(row) for row, _values in rows if row is not None}
    unwanted = [row for row in existing if id(row) not in paired]
    in_use = referenced_ids(model, unwanted)
    kept = [row for row in unwanted if row.pk in in_use]
    sync = _Sync(
        rows + [(row, {"order": order, **(kept_values or {})}) for order, row in enumerate(kept, start=len(rows) + 1)],
        kept=kept,
        dropped=[row for row in unwanted if row.pk not in in_use],
    )
    sync.changed = sync.differs()
    if sync.changed:
        _write_sync(model, owner_field, owner, existing, sync, extra or {})
    return sync


def _write_sync(model, owner_field: str, owner, existing: list, sync: _Sync, extra: dict) -> None:
    """Delete the dropped rows, move the others to their order in two steps (an option's order is
    unique within its scale), update them in place and create the new ones."""
    for row in sync.dropped:
        row.delete()
    moving = [row for row, values in sync.rows if row is not None and row.order != values["order"]]
    spare = max([row.order for row in existing] + [len(sync.rows)]) + 1
    for offset, row in enumerate(moving):
        model.objects.filter(pk=row.pk).update(order=spare + offset)
        row.order = spare + offset
    for row, values in sync.rows:
        if row is None:
            model.objects.create(**{owner_field: owner}, **extra, **values)
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            row.save(update_fields=changed)


def _owner_name(owner) -> str:
    if isinstance(owner, Indicator):
        return _("Indikator %(code)s %(no)s") % {"code": owner.tatanan.code, "no": owner.number}
    return _("Butir kelembagaan %(item)s") % {"item": f"{owner.get_component_display()} – {owner.get_item_display()}"}


def _sync_options(
    owner_field: str, owner, existing: list[ScaleOption], wanted: list[ScaleOptionData], report: ImportReport
) -> bool:
    """Make ``owner``'s options the ``wanted`` ones, matched by value: an option's value is its
    identity within a scale, so a score stays on the value it gave while the criterion's text is
    updated. An option the scale no longer has is deleted unless an entry scores with it; then it
    is kept and marked ``retired`` (valid only where it is the stored score,
    ``selectors.selectable_options``), and a later workbook that has its value again revives it."""
    sync = _sync_rows(
        ScaleOption,
        owner_field,
        owner,
        existing,
        wanted,
        key=_option_key,
        values=lambda data, order: {
            "value": data.value,
            "description": data.description,
            "order": order,
            "retired": False,
        },
        kept_values={"retired": True},
    )
    for option in sync.kept:
        report.notes.append(
            _(
                "%(owner)s: opsi skala bernilai %(value)d (“%(text)s”) tidak ada lagi di skala berkas ini, "
                "tetapi tidak dihapus karena sudah ada isian penilaian yang memakai nilai itu."
            )
            % {"owner": _owner_name(owner), "value": option.value, "text": one_line(option.description)[:80]}
        )
    return sync.changed


def _sync_requirements(
    owner_field: str, owner, existing: list[EvidenceRequirement], wanted: list[RequirementData], report: ImportReport
) -> bool:
    """Make ``owner``'s derived requirements the ``wanted`` ones, matched by (document, year scope,
    data year), so that a file stays on the document and year it was uploaded for. Hand-made ones
    are left alone, and all of them when a superuser merged or split them
    (``owner.requirements_edited``). A requirement the text no longer asks for is deleted unless a
    file was uploaded for it."""
    if owner.requirements_edited:
        return False
    sync = _sync_rows(
        EvidenceRequirement,
        owner_field,
        owner,
        [r for r in existing if r.derived],
        wanted,
        key=_requirement_key,
        values=lambda data, order: {
            "description": data.description,
            "year_scope": data.year_scope,
            "data_year": data.data_year,
            "count": data.count,
            "order": order,
        },
        extra={"derived": True},
    )
    for requirement in sync.kept:
        report.notes.append(
            _(
                "%(owner)s: syarat bukti dukung “%(text)s” (%(year)s) tidak lagi diminta teks bukti dukung, "
                "tetapi tidak dihapus karena sudah ada berkas bukti yang diunggah untuknya."
            )
            % {
                "owner": _owner_name(owner),
                "text": one_line(requirement.description)[:80],
                "year": requirement.year_label,
            }
        )
    return sync.changed


FIELD_LABELS = {
    "name": gettext_lazy("nama"),
    "text": gettext_lazy("definisi operasional"),
    "definisi_operasional": gettext_lazy("definisi operasional"),
    "sumber_data": gettext_lazy("sumber data"),
    "bukti_dukung": gettext_lazy("bukti dukung"),
    "scale_text": gettext_lazy("teks skala"),
    "order": gettext_lazy("urutan"),
}


def _save_changes(obj, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return [str(FIELD_LABELS.get(name, name)) for name in changed]


def _report_write(report, record: Record, created: bool, changed: list[str]) -> None:
    if created:
        report.add_row(record.sheet, record.rows, Status.CREATED, record.subject)
    elif changed:
        report.add_row(
            record.sheet,
            record.rows,
            Status.UPDATED,
            record.subject,
            _("Berubah: %(fields)s.") % {"fields": ", ".join(changed)},
        )
    else:
        report.add_row(record.sheet, record.rows, Status.UNCHANGED, record.subject)


def _write_indicators(cycle: Cycle, records: list[Record], report: ImportReport) -> None:
    existing = {
        (indicator.tatanan_id, indicator.number): indicator
        for indicator in Indicator.objects.filter(cycle=cycle, is_local=False)
        .select_related("tatanan")
        .prefetch_related("scale_options", "evidence_requirements")
    }
    seen = set()
    for record in records:
        values = {
            "name": one_line(record.text("indikator")),
            "definisi_operasional": record.text("definisi"),
            "sumber_data": record.text("sumber_data"),
            "bukti_dukung": record.text("bukti_dukung"),
            "scale_text": "\n".join(clean_text(t) for _r, t, _v in record.scale_rows if not is_blank(t)),
            "order": record.order,
        }
        key = (record.tatanan.pk, record.number)
        seen.add(key)
        indicator = existing.get(key)
        if indicator is None:
            indicator = Indicator.objects.create(cycle=cycle, tatanan=record.tatanan, number=record.number, **values)
            _sync_options("indicator", indicator, [], record.options, report)
            _sync_requirements("indicator", indicator, [], record.requirements, report)
            _report_write(report, record, True, [])
            continue
        changed = _save_changes(indicator, values)
        if _sync_options("indicator", indicator, list(indicator.scale_options.all()), record.options, report):
            changed.append(str(_("opsi skala")))
        if _sync_requirements(
            "indicator", indicator, list(indicator.evidence_requirements.all()), record.requirements, report
        ):
            changed.append(str(_("syarat bukti dukung")))
        _report_write(report, record, False, changed)

    imported_tatanan = {record.tatanan.pk for record in records}
    for key, indicator in sorted(existing.items(), key=lambda kv: (kv[1].tatanan.number, kv[1].order)):
        if key not in seen and key[0] in imported_tatanan:
            report.notes.append(
                _("Indikator %(code)s %(no)s ada di katalog tetapi tidak di berkas; tidak dihapus.")
                % {"code": indicator.tatanan.code, "no": indicator.number}
            )


def _write_kelembagaan(cycle: Cycle, records: list[Record], report: ImportReport) -> None:
    existing = {
        (item.component, item.item): item
        for item in KelembagaanItem.objects.filter(cycle=cycle).prefetch_related(
            "scale_options", "evidence_requirements"
        )
    }
    for record in records:
        values = {
            "order": record.order,
            "text": record.text("definisi"),
            "sumber_data": record.text("sumber_data"),
            "bukti_dukung": record.text("bukti_dukung"),
            "scale_text": "\n".join(clean_text(t) for _r, t, _v in record.scale_rows if not is_blank(t)),
        }
        item = existing.get((record.component, record.item))
        if item is None:
            item = KelembagaanItem.objects.create(cycle=cycle, component=record.component, item=record.item, **values)
            _sync_options("kelembagaan_item", item, [], record.options, report)
            _sync_requirements("kelembagaan_item", item, [], record.requirements, report)
            _report_write(report, record, True, [])
            continue
        changed = _save_changes(item, values)
        if _sync_options("kelembagaan_item", item, list(item.scale_options.all()), record.options, report):
            changed.append(str(_("opsi skala")))
        if _sync_requirements(
            "kelembagaan_item", item, list(item.evidence_requirements.all()), record.requirements, report
        ):
            changed.append(str(_("syarat bukti dukung")))
        _report_write(report, record, False, changed)
