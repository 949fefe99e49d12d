"""E-mails of the verification workflow: who gets which, in Indonesian with absolute links, sent
once however often the task runs; the reminders of deadlines; and one sent by the real worker
through the file e-mail backend."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from dossiers.models import Dossier, DossierNotification
from dossiers.notifications import (
    correction_closing_reminders,
    event_notify,
    notify_dossier_event,
    province_deadline_reminders,
)
from dossiers.tests.workflow_fixtures import finished_version, in_review, ready, score_all, submitted  # noqa: F401
from dossiers.workflow.services import correction_open, dossier_approve, dossier_return, dossier_submit, national_open

pytestmark = pytest.mark.django_db

REVIEW = "https://kks.example.id/dossier/{pk}/verifikasi/"


def to(message) -> str:
    return message.to[0]


@pytest.fixture
def people(rina, vina, wawan, nadia):
    return {"rina": rina, "vina": vina, "wawan": wawan, "nadia": nadia}


def test_submission_goes_to_the_province_verifiers_only(ready, people, rina, django_capture_on_commit_callbacks):
    version = finished_version(ready, actor=rina)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit(assessment=ready, actor=rina, comment="Mohon diverifikasi.")
    assert [to(m) for m in mail.outbox] == ["vina@example.org"]  # not wawan (Jawa Barat), not Bappeda
    message = mail.outbox[0]
    assert message.subject == "[KKS] Dossier Kabupaten Serang diajukan untuk verifikasi provinsi"
    assert message.body.startswith("Yth. Vina Banten,")
    assert "Kabupaten Serang telah mengajukan dokumen penilaian (dossier) Swasti Saba 2025 versi 1" in message.body
    assert "Mohon diverifikasi." in message.body
    assert version.sha256 in message.body
    assert REVIEW.format(pk=ready.pk) in message.body
    assert "https://kks.example.id/dossier/antrean/" in message.body


def test_return_tells_bappeda_the_reason(in_review, people, vina, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier_return(dossier=in_review, actor=vina, reason="Bukti pasar 2024 & notulen belum terbaca.")
    assert [to(m) for m in mail.outbox] == ["rina@example.org"]
    message = mail.outbox[0]
    assert message.subject == "[KKS] Dossier Kabupaten Serang dikembalikan untuk perbaikan"
    assert "Bukti pasar 2024 & notulen belum terbaca." in message.body  # plain text: nothing escaped
    assert "oleh verifikator provinsi Vina Banten" in message.body
    assert REVIEW.format(pk=in_review.assessment_id) in message.body


def test_approval_goes_to_bappeda_and_the_national_verifiers(
    in_review, people, vina, django_capture_on_commit_callbacks
):
    score_all(in_review, vina)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier_approve(dossier=in_review, actor=vina)
    assert sorted(to(m) for m in mail.outbox) == ["nadia@example.org", "rina@example.org"]
    body = mail.outbox[0].body
    assert "disetujui verifikator provinsi Vina Banten dan diteruskan ke Tim Pembina Pusat" in body
    assert "Berita acara verifikasi provinsi: BA-36.04/2025/01" in body
    assert "Strata menurut nilai provinsi: Padapa." in body


def test_an_event_is_mailed_once_however_often_the_task_runs(submitted, people):
    event = submitted.events.get(action="submit")
    mail.outbox.clear()
    DossierNotification.objects.all().delete()
    assert notify_dossier_event.delay(event.pk).get() == 1
    assert notify_dossier_event.delay(event.pk).get() == 0
    assert event_notify(event_id=event.pk) == 0
    assert len(mail.outbox) == 1
    log = DossierNotification.objects.get()
    assert (log.kind, log.key, log.recipients) == ("submitted", f"event:{event.pk}", ["vina@example.org"])
    assert log.sent_at is not None


def test_steps_nobody_waits_for_send_nothing(in_review, people):
    event = in_review.events.get(action="open_review")
    assert event_notify(event_id=event.pk) == 0
    assert not DossierNotification.objects.filter(event=event).exists()


def test_province_deadline_reminder_once_a_day(submitted, people):
    cycle = submitted.assessment.cycle
    today = datetime.date(2025, 6, 10)
    cycle.province_deadline = today + datetime.timedelta(days=3)
    cycle.save()
    mail.outbox.clear()
    assert province_deadline_reminders(today=today - datetime.timedelta(days=8)) == 0  # too early
    assert province_deadline_reminders(today=today) == 1
    assert province_deadline_reminders(today=today) == 0
    assert [to(m) for m in mail.outbox] == ["vina@example.org"]
    message = mail.outbox[0]
    assert message.subject == "[KKS] Pengingat: batas verifikasi provinsi 13-06-2025 – dossier Kabupaten Serang"
    assert "Batas verifikasi provinsi tinggal 3 hari lagi (13-06-2025)." in message.body
    assert "masih menunggu verifikasi provinsi (status: Diajukan ke provinsi)" in message.body
    assert province_deadline_reminders(today=today + datetime.timedelta(days=1)) == 1  # the next day, again
    assert province_deadline_reminders(today=today + datetime.timedelta(days=4)) == 0  # past the deadline


def test_no_reminder_for_a_dossier_the_province_is_done_with(submitted, people, vina):
    cycle = submitted.assessment.cycle
    cycle.province_deadline = timezone.localdate() + datetime.timedelta(days=2)
    cycle.save()
    Dossier.objects.filter(pk=submitted.pk).update(status=Dossier.Status.PROVINCE_APPROVED)
    assert province_deadline_reminders() == 0


def test_correction_window_closing_reminder_once(in_review, people, vina, nadia, django_capture_on_commit_callbacks):
    score_all(in_review, vina)
    dossier_approve(dossier=in_review, actor=vina)
    national_open(dossier=in_review, actor=nadia)
    opened = timezone.now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        correction_open(dossier=in_review, actor=nadia, reason="Unggah ulang SK Forum Kabupaten.", now=opened)
    assert [to(m) for m in mail.outbox] == ["rina@example.org"]
    assert "Unggah ulang SK Forum Kabupaten." in mail.outbox[0].body
    mail.outbox.clear()
    assert correction_closing_reminders(now=opened + datetime.timedelta(hours=30)) == 0  # 18 hours left
    assert correction_closing_reminders(now=opened + datetime.timedelta(hours=37)) == 1  # 11 hours left
    assert correction_closing_reminders(now=opened + datetime.timedelta(hours=40)) == 0  # once per window
    assert correction_closing_reminders(now=opened + datetime.timedelta(hours=49)) == 0  # closed
    message = mail.outbox[0]
    assert to(message) == "rina@example.org"
    assert "ditutup dalam 11 jam" in message.body
    assert message.subject == "[KKS] Pengingat: jendela perbaikan dossier Kabupaten Serang segera ditutup"


def test_people_without_an_address_or_inactive_get_nothing(
    ready, people, vina, rina, django_capture_on_commit_callbacks
):
    vina.email = ""
    vina.save()
    finished_version(ready, actor=rina)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit(assessment=ready, actor=rina)
    assert mail.outbox == []
    assert DossierNotification.objects.get().recipients == []


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_the_submission_mail(shipped_catalogue, ready, people, rina, celery_worker):
    mail_dir = celery_worker["mail_dir"]
    before = set(mail_dir.iterdir())
    version = finished_version(ready, actor=rina)
    try:
        dossier_submit(assessment=ready, actor=rina)  # autocommit: the task is queued after commit
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not DossierNotification.objects.filter(sent_at__isnull=False).exists():
            time.sleep(0.3)
        written = [path for path in mail_dir.iterdir() if path not in before]
        assert len(written) == 1
        text = written[0].read_text()
        assert "To: vina@example.org" in text
        assert "Subject: [KKS] Dossier Kabupaten Serang diajukan untuk verifikasi provinsi" in text
        assert "Kabupaten Serang telah mengajukan dokumen penilaian (dossier)" in text
    finally:
        version.pdf.storage.delete(version.pdf.name)
