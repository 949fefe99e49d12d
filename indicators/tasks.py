"""Background jobs of the assessment round: reminding OPDs and the secretaries of the Forum/Pokja
of the data, titik pantau and documents they owe Bappeda."""

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
    """E-mail those asked by one request (the operators of its OPD, or the secretaries of its
    Forum/Pokja) what they have not returned yet; returns e-mails sent.

    Loads the row afresh: a request deleted meanwhile is skipped, and the list of outstanding
    indicators is the one at sending time, not at queuing time.
    """
    data_request = (
        DataRequest.objects.select_related("opd", "region", "assessment__kabupaten", "assessment__cycle")
        .filter(pk=data_request_id)
        .first()
    )
    if data_request is None:
        return 0
    return data_request_reminder_send(data_request=data_request, base_url=base_url)


@shared_task(soft_time_limit=600, time_limit=660)
def remind_overdue() -> int:
    """Daily: queue a reminder for every request past its deadline with something outstanding
    (entries, titik pantau, kelembagaan documents), in every open assessment. A request already
    reminded today (by Bappeda, or by an earlier run) is skipped,
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
