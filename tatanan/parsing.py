"""Pure text parsing of instrument cells: scale options, evidence requirements, numbers, headers.

No database and no openpyxl here, so each heuristic can be tested on a string. The importer
(``tatanan.importer``) feeds these functions the cells of a workbook.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import EvidenceRequirement


class ParseError(ValueError):
    """A cell whose content does not fit the expected shape; the message is for the user."""


def clean_text(value) -> str:
    """A cell value as tidy text: Excel escapes undone, spaces collapsed per line, blank lines kept single."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # OOXML escapes control characters as _xHHHH_; openpyxl leaves a vertical tab (a line break
    # typed with Alt+Enter in some Excel versions) escaped.
    text = re.sub(r"_x000[bBdD]_", "\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u200b", "")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def one_line(value) -> str:
    return " ".join(clean_text(value).split())


# --- Indicator numbers ------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^(\d{1,3})\s*[.)]?\s*([a-z])?\s*[.)]?$")


def normalize_number(value) -> str | None:
    """``1.0`` → ``"1"``, ``"2 a"``/``"2.a"``/``"2a."`` → ``"2a"``; anything else → ``None``."""
    if value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = one_line(value).lower()
    match = _NUMBER_RE.match(text)
    if not match:
        return None
    return f"{int(match.group(1))}{match.group(2) or ''}"


def number_sort_key(number: str) -> tuple[int, str]:
    match = re.match(r"(\d+)(.*)", number)
    return (int(match.group(1)), match.group(2)) if match else (10**6, number)


# --- Scale options ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleOptionData:
    value: int
    description: str


# An option starts with "Nilai <value>", at the start of a line or after a list number
# ("1. Nilai 100 jika …", "4.Nilai 0 jika …", "3. NIlai 50 jika …"). A "nilai 70" inside a
# sentence is not an option. The list numbers themselves are not trusted: the 2025 workbook
# skips or repeats some ("1., 2., 4." and "1., 2., 3., 3.").
_OPTION_RE = re.compile(
    r"(?:^|(?<=\n)|(?<=\s)(?=\d{1,2}\s*[.)]))[ \t]*(?:\d{1,2}\s*[.)]\s*)?nilai\s*[:=]?\s*(\d{1,3})(?!\d)(?:\s*[.:,-])?",
    re.IGNORECASE,
)
_JIKA_RE = re.compile(r"^(?:jika|apabila|bila|bilamana)\b\s*", re.IGNORECASE)


def strip_option_prefix(text: str) -> tuple[int | None, str]:
    """``"2. Nilai 50 jika X"`` → ``(50, "X")``; text without a "Nilai" prefix → ``(None, text)``."""
    text = clean_text(text)
    match = _OPTION_RE.match(text)
    if not match:
        return None, _strip_list_number(text)
    rest = text[match.end() :].strip()
    return int(match.group(1)), _JIKA_RE.sub("", rest).strip()


def _strip_list_number(text: str) -> str:
    return re.sub(r"^\s*\d{1,2}\s*[.)]\s+", "", text).strip()


def parse_scale_text(text, *, allowed_values) -> list[ScaleOptionData]:
    """The options of a scale cell written as numbered "Nilai N jika …" items.

    Raises ``ParseError`` when the cell has no such options, fewer than two, text before the
    first option, a value outside ``allowed_values``, the same value twice or an empty criterion.
    """
    text = clean_text(text)
    if not text:
        raise ParseError(_("Sel skala kosong."))
    matches = list(_OPTION_RE.finditer(text))
    if not matches:
        raise ParseError(
            _("Skala tidak dikenali: tidak ada opsi berbentuk “Nilai 100 jika …” (awal teks: “%(start)s”).")
            % {"start": one_line(text)[:60]}
        )
    lead = text[: matches[0].start()].strip(" \n\t:-")
    if lead:
        raise ParseError(_("Skala tidak dikenali: ada teks sebelum opsi pertama (“%(lead)s”).") % {"lead": lead[:60]})
    options = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        description = _JIKA_RE.sub("", " ".join(text[match.end() : end].split())).strip()
        options.append(ScaleOptionData(int(match.group(1)), description))
    validate_options(options, allowed_values=allowed_values)
    return options


def validate_options(options: list[ScaleOptionData], *, allowed_values) -> None:
    allowed = set(allowed_values)
    if len(options) < 2:
        raise ParseError(_("Skala hanya punya %(n)d opsi; minimal 2.") % {"n": len(options)})
    seen = set()
    for option in options:
        if option.value not in allowed:
            raise ParseError(
                _("Nilai %(value)d tidak sah; nilai yang boleh: %(allowed)s.")
                % {"value": option.value, "allowed": ", ".join(str(v) for v in sorted(allowed, reverse=True))}
            )
        if option.value in seen:
            raise ParseError(_("Nilai %(value)d muncul dua kali dalam skala.") % {"value": option.value})
        seen.add(option.value)
        if not option.description:
            raise ParseError(_("Opsi bernilai %(value)d tidak punya kriteria.") % {"value": option.value})


# --- Evidence requirements --------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementData:
    description: str
    year_scope: str  # an EvidenceRequirement.YearScope value
    data_year: int | None
    count: int


# "tahun 2023 dan 2024", "2 tahun terakhir", "dua tahun", "setiap tahun", "per tahun".
_ALL_YEARS_RE = re.compile(
    r"\b(?:(?:2|dua)\s+tahun(?:\s+terakhir)?|(?:setiap|tiap|per|masing-masing)\s+tahun)\b", re.IGNORECASE
)
_YEAR_RANGE_RE = re.compile(r"\b(19|20)\d{2}\s*[-–/]\s*(19|20)\d{2}\b")
_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b")
# A year after these words bounds validity ("berlaku sd tahun 2024", "sebelum 2023"); it is
# not a year the document reports on.
_VALIDITY_BEFORE_YEAR_RE = re.compile(
    r"(?:\bs\.?\s*d\.?|\bs/d|\bsampai|\bhingga|\bsebelum|\bsejak)(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)
_COUNT_RE = re.compile(
    r"\bminimal\s+(\d{1,3})\s+(?:buah\s+|lembar\s+)?(?:foto|surat|dokumen|lampiran|laporan|video)", re.IGNORECASE
)
_LIST_ITEM_RE = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*[.)]\s+")


def split_documents(text: str) -> list[str]:
    """A bukti dukung text that *is* a numbered list ("1. Dokumen X 2. Laporan Y") → one item each.

    A list that follows an introduction ("Laporan terdiri dari: 1. … 2. …") stays one document:
    the items describe its contents. Lettered sub-lists (a., b.) are never split.
    """
    text = one_line(text)
    matches = list(_LIST_ITEM_RE.finditer(text))
    if not matches or matches[0].start() != 0 or matches[0].group(1) != "1":
        return [text] if text else []
    # Keep only the markers that continue the sequence 1, 2, 3 …; other numbers are content.
    markers = [matches[0]]
    for match in matches[1:]:
        if int(match.group(1)) == int(markers[-1].group(1)) + 1:
            markers.append(match)
    if len(markers) < 2:
        return [text]
    items = []
    for i, marker in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        item = text[marker.end() : end].strip(" ;,")
        if item:
            items.append(item)
    return items


def data_years_mentioned(text: str, data_years: list[int]) -> set[int]:
    """The data years a text asks documents for (validity bounds and year ranges left out)."""
    if _ALL_YEARS_RE.search(text):
        return set(data_years)
    stripped = _YEAR_RANGE_RE.sub(" ", text)
    years = set()
    for match in _YEAR_RE.finditer(stripped):
        year = int(match.group(1))
        if year not in data_years:
            continue
        if _VALIDITY_BEFORE_YEAR_RE.search(stripped[max(0, match.start() - 30) : match.start()]):
            continue
        years.add(year)
    return years


def parse_requirements(text, *, data_years: list[int]) -> list[RequirementData]:
    """Evidence requirements derived from a bukti dukung text.

    Heuristic, kept deliberately simple and visible next to the original text:

    * a text that is a numbered list gives one requirement per item, otherwise one in all;
    * an item mentioning several data years ("tahun 2023 dan 2024"), "2 tahun terakhir" or
      "setiap tahun" gives one requirement per data year; exactly one data year gives one for
      that year; none (or only validity bounds such as "berlaku sd tahun 2024") gives one
      requirement not bound to a year;
    * "minimal N foto/surat/dokumen …" sets the count, otherwise 1.
    """
    scope = EvidenceRequirement.YearScope
    requirements = []
    for item in split_documents(clean_text(text)):
        count_match = _COUNT_RE.search(item)
        count = max(1, int(count_match.group(1))) if count_match else 1
        years = sorted(data_years_mentioned(item, data_years))
        if years:
            requirements.extend(RequirementData(item, scope.YEAR, year, count) for year in years)
        else:
            requirements.append(RequirementData(item, scope.NONE, None, count))
    return requirements


# --- Headers ----------------------------------------------------------------------------------


def normalize_header(value) -> str:
    """Case, accents, spacing, punctuation and a trailing "(DO)"-style abbreviation removed."""
    text = unicodedata.normalize("NFKD", one_line(value)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\([^)]*\)", " ", text)  # "definisi operasional (do)", "(1)"
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"[^a-z0-9/]+", " ", text)
    return " ".join(text.split())


# Column keys the importer understands, with the header texts seen for them. Matching is on
# the normalised text, exact first, then close spellings (difflib ratio ≥ 0.85).
HEADER_SYNONYMS: dict[str, list[str]] = {
    "no": ["no", "nomor", "no urut", "nomor urut", "no indikator", "nomor indikator"],
    "komponen": ["komponen", "komponen kelembagaan", "kelembagaan"],
    "indikator": [
        "indikator",
        "nama indikator",
        "uraian indikator",
        "sub indikator",
        "indikator kelembagaan",
        "butir",
        "unsur",
        "uraian",
    ],
    "definisi": ["definisi operasional", "definisi", "do", "definisi operasional indikator", "pengertian"],
    "sumber_data": ["sumber data", "sumber", "sumber data/opd", "opd sumber data"],
    "bukti_dukung": [
        "bukti dukung",
        "data dukung",
        "bukti dukung/data dukung",
        "data dukung/bukti dukung",
        "dokumen bukti dukung",
        "bukti pendukung",
        "data pendukung",
    ],
    "skala_text": [
        "skala/kategori penilaian",
        "kategori/skala penilaian",
        "skala penilaian",
        "kategori penilaian",
        "kriteria penilaian",
        "kategori",
        "kriteria",
        "kategori skala",
        "skala/kategori",
    ],
    "skala_value": ["skala", "nilai skala", "skor", "bobot nilai", "nilai"],
    # Columns of workbooks exchanged during assessment; recognised so that they are not reported
    # as unknown, but the catalogue does not read them.
    "self_value": [
        "nilai mandiri",
        "penilaian mandiri",
        "nilai penilaian mandiri",
        "skor mandiri",
        "nilai kab/kota",
        "nilai kabupaten/kota",
        "self assessment",
        "nilai self assessment",
    ],
    "evidence_link": ["link bukti dukung", "link data dukung", "tautan bukti dukung", "link", "tautan", "url"],
    "province_value": [
        "nilai verifikasi provinsi",
        "nilai provinsi",
        "verifikasi provinsi",
        "skor provinsi",
        "nilai verifikasi",
    ],
    "province_notes": [
        "catatan provinsi",
        "catatan verifikasi provinsi",
        "catatan verifikasi",
        "catatan",
        "keterangan",
        "keterangan provinsi",
    ],
}
IGNORED_COLUMNS = {"self_value", "evidence_link", "province_value", "province_notes"}

_SYNONYM_TO_KEY = {synonym: key for key, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}


def header_key(value) -> str | None:
    """The column key of a header cell, or ``None`` when it names nothing we know."""
    text = normalize_header(value)
    if not text:
        return None
    if text in _SYNONYM_TO_KEY:
        return _SYNONYM_TO_KEY[text]
    # Two-level headers joined ("penilaian mandiri nilai", "verifikasi provinsi catatan").
    words = set(text.replace("/", " ").split())
    if words & {"link", "tautan", "url"}:
        return "evidence_link"
    if words & {"provinsi", "verifikasi"}:
        if words & {"catatan", "keterangan"}:
            return "province_notes"
        if words & {"nilai", "skor"}:
            return "province_value"
    if "mandiri" in words and words & {"nilai", "skor"}:
        return "self_value"
    close = difflib.get_close_matches(text, list(_SYNONYM_TO_KEY), n=1, cutoff=0.85)
    return _SYNONYM_TO_KEY[close[0]] if close else None


def match_label(label: str, candidates: dict[str, list[str]]) -> str | None:
    """The one candidate key whose name or an alias occurs in ``label`` as whole words.

    ``None`` when nothing matches, or when names of two candidates occur ("Pasar dan Perkim"):
    guessing there would file indicators under the wrong tatanan.
    """
    text = normalize_header(label)
    if not text:
        return None
    padded = f" {text} "
    found = {
        key
        for key, names in candidates.items()
        for name in names
        if (needle := normalize_header(name)) and f" {needle} " in padded
    }
    return found.pop() if len(found) == 1 else None
