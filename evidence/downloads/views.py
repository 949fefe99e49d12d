"""Downloads of evidence files: the original, the thumbnail and the ≤ 1600 px copy.

Every file is reached only through ``evidence.selectors.file_for``: outside the user's scope a
file does not exist (404), logged out the user is sent to the login page. The response never
trusts the upload: the type is the one decided by content when the file was stored, browsers
are told not to sniff, and a Content-Security-Policy keeps anything active in the file from
running with the portal's origin.

The thumbnail and the ≤ 1600 px copy are made by the photo task; until it has run, the original
stands in for them (so a photo shows at once after upload); for documents and for images that
could not be decoded there is no copy (404).

The headers and how the bytes leave (``DOWNLOAD_ACCEL``) are those of every protected file:
see ``kks_portal.lib.files.responses``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from kks_portal.lib.files.responses import protected_file_response

from ..models import Blob, EvidenceFile, FileType
from ..selectors import file_for

VARIANT_SUFFIX = {"thumbnail": "kecil", "preview": "1600px"}


# --- Names --------------------------------------------------------------------------------------


def derived_name(original_name: str, variant: str) -> str:
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    return f"{stem}-{VARIANT_SUFFIX[variant]}.jpg"


# --- Views --------------------------------------------------------------------------------------


def _can_show_inline(blob: Blob) -> bool:
    return blob.is_image or blob.file_type == FileType.PDF


def _serve(request, pk: int, variant: str):
    evidence: EvidenceFile = file_for(request.user, pk)
    blob = evidence.blob
    field = None if variant == "original" else (blob.thumbnail if variant == "thumbnail" else blob.preview)
    stand_in = False
    if field is not None and not field.name:
        if not blob.is_image or blob.processed_at is not None:
            raise Http404  # a document, or a photo that cannot be decoded
        # A photo the worker has not processed yet: the original stands in, inline, so that lists
        # and galleries show it at once (under the original's ETag: the copy replaces it when made).
        variant, field, stand_in = "original", None, True
    if variant == "original":
        name = blob.file.name
        content_type = blob.content_type
        inline = stand_in or (request.GET.get("inline") == "1" and _can_show_inline(blob))
        filename = evidence.original_name
        extension = blob.file.name.rsplit(".", 1)[-1]
        etag = quote_etag(blob.sha256)
    else:
        name = field.name
        content_type = "image/jpeg"
        inline = True
        filename = derived_name(evidence.original_name, variant)
        extension = "jpg"
        etag = quote_etag(f"{blob.sha256}-{variant}")

    return protected_file_response(
        request,
        name=name,
        content_type=content_type,
        filename=filename,
        inline=inline,
        extension=extension,
        etag=etag,
    )


@login_required
@require_safe
def file_download(request, pk):
    """The original as uploaded: an attachment, or shown in the browser with ``?inline=1``
    (images and PDFs only)."""
    return _serve(request, pk, "original")


@login_required
@require_safe
def file_thumbnail(request, pk):
    """The ≤ 320 px JPEG copy of a photo, shown inline."""
    return _serve(request, pk, "thumbnail")


@login_required
@require_safe
def file_preview(request, pk):
    """The ≤ 1600 px JPEG copy of a photo (no EXIF, no GPS), shown inline."""
    return _serve(request, pk, "preview")
