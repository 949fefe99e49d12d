"""SIPANTAS export downloads of an assessment (``dossiers.export.sipantas``): JSON for scripts, an Excel
workbook for people, the evidence as ZIP archives (the round's, one indicator's year). Readers are
the dossier's (404 for anyone else)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from kks_portal.lib.files.archives import zip_stream
from kks_portal.lib.files.responses import protected_file_response

from ..selectors import dossier_assessment_for
from .sipantas import (
    sipantas_filename,
    sipantas_json,
    sipantas_members,
    sipantas_workbook,
    sipantas_zip_filename,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def sipantas_json_download(request, pk):
    assessment = dossier_assessment_for(request.user, pk)
    content = json.dumps(sipantas_json(assessment), ensure_ascii=False, indent=2).encode()
    return protected_file_response(
        request,
        content=content,
        content_type="application/json; charset=utf-8",
        filename=sipantas_filename(assessment, "json"),
    )


@login_required
@require_GET
def sipantas_xlsx_download(request, pk):
    assessment = dossier_assessment_for(request.user, pk)
    return protected_file_response(
        request,
        content=sipantas_workbook(assessment),
        content_type=XLSX,
        filename=sipantas_filename(assessment, "xlsx"),
    )


@login_required
@require_GET
def sipantas_zip_download(request, pk):
    """Every evidence file of the round, in folders per tatanan, indicator and data year; made
    while it is sent (never whole in memory)."""
    assessment = dossier_assessment_for(request.user, pk)
    return protected_file_response(
        request,
        chunks=zip_stream(sipantas_members(assessment)),
        content_type="application/zip",
        filename=sipantas_zip_filename(assessment),
    )


@login_required
@require_GET
def sipantas_entry_zip_download(request, pk, entry_pk, year):
    """One indicator's evidence files of one data year (year 0: those bound to no year), named to
    be uploaded straight into that indicator's year in SIPANTAS."""
    assessment = dossier_assessment_for(request.user, pk)
    entry = get_object_or_404(assessment.indicator_entries.select_related("indicator__tatanan"), pk=entry_pk)
    data_year = year or None
    indicator = entry.indicator
    return protected_file_response(
        request,
        chunks=zip_stream(sipantas_members(assessment, indicator_id=indicator.pk, data_year=data_year)),
        content_type="application/zip",
        filename=sipantas_zip_filename(assessment, f"{indicator.tatanan.code}-{indicator.number}", data_year),
    )
