"""Activities (kegiatan) of the bodies and the evidence files (bukti dukung) of the whole programme.

* ``Blob``: the stored bytes of one uploaded file, kept **once per kabupaten** (keyed by SHA-256), with
  what the upload pipeline learnt of it (type decided by content, size, for photos the EXIF date and
  GPS position and the derived thumbnail / ≤ 1600 px copy). A blob starts ``pending`` (its row is the
  intent to write its file, committed before the first byte reaches storage) and becomes ``ready`` in
  the same transaction that attaches it; pending blobs left by a dead process are swept with their
  file (``evidence.uploads.sweep_stale_uploads``), so no file exists without a row and no ready row
  without its file.
* ``EvidenceFile``: one attachment of a blob, of one kind (undangan, daftar hadir, notulen, foto …),
  to exactly one owner: an activity, a body, an evidence requirement of an assessment for a data
  year, a titik pantau, or a pembinaan visit. Removing is a soft delete (who, when); replacing keeps
  the old attachment as history (``replaced_by``).
* ``Activity``: a kegiatan of a body, optionally realising a work-plan item.
* ``ReferencePoint``: where a kabupaten is, so that photos taken far from it can be flagged.

Files live in the default (private) storage under random names; they are served only through
views that check the user's scope (``evidence.downloads.views``, answered by ``kks_portal.lib.files.responses``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forums.models import Body, PembinaanVisit, WorkPlanItem
from indicators.models import Assessment, TitikPantau
from kks_portal.lib.files.types import CONTENT_TYPES, IMAGE_TYPES, FileType
from regions.models import Region
from tatanan.models import EvidenceRequirement, Indicator, Tatanan


def random_storage_name(folder: str, extension: str) -> str:
    """``<folder>/<2 hex>/<32 hex>.<ext>``: the uploader's file name never reaches the storage."""
    token = secrets.token_hex(16)
    extension = extension.lower().lstrip(".")[:8]
    return f"{folder}/{token[:2]}/{token}.{extension}" if extension else f"{folder}/{token[:2]}/{token}"


def _derived_upload_to(instance, filename: str) -> str:
    # Derived images are always written with an explicit random name by the photo task.
    return random_storage_name("bukti-turunan", filename.rsplit(".", 1)[-1] if "." in filename else "")


def _blob_upload_to(instance, filename: str) -> str:
    return random_storage_name("bukti", filename.rsplit(".", 1)[-1] if "." in filename else "")


class Blob(models.Model):
    """The bytes of one file, stored once per kabupaten."""

    class State(models.TextChoices):
        PENDING = "pending", _("Sedang diunggah")
        READY = "ready", _("Tersimpan")

    kabupaten = models.ForeignKey(Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("ukuran (bita)"), validators=[MinValueValidator(0)])
    file_type = models.CharField(_("jenis berkas"), max_length=8, choices=FileType.choices)
    file = models.FileField(_("berkas"), upload_to=_blob_upload_to, max_length=200)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the photo task learns of an image (all empty for documents).
    width = models.PositiveIntegerField(_("lebar (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("tinggi (px)"), null=True, blank=True)
    taken_at = models.DateTimeField(_("waktu pengambilan (EXIF)"), null=True, blank=True)
    latitude = models.DecimalField(_("lintang (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    thumbnail = models.FileField(_("gambar kecil"), upload_to=_derived_upload_to, max_length=200, blank=True)
    preview = models.FileField(_("salinan ≤ 1600 px"), upload_to=_derived_upload_to, max_length=200, blank=True)
    processed_at = models.DateTimeField(_("diproses pada"), null=True, blank=True)
    processing_error = models.CharField(_("galat pemrosesan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("berkas tersimpan")
        verbose_name_plural = _("berkas tersimpan")
        constraints = [
            models.UniqueConstraint(
                fields=["kabupaten", "sha256"], condition=Q(state="ready"), name="blob_unique_ready_per_kabupaten"
            ),
            models.CheckConstraint(condition=Q(size__gte=0), name="blob_size_not_negative"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="blob_state_created")]

    def __str__(self):
        return f"{self.sha256[:12]} ({self.get_file_type_display()}, {self.size} B)"

    @property
    def is_image(self) -> bool:
        return self.file_type in IMAGE_TYPES

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_type]


class Activity(models.Model):
    """A kegiatan of a body: a meeting, a campaign, a clean-up … with its evidence."""

    body = models.ForeignKey(Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, related_name="activities")
    # A joint event (Forum + Tim Pembina, a kabupaten-wide sosialisasi with the Forum Kecamatan):
    # it counts for these bodies too; the recording body keeps its papers.
    partner_bodies = models.ManyToManyField(
        Body, verbose_name=_("lembaga penyelenggara bersama"), blank=True, related_name="shared_activities"
    )
    title = models.CharField(_("judul kegiatan"), max_length=300)
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=300, blank=True)
    tatanan = models.ManyToManyField(Tatanan, verbose_name=_("tatanan"), blank=True, related_name="activities")
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indikator yang didukung"), blank=True, related_name="activities"
    )
    work_plan_item = models.ForeignKey(
        WorkPlanItem,
        verbose_name=_("kegiatan rencana kerja yang direalisasikan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    participants = models.TextField(_("peserta"), blank=True, help_text=_("Unsur atau nama peserta."))
    participant_count = models.PositiveIntegerField(_("jumlah peserta"), null=True, blank=True)
    result = models.TextField(_("hasil kegiatan"), blank=True)
    realised_budget = models.DecimalField(
        _("realisasi anggaran (Rp)"), max_digits=15, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    deleted_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The evidence that makes an activity complete (at least one file of each).
    REQUIRED_KINDS = ("undangan", "daftar_hadir", "notulen", "foto")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        constraints = [
            models.CheckConstraint(condition=Q(realised_budget__gte=0), name="activity_budget_not_negative"),
        ]
        indexes = [
            models.Index(fields=["body", "date"], name="activity_body_date"),
            # The lists' order over live activities, read backwards: a page of the national list is
            # its first rows, not a sort of every activity (docs/PERFORMANCE.md, "Activities").
            models.Index(fields=["date", "id"], name="activity_live_date", condition=Q(deleted_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def clean(self):
        if self.work_plan_item_id and self.body_id and self.work_plan_item.work_plan.body_id != self.body_id:
            raise ValidationError({"work_plan_item": _("Kegiatan rencana kerja harus dari rencana kerja lembaga ini.")})


class EvidenceFile(models.Model):
    """One evidence file attached to one owner."""

    class Kind(models.TextChoices):
        UNDANGAN = "undangan", _("Undangan")
        DAFTAR_HADIR = "daftar_hadir", _("Daftar hadir")
        NOTULEN = "notulen", _("Notulen")
        FOTO = "foto", _("Foto")
        SK = "sk", _("SK")
        LAPORAN = "laporan", _("Laporan")
        TANGKAPAN_LAYAR = "tangkapan_layar", _("Tangkapan layar")
        SURAT_PERNYATAAN = "surat_pernyataan", _("Surat pernyataan")
        BERITA_ACARA = "berita_acara", _("Berita acara")
        LAINNYA = "lainnya", _("Lainnya")

    class Flag(models.TextChoices):
        OUTSIDE_DATA_YEARS = "outside_data_years", _("Tanggal foto di luar tahun data")
        FAR_FROM_KABUPATEN = "far_from_kabupaten", _("Foto diambil jauh di luar kabupaten/kota")
        NO_DATE = "no_date", _("Foto tanpa tanggal EXIF")

    blob = models.ForeignKey(Blob, verbose_name=_("berkas"), on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("jenis bukti"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("keterangan"), max_length=300, blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=200)
    # The owner's region, for scope: the body's region, the kabupaten of an assessment.
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    # The owner: exactly one of these (a requirement goes with its assessment).
    activity = models.ForeignKey(
        Activity, verbose_name=_("kegiatan"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    requirement = models.ForeignKey(
        EvidenceRequirement,
        verbose_name=_("syarat bukti dukung"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    data_year = models.PositiveSmallIntegerField(
        _("tahun data"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    titik_pantau = models.ForeignKey(
        TitikPantau,
        verbose_name=_("titik pantau"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    pembinaan_visit = models.ForeignKey(
        PembinaanVisit,
        verbose_name=_("kunjungan pembinaan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    flags = models.JSONField(_("tanda"), default=list, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("diganti dengan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    replaced_at = models.DateTimeField(_("diganti pada"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        activity__isnull=False,
                        body__isnull=True,
                        requirement__isnull=True,
                        titik_pantau__isnull=True,
                        pembinaan_visit__isnull=True,
                    )
                    | Q(
                        activity__isnull=True,
                        body__isnull=False,
                        requirement__isnull=True,
                        titik_pantau__isnull=True,
                        pembinaan_visit__isnull=True,
                    )
                    | Q(
                        activity__isnull=True,
                        body__isnull=True,
                        requirement__isnull=False,
                        titik_pantau__isnull=True,
                        pembinaan_visit__isnull=True,
                    )
                    | Q(
                        activity__isnull=True,
                        body__isnull=True,
                        requirement__isnull=True,
                        titik_pantau__isnull=False,
                        pembinaan_visit__isnull=True,
                    )
                    | Q(
                        activity__isnull=True,
                        body__isnull=True,
                        requirement__isnull=True,
                        titik_pantau__isnull=True,
                        pembinaan_visit__isnull=False,
                    )
                ),
                name="evidence_file_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(requirement__isnull=True) | Q(assessment__isnull=False),
                name="evidence_file_requirement_has_assessment",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "deleted_at"], name="evidence_region_live"),
            models.Index(fields=["assessment", "requirement", "data_year"], name="evidence_requirement_year"),
            # The newest first, the order of the API's list (read backwards).
            models.Index(fields=["uploaded_at", "id"], name="evidence_uploaded"),
            # Whether an activity has a live file of a kind (``completeness.with_completeness``).
            models.Index(
                fields=["activity", "kind"],
                condition=Q(deleted_at__isnull=True, replaced_by__isnull=True),
                name="evidence_live_activity_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title or self.original_name}"

    @property
    def is_current(self) -> bool:
        return self.deleted_at is None and self.replaced_by_id is None

    @property
    def owner(self):
        return self.activity or self.body or self.requirement or self.titik_pantau or self.pembinaan_visit

    @property
    def flag_labels(self) -> list[str]:
        labels = dict(self.Flag.choices)
        return [str(labels.get(flag, flag)) for flag in self.flags]


class ReferencePoint(models.Model):
    """Where a kabupaten/kota lies: photos whose GPS position is farther than ``radius_km`` from it
    are flagged."""

    kabupaten = models.OneToOneField(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.CASCADE,
        related_name="photo_reference",
        limit_choices_to={"level": Region.Level.KABKOTA},
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    radius_km = models.PositiveIntegerField(
        _("radius (km)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("Foto yang diambil lebih jauh dari jarak ini ditandai."),
    )

    class Meta:
        verbose_name = _("titik acuan wilayah")
        verbose_name_plural = _("titik acuan wilayah")

    def __str__(self):
        return f"{self.kabupaten.name}: {self.latitude}, {self.longitude} (±{self.radius_km} km)"


class BodyYearReadiness(models.Model):
    """The documented activities of one body in one year, kept current so that a kabupaten's
    readiness reads one row per body and year instead of every activity
    (``evidence.rollups``; docs/PERFORMANCE.md, "Readiness roll-ups").

    Counts the activities (not removed) dated in ``year`` that the body recorded or held together
    with another (``Activity.partner_bodies``), and those complete; ``incomplete`` lists the others,
    oldest first: ``{"id", "body", "title", "date", "missing": [kinds]}``."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    total = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    incomplete = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="body_year_readiness_unique")]

    def __str__(self):
        return f"{self.body_id} {self.year}: {self.complete}/{self.total}"
