from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .functions import CHOICES as FUNCTION_CHOICES


class User(AbstractUser):
    """A person using the portal. What they may see and do comes from their role assignments."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def __str__(self):
        return self.get_full_name()


class Opd(models.Model):
    """A perangkat daerah (regional government agency) of one kabupaten/kota, e.g. Dinkes."""

    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="opds",
        limit_choices_to={"level": Region.Level.KABKOTA},
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=30)

    class Meta:
        ordering = ["kabupaten_id", "short_name"]
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "short_name"], name="opd_unique_short_name"),
        ]

    def __str__(self):
        return f"{self.short_name} – {self.name}"


class OpdFunction(models.Model):
    """Which OPD of a kabupaten/kota carries one government function (urusan) the instrument
    names as a data source (``accounts.functions``): mapped once, used for every new round."""

    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.CASCADE,
        related_name="opd_functions",
        limit_choices_to={"level": Region.Level.KABKOTA},
    )
    function = models.CharField(_("fungsi (urusan)"), max_length=30, choices=FUNCTION_CHOICES)
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.CASCADE, related_name="functions")

    class Meta:
        ordering = ["kabupaten_id", "function"]
        verbose_name = _("fungsi OPD")
        verbose_name_plural = _("fungsi OPD")
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "function"], name="opd_function_unique_function"),
        ]

    def __str__(self):
        return f"{self.kabupaten_id} {self.function}: {self.opd.short_name}"


class Role(models.TextChoices):
    BAPPEDA_ADMIN = "bappeda_admin", _("Admin Bappeda")
    OPD_OPERATOR = "opd_operator", _("Operator OPD")
    SECRETARY = "secretary", _("Sekretaris Forum/Pokja")
    PROVINCE_VERIFIER = "province_verifier", _("Verifikator provinsi")
    NATIONAL_VERIFIER = "national_verifier", _("Verifikator pusat")


# The region level each role is scoped to. A secretary serves the Forum of a kabupaten/kota,
# the Forum Kecamatan Sehat of a kecamatan or the Pokja of a desa/kelurahan.
ROLE_REGION_LEVELS = {
    Role.BAPPEDA_ADMIN: {Region.Level.KABKOTA},
    Role.OPD_OPERATOR: {Region.Level.KABKOTA},
    Role.SECRETARY: {Region.Level.KABKOTA, Region.Level.KECAMATAN, Region.Level.DESA},
    Role.PROVINCE_VERIFIER: {Region.Level.PROVINSI},
    Role.NATIONAL_VERIFIER: set(),  # national: no region
}


class RoleAssignment(models.Model):
    """One role a user holds, scoped to a region (and for OPD operators to an OPD)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, null=True, blank=True)
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["user_id", "role", "region_id"]
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "opd"],
                name="role_assignment_unique",
            ),
        ]

    def __str__(self):
        parts = [self.get_role_display()]
        if self.region_id:
            parts.append(self.region.name)
        if self.opd_id:
            parts.append(self.opd.short_name)
        return " – ".join(str(p) for p in parts)
