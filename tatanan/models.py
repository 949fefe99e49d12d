"""The catalogue of the KKS assessment, versioned per award cycle.

Everything that scores is data: which tatanan exist (a ``TatananSet``, keyed by stable codes
because their numbering changes between instrument years), which indicators each cycle asks
for, how each indicator is scaled, which documents prove it, and which rules turn scores into
an award tier. A new guideline means new rows (usually one ``import_instrumen`` run), never
new code.

Stable tatanan codes, shipped by migration ``0002_tatanan_sets``:

* set ``2005`` (Peraturan Bersama Mendagri–Menkes 2005, 9 tatanan, chosen by each kabupaten):
  PSU permukiman, sarana dan prasarana umum · LLT lalu lintas dan pelayanan transportasi ·
  TBG pertambangan · HTN hutan · IKP industri dan perkantoran · PAR pariwisata ·
  PGZ ketahanan pangan dan gizi · KSM kehidupan masyarakat sehat yang mandiri ·
  KSS kehidupan sosial yang sehat.
* set ``2017`` (practice of the 2017–2021 rounds, 7 tatanan, chosen): the 2005 list without
  TBG and HTN, same codes.
* set ``2023`` (2023 onward, 9 tatanan, all compulsory from 2025): KSM, PFU, PDD, PSR, KPI,
  PAR, TLL, PLS, BCN as listed in docs/DOMAIN.md.

A code means the same setting within a set; the same code in two sets (KSM, PAR) names the
closest successor, which is what year-on-year comparisons should follow.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.models import Region

DEFAULT_SCALE_VALUES = [100, 75, 50, 25, 0]


def default_scale_values() -> list[int]:
    """The scale values of the 2023–2025 instruments (a callable: a list default must not be shared)."""
    return list(DEFAULT_SCALE_VALUES)


class TatananSet(models.Model):
    """One version of the list of tatanan, shared by the cycles that use it."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("himpunan tatanan")
        verbose_name_plural = _("himpunan tatanan")

    def __str__(self):
        return f"{self.code} – {self.name}"


class Tatanan(models.Model):
    """A setting of community life assessed by the programme (markets, schools, …)."""

    tatanan_set = models.ForeignKey(
        TatananSet, verbose_name=_("himpunan tatanan"), on_delete=models.PROTECT, related_name="tatanan"
    )
    code = models.CharField(_("kode"), max_length=10, help_text=_("Kode tetap, mis. KSM atau PFU."))
    number = models.PositiveSmallIntegerField(_("nomor urut"))
    name = models.CharField(_("nama"), max_length=200)
    # Names the instrument workbooks use for this tatanan besides its own (sheet names are cut at
    # 31 characters and shortened: "Perkim", "Lalin"); the importer matches sheets with these.
    aliases = models.TextField(
        _("nama lain"), blank=True, help_text=_("Satu per baris; dipakai untuk mengenali sheet di berkas instrumen.")
    )

    class Meta:
        ordering = ["tatanan_set__code", "number"]
        verbose_name = _("tatanan")
        verbose_name_plural = _("tatanan")
        constraints = [
            models.UniqueConstraint(fields=["tatanan_set", "code"], name="tatanan_unique_code"),
            models.UniqueConstraint(fields=["tatanan_set", "number"], name="tatanan_unique_number"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Cycle(models.Model):
    """One Swasti Saba round: award year, data years, its rules and its windows."""

    class TatananSelection(models.TextChoices):
        ALL = "all", _("Semua tatanan wajib")
        CHOSEN = "chosen", _("Tatanan dipilih kabupaten/kota")

    award_year = models.PositiveSmallIntegerField(
        _("tahun penghargaan"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    first_data_year = models.PositiveSmallIntegerField(_("tahun data pertama"))
    last_data_year = models.PositiveSmallIntegerField(_("tahun data terakhir"))
    guideline_reference = models.TextField(_("acuan petunjuk teknis"), blank=True)
    tatanan_set = models.ForeignKey(
        TatananSet, verbose_name=_("himpunan tatanan"), on_delete=models.PROTECT, related_name="cycles"
    )
    tatanan_selection = models.CharField(
        _("pemilihan tatanan"), max_length=10, choices=TatananSelection.choices, default=TatananSelection.ALL
    )
    scale_values = models.JSONField(
        _("nilai skala yang sah"),
        default=default_scale_values,
        help_text=_("Nilai yang boleh dipakai opsi skala indikator, mis. [100, 75, 50, 25, 0]."),
    )
    self_assessment_opens = models.DateField(_("penilaian mandiri dibuka"), null=True, blank=True)
    self_assessment_closes = models.DateField(_("penilaian mandiri ditutup"), null=True, blank=True)
    province_deadline = models.DateField(_("batas verifikasi provinsi"), null=True, blank=True)
    correction_window_hours = models.PositiveSmallIntegerField(
        _("jendela perbaikan (jam)"),
        default=48,
        help_text=_("Waktu perbaikan setelah verifikasi virtual pusat (2×24 jam)."),
    )

    class Meta:
        ordering = ["-award_year"]
        verbose_name = _("siklus penilaian")
        verbose_name_plural = _("siklus penilaian")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_data_year__lte=models.F("last_data_year")), name="cycle_data_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(last_data_year__lt=models.F("award_year")), name="cycle_data_years_before_award"
            ),
        ]

    def __str__(self):
        return f"Swasti Saba {self.award_year}"

    @property
    def data_years(self) -> list[int]:
        return list(range(self.first_data_year, self.last_data_year + 1))

    def clean(self):
        if self.first_data_year and self.last_data_year and self.first_data_year > self.last_data_year:
            raise ValidationError(_("Tahun data pertama harus sebelum tahun data terakhir."))
        values = self.scale_values
        if not isinstance(values, list) or not values or not all(isinstance(v, int) and 0 <= v <= 100 for v in values):
            raise ValidationError({"scale_values": _("Isi daftar bilangan bulat 0–100.")})


class TierRule(models.Model):
    """How a cycle turns scores into an award tier: one row per tier, all data."""

    class Tier(models.TextChoices):
        PADAPA = "padapa", _("Padapa")
        WIWERDA = "wiwerda", _("Wiwerda")
        WISTARA = "wistara", _("Wistara")
        WISTARA_PARIPURNA = "wistara_paripurna", _("Wistara Paripurna")

    class Method(models.TextChoices):
        SCORE = "score", _("ODF minimum dan rentang capaian indikator")
        COUNT = "count", _("Jumlah tatanan dan cakupan kecamatan")

    class Aggregation(models.TextChoices):
        MINIMUM = "minimum", _("Capaian terendah per tatanan")
        AVERAGE = "average", _("Rata-rata semua tatanan")

    cycle = models.ForeignKey(Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="tier_rules")
    tier = models.CharField(_("strata"), max_length=20, choices=Tier.choices)
    rank = models.PositiveSmallIntegerField(_("urutan"), help_text=_("1 = strata terendah."))
    method = models.CharField(_("metode"), max_length=10, choices=Method.choices, default=Method.SCORE)
    odf_min_percent = models.DecimalField(
        _("desa/kelurahan ODF minimum (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_min = models.DecimalField(_("capaian minimum (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_max = models.DecimalField(_("capaian maksimum (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    aggregation = models.CharField(
        _("cara menghitung capaian"), max_length=10, choices=Aggregation.choices, default=Aggregation.MINIMUM
    )
    min_tatanan_count = models.PositiveSmallIntegerField(_("jumlah tatanan minimum"), null=True, blank=True)
    kecamatan_coverage_min_percent = models.DecimalField(
        _("cakupan kecamatan minimum (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    kecamatan_coverage_max_percent = models.DecimalField(
        _("cakupan kecamatan maksimum (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    requires_kelembagaan = models.BooleanField(_("syarat kelembagaan terpenuhi"), default=True)
    extra_requirements = models.TextField(_("syarat tambahan"), blank=True)

    class Meta:
        ordering = ["cycle", "rank"]
        verbose_name = _("aturan strata")
        verbose_name_plural = _("aturan strata")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "tier"], name="tier_rule_unique_tier"),
            models.UniqueConstraint(fields=["cycle", "rank"], name="tier_rule_unique_rank"),
        ]

    def __str__(self):
        return f"{self.cycle} – {self.get_tier_display()}"

    def clean(self):
        if self.method == self.Method.SCORE and self.score_min is None:
            raise ValidationError({"score_min": _("Metode capaian membutuhkan capaian minimum.")})
        if self.method == self.Method.COUNT and self.min_tatanan_count is None:
            raise ValidationError({"min_tatanan_count": _("Metode jumlah tatanan membutuhkan jumlah minimum.")})
        if self.score_min is not None and self.score_max is not None and self.score_min > self.score_max:
            raise ValidationError(_("Capaian minimum melebihi capaian maksimum."))


class Indicator(models.Model):
    """A scored item of a tatanan in one cycle, as the instrument words it."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="indicators")
    tatanan = models.ForeignKey(Tatanan, verbose_name=_("tatanan"), on_delete=models.PROTECT, related_name="indicators")
    number = models.CharField(_("nomor"), max_length=10, help_text=_("Nomor seperti di instrumen, mis. 1 atau 2a."))
    order = models.PositiveIntegerField(_("urutan"), default=0)
    name = models.TextField(_("indikator"))
    definisi_operasional = models.TextField(_("definisi operasional"), blank=True)
    sumber_data = models.TextField(_("sumber data"), blank=True)
    bukti_dukung = models.TextField(_("bukti dukung"), blank=True)
    scale_text = models.TextField(_("teks skala asli"), blank=True)
    # Set when a superuser merged or split the requirements on the review page: the importer then
    # leaves them alone (docs/DOMAIN.md, "Evidence requirements").
    requirements_edited = models.BooleanField(_("syarat bukti dukung disunting tangan"), default=False)
    weight = models.DecimalField(_("bobot"), max_digits=5, decimal_places=2, default=1)
    responsible_opd = models.CharField(
        _("OPD penanggung jawab"), max_length=200, blank=True, help_text=_("Singkatan OPD, dipisah koma.")
    )
    target = models.TextField(_("target"), blank=True)
    is_local = models.BooleanField(_("indikator lokal"), default=False)
    owner_kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota pemilik"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_indicators",
        limit_choices_to={"level": Region.Level.KABKOTA},
    )

    class Meta:
        ordering = ["cycle", "tatanan__number", "order", "id"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "tatanan", "number"],
                condition=Q(is_local=False),
                name="indicator_unique_number",
            ),
            models.UniqueConstraint(
                fields=["cycle", "tatanan", "owner_kabupaten", "number"],
                condition=Q(is_local=True),
                name="indicator_unique_local_number",
            ),
            models.CheckConstraint(
                condition=Q(is_local=False, owner_kabupaten__isnull=True)
                | Q(is_local=True, owner_kabupaten__isnull=False),
                name="indicator_local_has_owner",
            ),
        ]

    def __str__(self):
        return f"{self.tatanan.code} {self.number}. {self.name}"

    def clean(self):
        if self.cycle_id and self.tatanan_id and self.tatanan.tatanan_set_id != self.cycle.tatanan_set_id:
            raise ValidationError({"tatanan": _("Tatanan ini bukan bagian dari himpunan tatanan siklus.")})


class KelembagaanItem(models.Model):
    """One item of the kelembagaan sheet: a body (component) × what it must have (item)."""

    class Component(models.TextChoices):
        TIM_PEMBINA = "tim_pembina", _("Tim Pembina")
        FORUM_KABKOTA = "forum_kabkota", _("Forum Kabupaten/Kota")
        FORUM_KECAMATAN = "forum_kecamatan", _("Forum Kecamatan Sehat")
        POKJA_DESA = "pokja_desa", _("Pokja Desa/Kelurahan")

    class Item(models.TextChoices):
        SK = "sk", _("SK")
        RENCANA_KERJA = "rencana_kerja", _("Rencana Kerja")
        ANGGARAN = "anggaran", _("Anggaran")
        SEKRETARIAT = "sekretariat", _("Sekretariat")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="kelembagaan_items"
    )
    component = models.CharField(_("komponen"), max_length=20, choices=Component.choices)
    item = models.CharField(_("butir"), max_length=20, choices=Item.choices)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    text = models.TextField(_("definisi operasional"), blank=True)
    sumber_data = models.TextField(_("sumber data"), blank=True)
    bukti_dukung = models.TextField(_("bukti dukung"), blank=True)
    scale_text = models.TextField(_("teks skala asli"), blank=True)
    # Set when a superuser merged or split the requirements on the review page: the importer then
    # leaves them alone (docs/DOMAIN.md, "Evidence requirements").
    requirements_edited = models.BooleanField(_("syarat bukti dukung disunting tangan"), default=False)

    class Meta:
        ordering = ["cycle", "order", "id"]
        verbose_name = _("butir kelembagaan")
        verbose_name_plural = _("butir kelembagaan")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "component", "item"], name="kelembagaan_unique_item"),
        ]

    def __str__(self):
        return f"{self.get_component_display()} – {self.get_item_display()}"


class ScaleOption(models.Model):
    """One option of an indicator's (or kelembagaan item's) scale: a value and when it applies."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="scale_options"
    )
    kelembagaan_item = models.ForeignKey(
        KelembagaanItem, on_delete=models.CASCADE, null=True, blank=True, related_name="scale_options"
    )
    value = models.PositiveSmallIntegerField(_("nilai"), validators=[MaxValueValidator(100)])
    description = models.TextField(_("kriteria"))
    order = models.PositiveSmallIntegerField(_("urutan"))
    # Set by the importer on an option the workbook no longer has but a score still holds (kept
    # so nothing entered is lost); cleared when a later workbook has its value again. A retired
    # option stays valid only where it is the stored score (``selectors.selectable_options``).
    retired = models.BooleanField(
        _("tidak berlaku lagi"),
        default=False,
        help_text=_("Tidak ada lagi di instrumen terbaru; hanya tetap berlaku bagi isian yang sudah memakainya."),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("opsi skala")
        verbose_name_plural = _("opsi skala")
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, kelembagaan_item__isnull=True)
                | Q(indicator__isnull=True, kelembagaan_item__isnull=False),
                name="scale_option_one_owner",
            ),
            models.CheckConstraint(condition=Q(value__lte=100), name="scale_option_value_max_100"),
            models.UniqueConstraint(fields=["indicator", "order"], name="scale_option_unique_indicator_order"),
            models.UniqueConstraint(fields=["kelembagaan_item", "order"], name="scale_option_unique_item_order"),
        ]

    def __str__(self):
        return f"{self.value}: {self.description[:60]}"


class EvidenceRequirement(models.Model):
    """A document an indicator (or kelembagaan item) requires as bukti dukung.

    The importer derives these from the bukti dukung text (``derived=True``) and, on re-import,
    matches only derived rows, by document and data year, so that evidence files stay on theirs
    and requirements added by hand survive (docs/DOMAIN.md, "Re-importing the instrument").
    """

    class YearScope(models.TextChoices):
        YEAR = "year", _("Tahun data tertentu")
        EACH = "each", _("Setiap tahun data")
        NONE = "none", _("Tidak terikat tahun data")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_requirements"
    )
    kelembagaan_item = models.ForeignKey(
        KelembagaanItem, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_requirements"
    )
    description = models.TextField(_("dokumen"))
    year_scope = models.CharField(_("tahun data"), max_length=5, choices=YearScope.choices, default=YearScope.NONE)
    data_year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("jumlah minimum"), default=1, validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    derived = models.BooleanField(_("diturunkan dari teks bukti dukung"), default=True)

    class Meta:
        ordering = ["order", "data_year", "id"]
        verbose_name = _("syarat bukti dukung")
        verbose_name_plural = _("syarat bukti dukung")
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, kelembagaan_item__isnull=True)
                | Q(indicator__isnull=True, kelembagaan_item__isnull=False),
                name="evidence_requirement_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(year_scope="year", data_year__isnull=False) | (~Q(year_scope="year") & Q(data_year=None)),
                name="evidence_requirement_year_matches_scope",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="evidence_requirement_count_positive"),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def year_label(self) -> str:
        if self.year_scope == self.YearScope.YEAR:
            return str(self.data_year)
        return str(self.get_year_scope_display())
