"""The refusal rules of one uploaded file, for whatever it is taken: evidence, an SK scan, a
sekretariat photo (docs/ARCHITECTURE.md, "The path of an upload")."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import UploadRefused
from .inspection import Inspection, inspect_upload
from .names import clean_filename
from .types import LABELS

MB = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    inspection: Inspection


def size_of(upload) -> int:
    """The size of an uploaded file, whether or not it says so itself."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


def check_file(upload, *, max_bytes: int, types: frozenset[str] | None = None) -> CheckedFile:
    """``UploadRefused`` for a bad name, an oversize (past ``max_bytes``, or cut off while
    streamed) or empty file, whatever the inspection finds (type by content from the allow-list,
    extension agreeing, polyglots, bombs, encrypted or broken files) and, given ``types``, a type
    outside them (``unsupported_type``); otherwise what was learnt of the file."""
    name = clean_filename(getattr(upload, "name", ""))
    size = size_of(upload)
    if getattr(upload, "oversize", False) or size > max_bytes:
        raise UploadRefused(
            "too_large",
            _("Berkas %(name)s lebih besar dari batas %(limit)s MB.") % {"name": name, "limit": max_bytes // MB},
        )
    if size == 0:
        raise UploadRefused("empty", _("Berkas %(name)s kosong.") % {"name": name})
    inspection = inspect_upload(upload, name)
    if types is not None and inspection.file_type not in types:
        raise UploadRefused(
            "unsupported_type",
            _("Berkas %(name)s berupa %(type)s; di sini hanya diterima %(allowed)s.")
            % {
                "name": name,
                "type": LABELS[inspection.file_type],
                "allowed": ", ".join(LABELS[file_type] for file_type in LABELS if file_type in types),
            },
        )
    return CheckedFile(name, size, inspection)
