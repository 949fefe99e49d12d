"""The dossier's own files as downloads: a finished version's PDF and a berita acara, built once for
the web pages and the API (the scope checks stay with their callers)."""

from __future__ import annotations

from django.http import Http404

from kks_portal.lib.files.responses import protected_file_response


def version_filename(version) -> str:
    assessment = version.dossier.assessment
    return f"dossier-kks-{assessment.kabupaten_id}-{assessment.cycle.award_year}-v{version.number}.pdf"


def _pdf_response(request, field, filename: str, *, inline: bool):
    # Inline PDFs open in the browser's viewer under a PDF's policy (not the pages').
    return protected_file_response(
        request,
        name=field.name,
        storage=field.storage,
        content_type="application/pdf",
        filename=filename,
        inline=inline,
    )


def version_pdf_response(request, version, *, inline: bool):
    """A finished version's PDF; 404 while it has none."""
    if not version.is_done or not version.pdf:
        raise Http404
    return _pdf_response(request, version.pdf, version_filename(version), inline=inline)


def berita_acara_response(request, record):
    filename = f"berita-acara-{record.number.replace('/', '-')}.pdf"
    return _pdf_response(request, record.pdf, filename, inline=True)
