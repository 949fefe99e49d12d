"""The interface keeps one name per thing: no template text and no gettext msgid uses a variant
that docs/GLOSSARY.md lists under "Not to use" (issue 12: "halaman verifikasi" for two pages,
"Forum Komunikasi Kecamatan" next to "Forum Kecamatan Sehat"), and no English msgstr uses a
rendering it lists under "English not to use" ("Regency/city assessments" next to "Return to the
kabupaten/kota")."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

# Reads files only.
pytestmark = pytest.mark.pass_independent

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"
ENGLISH_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Code that is not the portal's own interface text.
SKIPPED_DIRS = {".venv", "node_modules", "locale", "static", "staticfiles", "var", "media", "migrations", "tests"}
GETTEXT_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}

# Placeholders are filled with data (a user's username, a body's name), not interface words.
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\{.*?\}\}", re.DOTALL)
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1.*?%\}""", re.DOTALL)
# Removed from a template before its text is read; line breaks are kept for the line numbers.
NOT_TEXT = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->"
    r"|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)


def glossary_rows() -> Iterator[dict[str, str]]:
    """The rows of the glossary's tables, each as {column heading: cell}; a table's columns are
    those of its "| Thing | ..." heading (only the Regions table has "English not to use")."""
    columns: list[str] = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            columns = []
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "Thing":
            columns = cells
        elif columns and set(cells[0]) != {"-"} and len(cells) == len(columns):
            yield dict(zip(columns, cells, strict=True))


def _listed(column: str, name_column: str) -> dict[str, list[str]]:
    listed: dict[str, list[str]] = {}
    for row in glossary_rows():
        for variant in re.findall(r"`([^`]+)`", row.get(column, "")):
            listed.setdefault(variant, []).append(row[name_column])
    return listed


def banned_variants() -> dict[str, list[str]]:
    """variant → the glossary's names for the things it was used for, from the "Not to use" column
    ("halaman verifikasi" named both the verifier's workspace and the authenticity check)."""
    return _listed("Not to use", "Indonesian")


def banned_english() -> dict[str, list[str]]:
    """English rendering → the glossary's English for the thing, from "English not to use"
    ("regency" for kabupaten/kota, "district" for kecamatan, "village" for desa/kelurahan)."""
    return _listed("English not to use", "English")


def _pattern(variant: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(variant) + r"(?!\w)", re.IGNORECASE)


def _source_files(suffixes: tuple[str, ...]) -> Iterator[Path]:
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(suffixes):
                yield Path(directory) / name


def _blank(match: re.Match[str]) -> str:
    return " " + "\n" * match.group(0).count("\n")


def template_texts(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of what a template shows: its {% translate %} strings, and the text outside
    tags (which includes {% blocktranslate %} bodies)."""
    source = path.read_text(encoding="utf-8")
    for match in TRANSLATE_TAG.finditer(source):
        yield source.count("\n", 0, match.start()) + 1, match.group(2)
    text = NOT_TEXT.sub(_blank, source)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def _function_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def gettext_msgids(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _function_name(node.func) in GETTEXT_FUNCTIONS:
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield argument.lineno, argument.value


def offenders() -> list[str]:
    patterns = {variant: (_pattern(variant), " or ".join(names)) for variant, names in banned_variants().items()}
    sources = [(path, template_texts) for path in _source_files((".html", ".txt"))]
    sources += [(path, gettext_msgids) for path in _source_files((".py",))]
    found = []
    for path, texts in sources:
        for line, text in texts(path):
            text = PLACEHOLDERS.sub(" ", text)
            for variant, (pattern, name) in patterns.items():
                if pattern.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {variant!r} (use: {name})")
    return sorted(set(found))


def test_the_glossary_lists_the_variants_issue_12_found():
    banned = banned_variants()
    assert len(banned) > 40
    for variant in ("Forum Komunikasi Kecamatan", "halaman verifikasi", "lokus", "data dukung", "kab/kota"):
        assert variant in banned


def test_the_scan_reads_translate_tags_blocktranslate_bodies_and_msgids(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '<a title="{% translate "Periksa lokus" %}">x</a>\n'
        "{% blocktranslate %}Lihat {{ data dukung }}\ndi halaman verifikasi{% endblocktranslate %}\n"
        '<i class="bi bi-upload"></i>',
        encoding="utf-8",
    )
    texts = [(line, PLACEHOLDERS.sub(" ", text)) for line, text in template_texts(template)]
    assert (1, "Periksa lokus") in texts
    assert any(line == 3 and _pattern("halaman verifikasi").search(text) for line, text in texts)
    assert not any(_pattern("data dukung").search(text) or _pattern("upload").search(text) for _, text in texts)
    module = tmp_path / "module.py"
    module.write_text('from django.utils.translation import gettext as _\nx = _("Unggah bukti dukung")\n')
    assert list(gettext_msgids(module)) == [(2, "Unggah bukti dukung")]


# The offenders left (December 2026) are in dossiers/, indicators/, regions/ and tatanan/ (the
# last needs a migration for its choice label), which other changes are moving right now.
def test_no_template_or_msgid_uses_a_variant_the_glossary_bans():
    found = offenders()
    assert not found, "use the glossary's name (docs/GLOSSARY.md):\n" + "\n".join(found)


def english_offenders(po: polib.POFile) -> list[str]:
    patterns = {variant: (_pattern(variant), " or ".join(names)) for variant, names in banned_english().items()}
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        msgstrs = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for msgstr in msgstrs:
            text = PLACEHOLDERS.sub(" ", msgstr)
            for variant, (pattern, name) in patterns.items():
                if pattern.search(text):
                    found.append(f"line {entry.linenum}: {msgstr!r}: {variant!r} (use: {name})")
    return sorted(set(found))


def test_the_glossary_lists_the_english_renderings_the_regions_do_not_use():
    banned = banned_english()
    for variant in ("regency", "city", "district", "sub-district", "village"):
        assert variant in banned
    assert banned["regency"] == ["kabupaten/kota (a kabupaten: kabupaten; a kota: kota)"]
    assert banned["district"] == ["kecamatan"]
    # The fifth column does not hide the Regions rows from the "Not to use" check.
    assert "kab/kota" in banned_variants()
    assert "kelurahan/desa" in banned_variants()
    assert "regency" not in banned_variants()


def test_the_english_scan_reads_msgstrs_and_plural_forms_but_not_placeholders(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Penilaian kabupaten/kota"\nmsgstr "Regency/city assessments"\n\n'
        'msgid "%(n)s %(village)s"\nmsgid_plural "%(n)s %(village)s"\n'
        'msgstr[0] "%(n)s %(village)s"\nmsgstr[1] "%(n)s villages"\n\n'
        'msgid "Belum ada %(village)s."\nmsgstr "No %(village)s yet."\n',
        encoding="utf-8",
    )
    found = english_offenders(polib.pofile(str(catalogue)))
    assert [line.split(":")[0] for line in found] == ["line 5", "line 5", "line 8"]
    assert any("'regency' (use: kabupaten/kota" in line for line in found)
    assert any("'city' (use: kabupaten/kota" in line for line in found)
    assert "'%(n)s villages': 'villages' (use: desa/kelurahan" in found[2]


def test_no_english_msgstr_uses_a_rendering_the_glossary_rules_out():
    found = english_offenders(polib.pofile(str(ENGLISH_PO)))
    assert not found, "keep the region's word as docs/GLOSSARY.md says:\n" + "\n".join(found)
