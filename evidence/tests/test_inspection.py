"""``inspect_upload``: the type by content, the extension agreeing, and the checks that need more
than the corpus shows: reading in chunks (never the whole file), the limits from the settings,
phone photos that must not be taken for polyglots, files embedded in Office documents."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from evidence.models import FileType
from evidence.tests import hostile
from kks_portal.lib.files.errors import UploadRefused
from kks_portal.lib.files.inspection import CHUNK, EXTENSIONS, Inspection, inspect_upload


def refused(data: bytes, name: str) -> UploadRefused:
    with pytest.raises(UploadRefused) as info:
        inspect_upload(SimpleUploadedFile(name, data), name)
    return info.value


def on_disk(data: bytes, name: str) -> TemporaryUploadedFile:
    upload = TemporaryUploadedFile(name, "application/octet-stream", len(data), None)
    upload.write(data)
    upload.seek(0)
    return upload


@pytest.mark.parametrize("case", hostile.GOOD, ids=[case[0] for case in hostile.GOOD])
def test_good_files_in_memory_and_on_disk(case):
    _id, name, _content, file_type = case
    data = hostile.content_of(case)
    upload = on_disk(data, name)
    try:
        for candidate in (SimpleUploadedFile(name, data), upload):
            found = inspect_upload(candidate, name)
            assert found.file_type == file_type
            assert found.extension == EXTENSIONS[file_type][0]
            assert candidate.tell() == 0  # ready to be stored from the start
    finally:
        upload.close()


def test_image_sizes_are_read():
    assert inspect_upload(SimpleUploadedFile("a.jpg", hostile.jpeg_with_exif()), "a.jpg") == Inspection(
        FileType.JPEG, "jpg", 640, 480
    )
    assert inspect_upload(SimpleUploadedFile("a.png", hostile.png(120, 90)), "a.png").width == 120
    assert inspect_upload(SimpleUploadedFile("a.webp", hostile.webp(64, 48)), "a.webp").height == 48


@pytest.mark.parametrize(("name", "extension"), [("FOTO.JPEG", "jpg"), ("wa.jfif", "jpg"), ("x.jpe", "jpg")])
def test_every_jpeg_extension_is_stored_as_jpg(name, extension):
    assert inspect_upload(SimpleUploadedFile(name, hostile.jpeg()), name).extension == extension


class ReadSpy:
    """A file that remembers the largest single read asked of it."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.largest = 0

    def read(self, size=-1):
        chunk = self._data.read(size)
        self.largest = max(self.largest, len(chunk))
        return chunk

    def seek(self, *args):
        return self._data.seek(*args)

    def tell(self):
        return self._data.tell()

    def seekable(self):
        return True


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("besar.pdf", lambda: hostile.pdf_big(24 * 1024 * 1024)),
        ("besar.docx", lambda: hostile.docx({"word/media/pindaian.bin": hostile._random(4, 12 * 1024 * 1024)})),
        ("besar.png", lambda: hostile.png(2400, 1800, compress_level=0)),
    ],
)
def test_big_files_are_read_in_chunks_never_whole(name, make):
    data = make()
    spy = ReadSpy(data)
    inspect_upload(spy, name)
    assert len(data) > 8 * CHUNK
    assert spy.largest <= CHUNK


def test_inspecting_a_big_pdf_or_docx_keeps_python_memory_small():
    for name, data in (
        ("besar.pdf", hostile.pdf_big(24 * 1024 * 1024)),
        ("besar.docx", hostile.docx({"word/media/pindaian.bin": hostile._random(4, 24 * 1024 * 1024)})),
    ):
        upload = on_disk(data, name)
        del data
        try:
            tracemalloc.start()
            inspect_upload(upload, name)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            upload.close()
        assert peak < 6 * 1024 * 1024, (name, peak)


def test_the_pixel_limit_comes_from_the_settings(settings):
    photo = hostile.jpeg(1600, 1000)
    assert inspect_upload(SimpleUploadedFile("a.jpg", photo), "a.jpg").width == 1600
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 1_000_000
    problem = refused(photo, "a.jpg")
    assert problem.code == "image_too_large"
    assert "1600 × 1000" in problem.message


def test_pillows_own_bomb_guard_is_the_second_line(settings):
    """With our limit lifted, Pillow still refuses a 900-megapixel header before decoding."""
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 10**12
    problem = refused(hostile.jpeg_bomb(), "bom.jpg")
    assert problem.code == "image_too_large"
    assert "bom dekompresi" in problem.message


def test_the_unpacked_limit_comes_from_the_settings(settings):
    document = hostile.docx({"word/media/pindaian.bin": hostile._random(8, 3 * 1024 * 1024)})
    assert inspect_upload(SimpleUploadedFile("a.docx", document), "a.docx").file_type == FileType.DOCX
    settings.EVIDENCE_MAX_UNPACKED_MB = 2
    assert refused(document, "a.docx").code == "archive_bomb"


def test_office_files_embedded_in_a_docx_are_inspected_too():
    inner_macro = hostile.docx_macro()
    assert refused(hostile.docx({"word/embeddings/Lembar.xlsx": inner_macro}), "a.docx").code == "macro"
    nested_twice = hostile.docx({"word/embeddings/Lembar.docx": hostile.docx_with_embedded_xlsx()})
    assert refused(nested_twice, "a.docx").code == "nested_archive"
    outside_embeddings = hostile.docx({"word/media/Lembar.xlsx": hostile.xlsx()})
    assert refused(outside_embeddings, "a.docx").code == "nested_archive"


def test_the_budget_counts_what_embedded_files_inflate(settings):
    inner = hostile.zip_of(
        {
            "[Content_Types].xml": hostile.content_types(),
            "word/document.xml": hostile.DOCUMENT,
            "word/media/big.bin": hostile._random(2, 1536 * 1024),
        }
    )
    document = hostile.docx({"word/embeddings/Dokumen.docx": inner})
    assert inspect_upload(SimpleUploadedFile("a.docx", document), "a.docx").file_type == FileType.DOCX
    settings.EVIDENCE_MAX_UNPACKED_MB = 3  # the outer file alone fits; with what the inner one holds, not
    assert refused(document, "a.docx").code == "archive_bomb"


# --- What phones and offices really make is not a polyglot ----------------------------------------


def test_a_jpeg_with_xmp_metadata_is_accepted():
    xmp = (
        b"http://ns.adobe.com/xap/1.0/\x00<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        b"<rdf:Description rdf:about=''/></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    )
    data = hostile.jpeg_with_segment(0xE1, xmp)
    assert inspect_upload(SimpleUploadedFile("a.jpg", data), "a.jpg").file_type == FileType.JPEG


def test_jpeg_extras_phones_append_are_accepted():
    photo = hostile.jpeg()
    gain_map = hostile.jpeg(80, 60)  # Ultra HDR / MPF: a second JPEG after the first
    video = struct.pack(">I", 24) + b"ftypmp42" + b"\x00" * 12 + hostile._random(6, 200_000)  # motion photo
    samsung = b"MotionPhoto_Data" + video
    for data in (photo + gain_map, photo + video, photo + samsung, photo + b"\x00" * 4096):
        assert inspect_upload(SimpleUploadedFile("a.jpg", data), "a.jpg").file_type == FileType.JPEG


def _png_of_bytes(text: bytes) -> bytes:
    """A grey PNG whose rows (filter 0, zlib without compression) are ``text`` repeated: the
    bytes appear as such in the file."""
    width, height = 64, 16
    row = (text * (width // len(text) + 2))[:width]
    raw = b"".join(b"\x00" + row for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return hostile._png_rebuild([(b"IHDR", ihdr), (b"IDAT", zlib.compress(raw, 0)), (b"IEND", b"")])


def test_short_markers_in_pixel_data_are_chance_long_ones_are_not():
    """Pixel data is searched for long markers only (a 5-byte marker turns up by chance in about one
    5 MB photo in a few thousand); metadata and trailers for the short ones too."""
    chance = _png_of_bytes(b"<?php <html <body %PDF- ")
    assert inspect_upload(SimpleUploadedFile("a.png", chance), "a.png").file_type == FileType.PNG
    assert refused(_png_of_bytes(b"<script>alert(1)</script>"), "a.png").code == "polyglot"
    assert refused(hostile.png_with_text(b"Comment", b"<?php echo 1; ?>"), "a.png").code == "polyglot"


def test_a_zip_after_a_motion_photo_is_still_found():
    video = struct.pack(">I", 24) + b"ftypmp42" + b"\x00" * 12 + hostile._random(6, 100_000)
    assert refused(hostile.jpeg() + video + hostile.small_zip(), "a.jpg").code == "polyglot"


def test_a_zip_local_header_inside_a_pdf_stream_is_found():
    data = hostile.pdf(more=[hostile._stream(hostile.small_zip())])
    problem = refused(data, "a.pdf")
    assert problem.code == "polyglot"
    assert "ZIP" in problem.message


def test_chance_bytes_that_look_like_a_zip_header_are_not_a_polyglot():
    """``PK\\3\\4`` followed by nonsense (as random pixel data may hold) is no ZIP entry."""
    noise = b"PK\x03\x04" + b"\xff" * 26 + hostile._random(1, 200)
    data = hostile.pdf(more=[hostile._stream(noise)])
    assert inspect_upload(SimpleUploadedFile("a.pdf", data), "a.pdf").file_type == FileType.PDF


def test_a_pdf_written_by_pypdf_with_links_and_metadata_is_accepted():
    from pypdf import PdfWriter
    from pypdf.annotations import Link

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://kks.kemkes.go.id/"))
    writer.add_metadata({"/Title": "Notulen (JavaScript tidak ada di sini)"})
    out = io.BytesIO()
    writer.write(out)
    assert inspect_upload(SimpleUploadedFile("a.pdf", out.getvalue()), "a.pdf").file_type == FileType.PDF


def test_a_javascript_action_in_an_incremental_update_is_found():
    base = hostile.pdf()
    startxref = int(base.rsplit(b"startxref", 1)[1].split()[0])
    update_offset = len(base)
    catalog = b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (x) >> >>\nendobj\n"
    xref_offset = update_offset + len(catalog)
    update = (
        catalog
        + b"xref\n1 1\n%010d 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (update_offset, startxref, xref_offset)
    )
    problem = refused(base + update, "a.pdf")
    assert problem.code == "active_content"


def test_data_descriptors_between_entries_are_not_hidden_data():
    """ZIPs written to a stream (no seeking back) put a data descriptor after each entry."""

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buffer = bytearray()

        def writable(self):
            return True

        def write(self, data):
            self.buffer += data
            return len(data)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("[Content_Types].xml", "_rels/.rels", "word/document.xml"):
            content = {"[Content_Types].xml": hostile.content_types(), "_rels/.rels": hostile.RELS}.get(
                name, hostile.DOCUMENT
            )
            archive.writestr(zipfile.ZipInfo(name, hostile.ZIP_DATE), content)
    data = bytes(sink.buffer)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x08
    assert inspect_upload(SimpleUploadedFile("a.docx", data), "a.docx").file_type == FileType.DOCX


def test_the_main_part_is_the_one_the_package_relationships_name():
    """Word Online writes word/document2.xml; a DOCX is what _rels/.rels says it is."""
    rels = hostile.RELS.replace(b"word/document.xml", b"word/document2.xml")
    ct = hostile.content_types().replace(b"/word/document.xml", b"/word/document2.xml")
    online = hostile.zip_of({"[Content_Types].xml": ct, "_rels/.rels": rels, "word/document2.xml": hostile.DOCUMENT})
    assert inspect_upload(SimpleUploadedFile("a.docx", online), "a.docx").file_type == FileType.DOCX
    dangling = hostile.zip_of({"[Content_Types].xml": ct, "_rels/.rels": rels, "word/document.xml": hostile.DOCUMENT})
    problem = refused(dangling, "a.docx")
    assert problem.code == "corrupt"
    assert "word/document2.xml" in problem.message


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_entry_names_are_refused():
    data = hostile.zip_of(
        [
            ("[Content_Types].xml", hostile.content_types()),
            ("word/document.xml", hostile.DOCUMENT),
            ("word/document.xml", b"<w:document>lain</w:document>"),
        ]
    )
    assert refused(data, "a.docx").code == "polyglot"


def test_messages_name_the_file_and_say_what_to_do():
    problem = refused(hostile.pdf(), "Notulen Rapat.docx")
    assert "Notulen Rapat.docx" in problem.message
    assert ".pdf" in problem.message
    problem = refused(hostile.EXE, "undangan.pdf")
    assert "PDF, JPG, PNG, WebP, DOCX, XLSX" in problem.message


# --- The forums' SK scan and secretariat photos use the same inspection ---------------------------


def _decree_form(upload):
    from forums.forms import DecreeForm

    data = {"number": "400/1/2024", "date": "2024-01-15", "signer": "Camat Carenang", "valid_from": "2024-01-15"}
    form = DecreeForm(data, {"file": upload}, body=None)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("name", "make"), [("sk.pdf", hostile.pdf), ("sk.webp", hostile.webp), ("sk.jpg", hostile.jpeg)]
)
def test_the_sk_form_takes_a_pdf_or_a_photo(name, make):
    assert "file" not in _decree_form(SimpleUploadedFile(name, make())).errors


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        ("sk.docx", hostile.docx, "harus berupa PDF atau foto (JPG, PNG, WebP)"),
        ("sk.pdf", lambda: hostile.EXE, "harus berupa PDF atau foto"),
        ("sk.jpg", lambda: hostile.jpeg() + hostile.small_zip(), "menyembunyikan isi lain"),
        ("sk.pdf", lambda: hostile.pdf(b"/OpenAction << /S /JavaScript /JS (x) >> "), "/JavaScript"),
        ("sk.pdf", lambda: hostile.pdf_encrypted("rahasia"), "terenkripsi"),
        ("../sk.pdf", hostile.pdf, "jalur folder"),
    ],
)
def test_the_sk_form_refuses_what_evidence_refuses(name, make, fragment):
    upload = SimpleUploadedFile("x", make())
    upload._name = name  # as a client that is not Django's parser could send it
    errors = _decree_form(upload).errors["file"]
    assert fragment in errors[0]


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        ("papan.jpg", lambda: hostile.SVG, "bukan foto yang dapat dibaca"),
        ("papan.pdf", hostile.pdf, "bukan foto yang dapat dibaca"),
        ("papan.png", hostile.png_bomb, "20000 × 20000"),
        ("papan.png", lambda: hostile.png_with_text(b"Comment", b"<?php system('id'); ?>"), "menyembunyikan isi lain"),
        ("papan.jpg", lambda: hostile._cut(hostile.jpeg(), 0.5), "terpotong"),
    ],
)
def test_the_secretariat_photo_fields_refuse_what_evidence_refuses(name, make, fragment):
    from forums.forms import SecretariatForm

    form = SecretariatForm({"address": "Jl. Raya Carenang 1"}, {"name_board_photo": SimpleUploadedFile(name, make())})
    assert not form.is_valid()
    assert fragment in form.errors["name_board_photo"][0]
    good = SecretariatForm(
        {"address": "Jl. Raya Carenang 1"}, {"name_board_photo": SimpleUploadedFile("p.webp", hostile.webp())}
    )
    assert good.is_valid(), good.errors
