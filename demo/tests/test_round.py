"""The demo's generated files (the round itself: ``test_submission``, one seed per module)."""

from pathlib import Path

from pypdf import PdfReader

from demo.round import demo_pdf

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"


def test_demo_pdf_is_a_readable_one_page_pdf():
    reader = PdfReader(__import__("io").BytesIO(demo_pdf("Undangan rapat (demo)")))

    assert len(reader.pages) == 1
    assert "Undangan rapat demo" in reader.pages[0].extract_text()
