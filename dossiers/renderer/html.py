"""HTML → PDF with WeasyPrint, fetching nothing but our own files.

Templates refer to fonts relative to the static folder (``base_url``) and to stored images as
``kks-media:<storage name>`` (read through the default storage, so local disk and S3 behave the
same). Everything else (http, https, ftp, data, a file outside the static folders) is refused, so
rendering never touches the network and a crafted name cannot read the server's files.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

MEDIA_SCHEME = "kks-media:"
# Only derived (downscaled) images and nothing else may be embedded from storage.
MEDIA_FOLDERS = ("bukti-turunan/",)


class FetchRefused(ValueError):
    """A URL the dossier renderer does not fetch."""


def static_roots() -> list[Path]:
    roots = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_base_url() -> str:
    """The folder relative URLs in the PDF templates (fonts) resolve against."""
    return Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"


class PortalURLFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the static folders and ``kks-media:`` names of derived images."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("file", "kks-media"), allow_redirects=False, **kwargs)
        self.fetched: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(MEDIA_SCHEME):
            name = url[len(MEDIA_SCHEME) :]
            if ".." in name.split("/") or not name.startswith(MEDIA_FOLDERS):
                raise FetchRefused(f"not a derived image: {url}")
            handle = default_storage.open(name, "rb")
            self.fetched.append(url)
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, handle, {"Content-Type": content_type})
        if url.startswith("file:"):
            path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
            if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
                raise FetchRefused(f"outside the static folders: {url}")
            self.fetched.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.open("rb"), {"Content-Type": content_type})
        raise FetchRefused(f"no network fetches in dossiers: {url}")


def html_to_pdf(html: str, *, fetcher: PortalURLFetcher | None = None) -> bytes:
    """Render one HTML document to PDF bytes."""
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher or PortalURLFetcher())
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue()


def template_to_pdf(template: str, context: dict, *, fetcher: PortalURLFetcher | None = None) -> bytes:
    """Render a PDF template in Indonesian (the dossier's language, whoever asks for it)."""
    with translation.override("id"):
        html = render_to_string(template, context)
    return html_to_pdf(html, fetcher=fetcher)
