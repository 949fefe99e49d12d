"""One kabupaten/kota's assessment in one cycle: its indicator entries, kelembagaan and ODF status.

The catalogue (what is asked, how it is scaled, how tiers are reached) lives in ``tatanan``;
this app holds the answers. Scores are foreign keys to the indicator's own ``ScaleOption`` rows,
so a value can only ever be one the instrument allows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Opd
from regions.models import Region
from regions.words import kind_in_names
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption, Tatanan, TierRule


class Assessment(models.Model):
    """The self-assessment of one kabupaten/kota for one award cycle."""

    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="assessments",
        limit_choices_to={"level": Region.Level.KABKOTA},
    )
    cycle = models.ForeignKey(Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="assessments")
    tatanan = models.ManyToManyField(Tatanan, verbose_name=_("tatanan yang dinilai"), related_name="assessments")
    # The category (tier) the kabupaten/kota registered for; the prediction is measured against it.
    category = models.CharField(
        _("kategori yang didaftarkan"), max_length=20, choices=TierRule.Tier.choices, blank=True
    )
    # The usulan: the kecamatan the kabupaten/kota proposes for the award. Older rounds tier by
    # their share of all kecamatan (kecamatan coverage, docs/DOMAIN.md "Cycles").
    proposed_kecamatan = models.ManyToManyField(
        Region,
        verbose_name=_("kecamatan usulan"),
        related_name="+",
        blank=True,
        limit_choices_to={"level": Region.Level.KECAMATAN},
    )
    # The desa/kelurahan proposed, in the proposed kecamatan: the kelembagaan scores count their
    # Pokja and the ODF share their status (none proposed: every desa of those kecamatan).
    proposed_desa = models.ManyToManyField(
        Region,
        verbose_name=_("desa/kelurahan usulan"),
        related_name="+",
        blank=True,
        limit_choices_to={"level": Region.Level.DESA},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["-cycle__award_year", "kabupaten_id"]
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "cycle"], name="assessment_unique_kabupaten_cycle"),
        ]

    def __str__(self):
        return f"{self.kabupaten.name} – {self.cycle}"


class IndicatorEntry(models.Model):
    """The answer to one indicator: data for both data years, the self score and, later, the
    verifiers' scores."""

    class Status(models.TextChoices):
        KOSONG = "kosong", _("Kosong")
        DRAF = "draf", _("Draf")
        SELESAI = "selesai", _("Selesai")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="indicator_entries"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="entries"
    )
    # Instruments ask for numbers ("12 pasar") as often as for words ("ada, SK nomor …"): the text
    # is what the kabupaten wrote, the decimal is filled when the text reads as a number.
    value_year1 = models.CharField(_("data tahun pertama"), max_length=500, blank=True)
    value_year1_number = models.DecimalField(
        _("angka tahun pertama"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    value_year2 = models.CharField(_("data tahun kedua"), max_length=500, blank=True)
    value_year2_number = models.DecimalField(
        _("angka tahun kedua"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target = models.CharField(_("target"), max_length=500, blank=True)
    explanation = models.TextField(_("penjelasan"), blank=True)
    evidence_link = models.CharField(
        _("tautan bukti dukung"),
        max_length=1000,
        blank=True,
        help_text=_("Tautan ke bukti dukung di luar portal (mis. folder bersama), seperti di kolom instrumen."),
    )
    self_score = models.ForeignKey(
        ScaleOption,
        verbose_name=_("nilai mandiri"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_entries",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.KOSONG)
    provincial_score = models.ForeignKey(
        ScaleOption,
        verbose_name=_("nilai provinsi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    provincial_note = models.TextField(_("catatan provinsi"), blank=True)
    national_score = models.ForeignKey(
        ScaleOption,
        verbose_name=_("nilai pusat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    national_note = models.TextField(_("catatan pusat"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        ordering = ["assessment", "indicator__tatanan__number", "indicator__order", "indicator_id"]
        verbose_name = _("isian indikator")
        verbose_name_plural = _("isian indikator")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="indicator_entry_unique"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.indicator}"

    def clean(self):
        for field in ("self_score", "provincial_score", "national_score"):
            option = getattr(self, field)
            if option is not None and option.indicator_id != self.indicator_id:
                raise ValidationError({field: _("Nilai harus salah satu opsi skala indikator ini.")})


class KelembagaanEntry(models.Model):
    """The self score of one kelembagaan item (SK, work plan, budget, secretariat of a body)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="kelembagaan_entries"
    )
    item = models.ForeignKey(
        KelembagaanItem, verbose_name=_("butir kelembagaan"), on_delete=models.PROTECT, related_name="entries"
    )
    self_score = models.ForeignKey(
        ScaleOption,
        verbose_name=_("nilai mandiri"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True)
    # From a filled 2023 checklist ("Lampirkan Bukti" and the province's notes, docs/DOMAIN.md
    # "The instrument workbook"): kept so that nothing typed in the field is lost.
    evidence_link = models.CharField(_("tautan bukti dukung"), max_length=1000, blank=True)
    provincial_note = models.TextField(_("catatan provinsi"), blank=True)

    class Meta:
        ordering = ["assessment", "item__order", "item_id"]
        verbose_name = _("isian kelembagaan")
        verbose_name_plural = _("isian kelembagaan")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="kelembagaan_entry_unique"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.item}"

    def clean(self):
        if self.self_score is not None and self.self_score.kelembagaan_item_id != self.item_id:
            raise ValidationError({"self_score": _("Nilai harus salah satu opsi skala butir ini.")})


class OdfStatus(models.Model):
    """Open-defecation-free status, in one of two shapes.

    A row with ``desa`` set declares one desa/kelurahan Stop BABS (``declared_odf``); a row with
    ``kecamatan`` set and no ``desa`` gives counts for a whole kecamatan (``desa_total``,
    ``desa_odf``) when the kabupaten reports only totals. One model keeps both in one table and
    one admin; the selector ``odf_percent`` prefers per-desa rows for a kecamatan that has them.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="odf_statuses"
    )
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.KECAMATAN},
    )
    desa = models.ForeignKey(
        Region,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Region.Level.DESA},
    )
    declared_odf = models.BooleanField(_("sudah deklarasi Stop BABS"), default=False)
    desa_total = models.PositiveIntegerField(_("jumlah desa/kelurahan"), null=True, blank=True)
    desa_odf = models.PositiveIntegerField(_("jumlah desa/kelurahan ODF"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "kecamatan_id", "desa_id"]
        verbose_name = _("status ODF")
        verbose_name_plural = _("status ODF")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "desa"], condition=Q(desa__isnull=False), name="odf_status_unique_desa"
            ),
            models.UniqueConstraint(
                fields=["assessment", "kecamatan"],
                condition=Q(desa__isnull=True),
                name="odf_status_unique_kecamatan_count",
            ),
            models.CheckConstraint(
                condition=Q(desa__isnull=False, desa_total__isnull=True, desa_odf__isnull=True)
                | Q(
                    desa__isnull=True,
                    desa_total__isnull=False,
                    desa_odf__isnull=False,
                    desa_odf__lte=models.F("desa_total"),
                ),
                name="odf_status_one_shape",
            ),
        ]

    def __str__(self):
        if self.desa_id:
            return f"{self.desa_id}: {'ODF' if self.declared_odf else '-'}"
        return f"{self.kecamatan_id}: {self.desa_odf}/{self.desa_total}"


class DataRequest(models.Model):
    """Bappeda's request for data by a deadline, of one of three kinds:

    * ``isian``: to one OPD for the data of the entries assigned to it. Which entries are asked
      is ``IndicatorEntry.assigned_opd``; this row holds the deadline and the reminders, one per
      OPD and assessment.
    * ``titik_pantau``: to one OPD to add and complete the titik pantau of some tatanan (of some
      kinds only, when ``point_kinds`` names them): at least ``points_min`` per tatanan, each
      with its desa/kelurahan, address and coordinates. One per OPD and assessment.
    * ``kelembagaan``: to the secretary of the Forum/Pokja of one region (``region``) for the
      body's documents (``documents``: SK, rencana kerja, sekretariat). One per region and
      assessment.

    What is still outstanding is never stored: it is read from the entries, the titik pantau and
    the bodies (``indicators.requests.selectors.outstanding_of``), README "Permintaan data".
    """

    class Kind(models.TextChoices):
        ENTRIES = "isian", _("Isian indikator")
        TITIK_PANTAU = "titik_pantau", _("Titik pantau")
        KELEMBAGAAN = "kelembagaan", _("Dokumen kelembagaan")

    class Document(models.TextChoices):
        SK = "sk", _("SK pembentukan yang berlaku, dengan berkas pindaiannya")
        RENCANA_KERJA = "rencana_kerja", _("Rencana kerja setiap tahun data, diajukan atau disetujui")
        SEKRETARIAT = "sekretariat", _("Alamat dan foto papan nama sekretariat")

    # The kinds asked of an OPD; the other is asked of the secretary of a body's region.
    OPD_KINDS = (Kind.ENTRIES, Kind.TITIK_PANTAU)

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = models.CharField(_("jenis permintaan"), max_length=20, choices=Kind.choices, default=Kind.ENTRIES)
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, null=True, blank=True, related_name="data_requests"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah lembaga"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Wilayah Forum/Pokja yang diminta dokumennya (permintaan dokumen kelembagaan)."),
    )
    tatanan = models.ManyToManyField(Tatanan, verbose_name=_("tatanan"), blank=True, related_name="+")
    point_kinds = models.JSONField(_("jenis titik pantau"), default=list, blank=True)
    points_min = models.PositiveSmallIntegerField(_("titik pantau per tatanan"), default=1)
    documents = models.JSONField(_("dokumen yang diminta"), default=list, blank=True)
    deadline = models.DateField(_("tenggat"))
    message = models.TextField(_("pesan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    last_reminded_at = models.DateTimeField(_("pengingat terakhir"), null=True, blank=True)
    reminder_count = models.PositiveIntegerField(_("jumlah pengingat"), default=0)

    class Meta:
        ordering = ["assessment", "deadline", "opd__short_name", "region_id"]
        verbose_name = _("permintaan data")
        verbose_name_plural = _("permintaan data")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "opd"], condition=Q(kind="isian"), name="data_request_unique_opd"
            ),
            models.UniqueConstraint(
                fields=["assessment", "opd"],
                condition=Q(kind="titik_pantau"),
                name="data_request_unique_opd_titik_pantau",
            ),
            models.UniqueConstraint(
                fields=["assessment", "region"],
                condition=Q(kind="kelembagaan"),
                name="data_request_unique_region_kelembagaan",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["isian", "titik_pantau"], opd__isnull=False, region__isnull=True)
                | Q(kind="kelembagaan", opd__isnull=True, region__isnull=False),
                name="data_request_asks_opd_or_region",
            ),
            models.CheckConstraint(condition=Q(points_min__gte=1), name="data_request_points_min_positive"),
        ]

    def __str__(self):
        return f"{self.asked_label} – {self.deadline}"

    @property
    def asked_label(self) -> str:
        """Who is asked: the OPD's short name, or the Forum/Pokja of the region."""
        if self.opd_id:
            return self.opd.short_name
        return body_label(self.region) if self.region_id else ""

    @property
    def point_kind_labels(self) -> list[str]:
        return [str(TitikPantau.Kind(k).label) for k in self.point_kinds if k in TitikPantau.Kind.values]

    @property
    def document_labels(self) -> list[str]:
        return [str(label) for value, label in self.Document.choices if value in self.documents]


def body_label(region: Region) -> str:
    """The Forum/Pokja whose secretary a region's kelembagaan request asks: "Forum Kecamatan Sehat
    Carenang", "Pokja Desa Sehat Carenang", "Forum Kabupaten/Kota Sehat Kabupaten Serang"."""
    if region.level == Region.Level.KECAMATAN:
        return _("Forum Kecamatan Sehat %(name)s") % {"name": region.name}
    if region.level == Region.Level.DESA:
        # The kind as part of the body's name, never translated (regions.words.kind_in_names).
        return _("Pokja %(kind)s Sehat %(name)s") % {"kind": kind_in_names(region.kind), "name": region.name}
    return _("Forum Kabupaten/Kota Sehat %(name)s") % {"name": region.name}


class TitikPantau(models.Model):
    """A monitoring point (lokus) shown to field verifiers: a market, a school, a terminal …"""

    class Kind(models.TextChoices):
        PASAR = "pasar", _("Pasar")
        SEKOLAH = "sekolah", _("Sekolah")
        PESANTREN = "pesantren", _("Pondok pesantren")
        TERMINAL = "terminal", _("Terminal")
        DESTINASI_WISATA = "destinasi_wisata", _("Destinasi wisata")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        RUMAH_SAKIT = "rumah_sakit", _("Rumah sakit")
        KANTOR = "kantor", _("Kantor")
        INDUSTRI = "industri", _("Industri")
        TEMPAT_IBADAH = "tempat_ibadah", _("Tempat ibadah")
        TAMAN = "taman", _("Taman/ruang terbuka")
        PERMUKIMAN = "permukiman", _("Permukiman")
        LAINNYA = "lainnya", _("Lainnya")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="titik_pantau"
    )
    tatanan = models.ForeignKey(Tatanan, verbose_name=_("tatanan"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    desa = models.ForeignKey(
        Region,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Region.Level.DESA},
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "tatanan__number", "name"]
        verbose_name = _("titik pantau")
        verbose_name_plural = _("titik pantau")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="titik_pantau_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="titik_pantau_longitude_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Innovation(models.Model):
    """An innovation of the kabupaten/kota for healthy living (a programme, a practice, a tool), as
    the dossier's chapter on titik pantau and innovations presents it: optionally tied to one
    assessed tatanan, with its year and its result or impact."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="innovations"
    )
    tatanan = models.ForeignKey(
        Tatanan, verbose_name=_("tatanan"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    result = models.TextField(_("hasil/dampak"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        ordering = ["assessment", "year", "title", "id"]
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="innovation_year_range"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"
