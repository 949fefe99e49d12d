"""What every format's checks share: limits, chunked reading, refusals, hidden content (ZIP
and markup markers)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ..errors import UploadRefused
from ..types import FileType

CHUNK = 1024 * 1024
KB = 1024
MB = 1024 * 1024

# Images: a full Pillow decode only up to this many pixels (bounded memory); JPEGs are decoded at 1/8.
DECODE_PIXEL_BUDGET = 16_000_000
WEBP_MAX_DECODE_PIXELS = 16_000_000
# After a JPEG's end: small trailers (padding, Samsung's SEF metadata) are tolerated up to this.
JPEG_TRAILER_TOLERATED = 64 * KB
# DOCX / XLSX.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_CENTRAL_DIRECTORY = 4 * MB
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM = 1 * MB  # small entries compress as they like
ZIP_MAX_NAME = 512
# PDFs: pypdf never gets to read more than this at once (no whole-file reads of big files).
PDF_MAX_SINGLE_READ = 64 * MB
PDF_OBJECT_READ_LIMIT = 1 * MB


@dataclass(frozen=True)
class Inspection:
    file_type: FileType
    extension: str
    width: int | None = None
    height: int | None = None


def _refused(code: str, message: str):
    return UploadRefused(code, message)


def max_unpacked_bytes() -> int:
    return settings.EVIDENCE_MAX_UNPACKED_MB * MB


def max_image_pixels() -> int:
    return settings.EVIDENCE_MAX_IMAGE_PIXELS


# --- Reading without loading --------------------------------------------------------------------


class _Source:
    """Random and chunked access to the upload's bytes (a temp file on disk or memory)."""

    def __init__(self, upload):
        inner = getattr(upload, "file", None)
        self.f = inner if inner is not None else upload
        self.f.seek(0, io.SEEK_END)
        self.size = self.f.tell()
        self.f.seek(0)

    def read_at(self, offset: int, length: int) -> bytes:
        if offset >= self.size or length <= 0:
            return b""
        self.f.seek(offset)
        return self.f.read(min(length, self.size - offset))

    def chunks(self, start: int = 0, end: int | None = None, overlap: int = 0):
        """``(offset, bytes)`` pieces of [start, end); each piece repeats the last ``overlap`` bytes of
        the previous one so that a signature cut in two is still found."""
        end = self.size if end is None else min(end, self.size)
        position, tail = start, b""
        while position < end:
            data = self.read_at(position, min(CHUNK, end - position))
            if not data:
                return
            buffer = tail + data
            yield position - len(tail), buffer
            position += len(data)
            tail = buffer[-overlap:] if overlap else b""


class _Cursor:
    """A forward reader over ``_Source`` with a 1 MB window (for walking segments and chunks)."""

    def __init__(self, src: _Source, position: int):
        self.src, self.pos = src, position
        self.buffer, self.buffer_pos = b"", position

    def _window(self, need: int) -> tuple[bytes, int]:
        offset = self.pos - self.buffer_pos
        if offset < 0 or offset + need > len(self.buffer):
            self.buffer, self.buffer_pos = self.src.read_at(self.pos, max(need, CHUNK)), self.pos
            offset = 0
        return self.buffer, offset

    def read(self, length: int) -> bytes:
        buffer, offset = self._window(length)
        data = buffer[offset : offset + length]
        self.pos += len(data)
        return data


# --- Hidden content -----------------------------------------------------------------------------

# Markers of markup, scripts and other files, matched case-insensitively. Random bytes (compressed
# pixel data is close to random) hold a given 5-byte marker about once in 2**36 positions, i.e. once
# in a few thousand 5 MB photos: too often. So the whole file is searched for markers of 7 bytes and
# more only (once in 2**50), and the short ones are looked for where text lives: metadata segments
# and chunks, data after the image's end, a PDF's first KB and its end.
LONG_MARKERS = (
    b"<script",
    b"<iframe",
    b"<object",
    b"<!doctype",
    b"javascript:",
    b"onload=",
    b"onerror=",
)
SHORT_MARKERS = (
    b"<?php",
    b"<html",
    b"<body",
    b"<embed",
    b"%pdf-",
    b"<svg ",
    b"<svg>",
    b"<svg\n",
    b"<svg\t",
    b"<svg\r",
    b"<meta",
    b"<form",
    b"<style",
    b"<link",
    b"<base",
)
# (No two- or three-byte markers such as "<%" or "<?=": an EXIF thumbnail would hold them by chance.)
PDF_MARKERS = LONG_MARKERS + tuple(marker for marker in SHORT_MARKERS if marker != b"%pdf-")
ZIP_METHODS = frozenset({0, 1, 6, 8, 9, 12, 14, 93, 95, 98, 99})


def _find_markers(src: _Source, start: int, end: int, markers: tuple[bytes, ...]) -> bytes | None:
    longest = max(len(marker) for marker in markers)
    for _offset, buffer in src.chunks(start, end, overlap=longest - 1):
        lowered = buffer.lower()
        for marker in markers:
            if marker in lowered:
                return marker
    return None


def _is_local_file_header(src: _Source, position: int) -> bool:
    """Whether a ``PK\\3\\4`` at ``position`` opens a real ZIP entry (not four chance bytes)."""
    header = src.read_at(position, 30)
    if len(header) < 30:
        return False
    _sig, version, _flags, method, _t, _d, _crc, _cs, _us, name_len, extra_len = struct.unpack("<IHHHHHIIIHH", header)
    if (version & 0xFF) > 63 or (version >> 8) > 30 or method not in ZIP_METHODS:
        return False
    if not 1 <= name_len <= 1024 or extra_len > 8192:
        return False
    name = src.read_at(position + 30, name_len)
    if len(name) < name_len:
        return False
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() for ch in text)


def _find_zip_header(src: _Source, start: int = 0, end: int | None = None, skip: int | None = None) -> int | None:
    for offset, buffer in src.chunks(start, end, overlap=3):
        index = buffer.find(b"PK\x03\x04")
        while index >= 0:
            position = offset + index
            if position != skip and _is_local_file_header(src, position):
                return position
            index = buffer.find(b"PK\x03\x04", index + 1)
    return None


@dataclass
class _ZipEnd:
    position: int  # of the end-of-central-directory record
    entries: int
    cd_size: int
    cd_offset: int
    comment_length: int
    zip64: bool = False


def _zip_end(src: _Source, *, strict: bool) -> _ZipEnd | None:
    """The end record of a ZIP readable from the end of the file. ``strict``: its comment must end
    exactly at the end of the file (what a DOCX/XLSX must look like); otherwise also a record whose
    central directory is where it says (what lenient ZIP readers accept)."""
    tail_start = max(0, src.size - (65535 + 22))
    tail = src.read_at(tail_start, src.size - tail_start)
    index = tail.rfind(b"PK\x05\x06")
    while index >= 0:
        record = tail[index : index + 22]
        if len(record) == 22:
            _sig, _disk, _cd_disk, _n_disk, entries, cd_size, cd_offset, comment_length = struct.unpack(
                "<IHHHHIIH", record
            )
            position = tail_start + index
            end = _ZipEnd(position, entries, cd_size, cd_offset, comment_length)
            if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
                _read_zip64(src, end)
            exact = position + 22 + comment_length == src.size
            if exact or (
                not strict
                and end.cd_size <= position
                and src.read_at(position - end.cd_size, 4) in (b"PK\x01\x02", b"PK\x06\x06")
            ):
                return end
        index = tail.rfind(b"PK\x05\x06", 0, index)
    return None


def _read_zip64(src: _Source, end: _ZipEnd) -> None:
    locator = src.read_at(end.position - 20, 20)
    if len(locator) != 20 or locator[:4] != b"PK\x06\x07":
        return
    record_offset = struct.unpack("<Q", locator[8:16])[0]
    record = src.read_at(record_offset, 56)
    if len(record) != 56 or record[:4] != b"PK\x06\x06":
        return
    entries, cd_size, cd_offset = struct.unpack("<QQQ", record[32:56])
    end.entries, end.cd_size, end.cd_offset, end.zip64 = entries, cd_size, cd_offset, True


def _polyglot(name: str, what: str):
    return _refused(
        "polyglot",
        _("Berkas “%(name)s” menyembunyikan isi lain (%(what)s). Simpan ulang berkas aslinya lalu unggah lagi.")
        % {"name": name, "what": what},
    )


def _check_no_hidden_zip(src: _Source, name: str) -> None:
    if _zip_end(src, strict=False) is not None:
        raise _polyglot(name, _("arsip ZIP di bagian akhir"))
    if _find_zip_header(src) is not None:
        raise _polyglot(name, _("arsip ZIP di dalamnya"))


def _check_markers(src: _Source, name: str, start: int, end: int, markers: tuple[bytes, ...]) -> None:
    found = _find_markers(src, start, end, markers)
    if found is not None:
        raise _polyglot(name, _("kode %(marker)s") % {"marker": found.decode("ascii")})
