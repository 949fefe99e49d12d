"""The English catalogue is complete, compiled, and actually used by Django.

The source language is Indonesian; ``locale/en`` is the only catalogue. After
``makemessages -l en``, every new or changed msgid needs an English msgstr and a fresh
``compilemessages -l en --ignore=.venv``; these tests catch a forgotten step.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext

# Reads the catalogue files.
pytestmark = pytest.mark.pass_independent

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

# %(name)s, %s, %d, %r and the like: a translation must keep exactly the same ones.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdr]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_FILE))


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _describe(entry: polib.POEntry) -> str:
    return f"line {entry.linenum}: {entry.msgid!r}"


def _msgstrs(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _catalogue(entries) -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    """(msgctxt, msgid) → msgstr, or the tuple of plural forms, for comparing .po and .mo."""
    return {
        (entry.msgctxt, entry.msgid): tuple(_msgstrs(entry)) if entry.msgid_plural else entry.msgstr
        for entry in entries
    }


def test_every_entry_is_translated_and_not_fuzzy(po):
    problems = [
        f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {_describe(entry)}"
        for entry in _live(po)
        if entry.fuzzy or not all(_msgstrs(entry))
    ]
    if po.metadata_is_fuzzy:
        problems.insert(0, "the header is marked fuzzy: msgfmt would drop its Plural-Forms")
    assert not problems, f"{PO_FILE} needs English for:\n" + "\n".join(problems)


def test_header_declares_english_utf8_and_plural_forms(po):
    assert po.metadata["Language"] == "en"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_translations_keep_the_placeholders(po):
    wrong = [
        f"{_describe(entry)} → {msgstr!r}"
        for entry in _live(po)
        for msgstr in _msgstrs(entry)
        if msgstr and sorted(PLACEHOLDER.findall(msgstr)) != sorted(PLACEHOLDER.findall(entry.msgid))
    ]
    assert not wrong, "placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(po):
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run manage.py compilemessages -l en --ignore=.venv"
    expected = _catalogue(po.translated_entries())
    compiled = _catalogue(entry for entry in polib.mofile(str(MO_FILE)) if entry.msgid)
    stale = sorted(str(key[1]) for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key))
    assert not stale, (
        f"{MO_FILE.name} is out of date with {PO_FILE.name} (run manage.py compilemessages -l en "
        "--ignore=.venv) for:\n" + "\n".join(repr(msgid) for msgid in stale)
    )


def test_django_serves_english_and_keeps_indonesian_as_the_source():
    with translation.override("en"):
        assert gettext("Beranda") == "Home"
    with translation.override("id"):
        assert gettext("Beranda") == "Beranda"
