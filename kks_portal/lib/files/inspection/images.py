"""JPEG, PNG and WebP: our own walk of segments and chunks (sizes, metadata, trailers), then a
bounded Pillow decode."""

from __future__ import annotations

import logging
import struct
import warnings
import zlib

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ..imaging import strict_decoding
from ..types import FileType
from .common import (
    CHUNK,
    DECODE_PIXEL_BUDGET,
    JPEG_TRAILER_TOLERATED,
    KB,
    LONG_MARKERS,
    SHORT_MARKERS,
    WEBP_MAX_DECODE_PIXELS,
    _check_markers,
    _check_no_hidden_zip,
    _Cursor,
    _polyglot,
    _refused,
    _Source,
    max_image_pixels,
)
from .sniff import _unsupported

logger = logging.getLogger(__name__)

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
            marker, junk = _read_jpeg_marker(cursor, name, junk)
        else:
            marker, pending = pending, None
        if marker == 0xD9:  # EOI
            if size is None:
                raise _corrupt_image(name, _("tanpa data gambar"))
            return size[0], size[1], progressive, cursor.pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        frame_size = _read_jpeg_segment(cursor, marker, name, metadata)
        if frame_size is not None and size is None:
            size = frame_size
            progressive = marker in _PROGRESSIVE
        if marker == 0xDA:  # SOS: the entropy-coded data runs to the next real marker
            if size is None:
                raise _corrupt_image(name, _("data gambar sebelum ukurannya"))
            pending = _skip_entropy_data(cursor, name)
    raise _corrupt_image(name, _("terlalu banyak segmen"))


def _read_jpeg_marker(cursor: _Cursor, name: str, junk: int) -> tuple[int, int]:
    """The next marker byte (after its 0xFF fill bytes), and the stray bytes skipped so far in this image."""
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
    return byte[0], junk


def _read_jpeg_segment(cursor: _Cursor, marker: int, name: str, metadata: list) -> tuple[int, int] | None:
    """Read the segment of ``marker`` (length first) and leave the cursor after it. Returns the
    frame size of a SOF segment, else None; APPn and COM segments go to ``metadata``."""
    if marker == 0xD8:
        raise _corrupt_image(name, _("penanda JPEG rusak"))
    length_bytes = cursor.read(2)
    if len(length_bytes) < 2:
        raise _corrupt_image(name, _("berkas terpotong"))
    length = struct.unpack(">H", length_bytes)[0]
    if length < 2:
        raise _corrupt_image(name, _("penanda JPEG rusak"))
    segment_start = cursor.pos
    frame_size = None
    if marker in _SOF:
        header = cursor.read(min(length - 2, 6))
        if len(header) < 6:
            raise _corrupt_image(name, _("berkas terpotong"))
        height, width = struct.unpack(">HH", header[1:5])
        _check_pixels(name, width, height)
        frame_size = (width, height)
    elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
        metadata.append((segment_start, segment_start + length - 2))
    cursor.pos = segment_start + length - 2
    if cursor.pos > cursor.src.size:
        raise _corrupt_image(name, _("berkas terpotong"))
    return frame_size


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
        length, chunk_type = _read_png_chunk_header(src, position, name, size)
        data_start, data_end = position + 8, position + 8 + length
        crc = zlib.crc32(chunk_type)
        failure = None
        if chunk_type == b"IHDR":
            size, rows, crc = _read_png_ihdr(src, data_start, length, name, size, crc)
        elif chunk_type == b"IDAT":
            if finished_idat:
                raise _corrupt_image(name, _("potongan IDAT terpisah"))
            seen_idat = True
            crc, failure = _read_png_idat(src, data_start, data_end, name, inflater, rows, crc)
        else:
            if seen_idat:
                finished_idat = True
            crc = _read_png_other_chunk(src, chunk_type, data_start, data_end, metadata, crc)
        stored_crc = struct.unpack(">I", src.read_at(data_end, 4))[0]
        if stored_crc != crc & 0xFFFFFFFF:
            raise _corrupt_image(name, _("CRC tidak cocok"))
        if failure is not None:
            raise failure
        position = data_end + 4
        if chunk_type == b"IEND":
            break
    else:
        raise _corrupt_image(name, _("terlalu banyak potongan"))
    _check_png_end(src, name, position, inflater, rows, seen_idat)
    return size


def _read_png_chunk_header(src: _Source, position: int, name: str, size: tuple[int, int] | None) -> tuple[int, bytes]:
    """Length and type of the chunk at ``position``: well formed, inside the file, IHDR first,
    no unknown critical chunk and no animation."""
    header = src.read_at(position, 8)
    if len(header) < 8:
        raise _corrupt_image(name, _("berkas terpotong"))
    length, chunk_type = struct.unpack(">I", header[:4])[0], header[4:]
    if length > 0x7FFFFFFF or not chunk_type.isalpha():
        raise _corrupt_image(name, _("potongan PNG rusak"))
    if position + 8 + length + 4 > src.size:
        raise _corrupt_image(name, _("berkas terpotong"))
    if size is None and chunk_type != b"IHDR":
        raise _corrupt_image(name, _("tanpa kepala IHDR"))
    if chunk_type[0:1].isupper() and chunk_type not in _PNG_CRITICAL:
        raise _corrupt_image(name, _("potongan PNG tak dikenal"))
    if chunk_type == b"acTL":
        raise _unsupported(name, _("PNG animasi (APNG)"))
    return length, chunk_type


def _read_png_ihdr(
    src: _Source, data_start: int, length: int, name: str, size: tuple[int, int] | None, crc: int
) -> tuple[tuple[int, int], _PngRows, int]:
    """The one IHDR: image size, the row checker for the image data, and the running CRC."""
    if size is not None or length != 13:
        raise _corrupt_image(name, _("kepala IHDR rusak"))
    ihdr = src.read_at(data_start, 13)
    crc = zlib.crc32(ihdr, crc)
    width, height, depth, color, compression, filter_method, interlace = struct.unpack(">IIBBBBB", ihdr)
    if depth not in _PNG_DEPTHS.get(color, ()) or compression or filter_method or interlace > 1:
        raise _corrupt_image(name, _("kepala IHDR rusak"))
    _check_pixels(name, width, height)
    return (width, height), _PngRows(width, height, _PNG_CHANNELS[color] * depth, bool(interlace)), crc


def _read_png_idat(
    src: _Source, data_start: int, data_end: int, name: str, inflater, rows: _PngRows, crc: int
) -> tuple[int, Exception | None]:
    """Inflate one IDAT chunk into ``rows``. Returns the running CRC and the refusal found in the
    data, if any: a damaged chunk is reported as such (its CRC) rather than as bad zlib data."""
    failure = None
    for _offset, piece in src.chunks(data_start, data_end):
        crc = zlib.crc32(piece, crc)
        if failure is None:
            try:
                _inflate_png(inflater, rows, piece, name)
            except Exception as exc:
                if not getattr(exc, "code", None):
                    raise
                failure = exc
    return crc, failure


def _read_png_other_chunk(
    src: _Source, chunk_type: bytes, data_start: int, data_end: int, metadata: list, crc: int
) -> int:
    """Any chunk but IHDR and IDAT: its CRC, and text or ancillary chunks noted as metadata."""
    for _offset, piece in src.chunks(data_start, data_end):
        crc = zlib.crc32(piece, crc)
    if chunk_type in _PNG_TEXT or chunk_type[0:1].islower():
        metadata.append((data_start, data_end))
    return crc


def _check_png_end(src: _Source, name: str, position: int, inflater, rows: _PngRows | None, seen_idat: bool) -> None:
    """After IEND: the image data complete, and nothing after the stream or the file's end."""
    if not seen_idat or not inflater.eof or rows.received != rows.expected:
        raise _corrupt_image(name, _("data gambar tidak lengkap"))
    if inflater.unused_data.strip(b"\x00"):
        raise _polyglot(name, _("data setelah aliran gambar"))
    if position < src.size:
        raise _polyglot(name, _("%(size)s bita setelah akhir PNG (IEND)") % {"size": src.size - position})


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
