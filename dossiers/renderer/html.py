"""HTML → PDF with WeasyPrint, fetching nothing but our own files.

Templates refer to fonts relative to the static folder (``base_url``) and to stored images as
``kks-media:<storage name>`` (read through the default storage, so local disk and S3 behave the
same). Everything else (http, https, ftp, data, a file outside the static folders) is refused, so
rendering never touches the network and a crafted name cannot read the server's files.

Chapters are rendered with a user-agent stylesheet of our own (``ChapterHTML``) and, in each
process and thread, one WeasyPrint font configuration for every render (``font_config``): both
spare WeasyPrint work it would repeat for every chapter (docs/PERFORMANCE.md, "Dossier compile").
"""

from __future__ import annotations

import atexit
import io
import logging
import mimetypes
import os
import threading
from functools import cache
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

MEDIA_SCHEME = "kks-media:"
# Only derived (downscaled) images and nothing else may be embedded from storage.
MEDIA_FOLDERS = ("bukti-turunan/",)
USER_AGENT_CSS = Path(__file__).resolve().parent.parent / "templates" / "dossiers" / "pdf" / "_user_agent.css"


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


@cache
def chapter_user_agent() -> CSS:
    return CSS(string=USER_AGENT_CSS.read_text())


class ChapterHTML(HTML):
    """A chapter's HTML, styled by our user-agent stylesheet instead of WeasyPrint's (``_user_agent.css``).

    WeasyPrint asks its ``HTML`` for the user-agent sheets; were the hook renamed, chapters would
    again get WeasyPrint's own sheet, which gives them the same look at a higher cost.
    """

    def _ua_stylesheets(self, forms=False):
        return [chapter_user_agent()]


_fonts = threading.local()


def font_config() -> FontConfiguration:
    """This process's and thread's font configuration, made once and kept.

    A new one per render (WeasyPrint's default) loads the system's fontconfig setup and our
    @font-face files again and starts Pango's caches empty, at every chapter. It is not shared
    between threads (Pango and fontconfig are not thread-safe) nor across a fork (the Celery pool).
    """
    if getattr(_fonts, "pid", None) != os.getpid():
        _fonts.pid, _fonts.config = os.getpid(), FontConfiguration()
        atexit.register(_drop_fonts, _fonts.config, os.getpid())
    return _fonts.config


def _drop_fonts(config: FontConfiguration, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child, whose parent still uses them
        config.__del__()  # removes its copies of the @font-face files


def html_to_pdf(html: str, *, fetcher: PortalURLFetcher | None = None, chapter: bool = False) -> bytes:
    """Render one HTML document to PDF bytes (``chapter``: with our user-agent stylesheet)."""
    document = (ChapterHTML if chapter else HTML)(
        string=html, base_url=static_base_url(), url_fetcher=fetcher or PortalURLFetcher()
    )
    buffer = io.BytesIO()
    document.write_pdf(buffer, font_config=font_config())
    return buffer.getvalue()


def template_to_pdf(
    template: str, context: dict, *, fetcher: PortalURLFetcher | None = None, chapter: bool = False
) -> bytes:
    """Render a PDF template in Indonesian (the dossier's language, whoever asks for it)."""
    with translation.override("id"):
        html = render_to_string(template, context)
    return html_to_pdf(html, fetcher=fetcher, chapter=chapter)
