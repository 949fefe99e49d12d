"""The renderer fetches nothing but our own files: the static fonts and downscaled photos."""

import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from pypdf import PdfReader

from dossiers.renderer.chapters import chapter_context, chapter_pdf, chapter_plan, fingerprint
from dossiers.renderer.html import FetchRefused, PortalURLFetcher, html_to_pdf, static_base_url
from evidence.models import EvidenceFile
from evidence.print_copies import print_copy_name
from indicators.models import IndicatorEntry

FONT = "fonts/DejaVuSans.ttf"


# --- The URL fetcher ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://fonts.googleapis.com/css?family=Roboto",
        "ftp://example.org/x",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "kks-media:bukti/ab/original.jpg",  # an original upload, never embedded
        "kks-media:bukti-turunan/../bukti/ab/x.jpg",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files_and_derived_images(url):
    with pytest.raises(FetchRefused):
        PortalURLFetcher().fetch(url)


def test_fetcher_serves_the_static_font():
    fetcher = PortalURLFetcher()
    response = fetcher.fetch(static_base_url() + FONT)
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    finally:
        response.close()


def test_html_uses_our_font_and_makes_no_network_fetch():
    fetcher = PortalURLFetcher()
    html = (
        '<style>@font-face { font-family: "KKS Sans"; src: url("fonts/DejaVuSans.ttf"); }'
        'html { font-family: "KKS Sans"; }</style>'
        '<p>Halo</p><img src="http://127.0.0.1:9/logo.png"><link rel="stylesheet" href="https://example.org/x.css">'
    )
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert fetcher.fetched == [static_base_url() + FONT]
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = [font.get_object()["/BaseFont"] for font in page["/Resources"]["/Font"].values()]
    # Our @font-face family (a system fallback would be named after its own file).
    assert any(str(name).endswith("+KKS-Sans") for name in fonts), fonts


def test_static_font_and_licence_ship_with_the_project():
    folder = settings.BASE_DIR / "static" / "fonts"
    assert (folder / "DejaVuSans.ttf").is_file()
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text()


# --- One chapter, on its own ----------------------------------------------------------------------------


def test_a_chapter_renders_on_its_own_with_the_photo_copies(serang_2025):
    spec = next(spec for spec in chapter_plan(serang_2025) if spec.key == "kegiatan-36.04.17")
    data = chapter_context(serang_2025, spec)
    fetcher = PortalURLFetcher()
    pdf = chapter_pdf(data, fetcher=fetcher)

    # The print copies of the photos that have a downscaled copy, made for this render.
    prints = {
        print_copy_name(f.blob.kabupaten_id, f.blob.sha256)
        for f in EvidenceFile.objects.filter(activity__isnull=False)
        if f.blob.preview
    }
    assert {url.removeprefix("kks-media:") for url in fetcher.fetched if url.startswith("kks-media:")} == prints
    assert all(default_storage.exists(name) for name in prints)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Kerja bakti Pasar Carenang" in text
    assert "18 Maret 2023" in text
    assert "Rp 1.100.000" in text
    assert {item["original_name"] for item in data.evidence} == {
        "kerja-bakti.jpg",
        "foto-belum-diproses.jpg",
        "notulen-kerja-bakti.pdf",
    }


def test_the_fingerprint_follows_the_chapter_inputs(serang_2025):
    plan = {spec.key: spec for spec in chapter_plan(serang_2025)}
    assert list(plan) == [
        "profil",
        "kelembagaan",
        "kelembagaan-rencana",
        "kelembagaan-pembinaan",
        "pendanaan",
        "odf",
        "tatanan-KSM",
        "tatanan-PSR",
        "kegiatan-36.04.17",
        "titik-pantau",
        "inovasi",
        "lampiran",
    ]

    def prints():
        return {key: fingerprint(spec, chapter_context(serang_2025, spec)) for key, spec in plan.items()}

    before = prints()
    assert prints() == before  # the same data, the same fingerprints
    entry = IndicatorEntry.objects.get(assessment=serang_2025, indicator__tatanan__code="PSR", indicator__number="2")
    entry.explanation = "Penjelasan yang diperbaiki."
    entry.save()
    after = prints()
    assert {key for key in plan if after[key] != before[key]} == {"tatanan-PSR"}


def test_chapters_are_styled_by_our_user_agent_sheet_and_share_one_font_setup(monkeypatch):
    """``ChapterHTML`` replaces WeasyPrint's user-agent stylesheet through a hook of WeasyPrint's
    ``HTML`` (``_ua_stylesheets``): were it renamed in an upgrade, chapters would silently cost
    more again, so this fails instead. The font setup is made once per process and thread."""
    from weasyprint import HTML

    from dossiers.renderer import html as renderer

    assert callable(getattr(HTML, "_ua_stylesheets", None))
    asked = []
    real = renderer.chapter_user_agent
    monkeypatch.setattr(renderer, "chapter_user_agent", lambda: asked.append(1) or real())
    page = "<html><body><h1>Bab</h1><p>Isi.</p></body></html>"
    assert html_to_pdf(page, chapter=True).startswith(b"%PDF")
    assert asked
    asked.clear()
    assert html_to_pdf(page).startswith(b"%PDF")  # cover, contents, berita acara: WeasyPrint's own sheet
    assert not asked
    assert renderer.font_config() is renderer.font_config()
