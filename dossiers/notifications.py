"""E-mails of the verification workflow, sent with Django's e-mail backend (``EMAIL_BACKEND``).

* On each transition (queued by ``workflow._record`` after the transaction commits, sent by the
  Celery task ``notify_dossier_event``):
  submission → the province's verifiers; return → the kabupaten's Bappeda admins, with the
  reason; approval → Bappeda and the national verifiers; correction window opened → Bappeda;
  correction submitted → the national verifiers; final decision → Bappeda and the province.
* Reminders: ``remind_province_deadlines`` (daily at 07:00 WIB) writes to the province's verifiers
  about every dossier still awaiting the province while ``Cycle.province_deadline`` is within
  ``DOSSIER_PROVINCE_REMINDER_DAYS`` days; ``remind_correction_windows`` (hourly, because a
  window lasts 48 hours and a daily run could miss its last 12) writes to Bappeda when its
  correction window closes within ``DOSSIER_CORRECTION_REMINDER_HOURS`` hours.

Every e-mail is recorded in a ``DossierNotification`` row, unique per dossier, kind and key (the
event for a transition, the day for a deadline reminder, the deadline for a closing window),
inserted before sending in the same transaction: a task delivered twice, or a reminder run
twice a day, sends nothing twice; a send that fails rolls the row back so a retry sends it.
The text is Indonesian; links are absolute, built from ``KKS_BASE_URL``.
"""

from __future__ import annotations

import datetime
import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User

from .models import Dossier, DossierEvent, DossierNotification

logger = logging.getLogger(__name__)

Kind = DossierNotification.Kind
Action = DossierEvent.Action

EVENT_KINDS = {
    Action.SUBMIT: Kind.SUBMITTED,
    Action.RETURN: Kind.RETURNED,
    Action.APPROVE: Kind.APPROVED,
    Action.OPEN_CORRECTION: Kind.CORRECTION_OPENED,
    Action.SUBMIT_CORRECTION: Kind.CORRECTION_SUBMITTED,
    Action.AWARD: Kind.DECIDED,
    Action.NOT_AWARD: Kind.DECIDED,
}


def province_reminder_days() -> int:
    return int(getattr(settings, "DOSSIER_PROVINCE_REMINDER_DAYS", 7))


def correction_reminder_hours() -> int:
    return int(getattr(settings, "DOSSIER_CORRECTION_REMINDER_HOURS", 12))


# --- Who gets what ------------------------------------------------------------------------------------


def _people(**filters) -> list[User]:
    return list(User.objects.filter(is_active=True, **filters).exclude(email="").distinct().order_by("username"))


def bappeda_admins_of(dossier: Dossier) -> list[User]:
    return _people(
        role_assignments__role=Role.BAPPEDA_ADMIN, role_assignments__region_id=dossier.assessment.kabupaten_id
    )


def province_verifiers_of(dossier: Dossier) -> list[User]:
    """Verifiers assigned to the kabupaten's province (or to a region above the kabupaten)."""
    return _people(
        role_assignments__role=Role.PROVINCE_VERIFIER,
        role_assignments__region_id__in=dossier.assessment.kabupaten.ancestor_codes,
    )


def national_verifiers() -> list[User]:
    return _people(role_assignments__role=Role.NATIONAL_VERIFIER)


def _unique(*groups: list[User]) -> list[User]:
    seen, people = set(), []
    for group in groups:
        for user in group:
            if user.pk not in seen:
                seen.add(user.pk)
                people.append(user)
    return people


def recipients_for(kind: str, dossier: Dossier) -> list[User]:
    if kind in (Kind.SUBMITTED, Kind.PROVINCE_DEADLINE):
        return province_verifiers_of(dossier)
    if kind in (Kind.RETURNED, Kind.CORRECTION_OPENED, Kind.CORRECTION_CLOSING):
        return bappeda_admins_of(dossier)
    if kind == Kind.APPROVED:
        return _unique(bappeda_admins_of(dossier), national_verifiers())
    if kind == Kind.CORRECTION_SUBMITTED:
        return national_verifiers()
    if kind == Kind.DECIDED:
        return _unique(bappeda_admins_of(dossier), province_verifiers_of(dossier))
    return []


# --- The text --------------------------------------------------------------------------------------------


def absolute_url(name: str, **kwargs) -> str:
    return settings.KKS_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _subject(kind: str, context: dict) -> str:
    subjects = {
        Kind.SUBMITTED: _("[KKS] Dossier %(kabupaten)s diajukan untuk verifikasi provinsi"),
        Kind.RETURNED: _("[KKS] Dossier %(kabupaten)s dikembalikan untuk perbaikan"),
        Kind.APPROVED: _("[KKS] Dossier %(kabupaten)s disetujui provinsi dan diteruskan ke pusat"),
        Kind.CORRECTION_OPENED: _("[KKS] Jendela perbaikan dossier %(kabupaten)s dibuka"),
        Kind.CORRECTION_SUBMITTED: _("[KKS] Perbaikan dossier %(kabupaten)s diajukan"),
        Kind.DECIDED: _("[KKS] Keputusan akhir dossier %(kabupaten)s"),
        Kind.PROVINCE_DEADLINE: _("[KKS] Pengingat: batas verifikasi provinsi %(deadline)s – dossier %(kabupaten)s"),
        Kind.CORRECTION_CLOSING: _("[KKS] Pengingat: jendela perbaikan dossier %(kabupaten)s segera ditutup"),
    }
    return subjects[kind] % context


def _context(dossier: Dossier, *, event: DossierEvent | None = None, **extra) -> dict:
    assessment = dossier.assessment
    cycle = assessment.cycle
    return {
        "dossier": dossier,
        "assessment": assessment,
        "kabupaten": assessment.kabupaten.name,
        "province": assessment.kabupaten.parent.name if assessment.kabupaten.parent else "",
        "award_year": cycle.award_year,
        "event": event,
        "version": (event.version if event else None) or dossier.submitted_version,
        "dossier_url": absolute_url("dossiers:detail", pk=assessment.pk),
        "review_url": absolute_url("dossiers:review", pk=assessment.pk),
        "queue_url": absolute_url("dossiers:queue"),
        "deadline": cycle.province_deadline.strftime("%d-%m-%Y") if cycle.province_deadline else "",
        **extra,
    }


def _send_once(*, dossier: Dossier, kind: str, key: str, context: dict, event: DossierEvent | None = None) -> int:
    """Send ``kind`` about ``dossier`` to its recipients unless it was sent under ``key``."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                log = DossierNotification.objects.create(dossier=dossier, kind=kind, key=key, event=event)
        except IntegrityError:
            return 0  # sent already (or being sent by a twin that holds the row)
        people = recipients_for(kind, dossier)
        messages = []
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(_subject(kind, context).split())
            for person in people:
                body = loader.render_to_string(f"dossiers/workflow/email/{kind}.txt", {**context, "person": person})
                messages.append(EmailMessage(subject, body, None, [person.email]))
        sent = get_connection().send_messages(messages) if messages else 0
        log.recipients = [person.email for person in people]
        log.sent_at = timezone.now()
        log.save(update_fields=["recipients", "sent_at"])
    return sent or 0


def event_notify(*, event_id: int) -> int:
    """The e-mails of one workflow step (none for steps nobody needs to hear about)."""
    event = (
        DossierEvent.objects.select_related(
            "dossier__assessment__kabupaten__parent", "dossier__assessment__cycle", "version", "actor"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action not in EVENT_KINDS:
        return 0
    dossier = event.dossier
    extra = {}
    if event.action == Action.APPROVE:
        extra["berita_acara"] = dossier.berita_acara.filter(event=event).first()
    if event.action == Action.OPEN_CORRECTION and dossier.correction_deadline:
        extra["correction_deadline"] = timezone.localtime(dossier.correction_deadline).strftime("%d-%m-%Y %H:%M")
    context = _context(dossier, event=event, **extra)
    return _send_once(
        dossier=dossier, kind=EVENT_KINDS[event.action], key=f"event:{event.pk}", context=context, event=event
    )


def event_notify_later(event_id: int) -> None:
    """Queue the e-mails of a step (called after its transaction commits). A broker that cannot
    be reached costs the e-mail, never the step already recorded."""
    try:
        notify_dossier_event.delay(event_id)
    except Exception:
        logger.exception("dossier event %s: e-mail not queued", event_id)


# --- Reminders -----------------------------------------------------------------------------------------------


def province_deadline_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the province's verifiers of every dossier still awaiting the province while the
    cycle's province deadline is within ``DOSSIER_PROVINCE_REMINDER_DAYS`` days (today included);
    once a day per dossier. Returns e-mails sent."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=province_reminder_days())
    dossiers = Dossier.objects.filter(
        status__in=Dossier.AWAITING_PROVINCE,
        assessment__cycle__province_deadline__gte=today,
        assessment__cycle__province_deadline__lte=until,
    ).select_related("assessment__kabupaten__parent", "assessment__cycle", "submitted_version")
    sent = 0
    for dossier in dossiers:
        days_left = (dossier.assessment.cycle.province_deadline - today).days
        context = _context(dossier, days_left=days_left)
        sent += _send_once(dossier=dossier, kind=Kind.PROVINCE_DEADLINE, key=today.isoformat(), context=context)
    return sent


def correction_closing_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind Bappeda of a correction window that closes within
    ``DOSSIER_CORRECTION_REMINDER_HOURS`` hours; once per window. Returns e-mails sent."""
    now = now or timezone.now()
    dossiers = Dossier.objects.filter(
        status=Dossier.Status.NATIONAL_CORRECTION,
        correction_deadline__gt=now,
        correction_deadline__lte=now + datetime.timedelta(hours=correction_reminder_hours()),
    ).select_related("assessment__kabupaten__parent", "assessment__cycle", "submitted_version")
    sent = 0
    for dossier in dossiers:
        deadline = timezone.localtime(dossier.correction_deadline)
        hours_left = max(1, int((dossier.correction_deadline - now).total_seconds() // 3600))
        context = _context(dossier, correction_deadline=deadline.strftime("%d-%m-%Y %H:%M"), hours_left=hours_left)
        sent += _send_once(
            dossier=dossier, kind=Kind.CORRECTION_CLOSING, key=dossier.correction_deadline.isoformat(), context=context
        )
    return sent


# --- Celery tasks -------------------------------------------------------------------------------------------

MAIL_RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError, SMTPException),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 120,
    "time_limit": 180,
}


@shared_task(**MAIL_RETRY)
def notify_dossier_event(event_id: int) -> int:
    """Send the e-mails of one workflow step; safe to run again (sends nothing twice)."""
    return event_notify(event_id=event_id)


@shared_task(soft_time_limit=600, time_limit=660)
def remind_province_deadlines() -> int:
    """Daily: province deadlines approaching (see ``province_deadline_reminders``)."""
    return province_deadline_reminders()


@shared_task(soft_time_limit=600, time_limit=660)
def remind_correction_windows() -> int:
    """Hourly: correction windows closing (see ``correction_closing_reminders``)."""
    return correction_closing_reminders()
