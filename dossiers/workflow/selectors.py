"""Reads of the verification workflow: the verifiers' queues, the dossier's history and threads,
and what the review page shows per tatanan and indicator. Always through the user's scope:
whoever may not take part in a dossier's verification gets 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import is_any_province_verifier, is_national_verifier, is_superuser
from accounts.models import Role, User
from accounts.selectors import scope_filter
from evidence.models import EvidenceFile
from indicators.models import Assessment, IndicatorEntry
from tatanan.models import ScaleOption, Tatanan

from ..models import BeritaAcara, Dossier, DossierComment, DossierEvent
from ..selectors import dossier_assessment_for
from .services import is_participant


def workflow_assessment_for(user: User, pk: int) -> Assessment:
    """The assessment whose verification ``user`` takes part in, or 404."""
    assessment = dossier_assessment_for(user, pk)
    if not is_participant(user, assessment):
        raise Http404
    return assessment


def dossier_of(assessment: Assessment) -> Dossier:
    """The assessment's dossier (a draft one is made on first use)."""
    dossier, _created = Dossier.objects.select_related("submitted_version").get_or_create(assessment=assessment)
    return dossier


def can_see_queue(user: User) -> bool:
    return is_national_verifier(user) or is_any_province_verifier(user)


def _dossiers() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "assessment__kabupaten__parent", "assessment__cycle", "submitted_version", "status_changed_by"
    ).order_by("status_changed_at", "pk")


def province_queue(user: User) -> QuerySet[Dossier]:
    """Dossiers of the user's province(s) awaiting the province, oldest submission first."""
    if not (is_superuser(user) or is_any_province_verifier(user)):
        return Dossier.objects.none()
    dossiers = _dossiers().filter(status__in=Dossier.AWAITING_PROVINCE)
    return scope_filter(dossiers, user=user, field="assessment__kabupaten__code", roles={Role.PROVINCE_VERIFIER})


def national_queue(user: User) -> QuerySet[Dossier]:
    if not is_national_verifier(user):
        return Dossier.objects.none()
    return _dossiers().filter(status__in=Dossier.AWAITING_NATIONAL)


def returned_in_province(user: User) -> QuerySet[Dossier]:
    """Returned dossiers of the user's province(s): waiting for the kabupaten, shown apart."""
    if not (is_superuser(user) or is_any_province_verifier(user)):
        return Dossier.objects.none()
    dossiers = _dossiers().filter(status=Dossier.Status.RETURNED)
    return scope_filter(dossiers, user=user, field="assessment__kabupaten__code", roles={Role.PROVINCE_VERIFIER})


def events_of(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.select_related("actor", "version").order_by("created_at", "id"))


def berita_acara_of(dossier: Dossier) -> list[BeritaAcara]:
    return list(dossier.berita_acara.select_related("version", "created_by").order_by("-created_at"))


def berita_acara_for(user: User, *, pk: int, ba_pk: int) -> BeritaAcara:
    assessment = workflow_assessment_for(user, pk)
    return get_object_or_404(BeritaAcara.objects.select_related("dossier"), pk=ba_pk, dossier__assessment=assessment)


# --- Threads --------------------------------------------------------------------------------------------


@dataclass
class Thread:
    root: DossierComment
    replies: list[DossierComment] = field(default_factory=list)

    @property
    def comments(self) -> list[DossierComment]:
        return [self.root, *self.replies]


@dataclass
class Threads:
    by_entry: dict[int, list[Thread]]
    by_chapter: dict[str, list[Thread]]
    general: list[Thread]

    @property
    def count(self) -> int:
        return (
            sum(len(t) for t in self.by_entry.values())
            + sum(len(t) for t in self.by_chapter.values())
            + len(self.general)
        )


def threads_of(dossier: Dossier) -> Threads:
    """Every thread of the dossier (one query), by subject, oldest first."""
    comments = dossier.comments.select_related("author", "version").order_by("created_at", "id")
    threads: dict[int, Thread] = {}
    replies = []
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    by_entry, by_chapter, general = defaultdict(list), defaultdict(list), []
    for thread in threads.values():
        if thread.root.entry_id:
            by_entry[thread.root.entry_id].append(thread)
        elif thread.root.chapter_key:
            by_chapter[thread.root.chapter_key].append(thread)
        else:
            general.append(thread)
    return Threads(dict(by_entry), dict(by_chapter), general)


# --- The review page ------------------------------------------------------------------------------------


@dataclass
class ReviewRow:
    entry: IndicatorEntry
    options: list[ScaleOption]
    files: list[EvidenceFile]
    threads: list[Thread]


@dataclass
class TatananTab:
    tatanan: Tatanan
    total: int
    scored: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.scored == self.total


def tatanan_tabs(assessment: Assessment, layer: str | None) -> list[TatananTab]:
    """Every assessed tatanan with how many of its indicators the layer has scored."""
    score_field = {"provincial": "provincial_score_id", "national": "national_score_id"}.get(layer or "provincial")
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for tatanan_id, score in assessment.indicator_entries.filter(indicator__is_local=False).values_list(
        "indicator__tatanan_id", score_field
    ):
        counts[tatanan_id][0] += 1
        counts[tatanan_id][1] += int(score is not None)
    tatanan = Tatanan.objects.filter(pk__in=counts).order_by("number")
    return [TatananTab(t, *counts[t.pk]) for t in tatanan]


def review_rows(dossier: Dossier, tatanan: Tatanan) -> list[ReviewRow]:
    """The indicators of one tatanan with their scale options, live evidence files and threads."""
    assessment = dossier.assessment
    entries = list(
        assessment.indicator_entries.filter(indicator__tatanan=tatanan)
        .select_related("indicator__tatanan", "self_score", "provincial_score", "national_score", "assigned_opd")
        .prefetch_related(Prefetch("indicator__scale_options", queryset=ScaleOption.objects.order_by("order")))
        .order_by("indicator__is_local", "indicator__order", "indicator_id")
    )
    indicator_ids = [e.indicator_id for e in entries]
    files = defaultdict(list)
    live = (
        EvidenceFile.objects.filter(
            assessment=assessment,
            requirement__indicator_id__in=indicator_ids,
            deleted_at__isnull=True,
            replaced_by__isnull=True,
        )
        .select_related("blob", "requirement")
        .order_by("requirement__order", "data_year", "pk")
    )
    for item in live:
        files[item.requirement.indicator_id].append(item)
    threads = threads_of(dossier)
    return [
        ReviewRow(
            entry=entry,
            options=list(entry.indicator.scale_options.all()),
            files=files[entry.indicator_id],
            threads=threads.by_entry.get(entry.pk, []),
        )
        for entry in entries
    ]
