"""What changed between two versions of a dossier, for the verifier (and Bappeda): the page of
``dossiers.diff.compare``. Readers are the dossier's (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors import dossier_assessment_for
from .compare import comparable_versions, diff_pair, version_diff


@login_required
@require_GET
def dossier_diff(request, pk):
    """``?dari=<version>&ke=<version>``; by default the latest finished version against the last
    one submitted before it (or the one just before it)."""
    assessment = dossier_assessment_for(request.user, pk)
    versions = comparable_versions(assessment)
    errors, pair, status = {}, None, 200
    try:
        pair = diff_pair(assessment, dari=request.GET.get("dari"), ke=request.GET.get("ke"))
    except ValidationError as error:
        errors, status = error.message_dict, 400
    diff = version_diff(*pair) if pair else None
    return render(
        request,
        "dossiers/diff.html",
        {
            "assessment": assessment,
            "versions": versions,
            "diff": diff,
            "errors": [message for messages in errors.values() for message in messages],
            "selected": {
                "dari": pair[0].number if pair else request.GET.get("dari", ""),
                "ke": pair[1].number if pair else request.GET.get("ke", ""),
            },
        },
        status=status,
    )
