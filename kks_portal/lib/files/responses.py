"""The one way a private file leaves the portal: ``protected_file_response``.

Every download (evidence files, dossier PDFs, berita acara, SK scans, secretariat photos, Excel
and SIPANTAS exports) is answered by this builder, after the view has checked the user's scope.
The response never trusts the file:

* ``Content-Disposition`` in both forms of RFC 6266 (an ASCII ``filename=`` and a UTF-8
  ``filename*=``), inline or attachment;
* ``X-Content-Type-Options: nosniff``: the type is the one we decided, never the browser's guess;
* a Content-Security-Policy that keeps anything active in the file from running with the portal's
  origin (``CSP_SANDBOXED``; ``CSP_PDF_INLINE`` for a PDF shown in the browser);
* ``Cache-Control: private, no-store``, or ``private, no-cache`` with an ETag (the browser may
  keep the file but asks again, so the scope is checked again and answered with a 304).

How the bytes of a stored file leave (``DOWNLOAD_ACCEL``):

* ``none``: Django streams the file in chunks (``FileResponse``; never read whole into memory).
* ``nginx``: an empty answer with ``X-Accel-Redirect: DOWNLOAD_ACCEL_PREFIX + storage name``;
  nginx's ``internal`` location sends the file from the media folder.
* ``sendfile``: an empty answer with ``X-Sendfile: <absolute path>`` (Apache, lighttpd).

Both accelerations need the file on the web server's disk in the media folder, so they apply only
to the default storage on the file system; with S3 storage Django always streams: the web server
cannot read a private bucket, and redirecting the browser to a presigned S3 URL would hand out a
link that works for anyone holding it (no scope check) and that answers with S3's headers instead
of ours (no nosniff, no CSP, no clean file name).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response

from .names import content_disposition
from .streams import local_path, open_sized_stream

# Files are shown, never run: no scripts, no plugins, no forms, a unique origin (sandbox).
CSP_SANDBOXED = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
# Chromium refuses to start its PDF viewer in a sandboxed document ("blocked by Chrome"), so a
# PDF shown inline goes without ``sandbox``; its type was checked by content when stored, and
# the viewer runs the PDF in its own process, without access to the portal's origin.
CSP_PDF_INLINE = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
NO_STORE = "private, no-store"
REVALIDATE = "private, no-cache"  # with an ETag: the browser may keep it, but asks again (scope checked, 304)
CHUNK = 256 * 1024


def file_csp(content_type: str, *, inline: bool) -> str:
    """The policy a file is served under: sandboxed, except a PDF shown in the browser."""
    return CSP_PDF_INLINE if inline and content_type == "application/pdf" else CSP_SANDBOXED


def protected_file_response(
    request,
    *,
    content_type: str,
    filename: str,
    inline: bool = False,
    name: str | None = None,
    storage: Storage | None = None,
    content: bytes | None = None,
    chunks: Iterable[bytes] | None = None,
    extension: str | None = None,
    etag: str | None = None,
) -> HttpResponse:
    """A response carrying a private file, with the headers above.

    The file is either stored (``name`` in ``storage``, the default storage if not given; pass
    a ``FieldFile``'s ``.name`` and ``.storage``), made in memory (``content``) or made while it
    is sent (``chunks``, e.g. ``archives.zip_stream``: no length is known beforehand). A stored file
    that is missing is a 404. ``filename`` is what the user's browser saves it as; ``extension``
    completes the ASCII stand-in when the name has none (by default the filename's own). With an
    ``etag`` (already quoted) the answer may be a 304 and the browser keeps the file.
    """
    if sum(source is not None for source in (name, content, chunks)) != 1:
        raise ValueError("protected_file_response needs exactly one of name=, content= and chunks=")
    if extension is None:
        extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    headers = {
        "Cache-Control": REVALIDATE if etag else NO_STORE,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": file_csp(content_type, inline=inline),
        "Content-Disposition": content_disposition(filename, inline=inline, extension=extension),
        "Referrer-Policy": "same-origin",
    }
    if etag:
        headers["ETag"] = etag
    if inline:
        headers["X-Frame-Options"] = "SAMEORIGIN"  # the portal may show it in its own pages

    if etag:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            for header in ("ETag", "Cache-Control"):
                not_modified[header] = headers[header]
            return not_modified

    if content is not None:
        response = HttpResponse(content, content_type=content_type)
    elif chunks is not None:
        response = StreamingHttpResponse(chunks, content_type=content_type)
    else:
        response = _stored(request, name, storage, content_type)
    for header, value in headers.items():
        response[header] = value
    return response


def _stored(request, name: str, storage: Storage | None, content_type: str) -> HttpResponse:
    storage = storage if storage is not None else default_storage
    accel = settings.DOWNLOAD_ACCEL
    # The web server knows only the media folder: only the default storage can be handed over.
    path = local_path(name, storage) if storage is default_storage else None
    if accel != "none" and path is not None:
        if not os.path.exists(path):
            raise Http404
        response = HttpResponse(b"", content_type=content_type)
        if accel == "nginx":
            prefix = settings.DOWNLOAD_ACCEL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        else:
            response["X-Sendfile"] = path
        return response
    try:
        stream, size = open_sized_stream(name, storage)
    except FileNotFoundError as error:
        raise Http404 from error
    if request.method == "HEAD":
        stream.close()
        response = HttpResponse(b"", content_type=content_type)
    else:
        response = FileResponse(stream, content_type=content_type)
        response.block_size = CHUNK
    response["Content-Length"] = str(size)
    return response
