"""The verification workflow of a dossier: submission to the province, provincial verification,
the national virtual verification with its correction window, and the final decision.

```
draft ──submit──▶ submitted ──open_review──▶ province_review ──approve──▶ province_approved
  ▲                   ▲                        │                              │
  │                   └──────submit─── returned ◀──return (reason)            open_national
                                                                              ▼
 awarded / not_awarded ◀──decide── national_review ◀──submit_correction── national_correction
                                        └──────────open_correction (2×24 h)──────▲
```

Who does what (anyone else gets 404 from the pages and the API):

* the kabupaten's **Bappeda admin** submits, resubmits after a return, uploads a correction within
  the national window, and answers comment threads;
* a **province verifier** of the kabupaten's province opens the review, scores every indicator
  (``provincial_score`` from the indicator's own scale options, with a note), comments per
  indicator and per chapter, returns for revision with a reason, or approves: the approval
  generates the berita acara (``berita_acara``) and forwards the dossier to the national level;
* a **national verifier** opens the virtual verification, scores (``national_score``), may open
  the correction window (``Cycle.correction_window_hours``; after the deadline corrections are
  refused), and decides: awarded with a tier, or not awarded.
* the superuser may do everything.

Every transition locks the dossier row (``select_for_update``) and checks the status it starts
from, so two people acting at once cannot push a dossier through twice: the second one finds
the status changed and is refused. Each transition adds a ``DossierEvent`` (from, to, who, when,
version, reason) and, after commit, queues its e-mails (``notifications``).

**What must be complete before submitting** (``submission_checklist``; the same list is shown on
the dossier page before the button). Local indicators (a kabupaten's own) never block, as they
never count towards the tier:

1. ``version``: a finished version exists, no compile is running, the newest finished version
   has not been submitted yet (after a return, a new version must be compiled), and it was
   compiled after the last change to an indicator entry or a requirement's evidence file (so the
   PDF the province reads is the data it scores).
2. ``self_scores``: every indicator has a self score.
3. ``data_years``: every indicator has data for both data years (the condition of every tier).
4. ``evidence``: every evidence requirement of every indicator is met for every year it asks
   (``evidence.completeness``).
5. ``kelembagaan_scores``: every kelembagaan item has a self score (``kelembagaan_fill_assessment``
   fills them from the bodies).
6. ``kelembagaan_bodies``: the kabupaten's Tim Pembina and Forum Kabupaten/Kota exist in the
   portal with an SK in force (``forums.kelembagaan.services``); without them there is no programme to assess.
7. ``kelembagaan_evidence``: the kelembagaan items' own evidence requirements are met.
8. ``odf``: the ODF status is reported for every kecamatan the round counts (those of the usulan,
   else all; ``indicators.selectors.usulan_kecamatan``).

Every missing item carries the page where it is fixed (``Missing.url``): the indicator's entry
form, the upload page of the requirement and year, the kelembagaan form, the body's SK page, the
kecamatan's ODF form, the compile button. The page lists the first few and folds the rest.

A kelembagaan or ODF score *below* a tier's threshold does not block submission: that decides
the tier, which is the verifiers' business, not whether the dossier may be verified.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.access import is_bappeda_admin_of, is_national_verifier, is_province_verifier_of
from accounts.models import User
from evidence.completeness import assessment_readiness
from evidence.models import EvidenceFile
from forums.kelembagaan.services import body_statuses
from forums.models import Body
from indicators.models import Assessment, IndicatorEntry, KelembagaanEntry, OdfStatus
from indicators.selectors import usulan_kecamatan
from regions.words import kabkota_word
from tatanan.models import ScaleOption, TierRule
from tatanan.selectors import is_selectable, retired_option_message

from ..berita_acara import berita_acara_create
from ..models import Dossier, DossierComment, DossierEvent, DossierVersion
from ..notifications import event_notify_later
from ..services import dossier_version_mark_submitted

Status = Dossier.Status
Action = DossierEvent.Action
# How many missing items a check lists by name in a message (the rest are counted).
DETAIL_LIMIT = 12
# How many the dossier page shows before folding the rest into "dan N lainnya".
SHOWN_ON_PAGE = 5
# Longest name of an indicator or requirement a missing item quotes.
NAME_LIMIT = 80
COMMENT_MAX = 4000
REASON_MIN = 10

PROVINCE_STAGE = (Status.SUBMITTED, Status.PROVINCE_REVIEW, Status.RETURNED)
NATIONAL_STAGE = (Status.PROVINCE_APPROVED, Status.NATIONAL_REVIEW, Status.NATIONAL_CORRECTION)
LAYERS = {"provincial": ("provincial_score", "provincial_note"), "national": ("national_score", "national_note")}


# --- Who may act ------------------------------------------------------------------------------------


def is_kabupaten_admin(user: User, assessment: Assessment) -> bool:
    return is_bappeda_admin_of(user, assessment.kabupaten_id)


def is_participant(user: User, assessment: Assessment) -> bool:
    """Whoever takes part in this dossier's verification (and so reads its workflow pages)."""
    return (
        is_kabupaten_admin(user, assessment)
        or is_province_verifier_of(user, assessment.kabupaten_id)
        or is_national_verifier(user)
    )


def scoring_layer(user: User, dossier: Dossier) -> str | None:
    """The layer ``user`` scores in now: provincial during the provincial review, national during
    the national one; None when it is not their turn."""
    kabupaten = dossier.assessment.kabupaten_id
    if dossier.status == Status.PROVINCE_REVIEW and is_province_verifier_of(user, kabupaten):
        return "provincial"
    if dossier.status in (Status.NATIONAL_REVIEW, Status.NATIONAL_CORRECTION) and is_national_verifier(user):
        return "national"
    return None


def verifies_in_stage(user: User, dossier: Dossier) -> bool:
    """Whether the dossier's current stage is ``user``'s to verify (even if not to score right now)."""
    if dossier.status in PROVINCE_STAGE and is_province_verifier_of(user, dossier.assessment.kabupaten_id):
        return True
    return dossier.status in NATIONAL_STAGE and is_national_verifier(user)


def comment_side(user: User, dossier: Dossier) -> str | None:
    """As whom ``user`` writes in the dossier's threads now (None: they may not write)."""
    kabupaten = dossier.assessment.kabupaten_id
    if dossier.status in PROVINCE_STAGE and is_province_verifier_of(user, kabupaten):
        return DossierComment.Side.PROVINCE
    if dossier.status in NATIONAL_STAGE and is_national_verifier(user):
        return DossierComment.Side.NATIONAL
    if dossier.status != Status.DRAFT and not dossier.is_final and is_kabupaten_admin(user, dossier.assessment):
        return DossierComment.Side.KABUPATEN
    return None


def correction_open_now(dossier: Dossier, now: datetime.datetime | None = None) -> bool:
    return (
        dossier.status == Status.NATIONAL_CORRECTION
        and dossier.correction_deadline is not None
        and (now or timezone.now()) <= dossier.correction_deadline
    )


def allowed_actions(user: User, dossier: Dossier | None, assessment: Assessment) -> set[str]:
    """The transitions ``user`` may attempt now (the pages show these buttons)."""
    status = dossier.status if dossier else Status.DRAFT
    actions: set[str] = set()
    kabupaten = assessment.kabupaten_id
    if is_kabupaten_admin(user, assessment):
        if status in (Status.DRAFT, Status.RETURNED):
            actions.add(Action.SUBMIT)
        if dossier is not None and correction_open_now(dossier):
            actions.add(Action.SUBMIT_CORRECTION)
    if is_province_verifier_of(user, kabupaten):
        if status == Status.SUBMITTED:
            actions.add(Action.OPEN_REVIEW)
        if status == Status.PROVINCE_REVIEW:
            actions.update({Action.RETURN, Action.APPROVE})
    if is_national_verifier(user):
        if status == Status.PROVINCE_APPROVED:
            actions.add(Action.OPEN_NATIONAL)
        if status == Status.NATIONAL_REVIEW:
            actions.update({Action.OPEN_CORRECTION, Action.AWARD, Action.NOT_AWARD})
        if dossier is not None and status == Status.NATIONAL_CORRECTION and not correction_open_now(dossier):
            actions.update({Action.AWARD, Action.NOT_AWARD})
    return actions


# --- What must be complete before submitting ------------------------------------------------------------


class Missing(str):
    """One missing item of a check: its text (the string itself, so ``messages()``, the API and
    comparisons read it as plain text) and ``url``, the page where it is fixed."""

    url: str

    def __new__(cls, text: str, url: str = "") -> Missing:
        item = super().__new__(cls, text)
        item.url = url
        return item

    @property
    def text(self) -> str:
        return str(self)


@dataclass
class Check:
    code: str
    label: str
    missing: list[Missing] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def shown(self) -> list[str]:
        return self.missing[:DETAIL_LIMIT]

    @property
    def more(self) -> int:
        return max(0, len(self.missing) - DETAIL_LIMIT)

    @property
    def first(self) -> list[Missing]:
        """What the page lists at once; ``rest`` folds behind "dan N lainnya"."""
        return self.missing[:SHOWN_ON_PAGE]

    @property
    def rest(self) -> list[Missing]:
        return self.missing[SHOWN_ON_PAGE:]

    @property
    def url(self) -> str:
        """Where to start fixing: the page of the first missing item."""
        return next((item.url for item in self.missing if item.url), "")


@dataclass
class Checklist:
    checks: list[Check]
    # The version that would be submitted (the newest finished one), if any.
    version: DossierVersion | None = None

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def messages(self) -> list[str]:
        """One line per failed check: its label and what it lacks (shortened)."""
        lines = []
        for check in self.failed:
            shown = "; ".join(check.shown)
            if check.more:
                shown += " " + _("(dan %(n)s lainnya)") % {"n": check.more}
            lines.append(f"{check.label}: {shown}")
        return lines

    def get(self, code: str) -> Check:
        return next(check for check in self.checks if check.code == code)


def _shorten(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, never inside a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" ,.;:–-") + "…"


def _entry_label(entry: IndicatorEntry) -> str:
    return f"{entry.indicator.tatanan.code} {entry.indicator.number}. {_shorten(entry.indicator.name)}"


def _cell_text(cell) -> str:
    """A requirement's missing files for one year (the words of ``RequirementYear.missing_text``,
    with the requirement shortened at a word)."""
    return _("%(requirement)s (%(year)s): %(have)s dari %(need)s berkas.") % {
        "requirement": _shorten(cell.requirement.description, 120),
        "year": cell.year_label,
        "have": cell.have,
        "need": cell.need,
    }


def _cell_url(assessment: Assessment, cell) -> str:
    """The upload page of a requirement for one data year (0: not bound to a year)."""
    return reverse("evidence:requirement_files", args=[assessment.pk, cell.requirement.pk, cell.year or 0])


def _add(check: Check, text: str, *, url: str) -> None:
    check.missing.append(Missing(text, url))


def _version_check(assessment: Assessment) -> tuple[Check, DossierVersion | None]:
    check = Check("version", _("Versi dossier terbaru sudah disusun dari data terakhir"))
    # The compile button (and the progress of a running compile) sit in this card of the page.
    compile_url = reverse("dossiers:detail", args=[assessment.pk]) + "#compile-card"
    add = partial(_add, check, url=compile_url)
    versions = DossierVersion.objects.filter(dossier__assessment=assessment)
    active = versions.filter(state__in=DossierVersion.ACTIVE_STATES).order_by("-number").first()
    if active is not None:
        add(_("Versi %(n)s sedang disusun; tunggu sampai selesai.") % {"n": active.number})
    candidate = versions.filter(state=DossierVersion.State.DONE).order_by("-number").first()
    if candidate is None:
        add(_("Belum ada versi dossier yang selesai disusun. Susun dossier dulu."))
        return check, None
    if candidate.submitted:
        add(_("Versi %(n)s sudah pernah diajukan. Susun versi baru setelah perbaikan.") % {"n": candidate.number})
        return check, candidate
    since = candidate.created_at
    changed_entries = assessment.indicator_entries.filter(updated_at__gt=since).count()
    changed_files = (
        EvidenceFile.objects.filter(assessment=assessment)
        .filter(Q(uploaded_at__gt=since) | Q(deleted_at__gt=since) | Q(replaced_at__gt=since))
        .count()
    )
    if changed_entries or changed_files:
        add(
            _(
                "Data berubah setelah versi %(n)s disusun (%(entries)s isian indikator, %(files)s berkas bukti). "
                "Susun ulang dossier."
            )
            % {"n": candidate.number, "entries": changed_entries, "files": changed_files}
        )
    return check, candidate


def _entry_url(assessment: Assessment, entry: IndicatorEntry) -> str:
    """The entry form: data of both years and the self score."""
    return reverse("indicators:entry_edit", args=[assessment.pk, entry.pk])


def submission_checklist(assessment: Assessment) -> Checklist:
    """Everything that must hold before ``assessment``'s dossier goes to the province (see the
    module docstring), each check with the list of what is missing."""
    version_check, candidate = _version_check(assessment)
    cycle = assessment.cycle
    first, last = cycle.first_data_year, cycle.last_data_year
    entries = list(
        assessment.indicator_entries.filter(indicator__is_local=False)
        .select_related("indicator__tatanan")
        .order_by("indicator__tatanan__number", "indicator__order", "indicator_id")
    )
    self_scores = Check("self_scores", _("Semua indikator sudah diberi nilai mandiri"))
    entry_url = partial(_entry_url, assessment)
    self_scores.missing = [Missing(_entry_label(e), entry_url(e)) for e in entries if e.self_score_id is None]
    if not entries:
        # An empty round passes nothing: there is nothing to verify (docs/DOMAIN.md, "Cycles").
        _add(
            self_scores,
            _("Belum ada isian indikator: katalog siklus ini belum diimpor atau tidak ada tatanan yang dinilai."),
            url=reverse("indicators:assessment_detail", args=[assessment.pk]),
        )
    years = Check(
        "data_years",
        _("Data tahun %(first)s dan %(last)s terisi untuk semua indikator") % {"first": first, "last": last},
    )
    for entry in entries:
        lacking = [str(y) for y, v in ((first, entry.value_year1), (last, entry.value_year2)) if not (v or "").strip()]
        if lacking:
            _add(
                years,
                _("%(entry)s (tahun %(years)s)") % {"entry": _entry_label(entry), "years": ", ".join(lacking)},
                url=entry_url(entry),
            )

    readiness = assessment_readiness(assessment)
    evidence = Check("evidence", _("Bukti dukung setiap indikator lengkap"))
    for item in readiness.indicators:
        if item.indicator.is_local or item.complete:
            continue
        for cell in item.missing:
            text = f"{item.indicator.tatanan.code} {item.indicator.number}: {_cell_text(cell)}"
            _add(evidence, text, url=_cell_url(assessment, cell))

    kelembagaan_scores = Check("kelembagaan_scores", _("Semua butir kelembagaan sudah diberi nilai mandiri"))
    kelembagaan_url = reverse("indicators:kelembagaan_edit", args=[assessment.pk])
    kelembagaan_scores.missing = [
        Missing(str(entry.item), kelembagaan_url)
        for entry in KelembagaanEntry.objects.filter(assessment=assessment, self_score__isnull=True).select_related(
            "item"
        )
    ]
    if not KelembagaanEntry.objects.filter(assessment=assessment).exists():
        _add(kelembagaan_scores, _("Belum ada butir kelembagaan dalam penilaian ini."), url=kelembagaan_url)

    # The kabupaten/kota's own words: "Tim Pembina dan Forum Kota" (docs/GLOSSARY.md, "One region, its own words").
    kabkota = capfirst(kabkota_word(assessment.kabupaten))
    bodies = Check(
        "kelembagaan_bodies",
        _("Tim Pembina dan Forum %(kabkota)s terbentuk dengan SK yang berlaku") % {"kabkota": kabkota},
    )
    kinds = (Body.Kind.TIM_PEMBINA_KABKOTA, Body.Kind.FORUM_KABKOTA)
    statuses = {
        s.body.kind: s
        for s in body_statuses(
            Body.objects.filter(region_id=assessment.kabupaten_id, kind__in=kinds), years=cycle.data_years
        )
    }
    for kind in kinds:
        label = Body.kind_label_in(kind, assessment.kabupaten)
        if kind not in statuses:
            # The body list forms the kabupaten's bodies in one go (``forums.services.body_bulk_setup``).
            _add(bodies, _("%(body)s belum dibentuk di portal.") % {"body": label}, url=reverse("forums:body_list"))
        elif not statuses[kind].has_sk:
            _add(
                bodies,
                _("%(body)s belum punya SK yang berlaku.") % {"body": label},
                url=reverse("forums:decree_list", args=[statuses[kind].body.pk]),
            )

    kelembagaan_evidence = Check("kelembagaan_evidence", _("Bukti dukung kelembagaan lengkap"))
    for requirement in readiness.kelembagaan:
        for cell in requirement.years:
            if not cell.met:
                text = f"{requirement.requirement.kelembagaan_item}: {_cell_text(cell)}"
                _add(kelembagaan_evidence, text, url=_cell_url(assessment, cell))

    odf = Check("odf", _("Status ODF dilaporkan untuk setiap kecamatan"))
    reported = set(OdfStatus.objects.filter(assessment=assessment).values_list("kecamatan_id", flat=True))
    kecamatan = list(usulan_kecamatan(assessment))
    odf.missing = [
        Missing(
            _("Kecamatan %(name)s") % {"name": k.name}, reverse("indicators:odf_edit", args=[assessment.pk, k.code])
        )
        for k in kecamatan
        if k.code not in reported
    ]
    if not kecamatan and not reported:
        _add(
            odf,
            _("Belum ada status ODF yang dilaporkan."),
            url=reverse("indicators:odf_overview", args=[assessment.pk]),
        )

    return Checklist(
        checks=[
            version_check,
            self_scores,
            years,
            evidence,
            kelembagaan_scores,
            bodies,
            kelembagaan_evidence,
            odf,
        ],
        version=candidate,
    )


class SubmissionRefused(ValidationError):
    """Submission refused because checks fail; carries the checklist for the page."""

    def __init__(self, checklist: Checklist):
        self.checklist = checklist
        super().__init__(
            [_("Dossier belum dapat diajukan. Yang masih kurang:")] + checklist.messages(), code="incomplete"
        )


# --- Transitions --------------------------------------------------------------------------------------------


def _lock(assessment: Assessment) -> Dossier:
    Dossier.objects.get_or_create(assessment=assessment)
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("assessment__kabupaten__parent", "assessment__cycle", "submitted_version")
        .get(assessment=assessment)
    )


def _status_changed(dossier: Dossier) -> ValidationError:
    return ValidationError(
        _("Status dossier sudah berubah menjadi “%(status)s”. Muat ulang halaman.")
        % {"status": dossier.get_status_display()},
        code="status",
    )


def _require_status(dossier: Dossier, *allowed: str) -> None:
    if dossier.status not in allowed:
        raise _status_changed(dossier)


def _record(
    dossier: Dossier,
    *,
    action: str,
    to: str,
    actor: User | None,
    version: DossierVersion | None = None,
    comment: str = "",
    data: dict | None = None,
) -> DossierEvent:
    """Move the (locked) dossier to ``to``, log the step and queue its e-mails after commit."""
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=dossier.status,
        to_status=to,
        version=version or dossier.submitted_version,
        actor=actor,
        comment=comment,
        data=data or {},
    )
    dossier.status = to
    dossier.status_changed_at = event.created_at
    dossier.status_changed_by = actor
    dossier.save()
    transaction.on_commit(partial(event_notify_later, event.pk))
    return event


def _clean_text(text: str | None, *, required: bool, what: str) -> str:
    text = (text or "").strip()
    if required and len(text) < REASON_MIN:
        raise ValidationError(
            {what: _("Tuliskan alasannya, sedikitnya %(n)s karakter.") % {"n": REASON_MIN}}, code="required"
        )
    if len(text) > COMMENT_MAX:
        raise ValidationError({what: _("Paling banyak %(n)s karakter.") % {"n": COMMENT_MAX}}, code="too_long")
    return text


def _seal_candidate(assessment: Assessment, actor: User) -> DossierVersion:
    checklist = submission_checklist(assessment)
    if not checklist.ok:
        raise SubmissionRefused(checklist)
    return dossier_version_mark_submitted(version=checklist.version, actor=actor)


@transaction.atomic
def dossier_submit(*, assessment: Assessment, actor: User, comment: str = "") -> DossierEvent:
    """Bappeda submits the newest finished version to the province (first time, or again after
    a return): refused with the list of what is missing while ``submission_checklist`` fails;
    the version is sealed."""
    if not is_kabupaten_admin(actor, assessment):
        raise PermissionDenied(
            _("Hanya admin Bappeda %(kabkota)s ini yang dapat mengajukan dossier.")
            % {"kabkota": kabkota_word(assessment.kabupaten)}
        )
    comment = _clean_text(comment, required=False, what="comment")
    dossier = _lock(assessment)
    _require_status(dossier, Status.DRAFT, Status.RETURNED)
    version = _seal_candidate(assessment, actor)
    dossier.submitted_version = version
    dossier.final_tier = ""
    return _record(dossier, action=Action.SUBMIT, to=Status.SUBMITTED, actor=actor, version=version, comment=comment)


@transaction.atomic
def review_open(*, dossier: Dossier, actor: User) -> DossierEvent:
    """A province verifier starts verifying a submitted dossier."""
    if not is_province_verifier_of(actor, dossier.assessment.kabupaten_id):
        raise PermissionDenied(_("Hanya verifikator provinsi ini yang dapat memverifikasi dossier."))
    locked = _lock(dossier.assessment)
    _require_status(locked, Status.SUBMITTED)
    return _record(locked, action=Action.OPEN_REVIEW, to=Status.PROVINCE_REVIEW, actor=actor)


@transaction.atomic
def dossier_return(*, dossier: Dossier, actor: User, reason: str) -> DossierEvent:
    """The province sends the dossier back for revision; the reason is required."""
    if not is_province_verifier_of(actor, dossier.assessment.kabupaten_id):
        raise PermissionDenied(_("Hanya verifikator provinsi ini yang dapat mengembalikan dossier."))
    reason = _clean_text(reason, required=True, what="reason")
    locked = _lock(dossier.assessment)
    _require_status(locked, Status.PROVINCE_REVIEW)
    return _record(locked, action=Action.RETURN, to=Status.RETURNED, actor=actor, comment=reason)


def unscored(assessment: Assessment, layer: str) -> list[IndicatorEntry]:
    score_field = LAYERS[layer][0]
    return list(
        assessment.indicator_entries.filter(indicator__is_local=False, **{f"{score_field}__isnull": True})
        .select_related("indicator__tatanan")
        .order_by("indicator__tatanan__number", "indicator__order", "indicator_id")
    )


def _all_scored(assessment: Assessment, layer: str) -> None:
    missing = unscored(assessment, layer)
    if missing:
        names = "; ".join(_entry_label(e) for e in missing[:DETAIL_LIMIT])
        more = len(missing) - DETAIL_LIMIT
        if more > 0:
            names += " " + _("(dan %(n)s lainnya)") % {"n": more}
        raise ValidationError(
            _("%(count)s indikator belum dinilai: %(names)s") % {"count": len(missing), "names": names},
            code="unscored",
        )


def dossier_approve(*, dossier: Dossier, actor: User, comment: str = "") -> DossierEvent:
    """The province approves: every indicator must carry a provincial score. The berita acara
    PDF is generated in the same transaction and the dossier goes on to the national level."""
    if not is_province_verifier_of(actor, dossier.assessment.kabupaten_id):
        raise PermissionDenied(_("Hanya verifikator provinsi ini yang dapat menyetujui dossier."))
    comment = _clean_text(comment, required=False, what="comment")
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _lock(dossier.assessment)
            _require_status(locked, Status.PROVINCE_REVIEW)
            _all_scored(locked.assessment, "provincial")
            event = _record(locked, action=Action.APPROVE, to=Status.PROVINCE_APPROVED, actor=actor, comment=comment)
            record = berita_acara_create(dossier=locked, event=event, actor=actor)
            stored.append(record.pdf.name)
            event.data = {"berita_acara": record.pk, "number": record.number, **record.data.get("summary", {})}
            event.save(update_fields=["data"])
    except Exception:
        for name in stored:  # the row rolled back: its file must not stay behind
            default_storage.delete(name)
        raise
    return event


@transaction.atomic
def national_open(*, dossier: Dossier, actor: User) -> DossierEvent:
    """A national verifier starts the virtual verification of a dossier the province approved."""
    if not is_national_verifier(actor):
        raise PermissionDenied(_("Hanya verifikator pusat yang dapat memulai verifikasi pusat."))
    locked = _lock(dossier.assessment)
    _require_status(locked, Status.PROVINCE_APPROVED)
    return _record(locked, action=Action.OPEN_NATIONAL, to=Status.NATIONAL_REVIEW, actor=actor)


@transaction.atomic
def correction_open(
    *, dossier: Dossier, actor: User, reason: str, now: datetime.datetime | None = None
) -> DossierEvent:
    """The national verifier opens the correction window: the kabupaten may submit a corrected
    version until ``now`` + ``Cycle.correction_window_hours``."""
    if not is_national_verifier(actor):
        raise PermissionDenied(_("Hanya verifikator pusat yang dapat membuka jendela perbaikan."))
    reason = _clean_text(reason, required=True, what="reason")
    locked = _lock(dossier.assessment)
    _require_status(locked, Status.NATIONAL_REVIEW)
    hours = locked.assessment.cycle.correction_window_hours
    deadline = (now or timezone.now()) + datetime.timedelta(hours=hours)
    locked.correction_deadline = deadline
    return _record(
        locked,
        action=Action.OPEN_CORRECTION,
        to=Status.NATIONAL_CORRECTION,
        actor=actor,
        comment=reason,
        data={"deadline": deadline.isoformat(), "hours": hours},
    )


@transaction.atomic
def correction_submit(
    *, assessment: Assessment, actor: User, comment: str = "", now: datetime.datetime | None = None
) -> DossierEvent:
    """Bappeda submits a corrected version inside the window (the same checks as a submission);
    after the deadline corrections are refused."""
    if not is_kabupaten_admin(actor, assessment):
        raise PermissionDenied(
            _("Hanya admin Bappeda %(kabkota)s ini yang dapat mengajukan perbaikan.")
            % {"kabkota": kabkota_word(assessment.kabupaten)}
        )
    comment = _clean_text(comment, required=False, what="comment")
    dossier = _lock(assessment)
    _require_status(dossier, Status.NATIONAL_CORRECTION)
    if not correction_open_now(dossier, now):
        raise ValidationError(
            _("Jendela perbaikan sudah ditutup pada %(deadline)s; perbaikan tidak dapat diajukan lagi.")
            % {"deadline": timezone.localtime(dossier.correction_deadline).strftime("%d-%m-%Y %H:%M")},
            code="closed",
        )
    version = _seal_candidate(assessment, actor)
    dossier.submitted_version = version
    return _record(
        dossier,
        action=Action.SUBMIT_CORRECTION,
        to=Status.NATIONAL_REVIEW,
        actor=actor,
        version=version,
        comment=comment,
    )


def tier_choices(assessment: Assessment) -> list[tuple[str, str]]:
    """The tiers a decision may award: the cycle's tier rules, else every tier."""
    rules = list(assessment.cycle.tier_rules.order_by("rank"))
    if rules:
        return [(rule.tier, str(rule.get_tier_display())) for rule in rules]
    return [(value, str(label)) for value, label in TierRule.Tier.choices]


@transaction.atomic
def dossier_decide(
    *,
    dossier: Dossier,
    actor: User,
    awarded: bool,
    tier: str = "",
    comment: str = "",
    now: datetime.datetime | None = None,
) -> DossierEvent:
    """The final decision of the national level: awarded with a tier (every indicator must carry
    a national score), or not awarded (with a reason). Not while a correction window is open."""
    if not is_national_verifier(actor):
        raise PermissionDenied(_("Hanya verifikator pusat yang dapat memutuskan."))
    comment = _clean_text(comment, required=not awarded, what="comment")
    locked = _lock(dossier.assessment)
    _require_status(locked, Status.NATIONAL_REVIEW, Status.NATIONAL_CORRECTION)
    if correction_open_now(locked, now):
        raise ValidationError(
            _("Jendela perbaikan masih terbuka sampai %(deadline)s. Tunggu perbaikan atau sampai jendela ditutup.")
            % {"deadline": timezone.localtime(locked.correction_deadline).strftime("%d-%m-%Y %H:%M")},
            code="window_open",
        )
    if awarded:
        if tier not in dict(tier_choices(locked.assessment)):
            raise ValidationError({"tier": _("Pilih strata penghargaan.")}, code="tier")
        _all_scored(locked.assessment, "national")
        locked.final_tier = tier
        return _record(
            locked, action=Action.AWARD, to=Status.AWARDED, actor=actor, comment=comment, data={"tier": tier}
        )
    locked.final_tier = ""
    return _record(locked, action=Action.NOT_AWARD, to=Status.NOT_AWARDED, actor=actor, comment=comment)


# --- Scores and comments ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreChange:
    entry_id: int
    option_id: int | None  # None clears the score
    note: str = ""


@transaction.atomic
def verification_scores_update(*, dossier: Dossier, actor: User, changes: list[ScoreChange]) -> int:
    """Record a verifier's scores (an option of each indicator's own scale) and notes in their
    layer: provincial during the provincial review, national during the national one. All or
    nothing: one bad row refuses the lot, with every problem named. Returns entries changed."""
    locked = _lock(dossier.assessment)
    layer = scoring_layer(actor, locked)
    if layer is None:
        if is_participant(actor, locked.assessment):
            raise _status_changed(locked)
        raise PermissionDenied(_("Anda tidak memverifikasi dossier ini."))
    score_field, note_field = LAYERS[layer]
    entries = {
        e.pk: e
        for e in locked.assessment.indicator_entries.filter(pk__in=[c.entry_id for c in changes]).select_related(
            "indicator__tatanan"
        )
    }
    options = ScaleOption.objects.in_bulk([c.option_id for c in changes if c.option_id])
    errors: list[str] = []
    changed: list[IndicatorEntry] = []
    for change in changes:
        entry = entries.get(change.entry_id)
        if entry is None:
            errors.append(_("Indikator %(id)s bukan bagian dari penilaian ini.") % {"id": change.entry_id})
            continue
        option = options.get(change.option_id) if change.option_id else None
        if change.option_id and (option is None or option.indicator_id != entry.indicator_id):
            errors.append(
                _("%(entry)s: nilai harus salah satu opsi skala indikator ini.") % {"entry": _entry_label(entry)}
            )
            continue
        if option is not None and not is_selectable(option, getattr(entry, f"{score_field}_id")):
            errors.append(f"{_entry_label(entry)}: {retired_option_message(option)}")
            continue
        note = (change.note or "").strip()
        if len(note) > COMMENT_MAX:
            errors.append(
                _("%(entry)s: catatan paling banyak %(n)s karakter.") % {"entry": _entry_label(entry), "n": COMMENT_MAX}
            )
            continue
        if getattr(entry, f"{score_field}_id") != (option.pk if option else None) or getattr(entry, note_field) != note:
            setattr(entry, score_field, option)
            setattr(entry, note_field, note)
            changed.append(entry)
    if errors:
        raise ValidationError(errors, code="invalid")
    # bulk_update leaves ``updated_at`` alone: a verifier's score is no change to the kabupaten's data.
    IndicatorEntry.objects.bulk_update(changed, [score_field, note_field])
    return len(changed)


def chapter_titles(dossier: Dossier) -> dict[str, str]:
    """key → "number title" of the chapters of the version under verification."""
    version = dossier.submitted_version
    if version is None:
        return {}
    return {spec["key"]: f"{spec.get('number', '')} {spec['title']}".strip() for spec in version.plan}


def comment_add(
    *,
    dossier: Dossier,
    actor: User,
    body: str,
    entry: IndicatorEntry | None = None,
    chapter_key: str = "",
    parent: DossierComment | None = None,
) -> DossierComment:
    """Add a comment to a thread about an indicator, a chapter or the dossier (none of them);
    ``parent`` makes it a reply, on the parent's subject. Verifiers start threads during their
    stage; Bappeda answers them. Comments are never edited."""
    side = comment_side(actor, dossier)
    if side is None:
        if is_participant(actor, dossier.assessment):
            raise ValidationError(_("Komentar tidak dapat ditambahkan pada status dossier ini."), code="status")
        raise PermissionDenied(_("Anda tidak ikut memverifikasi dossier ini."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Komentar tidak boleh kosong.")}, code="required")
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("Komentar paling banyak %(n)s karakter.") % {"n": COMMENT_MAX}})
    chapter_title = ""
    if parent is not None:
        if parent.dossier_id != dossier.pk:
            raise ValidationError({"parent": _("Komentar yang dibalas tidak ditemukan.")})
        parent = parent.parent or parent  # replies hang off the thread's first comment
        entry, chapter_key, chapter_title = parent.entry, parent.chapter_key, parent.chapter_title
    else:
        if side == DossierComment.Side.KABUPATEN:
            raise ValidationError(_("Bappeda menjawab komentar verifikator; pilih komentar yang dibalas."))
        if entry is not None and entry.assessment_id != dossier.assessment_id:
            raise ValidationError({"entry": _("Indikator ini bukan bagian dari penilaian ini.")})
        if chapter_key:
            titles = chapter_titles(dossier)
            if chapter_key not in titles:
                raise ValidationError({"chapter": _("Bab ini tidak ada di versi yang diverifikasi.")})
            chapter_title = titles[chapter_key]
    return DossierComment.objects.create(
        dossier=dossier,
        version=dossier.submitted_version,
        entry=entry,
        chapter_key=chapter_key,
        chapter_title=chapter_title,
        parent=parent,
        author=actor,
        side=side,
        body=body,
    )


@dataclass(frozen=True)
class CommentDraft:
    """A comment sent from a tatanan tab together with the scores: a new thread on ``entry`` or
    a reply to ``parent``."""

    body: str
    entry: IndicatorEntry | None = None
    parent: DossierComment | None = None


@transaction.atomic
def review_save(
    *, dossier: Dossier, actor: User, changes: list[ScoreChange], comment: CommentDraft | None = None
) -> tuple[int, DossierComment | None]:
    """Save a verifier's scores and notes of a tatanan and, when they pressed a comment's button,
    that comment, in one transaction: a comment never goes out while the scores typed with it
    are dropped, and a refused comment (or score) saves nothing, so the page can come back with
    all of it. Returns the number of entries changed and the comment created."""
    changed = verification_scores_update(dossier=dossier, actor=actor, changes=changes)
    created = None
    if comment is not None:
        created = comment_add(
            dossier=dossier, actor=actor, body=comment.body, entry=comment.entry, parent=comment.parent
        )
    return changed, created


def last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return dossier.events.filter(action=action).order_by("-created_at", "-id").first()


def versions_submitted(assessment: Assessment) -> int:
    return (
        DossierVersion.objects.filter(dossier__assessment=assessment, submitted=True).aggregate(n=Max("number"))["n"]
        or 0
    )
