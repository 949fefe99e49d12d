"""Deciding the type from the first bytes, and checking that the extension agrees."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..types import EXTENSIONS, LABELS, FileType
from .common import (
    _refused,
    _Source,
)

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
    accepted = _accepted_type(head)
    if accepted:
        return accepted
    if head.startswith(_CFB):
        _refuse_ole2(src, name)
    _refuse_media(head, name)
    _refuse_binary(head, name)
    _refuse_text(head, name)
    raise _unsupported(name, _("jenis yang tidak dikenal"))


def _accepted_type(head: bytes) -> str | None:
    """The type of an accepted file from its signature, or None."""
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
    return None


def _refuse_media(head: bytes, name: str) -> None:
    """ISO media (HEIC/AVIF photos, MP4/MOV video) and RIFF audio/video (WebP is accepted before)."""
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


def _refuse_binary(head: bytes, name: str) -> None:
    """Known binary signatures, and a PDF whose header is not at the very start."""
    for signature, what in _BINARY_TYPES:
        if head.startswith(signature):
            raise _unsupported(name, what)
    if b"%PDF-" in head[:1024]:
        raise _refused(
            "corrupt",
            _("Berkas “%(name)s”: kepala PDF tidak berada di awal berkas. Cetak ulang ke PDF lalu unggah lagi.")
            % {"name": name},
        )


def _refuse_text(head: bytes, name: str) -> None:
    """Markup and scripts (XML, SVG, HTML, PHP, shell), then any other text without NUL bytes."""
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
