"""The bodies of the programme in each region and what they must have.

* ``Body``: the Tim Pembina and Forum of a kabupaten/kota, the Tim Pembina and Forum Kecamatan
  Sehat of a kecamatan, the Pokja of a desa/kelurahan. One of each kind per region.
* ``Decree`` (SK) with its history, ``Member``, ``Secretariat``: what establishes and runs a body.
* ``WorkPlan`` / ``WorkPlanItem``: the annual rencana kerja and its approval.
* ``PembinaanVisit``: a Tim Pembina's documented supervision visit to a kecamatan, desa or RT/RW.

Files (SK scans, secretariat photos) get random names under a per-purpose folder and live in the
default (private) storage; they are served only through views that check scope.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from regions.words import kabkota_word, kind_in_names, village_word
from tatanan.models import Indicator, Tatanan


def _random_name(folder: str, filename: str) -> str:
    """``<folder>/<2 hex>/<32 hex><ext>``: the uploader's file name never reaches the storage."""
    suffix = PurePosixPath(filename or "").suffix.lower()[:10]
    token = secrets.token_hex(16)
    return f"{folder}/{token[:2]}/{token}{suffix}"


def decree_upload_to(instance, filename: str) -> str:
    return _random_name("sk", filename)


def secretariat_photo_upload_to(instance, filename: str) -> str:
    return _random_name("sekretariat", filename)


class Body(models.Model):
    """A Tim Pembina, Forum or Pokja of one region."""

    class Kind(models.TextChoices):
        TIM_PEMBINA_KABKOTA = "tim_pembina_kabkota", _("Tim Pembina Kabupaten/Kota")
        FORUM_KABKOTA = "forum_kabkota", _("Forum Kabupaten/Kota Sehat")
        TIM_PEMBINA_KECAMATAN = "tim_pembina_kecamatan", _("Tim Pembina Kecamatan")
        FORUM_KECAMATAN = "forum_kecamatan", _("Forum Kecamatan Sehat")
        POKJA_DESA = "pokja_desa", _("Pokja Desa/Kelurahan Sehat")

    # The region level each kind belongs to.
    LEVEL_OF_KIND = {
        Kind.TIM_PEMBINA_KABKOTA: Region.Level.KABKOTA,
        Kind.FORUM_KABKOTA: Region.Level.KABKOTA,
        Kind.TIM_PEMBINA_KECAMATAN: Region.Level.KECAMATAN,
        Kind.FORUM_KECAMATAN: Region.Level.KECAMATAN,
        Kind.POKJA_DESA: Region.Level.DESA,
    }
    # The bodies a secretary of a region serves (Tim Pembina are run by Bappeda / the Camat).
    SECRETARY_KINDS = (Kind.FORUM_KABKOTA, Kind.FORUM_KECAMATAN, Kind.POKJA_DESA)

    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("nama"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["region_id", "kind"]
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="body_unique_kind_region"),
        ]

    def __str__(self):
        return self.name or self.default_name(kind=self.kind, region=self.region)

    def save(self, *args, **kwargs):
        if not self.name and self.region_id and self.kind:
            self.name = self.default_name(kind=self.kind, region=self.region)
        super().save(*args, **kwargs)

    @staticmethod
    def default_name(*, kind: str, region: Region) -> str:
        """ "Forum Kecamatan Sehat Carenang", "Pokja Desa Sehat Carenang", "Forum Kabupaten Sehat Serang"."""
        name = region.name
        if region.kind == Region.Kind.KABUPATEN and name.startswith("Kabupaten "):
            name = name[len("Kabupaten ") :]
        elif region.kind == Region.Kind.KOTA and name.startswith("Kota "):
            name = name[len("Kota ") :]
        region_word = kind_in_names(region.kind)  # "Kota", "Kelurahan" (docs/GLOSSARY.md)
        prefix = {
            Body.Kind.TIM_PEMBINA_KABKOTA: f"Tim Pembina {region_word} Sehat",
            Body.Kind.FORUM_KABKOTA: f"Forum {region_word} Sehat",
            Body.Kind.TIM_PEMBINA_KECAMATAN: "Tim Pembina Kecamatan Sehat",
            Body.Kind.FORUM_KECAMATAN: "Forum Kecamatan Sehat",
            Body.Kind.POKJA_DESA: f"Pokja {region_word} Sehat",
        }[kind]
        return f"{prefix} {name}"

    @staticmethod
    def kind_label_in(kind: str, region: Region | None) -> str:
        """The label of ``kind`` for the bodies in ``region`` (a kabupaten/kota, or a region in it):
        "Tim Pembina Kota", "Forum Kota Sehat", "Pokja Kelurahan Sehat" rather than the kind's
        generic "Forum Kabupaten/Kota Sehat" (docs/GLOSSARY.md, "One region, its own words").
        No region, or one above a kabupaten/kota: the generic label."""
        label = {
            Body.Kind.TIM_PEMBINA_KABKOTA: _("Tim Pembina %(kabkota)s"),
            Body.Kind.FORUM_KABKOTA: _("Forum %(kabkota)s Sehat"),
            Body.Kind.POKJA_DESA: _("Pokja %(village)s Sehat"),
        }.get(kind)
        if label is None or region is None or region.level < Region.Level.KABKOTA:
            return str(Body.Kind(kind).label)
        if kind == Body.Kind.POKJA_DESA:
            return label % {"village": capfirst(village_word(region))}
        return label % {"kabkota": capfirst(kabkota_word(region))}

    @staticmethod
    def kind_choices_in(region: Region | None) -> list[tuple[str, str]]:
        """``Kind.choices`` with the labels of ``kind_label_in``."""
        return [(kind, Body.kind_label_in(kind, region)) for kind in Body.Kind.values]

    @property
    def kind_label(self) -> str:
        """This body's kind in its region's words: "Pokja Kelurahan Sehat" for a kelurahan's Pokja."""
        return self.kind_label_in(self.kind, self.region)

    @property
    def is_tim_pembina(self) -> bool:
        return self.kind in (self.Kind.TIM_PEMBINA_KABKOTA, self.Kind.TIM_PEMBINA_KECAMATAN)

    def clean(self):
        if self.region_id and self.kind and self.region.level != self.LEVEL_OF_KIND.get(self.kind):
            raise ValidationError({"region": _("Tingkat wilayah tidak sesuai dengan jenis lembaga.")})

    @property
    def current_decree(self) -> Decree | None:
        return self.decrees.filter(is_current=True).first()


class Decree(models.Model):
    """An SK establishing a body. A new SK replaces the current one, which stays as history."""

    body = models.ForeignKey(Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, related_name="decrees")
    number = models.CharField(_("nomor SK"), max_length=200)
    date = models.DateField(_("tanggal SK"))
    signer = models.CharField(
        _("penandatangan"), max_length=200, help_text=_("Mis. Bupati Serang, Camat Carenang, Kepala Desa Carenang.")
    )
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    file = models.FileField(_("berkas SK"), upload_to=decree_upload_to, max_length=200, null=True, blank=True)
    is_current = models.BooleanField(_("SK berlaku"), default=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["body_id", "-is_current", "-date", "-id"]
        verbose_name = _("SK")
        verbose_name_plural = _("SK")
        constraints = [
            models.UniqueConstraint(fields=["body"], condition=Q(is_current=True), name="decree_one_current_per_body"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="decree_valid_until_after_from",
            ),
        ]

    def __str__(self):
        return f"SK {self.number} ({self.date:%d-%m-%Y})"


class Member(models.Model):
    """A member of a body."""

    class Position(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL_KETUA = "wakil_ketua", _("Wakil Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        KOORDINATOR_TATANAN = "koordinator_tatanan", _("Koordinator Tatanan")
        ANGGOTA = "anggota", _("Anggota")

    class Origin(models.TextChoices):
        PEMERINTAH = "pemerintah", _("Pemerintah")
        MASYARAKAT = "masyarakat", _("Masyarakat")
        SWASTA = "swasta", _("Swasta")
        MEDIA = "media", _("Media")

    body = models.ForeignKey(Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=30, choices=Position.choices, default=Position.ANGGOTA)
    origin = models.CharField(_("unsur"), max_length=20, choices=Origin.choices, default=Origin.MASYARAKAT)
    tatanan = models.ManyToManyField(
        Tatanan, verbose_name=_("tatanan yang dikoordinasi"), blank=True, related_name="coordinators"
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["body_id", "-active", "order", "id"]
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")

    def __str__(self):
        return f"{self.name} ({self.get_position_display()})"


class Secretariat(models.Model):
    """The office of a body: where it sits, and photos of its name board and organisation chart."""

    body = models.OneToOneField(Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, related_name="secretariat")
    address = models.TextField(_("alamat"), blank=True)
    room = models.CharField(_("ruang"), max_length=200, blank=True)
    has_name_board = models.BooleanField(_("ada papan nama"), default=False)
    name_board_photo = models.ImageField(
        _("foto papan nama"), upload_to=secretariat_photo_upload_to, max_length=200, null=True, blank=True
    )
    org_chart_photo = models.ImageField(
        _("foto struktur organisasi"), upload_to=secretariat_photo_upload_to, max_length=200, null=True, blank=True
    )
    notes = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("sekretariat")
        verbose_name_plural = _("sekretariat")

    def __str__(self):
        return _("Sekretariat %(body)s") % {"body": self.body}


class WorkPlan(models.Model):
    """The rencana kerja of a body for one year, approved by the level above."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")

    body = models.ForeignKey(Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, related_name="work_plans")
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2000)])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["body_id", "-year"]
        verbose_name = _("rencana kerja")
        verbose_name_plural = _("rencana kerja")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="work_plan_unique_year"),
        ]

    def __str__(self):
        return _("Rencana kerja %(year)s – %(body)s") % {"year": self.year, "body": self.body}


class WorkPlanItem(models.Model):
    """One activity of a work plan, tied to a tatanan (and optionally an indicator)."""

    class FundingSource(models.TextChoices):
        APBD = "apbd", _("APBD")
        APBDES_DANA_DESA = "apbdes_dana_desa", _("APBDes/Dana Desa")
        CSR_SWASTA = "csr_swasta", _("CSR/Swasta")
        SWADAYA = "swadaya", _("Swadaya")
        LAINNYA = "lainnya", _("Lainnya")

    work_plan = models.ForeignKey(
        WorkPlan, verbose_name=_("rencana kerja"), on_delete=models.CASCADE, related_name="items"
    )
    tatanan = models.ForeignKey(Tatanan, verbose_name=_("tatanan"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activity = models.TextField(_("kegiatan"))
    target = models.CharField(_("target"), max_length=300, blank=True)
    schedule = models.CharField(_("jadwal"), max_length=100, blank=True, help_text=_("Mis. Maret–Mei."))
    budget = models.DecimalField(
        _("anggaran (Rp)"), max_digits=15, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    funding_source = models.CharField(
        _("sumber dana"), max_length=20, choices=FundingSource.choices, default=FundingSource.APBD
    )
    person_in_charge = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["work_plan_id", "order", "id"]
        verbose_name = _("kegiatan rencana kerja")
        verbose_name_plural = _("kegiatan rencana kerja")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="work_plan_item_budget_not_negative"),
        ]

    def __str__(self):
        return self.activity[:80]


class PembinaanVisit(models.Model):
    """A supervision visit of a Tim Pembina to a kecamatan, a desa or an RT/RW within it."""

    visiting_body = models.ForeignKey(
        Body,
        verbose_name=_("tim yang membina"),
        on_delete=models.PROTECT,
        related_name="pembinaan_visits",
        limit_choices_to={"kind__in": [Body.Kind.TIM_PEMBINA_KABKOTA, Body.Kind.TIM_PEMBINA_KECAMATAN]},
    )
    target_region = models.ForeignKey(
        Region, verbose_name=_("wilayah sasaran"), on_delete=models.PROTECT, related_name="pembinaan_visits"
    )
    rt_rw = models.CharField(_("RT/RW"), max_length=50, blank=True, help_text=_("Mis. RT 03/RW 02."))
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=300, blank=True)
    participants = models.TextField(_("peserta"), blank=True)
    findings = models.TextField(_("temuan"), blank=True)
    follow_ups = models.TextField(_("tindak lanjut"), blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kunjungan pembinaan")
        verbose_name_plural = _("kunjungan pembinaan")

    def __str__(self):
        return f"{self.visiting_body} → {self.target_region.name} ({self.date:%d-%m-%Y})"

    def clean(self):
        if not (self.visiting_body_id and self.target_region_id):
            return
        if not self.visiting_body.is_tim_pembina:
            raise ValidationError({"visiting_body": _("Hanya Tim Pembina yang melakukan pembinaan.")})
        if not self.visiting_body.region.contains(self.target_region) or self.target_region.level not in (
            Region.Level.KECAMATAN,
            Region.Level.DESA,
        ):
            raise ValidationError(
                {"target_region": _("Wilayah sasaran harus kecamatan atau desa di wilayah tim pembina.")}
            )
