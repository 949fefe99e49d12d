"""The allow-list of file types the portal takes, decided by content (never by the name alone).

``FileType`` is stored in ``evidence.Blob.file_type`` (its migration holds the choices as
literals, so the class can live here); forums' SK scans and photos use a subset of it.
"""

from __future__ import annotations

from django.db import models


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


IMAGE_TYPES = frozenset({FileType.JPEG, FileType.PNG, FileType.WEBP})
# What each type is served as.
CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.WEBP: "image/webp",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Content → extensions accepted; the first is the one stored.
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


def content_type_for(name: str) -> str:
    """The type a stored file is served as, from its extension: only for files whose extension was
    checked against their content when they were taken (the inspection refuses a PDF named .jpg).
    Anything else is served as opaque bytes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for file_type, extensions in EXTENSIONS.items():
        if extension in extensions:
            return CONTENT_TYPES[file_type]
    return "application/octet-stream"
