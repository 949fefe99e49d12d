"""DOCX and XLSX: the ZIP container (layout, entry names, bombs, nested archives), macros and
embedded or external objects; Office files embedded in them are inspected one level deep."""

from __future__ import annotations

import re
import struct
import tempfile
import zipfile
import zlib

from django.utils.translation import gettext as _

from ..types import FileType
from .common import (
    KB,
    MB,
    ZIP_MAX_CENTRAL_DIRECTORY,
    ZIP_MAX_ENTRIES,
    ZIP_MAX_NAME,
    ZIP_MAX_RATIO,
    ZIP_RATIO_FROM,
    Inspection,
    _polyglot,
    _refused,
    _Source,
    _zip_end,
    _ZipEnd,
    max_unpacked_bytes,
)
from .sniff import _CFB, _check_extension, _extension_of, _unsupported

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
