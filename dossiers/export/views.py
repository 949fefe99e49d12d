"""SIPANTAS export downloads of an assessment (``dossiers.export.sipantas``): JSON for scripts, an Excel
workbook for people. Readers are the dossier's (404 for anyone else)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from kks_portal.lib.files.responses import protected_file_response

from ..selectors import dossier_assessment_for
from .sipantas import sipantas_filename, sipantas_json, sipantas_workbook

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
