"""Download of the self-assessment as an Excel workbook, and its upload back.

Whoever reads an assessment may download it (a provincial verifier works in Excel too); only
the Bappeda admin of the kabupaten uploads, because one file changes every entry. Both run in
the request: a whole 2025 assessment is written or read in well under a second.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from kks_portal.lib.files.responses import protected_file_response

from ..selectors import assessment_for
from .forms import AssessmentImportForm
from .workbook import assessment_export, assessment_import, can_import, export_filename

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def assessment_export_view(request, pk):
    assessment = assessment_for(request.user, pk)
    return protected_file_response(
        request,
        content=assessment_export(assessment=assessment),
        content_type=XLSX,
        filename=export_filename(assessment),
    )


@login_required
def assessment_import_view(request, pk):
    assessment = assessment_for(request.user, pk)
    if not can_import(request.user, assessment):
        raise Http404
    report = None
    if request.method == "POST":
        form = AssessmentImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = assessment_import(
                assessment=assessment,
                file=form.cleaned_data["file"],
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            form = AssessmentImportForm()
    else:
        form = AssessmentImportForm()
    return render(request, "indicators/excel/import.html", {"assessment": assessment, "form": form, "report": report})
