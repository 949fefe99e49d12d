"""Reads of the data requests: who was asked for what, by when, and what has come back.

An entry is *asked* of an OPD when its ``assigned_opd`` is that OPD; it is *returned* when its
status is ``selesai``. The deadline and the reminders sit on the ``DataRequest`` of the OPD and
assessment, which may be missing for entries assigned when the assessment was opened.

Titik pantau and kelembagaan documents are asked by a ``DataRequest`` of their kind; what is
still outstanding is read from the titik pantau and the bodies each time (``outstanding_of``),
never stored, so an item stops being outstanding as soon as it is filled or uploaded (README
"Permintaan data").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.dispatch import Signal
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import is_bappeda_admin_of, opd_ids_operated_by
from accounts.functions import functions_in
from accounts.models import Opd, Role, User
from accounts.selectors import admin_scope_of, role_assignments_of
from regions.models import Region
from regions.words import village_word

from ..models import Assessment, DataRequest, IndicatorEntry, TitikPantau
from ..selectors import assessment_for, assessments_visible_to, entries_for_opd_operator

SELESAI = IndicatorEntry.Status.SELESAI
ENTRIES = DataRequest.Kind.ENTRIES
TITIK_PANTAU = DataRequest.Kind.TITIK_PANTAU
KELEMBAGAAN = DataRequest.Kind.KELEMBAGAAN

# Apps above this one answer for the kinds of request whose data they hold (forums: the
# kelembagaan documents of the bodies) by connecting a receiver of (data_requests) that returns
# {request pk: [Outstanding, …]} for the requests of its kind; this app imports none of them.
data_request_outstanding = Signal()


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


def data_requests_visible_to(user: User) -> QuerySet[DataRequest]:
    """The data requests ``user`` reads: every request of the kabupaten/kota they administer
    (Bappeda admin; the superuser every request), the requests made to the OPD(s) they operate,
    and the kelembagaan requests made to the Forum/Pokja whose secretary they are. Verifiers read
    none: the requests are the kabupaten's internal business."""
    administered = admin_scope_of(user)
    if administered.everything:
        return DataRequest.objects.all()
    asked_of_opd = administered.q("assessment__kabupaten__code") | Q(opd_id__in=opd_ids_operated_by(user))
    secretary_of = {a.region_id for a in role_assignments_of(user) if a.role == Role.SECRETARY and a.region_id}
    return DataRequest.objects.filter(
        (Q(assessment__in=assessments_visible_to(user)) & asked_of_opd)
        | Q(kind=KELEMBAGAAN, region_id__in=secretary_of)
    )


def data_request_for(user: User, *, assessment: Assessment, opd_id: int) -> DataRequest:
    """The data request of one OPD in an assessment ``user`` administers, or 404."""
    if not is_bappeda_admin_of(user, assessment.kabupaten_id):
        raise Http404
    return get_object_or_404(
        DataRequest.objects.select_related("opd", "assessment__kabupaten", "assessment__cycle"),
        assessment=assessment,
        opd_id=opd_id,
        kind=ENTRIES,
    )


def data_request_of(user: User, *, assessment: Assessment, pk: int) -> DataRequest:
    """Any data request (of any kind) of an assessment ``user`` administers, or 404."""
    if not is_bappeda_admin_of(user, assessment.kabupaten_id):
        raise Http404
    return get_object_or_404(
        DataRequest.objects.select_related("opd", "region", "assessment__kabupaten", "assessment__cycle"),
        assessment=assessment,
        pk=pk,
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
    requests = {r.opd_id: r for r in assessment.data_requests.filter(kind=ENTRIES)}
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


def overdue_data_requests(
    *, assessment: Assessment | None = None, on: datetime.date | None = None
) -> list[DataRequest]:
    """Data requests of open assessments past their deadline with something still outstanding:
    entries not selesai, titik pantau missing or incomplete, kelembagaan documents missing."""
    on = on or today()
    outstanding = IndicatorEntry.objects.filter(
        assessment_id=OuterRef("assessment_id"), assigned_opd_id=OuterRef("opd_id")
    ).exclude(status=SELESAI)
    requests = DataRequest.objects.filter(open_assessments_q("assessment__", on=on), deadline__lt=on).select_related(
        "opd", "region", "assessment__kabupaten", "assessment__cycle"
    )
    if assessment is not None:
        requests = requests.filter(assessment=assessment)
    entry_requests = list(requests.filter(Exists(outstanding), kind=ENTRIES))
    others = list(requests.exclude(kind=ENTRIES))
    items = outstanding_of(others)
    return entry_requests + [r for r in others if items.get(r.pk)]


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
        for r in DataRequest.objects.filter(
            assessment_id__in={a for a, _ in pairs}, opd_id__in={o for _, o in pairs}, kind=ENTRIES
        )
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


# --- Titik pantau and kelembagaan documents ---------------------------------------------------


@dataclass
class Outstanding:
    """One thing a request still waits for, in plain words, with the page where it is filled.
    ``count`` is how many it stands for ("2 titik pantau lagi" counts 2)."""

    text: str
    url: str = ""
    count: int = 1


def titik_pantau_gaps(point: TitikPantau, *, village: str = "") -> list[str]:
    """What a titik pantau still lacks for the field verifiers: its desa/kelurahan (``village``,
    the kabupaten/kota's own word, regions.words), address, coordinates."""
    gaps = []
    if point.desa_id is None:
        gaps.append(village or _("desa/kelurahan"))
    if not point.address.strip():
        gaps.append(_("alamat"))
    if point.latitude is None or point.longitude is None:
        gaps.append(_("koordinat"))
    return gaps


def points_in_scope(data_request: DataRequest, points) -> list[TitikPantau]:
    """The titik pantau a titik pantau request covers: of its tatanan and, when it names kinds,
    of those kinds."""
    tatanan_ids = {t.pk for t in data_request.tatanan.all()}
    return [
        p
        for p in points
        if p.tatanan_id in tatanan_ids and (not data_request.point_kinds or p.kind in data_request.point_kinds)
    ]


def _titik_pantau_outstanding(requests: list[DataRequest]) -> dict[int, list[Outstanding]]:
    """Per request: for each tatanan asked, the titik pantau still to add (fewer than
    ``points_min``) and each titik pantau in scope that lacks its desa, address or coordinates."""
    result: dict[int, list[Outstanding]] = {}
    assessment_ids = {r.assessment_id for r in requests}
    villages: dict[str, str] = {}  # kabupaten code → its village word: once, not once per titik pantau
    points = list(
        TitikPantau.objects.filter(assessment_id__in=assessment_ids).select_related("tatanan").order_by("name", "pk")
    )
    for data_request in requests:
        own = points_in_scope(data_request, [p for p in points if p.assessment_id == data_request.assessment_id])
        create_url = reverse("indicators:titik_pantau_create", args=[data_request.assessment_id])
        items = []
        for tatanan in sorted(data_request.tatanan.all(), key=lambda t: t.number):
            of_tatanan = [p for p in own if p.tatanan_id == tatanan.pk]
            short = data_request.points_min - len(of_tatanan)
            if short > 0:
                items.append(
                    Outstanding(
                        ngettext(
                            "%(code)s – %(name)s: %(n)s titik pantau lagi",
                            "%(code)s – %(name)s: %(n)s titik pantau lagi",
                            short,
                        )
                        % {"code": tatanan.code, "name": tatanan.name, "n": short},
                        f"{create_url}?tatanan={tatanan.code}",
                        short,
                    )
                )
            for point in of_tatanan:
                kabupaten_id = data_request.assessment.kabupaten_id
                if kabupaten_id not in villages:
                    villages[kabupaten_id] = village_word(data_request.assessment.kabupaten)
                gaps = titik_pantau_gaps(point, village=villages[kabupaten_id])
                if gaps:
                    items.append(
                        Outstanding(
                            _("%(name)s (%(code)s): %(missing)s belum diisi")
                            % {"name": point.name, "code": tatanan.code, "missing": ", ".join(gaps)},
                            reverse("indicators:titik_pantau_edit", args=[data_request.assessment_id, point.pk]),
                        )
                    )
        result[data_request.pk] = items
    return result


def _entries_outstanding(requests: list[DataRequest]) -> dict[int, list[Outstanding]]:
    """Per request: the entries asked of its OPD that are not ``selesai`` (``outstanding_entries``),
    read for every request at once (one query per request made the API's list grow with its
    page; docs/PERFORMANCE.md)."""
    if not requests:
        return {}
    entries = (
        IndicatorEntry.objects.filter(
            assessment_id__in={r.assessment_id for r in requests},
            assigned_opd_id__in={r.opd_id for r in requests},
        )
        .exclude(status=SELESAI)
        .select_related("indicator__tatanan")
        .order_by("indicator__tatanan__number", "indicator__order")
    )
    asked: dict[tuple[int, int], list[Outstanding]] = {}
    for e in entries:
        asked.setdefault((e.assessment_id, e.assigned_opd_id), []).append(
            Outstanding(
                f"{e.indicator.tatanan.code} {e.indicator.number}. {e.indicator.name}",
                reverse("indicators:entry_edit", args=[e.assessment_id, e.pk]),
            )
        )
    return {r.pk: asked.get((r.assessment_id, r.opd_id), []) for r in requests}


def outstanding_of(data_requests) -> dict[int, list[Outstanding]]:
    """What each request still waits for (an empty list: nothing), read from the real data.

    Entries: each entry assigned to the OPD that is not selesai. Titik pantau:
    ``_titik_pantau_outstanding``. Kelembagaan documents: answered by the receivers of
    ``data_request_outstanding`` (``forums.kelembagaan.selectors``)."""
    requests = list(data_requests)
    result: dict[int, list[Outstanding]] = {r.pk: [] for r in requests}
    result.update(_entries_outstanding([r for r in requests if r.kind == ENTRIES]))
    result.update(_titik_pantau_outstanding([r for r in requests if r.kind == TITIK_PANTAU]))
    documents = [r for r in requests if r.kind == KELEMBAGAAN]
    if documents:
        for _receiver, answer in data_request_outstanding.send(sender=DataRequest, data_requests=documents):
            result.update(answer or {})
    return result


@dataclass
class RequestRow:
    """A titik pantau or kelembagaan request with what it still waits for."""

    data_request: DataRequest
    items: list[Outstanding]

    @property
    def outstanding(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def deadline(self) -> datetime.date:
        return self.data_request.deadline

    @property
    def overdue(self) -> bool:
        return bool(self.outstanding and self.deadline < today())


def _rows(requests) -> list[RequestRow]:
    requests = list(requests)
    items = outstanding_of(requests)
    return [RequestRow(data_request=r, items=items[r.pk]) for r in requests]


def other_requests_progress(assessment: Assessment) -> list[RequestRow]:
    """The titik pantau and kelembagaan requests of ``assessment``, each with what is outstanding:
    the titik pantau requests first (by OPD), then the kelembagaan ones (by region)."""
    requests = (
        assessment.data_requests.exclude(kind=ENTRIES)
        .select_related("opd", "region", "assessment__cycle")
        .prefetch_related("tatanan")
        .order_by("-kind", "opd__short_name", "region_id")
    )
    return _rows(requests)


def titik_pantau_requests_of(user: User, assessment: Assessment | None = None) -> QuerySet[DataRequest]:
    """The titik pantau requests made to the OPD(s) ``user`` operates, in open assessments (one
    assessment when given)."""
    requests = DataRequest.objects.filter(
        open_assessments_q("assessment__"), kind=TITIK_PANTAU, opd_id__in=opd_ids_operated_by(user)
    )
    if assessment is not None:
        requests = requests.filter(assessment=assessment)
    return requests.select_related("opd", "assessment__kabupaten", "assessment__cycle").prefetch_related("tatanan")


def titik_pantau_todo(user: User) -> list[RequestRow]:
    """The operator's titik pantau requests with what each still waits for, by deadline."""
    return _rows(titik_pantau_requests_of(user).order_by("deadline", "assessment_id"))


def may_write_titik_pantau(
    user: User, assessment: Assessment, *, tatanan_id: int, kind: str, requests: list[DataRequest] | None = None
) -> bool:
    """Who may add or change a titik pantau of ``tatanan_id`` and ``kind``: the Bappeda admin of
    the kabupaten (and superusers), and the operators of an OPD asked for the titik pantau of
    that tatanan (and kind) while the assessment is open. ``requests``: the user's
    ``titik_pantau_requests_of`` the assessment, when already read (a list asks once, not once
    per titik pantau)."""
    if is_bappeda_admin_of(user, assessment.kabupaten_id):
        return True
    if requests is None:
        requests = titik_pantau_requests_of(user, assessment)
    return any(
        tatanan_id in {t.pk for t in r.tatanan.all()} and (not r.point_kinds or kind in r.point_kinds) for r in requests
    )


def secretaries_of(region: Region) -> list[User]:
    """Active secretaries of the Forum/Pokja of ``region`` who have an e-mail address, each once."""
    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.SECRETARY, role_assignments__region=region)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )
