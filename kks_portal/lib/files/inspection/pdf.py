"""PDF: header and end marker, hidden content, encryption, pages, active content (JavaScript,
Launch, embedded files), read through pypdf without whole-file reads."""

from __future__ import annotations

import logging
import re

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .common import (
    KB,
    PDF_MARKERS,
    PDF_MAX_SINGLE_READ,
    PDF_OBJECT_READ_LIMIT,
    _check_markers,
    _check_no_hidden_zip,
    _refused,
    _Source,
)

logger = logging.getLogger(__name__)

# --- PDF ----------------------------------------------------------------------------------------


def _corrupt_pdf(name: str, detail: str):
    return _refused(
        "corrupt",
        _("Berkas PDF “%(name)s” rusak atau tidak lengkap (%(detail)s). Cetak ulang ke PDF lalu unggah lagi.")
        % {"name": name, "detail": detail},
    )


class _BoundedReads:
    """The file as pypdf sees it: no single read larger than ``PDF_MAX_SINGLE_READ`` (pypdf's
    xref repair reads the whole file at once; for a broken big file we refuse instead)."""

    class TooLarge(Exception):
        pass

    def __init__(self, f, size: int):
        self._f, self._size = f, size

    def read(self, length: int = -1) -> bytes:
        if length is None or length < 0:
            length = self._size - self._f.tell()
        if length > PDF_MAX_SINGLE_READ:
            raise self.TooLarge
        return self._f.read(length)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._f.seek(offset, whence)

    def tell(self) -> int:
        return self._f.tell()


_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
DANGEROUS_PDF_NAMES = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/EmbeddedFile": "EmbeddedFile",
    "/EmbeddedFiles": "EmbeddedFile",
    "/EF": "EmbeddedFile",
    "/FileAttachment": "EmbeddedFile",
    "/RichMedia": "RichMedia",
}


def _inspect_pdf(src: _Source, name: str) -> None:
    head = src.read_at(0, 1024)
    if not _PDF_HEADER.match(head):
        raise _corrupt_pdf(name, _("kepala PDF rusak"))
    # A second file: a ZIP (PDF+ZIP polyglots), HTML where browsers sniff (the start) or at the end.
    _check_no_hidden_zip(src, name)
    _check_markers(src, name, 0, 1024, PDF_MARKERS)
    tail_start = max(0, src.size - 1024)
    eof = src.read_at(tail_start, src.size - tail_start).rfind(b"%%EOF")
    if eof < 0:
        _check_markers(src, name, max(0, src.size - 64 * KB), src.size, PDF_MARKERS)
        raise _corrupt_pdf(name, _("berkas terpotong, penanda akhir %%EOF tidak ada"))
    _check_markers(src, name, tail_start + eof + 5, src.size, PDF_MARKERS)

    src.f.seek(0)
    try:
        reader = PdfReader(_BoundedReads(src.f, src.size), strict=False)
        if reader.is_encrypted:
            raise _refused(
                "encrypted",
                _(
                    "Berkas PDF “%(name)s” terenkripsi atau dilindungi kata sandi. Buka kuncinya (cetak ulang ke "
                    "PDF tanpa kata sandi) lalu unggah lagi."
                )
                % {"name": name},
            )
        pages = len(reader.pages)
    except _BoundedReads.TooLarge as exc:
        raise _corrupt_pdf(name, _("tabel xref rusak")) from exc
    except Exception as exc:
        if getattr(exc, "code", None):  # our own refusal
            raise
        logger.info("PDF refused by pypdf: %s: %s", exc.__class__.__name__, exc)
        raise _corrupt_pdf(name, _("tabel xref atau halaman tidak terbaca")) from exc
    if pages == 0:
        raise _refused("no_pages", _("Berkas PDF “%(name)s” tidak memiliki halaman.") % {"name": name})
    found = _pdf_active_content(src, reader, name)
    if found:
        if found == "EmbeddedFile":
            message = _(
                "Berkas PDF “%(name)s” berisi lampiran tersemat (/EmbeddedFile). Cetak ulang ke PDF tanpa "
                "lampiran lalu unggah lagi."
            )
        else:
            message = _(
                "Berkas PDF “%(name)s” berisi kode atau tindakan otomatis (/%(what)s) yang tidak diizinkan. "
                "Cetak ulang ke PDF lalu unggah lagi."
            )
        raise _refused("active_content", message % {"name": name, "what": found})


def _pdf_active_content(src: _Source, reader, name: str) -> str | None:
    """Every object the cross-reference table knows, looked at for dangerous names: objects in
    the file through our own tokenizer (never reading their stream data), objects in object streams
    through pypdf. Names are compared after #xx escapes are decoded (/J#61vaScript)."""
    try:
        for generation, objects in reader.xref.items():
            for number, offset in objects.items():
                if reader.xref_free_entry.get(generation, {}).get(number, False):
                    continue
                names = _pdf_object_names(src, offset)
                if names is None:  # not where the table says, or huge: ask pypdf
                    names = _pypdf_names(reader.get_object(IndirectObject(number, generation, reader)))
                hit = _dangerous(names)
                if hit:
                    return hit
        for number in reader.xref_objStm:
            hit = _dangerous(_pypdf_names(reader.get_object(IndirectObject(number, 0, reader))))
            if hit:
                return hit
    except _BoundedReads.TooLarge as exc:
        raise _corrupt_pdf(name, _("objek terlalu besar")) from exc
    except Exception as exc:
        if getattr(exc, "code", None):
            raise
        logger.info("PDF object walk failed: %s: %s", exc.__class__.__name__, exc)
        raise _corrupt_pdf(name, _("objek tidak terbaca")) from exc
    return None


def _dangerous(names) -> str | None:
    for found in names:
        if found in DANGEROUS_PDF_NAMES:
            return DANGEROUS_PDF_NAMES[found]
    return None


_PDF_OBJECT_HEADER = re.compile(rb"\s*\d+\s+\d+\s+obj")


def _decode_pdf_name(raw: bytes) -> str:
    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), raw)
    return "/" + decoded.decode("latin-1")


def _pdf_object_names(src: _Source, offset: int) -> set[str] | None:
    """The names in the object at ``offset`` up to its ``stream`` or ``endobj`` keyword, or None
    when the object is not there or larger than ``PDF_OBJECT_READ_LIMIT``."""
    length = 2048
    while True:
        data = src.read_at(offset, length)
        match = _PDF_OBJECT_HEADER.match(data)
        if not match:
            return None
        names = _tokenize_pdf_object(data, match.end(), complete=len(data) < length)
        if names is not None:
            return names
        if length >= PDF_OBJECT_READ_LIMIT or len(data) < length:
            return None
        length *= 4


_PDF_REGULAR = rb"[^\x00\t\n\x0c\r /\[\]<>(){}%]"
# What matters in object syntax: strings (skipped), names (kept), comments, the keywords that end
# an object's dictionary part. Numbers, brackets and whitespace are passed over by the regex engine.
_PDF_TOKEN = re.compile(
    rb"\(|/" + _PDF_REGULAR + rb"*|(?<!<)<(?!<)[^>]*>|%[^\r\n]*|(?<!" + _PDF_REGULAR + rb")(?:stream|endobj)"
    rb"(?!" + _PDF_REGULAR + rb")"
)


def _tokenize_pdf_object(data: bytes, index: int, *, complete: bool) -> set[str] | None:
    """The names from ``index`` to the ``stream`` or ``endobj`` keyword; None when ``data`` ends
    first and is not ``complete`` (the caller reads more)."""
    names: set[str] = set()
    while True:
        match = _PDF_TOKEN.search(data, index)
        if match is None:
            return names if complete else None
        token = match.group(0)
        if match.end() == len(data) and not complete and token[:1] in (b"/", b"%", b"s", b"e"):
            return None  # perhaps cut in two
        if token == b"(":
            index = _skip_pdf_string(data, match.start())
            if index < 0:
                return names if complete else None
            continue
        if token in (b"stream", b"endobj"):
            return names
        if token[:1] == b"/":
            names.add(_decode_pdf_name(token[1:]))
        index = match.end()


def _skip_pdf_string(data: bytes, index: int) -> int:
    depth = 0
    end = len(data)
    while index < end:
        byte = data[index]
        if byte == 0x5C:  # backslash escapes the next byte
            index += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return -1


def _pypdf_names(obj, depth: int = 0) -> set[str]:
    names: set[str] = set()
    if depth > 32:
        return names
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            names.add(str(key))
            names |= _pypdf_names(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            names |= _pypdf_names(value, depth + 1)
    elif isinstance(obj, NameObject):
        names.add(str(obj))
    return names
