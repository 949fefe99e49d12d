"""Putting a dossier together from its rendered chapters (pypdf).

The chapters are rendered on their own, without page numbers, so that a chapter does not depend
on where it lands and can be reused from one version to the next. This step adds what does
depend on the whole: the cover (version, date, QR code), the table of contents with page
numbers and links, the summary of scores, the footer "Halaman X dari Y" on every page but the
cover (a WeasyPrint document of empty pages whose CSS page counters make the numbers, laid over
the chapters' pages), the PDF bookmarks and the evidence PDFs as embedded attachments.

Chapter PDFs and attachments are opened from storage as files, not loaded up front; pypdf
still holds the assembled document in memory until it is written to ``output`` (a file).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import IO

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject
from weasyprint import HTML

from .html import PortalURLFetcher, static_base_url, template_to_pdf

LINK_SCHEME = "kks-bab:"
SUMMARY_ANCHOR = "ringkasan"


@dataclass(frozen=True)
class MergeChapter:
    key: str
    title: str
    number: str
    group: str
    group_title: str
    file_name: str  # in the default storage
    pages: int


@dataclass(frozen=True)
class Attachment:
    name: str  # as shown in the PDF reader's attachment panel
    file_name: str  # in the default storage


@dataclass
class MergeResult:
    page_count: int
    front_pages: int
    starts: dict[str, int] = field(default_factory=dict)  # chapter key → first page (1-based)
    outline: list[tuple[int, str, int]] = field(default_factory=list)  # (level, title, page 1-based)


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def toc_entries(chapters: list[MergeChapter], *, first_chapter_page: int, summary_page: int) -> list[dict]:
    """Table of contents lines: the summary, then each chapter, a group heading before the first
    chapter of a group (pointing at it)."""
    entries = [{"key": SUMMARY_ANCHOR, "number": "", "title": _("Ringkasan Capaian"), "page": summary_page}]
    entries[0]["css"] = "chapter"
    page = first_chapter_page
    seen_groups = set()
    for chapter in chapters:
        if chapter.group and chapter.group not in seen_groups:
            seen_groups.add(chapter.group)
            entries.append(
                {
                    "key": chapter.key,
                    "number": chapter.number.split(".")[0] + ".",
                    "title": chapter.group_title,
                    "page": page,
                    "css": "group",
                }
            )
        entries.append(
            {
                "key": chapter.key,
                "number": chapter.number if chapter.group else chapter.number + ".",
                "title": chapter.title,
                "page": page,
                "css": "sub" if chapter.group else "chapter",
            }
        )
        page += chapter.pages
    return entries


def _render_front(context: dict, chapters: list[MergeChapter], cover_pages: int):
    """The table of contents and summary, laid out until its own length stops changing the page
    numbers it prints (two passes as a rule)."""
    front_pages, summary_index = 1, 0
    for _attempt in range(5):
        with translation.override("id"):
            entries = toc_entries(
                chapters,
                first_chapter_page=cover_pages + front_pages + 1,
                summary_page=cover_pages + summary_index + 1,
            )
            html = render_to_string("dossiers/pdf/front.html", {**context, "entries": entries})
        document = HTML(string=html, base_url=static_base_url(), url_fetcher=PortalURLFetcher()).render()
        found = next((i for i, page in enumerate(document.pages) if SUMMARY_ANCHOR in page.anchors), 0)
        if len(document.pages) == front_pages and found == summary_index:
            break
        front_pages, summary_index = len(document.pages), found
    else:  # pragma: no cover - the layout converges in two passes
        raise RuntimeError("table of contents did not settle")
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), front_pages, summary_index


def _link_toc(writer: PdfWriter, *, pages: range, targets: dict[str, int]) -> int:
    """Turn the table of contents' ``kks-bab:<key>`` links into links to the chapters' pages."""
    linked = 0
    for index in pages:
        for annotation in writer.pages[index].get("/Annots", []):
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not (isinstance(uri, str) and uri.startswith(LINK_SCHEME)):
                continue
            target = targets.get(uri[len(LINK_SCHEME) :])
            del annotation["/A"]
            if target is None:
                continue
            annotation[NameObject("/Dest")] = ArrayObject([writer.pages[target].indirect_reference, NameObject("/Fit")])
            linked += 1
    return linked


def dossier_merge(
    *,
    cover_context: dict,
    front_context: dict,
    chapters: list[MergeChapter],
    attachments: list[Attachment],
    footer_text: str,
    metadata: dict[str, str],
    output: IO[bytes],
) -> MergeResult:
    """Write the whole dossier to ``output``."""
    cover_pdf = template_to_pdf("dossiers/pdf/cover.html", cover_context)
    cover_pages = _pages(cover_pdf)
    front_pdf, front_pages, summary_index = _render_front(front_context, chapters, cover_pages)
    total = cover_pages + front_pages + sum(chapter.pages for chapter in chapters)
    footer_pdf = template_to_pdf("dossiers/pdf/footer.html", {"pages": range(total), "footer_text": footer_text})

    result = MergeResult(page_count=total, front_pages=front_pages)
    writer = PdfWriter()
    with contextlib.ExitStack() as stack:
        writer.append(PdfReader(io.BytesIO(cover_pdf)), import_outline=False)
        writer.append(PdfReader(io.BytesIO(front_pdf)), import_outline=False)
        page = cover_pages + front_pages
        for chapter in chapters:
            handle = stack.enter_context(default_storage.open(chapter.file_name, "rb"))
            reader = PdfReader(handle)
            if len(reader.pages) != chapter.pages:
                raise RuntimeError(f"chapter {chapter.key} has {len(reader.pages)} pages, expected {chapter.pages}")
            writer.append(reader, import_outline=False)
            result.starts[chapter.key] = page + 1
            page += chapter.pages
        if len(writer.pages) != total:  # pragma: no cover - guarded per chapter above
            raise RuntimeError("page count mismatch")

        footer = PdfReader(io.BytesIO(footer_pdf))
        for index in range(1, total):
            writer.pages[index].merge_page(footer.pages[index])

        summary_page = cover_pages + summary_index
        targets = {key: start - 1 for key, start in result.starts.items()}
        targets[SUMMARY_ANCHOR] = summary_page
        _link_toc(writer, pages=range(cover_pages, cover_pages + front_pages), targets=targets)

        with translation.override("id"):
            result.outline = _outline(chapters, result.starts, cover_pages=cover_pages, summary_page=summary_page)
        parents: dict[int, object] = {}
        for level, title, number in result.outline:
            item = writer.add_outline_item(title=title, page_number=number - 1, parent=parents.get(level - 1))
            parents[level] = item

        for attachment in attachments:
            with default_storage.open(attachment.file_name, "rb") as handle:
                writer.add_attachment(attachment.name, handle.read())

        writer.add_metadata({f"/{key}": value for key, value in metadata.items()})
        writer.write(output)
    return result


def _outline(
    chapters: list[MergeChapter], starts: dict[str, int], *, cover_pages: int, summary_page: int
) -> list[tuple[int, str, int]]:
    """Bookmarks: (level, title, page) with level 0 at the top; a group's chapters under its heading."""
    outline = [
        (0, _("Sampul"), 1),
        (0, _("Daftar Isi"), cover_pages + 1),
        (0, _("Ringkasan Capaian"), summary_page + 1),
    ]
    seen_groups = set()
    for chapter in chapters:
        start = starts[chapter.key]
        if chapter.group:
            if chapter.group not in seen_groups:
                seen_groups.add(chapter.group)
                outline.append((0, f"{chapter.number.split('.')[0]}. {chapter.group_title}", start))
            outline.append((1, f"{chapter.number} {chapter.title}", start))
        else:
            outline.append((0, f"{chapter.number}. {chapter.title}", start))
    return outline
