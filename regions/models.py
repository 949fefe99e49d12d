from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Kemendagri administrative region, keyed by its official code.

    The code is hierarchical (``36`` → ``36.04`` → ``36.04.17`` → ``36.04.17.2001``), so
    "everything inside a region" is a prefix match on the code. Access scoping relies on
    that (see ``accounts.selectors``).
    """

    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABKOTA = 2, _("Kabupaten/Kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA = 4, _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes of this region and the regions above it, top first."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]

    def contains(self, other: "Region") -> bool:
        return other.code == self.code or other.code.startswith(self.code + ".")


def kabupaten_code_of(region_code: str) -> str:
    """``36.04.17.2001`` → ``36.04``: the kabupaten/kota a region lies in (codes are hierarchical)."""
    return ".".join(region_code.split(".")[:2])
