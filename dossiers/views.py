"""Dossier pages: the dossier of an assessment (versions, compiling, progress), downloads, and
the public verification page.

Reads go through the scoped selectors (out of scope: 404); compiling goes through the service.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .forms import VerifyForm
from .selectors import (
    can_compile_dossier,
    dossier_assessment_for,
    version_by_code,
    version_for,
    version_status,
    versions_of,
)
from .services import dossier_compile


def _download_url(version) -> str | None:
    if not version or not version.is_done:
        return None
    assessment_pk = version.dossier.assessment_id
    return reverse("dossiers:download", kwargs={"pk": assessment_pk, "number": version.number})


@login_required
def dossier_detail(request, pk):
    assessment = dossier_assessment_for(request.user, pk)
    versions = list(versions_of(assessment).select_related("dossier"))
    active = next((v for v in versions if v.is_active), None)
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "assessment": assessment,
            "dossier": getattr(assessment, "dossier", None),
            "versions": versions,
            "active": active,
            "can_compile": can_compile_dossier(request.user, assessment),
        },
    )


@login_required
@require_POST
def dossier_compile_view(request, pk):
    assessment = dossier_assessment_for(request.user, pk)
    if not can_compile_dossier(request.user, assessment):
        raise Http404
    try:
        version = dossier_compile(assessment=assessment, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Versi %(number)s sedang disusun.") % {"number": version.number})
    return redirect("dossiers:detail", pk=assessment.pk)


@login_required
@require_GET
@never_cache
def dossier_status(request, pk):
    """The latest version's state, for the progress bar (polled while a compile runs)."""
    assessment = dossier_assessment_for(request.user, pk)
    latest = versions_of(assessment).select_related("dossier").first()
    return JsonResponse({**version_status(latest), "download_url": _download_url(latest)})


@login_required
@require_GET
def version_download(request, pk, number):
    version = version_for(request.user, pk=pk, number=number)
    if not version.is_done or not version.pdf:
        raise Http404
    assessment = version.dossier.assessment
    filename = f"dossier-kks-{assessment.kabupaten_id}-{assessment.cycle.award_year}-v{version.number}.pdf"
    response = FileResponse(version.pdf.open("rb"), content_type="application/pdf", filename=filename)
    # Shown in the browser's PDF viewer, never sniffed as anything else, never kept in shared caches.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public verification ------------------------------------------------------------------------------


def _sha256_of_upload(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _verify_page(request, *, form, code=None, error="", status=200):
    version = version_by_code(code) if code else None
    return render(
        request,
        "dossiers/verify.html",
        {
            "form": form,
            "code": code,
            "version": version,
            "by_manifest": bool(version and version.sha256 != code),
            "max_upload_mb": settings.DOSSIER_VERIFY_MAX_UPLOAD_MB,
            "error": error,
        },
        status=status,
    )


def verify(request):
    """Anyone uploads a PDF or pastes a SHA-256 and learns whether it is a genuine version."""
    if request.method == "POST":
        limit = settings.DOSSIER_VERIFY_MAX_UPLOAD_MB * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:  # refused before Django reads the body
            error = _("Berkas terlalu besar: paling besar %(mb)s MB. Tempel SHA-256-nya saja.") % {
                "mb": settings.DOSSIER_VERIFY_MAX_UPLOAD_MB
            }
            return _verify_page(request, form=VerifyForm(), error=error, status=413)
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            code = _sha256_of_upload(upload) if upload else form.cleaned_data["sha256"]
            return _verify_page(request, form=VerifyForm(), code=code)
        return _verify_page(request, form=form)
    return _verify_page(request, form=VerifyForm())


@require_GET
def verify_code(request, code):
    """Where the cover's QR code leads: the version with this manifest (or PDF) SHA-256."""
    return _verify_page(request, form=VerifyForm(), code=code)
