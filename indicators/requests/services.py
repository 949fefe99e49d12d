"""Writes of the data requests: Bappeda asks OPDs for indicator data by a deadline and chases
those who have not returned it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from accounts.models import Opd, User

from ..models import Assessment, DataRequest, IndicatorEntry
from .selectors import operators_of, outstanding_entries, overdue_data_requests, today

REMINDER_SUBJECT_TEMPLATE = "indicators/requests/reminder_subject.txt"
REMINDER_BODY_TEMPLATE = "indicators/requests/reminder_body.txt"


def deadline_check(deadline: datetime.date | None) -> None:
    """A data request's deadline: given, and today or later (a local date, ``today``).

    The assign form checks it too, so that the page reports it together with its other errors."""
    if deadline is None:
        raise ValidationError({"deadline": _("Tentukan tenggat.")})
    if deadline < today():
        raise ValidationError(
            {
                "deadline": _("Tenggat %(date)s sudah lewat. Pilih hari ini atau tanggal sesudahnya.")
                % {"date": deadline.strftime("%d-%m-%Y")}
            }
        )


@transaction.atomic
def data_request_assign(
    *,
    assessment: Assessment,
    opd: Opd,
    entries: list[IndicatorEntry | int],
    deadline: datetime.date,
    actor: User,
    message: str | None = None,
    replace: bool = False,
) -> DataRequest:
    """Ask ``opd`` for the data of ``entries`` by ``deadline``.

    The entries are assigned to the OPD (taken from whichever OPD had them) and the OPD's data
    request for the assessment is created or its deadline (and message, when given) updated.
    With ``replace`` the OPD keeps exactly ``entries``: its other entries become unassigned,
    which is what the per-OPD form means. Only the Bappeda admin of the kabupaten (or a
    superuser) may do this; to anyone else the assessment's requests do not exist (404).
    A deadline before today is refused.
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    if opd.kabupaten_id != assessment.kabupaten_id:
        raise ValidationError({"opd": _("OPD harus dari kabupaten/kota yang sama.")})
    deadline_check(deadline)
    ids = {e if isinstance(e, int) else e.pk for e in entries}
    if not ids:
        raise ValidationError({"entries": _("Pilih sedikitnya satu indikator.")})
    chosen = assessment.indicator_entries.filter(pk__in=ids)
    if chosen.count() != len(ids):
        raise ValidationError({"entries": _("Sebagian indikator yang dipilih bukan bagian dari penilaian ini.")})

    now = timezone.now()
    chosen.update(assigned_opd=opd, updated_by=actor, updated_at=now)
    if replace:
        assessment.indicator_entries.filter(assigned_opd=opd).exclude(pk__in=ids).update(
            assigned_opd=None, updated_by=actor, updated_at=now
        )
    defaults: dict = {"deadline": deadline}
    if message is not None:
        defaults["message"] = message
    data_request, _created = DataRequest.objects.update_or_create(
        assessment=assessment,
        opd=opd,
        defaults=defaults,
        create_defaults={**defaults, "created_by": actor},
    )
    return data_request


def data_request_remind(*, data_request: DataRequest, actor: User, base_url: str = "") -> None:
    """Queue a reminder e-mail to the operators of the request's OPD, once the transaction commits.

    ``base_url`` ("https://portal.example/") makes the link in the e-mail absolute.
    """
    require_kabupaten_admin(actor, data_request.assessment.kabupaten_id)
    # Imported here: indicators.tasks imports this module (the task sends what this service queues).
    from ..tasks import send_data_request_reminder

    pk = data_request.pk
    transaction.on_commit(lambda: send_data_request_reminder.delay(pk, base_url=base_url))


def data_requests_remind_overdue(*, assessment: Assessment, actor: User, base_url: str = "") -> list[DataRequest]:
    """Queue a reminder for every OPD of ``assessment`` past its deadline with data outstanding."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    overdue = list(overdue_data_requests(assessment=assessment))
    for data_request in overdue:
        data_request_remind(data_request=data_request, actor=actor, base_url=base_url)
    return overdue


def data_request_reminder_send(*, data_request: DataRequest, base_url: str = "") -> int:
    """Send the reminder now: one e-mail per active operator of the OPD (with an address),
    listing the indicators not yet ``selesai``. Counts the reminder on the request.

    Returns the number of e-mails sent; nothing is sent (or counted) when nothing is
    outstanding or the OPD has no operator with an e-mail address.
    """
    entries = list(outstanding_entries(data_request).order_by("indicator__tatanan__number", "indicator__order"))
    operators = operators_of(data_request.opd)
    if not entries or not operators:
        return 0
    assessment = data_request.assessment
    todo_url = base_url.rstrip("/") + reverse("indicators:todo")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for operator in operators:
            context = {
                "operator": operator,
                "opd": data_request.opd,
                "assessment": assessment,
                "data_request": data_request,
                "entries": entries,
                "overdue": data_request.deadline < today(),
                "todo_url": todo_url,
            }
            subject = " ".join(loader.render_to_string(REMINDER_SUBJECT_TEMPLATE, context).split())
            body = loader.render_to_string(REMINDER_BODY_TEMPLATE, context)
            messages.append(EmailMessage(subject, body, None, [operator.email]))
    sent = get_connection().send_messages(messages) or 0
    DataRequest.objects.filter(pk=data_request.pk).update(
        reminder_count=F("reminder_count") + 1, last_reminded_at=timezone.now()
    )
    return sent
