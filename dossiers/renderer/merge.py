"""Putting a dossier together from its rendered chapters (pypdf).

The chapters are rendered on their own, without page numbers, so that a chapter does not depend
on where it lands and can be reused from one version to the next. This step adds what does
depend on the whole: the cover (version, date, QR code), the table of contents with page
numbers and links, the summary of scores, the footer "Halaman X dari Y" on every page but the
cover, the PDF bookmarks and the evidence PDFs as embedded attachments.

The footer: WeasyPrint lays out its pieces once, in our font (the left text, "Halaman", each
digit, "dari Y"); every page gets a small form XObject that writes its own "Halaman X dari Y"
line from those glyphs, right-aligned, and the left text.
Rendering a page of footer per page of dossier with CSS page counters, then laying each over its
page with pypdf's ``merge_page``, cost 14 + 11 ms a page: 50 s for a 2,000-page dossier; this
costs well under 1 ms a page.

Chapter PDFs and attachments are opened from storage as files, not loaded up front; pypdf
still holds the assembled document in memory until it is written to ``output`` (a file).
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from typing import IO

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import HTML

from .html import PortalURLFetcher, static_base_url, template_to_pdf

LINK_SCHEME = "kks-bab:"
SUMMARY_ANCHOR = "ringkasan"
PX = 0.75  # a CSS px in PDF points
MM = 72 / 25.4
FOOTER_LEFT = 18 * MM  # the pages' side margins (_style.css)
FOOTER_RIGHT = (210 - 18) * MM


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
    footer_pdf, footer_widths = _footer_parts(footer_text, total)

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

        _stamp_footers(writer, footer_pdf, footer_widths, first=cover_pages)

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


# --- Page footers -----------------------------------------------------------------------------------


def _footer_parts(footer_text: str, total: int) -> tuple[bytes, dict[str, float]]:
    """The footer's pieces, one per page of a small PDF, and the width of each (points)."""
    nbsp = "\u00a0"
    parts = [
        ("kiri", footer_text),
        ("halaman", _("Halaman") + nbsp),
        ("dari", f"{nbsp}{_('dari')}{nbsp}{total}"),
        *((f"angka-{digit}", str(digit)) for digit in range(10)),
    ]
    html = render_to_string("dossiers/pdf/footer.html", {"parts": parts})
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=PortalURLFetcher()).render()
    widths = {}
    for page, (key, _text) in zip(document.pages, parts, strict=True):
        x1, _y1, x2, _y2 = page.anchors[key]
        widths[key] = (x2 - x1) * PX
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), widths


def _stream(writer: PdfWriter, data: bytes, **entries):
    stream = DecodedStreamObject()
    stream.set_data(data)
    if len(data) > 200:
        stream = stream.flate_encode()
    stream.update({NameObject(key): value for key, value in entries.items()})
    return writer._add_object(stream)  # pypdf has no public call for a free-standing object


# WeasyPrint 70 draws a one-line text as: graphics state, BT, Tm at the line's origin, Tf, one
# TJ array of glyph codes, ET. The number line is that of "Halaman " with the page number's and
# " dari Y"'s glyph codes appended, so it is one piece of text (searchable, copied as one line).
TEXT_LINE = re.compile(
    rb"^(?P<head>.*?BT\n)1 0 0 -1 (?P<x>-?[\d.]+) (?P<y>-?[\d.]+) Tm\n(?P<font>/\S+ [\d.]+ Tf\n)"
    rb"\[(?P<glyphs>.*)\] TJ\n(?P<tail>ET\n.*)$",
    re.DOTALL,
)


def _text_line(data: bytes, key: str) -> re.Match:
    match = TEXT_LINE.match(data)
    if match is None:  # pragma: no cover - guards an upgrade of WeasyPrint
        raise RuntimeError(f"unexpected content stream for footer part {key!r}")
    return match


def _stamp_footers(writer: PdfWriter, parts_pdf: bytes, widths: dict[str, float], *, first: int) -> None:
    """Place "<left text>" and "Halaman X dari Y" on every page from ``first`` (0-based) on."""
    pages = dict(zip(widths, PdfReader(io.BytesIO(parts_pdf)).pages, strict=True))
    streams = {key: page["/Contents"].get_object().get_data() for key, page in pages.items()}
    resources = pages["halaman"]["/Resources"].clone(writer)
    form = {"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"), "/Resources": resources}
    left = _stream(writer, streams["kiri"], **form, **{"/BBox": ArrayObject(pages["kiri"].mediabox)})
    bbox = ArrayObject(pages["halaman"].mediabox)
    line = _text_line(streams["halaman"], "halaman")
    glyphs = {key: _text_line(streams[key], key)["glyphs"] for key in widths if key != "kiri"}
    save, restore = _stream(writer, b"q\n"), _stream(writer, b"\nQ\n")

    for index in range(first, len(writer.pages)):
        number = str(index + 1)
        width = widths["halaman"] + sum(widths[f"angka-{figure}"] for figure in number) + widths["dari"]
        x = float(line["x"]) + (FOOTER_RIGHT - width) / PX
        text = b"".join(glyphs[f"angka-{figure}"] for figure in number)
        data = (
            line["head"]
            + f"1 0 0 -1 {x:.3f} ".encode()
            + line["y"]
            + b" Tm\n"
            + line["font"]
            + b"["
            + glyphs["halaman"]
            + text
            + glyphs["dari"]
            + b"] TJ\n"
            + line["tail"]
        )
        numbers = _stream(writer, data, **form, **{"/BBox": bbox})

        page = writer.pages[index]
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        page_resources = page["/Resources"].get_object()
        if "/XObject" not in page_resources:
            page_resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = page_resources["/XObject"].get_object()
        xobjects[NameObject("/KKSFooterLeft")] = left
        # Pages of one chapter may share their resources: each page's line gets a name of its own.
        name = f"/KKSFooter{index + 1}"
        xobjects[NameObject(name)] = numbers
        footer = _stream(writer, f"q 1 0 0 1 {FOOTER_LEFT:.2f} 0 cm /KKSFooterLeft Do Q q {name} Do Q".encode())
        contents = page.raw_get("/Contents")
        original = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *original, restore, footer])
