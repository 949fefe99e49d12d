"""Putting a dossier together from its rendered chapters.

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

The dossier is written to ``output`` object by object (``_PdfOut``): every page is numbered
first, then each chapter is read (pypdf's reader), its objects copied renumbered, their streams
(photos and all) byte for byte without decoding, and let go before the next chapter; the
attachments are copied from storage in pieces. Memory holds one chapter and the offsets of the
objects written, not the dossier: assembling a 1,200-page, 250 MB dossier with pypdf's writer
(which keeps everything until it writes) took some 500 MB and 5 s more.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import IO

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    create_string_object,
)
from weasyprint import HTML

from .html import PortalURLFetcher, static_base_url, template_to_pdf

LINK_SCHEME = "kks-bab:"
SUMMARY_ANCHOR = "ringkasan"
PX = 0.75  # a CSS px in PDF points
MM = 72 / 25.4
FOOTER_LEFT = 18 * MM  # the pages' side margins (_style.css)
FOOTER_RIGHT = (210 - 18) * MM
COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class MergeChapter:
    key: str
    title: str
    number: str
    group: str
    group_title: str
    file_name: str  # in the default storage
    pages: int
    part: int = 1  # a part after the first continues its chapter: no line in the contents, no bookmark


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
        if chapter.part > 1:
            page += chapter.pages
            continue
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


# About how many lines of the table of contents a page holds (a long title takes two): the first
# layout starts from the length this predicts and is, as a rule, the only one.
TOC_LINES_PER_PAGE = 38


def _render_front(context: dict, chapters: list[MergeChapter], cover_pages: int):
    """The table of contents and summary (a page of its own), laid out until its own length stops
    changing the page numbers it prints: once when the first guess of its length holds."""
    lines = len(toc_entries(chapters, first_chapter_page=1, summary_page=1))
    summary_index = max(1, -(-lines // TOC_LINES_PER_PAGE))
    front_pages = summary_index + 1
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
    else:  # pragma: no cover - the layout converges in two passes at most
        raise RuntimeError("table of contents did not settle")
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), front_pages, summary_index


# --- Writing the PDF object by object ------------------------------------------------------------------


class _Ref(IndirectObject):
    """A reference to an object of the output (copying leaves it as it is)."""

    def __init__(self, idnum: int):
        super().__init__(idnum, 0, None)


class _PdfOut:
    """A PDF written to a file object by object: memory holds the offset of every object written,
    never the objects, so a dossier of some hundred MB is merged in the memory of its largest
    chapter. Objects are numbered when reserved, so that a page can be pointed at (bookmarks,
    contents links) before it is written."""

    def __init__(self, output: IO[bytes]):
        self.output = output
        self.offsets: dict[int, int] = {}
        self.last = 0
        output.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> _Ref:
        self.last += 1
        return _Ref(self.last)

    def put(self, ref: _Ref, obj) -> _Ref:
        self.offsets[ref.idnum] = self.output.tell()
        self.output.write(b"%d 0 obj\n%s\nendobj\n" % (ref.idnum, _serialize(obj)))
        return ref

    def add(self, obj) -> _Ref:
        return self.put(self.reserve(), obj)

    def put_file(self, ref: _Ref, entries: DictionaryObject, source: IO[bytes], length: int) -> _Ref:
        """A stream whose bytes are copied from ``source`` in pieces (an attachment)."""
        self.offsets[ref.idnum] = self.output.tell()
        self.output.write(b"%d 0 obj\n" % ref.idnum)
        entries[NameObject("/Length")] = NumberObject(length)
        entries.write_to_stream(self.output)
        self.output.write(b"\nstream\n")
        left = length
        while left:
            piece = source.read(min(COPY_CHUNK, left))
            if not piece:
                raise RuntimeError(f"attachment ended {left} bytes early")
            self.output.write(piece)
            left -= len(piece)
        self.output.write(b"\nendstream\nendobj\n")
        return ref

    def finish(self, *, root: _Ref, info: _Ref) -> None:
        missing = [number for number in range(1, self.last + 1) if number not in self.offsets]
        if missing:  # pragma: no cover - every reserved object is written
            raise RuntimeError(f"objects reserved but not written: {missing[:10]}")
        start = self.output.tell()
        size = self.last + 1
        table = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        table += [b"%010d 00000 n \n" % self.offsets[number] for number in range(1, size)]
        self.output.write(b"".join(table))
        self.output.write(b"trailer\n")
        trailer = DictionaryObject(
            {NameObject("/Size"): NumberObject(size), NameObject("/Root"): root, NameObject("/Info"): info}
        )
        trailer.write_to_stream(self.output)
        self.output.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)


_NAMES: dict[str, bytes] = {}


def _serialize(value) -> bytes:
    """``value`` as PDF syntax, as pypdf's ``write_to_stream`` writes it but in one piece and
    several times faster (a name's escaping is worked out once; it was a third of the merge)."""
    if isinstance(value, NameObject):
        encoded = _NAMES.get(value)
        if encoded is None:
            encoded = _NAMES[value] = value.renumber()
        return encoded
    if isinstance(value, IndirectObject):
        return b"%d %d R" % (value.idnum, value.generation)
    if isinstance(value, StreamObject):
        entries = b"".join(
            _serialize(key) + b" " + _serialize(item) + b"\n" for key, item in dict.items(value) if key != "/Length"
        )
        return b"<<\n%s/Length %d\n>>\nstream\n%s\nendstream" % (entries, len(value._data), value._data)
    if isinstance(value, DictionaryObject):
        return (
            b"<<\n"
            + b"".join(_serialize(key) + b" " + _serialize(item) + b"\n" for key, item in dict.items(value))
            + b">>"
        )
    if isinstance(value, ArrayObject):
        return b"[" + b"".join(b" " + _serialize(item) for item in value) + b" ]"
    if type(value) is NumberObject:
        return b"%d" % value
    buffer = io.BytesIO()  # strings, reals, booleans, null: pypdf knows their escapes
    value.write_to_stream(buffer)
    return buffer.getvalue()


class _Copier:
    """Copies the objects of one source PDF into the output, each once, renumbered; a stream's
    bytes are written as they were read (never decoded)."""

    def __init__(self, out: _PdfOut):
        self.out = out
        self.numbers: dict[tuple[int, int], _Ref] = {}
        self.pending: list[tuple[IndirectObject, _Ref]] = []

    def ref(self, source: IndirectObject) -> _Ref:
        key = (source.idnum, source.generation)
        target = self.numbers.get(key)
        if target is None:
            target = self.numbers[key] = self.out.reserve()
            self.pending.append((source, target))
        return target

    def convert(self, value):
        if isinstance(value, _Ref):
            return value
        if isinstance(value, IndirectObject):
            return self.ref(value)
        if isinstance(value, StreamObject):
            copy = EncodedStreamObject() if "/Filter" in value else DecodedStreamObject()
            for key, item in dict.items(value):
                if key != "/Length":
                    copy[key] = self.convert(item)
            copy._data = value._data
            return copy
        if isinstance(value, DictionaryObject):
            copy = DictionaryObject()
            for key, item in dict.items(value):
                copy[key] = self.convert(item)
            return copy
        if isinstance(value, ArrayObject):
            return ArrayObject(self.convert(item) for item in value)
        return value

    def flush(self) -> None:
        while self.pending:
            source, target = self.pending.pop()
            self.out.put(target, self.convert(source.get_object()))


INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _inherited(page: DictionaryObject, key: str):
    """A page's entry, or its page tree's (raw: an indirect reference stays one)."""
    node = page
    while node is not None:
        if key in node:
            return dict.__getitem__(node, key)
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _copy_pages(out: _PdfOut, reader: PdfReader, refs: list[_Ref], *, parent: _Ref, stamp=None) -> None:
    """Write ``reader``'s pages as ``refs`` (reserved), under ``parent``, with what they use;
    ``stamp(index, page, entries, copier)`` may change a page's entries before it is written."""
    copier = _Copier(out)
    pages = list(reader.pages)
    for page, ref in zip(pages, refs, strict=True):
        source = page.indirect_reference
        copier.numbers[(source.idnum, source.generation)] = ref
    for index, page in enumerate(pages):
        entries = DictionaryObject()
        for key, item in dict.items(page):
            if key != "/Parent":
                entries[key] = copier.convert(item)
        for key in INHERITABLE:
            if key not in entries and (value := _inherited(page, key)) is not None:
                entries[NameObject(key)] = copier.convert(value)
        entries[NameObject("/Parent")] = parent
        if stamp is not None:
            stamp(index, page, entries, copier)
        out.put(refs[index], entries)
        copier.flush()


def _link_toc(reader: PdfReader, *, targets: dict[str, _Ref]) -> int:
    """Turn the table of contents' ``kks-bab:<key>`` links into links to the chapters' pages (in
    ``reader``'s objects, before they are copied)."""
    linked = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not (isinstance(uri, str) and uri.startswith(LINK_SCHEME)):
                continue
            target = targets.get(uri[len(LINK_SCHEME) :])
            del annotation["/A"]
            if target is None:
                continue
            annotation[NameObject("/Dest")] = ArrayObject([target, NameObject("/Fit")])
            linked += 1
    return linked


def _write_outline(out: _PdfOut, outline: list[tuple[int, str, int]], pages: list[_Ref]) -> _Ref:
    """The bookmarks (level 0 at the top) as an outline tree, all open; returns its root."""
    root = {"ref": out.reserve(), "children": []}
    stack = [(-1, root)]
    for level, title, number in outline:
        node = {"ref": out.reserve(), "children": [], "title": title, "page": number}
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1]["children"].append(node)
        stack.append((level, node))

    def count(node) -> int:
        return sum(1 + count(child) for child in node["children"])

    def write(node) -> None:
        kids = node["children"]
        for index, kid in enumerate(kids):
            entries = DictionaryObject(
                {
                    NameObject("/Title"): create_string_object(kid["title"]),
                    NameObject("/Parent"): node["ref"],
                    NameObject("/Dest"): ArrayObject([pages[kid["page"] - 1], NameObject("/Fit")]),
                }
            )
            if index:
                entries[NameObject("/Prev")] = kids[index - 1]["ref"]
            if index + 1 < len(kids):
                entries[NameObject("/Next")] = kids[index + 1]["ref"]
            if kid["children"]:
                entries[NameObject("/First")] = kid["children"][0]["ref"]
                entries[NameObject("/Last")] = kid["children"][-1]["ref"]
                entries[NameObject("/Count")] = NumberObject(count(kid))
            out.put(kid["ref"], entries)
            write(kid)

    entries = DictionaryObject(
        {NameObject("/Type"): NameObject("/Outlines"), NameObject("/Count"): NumberObject(count(root))}
    )
    if root["children"]:
        entries[NameObject("/First")] = root["children"][0]["ref"]
        entries[NameObject("/Last")] = root["children"][-1]["ref"]
    out.put(root["ref"], entries)
    write(root)
    return root["ref"]


def _write_attachments(out: _PdfOut, attachments: list[Attachment]) -> DictionaryObject:
    """The evidence PDFs as embedded files, copied from storage in pieces; returns the
    ``/EmbeddedFiles`` name tree (one level: a few thousand names)."""
    named = []
    for attachment in attachments:
        with default_storage.open(attachment.file_name, "rb") as handle:
            length = handle.size
            stream = out.put_file(
                out.reserve(),
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/EmbeddedFile"),
                        NameObject("/Subtype"): NameObject("/application#2Fpdf"),
                        NameObject("/Params"): DictionaryObject({NameObject("/Size"): NumberObject(length)}),
                    }
                ),
                handle,
                length,
            )
        name = create_string_object(attachment.name)
        spec = out.add(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Filespec"),
                    NameObject("/F"): name,
                    NameObject("/UF"): name,
                    NameObject("/EF"): DictionaryObject({NameObject("/F"): stream}),
                }
            )
        )
        named.append((name, spec))
    named.sort(key=lambda pair: pair[0].get_encoded_bytes())  # a name tree is in byte order
    return DictionaryObject({NameObject("/Names"): ArrayObject(item for pair in named for item in pair)})


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
    out = _PdfOut(output)
    pages_root = out.reserve()
    page_refs = [out.reserve() for _ in range(total)]
    page = cover_pages + front_pages
    for chapter in chapters:
        result.starts[chapter.key] = page + 1
        page += chapter.pages
    summary_page = cover_pages + summary_index
    with translation.override("id"):
        result.outline = _outline(chapters, result.starts, cover_pages=cover_pages, summary_page=summary_page)

    stamp = _footer_stamp(out, footer_pdf, footer_widths, first=cover_pages)
    _copy_pages(out, PdfReader(io.BytesIO(cover_pdf)), page_refs[:cover_pages], parent=pages_root, stamp=stamp)
    front = PdfReader(io.BytesIO(front_pdf))
    targets = {key: page_refs[start - 1] for key, start in result.starts.items()}
    targets[SUMMARY_ANCHOR] = page_refs[summary_page]
    _link_toc(front, targets=targets)
    first = cover_pages
    _copy_pages(out, front, page_refs[first : first + front_pages], parent=pages_root, stamp=_offset(stamp, first))
    first += front_pages
    for chapter in chapters:
        with default_storage.open(chapter.file_name, "rb") as handle:
            reader = PdfReader(handle)
            if len(reader.pages) != chapter.pages:
                raise RuntimeError(f"chapter {chapter.key} has {len(reader.pages)} pages, expected {chapter.pages}")
            refs = page_refs[first : first + chapter.pages]
            _copy_pages(out, reader, refs, parent=pages_root, stamp=_offset(stamp, first))
            del reader  # its objects (images and all) go with it: one chapter in memory at a time
        first += chapter.pages

    out.put(
        pages_root,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(page_refs),
                NameObject("/Count"): NumberObject(total),
            }
        ),
    )
    catalog = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Catalog"),
            NameObject("/Pages"): pages_root,
            NameObject("/Outlines"): _write_outline(out, result.outline, page_refs),
        }
    )
    if attachments:
        catalog[NameObject("/Names")] = DictionaryObject(
            {NameObject("/EmbeddedFiles"): _write_attachments(out, attachments)}
        )
    info = DictionaryObject({NameObject(f"/{key}"): create_string_object(value) for key, value in metadata.items()})
    out.finish(root=out.add(catalog), info=out.add(info))
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
        if chapter.part > 1:
            continue
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


def _stream(data: bytes, **entries):
    stream = DecodedStreamObject()
    stream.set_data(data)
    if len(data) > 200:
        stream = stream.flate_encode()
    stream.update({NameObject(key): value for key, value in entries.items()})
    return stream


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


def _offset(stamp, first: int):
    """``stamp`` for pages counted from ``first`` (0-based) in the whole dossier."""
    return lambda index, page, entries, copier: stamp(first + index, page, entries, copier)


def _footer_stamp(out: _PdfOut, parts_pdf: bytes, widths: dict[str, float], *, first: int):
    """Write the footer's shared objects (its font, the left text) and return the function that
    puts "<left text>" and "Halaman X dari Y" on a page (from page ``first``, 0-based, on)."""
    reader = PdfReader(io.BytesIO(parts_pdf))
    pages = dict(zip(widths, reader.pages, strict=True))
    streams = {key: page["/Contents"].get_object().get_data() for key, page in pages.items()}
    copier = _Copier(out)
    resources = out.add(copier.convert(pages["halaman"]["/Resources"].get_object()))
    copier.flush()
    form = {"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"), "/Resources": resources}
    left = out.add(_stream(streams["kiri"], **form, **{"/BBox": ArrayObject(pages["kiri"].mediabox)}))
    bbox = ArrayObject(pages["halaman"].mediabox)
    line = _text_line(streams["halaman"], "halaman")
    glyphs = {key: _text_line(streams[key], key)["glyphs"] for key in widths if key != "kiri"}
    save, restore = out.add(_stream(b"q\n")), out.add(_stream(b"\nQ\n"))
    footer = out.add(_stream(f"q 1 0 0 1 {FOOTER_LEFT:.2f} 0 cm /KKSFooterLeft Do Q q /KKSFooterNumber Do Q".encode()))

    def stamp(index: int, page, entries: DictionaryObject, copier: _Copier) -> None:
        if index < first:
            return
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
        numbers = out.add(_stream(data, **form, **{"/BBox": bbox}))
        # The page's resources as a dictionary of its own, the footer's two forms added (the
        # pages of a chapter may share one resources object).
        source = _inherited(page, "/Resources")
        own = copier.convert(source.get_object()) if source is not None else DictionaryObject()
        xobjects = dict.get(own, "/XObject")
        if isinstance(xobjects, _Ref):  # an object of its own in the source: copy it into this page
            xobjects = copier.convert(dict.get(source.get_object(), "/XObject").get_object())
        xobjects = xobjects if xobjects is not None else DictionaryObject()
        xobjects[NameObject("/KKSFooterLeft")] = left
        xobjects[NameObject("/KKSFooterNumber")] = numbers
        own[NameObject("/XObject")] = xobjects
        entries[NameObject("/Resources")] = own
        contents = dict.get(page, "/Contents")
        if contents is None:
            original = []
        elif isinstance(contents.get_object(), ArrayObject):
            original = list(contents.get_object())
        else:
            original = [contents]
        entries[NameObject("/Contents")] = ArrayObject([save, *(copier.convert(c) for c in original), restore, footer])

    return stamp
