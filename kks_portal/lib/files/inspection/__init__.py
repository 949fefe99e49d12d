"""What an uploaded file really is, and whether the portal takes it.

``inspect_upload(upload, name)`` decides the type from the CONTENT (never from the name alone),
checks that the extension agrees, and looks for what makes a file dangerous or useless. It returns
an ``Inspection`` or raises ``kks_portal.lib.files.errors.UploadRefused(code, message)`` with an Indonesian
message naming the file. Files are read in chunks (a 200 MB upload is never held in memory); the
upload may be a temporary file on disk or an in-memory file.

Allow-list (content → extensions accepted; the first is the one stored):
    PDF  → pdf        JPEG → jpg, jpeg, jfif, jpe        PNG → png        WebP → webp
    DOCX → docx       XLSX → xlsx

Refusal codes (the API passes them on; ``names.clean_filename`` adds bad_name, evidence adds empty, too_large):
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

The checks live by format: ``sniff`` (type and extension), ``images``, ``pdf``, ``office``
(DOCX/XLSX), on the reading and hidden-content helpers of ``common``.
"""

from __future__ import annotations

from ..types import EXTENSIONS, FileType
from .common import CHUNK, Inspection, _Source
from .images import _inspect_image
from .office import _inspect_ooxml
from .pdf import _inspect_pdf
from .sniff import _check_extension, _sniff

__all__ = ["CHUNK", "EXTENSIONS", "Inspection", "inspect_upload"]

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
