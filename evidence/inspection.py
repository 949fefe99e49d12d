"""What an uploaded file really is, and whether the portal takes it.

``inspect_upload(upload, name)`` decides the type from the CONTENT (never from the name alone),
checks that the extension agrees, and looks for what makes a file dangerous or useless. It returns
an ``Inspection`` or raises ``evidence.uploads.UploadRefused(code, message)`` with an Indonesian
message naming the file. Files are read in chunks (a 200 MB upload is never held in memory); the
upload may be a temporary file on disk or an in-memory file.

Allow-list (content → extensions accepted; the first is the one stored):
    PDF  → pdf        JPEG → jpg, jpeg, jfif, jpe        PNG → png        WebP → webp
    DOCX → docx       XLSX → xlsx

Refusal codes (the API passes them on; ``uploads.py`` adds bad_name, empty, too_large):
    unsupported_type  not on the allow-list: executables, ZIP/RAR/7z, GIF, BMP, TIFF, HEIC, SVG or HTML
                      (also under an image name), RTF, text, legacy DOC/XLS, PPTX/ODT, animated images
    bad_extension     an allowed type whose extension says something else (a PDF named .jpg)
    polyglot          a second file hidden inside or after the first: a ZIP readable from the end of an
                      image or PDF, a ZIP local header anywhere in it, HTML/script/PHP markers, data after a
                      PNG's IEND or a WebP's RIFF, more than 64 KB after a JPEG's EOI that is neither
                      another JPEG (MPF, Ultra HDR gain maps) nor a phone's motion-photo video, data hidden
                      between the entries of a DOCX/XLSX
    image_too_large   more pixels than ``EVIDENCE_MAX_IMAGE_PIXELS`` (read from the header, before any
                      decoding: decompression bombs)
    corrupt           truncated or damaged: images that do not decode (JPEG decoded at 1/8 scale, PNG's
                      zlib stream inflated in bounded pieces and checked row by row, CRCs), PDFs without
                      %%EOF near the end or that pypdf cannot read, DOCX/XLSX with bad CRCs or missing parts
    archive_bomb      DOCX/XLSX expanding past the limits: entry count, total uncompressed size (declared
                      and really inflated, counted while streaming), compression ratio per entry
    nested_archive    an archive inside a DOCX/XLSX (an embedded Office file under embeddings/ is allowed
                      and inspected, one level deep)
    unsafe_path       DOCX/XLSX entries named with ../, an absolute path, a drive or a backslash
    encrypted         password-protected PDFs (even with an empty user password), encrypted ZIP entries,
                      encrypted Office files (an OLE2 container holding EncryptedPackage)
    macro             macro-enabled Office content (vbaProject.bin, macroEnabled content types)
    active_content    PDFs with JavaScript (/JS, /JavaScript), /Launch actions, embedded files
                      (/EmbeddedFile(s), /EF, /FileAttachment) or /RichMedia; DOCX/XLSX with embedded OLE
                      objects or ActiveX (OLE2 entries) or an external attached template
    no_pages          a PDF with no page

Decided and documented: XFA forms and /URI links in PDFs are not refused; a PDF's embedded files are
refused (a verifier cannot see them and they can carry anything). WebP images are decoded fully, so
they are limited to ``WEBP_MAX_DECODE_PIXELS``; PNGs above ``DECODE_PIXEL_BUDGET`` are checked by our
own bounded inflate instead of a full Pillow decode.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .imaging import strict_decoding
from .models import FileType

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
KB = 1024
MB = 1024 * 1024

EXTENSIONS: dict[str, tuple[str, ...]] = {
    FileType.PDF: ("pdf",),
    FileType.JPEG: ("jpg", "jpeg", "jfif", "jpe"),
    FileType.PNG: ("png",),
    FileType.WEBP: ("webp",),
    FileType.DOCX: ("docx",),
    FileType.XLSX: ("xlsx",),
}
LABELS = {
    FileType.PDF: "PDF",
    FileType.JPEG: "JPEG",
    FileType.PNG: "PNG",
    FileType.WEBP: "WebP",
    FileType.DOCX: "DOCX (Word)",
    FileType.XLSX: "XLSX (Excel)",
}

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
    from .uploads import UploadRefused  # uploads imports this module lazily; no cycle at import time

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


# --- Deciding the type --------------------------------------------------------------------------

_TEXT_TYPES = (
    (b"<svg", "SVG"),
    (b"<!doctype html", "HTML"),
    (b"<html", "HTML"),
    (b"<head", "HTML"),
    (b"<body", "HTML"),
    (b"<script", "HTML/JavaScript"),
    (b"<?php", "PHP"),
    (b"#!", "skrip"),
)
_BINARY_TYPES = (
    (b"MZ", "program Windows (EXE/DLL)"),
    (b"\x7fELF", "program Linux (ELF)"),
    (b"\xca\xfe\xba\xbe", "program Java/macOS"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"{\\rtf", "RTF"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7-Zip"),
    (b"\x1f\x8b", "arsip GZIP"),
    (b"BZh", "arsip BZIP2"),
    (b"\xfd7zXZ\x00", "arsip XZ"),
    (b"PK\x05\x06", "arsip ZIP kosong"),
    (b"\x00\x00\x01\x00", "ikon (ICO)"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"OggS", "audio/video"),
    (b"ID3", "audio MP3"),
    (b"%!PS", "PostScript"),
)
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_TEXT = "PDF, JPG, PNG, WebP, DOCX, XLSX"


def _unsupported(name: str, what: str):
    return _refused(
        "unsupported_type",
        _("Berkas “%(name)s” berisi %(what)s. Jenis berkas yang diterima: %(allowed)s.")
        % {"name": name, "what": what, "allowed": ALLOWED_TEXT},
    )


def _sniff(src: _Source, name: str) -> str:
    """``pdf``, ``jpeg``, ``png``, ``webp`` or ``zip``; anything else is refused here."""
    head = src.read_at(0, 8192)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_CFB):
        _refuse_ole2(src, name)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"):
            raise _refused(
                "unsupported_type",
                _(
                    "Berkas “%(name)s” berformat HEIC/AVIF (foto iPhone) yang belum diterima. Ubah ke JPG "
                    "(di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel) lalu unggah lagi."
                )
                % {"name": name},
            )
        raise _unsupported(name, _("video"))
    if head[:4] == b"RIFF":
        raise _unsupported(name, _("audio/video (RIFF)"))
    for signature, what in _BINARY_TYPES:
        if head.startswith(signature):
            raise _unsupported(name, what)
    if b"%PDF-" in head[:1024]:
        raise _refused(
            "corrupt",
            _("Berkas “%(name)s”: kepala PDF tidak berada di awal berkas. Cetak ulang ke PDF lalu unggah lagi.")
            % {"name": name},
        )
    text = head.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n").lower()
    if text.startswith(b"<?xml"):
        raise _unsupported(name, "SVG" if b"<svg" in text else "XML")
    for prefix, what in _TEXT_TYPES:
        if text.startswith(prefix):
            raise _unsupported(name, what)
    if b"<svg" in text or b"<html" in text or b"<script" in text:
        raise _unsupported(name, "SVG/HTML")
    if head and b"\x00" not in head:
        raise _unsupported(name, _("teks biasa"))
    raise _unsupported(name, _("jenis yang tidak dikenal"))


def _refuse_ole2(src: _Source, name: str):
    """An OLE2 (CFB) container: an encrypted DOCX/XLSX, or a legacy DOC/XLS/PPT."""
    encrypted = "EncryptedPackage".encode("utf-16-le")
    for _offset, buffer in src.chunks(overlap=len(encrypted) - 1):
        if encrypted in buffer:
            raise _refused(
                "encrypted",
                _("Berkas “%(name)s” dilindungi kata sandi. Buka kuncinya, simpan ulang, lalu unggah lagi.")
                % {"name": name},
            )
    raise _refused(
        "unsupported_type",
        _(
            "Berkas “%(name)s” berformat Office lama (DOC/XLS/PPT) yang tidak diterima. Simpan sebagai DOCX, "
            "XLSX atau PDF lalu unggah lagi."
        )
        % {"name": name},
    )


def _extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _check_extension(file_type: FileType, name: str) -> str:
    extension = _extension_of(name)
    if extension in EXTENSIONS[file_type]:
        return EXTENSIONS[file_type][0]
    expected = EXTENSIONS[file_type][0]
    if not extension:
        message = _("Berkas “%(name)s” berisi %(type)s tetapi tidak berakhiran .%(expected)s. Beri nama %(fix)s.")
    else:
        message = _(
            "Berkas “%(name)s” berisi %(type)s, tetapi akhiran namanya .%(extension)s. Ganti akhirannya "
            "menjadi .%(expected)s lalu unggah lagi."
        )
    raise _refused(
        "bad_extension",
        message
        % {
            "name": name,
            "type": LABELS[file_type],
            "extension": extension,
            "expected": expected,
            "fix": f"{name}.{expected}",
        },
    )


# --- Entry point --------------------------------------------------------------------------------


def inspect_upload(upload, name: str) -> Inspection:
    """What ``upload`` is (by content), or ``UploadRefused``. ``name`` is the cleaned file name."""
    src = _Source(upload)
    try:
        kind = _sniff(src, name)
        if kind == "zip":
            return _inspect_ooxml(src, name)
        file_type = {"pdf": FileType.PDF, "jpeg": FileType.JPEG, "png": FileType.PNG, "webp": FileType.WEBP}[kind]
        extension = _check_extension(file_type, name)
        if file_type == FileType.PDF:
            _inspect_pdf(src, name)
            return Inspection(FileType.PDF, extension)
        width, height = _inspect_image(src, name, file_type)
        return Inspection(file_type, extension, width, height)
    finally:
        src.f.seek(0)


# --- Images -------------------------------------------------------------------------------------


def _corrupt_image(name: str, detail: str = ""):
    message = _(
        "Berkas “%(name)s” rusak atau terpotong dan tidak dapat dibuka sebagai gambar. Ambil atau simpan ulang "
        "fotonya lalu unggah lagi."
    ) % {"name": name}
    if detail:
        message = f"{message} ({detail})"
    return _refused("corrupt", message)


def _check_pixels(name: str, width: int, height: int, limit: int | None = None) -> None:
    if width <= 0 or height <= 0:
        raise _corrupt_image(name, _("ukuran gambar nol"))
    limit = limit or max_image_pixels()
    if width * height > limit:
        raise _refused(
            "image_too_large",
            _(
                "Gambar “%(name)s” berukuran %(width)s × %(height)s piksel, melebihi batas %(limit)s megapiksel. "
                "Kecilkan gambarnya lalu unggah lagi."
            )
            % {"name": name, "width": width, "height": height, "limit": round(limit / 1_000_000)},
        )


def _inspect_image(src: _Source, name: str, file_type: FileType) -> tuple[int, int]:
    metadata: list[tuple[int, int]] = []  # byte ranges of metadata and trailers, for the short markers
    if file_type == FileType.JPEG:
        width, height, progressive = _walk_jpeg_file(src, name, metadata)
    elif file_type == FileType.PNG:
        width, height = _walk_png(src, name, metadata)
        progressive = False
    else:
        width, height = _walk_webp(src, name, metadata)
        progressive = False
    # Hidden content anywhere in the bytes, then the short markers where text lives.
    _check_no_hidden_zip(src, name)
    _check_markers(src, name, 0, src.size, LONG_MARKERS)
    for start, end in metadata:
        _check_markers(src, name, start, end, SHORT_MARKERS)
    return _pillow_check(src, name, file_type, width, height, progressive)


def _pillow_check(
    src: _Source, name: str, file_type: FileType, width: int, height: int, progressive: bool
) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    pillow_format = {FileType.JPEG: "JPEG", FileType.PNG: "PNG", FileType.WEBP: "WEBP"}[file_type]
    broken = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error, IndexError)
    try:
        with warnings.catch_warnings(), strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            src.f.seek(0)
            with Image.open(src.f, formats=[pillow_format]) as image:
                width, height = image.size
                _check_pixels(name, width, height)
                image.verify()
            src.f.seek(0)
            with Image.open(src.f, formats=[pillow_format]) as image:
                if file_type == FileType.JPEG:
                    if progressive and width * height > DECODE_PIXEL_BUDGET:
                        # libjpeg keeps every coefficient of a progressive image: our own walk found
                        # every scan and the EOI; do not spend hundreds of MB on a decode.
                        return width, height
                    # Decoded at 1/8 scale: every byte of the scan is read, the memory stays small.
                    image.draft(image.mode if image.mode in ("L", "RGB") else None, (width // 8, height // 8))
                    image.load()
                elif file_type == FileType.WEBP:
                    if width * height > WEBP_MAX_DECODE_PIXELS:
                        _check_pixels(name, width, height, WEBP_MAX_DECODE_PIXELS)
                    image.load()
                elif width * height <= DECODE_PIXEL_BUDGET:
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refused(
            "image_too_large",
            _("Gambar “%(name)s” terlalu besar untuk dibuka dengan aman (bom dekompresi).") % {"name": name},
        ) from exc
    except broken as exc:
        logger.info("image refused by Pillow: %s: %s", exc.__class__.__name__, exc)
        raise _corrupt_image(name) from exc
    return width, height


# JPEG ---------------------------------------------------------------------------------------------

_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_PROGRESSIVE = frozenset({0xC2, 0xC6, 0xCA, 0xCE})


def _walk_jpeg_file(src: _Source, name: str, metadata: list) -> tuple[int, int, bool]:
    width, height, progressive, end = _walk_jpeg(src, 0, name, metadata)
    # After the EOI: more JPEGs (MPF secondary images, HDR gain maps) are walked like the first.
    images = 0
    while end < src.size and images < 4 and src.read_at(end, 3) == b"\xff\xd8\xff":
        try:
            _w, _h, _p, end = _walk_jpeg(src, end, name, metadata)
        except Exception as exc:
            if getattr(exc, "code", "") == "image_too_large":
                raise
            raise _polyglot(name, _("data tak dikenal setelah akhir gambar")) from exc
        images += 1
    trailing = src.size - end
    if trailing > 0:
        head = src.read_at(end, 64)
        motion_video = b"ftyp" in head  # Google/Samsung motion photos append an MP4 after the image
        if trailing > JPEG_TRAILER_TOLERATED and not motion_video:
            raise _polyglot(name, _("%(size)s KB data setelah akhir gambar") % {"size": max(1, round(trailing / KB))})
        if not motion_video:
            metadata.append((end, src.size))
    return width, height, progressive


def _walk_jpeg(src: _Source, start: int, name: str, metadata: list) -> tuple[int, int, bool, int]:
    """Walk the segments of the JPEG at ``start`` up to its EOI (through the entropy-coded data).
    Returns width, height, progressive, and the offset just after the EOI."""
    cursor = _Cursor(src, start)
    if cursor.read(2) != b"\xff\xd8":
        raise _corrupt_image(name)
    size = None
    progressive = False
    pending: int | None = None
    junk = 0
    for _segment in range(100_000):
        if pending is None:
            byte = cursor.read(1)
            while byte and byte != b"\xff":  # tolerate a few stray bytes between segments (Pillow does)
                junk += 1
                if junk > 1024:
                    raise _corrupt_image(name, _("penanda JPEG rusak"))
                byte = cursor.read(1)
            while byte == b"\xff":
                byte = cursor.read(1)
            if not byte:
                raise _corrupt_image(name, _("berkas terpotong"))
            marker = byte[0]
        else:
            marker, pending = pending, None
        if marker == 0xD9:  # EOI
            if size is None:
                raise _corrupt_image(name, _("tanpa data gambar"))
            return size[0], size[1], progressive, cursor.pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if marker == 0xD8:
            raise _corrupt_image(name, _("penanda JPEG rusak"))
        length_bytes = cursor.read(2)
        if len(length_bytes) < 2:
            raise _corrupt_image(name, _("berkas terpotong"))
        length = struct.unpack(">H", length_bytes)[0]
        if length < 2:
            raise _corrupt_image(name, _("penanda JPEG rusak"))
        segment_start = cursor.pos
        if marker in _SOF:
            header = cursor.read(min(length - 2, 6))
            if len(header) < 6:
                raise _corrupt_image(name, _("berkas terpotong"))
            height, width = struct.unpack(">HH", header[1:5])
            _check_pixels(name, width, height)
            if size is None:
                size = (width, height)
                progressive = marker in _PROGRESSIVE
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            metadata.append((segment_start, segment_start + length - 2))
        cursor.pos = segment_start + length - 2
        if cursor.pos > src.size:
            raise _corrupt_image(name, _("berkas terpotong"))
        if marker == 0xDA:  # SOS: the entropy-coded data runs to the next real marker
            if size is None:
                raise _corrupt_image(name, _("data gambar sebelum ukurannya"))
            pending = _skip_entropy_data(cursor, name)
    raise _corrupt_image(name, _("terlalu banyak segmen"))


def _skip_entropy_data(cursor: _Cursor, name: str) -> int:
    """Move past entropy-coded data; return the marker that ends it (its 0xFF consumed)."""
    while True:
        buffer, offset = cursor._window(2)
        if len(buffer) - offset < 2:
            raise _corrupt_image(name, _("berkas terpotong"))
        index = buffer.find(b"\xff", offset)
        if index < 0 or index + 1 >= len(buffer):
            cursor.pos = cursor.buffer_pos + (len(buffer) - 1 if index < 0 else index)
            cursor.buffer = b""  # reload from here
            continue
        following = buffer[index + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            cursor.pos = cursor.buffer_pos + index + 2
        elif following == 0xFF:
            cursor.pos = cursor.buffer_pos + index + 1
        else:
            cursor.pos = cursor.buffer_pos + index + 2
            return following


# PNG ----------------------------------------------------------------------------------------------

_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_PNG_CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_PNG_TEXT = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"})


class _PngRows:
    """Checks the inflated image data as it streams: exactly the rows the header promises, each
    starting with a valid filter byte; never more bytes than that (the data cannot balloon)."""

    def __init__(self, width: int, height: int, bits_per_pixel: int, interlaced: bool):
        def row_bytes(w: int) -> int:
            return (w * bits_per_pixel + 7) // 8

        if interlaced:
            passes = []
            for x0, y0, dx, dy in _ADAM7:
                pass_width = (width - x0 + dx - 1) // dx if width > x0 else 0
                pass_height = (height - y0 + dy - 1) // dy if height > y0 else 0
                if pass_width and pass_height:
                    passes.append((1 + row_bytes(pass_width), pass_height))
        else:
            passes = [(1 + row_bytes(width), height)]
        self.passes = passes
        self.expected = sum(length * count for length, count in passes)
        self.received = 0
        self.pass_index, self.rows_left, self.in_row = 0, passes[0][1] if passes else 0, 0

    def feed(self, data: bytes) -> bool:
        """False when the data is not what the header promised."""
        self.received += len(data)
        if self.received > self.expected:
            return False
        index = 0
        while index < len(data):
            row_length = self.passes[self.pass_index][0]
            if self.in_row == 0 and data[index] > 4:
                return False
            step = min(row_length - self.in_row, len(data) - index)
            index += step
            self.in_row += step
            if self.in_row == row_length:
                self.in_row = 0
                self.rows_left -= 1
                if self.rows_left == 0 and self.pass_index + 1 < len(self.passes):
                    self.pass_index += 1
                    self.rows_left = self.passes[self.pass_index][1]
        return True


def _walk_png(src: _Source, name: str, metadata: list) -> tuple[int, int]:
    if src.read_at(0, 8) != b"\x89PNG\r\n\x1a\n":
        raise _corrupt_image(name)
    position = 8
    size = None
    rows: _PngRows | None = None
    inflater = zlib.decompressobj()
    seen_idat = finished_idat = False
    for _chunk in range(200_000):
        header = src.read_at(position, 8)
        if len(header) < 8:
            raise _corrupt_image(name, _("berkas terpotong"))
        length, chunk_type = struct.unpack(">I", header[:4])[0], header[4:]
        if length > 0x7FFFFFFF or not chunk_type.isalpha():
            raise _corrupt_image(name, _("potongan PNG rusak"))
        data_start, data_end = position + 8, position + 8 + length
        if data_end + 4 > src.size:
            raise _corrupt_image(name, _("berkas terpotong"))
        if size is None and chunk_type != b"IHDR":
            raise _corrupt_image(name, _("tanpa kepala IHDR"))
        if chunk_type[0:1].isupper() and chunk_type not in _PNG_CRITICAL:
            raise _corrupt_image(name, _("potongan PNG tak dikenal"))
        if chunk_type == b"acTL":
            raise _unsupported(name, _("PNG animasi (APNG)"))
        crc = zlib.crc32(chunk_type)
        if chunk_type == b"IHDR":
            if size is not None or length != 13:
                raise _corrupt_image(name, _("kepala IHDR rusak"))
            ihdr = src.read_at(data_start, 13)
            crc = zlib.crc32(ihdr, crc)
            width, height, depth, color, compression, filter_method, interlace = struct.unpack(">IIBBBBB", ihdr)
            if depth not in _PNG_DEPTHS.get(color, ()) or compression or filter_method or interlace > 1:
                raise _corrupt_image(name, _("kepala IHDR rusak"))
            _check_pixels(name, width, height)
            size = (width, height)
            rows = _PngRows(width, height, _PNG_CHANNELS[color] * depth, bool(interlace))
        elif chunk_type == b"IDAT":
            if finished_idat:
                raise _corrupt_image(name, _("potongan IDAT terpisah"))
            seen_idat = True
            failure = None  # a damaged chunk is reported as such (its CRC) rather than as bad zlib data
            for _offset, piece in src.chunks(data_start, data_end):
                crc = zlib.crc32(piece, crc)
                if failure is None:
                    try:
                        _inflate_png(inflater, rows, piece, name)
                    except Exception as exc:
                        if not getattr(exc, "code", None):
                            raise
                        failure = exc
        else:
            if seen_idat:
                finished_idat = True
            for _offset, piece in src.chunks(data_start, data_end):
                crc = zlib.crc32(piece, crc)
            if chunk_type in _PNG_TEXT or chunk_type[0:1].islower():
                metadata.append((data_start, data_end))
        stored_crc = struct.unpack(">I", src.read_at(data_end, 4))[0]
        if stored_crc != crc & 0xFFFFFFFF:
            raise _corrupt_image(name, _("CRC tidak cocok"))
        if chunk_type == b"IDAT" and failure is not None:
            raise failure
        position = data_end + 4
        if chunk_type == b"IEND":
            break
    else:
        raise _corrupt_image(name, _("terlalu banyak potongan"))
    if not seen_idat or not inflater.eof or rows.received != rows.expected:
        raise _corrupt_image(name, _("data gambar tidak lengkap"))
    if inflater.unused_data.strip(b"\x00"):
        raise _polyglot(name, _("data setelah aliran gambar"))
    if position < src.size:
        raise _polyglot(name, _("%(size)s bita setelah akhir PNG (IEND)") % {"size": src.size - position})
    return size


def _inflate_png(inflater, rows: _PngRows, piece: bytes, name: str) -> None:
    if inflater.eof:
        if piece.strip(b"\x00"):
            raise _polyglot(name, _("data setelah aliran gambar"))
        return
    try:
        data = inflater.decompress(piece, CHUNK)
        while True:
            if not rows.feed(data):
                raise _corrupt_image(name, _("data gambar tidak sesuai ukurannya"))
            if not inflater.unconsumed_tail:
                break
            data = inflater.decompress(inflater.unconsumed_tail, CHUNK)
    except zlib.error as exc:
        raise _corrupt_image(name, _("data terkompresi rusak")) from exc


# WebP ---------------------------------------------------------------------------------------------


def _walk_webp(src: _Source, name: str, metadata: list) -> tuple[int, int]:
    header = src.read_at(0, 12)
    riff_end = 8 + struct.unpack("<I", header[4:8])[0]
    if riff_end > src.size:
        raise _corrupt_image(name, _("berkas terpotong"))
    position, size = 12, None
    first = True
    while position + 8 <= riff_end:
        chunk = src.read_at(position, 8)
        fourcc, length = chunk[:4], struct.unpack("<I", chunk[4:8])[0]
        data_start = position + 8
        data_end = data_start + length
        if data_end > riff_end:
            raise _corrupt_image(name, _("berkas terpotong"))
        data = src.read_at(data_start, min(length, 32))
        if fourcc == b"ANIM" or fourcc == b"ANMF":
            raise _unsupported(name, _("WebP animasi"))
        if first:
            size = _webp_size(fourcc, data, name)
            first = False
        elif fourcc not in (b"VP8 ", b"VP8L", b"ALPH"):
            metadata.append((data_start, data_end))
        position = data_end + (length & 1)
    if size is None:
        raise _corrupt_image(name, _("tanpa data gambar"))
    if position != riff_end and position != riff_end + 1:
        raise _corrupt_image(name, _("berkas terpotong"))
    if riff_end < src.size:
        raise _polyglot(name, _("%(size)s bita setelah akhir WebP") % {"size": src.size - riff_end})
    _check_pixels(name, *size)
    return size


def _webp_size(fourcc: bytes, data: bytes, name: str) -> tuple[int, int]:
    if fourcc == b"VP8X" and len(data) >= 10:
        return 1 + int.from_bytes(data[4:7], "little"), 1 + int.from_bytes(data[7:10], "little")
    if fourcc == b"VP8 " and len(data) >= 10 and data[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if fourcc == b"VP8L" and len(data) >= 5 and data[0] == 0x2F:
        bits = int.from_bytes(data[1:5], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    raise _corrupt_image(name, _("kepala WebP rusak"))


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

    from pypdf import PdfReader

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
    from pypdf.generic import IndirectObject

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
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

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


# --- DOCX and XLSX ------------------------------------------------------------------------------

_OOXML_PARTS = {FileType.DOCX: "word/document.xml", FileType.XLSX: "xl/workbook.xml"}
_OOXML_MAIN_TYPES = {
    FileType.DOCX: b"wordprocessingml.document.main+xml",
    FileType.XLSX: b"spreadsheetml.sheet.main+xml",
}
_MACRO_NAMES = frozenset({"vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml"})
_ARCHIVE_SIGNATURES = (
    (b"PK\x03\x04", "ZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "GZIP"),
    (b"BZh", "BZIP2"),
    (b"\xfd7zXZ\x00", "XZ"),
)
_EMBEDDED_OFFICE = re.compile(r"^(word|xl)/embeddings/[^/]+\.(docx|xlsx|pptx)$", re.IGNORECASE)
_EXTERNAL_RISKY = re.compile(
    rb"<Relationship\b[^>]*Type=\"[^\"]*/(attachedTemplate|oleObject|subDocument|frame)\"[^>]*TargetMode=\"External\""
    rb"|<Relationship\b[^>]*TargetMode=\"External\"[^>]*Type=\"[^\"]*/(attachedTemplate|oleObject|subDocument|frame)\"",
    re.IGNORECASE,
)


def _corrupt_office(name: str, detail: str):
    return _refused(
        "corrupt",
        _("Berkas “%(name)s” rusak atau tidak lengkap (%(detail)s). Simpan ulang dari Word/Excel lalu unggah lagi.")
        % {"name": name, "detail": detail},
    )


def _bomb(name: str, detail: str):
    return _refused(
        "archive_bomb",
        _("Berkas “%(name)s” mengembang terlalu besar saat dibuka (%(detail)s) dan ditolak.")
        % {"name": name, "detail": detail},
    )


def _unsafe_entry_name(entry: str) -> bool:
    if not entry or "\x00" in entry or "\\" in entry or len(entry) > ZIP_MAX_NAME:
        return True
    if entry.startswith("/") or re.match(r"^[A-Za-z]:", entry):
        return True
    return any(part == ".." for part in entry.split("/"))


class _Budget:
    """The bytes really inflated, across an Office file and the Office files embedded in it."""

    def __init__(self):
        self.inflated = 0
        self.limit = max_unpacked_bytes()


def _inspect_ooxml(src: _Source, name: str) -> Inspection:
    end = _zip_end(src, strict=True)
    if end is None:
        raise _corrupt_office(name, _("akhir arsip tidak ditemukan, berkas mungkin terpotong"))
    if end.entries > ZIP_MAX_ENTRIES or end.cd_size > ZIP_MAX_CENTRAL_DIRECTORY:
        raise _bomb(name, _("%(count)s entri") % {"count": end.entries})
    try:
        archive = zipfile.ZipFile(src.f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise _corrupt_office(name, _("arsip ZIP rusak")) from exc
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        file_type, main_part = _ooxml_type(archive, infos, names, name)
        extension = _check_extension(file_type, name)
        if main_part not in names:
            raise _corrupt_office(name, _("bagian wajib %(part)s tidak ada") % {"part": main_part})
        _check_ooxml_container(src, archive, infos, name, file_type, end, _Budget(), depth=0)
    return Inspection(file_type, extension)


def _main_part(archive: zipfile.ZipFile, infos) -> str | None:
    """The main part named by the package relationships (``_rels/.rels``, type officeDocument):
    usually word/document.xml or xl/workbook.xml, but Word Online writes word/document2.xml."""
    info = next((item for item in infos if item.filename == "_rels/.rels"), None)
    if (
        info is None
        or info.flag_bits & 0x1
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or info.file_size > MB
    ):
        return None  # the container checks report what is wrong with it
    try:
        with archive.open(info) as handle:
            data = handle.read(MB)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError):
        return None
    for tag in re.finditer(rb"<Relationship\b[^>]*>", data):
        if re.search(rb'Type="[^"]*/officeDocument"', tag.group(0)):
            target = re.search(rb'Target="([^"]+)"', tag.group(0))
            if target:
                return target.group(1).decode("utf-8", "replace").lstrip("/")
    return None


def _ooxml_type(archive: zipfile.ZipFile, infos, names: set[str], name: str) -> tuple[FileType, str]:
    """DOCX or XLSX, and its main part; or a refusal saying what else the ZIP is."""
    main = _main_part(archive, infos)
    if main:
        lowered = main.lower()
        if lowered.startswith("ppt/"):
            raise _unsupported(name, _("presentasi PowerPoint (PPTX)"))
        if lowered.startswith("xl/") and lowered.endswith(".bin"):
            raise _unsupported(name, _("buku kerja Excel biner (XLSB)"))
        if lowered.endswith(".xml") and lowered.startswith(("word/", "xl/")):
            return (FileType.DOCX if lowered.startswith("word/") else FileType.XLSX), main
    has_word, has_excel = _OOXML_PARTS[FileType.DOCX] in names, _OOXML_PARTS[FileType.XLSX] in names
    if has_word and has_excel:
        raise _corrupt_office(name, _("berisi dokumen Word dan Excel sekaligus"))
    if has_word:
        return FileType.DOCX, _OOXML_PARTS[FileType.DOCX]
    if has_excel:
        return FileType.XLSX, _OOXML_PARTS[FileType.XLSX]
    if "ppt/presentation.xml" in names:
        raise _unsupported(name, _("presentasi PowerPoint (PPTX)"))
    if "xl/workbook.bin" in names:
        raise _unsupported(name, _("buku kerja Excel biner (XLSB)"))
    if "mimetype" in names and "content.xml" in names:
        raise _unsupported(name, _("dokumen OpenDocument (ODT/ODS)"))
    if "word/document.xml".upper() in {n.upper() for n in names}:
        raise _corrupt_office(name, _("nama bagian tidak baku"))
    claimed = _extension_of(name)
    if claimed in ("docx", "xlsx"):
        part = _OOXML_PARTS[FileType.DOCX if claimed == "docx" else FileType.XLSX]
        raise _corrupt_office(name, _("bagian wajib %(part)s tidak ada") % {"part": part})
    raise _unsupported(name, _("arsip ZIP"))


def _check_ooxml_container(src, archive, infos, name, file_type, end, budget, *, depth: int) -> None:
    names_seen: set[str] = set()
    for info in infos:
        if _unsafe_entry_name(info.filename):
            raise _refused(
                "unsafe_path",
                _("Berkas “%(name)s” berisi entri dengan jalur berbahaya (%(entry)s) dan ditolak.")
                % {"name": name, "entry": info.filename.replace("\x00", "\\0")[:80]},
            )
        if info.filename in names_seen:
            raise _polyglot(name, _("entri ganda %(entry)s") % {"entry": info.filename[:80]})
        names_seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise _refused(
                "encrypted",
                _(
                    "Berkas “%(name)s” berisi bagian terenkripsi (dilindungi kata sandi). Buka kuncinya lalu unggah lagi."
                )
                % {"name": name},
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _corrupt_office(name, _("metode kompresi tidak baku"))
        if info.filename.rsplit("/", 1)[-1].lower() in _MACRO_NAMES:
            raise _macro(name)
    if "[Content_Types].xml" not in names_seen:
        raise _corrupt_office(name, _("bagian wajib [Content_Types].xml tidak ada"))
    content_types = _read_small(archive, "[Content_Types].xml", name)
    lowered = content_types.lower()
    if b"macroenabled" in lowered or b"vbaproject" in lowered:
        raise _macro(name)
    if depth == 0 and _OOXML_MAIN_TYPES[file_type] not in content_types:
        raise _corrupt_office(name, _("jenis isi dokumen utama tidak sesuai"))
    _check_zip_layout(src, infos, end, name)
    declared = sum(info.file_size for info in infos)
    if budget.inflated + declared > budget.limit:
        raise _bomb(name, _("total %(size)s MB") % {"size": declared // MB})
    for info in infos:
        if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(name, _("rasio kompresi %(entry)s") % {"entry": info.filename[:80]})
    for info in infos:
        _stream_entry(archive, info, name, budget, depth)


def _macro(name: str):
    return _refused(
        "macro",
        _("Berkas “%(name)s” berisi makro (VBA) yang tidak diizinkan. Simpan sebagai DOCX/XLSX biasa lalu unggah lagi.")
        % {"name": name},
    )


def _read_small(archive: zipfile.ZipFile, entry: str, name: str, limit: int = MB) -> bytes:
    try:
        with archive.open(entry) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise _corrupt_office(name, entry) from exc
    if len(data) > limit:
        raise _bomb(name, entry)
    return data


def _check_zip_layout(src: _Source, infos, end: _ZipEnd, name: str) -> None:
    """Entries must follow one another from offset 0 to the central directory: a gap is room for
    a second file (data before the first entry, between entries, or before the directory)."""
    expected = 0
    for info in sorted(infos, key=lambda item: item.header_offset):
        if info.header_offset < expected:
            raise _polyglot(name, _("entri yang bertumpuk"))
        gap = info.header_offset - expected
        if gap and not (expected and _is_data_descriptor_gap(gap)):
            raise _polyglot(name, _("data di antara entri arsip"))
        header = src.read_at(info.header_offset, 30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise _corrupt_office(name, _("kepala entri rusak"))
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        expected = info.header_offset + 30 + name_length + extra_length + info.compress_size
    gap = end.cd_offset - expected
    if gap < 0 or (gap and not _is_data_descriptor_gap(gap)):
        raise _polyglot(name, _("data sebelum direktori arsip"))


def _is_data_descriptor_gap(gap: int) -> bool:
    return gap in (12, 16, 20, 24)


def _stream_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget, depth: int) -> None:
    """Inflate one entry in pieces, counting what really comes out (headers can lie), checking the
    CRC (zipfile does at the end), and looking at what the entry is."""
    entry = info.filename
    spool = None
    try:
        with archive.open(info) as handle:
            first = True
            while True:
                piece = handle.read(256 * KB)
                if not piece:
                    break
                budget.inflated += len(piece)
                if budget.inflated > budget.limit:
                    raise _bomb(name, _("lebih dari %(size)s MB") % {"size": budget.limit // MB})
                if first:
                    first = False
                    spool = _classify_entry(piece, entry, name, depth)
                    if entry.lower().endswith(".rels") and _EXTERNAL_RISKY.search(_read_small(archive, entry, name)):
                        raise _refused(
                            "active_content",
                            _("Berkas “%(name)s” memanggil templat atau objek dari luar dan ditolak.") % {"name": name},
                        )
                if spool is not None:
                    spool.write(piece)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise _corrupt_office(name, _("entri %(entry)s rusak") % {"entry": entry[:80]}) from exc
    if spool is not None:
        _inspect_embedded_office(spool, name, budget)


def _classify_entry(head: bytes, entry: str, name: str, depth: int):
    """None for an ordinary part; a spool file for an embedded Office file to inspect."""
    if head.startswith(_CFB):
        if entry.rsplit("/", 1)[-1].lower().startswith("vba"):
            raise _macro(name)
        raise _refused(
            "active_content",
            _(
                "Berkas “%(name)s” berisi objek OLE/ActiveX tersemat (%(entry)s) yang tidak diizinkan. Simpan "
                "ulang tanpa objek tersemat lalu unggah lagi."
            )
            % {"name": name, "entry": entry[:80]},
        )
    for signature, what in _ARCHIVE_SIGNATURES:
        if head.startswith(signature):
            if signature == b"PK\x03\x04" and depth == 0 and _EMBEDDED_OFFICE.match(entry):
                import tempfile

                return tempfile.SpooledTemporaryFile(max_size=MB)
            raise _refused(
                "nested_archive",
                _("Berkas “%(name)s” berisi arsip %(what)s di dalamnya (%(entry)s) dan ditolak.")
                % {"name": name, "what": what, "entry": entry[:80]},
            )
    return None


def _inspect_embedded_office(spool, name: str, budget: _Budget) -> None:
    with spool:
        spool.seek(0)
        inner = _Source(spool)
        end = _zip_end(inner, strict=True)
        if end is None or end.entries > ZIP_MAX_ENTRIES or end.cd_size > ZIP_MAX_CENTRAL_DIRECTORY:
            raise _refused(
                "nested_archive",
                _("Berkas “%(name)s” berisi arsip tersemat yang rusak atau terlalu besar.") % {"name": name},
            )
        try:
            archive = zipfile.ZipFile(spool)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise _corrupt_office(name, _("objek tersemat rusak")) from exc
        with archive:
            infos = archive.infolist()
            _check_ooxml_container(inner, archive, infos, name, None, end, budget, depth=1)
