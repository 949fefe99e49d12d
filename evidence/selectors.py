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

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import ALL_ENTRIES_ROLES, is_bappeda_admin_of, opd_ids_operated_by
from accounts.models import User
from accounts.selectors import get_in_scope_or_404, scope_filter, scope_of
from forums.models import Body, PembinaanVisit
from forums.selectors import can_edit_body
from forums.workplans.selectors import can_edit_pembinaan_visit
from indicators.models import Assessment, IndicatorEntry, TitikPantau
from regions.models import Region, kabupaten_code_of
from tatanan.models import EvidenceRequirement

from .models import Activity, Blob, EvidenceFile

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
    """What an evidence file is attached to, with the region that scopes it. Exactly one kind of
    owner is set (a requirement goes with its assessment and data year); what each kind means is
    in ``OWNER_KINDS``."""

    activity: Activity | None = None
    body: Body | None = None
    requirement: EvidenceRequirement | None = None
    assessment: Assessment | None = None
    data_year: int | None = None
    titik_pantau: TitikPantau | None = None
    pembinaan_visit: PembinaanVisit | None = None

    @property
    def kind(self) -> OwnerKind:
        for owner_kind in OWNER_KINDS:
            if getattr(self, owner_kind.name) is not None:
                return owner_kind
        raise ValueError("An owner needs one object.")

    @property
    def region(self) -> Region:
        return self.kind.region(self)

    @property
    def kabupaten_code(self) -> str:
        return kabupaten_code_of(self.region.code)

    @property
    def data_years(self) -> list[int]:
        """The data years photos of this owner should fall in (empty when unknown)."""
        return self.kind.data_years(self)

    @property
    def evidence_kinds(self) -> tuple[str, ...]:
        """The kinds of evidence (``EvidenceFile.Kind``) this owner takes."""
        return self.kind.evidence_kinds

    @property
    def reference_date(self) -> datetime.date | None:
        return self.kind.reference_date(self)

    @property
    def label(self) -> str:
        """Where a file is, in words: "kegiatan “Rapat koordinasi” (12-03-2025) – Pokja …"."""
        return self.kind.label(self)

    @property
    def url_args(self) -> list:
        return self.kind.url_args(self)

    def fields(self) -> dict:
        """The ``EvidenceFile`` fields that name this owner."""
        named = dict.fromkeys(OWNER_FIELDS)
        named |= {field: getattr(self, field) for field in self.kind.fields}
        return named | {"region": self.region}

    def files(self) -> QuerySet[EvidenceFile]:
        """Every attachment of this owner (history included)."""
        lookups = {}
        for field in self.kind.fields:
            value = getattr(self, field)
            lookups[field if value is not None else f"{field}__isnull"] = value if value is not None else True
        return EvidenceFile.objects.filter(**lookups)

    @classmethod
    def of(cls, evidence: EvidenceFile) -> Owner:
        for owner_kind in OWNER_KINDS:
            if getattr(evidence, f"{owner_kind.name}_id") is not None:
                return cls(**{field: getattr(evidence, field) for field in owner_kind.fields})
        raise ValueError(f"Evidence file {evidence.pk} has no owner.")


def _kelembagaan_or_indicator_attach(user: User, owner: Owner) -> bool:
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


def _titik_pantau_attach(user: User, owner: Owner) -> bool:
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


def _activity_label(owner: Owner) -> str:
    return _("kegiatan “%(title)s” (%(date)s) – %(body)s") % {
        "title": owner.activity.title,
        "date": owner.activity.date.strftime("%d-%m-%Y"),
        "body": owner.activity.body.name,
    }


def _requirement_label(owner: Owner) -> str:
    text = owner.requirement.description
    if owner.data_year:
        return _("bukti dukung “%(text)s” tahun %(year)s") % {"text": text, "year": owner.data_year}
    return _("bukti dukung “%(text)s”") % {"text": text}


def _pembinaan_label(owner: Owner) -> str:
    visit = owner.pembinaan_visit
    return _("kunjungan pembinaan ke %(place)s (%(date)s)") % {
        "place": visit.target_region.name,
        "date": visit.date.strftime("%d-%m-%Y"),
    }


@dataclass(frozen=True)
class OwnerKind:
    """One kind of owner of evidence files: everything the portal does differently per kind."""

    # The ``Owner`` (and ``EvidenceFile``) field that names it; ``fields`` are all that do.
    name: str
    fields: tuple[str, ...]
    region: Callable[[Owner], Region]
    data_years: Callable[[Owner], list[int]]
    # The day its photos are dated against when it has no data years (None: the upload's day).
    reference_date: Callable[[Owner], datetime.date | None]
    # The evidence kinds (``EvidenceFile.Kind``) it takes.
    evidence_kinds: tuple[str, ...]
    # Who may add, replace or remove its files (after being signed in and active).
    may_attach: Callable[[User, Owner], bool]
    # Its files page and upload view (URL names in ``evidence.urls``) and their arguments.
    page_url: str
    upload_url: str
    url_args: Callable[[Owner], list]
    label: Callable[[Owner], str]


K = EvidenceFile.Kind
MEETING_KINDS = (K.UNDANGAN, K.DAFTAR_HADIR, K.NOTULEN, K.FOTO, K.LAPORAN, K.BERITA_ACARA)

OWNER_KINDS: tuple[OwnerKind, ...] = (
    OwnerKind(
        name="activity",
        fields=("activity",),
        region=lambda owner: owner.activity.body.region,
        data_years=lambda owner: [],
        reference_date=lambda owner: owner.activity.date,
        evidence_kinds=(*MEETING_KINDS, K.TANGKAPAN_LAYAR, K.LAINNYA),
        may_attach=lambda user, owner: owner.activity.deleted_at is None and can_edit_body(user, owner.activity.body),
        page_url="evidence:activity_detail",
        upload_url="evidence:activity_upload",
        url_args=lambda owner: [owner.activity.pk],
        label=_activity_label,
    ),
    OwnerKind(
        name="body",
        fields=("body",),
        region=lambda owner: owner.body.region,
        data_years=lambda owner: [],
        reference_date=lambda owner: None,
        evidence_kinds=(K.SK, K.FOTO, K.LAPORAN, K.SURAT_PERNYATAAN, K.BERITA_ACARA, K.LAINNYA),
        may_attach=lambda user, owner: can_edit_body(user, owner.body),
        page_url="evidence:body_files",
        upload_url="evidence:body_upload",
        url_args=lambda owner: [owner.body.pk],
        label=lambda owner: owner.body.name,
    ),
    OwnerKind(
        name="requirement",
        fields=("requirement", "assessment", "data_year"),
        region=lambda owner: owner.assessment.kabupaten,
        data_years=lambda owner: owner.assessment.cycle.data_years,
        # A requirement says in words what it wants: any kind of document may answer it.
        reference_date=lambda owner: None,
        evidence_kinds=tuple(K.values),
        may_attach=_kelembagaan_or_indicator_attach,
        page_url="evidence:requirement_files",
        upload_url="evidence:requirement_upload",
        url_args=lambda owner: [owner.assessment.pk, owner.requirement.pk, owner.data_year or 0],
        label=_requirement_label,
    ),
    OwnerKind(
        name="titik_pantau",
        fields=("titik_pantau",),
        region=lambda owner: owner.titik_pantau.assessment.kabupaten,
        data_years=lambda owner: owner.titik_pantau.assessment.cycle.data_years,
        reference_date=lambda owner: None,
        evidence_kinds=(K.FOTO, K.TANGKAPAN_LAYAR, K.LAPORAN, K.BERITA_ACARA, K.SURAT_PERNYATAAN, K.LAINNYA),
        may_attach=_titik_pantau_attach,
        page_url="evidence:titik_pantau_files",
        upload_url="evidence:titik_pantau_upload",
        url_args=lambda owner: [owner.titik_pantau.pk],
        label=lambda owner: _("titik pantau %(name)s") % {"name": owner.titik_pantau.name},
    ),
    OwnerKind(
        name="pembinaan_visit",
        fields=("pembinaan_visit",),
        region=lambda owner: owner.pembinaan_visit.target_region,
        data_years=lambda owner: [],
        reference_date=lambda owner: owner.pembinaan_visit.date,
        evidence_kinds=(*MEETING_KINDS, K.LAINNYA),
        # The same rule as editing the visit: Bappeda, or the kecamatan secretary for her Tim Pembina.
        may_attach=lambda user, owner: can_edit_pembinaan_visit(user, owner.pembinaan_visit),
        page_url="evidence:pembinaan_files",
        upload_url="evidence:pembinaan_upload",
        url_args=lambda owner: [owner.pembinaan_visit.pk],
        label=_pembinaan_label,
    ),
)
OWNER_FIELDS = tuple(dict.fromkeys(field for owner_kind in OWNER_KINDS for field in owner_kind.fields))


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
    return owner.kind.may_attach(user, owner)


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
