"""Self-assessment workbooks: export an assessment in the instrument's layout, import it back.

Kabupaten and province exchange the self-assessment as Excel workbooks shaped like the official
instrument: a Kelembagaan sheet and one sheet per tatanan, the catalogue columns (NO, INDIKATOR,
DEFINISI OPERASIONAL, SUMBER DATA, BUKTI DUKUNG, SKALA/KATEGORI PENILAIAN) followed by the
self-assessment columns of the 2023 layout (data for both data years, target, explanation, self
score, evidence link, and the province's score and notes).

``assessment_export`` writes such a workbook; ``assessment_import`` reads a filled one back.
The import reuses the catalogue importer (``tatanan.importer``) for everything about reading a
workbook — opening it, resolving merged cells, finding the header row after normalising case,
spacing and order, matching sheets to tatanan by name and alias — and for its row-by-row
report, so both imports speak the same language. Like the catalogue import it is all-or-nothing:
every row is read and checked first; one unreadable row and nothing is written. Entries are
written through ``indicator_entry_update`` and kelembagaan scores through
``kelembagaan_entries_update``, so each write rule lives in one place.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import logging
import re
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.access import is_bappeda_admin_of, require_kabupaten_admin
from accounts.models import User
from accounts.selectors import scope_of
from regions.models import Region
from tatanan.importer import (
    COMPONENT_NAMES,
    ITEM_NAMES,
    Grid,
    Header,
    ImportReport,
    Status,
    find_header,
    is_blank,
    is_column_numbering,
    open_workbook,
    scale_number,
    sheet_target,
    sort_rows,
    workbook_filename,
)
from tatanan.models import Cycle, Indicator, KelembagaanItem, Tatanan
from tatanan.parsing import (
    CHECKLIST_COLUMNS,
    clean_text,
    header_key,
    match_label,
    normalize_header,
    normalize_number,
    one_line,
)
from tatanan.selectors import is_selectable, retired_option_message, selectable_options

from ..fieldwork.services import kelembagaan_entries_update
from ..models import Assessment, IndicatorEntry, KelembagaanEntry
from ..services import (
    assessment_open,
    imported_results_record,
    indicator_entry_update,
    offline_verification_allowed,
)

logger = logging.getLogger(__name__)

LOCAL_MARK = "(lokal)"
INSTRUMENT_TITLE = "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT"
KELEMBAGAAN_TITLE = "KELEMBAGAAN"
FIRST_HEADER_ROW = 5
TEXT_MAX_LENGTH = {
    name: IndicatorEntry._meta.get_field(name).max_length
    for name in ("value_year1", "value_year2", "target", "evidence_link")
}
EXCEL_CELL_MAX = 32767

# The self-assessment columns, in the order the 2023 workbooks put them. Keys match
# ``tatanan.parsing.HEADER_SYNONYMS`` where that module already knows the column.
SELF_COLUMNS = [
    "value_year1",
    "value_year2",
    "target",
    "explanation",
    "self_value",
    "evidence_link",
    "province_value",
    "province_notes",
]
# Headers the catalogue importer does not know (it never reads the kabupaten's answers).
EXTRA_HEADER_SYNONYMS = {
    "target": ["target", "target capaian", "target daerah", "target kabupaten/kota"],
    "explanation": [
        "penjelasan",
        "penjelasan kabupaten/kota",
        "penjelasan kab/kota",
        "uraian penjelasan",
        "keterangan kabupaten/kota",
        "keterangan kab/kota",
        "analisis",
    ],
    "value_year1": ["data tahun pertama", "data tahun 1", "tahun pertama"],
    "value_year2": ["data tahun kedua", "data tahun 2", "tahun kedua"],
}
_EXTRA_TO_KEY = {normalize_header(s): key for key, synonyms in EXTRA_HEADER_SYNONYMS.items() for s in synonyms}
_YEAR_WORDS = {"data", "tahun", "capaian", "realisasi", "nilai"}

URL_VALIDATOR = URLValidator(schemes=["http", "https"])


# --- Export -------------------------------------------------------------------------------------

CATALOGUE_HEADERS = ["NO", "INDIKATOR", "DEFINISI OPERASIONAL", "SUMBER DATA", "BUKTI DUKUNG"]
SCALE_HEADER = "SKALA/KATEGORI PENILAIAN"
COLUMN_WIDTHS = {
    "NO": 6,
    "KOMPONEN": 18,
    "INDIKATOR": 40,
    "DEFINISI OPERASIONAL": 45,
    "SUMBER DATA": 25,
    "BUKTI DUKUNG": 40,
    SCALE_HEADER: 50,
    "TARGET": 14,
    "PENJELASAN": 40,
    "NILAI MANDIRI": 11,
    "LINK BUKTI DUKUNG": 35,
    "NILAI VERIFIKASI PROVINSI": 13,
    "CATATAN PROVINSI": 30,
}
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_SELF_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def self_column_headers(cycle) -> dict[str, str]:
    first, last = cycle.first_data_year, cycle.last_data_year
    return {
        "value_year1": f"DATA TAHUN {first}",
        "value_year2": f"DATA TAHUN {last}",
        "target": "TARGET",
        "explanation": "PENJELASAN",
        "self_value": "NILAI MANDIRI",
        "evidence_link": "LINK BUKTI DUKUNG",
        "province_value": "NILAI VERIFIKASI PROVINSI",
        "province_notes": "CATATAN PROVINSI",
    }


def _sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text)
    base = " ".join(base.split())[:31].strip() or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _put(ws, row: int, col: int, value):
    """Write a cell as text (or a number), never as a formula, and wrap it."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_MAX]
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        # A kabupaten's text that starts with "=" must not become a formula in the province's Excel.
        cell.data_type = "s"
    cell.alignment = _WRAP
    cell.border = _BORDER
    return cell


def _title_rows(ws, *, assessment: Assessment, subtitle: str, width: int) -> None:
    cycle = assessment.cycle
    lines = [
        INSTRUMENT_TITLE,
        subtitle,
        # Kept free of tatanan words: the importer recognises a sheet's tatanan from these rows.
        _("Penilaian mandiri %(kabupaten)s (%(code)s) · Swasti Saba %(year)d · data tahun %(first)d–%(last)d")
        % {
            "kabupaten": assessment.kabupaten.name,
            "code": assessment.kabupaten_id,
            "year": cycle.award_year,
            "first": cycle.first_data_year,
            "last": cycle.last_data_year,
        },
    ]
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=row < 3, size=12 if row < 3 else 10)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header_row(ws, headers: list[str], *, self_from: int) -> None:
    for col, label in enumerate(headers, start=1):
        cell = _put(ws, FIRST_HEADER_ROW, col, label)
        cell.font = Font(bold=True)
        cell.fill = _SELF_FILL if col >= self_from else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        numbering = _put(ws, FIRST_HEADER_ROW + 1, col, f"({col})")
        numbering.alignment = Alignment(horizontal="center")
        numbering.font = Font(italic=True, size=8)
        width = COLUMN_WIDTHS.get(label, 16 if label.startswith("DATA TAHUN") else 20)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_HEADER_ROW + 2, column=3)


def _score_validation(ws, cache: dict, values: list[int], cell) -> None:
    """A drop-down list of the allowed values on a NILAI MANDIRI cell (one rule per value set)."""
    key = tuple(values)
    if not key:
        return
    if key not in cache:
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(str(v) for v in key) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Nilai tidak sah"),
            error=_("Pilih salah satu nilai skala indikator ini: %(values)s.")
            % {"values": ", ".join(str(v) for v in key)},
        )
        ws.add_data_validation(rule)
        cache[key] = rule
    cache[key].add(cell)


def _indicator_sheet(wb, *, assessment, tatanan: Tatanan, entries: list[IndicatorEntry], used: set[str]) -> None:
    ws = wb.create_sheet(_sheet_title(f"Tatanan {tatanan.number} {tatanan.name}", used))
    self_headers = self_column_headers(assessment.cycle)
    headers = [*CATALOGUE_HEADERS, SCALE_HEADER, *(self_headers[k] for k in SELF_COLUMNS)]
    _title_rows(
        ws,
        assessment=assessment,
        subtitle=f"TATANAN {tatanan.number}: {tatanan.name.upper()}",
        width=len(headers),
    )
    first_self = len(CATALOGUE_HEADERS) + 2
    _header_row(ws, headers, self_from=first_self)
    text_columns = {first_self + SELF_COLUMNS.index(k) for k in ("value_year1", "value_year2", "target", "explanation")}
    score_column = first_self + SELF_COLUMNS.index("self_value")
    validations: dict = {}
    for row, entry in enumerate(entries, start=FIRST_HEADER_ROW + 2):
        indicator = entry.indicator
        name = f"{indicator.name} {LOCAL_MARK}" if indicator.is_local else indicator.name
        offered = selectable_options(indicator, entry.self_score_id)
        scale = indicator.scale_text or "\n".join(
            f"{n}. Nilai {o.value} jika {o.description}" for n, o in enumerate(offered, start=1)
        )
        values = [
            int(indicator.number) if indicator.number.isdigit() else indicator.number,
            name,
            indicator.definisi_operasional,
            indicator.sumber_data,
            indicator.bukti_dukung,
            scale,
            entry.value_year1,
            entry.value_year2,
            entry.target,
            entry.explanation,
            entry.self_score.value if entry.self_score else None,
            entry.evidence_link,
            entry.provincial_score.value if entry.provincial_score else None,
            entry.provincial_note,
        ]
        for col, value in enumerate(values, start=1):
            cell = _put(ws, row, col, value if value != "" else None)
            if col in text_columns:
                cell.number_format = "@"  # typed data stays as written ("85,5", "012")
        # The link stays plain text, not a hyperlink: openpyxl reads an emptied cell that kept its
        # hyperlink as the old address, so a link cleared in Excel would silently come back.
        _score_validation(ws, validations, [o.value for o in offered], ws.cell(row=row, column=score_column))


def _kelembagaan_sheet(wb, *, assessment, entries: list[KelembagaanEntry], used: set[str]) -> None:
    ws = wb.create_sheet(_sheet_title("Kelembagaan", used))
    headers = ["NO", "KOMPONEN", "INDIKATOR", "DEFINISI OPERASIONAL", "SUMBER DATA", "BUKTI DUKUNG", SCALE_HEADER]
    headers += ["NILAI MANDIRI", "PENJELASAN"]
    _title_rows(ws, assessment=assessment, subtitle=KELEMBAGAAN_TITLE, width=len(headers))
    _header_row(ws, headers, self_from=8)
    validations: dict = {}
    components: list[str] = []
    first_row_of: dict[str, int] = {}
    row = FIRST_HEADER_ROW + 1
    for entry in entries:
        row += 1
        item = entry.item
        if item.component not in first_row_of:
            components.append(item.component)
            first_row_of[item.component] = row
        values = [
            len(components),
            item.get_component_display(),
            item.get_item_display(),
            item.text,
            item.sumber_data,
            item.bukti_dukung,
            item.scale_text,
            entry.self_score.value if entry.self_score else None,
            entry.note,
        ]
        for col, value in enumerate(values, start=1):
            _put(ws, row, col, value if value != "" else None)
        offered = [o.value for o in selectable_options(item, entry.self_score_id)]
        _score_validation(ws, validations, offered, ws.cell(row=row, column=8))
    # NO and KOMPONEN merged over the component's items, as in the official sheet.
    bounds = [first_row_of[c] for c in components] + [row + 1]
    for start, end in zip(bounds, bounds[1:], strict=False):
        if end - 1 > start:
            for col in (1, 2):
                ws.merge_cells(start_row=start, start_column=col, end_row=end - 1, end_column=col)


def assessment_export(*, assessment: Assessment) -> bytes:
    """The self-assessment of ``assessment`` as an .xlsx workbook in the instrument's layout.

    A Kelembagaan sheet, then one sheet per assessed tatanan (its national indicators and the
    kabupaten's local ones, marked "(lokal)"), each with the self-assessment columns and the
    province's score and notes when present. NILAI MANDIRI offers the indicator's own scale
    values as a drop-down list. The caller checks that the reader may see the assessment.
    """
    entries = list(
        assessment.indicator_entries.select_related("indicator__tatanan", "self_score", "provincial_score")
        .prefetch_related("indicator__scale_options")
        .order_by("indicator__tatanan__number", "indicator__is_local", "indicator__order", "indicator_id")
    )
    kelembagaan = list(
        assessment.kelembagaan_entries.select_related("item", "self_score")
        .prefetch_related("item__scale_options")
        .order_by("item__order", "item_id")
    )
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    _kelembagaan_sheet(wb, assessment=assessment, entries=kelembagaan, used=used)
    for tatanan in assessment.tatanan.order_by("number"):
        own = [e for e in entries if e.indicator.tatanan_id == tatanan.pk]
        _indicator_sheet(wb, assessment=assessment, tatanan=tatanan, entries=own, used=used)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_filename(assessment: Assessment) -> str:
    return f"penilaian-mandiri-{assessment.kabupaten_id}-{assessment.cycle.award_year}.xlsx"


# --- Import: reading --------------------------------------------------------------------------


def self_header_key(value, *, data_years: list[int]) -> str | None:
    """The key of a self-assessment column header, or ``None`` (then ``header_key`` decides).

    "DATA TAHUN 2023" is the first data year's column whatever words surround the year
    ("Data 2023", "Capaian Tahun 2023"), as long as the year is one of the cycle's data years.
    """
    text = normalize_header(value)
    if not text:
        return None
    if text in _EXTRA_TO_KEY:
        return _EXTRA_TO_KEY[text]
    words = text.replace("/", " ").split()
    years = [int(w) for w in words if re.fullmatch(r"(19|20)\d{2}", w)]
    if len(years) == 1 and set(words) - {str(years[0])} <= _YEAR_WORDS:
        if years[0] == data_years[0]:
            return "value_year1"
        if years[0] == data_years[-1]:
            return "value_year2"
    return None


def _extend_header(grid: Grid, header: Header, data_years: list[int]) -> Header:
    """Take in a second header row the catalogue importer leaves as data ("DATA TAHUN" over
    "2023 | 2024"): a row right below the header whose every cell names a column."""
    below = header.row + 1
    cells = [(col, value) for col, value in enumerate(grid.row_values(below), start=1) if not is_blank(value)]
    if not cells or is_column_numbering(value for _col, value in cells):
        return header

    def names_a_column(col, value) -> bool:
        joined = f"{one_line(grid.filled(header.row, col))} {one_line(value)}"
        return bool(self_header_key(joined, data_years=data_years) or header_key(value) or header_key(joined))

    if not all(names_a_column(col, value) for col, value in cells):
        return header
    data_start = below + 1
    if is_column_numbering(grid.row_values(data_start)):
        data_start += 1
    return dataclasses.replace(header, row=below, data_start=data_start)


def _columns(grid: Grid, header: Header, data_years: list[int]) -> tuple[dict[str, int], list[str]]:
    """The catalogue importer's columns plus the self-assessment ones it does not know.

    A two-row header ("DATA TAHUN" over "2023 | 2024") is read by joining the rows.
    """
    columns = dict(header.columns)
    unknown = []
    width = max(len(grid.row_values(r)) for r in range(header.first_row, header.row + 1))
    for col in range(1, width + 1):
        texts = []
        for row in range(header.first_row, header.row + 1):
            text = one_line(grid.filled(row, col))
            if text and text not in texts:
                texts.append(text)
        if not texts:
            continue
        key = self_header_key(" ".join(texts), data_years=data_years) or self_header_key(
            texts[-1], data_years=data_years
        )
        if key is None:
            if col not in columns.values() and not header_key(" ".join(texts)):
                unknown.append(" ".join(texts))
            continue
        if key == "value_year1" and "value_year1" in columns and data_years[0] == data_years[-1]:
            key = "value_year2"  # a one-year cycle: the second column of the same year
        columns = {k: c for k, c in columns.items() if c != col}
        columns.setdefault(key, col)
    return columns, unknown


@dataclass
class RowData:
    """One indicator (or kelembagaan item) read from a sheet, before it is checked against the DB."""

    sheet: str
    first_row: int
    last_row: int
    number: str = ""
    is_local: bool = False
    component: str = ""
    item: str = ""
    label: str = ""
    values: dict[str, list] = field(default_factory=dict)
    error: str = ""
    entry: IndicatorEntry | KelembagaanEntry | None = None
    changes: dict = field(default_factory=dict)

    @property
    def rows(self) -> tuple[int, int]:
        return (self.first_row, self.last_row)

    def add(self, key: str, value) -> None:
        if not is_blank(value):
            self.values.setdefault(key, []).append(value)

    def value(self, key: str):
        """The one value of a column over the record's rows; two different ones are an error."""
        found = self.values.get(key, [])
        distinct = list(dict.fromkeys(_text(v) for v in found))
        if len(distinct) > 1:
            raise ValidationError(
                _("Kolom %(column)s berisi lebih dari satu isian (%(values)s).")
                % {"column": _column_label(key), "values": " / ".join(d[:30] for d in distinct)}
            )
        return found[0] if found else None


def _column_label(key: str) -> str:
    return {
        "value_year1": _("data tahun pertama"),
        "value_year2": _("data tahun kedua"),
        "target": _("target"),
        "explanation": _("penjelasan"),
        "self_value": _("nilai mandiri"),
        "evidence_link": _("link bukti dukung"),
        "province_value": _("nilai verifikasi provinsi"),
        "province_notes": _("catatan provinsi"),
    }.get(key, key)


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return clean_text(value)


WRITABLE = ["value_year1", "value_year2", "target", "explanation", "self_value", "evidence_link"]
# The province's verification as written in the file; imported only while the portal's own
# provincial verification has not started (``offline_verification_allowed``).
PROVINCIAL = ["province_value", "province_notes"]
KELEMBAGAAN_COLUMNS = ["self_value", "explanation", "evidence_link", "province_notes", "check", "check_yes", "check_no"]
# Marks of a checklist column "Ada (√) / Tidak Ada (-)".
CHECK_YES = {"√", "✓", "✔", "v", "ada", "ya", "y", "1", "☑"}
CHECK_NO = {"-", "–", "—", "x", "×", "tidak", "tidak ada", "t", "0", "☐"}


def number_key(value) -> str:
    """An indicator number as matched: "1.0", "1." and "1" alike; local numbers ("L1") as written."""
    return normalize_number(value) or one_line(value).lower().rstrip(".").strip()


class SheetReader:
    """The rows of one sheet, as ``RowData`` records; rows it cannot use go into the report."""

    def __init__(self, *, grid: Grid, header: Header, columns: dict[str, int], report, kelembagaan, local_numbers=()):
        self.local_numbers = set(local_numbers)  # free-form numbers of local indicators ("L1")
        self.grid = grid
        self.header = header
        self.columns = columns
        self.report = report
        self.kelembagaan = kelembagaan
        self.records: list[RowData] = []
        self.component_heading = ""

    def cell(self, row: int, key: str, *, filled: bool = False):
        col = self.columns.get(key)
        if col is None:
            return None
        if filled:
            return self.grid.filled(row, col)
        if self.grid.is_continuation(row, col):
            return None
        # Only the text counts, not a hyperlink behind it: Excel keeps the old hyperlink when a
        # new link is typed over a cell, so the target may well be stale.
        return self.grid.raw(row, col)

    def _has_answers(self, row: int) -> bool:
        return any(not is_blank(self.cell(row, key)) for key in WRITABLE)

    def read(self) -> list[RowData]:
        current = None
        for row in range(self.header.data_start, self.grid.max_row + 1):
            if all(is_blank(v) for v in self.grid.row_values(row)):
                continue
            current = self._kelembagaan_row(row, current) if self.kelembagaan else self._indicator_row(row, current)
        return self.records

    def _skip(self, row: int, message: str, *, error: bool) -> None:
        text = one_line(self.grid.row_text(row))[:80]
        self.report.add_row(self.grid.title, (row, row), Status.ERROR if error else Status.SKIPPED, text, message)

    def _indicator_row(self, row: int, current: RowData | None) -> RowData | None:
        raw_no = self.cell(row, "no")
        number = normalize_number(raw_no)
        if number is None and not is_blank(raw_no) and number_key(raw_no) in self.local_numbers:
            number = number_key(raw_no)
        if not is_blank(raw_no) and number is None:
            label = one_line(raw_no)[:40]
            if self._has_answers(row):
                self._skip(row, _("Nomor indikator “%(no)s” tidak dikenali.") % {"no": label}, error=True)
            else:
                self._skip(row, _("Judul bagian tanpa isian: “%(no)s”.") % {"no": label}, error=False)
            return None
        if number:
            name = one_line(self.cell(row, "indikator"))
            current = RowData(
                self.grid.title,
                row,
                row,
                number=number,
                is_local=LOCAL_MARK in name.lower(),
                label=name.replace(LOCAL_MARK, "").strip(),
            )
            self.records.append(current)
        elif current is None:
            if self._has_answers(row):
                self._skip(row, _("Baris berisi isian tetapi tanpa nomor indikator."), error=True)
            else:
                self._skip(row, _("Baris tanpa nomor indikator dan tanpa isian."), error=False)
            return None
        else:
            current.last_row = row  # a continuation row (2023 layout: one scale option per row)
        for key in (*WRITABLE, *PROVINCIAL):
            current.add(key, self.cell(row, key))
        return current

    def _kelembagaan_row(self, row: int, current: RowData | None) -> RowData | None:
        item_text = self.cell(row, "indikator")
        if self.header.checklist and not is_blank(item_text):
            text = one_line(item_text)
            if match_label(text, COMPONENT_NAMES) and not match_label(text, ITEM_NAMES):
                # A body's heading in a checklist: the items below belong to it.
                self.component_heading = text
                self._skip(row, _("Judul kelompok: “%(text)s”.") % {"text": text}, error=False)
                return None
        if not is_blank(item_text):
            component_text = one_line(self.cell(row, "komponen", filled=True)) or self.component_heading
            if self.header.checklist and not component_text:
                component_text = one_line(item_text)  # "SK Forum Kecamatan" with no heading above
            current = RowData(self.grid.title, row, row, label=f"{component_text} – {one_line(item_text)}")
            current.component = match_label(component_text, COMPONENT_NAMES) or ""
            current.item = match_label(one_line(item_text), ITEM_NAMES) or ""
            if not current.component:
                current.error = _("Komponen kelembagaan “%(text)s” tidak dikenali.") % {"text": component_text or "—"}
            elif not current.item:
                current.error = _("Butir kelembagaan “%(text)s” tidak dikenali.") % {"text": one_line(item_text)[:60]}
            self.records.append(current)
        elif current is None:
            error = self._has_answers(row)
            self._skip(row, _("Baris tanpa butir kelembagaan."), error=error)
            return None
        else:
            current.last_row = row
        for key in KELEMBAGAAN_COLUMNS:
            current.add(key, self.cell(row, key))
        return current


def _looks_like_url(value) -> bool:
    try:
        URL_VALIDATOR(one_line(value))
    except ValidationError:
        return False
    return True


# --- Import: checking -------------------------------------------------------------------------


def _options_by_value(owner) -> dict[int, object]:
    """The owner's options by value, an option in force before a retired one of the same value."""
    return {o.value: o for o in sorted(owner.scale_options.all(), key=lambda o: not o.retired)}


def _allowed_text(owner, current) -> str:
    return ", ".join(str(o.value) for o in sorted(selectable_options(owner, current), key=lambda o: -o.value))


def _score(value, options: dict[int, object], *, allowed_text: str, what=None, current=None):
    """The ScaleOption a NILAI MANDIRI (or ``what``: NILAI VERIFIKASI PROVINSI) cell names,
    ``None`` for a blank cell. A retired option only when it is the score stored (``current``):
    an old value in a workbook exported before the instrument changed stays, a new one is refused."""
    if is_blank(value):
        return None
    what = str(what or _("Nilai mandiri"))
    number = scale_number(value)
    if number is None:
        raise ValidationError(_("%(what)s “%(value)s” bukan angka.") % {"what": what, "value": one_line(value)[:30]})
    if number not in options:
        if not options:
            raise ValidationError(
                _("Butir ini tidak punya skala; %(what)s %(value)d tidak dapat disimpan.")
                % {"what": what.lower(), "value": number}
            )
        raise ValidationError(
            _("%(what)s %(value)d bukan nilai skala indikator ini (yang boleh: %(allowed)s).")
            % {"what": what, "value": number, "allowed": allowed_text}
        )
    if not is_selectable(options[number], current):
        raise ValidationError(f"{what}: {retired_option_message(options[number])}")
    return options[number]


def _check_indicator(record: RowData, columns: dict[str, int], *, provincial: bool) -> None:
    """Compare a record with its entry; fill ``record.changes`` or raise ``ValidationError``."""
    entry: IndicatorEntry = record.entry
    for key in ("value_year1", "value_year2", "target", "explanation", "evidence_link"):
        if key not in columns:
            continue
        new = _text(record.value(key)) if record.value(key) is not None else ""
        limit = TEXT_MAX_LENGTH.get(key)
        if limit and len(new) > limit:
            raise ValidationError(
                _("Isian %(column)s terlalu panjang (%(n)d karakter; maksimal %(max)d).")
                % {"column": _column_label(key), "n": len(new), "max": limit}
            )
        if key == "evidence_link" and new and not _looks_like_url(new):
            raise ValidationError(
                _("Link bukti dukung “%(value)s” bukan alamat http:// atau https://.") % {"value": new[:60]}
            )
        if new != clean_text(getattr(entry, key)):
            record.changes[key] = new
    options = _options_by_value(entry.indicator)
    if "self_value" in columns:
        allowed = _allowed_text(entry.indicator, entry.self_score_id)
        option = _score(record.value("self_value"), options, allowed_text=allowed, current=entry.self_score_id)
        if (option.pk if option else None) != entry.self_score_id:
            record.changes["self_score"] = option
    if not provincial:
        return
    if "province_value" in columns:
        allowed = _allowed_text(entry.indicator, entry.provincial_score_id)
        option = _score(
            record.value("province_value"),
            options,
            allowed_text=allowed,
            what=_("Nilai provinsi"),
            current=entry.provincial_score_id,
        )
        if (option.pk if option else None) != entry.provincial_score_id:
            record.changes["provincial_score"] = option
    if "province_notes" in columns:
        new = _text(record.value("province_notes")) if record.value("province_notes") is not None else ""
        if new != clean_text(entry.provincial_note):
            record.changes["provincial_note"] = new


def _checklist_mark(record: RowData, columns: dict[str, int]) -> bool | None:
    """What a checklist row says: True (Ada), False (Tidak ada) or None (not marked)."""
    marks = []
    if "check" in columns and record.value("check") is not None:
        text = one_line(record.value("check")).lower()
        if text in CHECK_YES:
            marks.append(True)
        elif text in CHECK_NO:
            marks.append(False)
        else:
            raise ValidationError(
                _("Tanda “%(value)s” tidak dikenali; isi √ (ada) atau - (tidak ada).") % {"value": text[:20]}
            )
    for key, meaning in (("check_yes", True), ("check_no", False)):
        value = record.value(key) if key in columns else None
        if value is not None and one_line(value).lower() not in CHECK_NO | {"0"}:
            marks.append(meaning)
    if len(set(marks)) > 1:
        raise ValidationError(_("Butir ini ditandai ada dan tidak ada sekaligus."))
    return marks[0] if marks else None


def _check_kelembagaan(record: RowData, columns: dict[str, int], *, provincial: bool) -> None:
    entry: KelembagaanEntry = record.entry
    if CHECKLIST_COLUMNS & set(columns) and "self_value" not in columns:
        # Ada scores the item's top option, Tidak ada its lowest (docs/DOMAIN.md "The instrument workbook").
        mark = _checklist_mark(record, columns)
        ordered = sorted(selectable_options(entry.item, entry.self_score_id), key=lambda o: o.value)
        if mark is not None and not ordered:
            raise ValidationError(_("Butir ini tidak punya skala; tanda ada/tidak ada tidak dapat disimpan."))
        option = None if mark is None else (ordered[-1] if mark else ordered[0])
        if (option.pk if option else None) != entry.self_score_id:
            record.changes["self_score"] = option
    for key, field_name in (("evidence_link", "evidence_link"), ("province_notes", "provincial_note")):
        if key not in columns or (key == "province_notes" and not provincial):
            continue
        new = _text(record.value(key)) if record.value(key) is not None else ""
        if key == "evidence_link" and new and not _looks_like_url(new):
            raise ValidationError(
                _("Link bukti dukung “%(value)s” bukan alamat http:// atau https://.") % {"value": new[:60]}
            )
        if new != clean_text(getattr(entry, field_name)):
            record.changes[field_name] = new
    if "self_value" in columns:
        allowed = _allowed_text(entry.item, entry.self_score_id)
        option = _score(
            record.value("self_value"), _options_by_value(entry.item), allowed_text=allowed, current=entry.self_score_id
        )
        if (option.pk if option else None) != entry.self_score_id:
            record.changes["self_score"] = option
    if "explanation" in columns:
        new = _text(record.value("explanation")) if record.value("explanation") is not None else ""
        if new != clean_text(entry.note):
            record.changes["note"] = new


CHANGE_LABELS = {
    "value_year1": "value_year1",
    "value_year2": "value_year2",
    "target": "target",
    "explanation": "explanation",
    "evidence_link": "evidence_link",
    "self_score": "self_value",
    "note": "explanation",
    "provincial_score": "province_value",
    "provincial_note": "province_notes",
}
# Changes written by ``imported_results_record``, not by the kabupaten's own entry services.
RESULT_FIELDS = {"provincial_score", "provincial_note"}
KELEMBAGAAN_RESULT_FIELDS = {"evidence_link", "provincial_note"}


# --- Import: the service ----------------------------------------------------------------------


@dataclass
class _Sheet:
    grid: Grid
    header: Header
    columns: dict[str, int]
    tatanan: Tatanan | None  # None: the kelembagaan sheet


def _note_columns(report, *, grid: Grid, header: Header, columns: dict, unknown: list[str], tatanan) -> None:
    """The notes on a sheet's columns: what it is, which columns are missing or unknown."""
    what = _("kelembagaan") if tatanan is None else f"{tatanan.code} – {tatanan.name}"
    report.notes.append(
        _("Sheet “%(sheet)s” → %(what)s (judul kolom di baris %(row)d).")
        % {"sheet": grid.title, "what": what, "row": header.row}
    )
    if tatanan is not None:
        wanted = WRITABLE
    elif header.checklist:
        wanted = ["evidence_link"]
    else:
        wanted = ["self_value", "explanation"]
    missing = [_column_label(k) for k in wanted if k not in columns]
    if missing:
        report.notes.append(
            _("Sheet “%(sheet)s”: kolom %(columns)s tidak ada; isian itu tidak diubah.")
            % {"sheet": grid.title, "columns": ", ".join(missing)}
        )
    for label in unknown:
        report.notes.append(
            _("Sheet “%(sheet)s”: kolom “%(label)s” tidak dikenal dan diabaikan.")
            % {"sheet": grid.title, "label": label[:60]}
        )


def _province_notes(grid: Grid, columns: dict, assessment: Assessment) -> list[str]:
    """Whether the sheet's columns of the province's verification are imported, and why."""
    if not set(PROVINCIAL) & set(columns):
        return []
    if offline_verification_allowed(assessment):
        return [
            _("Sheet “%(sheet)s”: nilai dan catatan verifikasi provinsi dari berkas ikut diimpor.")
            % {"sheet": grid.title}
        ]
    return [
        _(
            "Sheet “%(sheet)s”: verifikasi provinsi sudah berjalan di portal; kolom verifikasi "
            "provinsi di berkas tidak diimpor."
        )
        % {"sheet": grid.title}
    ]


def _read_sheets(workbook, assessment: Assessment, report: ImportReport) -> list[_Sheet]:
    cycle = assessment.cycle
    assessed = {t.code: t for t in assessment.tatanan.all()}
    all_tatanan = {t.code: t for t in Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id)}
    candidates = {code: [t.name, *t.alias_list] for code, t in all_tatanan.items()}
    sheets: list[_Sheet] = []
    seen: dict[str, str] = {}
    for worksheet in workbook.worksheets:
        grid = Grid(worksheet)
        header = find_header(grid, candidates)
        is_kelembagaan, matches = sheet_target(grid, header, candidates)
        if header is None:
            if is_kelembagaan or matches:
                report.problems.append(
                    _(
                        "Sheet “%(sheet)s” tidak punya baris judul kolom yang dikenali (NO, INDIKATOR, SKALA/KATEGORI …)."
                    )
                    % {"sheet": grid.title}
                )
            else:
                report.notes.append(
                    _("Sheet “%(sheet)s” dilewati: bukan sheet tatanan atau kelembagaan.") % {"sheet": grid.title}
                )
            continue
        if len(matches) > 1:
            report.problems.append(
                _("Sheet “%(sheet)s” cocok dengan lebih dari satu tatanan (%(codes)s); ganti nama sheet.")
                % {"sheet": grid.title, "codes": ", ".join(sorted(matches))}
            )
            continue
        if not is_kelembagaan and not matches:
            report.problems.append(
                _("Sheet “%(sheet)s” tidak dapat dikaitkan dengan tatanan mana pun; beri nama sesuai tatanan.")
                % {"sheet": grid.title}
            )
            continue
        tatanan = None
        if matches:
            code = matches.pop()
            if code not in assessed:
                report.problems.append(
                    _("Sheet “%(sheet)s” berisi tatanan %(code)s yang tidak dinilai dalam penilaian ini.")
                    % {"sheet": grid.title, "code": code}
                )
                continue
            tatanan = assessed[code]
            if "no" not in header.columns:
                report.problems.append(_("Sheet “%(sheet)s” tidak punya kolom NO.") % {"sheet": grid.title})
                continue
        key = tatanan.code if tatanan else "KELEMBAGAAN"
        if key in seen:
            report.problems.append(
                _("Sheet “%(sheet)s” dan “%(other)s” sama-sama berisi %(what)s.")
                % {"sheet": grid.title, "other": seen[key], "what": key}
            )
            continue
        seen[key] = grid.title
        header = _extend_header(grid, header, cycle.data_years)
        columns, unknown = _columns(grid, header, cycle.data_years)
        _note_columns(report, grid=grid, header=header, columns=columns, unknown=unknown, tatanan=tatanan)
        report.notes.extend(_province_notes(grid, columns, assessment))
        sheets.append(_Sheet(grid, header, columns, tatanan))
    missing = sorted(set(assessed) - set(seen))
    if sheets and missing:
        report.notes.append(
            _("Tatanan yang tidak ada di berkas (tidak diubah): %(codes)s.") % {"codes": ", ".join(missing)}
        )
    return sheets


def _match_indicator_rows(records: list[RowData], tatanan: Tatanan, entries: dict) -> None:
    seen: dict[tuple, RowData] = {}
    for record in records:
        national = entries.get((tatanan.pk, record.number, False))
        local = entries.get((tatanan.pk, record.number, True))
        # "(lokal)" tells a local indicator from a national one with the same number.
        entry = (local or national) if record.is_local else (national or local)
        record.label = f"{tatanan.code} {record.number}. {(record.label or '')[:80]}"
        if entry is None:
            record.error = _("Nomor indikator %(no)s tidak ada di tatanan %(code)s penilaian ini.") % {
                "no": record.number,
                "code": tatanan.code,
            }
            continue
        if entry.pk in seen:
            record.error = _("Indikator %(no)s sudah ada di baris %(row)d.") % {
                "no": record.number,
                "row": seen[entry.pk].first_row,
            }
            continue
        seen[entry.pk] = record
        record.entry = entry


def _match_kelembagaan_rows(records: list[RowData], entries: dict) -> None:
    seen: dict[int, RowData] = {}
    for record in records:
        if record.error:
            continue
        entry = entries.get((record.component, record.item))
        if entry is None:
            record.error = _("Butir kelembagaan ini tidak ada di penilaian ini.")
            continue
        record.label = (
            f"{KelembagaanItem.Component(record.component).label} – {KelembagaanItem.Item(record.item).label}"
        )
        if entry.pk in seen:
            record.error = _("Butir ini sudah ada di baris %(row)d.") % {"row": seen[entry.pk].first_row}
            continue
        seen[entry.pk] = record
        record.entry = entry


def can_import(user: User, assessment: Assessment) -> bool:
    """Only the Bappeda admin of the kabupaten (and superusers) fill a whole assessment from a file."""
    return is_bappeda_admin_of(user, assessment.kabupaten_id)


def assessment_import(*, assessment: Assessment, file, actor: User, dry_run: bool = False) -> ImportReport:
    """Read a filled self-assessment workbook ``file`` (path or file object) into ``assessment``.

    Sheets are matched to the assessed tatanan (and the Kelembagaan sheet) like the catalogue
    importer does, rows to entries by indicator NO ("(lokal)" in INDIKATOR picks a local
    indicator). Each entry gets the values of both data years, target, explanation, self score
    (one of the indicator's scale values) and evidence link (http/https only); kelembagaan
    entries their self score and note. A column missing from a sheet leaves that field alone; a
    blank cell in a present column empties the field.

    All-or-nothing: one row that cannot be read, an unknown NO or a duplicate, and nothing is
    written; the report says which rows and why. ``actor`` must administer the kabupaten
    (``Http404`` otherwise, as for every out-of-scope write).
    """
    report = _import_workbook(assessment=assessment, file=file, actor=actor, dry_run=dry_run)
    logger.info(
        "self-assessment import by %s into assessment %s from %s: %s",
        actor.username,
        assessment.pk,
        report.filename,
        report.summary(),
    )
    return report


def workbook_tatanan(*, cycle: Cycle, file, report: ImportReport) -> list[Tatanan]:
    """The tatanan of ``cycle``'s set whose sheets ``file`` holds (by the importers' one rule,
    ``sheet_target``); problems go into ``report``."""
    workbook = open_workbook(file, report)
    if workbook is None:
        return []
    by_code = {t.code: t for t in Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id)}
    candidates = {code: [t.name, *t.alias_list] for code, t in by_code.items()}
    found: set[str] = set()
    for worksheet in workbook.worksheets:
        grid = Grid(worksheet)
        is_kelembagaan, matches = sheet_target(grid, find_header(grid, candidates), candidates)
        if not is_kelembagaan and len(matches) == 1:
            found |= matches
    if not found:
        report.problems.append(_("Tidak ada sheet tatanan yang dikenali di berkas ini."))
    return [by_code[code] for code in sorted(found, key=lambda c: by_code[c].number)]


def assessment_import_opening(
    *, kabupaten: Region, cycle: Cycle, file, actor: User, dry_run: bool = False, category: str = ""
) -> tuple[ImportReport, Assessment | None]:
    """Import a filled workbook into ``kabupaten``'s assessment of ``cycle``, opening the round
    first when it is not open yet — with the tatanan whose sheets the file holds (every tatanan
    when the cycle makes them all compulsory) and ``category``.

    All or nothing, the opening included: when a row cannot be read (or on a dry run) the round
    is not opened either. Returns the report and the assessment (``None`` when none exists after).
    """
    require_kabupaten_admin(actor, kabupaten.code)
    existing = Assessment.objects.filter(kabupaten=kabupaten, cycle=cycle).first()
    if existing is not None:
        return assessment_import(assessment=existing, file=file, actor=actor, dry_run=dry_run), existing
    report = ImportReport(filename=workbook_filename(file), cycle=cycle, dry_run=dry_run)
    tatanan = workbook_tatanan(cycle=cycle, file=file, report=report)
    if tatanan and not Indicator.objects.filter(cycle=cycle, is_local=False, tatanan__in=tatanan).exists():
        report.problems.append(
            _(
                "Katalog indikator siklus %(year)d belum diimpor, jadi penilaian belum dapat dibuka. "
                "Minta superuser mengimpor instrumennya dulu (halaman Impor instrumen atau manage.py import_instrumen)."
            )
            % {"year": cycle.award_year}
        )
    if not report.ok:
        return report, None
    if hasattr(file, "seek"):
        file.seek(0)
    with transaction.atomic():
        assessment = assessment_open(kabupaten=kabupaten, cycle=cycle, actor=actor, tatanan=tatanan, category=category)
        report = _import_workbook(assessment=assessment, file=file, actor=actor, dry_run=dry_run)
        names = ", ".join(t.name for t in assessment.tatanan.order_by("number"))
        if dry_run or not report.ok:
            transaction.set_rollback(True)
            report.notes.insert(
                0,
                _("Penilaian %(cycle)s belum dibuka; dengan berkas ini akan dibuka untuk tatanan: %(names)s.")
                % {"cycle": cycle, "names": names},
            )
            return report, None
        report.notes.insert(
            0, _("Penilaian %(cycle)s dibuka untuk tatanan: %(names)s.") % {"cycle": cycle, "names": names}
        )
    logger.info("assessment %s opened from %s by %s", assessment.pk, report.filename, actor.username)
    return report, assessment


def _import_workbook(*, assessment: Assessment, file, actor: User, dry_run: bool) -> ImportReport:
    if not scope_of(actor).covers(assessment.kabupaten_id) or not can_import(actor, assessment):
        raise Http404
    report = ImportReport(filename=workbook_filename(file), cycle=assessment.cycle, dry_run=dry_run)
    workbook = open_workbook(file, report)
    if workbook is None:
        return report
    sheets = _read_sheets(workbook, assessment, report)
    if not sheets and not report.problems:
        report.problems.append(_("Tidak ada sheet tatanan atau kelembagaan yang dikenali di berkas ini."))

    indicator_entries, kelembagaan_entries = _entries_by_key(assessment)
    provincial = offline_verification_allowed(assessment)
    records: list[RowData] = []
    for sheet in sheets:
        records.extend(
            _read_sheet_records(sheet, report, indicator_entries, kelembagaan_entries, provincial=provincial)
        )

    for record in records:
        if record.error:
            report.add_row(record.sheet, record.rows, Status.ERROR, record.label, record.error)
    sheet_order = [ws.title for ws in workbook.worksheets]
    if not report.ok:
        for record in records:
            if not record.error:
                report.add_row(record.sheet, record.rows, Status.VALID, record.label)
        sort_rows(report, sheet_order)
        return report

    try:
        with transaction.atomic():
            _write_records(records, assessment=assessment, actor=actor, report=report)
            if dry_run:
                transaction.set_rollback(True)
    except (ValidationError, PermissionDenied, Http404, DatabaseError) as exc:
        # The checks above mirror the service's; should they ever disagree, nothing is kept.
        logger.exception("self-assessment import into %s failed while writing", assessment.pk)
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or exc.__class__.__name__
        report.problems.append(_("Gagal menyimpan; tidak ada yang diubah: %(error)s") % {"error": message})
        report.rows = [row for row in report.rows if row.status == Status.SKIPPED]
        return report
    report.imported = not dry_run
    sort_rows(report, sheet_order)
    return report


def _entries_by_key(assessment: Assessment) -> tuple[dict, dict]:
    """The assessment's indicator entries by (tatanan id, number key, is local) and its kelembagaan
    entries by (component, item), with what the checks and the writes read."""
    indicator_entries = {
        (e.indicator.tatanan_id, number_key(e.indicator.number), e.indicator.is_local): e
        for e in assessment.indicator_entries.select_related(
            "assessment__kabupaten", "indicator__tatanan", "self_score", "provincial_score"
        ).prefetch_related("indicator__scale_options")
    }
    kelembagaan_entries = {
        (e.item.component, e.item.item): e
        for e in assessment.kelembagaan_entries.select_related("item", "self_score").prefetch_related(
            "item__scale_options"
        )
    }
    return indicator_entries, kelembagaan_entries


def _read_sheet_records(
    sheet: _Sheet, report: ImportReport, indicator_entries: dict, kelembagaan_entries: dict, *, provincial: bool
) -> list[RowData]:
    """The rows of one sheet, each matched to its entry and checked; a row's problem is its ``error``."""
    reader = SheetReader(
        grid=sheet.grid,
        header=sheet.header,
        columns=sheet.columns,
        report=report,
        kelembagaan=sheet.tatanan is None,
        local_numbers=[n for (t, n, local) in indicator_entries if local and sheet.tatanan and t == sheet.tatanan.pk],
    )
    sheet_records = reader.read()
    if sheet.tatanan is None:
        _match_kelembagaan_rows(sheet_records, kelembagaan_entries)
    else:
        _match_indicator_rows(sheet_records, sheet.tatanan, indicator_entries)
    for record in sheet_records:
        if record.error:
            continue
        try:
            if sheet.tatanan is None:
                _check_kelembagaan(record, sheet.columns, provincial=provincial)
            else:
                _check_indicator(record, sheet.columns, provincial=provincial)
        except ValidationError as error:
            record.error = " ".join(error.messages)
    return sheet_records


def _write_records(records: list[RowData], *, assessment: Assessment, actor: User, report: ImportReport) -> None:
    """Write every changed row (indicators one by one, kelembagaan in one call), one report row each."""
    kelembagaan_changes = []
    results: dict[str, list] = {"entries": [], "kelembagaan": []}
    for record in records:
        if not record.changes:
            report.add_row(record.sheet, record.rows, Status.UNCHANGED, record.label)
            continue
        kelembagaan = isinstance(record.entry, KelembagaanEntry)
        result_fields = KELEMBAGAAN_RESULT_FIELDS if kelembagaan else RESULT_FIELDS
        own = {k: v for k, v in record.changes.items() if k not in result_fields}
        recorded = {k: v for k, v in record.changes.items() if k in result_fields}
        if kelembagaan:
            entry = record.entry
            if own:
                option = own.get("self_score", entry.self_score)
                kelembagaan_changes.append((entry, option, own.get("note", entry.note)))
            if recorded:
                results["kelembagaan"].append((entry, recorded))
        else:
            if own:
                indicator_entry_update(entry=record.entry, actor=actor, **own)
            if recorded:
                results["entries"].append((record.entry, recorded))
        changed = ", ".join(_column_label(CHANGE_LABELS[k]) for k in record.changes)
        report.add_row(
            record.sheet,
            record.rows,
            Status.UPDATED,
            record.label,
            _("Berubah: %(fields)s.") % {"fields": changed},
        )
    if kelembagaan_changes:
        kelembagaan_entries_update(assessment=assessment, actor=actor, changes=kelembagaan_changes)
    if results["entries"] or results["kelembagaan"]:
        imported_results_record(assessment=assessment, actor=actor, **results)
