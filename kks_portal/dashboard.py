"""What the landing page shows each role.

One card per role assignment (plus one for the superuser), built from selectors and real
counts only; later apps (tatanan, forums, evidence, dossiers) add their figures here, since
this module sits above them all. Queries stay few: the user's roles are loaded once, the names
of every region the cards mention in one query, and each card adds one or two counts.

Above the figures, each card answers "what now" (docs/DOMAIN.md, "A round, start to finish"):

* Bappeda: the round of its kabupaten (``Round``): the stage of the dossier, the deadlines, the
  OPD past their data request's deadline, what still blocks submission (the submission
  checklist, each check with the page that fixes it) and, when the province returned the
  dossier, its reason, who and when;
* verifiers: their queue (``QueueItem``), each dossier with its due date;
* OPD operators and secretaries: their next task (``NextTask``), with the page to do it on.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Opd, Role, RoleAssignment
from accounts.selectors import region_label, role_assignments_of, users_manageable_by
from dossiers.models import Dossier, DossierEvent
from dossiers.workflow.selectors import national_queue, province_queue
from dossiers.workflow.services import correction_open_now, last_event, submission_checklist
from evidence.completeness import NO_LISTS, AssessmentReadiness, assessment_readiness, kabupaten_readiness
from forums.kelembagaan.services import body_status, current_cycle, data_years_of, missing_texts
from forums.models import Body
from forums.selectors import SECRETARY_KIND_FOR_LEVEL
from indicators.models import Assessment, IndicatorEntry
from indicators.requests.selectors import OpdProgress, open_assessments_q, request_progress, today, todo_for_operator
from regions.models import Region
from regions.words import kabkota_word, village_word, village_word_of_counts
from tatanan.models import KelembagaanItem

# The roles a Bappeda admin hands out inside the kabupaten, in the order the card lists them.
KABUPATEN_ROLES = [Role.BAPPEDA_ADMIN, Role.OPD_OPERATOR, Role.SECRETARY]


@dataclass
class Stat:
    label: str
    value: int | str
    url: str = ""


@dataclass
class Deadline:
    label: str
    date: datetime.date
    url: str = ""

    @property
    def days(self) -> int:
        """Days left (negative: days past)."""
        return (self.date - today()).days

    @property
    def past(self) -> bool:
        return self.days < 0

    @property
    def days_past(self) -> int:
        return -self.days


@dataclass
class Blocker:
    """A failed check of the submission checklist: how many items, and where to start fixing."""

    code: str
    label: str
    count: int
    url: str


@dataclass
class Round:
    """The kabupaten's current round, for its Bappeda."""

    assessment: Assessment
    status: str
    stage: str
    url: str  # the dossier page
    deadlines: list[Deadline] = field(default_factory=list)
    overdue: list[OpdProgress] = field(default_factory=list)
    requests_url: str = ""
    blockers: list[Blocker] | None = None  # None: submitting is not the question at this stage
    returned: DossierEvent | None = None
    review_url: str = ""

    @property
    def title(self) -> str:
        return str(self.assessment.cycle)


@dataclass
class QueueItem:
    """A dossier waiting for a verifier."""

    kabupaten: str
    status: str
    status_label: str
    since: datetime.datetime | None
    url: str
    due: Deadline | None = None


@dataclass
class NextTask:
    text: str
    url: str = ""
    due: Deadline | None = None
    more: int = 0  # further tasks of the same kind
    more_url: str = ""


@dataclass
class Card:
    role: str
    title: str
    body: str = ""  # the body the person serves: "Forum Kecamatan Sehat Carenang"
    subtitle: str = ""  # where: the region and the regions above it
    stats: list[Stat] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    round: Round | None = None
    queue: list[QueueItem] | None = None  # None: not a verifier's card
    queue_url: str = ""
    queue_total: int = 0
    next_task: NextTask | None = None


def _below(code: str) -> Q:
    return Q(code__startswith=code + ".")


def _counts_below(region: Region) -> dict[str, int]:
    """Kabupaten/kota, kecamatan, desa and kelurahan inside ``region``, in one query."""
    levels = Region.Level
    return Region.objects.filter(_below(region.code)).aggregate(
        kabkota=Count("code", filter=Q(level=levels.KABKOTA)),
        kecamatan=Count("code", filter=Q(level=levels.KECAMATAN)),
        desa=Count("code", filter=Q(level=levels.DESA, kind=Region.Kind.DESA)),
        kelurahan=Count("code", filter=Q(level=levels.DESA, kind=Region.Kind.KELURAHAN)),
    )


def _region_stats(region: Region, counts: dict[str, int]) -> list[Stat]:
    stats = []
    if region.level < Region.Level.KABKOTA:
        stats.append(Stat(_("Kabupaten/kota"), counts["kabkota"]))
    if region.level < Region.Level.KECAMATAN:
        stats.append(Stat(_("Kecamatan"), counts["kecamatan"]))
    if region.level < Region.Level.DESA:
        # "Kelurahan" for a kota of kelurahan (docs/GLOSSARY.md, "One region, its own words").
        kota = region.kind == Region.Kind.KOTA
        word = village_word_of_counts(desa=counts["desa"], kelurahan=counts["kelurahan"], kota=kota)
        stats.append(Stat(capfirst(word), counts["desa"] + counts["kelurahan"]))
    return stats


def body_name(region: Region) -> str:
    """The community body a secretary of ``region`` serves, by its default name ("Pokja Kelurahan
    Sehat Unyur"), the one ``Body.default_name`` gives it."""
    return Body.default_name(kind=SECRETARY_KIND_FOR_LEVEL[region.level], region=region)


def _place(region: Region, names: dict[str, Region]) -> str:
    """ "Kecamatan Carenang · Kabupaten Serang · Provinsi Banten"."""
    parts = []
    for code in reversed(region.ancestor_codes):
        known = names.get(code) or (region if code == region.code else None)
        if known is not None:
            parts.append(region_label(name=known.name, kind=known.kind))
    return " · ".join(parts)


def _user_list_url(**params) -> str:
    return reverse("accounts:user_list") + ("?" + urlencode(params) if params else "")


def _bappeda_card(card: Card, region: Region) -> None:
    counts = _counts_below(region)
    card.stats = _region_stats(region, counts)
    opd_count = Opd.objects.filter(kabupaten=region).count()
    card.stats.append(Stat(_("OPD"), opd_count, reverse("accounts:opd_list")))
    per_role = dict(
        RoleAssignment.objects.filter(Q(region_id=region.code) | Q(region__code__startswith=region.code + "."))
        .values_list("role")
        .annotate(people=Count("user", distinct=True))
    )
    for role in KABUPATEN_ROLES:
        card.stats.append(
            Stat(_("Pengguna: %(role)s") % {"role": role.label}, per_role.get(role, 0), _user_list_url(role=role))
        )
    card.links = [
        (_("Tambah pengguna"), reverse("accounts:user_create")),
        (_("Kelola pengguna"), reverse("accounts:user_list")),
        (_("Kelola OPD"), reverse("accounts:opd_list")),
        (_("Lihat wilayah"), reverse("regions:detail", args=[region.code])),
    ]
    # Every assessment of the kabupaten, newest first, marked open or not: one query for both
    # the links of the open ones and the round of the newest.
    assessments = list(
        Assessment.objects.filter(kabupaten=region)
        .annotate(is_open=ExpressionWrapper(open_assessments_q(), output_field=BooleanField()))
        .select_related("cycle")
        .order_by("-cycle__award_year")
    )
    for assessment in assessments:
        assessment.kabupaten = region
    _assessment_links(card, [a for a in assessments if a.is_open])
    card.round = _round_of(assessments[0]) if assessments else None
    if not opd_count:
        card.next_steps.append(
            _("Daftarkan OPD %(kabkota)s Anda (Dinkes, DLH, PUPR, …) agar operatornya dapat diberi akun.")
            % {"kabkota": kabkota_word(region)}
        )
    if not per_role.get(Role.OPD_OPERATOR):
        card.next_steps.append(_("Buat akun operator untuk setiap OPD yang memegang data indikator."))
    if not per_role.get(Role.SECRETARY):
        card.next_steps.append(
            _("Buat akun sekretaris untuk %(forum)s, Forum Kecamatan Sehat dan %(pokja)s.")
            % {
                "forum": Body.kind_label_in(Body.Kind.FORUM_KABKOTA, region),
                "pokja": Body.kind_label_in(Body.Kind.POKJA_DESA, region),
            }
        )


# Stages where Bappeda's question is "may we submit?": before the first submission, after a
# return, and inside the national correction window (docs/DOMAIN.md, "A round, start to finish").
SUBMITTING = (Dossier.Status.DRAFT, Dossier.Status.RETURNED, Dossier.Status.NATIONAL_CORRECTION)


def _round_of(assessment: Assessment) -> Round:
    """The kabupaten's newest assessment: stage, deadlines, late OPD, blockers, a return's reason."""
    cycle = assessment.cycle
    dossier = Dossier.objects.filter(assessment=assessment).first()
    status = dossier.status if dossier else Dossier.Status.DRAFT
    dossier_url = reverse("dossiers:detail", args=[assessment.pk])
    round_ = Round(
        assessment=assessment,
        status=status,
        stage=_("Penilaian mandiri dan penyusunan dossier")
        if status == Dossier.Status.DRAFT
        else str(Dossier.Status(status).label),
        url=dossier_url,
        requests_url=reverse("indicators:request_outstanding", args=[assessment.pk]),
    )
    if dossier is not None and dossier.is_final:
        return round_
    progress = request_progress(assessment)
    round_.overdue = progress.overdue
    if status in (Dossier.Status.DRAFT, Dossier.Status.RETURNED):
        if cycle.self_assessment_closes:
            round_.deadlines.append(Deadline(_("Penilaian mandiri ditutup"), cycle.self_assessment_closes))
        upcoming = sorted(
            (row for row in progress.opds if row.outstanding and row.deadline and not row.overdue),
            key=lambda row: row.deadline,
        )
        if upcoming:
            row = upcoming[0]
            round_.deadlines.append(
                Deadline(
                    _("Tenggat permintaan data %(opd)s") % {"opd": row.opd.short_name},
                    row.deadline,
                    round_.requests_url,
                )
            )
    if cycle.province_deadline and status in (
        Dossier.Status.DRAFT,
        Dossier.Status.RETURNED,
        *Dossier.AWAITING_PROVINCE,
    ):
        round_.deadlines.append(Deadline(_("Batas verifikasi provinsi"), cycle.province_deadline))
    if dossier is not None and status == Dossier.Status.NATIONAL_CORRECTION and dossier.correction_deadline:
        round_.deadlines.append(
            Deadline(_("Jendela perbaikan ditutup"), timezone.localdate(dossier.correction_deadline), dossier_url)
        )
    round_.deadlines.sort(key=lambda d: d.date)
    if status in SUBMITTING and (status != Dossier.Status.NATIONAL_CORRECTION or correction_open_now(dossier)):
        round_.blockers = [
            Blocker(code=check.code, label=check.label, count=len(check.missing), url=check.url or dossier_url)
            for check in submission_checklist(assessment).failed
        ]
    if status == Dossier.Status.RETURNED:
        round_.returned = last_event(dossier, DossierEvent.Action.RETURN)
        round_.review_url = reverse("dossiers:review", args=[assessment.pk])
    return round_


def _assessment_links(card: Card, assessments: list[Assessment]) -> None:
    """The readiness dashboard and the data requests of the kabupaten's open assessments, with
    their evidence readiness (a handful of queries each: ``evidence.completeness``)."""
    for assessment in assessments:
        year = assessment.cycle.award_year
        card.links.append(
            (
                _("Dasbor penilaian %(year)s") % {"year": year},
                reverse("indicators:assessment_dashboard", args=[assessment.pk]),
            )
        )
        card.links.append(
            (
                _("Permintaan data %(year)s") % {"year": year},
                reverse("indicators:request_outstanding", args=[assessment.pk]),
            )
        )
        _evidence_stats(card, assessment)


def _evidence_stats(card: Card, assessment: Assessment, *, opd: Opd | None = None) -> AssessmentReadiness:
    """How much of the assessment's evidence is in place: the community bodies ready (for
    Bappeda) and the indicators whose evidence is complete (an OPD's own, for its operator)."""
    year = assessment.cycle.award_year
    url = reverse("evidence:readiness", args=[assessment.pk])
    if opd is None:
        bodies = kabupaten_readiness(assessment.kabupaten, years=assessment.cycle.data_years, lists=NO_LISTS).bodies
        card.stats.append(Stat(_("Lembaga siap (bukti kegiatan) %(year)s") % {"year": year}, str(bodies), url))
        card.links.append((_("Kesiapan bukti %(year)s") % {"year": year}, url))
    readiness = assessment_readiness(assessment, opd_ids={opd.pk} if opd is not None else None, with_kelembagaan=False)
    evidence = readiness.tally
    if opd is not None and not evidence.total:
        return readiness
    card.stats.append(
        Stat(
            _("Indikator dengan bukti lengkap %(year)s") % {"year": year},
            str(evidence),
            reverse("evidence:assessment_evidence", args=[assessment.pk]) if opd is not None else url,
        )
    )
    if opd is not None:
        card.links.append(
            (_("Bukti dukung %(year)s") % {"year": year}, reverse("evidence:assessment_evidence", args=[assessment.pk]))
        )
    return readiness


def _opd_todo(card: Card, assignment: RoleAssignment) -> None:
    """What the OPD still owes Bappeda in open assessments, with the way to the to-do list.

    The count appears once the OPD has been asked for something."""
    counts = IndicatorEntry.objects.filter(open_assessments_q("assessment__"), assigned_opd=assignment.opd).aggregate(
        assigned=Count("pk"), pending=Count("pk", filter=~Q(status=IndicatorEntry.Status.SELESAI))
    )
    if counts["assigned"]:
        card.stats.append(Stat(_("Indikator belum selesai"), counts["pending"], reverse("indicators:todo")))
    card.links.append((_("Daftar tugas"), reverse("indicators:todo")))


def _opd_card(card: Card, assignment: RoleAssignment, names: dict[str, Region], user) -> None:
    opd, region = assignment.opd, assignment.region
    if opd is None:
        return
    card.body = opd.name
    card.subtitle = _place(region, names)
    colleagues = RoleAssignment.objects.filter(role=Role.OPD_OPERATOR, opd=opd).values("user").distinct().count()
    card.stats = [Stat(_("Singkatan"), opd.short_name), Stat(_("Operator di OPD ini"), colleagues)]
    _opd_todo(card, assignment)
    readiness = [
        _evidence_stats(card, assessment, opd=opd)
        for assessment in Assessment.objects.filter(open_assessments_q(), kabupaten_id=opd.kabupaten_id).select_related(
            "cycle", "kabupaten"
        )
    ]
    card.next_task = _opd_next_task(user, assignment, readiness)


def _opd_next_task(user, assignment: RoleAssignment, readiness: list[AssessmentReadiness]) -> NextTask:
    """The OPD's next entry to fill (the most pressing deadline first), else the next indicator
    whose evidence is incomplete, else nothing left."""
    pending = [
        entry
        for group in todo_for_operator(user)
        for entry in group.entries
        if entry.assigned_opd_id == assignment.opd_id and entry.status != IndicatorEntry.Status.SELESAI
    ]
    if pending:
        pending.sort(key=lambda e: (e.deadline is None, e.deadline or datetime.date.max))
        entry = pending[0]
        indicator = entry.indicator
        return NextTask(
            text=_("Isi data indikator %(code)s %(number)s. %(name)s")
            % {"code": indicator.tatanan.code, "number": indicator.number, "name": indicator.name},
            url=reverse("indicators:entry_edit", args=[entry.assessment_id, entry.pk]),
            due=Deadline(_("Tenggat"), entry.deadline) if entry.deadline else None,
            more=len(pending) - 1,
            more_url=reverse("indicators:todo"),
        )
    for assessment_readiness_ in readiness:
        incomplete = [item for item in assessment_readiness_.indicators if not item.complete]
        if incomplete:
            item = incomplete[0]
            return NextTask(
                text=_("Unggah bukti dukung indikator %(code)s %(number)s. %(name)s")
                % {"code": item.indicator.tatanan.code, "number": item.indicator.number, "name": item.indicator.name},
                url=reverse("evidence:indicator_evidence", args=[assessment_readiness_.assessment.pk, item.entry.pk]),
                more=len(incomplete) - 1,
                more_url=reverse("evidence:assessment_evidence", args=[assessment_readiness_.assessment.pk]),
            )
    return NextTask(text=_("Tidak ada tugas yang tertunda. Data dan bukti dukung OPD Anda lengkap."))


def _secretary_card(card: Card, region: Region, names: dict[str, Region]) -> None:
    card.body = body_name(region)
    card.subtitle = _place(region, names)
    if region.level < Region.Level.DESA:
        card.stats = _region_stats(region, _counts_below(region))
    if region.level == Region.Level.KECAMATAN:
        with_pokja = (
            RoleAssignment.objects.filter(role=Role.SECRETARY, region__code__startswith=region.code + ".")
            .values("region")
            .distinct()
            .count()
        )
        village = capfirst(village_word(region))
        card.stats.append(Stat(_("%(village)s dengan sekretaris Pokja di portal") % {"village": village}, with_pokja))
        _kecamatan_readiness(card, region)
    card.next_steps.append(
        _("Siapkan SK, data sekretariat, anggota, rencana kerja dan bukti kegiatan %(body)s untuk diunggah.")
        % {"body": card.body}
    )
    with contextlib.suppress(NoReverseMatch):  # until the forums pages are routed
        card.links.insert(0, (_("Beranda lembaga saya"), reverse("forums:secretary_home")))
    card.next_task = _secretary_next_task(region)


# The page that fixes each kelembagaan item of a body (``forums.kelembagaan``).
BODY_ITEM_PAGES = {
    KelembagaanItem.Item.SK: "forums:decree_list",
    KelembagaanItem.Item.RENCANA_KERJA: "forums:work_plan_list",
    KelembagaanItem.Item.ANGGARAN: "forums:work_plan_list",
    KelembagaanItem.Item.SEKRETARIAT: "forums:secretariat_edit",
}


def _secretary_next_task(region: Region) -> NextTask:
    """The first thing the body lacks (SK, work plan and budget, sekretariat), else its activities."""
    body = Body.objects.filter(kind=SECRETARY_KIND_FOR_LEVEL.get(region.level), region=region).first()
    if body is None:
        return NextTask(text=_("Lembaga Anda belum dibentuk di portal. Minta admin Bappeda membentuknya."))
    status = body_status(body, years=data_years_of(current_cycle()))
    texts = missing_texts(status)
    if texts:
        return NextTask(
            text=texts[0],
            url=reverse(BODY_ITEM_PAGES[status.missing[0]], args=[body.pk]),
            more=len(texts) - 1,
            more_url=reverse("forums:secretary_home"),
        )
    return NextTask(
        text=_("Catat kegiatan dan unggah buktinya."), url=reverse("evidence:activity_list", args=[body.pk])
    )


def _kecamatan_readiness(card: Card, kecamatan: Region) -> None:
    """The kecamatan's documented activities for its kabupaten's open assessments: the Pokja
    ready, and the way to the desa-by-desa page."""
    for assessment in Assessment.objects.filter(open_assessments_q(), kabupaten_id=kecamatan.parent_id).select_related(
        "cycle", "kabupaten"
    ):
        year = assessment.cycle.award_year
        url = reverse("evidence:readiness_kecamatan", args=[assessment.pk, kecamatan.code])
        rollup = kabupaten_readiness(
            assessment.kabupaten, years=assessment.cycle.data_years, kecamatan_code=kecamatan.code, lists=NO_LISTS
        )
        card.stats.append(Stat(_("Pokja siap (bukti kegiatan) %(year)s") % {"year": year}, str(rollup.pokja), url))
        card.links.append((_("Kesiapan bukti kecamatan %(year)s") % {"year": year}, url))


def _province_card(card: Card, region: Region) -> None:
    card.subtitle = region_label(name=region.name, kind=region.kind)
    card.stats = _region_stats(region, _counts_below(region))
    with_admin = (
        RoleAssignment.objects.filter(role=Role.BAPPEDA_ADMIN, region__code__startswith=region.code + ".")
        .values("region")
        .distinct()
        .count()
    )
    card.stats.append(Stat(_("Kabupaten/kota dengan admin Bappeda di portal"), with_admin))
    card.links.append((_("Antrean verifikasi dossier"), reverse("dossiers:queue")))
    card.next_steps.append(
        _("Dokumen penilaian yang diajukan kabupaten/kota di provinsi Anda muncul di antrean verifikasi.")
    )


# How many dossiers of a queue the home lists (the queue page has them all).
QUEUE_SHOWN = 8


def _queue(card: Card, dossiers) -> None:
    """The verifier's waiting dossiers, oldest first, each with its due date: the cycle's
    provincial deadline in the province stage, the correction window's end in the national one."""
    card.queue_url = reverse("dossiers:queue")
    card.queue_total = dossiers.count()
    card.queue = []
    for dossier in dossiers[:QUEUE_SHOWN]:
        assessment = dossier.assessment
        due = None
        if dossier.status in Dossier.AWAITING_PROVINCE and assessment.cycle.province_deadline:
            due = Deadline(_("Batas verifikasi provinsi"), assessment.cycle.province_deadline)
        elif dossier.status == Dossier.Status.NATIONAL_CORRECTION and dossier.correction_deadline:
            due = Deadline(_("Jendela perbaikan ditutup"), timezone.localdate(dossier.correction_deadline))
        card.queue.append(
            QueueItem(
                kabupaten=assessment.kabupaten.name,
                status=dossier.status,
                status_label=dossier.get_status_display(),
                since=dossier.status_changed_at,
                url=reverse("dossiers:review", args=[assessment.pk]),
                due=due,
            )
        )


def _national_counts() -> list[Stat]:
    counts = Region.objects.filter(level__lte=Region.Level.KABKOTA).aggregate(
        provinsi=Count("code", filter=Q(level=Region.Level.PROVINSI)),
        kabkota=Count("code", filter=Q(level=Region.Level.KABKOTA)),
    )
    return [Stat(_("Provinsi"), counts["provinsi"]), Stat(_("Kabupaten/kota"), counts["kabkota"])]


def _region_names(assignments: list[RoleAssignment]) -> dict[str, Region]:
    """Every region above the cards' regions, in one query."""
    codes = {code for a in assignments if a.region for code in a.region.ancestor_codes}
    return {r.code: r for r in Region.objects.filter(code__in=codes).only("code", "name", "kind", "level")}


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    assignments = role_assignments_of(user)
    if user.is_superuser:
        cards.append(
            Card(
                role="superuser",
                title=_("Superuser"),
                subtitle=_("Seluruh Indonesia"),
                stats=[
                    Stat(_("Pengguna"), users_manageable_by(user).count(), reverse("accounts:user_list")),
                    *_national_counts(),
                ],
                links=[
                    (_("Kelola pengguna"), reverse("accounts:user_list")),
                    (_("Kelola OPD"), reverse("accounts:opd_list")),
                    (_("Admin Django"), reverse("admin:index")),
                ],
            )
        )
    names = _region_names(assignments) if any(a.role != Role.BAPPEDA_ADMIN for a in assignments) else {}
    for assignment in assignments:
        region = assignment.region
        card = Card(role=assignment.role, title=assignment.get_role_display())
        if region is not None:
            card.subtitle = region_label(name=region.name, kind=region.kind)
            card.links = [(_("Lihat wilayah"), reverse("regions:detail", args=[region.code]))]
        if assignment.role == Role.BAPPEDA_ADMIN and region is not None:
            _bappeda_card(card, region)
        elif assignment.role == Role.OPD_OPERATOR and region is not None:
            _opd_card(card, assignment, names, user)
        elif assignment.role == Role.SECRETARY and region is not None:
            _secretary_card(card, region, names)
        elif assignment.role == Role.PROVINCE_VERIFIER and region is not None:
            _province_card(card, region)
            if not any(c.queue is not None for c in cards if c.role == Role.PROVINCE_VERIFIER):
                _queue(card, province_queue(user))  # one queue for all the user's provinces
        elif assignment.role == Role.NATIONAL_VERIFIER:
            card.subtitle = _("Seluruh Indonesia")
            card.stats = _national_counts()
            card.links = [
                (_("Jelajahi wilayah"), reverse("regions:browse")),
                (_("Antrean verifikasi dossier"), reverse("dossiers:queue")),
            ]
            card.next_steps.append(
                _("Dokumen penilaian yang disetujui provinsi muncul di antrean verifikasi untuk verifikasi pusat.")
            )
            _queue(card, national_queue(user))
        cards.append(card)
    return cards
