"""Dossier pages: the dossier of an assessment (versions, compiling, progress), downloads, and
the public verification page.

Reads go through the scoped selectors (out of scope: 404); compiling goes through the service.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kks_portal.lib.throttling import SimpleRateThrottle

from .downloads import version_pdf_response
from .forms import VerifyForm
from .selectors import (
    can_compile_dossier,
    dossier_assessment_for,
    verify_upload_limit,
    version_by_code,
    version_for,
    version_status,
    versions_of,
)
from .services import dossier_compile

MB = 1024 * 1024


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
    return version_pdf_response(request, version, inline=True)


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
            "max_upload_mb": math.ceil(verify_upload_limit() / MB),
            "error": error,
        },
        status=status,
    )


class VerifyUploadThrottle(SimpleRateThrottle):
    """Uploads to the public verification page per client address and hour
    (``DOSSIER_VERIFY_UPLOADS_PER_HOUR``): hashing 250 MB costs the server; a pasted hash does not."""

    scope = "dossier_verify_upload"

    def get_rate(self):
        return f"{settings.DOSSIER_VERIFY_UPLOADS_PER_HOUR}/hour"


# A form carrying only the hash (and the CSRF token) is well under this; more is a file.
_HASH_ONLY_BODY = 16 * 1024


def _refuse_upload(request) -> tuple[str, int] | None:
    """Why an upload is not read (message, status), judged before Django reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= _HASH_ONLY_BODY:
        return None
    throttle = VerifyUploadThrottle()
    if not throttle.allow_request(request, None):
        minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
        message = _(
            "Terlalu banyak berkas diunggah dari alamat Anda. Coba lagi dalam %(minutes)s menit, atau tempel "
            "SHA-256 berkasnya (peramban dengan JavaScript menghitungnya tanpa mengunggah)."
        ) % {"minutes": minutes}
        return message, 429
    limit = verify_upload_limit()
    if length > limit + _HASH_ONLY_BODY:
        if limit == 0:
            return _("Portal belum pernah menyusun dossier, jadi berkas ini tidak mungkin asli."), 413
        message = _(
            "Berkas terlalu besar: dossier terbesar yang pernah disusun portal %(mb)s MB, jadi berkas ini tidak "
            "mungkin asli. Tempel SHA-256-nya bila ingin memastikan."
        ) % {"mb": math.ceil(limit / MB)}
        return message, 413
    return None


def verify(request):
    """Anyone checks whether a PDF is a genuine version: the page hashes the file in the browser
    and posts the SHA-256 (static/js/verify-hash.js); without JavaScript the file is uploaded,
    throttled per address and no larger than the largest dossier the portal has produced."""
    if request.method == "POST":
        refusal = _refuse_upload(request)
        if refusal:
            error, status = refusal
            response = _verify_page(request, form=VerifyForm(), error=error, status=status)
            if status == 429:
                response["Retry-After"] = "3600"
            return response
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
