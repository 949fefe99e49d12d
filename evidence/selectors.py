"""Who reads and who attaches evidence, and to what.

Reading follows the portal's one scope mechanism on the evidence file's ``region`` (the region of
the owning body, or the kabupaten of an assessment): a secretary of Carenang reads Carenang's and
its desa's files, never Binuang's; outside the scope a file does not exist (404).

Attaching is narrower (``can_attach``): the editors of a body for its activities and its own files;
the editors of a pembinaan visit (Bappeda, or the kecamatan secretary for her Tim Pembina
Kecamatan) for the visit; the Bappeda admin of the kabupaten (and OPD operators of the
indicators assigned to their OPD) for an assessment's requirements; the Bappeda admin and the OPD
operators with an assignment in the tatanan for titik pantau.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.access import ALL_ENTRIES_ROLES, is_bappeda_admin_of, opd_ids_operated_by
from accounts.models import User
from accounts.selectors import get_in_scope_or_404, scope_filter, scope_of
from forums.models import Body, PembinaanVisit
from forums.selectors import can_edit_body
from forums.selectors_workplans import can_edit_pembinaan_visit
from indicators.models import Assessment, IndicatorEntry, TitikPantau
from regions.models import Region
from tatanan.models import EvidenceRequirement

from .models import Activity, Blob, EvidenceFile


def kabupaten_code_of(region_code: str) -> str:
    """``36.04.17.2001`` → ``36.04``: the kabupaten/kota a region lies in."""
    return ".".join(region_code.split(".")[:2])


# --- Reading ------------------------------------------------------------------------------------


def live(files: QuerySet[EvidenceFile]) -> QuerySet[EvidenceFile]:
    """Attachments that count: not removed, not replaced by a newer file."""
    return files.filter(deleted_at__isnull=True, replaced_by__isnull=True)


def files_visible_to(user: User) -> QuerySet[EvidenceFile]:
    """Every attachment (history included) the user may read."""
    return scope_filter(
        EvidenceFile.objects.select_related("blob", "uploaded_by", "region"), user=user, field="region__code"
    )


def file_for(user: User, pk: int) -> EvidenceFile:
    """One attachment the user may read, or 404 (also for a file whose blob is not ready)."""
    return get_in_scope_or_404(
        EvidenceFile.objects.select_related("blob", "region").filter(blob__state=Blob.State.READY),
        user=user,
        field="region__code",
        pk=pk,
    )


def activities_visible_to(user: User) -> QuerySet[Activity]:
    return scope_filter(
        Activity.objects.filter(deleted_at__isnull=True).select_related("body", "body__region", "work_plan_item"),
        user=user,
        field="body__region__code",
    )


def activity_for(user: User, pk: int) -> Activity:
    return get_in_scope_or_404(activities_visible_to(user), user=user, field="body__region__code", pk=pk)


def activity_to_edit(user: User, pk: int) -> Activity:
    """The activity if ``user`` edits its body; 404 otherwise (also when only readable)."""
    activity = activity_for(user, pk)
    if not can_edit_body(user, activity.body):
        raise Http404
    return activity


# --- Owners -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """What an evidence file is attached to, with the region that scopes it."""

    activity: Activity | None = None
    body: Body | None = None
    requirement: EvidenceRequirement | None = None
    assessment: Assessment | None = None
    data_year: int | None = None
    titik_pantau: TitikPantau | None = None
    pembinaan_visit: PembinaanVisit | None = None

    @property
    def region(self) -> Region:
        if self.activity is not None:
            return self.activity.body.region
        if self.body is not None:
            return self.body.region
        if self.requirement is not None:
            return self.assessment.kabupaten
        if self.titik_pantau is not None:
            return self.titik_pantau.assessment.kabupaten
        if self.pembinaan_visit is not None:
            return self.pembinaan_visit.target_region
        raise ValueError("An owner needs one object.")

    @property
    def kabupaten_code(self) -> str:
        return kabupaten_code_of(self.region.code)

    @property
    def data_years(self) -> list[int]:
        """The data years photos of this owner should fall in (empty when unknown)."""
        if self.assessment is not None:
            return self.assessment.cycle.data_years
        if self.titik_pantau is not None:
            return self.titik_pantau.assessment.cycle.data_years
        return []

    def fields(self) -> dict:
        """The ``EvidenceFile`` fields that name this owner."""
        return {
            "activity": self.activity,
            "body": self.body,
            "requirement": self.requirement,
            "assessment": self.assessment,
            "data_year": self.data_year,
            "titik_pantau": self.titik_pantau,
            "pembinaan_visit": self.pembinaan_visit,
            "region": self.region,
        }

    def files(self) -> QuerySet[EvidenceFile]:
        """Every attachment of this owner (history included)."""
        if self.activity is not None:
            return EvidenceFile.objects.filter(activity=self.activity)
        if self.body is not None:
            return EvidenceFile.objects.filter(body=self.body)
        if self.requirement is not None:
            year = Q(data_year=self.data_year) if self.data_year is not None else Q(data_year__isnull=True)
            return EvidenceFile.objects.filter(Q(requirement=self.requirement, assessment=self.assessment) & year)
        if self.titik_pantau is not None:
            return EvidenceFile.objects.filter(titik_pantau=self.titik_pantau)
        return EvidenceFile.objects.filter(pembinaan_visit=self.pembinaan_visit)

    @classmethod
    def of(cls, evidence: EvidenceFile) -> Owner:
        return cls(
            activity=evidence.activity,
            body=evidence.body,
            requirement=evidence.requirement,
            assessment=evidence.assessment if evidence.requirement_id else None,
            data_year=evidence.data_year if evidence.requirement_id else None,
            titik_pantau=evidence.titik_pantau,
            pembinaan_visit=evidence.pembinaan_visit,
        )


def requirement_years(requirement: EvidenceRequirement, assessment: Assessment) -> list[int | None]:
    """The data years a requirement wants files for: one given year, each data year, or none (``[None]``)."""
    if requirement.year_scope == EvidenceRequirement.YearScope.YEAR:
        return [requirement.data_year]
    if requirement.year_scope == EvidenceRequirement.YearScope.EACH:
        return assessment.cycle.data_years
    return [None]


def can_attach(user: User, owner: Owner) -> bool:
    """Whether ``user`` may add, replace or remove files of ``owner``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if owner.activity is not None:
        return owner.activity.deleted_at is None and can_edit_body(user, owner.activity.body)
    if owner.body is not None:
        return can_edit_body(user, owner.body)
    if owner.pembinaan_visit is not None:
        # The same rule as editing the visit: Bappeda, or the kecamatan secretary for her Tim Pembina.
        return can_edit_pembinaan_visit(user, owner.pembinaan_visit)
    if owner.requirement is not None:
        assessment = owner.assessment
        if is_bappeda_admin_of(user, assessment.kabupaten_id):
            return True
        if owner.requirement.indicator_id is None:
            return False  # kelembagaan evidence: Bappeda's
        opds = opd_ids_operated_by(user)
        return (
            bool(opds)
            and IndicatorEntry.objects.filter(
                assessment=assessment, indicator_id=owner.requirement.indicator_id, assigned_opd_id__in=opds
            ).exists()
        )
    if owner.titik_pantau is not None:
        assessment = owner.titik_pantau.assessment
        if is_bappeda_admin_of(user, assessment.kabupaten_id):
            return True
        opds = opd_ids_operated_by(user)
        return (
            bool(opds)
            and IndicatorEntry.objects.filter(
                assessment=assessment, indicator__tatanan_id=owner.titik_pantau.tatanan_id, assigned_opd_id__in=opds
            ).exists()
        )
    return False


def requirement_owner(user: User, *, assessment: Assessment, requirement_pk: int, data_year: int | None) -> Owner:
    """The owner "requirement × data year" of an assessment the user reads, or 404 when the
    requirement is not one of the assessment's cycle or the year is not one it asks for."""
    requirement = (
        EvidenceRequirement.objects.select_related("indicator__tatanan", "kelembagaan_item")
        .filter(
            Q(indicator__cycle=assessment.cycle, indicator__owner_kabupaten__isnull=True)
            | Q(indicator__cycle=assessment.cycle, indicator__owner_kabupaten=assessment.kabupaten)
            | Q(kelembagaan_item__cycle=assessment.cycle)
        )
        .filter(pk=requirement_pk)
        .first()
    )
    if requirement is None or data_year not in requirement_years(requirement, assessment):
        raise Http404
    return Owner(requirement=requirement, assessment=assessment, data_year=data_year)


def indicator_opd_limit(user: User, assessment: Assessment) -> set[int] | None:
    """None when ``user`` reads every indicator of ``assessment``; else the OPDs whose indicators
    they read (their own, ``accounts.access``)."""
    if scope_of(user, roles=ALL_ENTRIES_ROLES).covers(assessment.kabupaten_id):
        return None
    return opd_ids_operated_by(user)


def assessment_kecamatan_for(user: User, assessment_pk: int, code: str) -> tuple[Assessment, Region]:
    """The assessment and one of its kecamatan, if ``user`` reads that kecamatan; else 404."""
    if not scope_of(user).covers(code):
        raise Http404
    kecamatan = Region.objects.filter(code=code, level=Region.Level.KECAMATAN).select_related("parent").first()
    assessment = (
        Assessment.objects.select_related("kabupaten", "cycle").filter(pk=assessment_pk).first()
        if kecamatan is not None
        else None
    )
    if assessment is None or kecamatan.parent_id != assessment.kabupaten_id:
        raise Http404
    return assessment, kecamatan
