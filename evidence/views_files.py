"""Downloads of evidence files: the original, the thumbnail and the ≤ 1600 px copy.

Every file is reached only through ``evidence.selectors.file_for``: outside the user's scope a
file does not exist (404), logged out the user is sent to the login page. The response never
trusts the upload: the type is the one decided by content when the file was stored, browsers
are told not to sniff, and a Content-Security-Policy keeps anything active in the file from
running with the portal's origin.

The thumbnail and the ≤ 1600 px copy are made by the photo task; until it has run, the original
stands in for them (so a photo shows at once after upload); for documents and for images that
could not be decoded there is no copy (404).

How the bytes leave (``DOWNLOAD_ACCEL``):

* ``none``: Django streams the file in chunks (``FileResponse``; never read whole into memory).
* ``nginx``: an empty answer with ``X-Accel-Redirect: DOWNLOAD_ACCEL_PREFIX + storage name``;
  nginx's ``internal`` location sends the file from the media folder.
* ``sendfile``: an empty answer with ``X-Sendfile: <absolute path>`` (Apache, lighttpd).

Both accelerations need the file on the web server's disk, so with S3 storage Django always
streams: the web server cannot read a private bucket, and redirecting the browser to a
presigned S3 URL would hand out a link that works for anyone holding it (no scope check) and
that answers with S3's headers instead of ours (no nosniff, no CSP, no clean file name).
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from .models import Blob, EvidenceFile, FileType
from .selectors import file_for
from .storage_streams import local_path, open_sized_stream

# Files are shown, never run: no scripts, no plugins, no forms, a unique origin (sandbox).
CSP_SANDBOXED = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
# Chromium refuses to start its PDF viewer in a sandboxed document ("blocked by Chrome"), so a
# PDF shown inline goes without ``sandbox``; its type was checked by content when stored, and
# the viewer runs the PDF in its own process, without access to the portal's origin.
CSP_PDF_INLINE = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
CACHE_CONTROL = "private, no-cache"  # the browser may keep it, but asks again (scope checked, 304)
CHUNK = 256 * 1024

VARIANT_SUFFIX = {"thumbnail": "kecil", "preview": "1600px"}


# --- Names --------------------------------------------------------------------------------------

_NOT_QUOTABLE = re.compile(r"[^A-Za-z0-9._\- ()\[\]+,&]+")


def ascii_filename(name: str, fallback_extension: str) -> str:
    """An ASCII stand-in for old clients (``filename=``): accents dropped, the rest replaced."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"\s+", " ", _NOT_QUOTABLE.sub("_", plain))
    stem, _dot, extension = plain.rpartition(".") if "." in plain else (plain, "", "")
    stem = stem.strip(" ._")
    if not stem:
        return f"berkas.{fallback_extension}"
    return f"{stem[:140]}.{extension or fallback_extension}"


def content_disposition(name: str, *, inline: bool, extension: str) -> str:
    """Both forms of RFC 6266: ``filename=`` (ASCII) and ``filename*=UTF-8''…`` (RFC 5987)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(name, extension)}\"; filename*=UTF-8''{quote(name, safe='')}"


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

    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP_PDF_INLINE if inline and content_type == "application/pdf" else CSP_SANDBOXED,
        "Content-Disposition": content_disposition(filename, inline=inline, extension=extension),
        "Referrer-Policy": "same-origin",
    }
    if inline:
        headers["X-Frame-Options"] = "SAMEORIGIN"  # the portal may show it in its own pages

    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        for header in ("ETag", "Cache-Control"):
            not_modified[header] = headers[header]
        return not_modified

    path = local_path(name)
    accel = settings.DOWNLOAD_ACCEL
    if accel != "none" and path is not None:
        if not os.path.exists(path):
            raise Http404
        response = HttpResponse(b"", content_type=content_type)
        if accel == "nginx":
            prefix = settings.DOWNLOAD_ACCEL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        else:
            response["X-Sendfile"] = path
    else:
        try:
            stream, size = open_sized_stream(name)
        except FileNotFoundError as error:
            raise Http404 from error
        if request.method == "HEAD":
            stream.close()
            response = HttpResponse(b"", content_type=content_type)
        else:
            response = FileResponse(stream, content_type=content_type)
            response.block_size = CHUNK
        response["Content-Length"] = str(size)
    for header, value in headers.items():
        response[header] = value
    return response


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
