"""Reads of the dossier app, always through the user's access scope.

A dossier is read by the kabupaten's Bappeda admin, the verifiers of its province, the national
verifiers and the superuser; OPD operators and forum secretaries do not see it (404). Only the
Bappeda admin of the kabupaten (and the superuser) compiles.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import is_bappeda_admin_of
from accounts.models import Role, User
from accounts.selectors import scope_filter
from indicators.models import Assessment

from .models import DossierVersion

READER_ROLES = {Role.BAPPEDA_ADMIN, Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER}
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def dossier_assessments_visible_to(user: User) -> QuerySet[Assessment]:
    return scope_filter(
        Assessment.objects.select_related("kabupaten__parent", "cycle"),
        user=user,
        field="kabupaten__code",
        roles=READER_ROLES,
    )


def dossier_assessment_for(user: User, pk: int) -> Assessment:
    """The assessment whose dossier ``user`` may read, or 404."""
    return get_object_or_404(dossier_assessments_visible_to(user), pk=pk)


def can_compile_dossier(user: User, assessment: Assessment) -> bool:
    return is_bappeda_admin_of(user, assessment.kabupaten_id)


def versions_of(assessment: Assessment) -> QuerySet[DossierVersion]:
    return (
        DossierVersion.objects.filter(dossier__assessment=assessment).select_related("created_by").order_by("-number")
    )


def version_for(user: User, *, pk: int, number: int) -> DossierVersion:
    """Version ``number`` of the dossier of assessment ``pk``, looked up inside that assessment."""
    assessment = dossier_assessment_for(user, pk)
    return get_object_or_404(versions_of(assessment), number=number)


def version_by_code(code: str) -> DossierVersion | None:
    """The finished version whose PDF (or manifest) has this SHA-256: what the public
    verification page answers with."""
    code = (code or "").strip().lower()
    if not SHA256_RE.match(code):
        return None
    versions = DossierVersion.objects.filter(state=DossierVersion.State.DONE).select_related(
        "dossier__assessment__kabupaten__parent", "dossier__assessment__cycle"
    )
    return versions.filter(sha256=code).first() or versions.filter(manifest_sha256=code).first()


def verify_upload_limit() -> int:
    """The largest file (bytes) the public verification page reads: no genuine dossier is larger
    than the largest version the portal has finished, and never more than
    ``DOSSIER_VERIFY_MAX_UPLOAD_MB``. Zero while no version exists (nothing could match)."""
    largest = DossierVersion.objects.filter(state=DossierVersion.State.DONE).aggregate(size=Max("size"))["size"]
    return min(largest or 0, settings.DOSSIER_VERIFY_MAX_UPLOAD_MB * 1024 * 1024)


def version_status(version: DossierVersion | None) -> dict:
    """What the progress bar polls."""
    if version is None:
        return {"version": None}
    return {
        "version": version.number,
        "state": version.state,
        "state_label": str(version.get_state_display()),
        "active": version.is_active,
        "progress": version.progress,
        "error": version.error,
        "sha256": version.sha256,
        "page_count": version.page_count,
        "size": version.size,
        "chapters_total": len(version.plan),
        "chapters_done": len(version.chapter_renders),
        "chapters_reused": version.chapters_reused,
    }
