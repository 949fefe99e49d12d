"""Download of the self-assessment as an Excel workbook, and its upload back.

Whoever reads an assessment may download it (a provincial verifier works in Excel too); only
the Bappeda admin of the kabupaten uploads, because one file changes every entry. Both run in
the request: a whole 2025 assessment is written or read in well under a second.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.selectors import kabupaten_managed_by
from kks_portal.lib.files.responses import protected_file_response
from kks_portal.lib.forms import add_service_errors

from ..selectors import assessment_for
from .forms import AssessmentFileOpenForm, AssessmentImportForm
from .workbook import assessment_export, assessment_import, assessment_import_opening, can_import, export_filename

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


@login_required
def assessment_file_open_view(request):
    """Bappeda uploads a filled workbook from the field (the 2023 layout provinces exchange, or
    the portal's own download) for any cycle: the round is opened from it when not open yet."""
    if not kabupaten_managed_by(request.user).exists():
        raise Http404
    report, assessment = None, None
    form = AssessmentFileOpenForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, assessment = assessment_import_opening(
                kabupaten=data["kabupaten"],
                cycle=data["cycle"],
                file=data["file"],
                actor=request.user,
                dry_run=data["dry_run"],
                category=data["category"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if report.imported:
                messages.success(
                    request,
                    _("Berkas %(name)s diimpor ke %(assessment)s.")
                    % {"name": report.filename, "assessment": assessment},
                )
    return render(
        request,
        "indicators/excel/file_open.html",
        {"form": form, "report": report, "assessment": assessment},
    )
