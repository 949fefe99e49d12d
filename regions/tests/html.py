"""Read a rendered page the way a user does: the text inside marked elements."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TextCollector(HTMLParser):
    def __init__(self, attribute: str):
        super().__init__()
        self.attribute = attribute
        self.open: list[tuple[str, str | None]] = []
        self.texts: dict[str, list[str]] = defaultdict(list)

    def handle_starttag(self, tag, attrs):
        key = dict(attrs).get(self.attribute)
        if key is not None:
            self.texts.setdefault(key, [])
        if tag not in VOID_TAGS:
            self.open.append((tag, key))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, key in self.open:
            if key is not None:
                self.texts[key].append(data)


def texts_by(response, attribute: str) -> dict[str, str]:
    """``{value of attribute: visible text of that element}``, whitespace collapsed."""
    parser = _TextCollector(attribute)
    parser.feed(response.content.decode())
    return {key: " ".join(" ".join(parts).split()) for key, parts in parser.texts.items()}


def by_id(response) -> dict[str, str]:
    return texts_by(response, "id")


def rows(response) -> dict[str, str]:
    """The regions shown on the page (table rows and search results), by code."""
    return texts_by(response, "data-code")
