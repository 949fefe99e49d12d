"""The dossier's "Inovasi" chapter: the kabupaten's innovations, rendered, and re-rendered only
when they change."""

import io

from pypdf import PdfReader

from dossiers.renderer.chapters import chapter_context, chapter_plan, fingerprint
from dossiers.renderer.html import template_to_pdf
from indicators.innovations.services import innovation_create, innovation_update


def test_the_chapter_shows_the_innovations_and_follows_their_changes(serang_2025, rina):
    spec = next(spec for spec in chapter_plan(serang_2025) if spec.key == "inovasi")
    assert (spec.number, spec.title) == ("8", "Inovasi")
    empty = chapter_context(serang_2025, spec)
    assert "Belum ada inovasi yang dicatat." in _text(empty)

    innovation = innovation_create(
        assessment=serang_2025,
        actor=rina,
        title="Bank Sampah Pasar Carenang",
        description="Pedagang menabung sampah plastik.",
        year=2024,
        tatanan=serang_2025.tatanan.get(code="PSR"),
        result="Sampah plastik turun 40 %.",
    )
    data = chapter_context(serang_2025, spec)
    text = _text(data)
    assert "Bank Sampah Pasar Carenang" in text
    assert "Sejak 2024" in text
    assert "PSR – Pasar" in text
    assert "Sampah plastik turun 40 %." in text
    before = fingerprint(spec, data)
    assert fingerprint(spec, empty) != before
    innovation_update(innovation=innovation, actor=rina, result="Sampah plastik turun 55 %.")
    assert fingerprint(spec, chapter_context(serang_2025, spec)) != before


def _text(data) -> str:
    reader = PdfReader(io.BytesIO(template_to_pdf(data.template, data.context)))
    return " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
