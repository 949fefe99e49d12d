"""The dossier (dokumen penilaian) of an assessment: its compiled, sealed versions and the cache of
rendered chapters.

* ``Dossier``: one per assessment; carries the verification workflow's state (``workflow``:
  submission, provincial and national verification).
* ``DossierVersion``: one compile. A status row for the Celery job while it runs (queued →
  running → done/failed, progress %), then the PDF with its SHA-256, page count, size and a
  manifest of every chapter and every evidence file (with the blob's SHA-256). A finished
  version's content never changes, and once submitted nothing about it changes: ``save``,
  ``delete`` and the queryset's ``update``/``delete`` refuse (``SealedVersionError``).
* ``ChapterRender``: a rendered chapter, keyed by the fingerprint of its input data, so that a
  chapter whose inputs did not change is reused by the next compile instead of rendered again.

* ``DossierEvent``: every workflow step (from, to, who, when, version, reason); ``DossierComment``:
  threads per indicator, chapter or dossier, never edited in place; ``BeritaAcara``: the PDF record
  of the provincial approval; ``DossierNotification``: e-mails sent, once per subject and key.

Files live in the default (private) storage under random names and are served only through
views that check scope.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import Assessment
from tatanan.models import TierRule


def _random_name(folder: str) -> str:
    token = secrets.token_hex(16)
    return f"{folder}/{token[:2]}/{token}.pdf"


def dossier_upload_to(instance, filename: str) -> str:
    return _random_name("dossier")


def chapter_upload_to(instance, filename: str) -> str:
    return _random_name("dossier-bab")


class SealedVersionError(Exception):
    """A write to a finished or submitted dossier version, which never changes."""


class Dossier(models.Model):
    """The dossier of one assessment and where it stands in verification."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan ke provinsi")
        PROVINCE_REVIEW = "province_review", _("Diverifikasi provinsi")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        PROVINCE_APPROVED = "province_approved", _("Disetujui provinsi")
        NATIONAL_REVIEW = "national_review", _("Diverifikasi pusat")
        NATIONAL_CORRECTION = "national_correction", _("Perbaikan 2×24 jam")
        AWARDED = "awarded", _("Mendapat penghargaan")
        NOT_AWARDED = "not_awarded", _("Tidak mendapat penghargaan")

    assessment = models.OneToOneField(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="dossier"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("status berubah pada"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The version under verification (set by the workflow when the kabupaten submits).
    submitted_version = models.ForeignKey(
        "DossierVersion",
        verbose_name=_("versi yang diajukan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    final_tier = models.CharField(_("strata akhir"), max_length=20, choices=TierRule.Tier.choices, blank=True)
    # The end of the national correction window (2×24 hours), set when the national verifier opens it.
    correction_deadline = models.DateTimeField(_("batas perbaikan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    # Where the workflow stands, by whose turn it is.
    AWAITING_PROVINCE = (Status.SUBMITTED, Status.PROVINCE_REVIEW)
    AWAITING_NATIONAL = (Status.PROVINCE_APPROVED, Status.NATIONAL_REVIEW, Status.NATIONAL_CORRECTION)
    FINAL = (Status.AWARDED, Status.NOT_AWARDED)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossier")

    def __str__(self):
        return str(self.assessment)

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class DossierVersionQuerySet(models.QuerySet):
    """Refuses bulk writes that would change a sealed version (``update`` skips ``save``)."""

    def update(self, **kwargs):
        if self.filter(submitted=True).exists():
            raise SealedVersionError("Versi dossier yang sudah diajukan tidak dapat diubah.")
        if set(kwargs) & set(DossierVersion.CONTENT_FIELDS) and self.filter(state=DossierVersion.State.DONE).exists():
            raise SealedVersionError("Isi versi dossier yang sudah selesai tidak dapat diubah.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(submitted=True).exists():
            raise SealedVersionError("Versi dossier yang sudah diajukan tidak dapat dihapus.")
        return super().delete()


class DossierVersion(models.Model):
    """One compile of a dossier: the job's status row, then the sealed PDF and its manifest."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang disusun")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)
    # What a finished version is: none of these change once it is done.
    CONTENT_FIELDS = (
        "dossier",
        "dossier_id",
        "number",
        "pdf",
        "sha256",
        "manifest_sha256",
        "size",
        "page_count",
        "manifest",
        "created_at",
    )

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("nomor versi"))
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disusun oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The job.
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0, validators=[MaxValueValidator(100)])
    error = models.TextField(_("galat"), blank=True)
    started_at = models.DateTimeField(_("mulai disusun"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai disusun"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)
    # The chapters to render, fixed when the compile is queued: [{"key", "title", "group", …}].
    plan = models.JSONField(_("rencana bab"), default=list, blank=True)
    # key → ChapterRender id, filled in by the chapter tasks (a re-delivered task finds its key).
    chapter_renders = models.JSONField(_("bab yang sudah siap"), default=dict, blank=True)
    # How many times the pipeline was sent (a stale compile is sent again, see services).
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=1)
    chapters_rendered = models.PositiveIntegerField(_("bab yang dirender"), default=0)
    chapters_reused = models.PositiveIntegerField(_("bab yang dipakai ulang"), default=0)
    # The result.
    pdf = models.FileField(_("berkas PDF"), upload_to=dossier_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, blank=True, db_index=True)
    # The hash of the manifest, printed (as a QR code) on the cover: a PDF cannot carry its own hash.
    manifest_sha256 = models.CharField(_("SHA-256 manifes"), max_length=64, blank=True, db_index=True)
    page_count = models.PositiveIntegerField(_("jumlah halaman"), null=True, blank=True)
    size = models.BigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    manifest = models.JSONField(_("manifes"), default=dict, blank=True)
    # Sealing (set by the verification workflow).
    submitted = models.BooleanField(_("sudah diajukan"), default=False)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DossierVersionQuerySet.as_manager()

    class Meta:
        ordering = ["dossier_id", "-number"]
        verbose_name = _("versi dossier")
        verbose_name_plural = _("versi dossier")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="dossier_version_unique_number"),
            # One compile per assessment at a time, whatever the application does.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(state__in=["queued", "running"]), name="dossier_version_one_active"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="dossier_version_progress_max_100"),
            models.CheckConstraint(
                condition=Q(submitted=False) | (Q(state="done") & ~Q(sha256="")),
                name="dossier_version_submitted_is_done",
            ),
        ]

    def __str__(self):
        return f"{self.dossier} – v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                DossierVersion.objects.filter(pk=self.pk)
                .values("submitted", "state", *(f for f in self.CONTENT_FIELDS if f != "dossier"))
                .first()
            )
            if stored is not None:
                if stored["submitted"]:
                    raise SealedVersionError("Versi dossier yang sudah diajukan tidak dapat diubah.")
                if stored["state"] == self.State.DONE:
                    changed = [
                        f
                        for f in self.CONTENT_FIELDS
                        if f != "dossier" and _stored_value(getattr(self, f)) != _stored_value(stored[f])
                    ]
                    if changed or self.state != self.State.DONE:
                        raise SealedVersionError("Isi versi dossier yang sudah selesai tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and DossierVersion.objects.filter(pk=self.pk, submitted=True).exists():
            raise SealedVersionError("Versi dossier yang sudah diajukan tidak dapat dihapus.")
        return super().delete(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE


def _stored_value(value):
    """A field's value as the database gives it back (a file field as its name)."""
    return getattr(value, "name", value) if hasattr(value, "storage") else value


class ChapterRender(models.Model):
    """One chapter of an assessment's dossier rendered from inputs with a given fingerprint."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="chapter_renders"
    )
    key = models.CharField(_("kunci bab"), max_length=40)
    title = models.CharField(_("judul bab"), max_length=300)
    fingerprint = models.CharField(_("sidik data masukan (SHA-256)"), max_length=64)
    file = models.FileField(_("berkas PDF bab"), upload_to=chapter_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256 PDF bab"), max_length=64)
    pages = models.PositiveIntegerField(_("jumlah halaman"))
    size = models.BigIntegerField(_("ukuran (bita)"))
    # The evidence files the chapter shows or lists, for the version's manifest; the attachment
    # chapter also names the evidence PDFs to embed.
    evidence = models.JSONField(_("bukti dalam bab"), default=list, blank=True)
    attachments = models.JSONField(_("lampiran yang disematkan"), default=list, blank=True)
    render_seconds = models.FloatField(_("lama render (detik)"), default=0)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "key", "-created_at"]
        verbose_name = _("bab dossier terrender")
        verbose_name_plural = _("bab dossier terrender")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key", "fingerprint"], name="chapter_render_unique"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.key} ({self.fingerprint[:12]})"


# --- The verification workflow -------------------------------------------------------------------


class DossierEvent(models.Model):
    """One step of the verification workflow: who moved the dossier from which status to which,
    when, with which version and why. Rows are only ever added (the dossier's history)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Diajukan ke provinsi")
        OPEN_REVIEW = "open_review", _("Verifikasi provinsi dimulai")
        RETURN = "return", _("Dikembalikan untuk perbaikan")
        APPROVE = "approve", _("Disetujui provinsi dan diteruskan ke pusat")
        OPEN_NATIONAL = "open_national", _("Verifikasi virtual pusat dimulai")
        OPEN_CORRECTION = "open_correction", _("Jendela perbaikan 2×24 jam dibuka")
        SUBMIT_CORRECTION = "submit_correction", _("Perbaikan diajukan ke pusat")
        AWARD = "award", _("Mendapat penghargaan")
        NOT_AWARD = "not_award", _("Tidak mendapat penghargaan")

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("dari status"), max_length=20, choices=Dossier.Status.choices)
    to_status = models.CharField(_("ke status"), max_length=20, choices=Dossier.Status.choices)
    version = models.ForeignKey(
        DossierVersion, verbose_name=_("versi"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("alasan/catatan"), blank=True)
    # What else the step fixed: the tier awarded, the correction deadline, the scores approved.
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "created_at", "id"]
        verbose_name = _("riwayat dossier")
        verbose_name_plural = _("riwayat dossier")
        indexes = [models.Index(fields=["dossier", "created_at"], name="dossier_event_by_time")]

    def __str__(self):
        return f"{self.dossier} – {self.get_action_display()}"


class DossierCommentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SealedVersionError("Komentar tidak diubah; tambahkan balasan.")


class DossierComment(models.Model):
    """A comment in a thread about one indicator, one chapter or the whole dossier.

    Never edited in place: a correction is a reply, so the thread keeps its history. A reply
    points at the thread's first comment (``parent``) and shares its subject."""

    class Side(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten/kota")
        PROVINCE = "province", _("Verifikator provinsi")
        NATIONAL = "national", _("Verifikator pusat")

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="comments")
    # The version under verification when the comment was written.
    version = models.ForeignKey(
        DossierVersion, verbose_name=_("versi"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey(
        "indicators.IndicatorEntry",
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dossier_comments",
    )
    chapter_key = models.CharField(_("bab"), max_length=40, blank=True)
    chapter_title = models.CharField(_("judul bab"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("membalas"), on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.CharField(_("pihak"), max_length=10, choices=Side.choices)
    body = models.TextField(_("komentar"))
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    objects = DossierCommentQuerySet.as_manager()

    class Meta:
        ordering = ["dossier_id", "created_at", "id"]
        verbose_name = _("komentar dossier")
        verbose_name_plural = _("komentar dossier")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=True) | Q(chapter_key=""), name="dossier_comment_one_subject"
            ),
        ]

    def __str__(self):
        return f"{self.dossier} – {self.body[:40]}"

    def save(self, *args, **kwargs):
        if self.pk and DossierComment.objects.filter(pk=self.pk).exists():
            raise SealedVersionError("Komentar tidak diubah; tambahkan balasan.")
        super().save(*args, **kwargs)


def berita_acara_upload_to(instance, filename: str) -> str:
    return _random_name("berita-acara")


class BeritaAcara(models.Model):
    """The signed record of a provincial verification, generated when the province approves."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="berita_acara"
    )
    version = models.ForeignKey(DossierVersion, verbose_name=_("versi"), on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(
        DossierEvent, verbose_name=_("persetujuan"), on_delete=models.PROTECT, related_name="berita_acara"
    )
    number = models.CharField(_("nomor"), max_length=80, unique=True)
    pdf = models.FileField(_("berkas PDF"), upload_to=berita_acara_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("ukuran (bita)"))
    page_count = models.PositiveIntegerField(_("jumlah halaman"))
    # What the PDF states: the scores per tatanan, the predicted tier, who verified.
    data = models.JSONField(_("isi"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verifikator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "-created_at"]
        verbose_name = _("berita acara verifikasi")
        verbose_name_plural = _("berita acara verifikasi")

    def __str__(self):
        return self.number


class DossierNotification(models.Model):
    """An e-mail the workflow sent (or is sending), one row per subject and key, so that a task
    delivered twice, or a daily reminder run twice in a day, sends nothing twice."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        APPROVED = "approved", _("Disetujui provinsi")
        CORRECTION_OPENED = "correction_opened", _("Jendela perbaikan dibuka")
        CORRECTION_SUBMITTED = "correction_submitted", _("Perbaikan diajukan")
        DECIDED = "decided", _("Keputusan akhir")
        PROVINCE_DEADLINE = "province_deadline", _("Batas verifikasi provinsi mendekat")
        CORRECTION_CLOSING = "correction_closing", _("Jendela perbaikan segera ditutup")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices)
    # event:<id> for a transition, the date for a daily reminder, the deadline for a closing window.
    key = models.CharField(_("kunci"), max_length=64)
    event = models.ForeignKey(
        DossierEvent, verbose_name=_("langkah"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipients = models.JSONField(_("penerima"), default=list, blank=True)
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "created_at"]
        verbose_name = _("notifikasi dossier")
        verbose_name_plural = _("notifikasi dossier")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "key"], name="dossier_notification_once"),
        ]

    def __str__(self):
        return f"{self.dossier} – {self.kind} {self.key}"
