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
# The letter of an option written on its own sub-row ("a. Nilai 100 jika …", "b) Menurun").
_LETTER_PREFIX_RE = re.compile(r"^[a-eA-E]\s*[.)]\s+")
_JIKA_RE = re.compile(r"^(?:jika|apabila|bila|bilamana)\b\s*", re.IGNORECASE)


def strip_option_prefix(text: str) -> tuple[int | None, str]:
    """``"2. Nilai 50 jika X"`` → ``(50, "X")``; text without a "Nilai" prefix → ``(None, text)``."""
    text = _LETTER_PREFIX_RE.sub("", clean_text(text))
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
# A year after these words bounds validity ("berlaku sd tahun 2024", "masih berlaku di tahun
# 2024", "sebelum 2023"); it is not a year the document reports on.
_VALIDITY_BEFORE_YEAR_RE = re.compile(
    r"(?:\bs\.?\s*d\.?|\bs/d|\bsampai|\bhingga|\bsebelum|\bsejak|\bberlaku)(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)
_COUNT_RE = re.compile(
    r"\bminimal\s+(\d{1,3})\s+(?:buah\s+|lembar\s+)?(?:foto|surat|dokumen|lampiran|laporan|video)", re.IGNORECASE
)
_LIST_ITEM_RE = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*[.)]\s+")


def _numbered_items(text: str) -> list[str]:
    """A bukti dukung text that *is* a numbered list ("1. Dokumen X 2. Laporan Y") → one item each.

    A list that follows an introduction ("Laporan terdiri dari: 1. … 2. …") is left to
    ``_item_documents``. Items keep their line breaks (they mark sentences).
    """
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
        item = text[marker.end() : end].strip(" \n;,")
        if item and items and _CONDITION_RE.match(item):
            # "4. Jika masih dalam proses penyusunan maka …": a condition on the items, not one.
            items[-1] = f"{_sentence(items[-1])}\n{item}"
        elif item:
            items.append(item)
    return items


# One requirement per document. The rules (docs/DOMAIN.md, "Evidence requirements"): an item is
# cut at list joints (",", ";", "dan", "serta", list numbers), at attachments ("disertai dengan",
# "dilengkapi dengan", "dilampirkan", "melampirkan", "lampiran") and at sentences; a piece is a
# document of its own only when it starts with a document's name. Anything else ("foto sebelum
# dan sesudah", "Surat Keputusan tentang X dan Y", "data jumlah pasar") stays with the document
# before it.
_GENERIC_DOCUMENT = r"laporan|dokumentasi(?:nya)?|dokumen|surat\s+(?:pernyataan|keterangan)"
_REGULATION_DOCUMENT = (
    r"sk|surat\s+(?:edaran|keputusan)|se|perda|perbu[pb]|perwali|perkada|peraturan|kebijakan|regulasi"
)
_PLAN_DOCUMENT = r"rpjmd(?:es)?|rkpd|renstra(?:\s+pd)?|renja(?:\s+pd)?|lakip|lkj(?:ip)?|rp3kp|dipda|dpa"
_OTHER_DOCUMENT = (
    r"sop|rencana\s+(?:kerja|kegiatan|aksi|kontingensi)|mou|perjanjian\s+kerja\s*sama|berita\s+acara|notulen"
    r"|daftar\s+hadir|undangan|foto|video|realisasi\s+anggaran|sertifikat|rekapitulasi"
)
# "Dokumen Perda …" is a regulation, "Dokumen RPJMD" a plan: the family decides what a comma means.
_DOCUMENT_START_RE = re.compile(
    rf"^(?:salinan\s+)?(?:dokumen\s+(?=(?:{_REGULATION_DOCUMENT}|{_PLAN_DOCUMENT})\b))?"
    rf"(?:(?P<regulation>{_REGULATION_DOCUMENT})|(?P<plan>{_PLAN_DOCUMENT})|(?P<generic>{_GENERIC_DOCUMENT})"
    rf"|{_OTHER_DOCUMENT})\b",
    re.IGNORECASE,
)
# "Laporan divalidasi oleh …", "Foto dokumentasi dapat diambil …": a remark on the documents.
_REMARK_RE = re.compile(
    r"^\w+(?:\s+\w+){0,2}\s+(?:di\w*validasi|ditandatangani|disahkan|diperoleh|dibuat|disusun|diambil|dilihat"
    r"|dapat|harus|wajib|perlu)\b",
    re.IGNORECASE,
)
# What the documents share when it ends the last one: "… dan SOP yang divalidasi oleh Kepala OPD".
_SHARED_TAIL_RE = re.compile(
    r"\s*,?\s+(?:(?:dan|serta)\s+)?(?:yang\s+)?(?:telah\s+|sudah\s+)?(?:divalidasi|ditandatangani|disahkan)\b"
    r"[^.]*\.?\s*$",
    re.IGNORECASE,
)
# A full stop ends a sentence, not the number of a list item ("1. SK …").
_SENTENCE = (
    r"\.?[ \t]*\n\s*(?=(?-i:[A-Z]))|(?<!(?<![\w.])\d)(?<!(?<![\w.])\d\d)\.\s+(?=(?-i:[A-Z]))"
    r"|\s+(?=(?-i:[A-Z])\w+\s+di\w*validasi\b)"  # "… di pasar Laporan divalidasi oleh …", the stop forgotten
)
_JOINT_RE = re.compile(
    r"(?P<attach>(?:\s*,)?(?:\s+(?:dan|serta))?\s+(?:yang\s+)?(?:(?:disertai|dilengkapi|dilampirkan|dilampiri)"
    r"(?:\s+dengan)?|(?:dengan\s+)?melampirkan|lampiran)\s*:?(?:\s+|$))"
    r"|(?P<alternative>\s*,?\s+(?:dan/atau|atau)\s+)"
    r"|(?P<conjunction>\s*,?\s+(?:dan|serta)\s+)"
    r"|(?P<semicolon>\s*;\s*)"
    r"|(?P<comma>\s*,\s*)"
    r"|(?P<number>(?<=[\s:])\d{1,2}[.)]\s+)"
    rf"|(?P<sentence>{_SENTENCE})",
    re.IGNORECASE,
)
# Contents of one document ("Laporan … memuat informasi tentang: a. …", "terdiri dari 1. …")
# and conditions ("Jika … maka wajib disertai dengan …") are never cut, up to the end of their
# sentence; contents end earlier at an attachment ("… dilengkapi dengan dokumentasi").
_CONTENTS_RE = re.compile(r"\b(?:terdiri\s+(?:dari|atas)|meliputi|memuat)\b", re.IGNORECASE)
_CONDITION_RE = re.compile(r"(?:^|(?<=[.\n]\s)|(?<=\n))\s*(?:jika|apabila|bila|jka)\b", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(_SENTENCE)
_ATTACH_VERB_RE = re.compile(
    r"(?:\s+(?:dan|serta))?\s(?:disertai|dilengkapi|dilampirkan|dilampiri|melampirkan)\b", re.IGNORECASE
)
# Context added to a short document name that means little alone ("SK", "Renja", "Dokumentasi").
_SHORT_NAME_WORDS = 3
_CONTEXT_CHARS = 90


def _masked(text: str) -> str:
    """``text`` with what must not be cut blanked out, same length: parentheses, contents, conditions."""
    chars = list(text)
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth and char != "\n":
            chars[i] = "_"
    masked = "".join(chars)
    for pattern, stop_at_attachment in ((_CONTENTS_RE, True), (_CONDITION_RE, False)):
        for match in list(pattern.finditer(masked)):
            end_match = _SENTENCE_END_RE.search(masked, match.end())
            end = end_match.start() if end_match else len(masked)
            if stop_at_attachment and (attach := _ATTACH_VERB_RE.search(masked, match.end(), end)):
                end = attach.start()
            masked = masked[: match.start()] + re.sub(r"[^\n]", "_", masked[match.start() : end]) + masked[end:]
    return masked


@dataclass
class _Piece:
    joint: str  # the kind of joint before it ("" for the first piece)
    joint_text: str
    text: str
    kind: str | None = None  # "regulation", "plan", "generic", "other"; None: not a document name
    head_end: int = 0

    @property
    def is_document(self) -> bool:
        return self.kind is not None


def _pieces(text: str) -> list[_Piece]:
    masked = _masked(text)
    pieces, start, joint, joint_text = [], 0, "", ""
    for match in _JOINT_RE.finditer(masked):
        piece, found = text[start : match.start()], text[match.start() : match.end()]
        if piece.strip() or not pieces:
            pieces.append(_Piece(joint, joint_text, piece))
            joint, joint_text = match.lastgroup, found
        else:  # two joints in a row: "dilengkapi dengan: 1. SK" is an attachment
            joint = joint if joint == "attach" and match.lastgroup == "number" else match.lastgroup
            joint_text += piece + found
        start = match.end()
    pieces.append(_Piece(joint, joint_text, text[start:]))
    for piece in pieces:
        match = _DOCUMENT_START_RE.match(piece.text)
        if match and not (piece.joint == "sentence" and _REMARK_RE.match(piece.text)):
            piece.kind = match.lastgroup or "other"
            piece.head_end = match.end()
    return pieces


def _starts_document(pieces: list[_Piece], index: int) -> bool:
    """Whether ``pieces[index]`` (a document name) is a document of its own, not part of the one before."""
    piece = pieces[index]
    if piece.joint in {"attach", "semicolon", "number", "sentence"}:
        return True
    if piece.joint == "alternative":
        return False  # "Dokumen KRB atau rancangan dokumen KRB": one of them
    # The run of names joined by commas this one belongs to, and the joint that closes it.
    end = index
    while end + 1 < len(pieces) and pieces[end + 1].joint == "comma" and pieces[end + 1].is_document:
        end += 1
    after = pieces[end + 1] if end + 1 < len(pieces) else None
    if after is not None and after.joint == "alternative":
        return False  # "RPJMD, RKPD, Renstra PD atau Renja PD": one of them
    if piece.joint == "conjunction" or (after is not None and after.joint == "conjunction" and after.is_document):
        return True
    # Names of one family listed with commas and no "dan" are the kinds a document may be:
    # "Peraturan Daerah, Surat Edaran, SK/kebijakan"; "LAKIP, RPJMD, RP3KP".
    previous = pieces[index - 1]
    return not (previous.is_document and previous.kind == piece.kind and piece.kind in {"regulation", "plan"})


@dataclass
class _Document:
    text: str
    joint: str
    kind: str | None
    head_end: int
    notes: list[str]


@dataclass(frozen=True)
class DocumentText:
    description: str  # what the requirement says, with what the documents share
    own: str  # the words of this document alone (its count is read there)


def _sentence(text: str) -> str:
    text = one_line(text).strip(" ,;:")
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _documents_and_notes(pieces: list[_Piece]) -> tuple[list[_Document], list[str]]:
    documents: list[_Document] = []
    notes: list[str] = []  # remarks and conditions
    writing_note = False
    for index, piece in enumerate(pieces):
        if not documents:
            documents.append(_Document(piece.text, "", piece.kind, piece.head_end, []))
        elif piece.is_document and _starts_document(pieces, index):
            documents.append(_Document(piece.text, piece.joint, piece.kind, piece.head_end, []))
            writing_note = False
        elif piece.joint == "sentence":
            notes.append(piece.text)
            writing_note = True
        elif writing_note:
            notes[-1] += piece.joint_text + piece.text
        else:
            documents[-1].text += piece.joint_text + piece.text
    return documents, notes


def _share(documents: list[_Document], notes: list[str]) -> str:
    """Give each document what they share; return the shared tail ("yang divalidasi oleh …")."""
    shared = ""
    if tail := _SHARED_TAIL_RE.search(documents[-1].text):
        documents[-1].text = documents[-1].text[: tail.start()]
        shared = re.sub(r"^(?:dan|serta)\s+", "", one_line(tail.group()).strip(" ,"), flags=re.IGNORECASE)
        shared = shared if shared.lower().startswith("yang ") else f"yang {shared}"
    # "Laporan dan dokumentasi kegiatan X": the bare first name takes what follows the second.
    for document, following in zip(documents, documents[1:], strict=False):
        bare = document.head_end and not document.text[document.head_end :].strip(" .,;:")
        if bare and document.kind == following.kind == "generic" and following.joint == "conjunction":
            document.text = document.text[: document.head_end] + following.text[following.head_end :]
    # One item asks for one set of photos: "Laporan dan dokumentasi X … dilengkapi dengan
    # dokumentasi foto" is a report and its photos.
    photos = [d for d in documents if d.text.lower().startswith("dokumentasi")]
    for extra in photos[1:]:
        photos[0].text += "; " + extra.text
        documents.remove(extra)
    # A remark goes with the first document it names ("Laporan divalidasi …"), else the first.
    for note in notes:
        word = note.split()[0].lower() if note.split() else ""
        owner = next((d for d in documents if re.search(rf"\b{re.escape(word)}\b", d.text, re.I)), documents[0])
        if _sentence(note) not in [_sentence(n) for n in owner.notes]:
            owner.notes.append(note)
    return shared


def _item_documents(item: str) -> list[DocumentText]:
    """One item of a bukti dukung text → the documents it names (the item whole when it names one)."""
    documents, notes = _documents_and_notes(_pieces(item))
    if len(documents) < 2:
        whole = one_line(item)
        return [DocumentText(whole, whole)]
    shared = _share(documents, notes)
    if len(documents) < 2:
        whole = one_line(item)
        return [DocumentText(whole, whole)]
    main = one_line(documents[0].text).strip(" .,;:")
    if len(main) > _CONTEXT_CHARS:
        main = main[: main.rfind(" ", 0, _CONTEXT_CHARS)] + " …"
    # Attached: after "disertai dengan", "lampiran", "dilengkapi dengan: 1. …", and the names
    # listed with them ("lampiran SK dan Renja").
    attached = [False]
    for document in documents[1:]:
        attached.append(
            document.joint in {"attach", "number"} or (document.joint in {"comma", "conjunction"} and attached[-1])
        )
    result = []
    for index, document in enumerate(documents):
        own = one_line(document.text).strip(" .,;:")
        text = own[:1].upper() + own[1:]
        if index and len(own.split()) <= _SHORT_NAME_WORDS and (attached[index] or own.lower().endswith("nya")):
            text += f" (lampiran {main[:1].lower()}{main[1:]})"
        if shared:
            text = f"{text} {shared}"
        if document.notes:
            text = " ".join([_sentence(text), *(_sentence(note) for note in document.notes)])
        result.append(DocumentText(text.rstrip(" ,;:"), f"{own} {shared}".strip()))
    return result


def split_documents(text: str) -> list[str]:
    """The documents a bukti dukung text asks for, one description each.

    A numbered list ("1. Dokumen X 2. Laporan Y") gives its items; each item (or a text without
    such a list) is then cut into the documents it names (``_item_documents``): "SK, SOP dan
    laporan kasus" are three. A text naming one document comes back whole, on one line.
    """
    text = clean_text(text)
    return [document.description for item in _numbered_items(text) for document in _item_documents(item)]


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

    Heuristic, kept deliberately simple and visible next to the original text (the rules are in
    docs/DOMAIN.md, "Evidence requirements"):

    * a text that is a numbered list gives its items, and each item the documents it names
      ("SK, SOP dan laporan kasus" are three; ``split_documents``);
    * a document mentioning several data years ("tahun 2023 dan 2024"), "2 tahun terakhir" or
      "setiap tahun" gives one requirement per data year; exactly one data year gives one for
      that year; none (or only validity bounds such as "berlaku sd tahun 2024") gives one
      requirement not bound to a year. A document that names no year takes the years its item
      names ("SK dan Renja tahun 2023 dan 2024": both for both years);
    * "minimal N foto/surat/dokumen …" sets the count, otherwise 1.
    """
    scope = EvidenceRequirement.YearScope
    requirements = []
    for item in _numbered_items(clean_text(text)):
        item_years = sorted(data_years_mentioned(one_line(item), data_years))
        for document in _item_documents(item):
            count_match = _COUNT_RE.search(document.own)
            count = max(1, int(count_match.group(1))) if count_match else 1
            years = sorted(data_years_mentioned(document.description, data_years)) or item_years
            scoped = [(scope.YEAR, year) for year in years] or [(scope.NONE, None)]
            requirements.extend(RequirementData(document.description, s, year, count) for s, year in scoped)
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
        "bukti data pendukung",
        "bukti data dukung",
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
        "nilai self assesment",
    ],
    "evidence_link": [
        "link bukti dukung",
        "link data dukung",
        "tautan bukti dukung",
        "link",
        "tautan",
        "url",
        "lampirkan bukti",
        "lampiran bukti",
        "lampirkan bukti dukung",
    ],
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
    # A kelembagaan checklist (2023 field workbooks): one column "Ada (√) / Tidak Ada (-)" or
    # one column for each mark.
    "check": ["ada/tidak ada", "ada/tidak", "ada atau tidak ada", "checklist", "ceklis"],
    "check_yes": ["ada"],
    "check_no": ["tidak ada"],
    # What the kabupaten says of its data ("Ada", "Tidak ada"): a remark, not a catalogue text.
    "data_availability": ["ketersediaan data", "ketersediaan data dukung"],
}
# Columns of an assessment, not of the catalogue. The checklist marks are read by the catalogue
# only to know the items' scale (Ada / Tidak ada).
IGNORED_COLUMNS = {"self_value", "evidence_link", "province_value", "province_notes", "data_availability"}
CHECKLIST_COLUMNS = {"check", "check_yes", "check_no"}

_SYNONYM_TO_KEY = {synonym: key for key, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}
# Close spellings are matched only against synonyms of four letters or more: "data" is not "ada".
_FUZZY_SYNONYMS = [synonym for synonym in _SYNONYM_TO_KEY if len(synonym) >= 4]


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
    close = difflib.get_close_matches(text, _FUZZY_SYNONYMS, n=1, cutoff=0.85)
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
