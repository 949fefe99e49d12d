"""Reads of the data requests: who was asked for what, by when, and what has come back.

An entry is *asked* of an OPD when its ``assigned_opd`` is that OPD; it is *returned* when its
status is ``selesai``. The deadline and the reminders sit on the ``DataRequest`` of the OPD and
assessment, which may be missing for entries assigned when the assessment was opened.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import is_bappeda_admin_of
from accounts.functions import functions_in
from accounts.models import Opd, Role, User

from ..models import Assessment, DataRequest, IndicatorEntry
from ..selectors import assessment_for, entries_for_opd_operator

SELESAI = IndicatorEntry.Status.SELESAI


def today() -> datetime.date:
    """Today in the portal's time zone (Asia/Jakarta): deadlines are local dates."""
    return timezone.localdate()


def open_assessments_q(prefix: str = "", *, on: datetime.date | None = None) -> Q:
    """Assessments still being filled: their cycle's self-assessment has not closed.

    A cycle without a closing date is open. ``prefix`` is the path to the assessment
    (``"assessment__"`` from an entry or a data request).
    """
    on = on or today()
    return Q(**{f"{prefix}cycle__self_assessment_closes__isnull": True}) | Q(
        **{f"{prefix}cycle__self_assessment_closes__gte": on}
    )


def assessment_administered_by(user: User, pk: int) -> Assessment:
    """An assessment ``user`` administers (Bappeda admin of its kabupaten, or superuser).

    Anyone else gets 404, also a verifier who may read the assessment itself: the data requests
    are the kabupaten's internal business.
    """
    assessment = assessment_for(user, pk)
    if not is_bappeda_admin_of(user, assessment.kabupaten_id):
        raise Http404
    return assessment


def data_request_for(user: User, *, assessment: Assessment, opd_id: int) -> DataRequest:
    """The data request of one OPD in an assessment ``user`` administers, or 404."""
    if not is_bappeda_admin_of(user, assessment.kabupaten_id):
        raise Http404
    return get_object_or_404(
        DataRequest.objects.select_related("opd", "assessment__kabupaten", "assessment__cycle"),
        assessment=assessment,
        opd_id=opd_id,
    )


def opds_of(assessment: Assessment) -> QuerySet[Opd]:
    return Opd.objects.filter(kabupaten_id=assessment.kabupaten_id).order_by("short_name")


def outstanding_entries(data_request: DataRequest) -> QuerySet[IndicatorEntry]:
    """The entries asked of the request's OPD that are not ``selesai`` yet."""
    return (
        IndicatorEntry.objects.filter(assessment_id=data_request.assessment_id, assigned_opd_id=data_request.opd_id)
        .exclude(status=SELESAI)
        .select_related("indicator__tatanan")
    )


def operators_of(opd: Opd) -> list[User]:
    """Active operators of ``opd`` who have an e-mail address, each once."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.OPD_OPERATOR,
            role_assignments__opd=opd,
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


@dataclass
class OpdProgress:
    opd: Opd
    assigned: int
    selesai: int
    data_request: DataRequest | None = None

    @property
    def outstanding(self) -> int:
        return self.assigned - self.selesai

    @property
    def deadline(self) -> datetime.date | None:
        return self.data_request.deadline if self.data_request else None

    @property
    def overdue(self) -> bool:
        return bool(self.outstanding and self.deadline and self.deadline < today())


@dataclass
class TatananProgress:
    code: str
    name: str
    total: int
    assigned: int
    selesai: int

    @property
    def outstanding(self) -> int:
        return self.assigned - self.selesai

    @property
    def unassigned(self) -> int:
        return self.total - self.assigned


@dataclass
class RequestProgress:
    opds: list[OpdProgress]
    tatanan: list[TatananProgress]
    unassigned: int

    @property
    def overdue(self) -> list[OpdProgress]:
        return [row for row in self.opds if row.overdue]

    @property
    def assigned(self) -> int:
        return sum(row.assigned for row in self.opds)

    @property
    def outstanding(self) -> int:
        return sum(row.outstanding for row in self.opds)


def request_progress(assessment: Assessment) -> RequestProgress:
    """Per OPD and per tatanan: entries asked, returned (selesai) and outstanding.

    OPDs appear when they have entries assigned or a data request; an entry counts as selesai
    only when assigned (entries Bappeda fills itself are not "returned" by anyone).
    """
    per_opd = {
        row["assigned_opd"]: row
        for row in assessment.indicator_entries.filter(assigned_opd__isnull=False)
        .values("assigned_opd")
        .annotate(assigned=Count("pk"), selesai=Count("pk", filter=Q(status=SELESAI)))
    }
    requests = {r.opd_id: r for r in assessment.data_requests.all()}
    opds = Opd.objects.filter(pk__in=set(per_opd) | set(requests)).order_by("short_name")
    opd_rows = [
        OpdProgress(
            opd=opd,
            assigned=per_opd.get(opd.pk, {}).get("assigned", 0),
            selesai=per_opd.get(opd.pk, {}).get("selesai", 0),
            data_request=requests.get(opd.pk),
        )
        for opd in opds
    ]
    tatanan_rows = [
        TatananProgress(
            code=row["indicator__tatanan__code"],
            name=row["indicator__tatanan__name"],
            total=row["total"],
            assigned=row["assigned"],
            selesai=row["selesai"],
        )
        for row in assessment.indicator_entries.values(
            "indicator__tatanan__code", "indicator__tatanan__name", "indicator__tatanan__number"
        )
        .annotate(
            total=Count("pk"),
            assigned=Count("pk", filter=Q(assigned_opd__isnull=False)),
            selesai=Count("pk", filter=Q(assigned_opd__isnull=False, status=SELESAI)),
        )
        .order_by("indicator__tatanan__number")
    ]
    unassigned = sum(row.unassigned for row in tatanan_rows)
    return RequestProgress(opds=opd_rows, tatanan=tatanan_rows, unassigned=unassigned)


def overdue_data_requests(*, assessment: Assessment | None = None, on: datetime.date | None = None):
    """Data requests of open assessments past their deadline with entries still outstanding."""
    on = on or today()
    outstanding = IndicatorEntry.objects.filter(
        assessment_id=OuterRef("assessment_id"), assigned_opd_id=OuterRef("opd_id")
    ).exclude(status=SELESAI)
    requests = DataRequest.objects.filter(open_assessments_q("assessment__", on=on), deadline__lt=on)
    if assessment is not None:
        requests = requests.filter(assessment=assessment)
    return requests.filter(Exists(outstanding)).select_related("opd", "assessment__kabupaten", "assessment__cycle")


@dataclass
class TodoTatanan:
    code: str
    name: str
    entries: list[IndicatorEntry] = field(default_factory=list)


@dataclass
class TodoGroup:
    assessment: Assessment
    tatanan: list[TodoTatanan] = field(default_factory=list)

    @property
    def entries(self) -> list[IndicatorEntry]:
        return [e for t in self.tatanan for e in t.entries]


def todo_for_operator(user: User) -> list[TodoGroup]:
    """The entries assigned to the OPD(s) of ``user`` in open assessments, grouped by assessment
    and tatanan. Each entry carries ``deadline`` and ``overdue`` from its OPD's data request."""
    entries = list(
        entries_for_opd_operator(user)
        .filter(open_assessments_q("assessment__"))
        .order_by("assessment__cycle__award_year", "assessment_id", "indicator__tatanan__number", "indicator__order")
    )
    pairs = {(e.assessment_id, e.assigned_opd_id) for e in entries}
    deadlines = {
        (r.assessment_id, r.opd_id): r.deadline
        for r in DataRequest.objects.filter(assessment_id__in={a for a, _ in pairs}, opd_id__in={o for _, o in pairs})
    }
    now = today()
    groups: dict[int, TodoGroup] = {}
    by_tatanan: dict[tuple[int, str], TodoTatanan] = {}
    for entry in entries:
        entry.deadline = deadlines.get((entry.assessment_id, entry.assigned_opd_id))
        entry.overdue = bool(entry.deadline and entry.deadline < now and entry.status != SELESAI)
        group = groups.get(entry.assessment_id)
        if group is None:
            group = groups[entry.assessment_id] = TodoGroup(assessment=entry.assessment)
        tatanan = entry.indicator.tatanan
        key = (entry.assessment_id, tatanan.code)
        if key not in by_tatanan:
            by_tatanan[key] = TodoTatanan(code=tatanan.code, name=tatanan.name)
            group.tatanan.append(by_tatanan[key])
        by_tatanan[key].entries.append(entry)
    return list(groups.values())


def function_counts(assessment: Assessment) -> dict[str, int]:
    """How many official entries of ``assessment`` name each function in their SUMBER DATA
    (``accounts.functions``), for the map of OPDs by function."""
    counts: dict[str, int] = {}
    texts = assessment.indicator_entries.filter(indicator__is_local=False).values_list(
        "indicator__sumber_data", flat=True
    )
    for text in texts:
        for code in functions_in(text):
            counts[code] = counts.get(code, 0) + 1
    return counts


def unassigned_count(assessment: Assessment) -> int:
    """Official entries of ``assessment`` with no OPD yet."""
    return assessment.indicator_entries.filter(assigned_opd__isnull=True, indicator__is_local=False).count()
