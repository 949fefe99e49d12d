"""Background jobs of the assessment round: reminding OPDs of the data they owe Bappeda."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import DataRequest
from .requests.selectors import overdue_data_requests, today
from .requests.services import data_request_reminder_send


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def send_data_request_reminder(data_request_id: int, *, base_url: str = "") -> int:
    """E-mail the operators of one OPD the indicators they have not returned; returns e-mails sent.

    Loads the row afresh: a request deleted meanwhile is skipped, and the list of outstanding
    indicators is the one at sending time, not at queuing time.
    """
    data_request = (
        DataRequest.objects.select_related("opd", "assessment__kabupaten", "assessment__cycle")
        .filter(pk=data_request_id)
        .first()
    )
    if data_request is None:
        return 0
    return data_request_reminder_send(data_request=data_request, base_url=base_url)


@shared_task(soft_time_limit=600, time_limit=660)
def remind_overdue() -> int:
    """Daily: queue a reminder for every OPD past its deadline with data outstanding, in every
    open assessment. An OPD already reminded today (by Bappeda, or by an earlier run) is skipped,
    so running this twice a day sends nothing twice. Returns the number of reminders queued.

    Links in the e-mails are absolute when the setting ``KKS_BASE_URL`` is set.
    """
    base_url = getattr(settings, "KKS_BASE_URL", "")
    queued = 0
    for data_request in overdue_data_requests():
        reminded = data_request.last_reminded_at
        if reminded and timezone.localdate(reminded) == today():
            continue
        send_data_request_reminder.delay(data_request.pk, base_url=base_url)
        queued += 1
    return queued
