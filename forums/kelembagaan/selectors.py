"""Kelembagaan documents asked by Bappeda (``indicators.DataRequest`` of kind ``kelembagaan``):
which of them each body still lacks, read from its SK, work plans and sekretariat every time.

* **SK**: a current SK, not expired, with its scan uploaded.
* **Rencana kerja**: a work plan for every data year of the assessment's cycle, submitted or
  approved (a draft or a returned plan is still outstanding: the secretary has to send it).
* **Sekretariat**: the address and the photo of the name board.

The indicators app asks its ``data_request_outstanding`` signal for what a kelembagaan request
still waits for; ``outstanding_documents`` answers it (connected in ``ForumsConfig.ready``).
README "Permintaan data".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from indicators.models import Assessment, DataRequest
from indicators.requests.selectors import (
    Outstanding,
    RequestRow,
    data_request_outstanding,
    open_assessments_q,
    outstanding_of,
)
from kks_portal.lib.text import and_list
from regions.models import Region

from ..models import Body, Decree, Secretariat, WorkPlan
from ..selectors import SECRETARY_KIND_FOR_LEVEL, secretary_regions_of

DOCUMENT = DataRequest.Document
SENT = (WorkPlan.Status.SUBMITTED, WorkPlan.Status.APPROVED)


@dataclass
class DocumentStatus:
    """Which kelembagaan documents one body has for the given data years."""

    body: Body
    years: list[int]
    has_sk: bool = False
    plan_years: set[int] = field(default_factory=set)
    has_secretariat: bool = False

    @property
    def missing_years(self) -> list[int]:
        return [y for y in self.years if y not in self.plan_years]

    def has(self, document: str) -> bool:
        return {
            DOCUMENT.SK: self.has_sk,
            DOCUMENT.RENCANA_KERJA: not self.missing_years,
            DOCUMENT.SEKRETARIAT: self.has_secretariat,
        }[document]

    @property
    def flags(self) -> list[tuple[str, str, bool]]:
        """(document, label, in place) for every document, in order."""
        return [(d, label, self.has(d)) for d, label in DOCUMENT.choices]

    def outstanding(self, documents: list[str]) -> list[Outstanding]:
        """Of ``documents``, what the body lacks, each with the page where it is filled."""
        items = []
        for document in (d for d in DOCUMENT.values if d in documents):
            if self.has(document):
                continue
            if document == DOCUMENT.SK:
                text = _("SK pembentukan yang berlaku, dengan berkas pindaiannya, belum diunggah.")
                url = reverse("forums:decree_list", args=[self.body.pk])
                count = 1
            elif document == DOCUMENT.RENCANA_KERJA:
                missing = self.missing_years
                text = _("Rencana kerja tahun %(years)s belum diajukan.") % {"years": and_list(missing)}
                url = reverse("forums:work_plan_list", args=[self.body.pk])
                count = len(missing)
            else:
                text = _("Alamat dan foto papan nama sekretariat belum lengkap.")
                url = reverse("forums:secretariat_edit", args=[self.body.pk])
                count = 1
            items.append(Outstanding(text, url, count))
        return items


def document_statuses(
    bodies: list[Body], *, years: list[int], today: datetime.date | None = None
) -> dict[int, DocumentStatus]:
    """The document status of every body in ``bodies``, by body id: three queries."""
    today = today or timezone.localdate()
    statuses = {b.pk: DocumentStatus(body=b, years=list(years)) for b in bodies}
    ids = list(statuses)
    decrees = (
        Decree.objects.filter(body_id__in=ids, is_current=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exclude(Q(file="") | Q(file__isnull=True))
    )
    for body_id in decrees.values_list("body_id", flat=True):
        statuses[body_id].has_sk = True
    plans = WorkPlan.objects.filter(body_id__in=ids, year__in=years, status__in=SENT)
    for body_id, year in plans.values_list("body_id", "year"):
        statuses[body_id].plan_years.add(year)
    secretariats = (
        Secretariat.objects.filter(body_id__in=ids)
        .exclude(address="")
        .exclude(Q(name_board_photo="") | Q(name_board_photo__isnull=True))
    )
    for body_id in secretariats.values_list("body_id", flat=True):
        statuses[body_id].has_secretariat = True
    return statuses


def body_of_region(region: Region) -> Body | None:
    """The Forum/Pokja whose secretary serves ``region`` (None when not set up in the portal)."""
    kind = SECRETARY_KIND_FOR_LEVEL.get(region.level)
    return Body.objects.filter(kind=kind, region=region).select_related("region").first() if kind else None


@receiver(data_request_outstanding)
def outstanding_documents(sender, data_requests, **kwargs) -> dict[int, list[Outstanding]]:
    """What each kelembagaan request still waits for: the documents its body lacks, or every
    document asked when the body has not been set up in the portal yet."""
    requests = [r for r in data_requests if r.kind == DataRequest.Kind.KELEMBAGAAN]
    bodies = {
        (b.kind, b.region_id): b
        for b in Body.objects.filter(
            kind__in=Body.SECRETARY_KINDS, region_id__in={r.region_id for r in requests}
        ).select_related("region")
    }
    by_years: dict[tuple[int, ...], list[Body]] = defaultdict(list)
    wanted: dict[int, tuple[Body | None, tuple[int, ...]]] = {}
    for data_request in requests:
        kind = SECRETARY_KIND_FOR_LEVEL.get(data_request.region.level)
        body = bodies.get((kind, data_request.region_id))
        years = tuple(data_request.assessment.cycle.data_years)
        wanted[data_request.pk] = (body, years)
        if body is not None:
            by_years[years].append(body)
    statuses = {
        (years, body_id): status
        for years, group in by_years.items()
        for body_id, status in document_statuses(group, years=list(years)).items()
    }
    result = {}
    for data_request in requests:
        body, years = wanted[data_request.pk]
        if body is None:
            result[data_request.pk] = [
                Outstanding(
                    _("%(document)s (lembaga belum dibentuk di portal; minta admin Bappeda membentuknya)")
                    % {"document": DOCUMENT(d).label}
                )
                for d in DOCUMENT.values
                if d in data_request.documents
            ]
        else:
            result[data_request.pk] = statuses[(years, body.pk)].outstanding(data_request.documents)
    return result


def document_requests_for_secretary(user: User) -> list[RequestRow]:
    """The kelembagaan requests made to the Forum/Pokja of the secretary's region(s), in open
    assessments, with what each still waits for; the nearest deadline first."""
    regions = [r.code for r in secretary_regions_of(user)]
    requests = list(
        DataRequest.objects.filter(
            open_assessments_q("assessment__"), kind=DataRequest.Kind.KELEMBAGAAN, region_id__in=regions
        )
        .select_related("region", "assessment__kabupaten", "assessment__cycle")
        .order_by("deadline", "assessment_id")
    )
    items = outstanding_of(requests)
    return [RequestRow(data_request=r, items=items[r.pk]) for r in requests]


@dataclass
class RequestableBody:
    """A Forum/Pokja Bappeda may ask for documents: its status and its current request, if any."""

    status: DocumentStatus
    data_request: DataRequest | None

    @property
    def body(self) -> Body:
        return self.status.body

    @property
    def lacking(self) -> bool:
        return any(not has for _d, _label, has in self.status.flags)


def requestable_bodies(assessment: Assessment) -> list[RequestableBody]:
    """Every Forum/Pokja of the assessment's kabupaten/kota (those with a secretary), with which
    documents each has for the cycle's data years and the kelembagaan request made to it."""
    code = assessment.kabupaten_id
    bodies = list(
        Body.objects.filter(kind__in=Body.SECRETARY_KINDS)
        .filter(Q(region_id=code) | Q(region__code__startswith=code + "."))
        .select_related("region", "region__parent")
        .order_by("region_id", "kind")
    )
    statuses = document_statuses(bodies, years=assessment.cycle.data_years)
    requests = {r.region_id: r for r in assessment.data_requests.filter(kind=DataRequest.Kind.KELEMBAGAAN)}
    return [RequestableBody(status=statuses[b.pk], data_request=requests.get(b.region_id)) for b in bodies]
