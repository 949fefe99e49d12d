import factory

from regions.models import Region

# Real Kemendagri codes and names, so tests read like the portal's users speak.
BANTEN = ("36", "Banten")
KAB_SERANG = ("36.04", "Kabupaten Serang")
KEC_CARENANG = ("36.04.17", "Carenang")
KEC_BINUANG = ("36.04.18", "Binuang")
DESA_CARENANG = ("36.04.17.2001", "Carenang")
DESA_PAMANUK = ("36.04.17.2002", "Pamanuk")
DESA_BINUANG = ("36.04.18.2001", "Binuang")
JAWA_BARAT = ("32", "Jawa Barat")
KAB_BOGOR = ("32.01", "Kabupaten Bogor")


def kind_for(code: str, name: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return Region.Kind.PROVINSI
    if len(parts) == 2:
        return Region.Kind.KOTA if name.startswith("Kota ") else Region.Kind.KABUPATEN
    if len(parts) == 3:
        return Region.Kind.KECAMATAN
    return Region.Kind.KELURAHAN if parts[3].startswith("1") else Region.Kind.DESA


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99.{n:02d}")
    name = factory.Sequence(lambda n: f"Wilayah {n}")
    level = factory.LazyAttribute(lambda o: len(o.code.split(".")))
    kind = factory.LazyAttribute(lambda o: kind_for(o.code, o.name))
    parent = factory.LazyAttribute(
        lambda o: Region.objects.get(code=o.code.rsplit(".", 1)[0]) if "." in o.code else None
    )


def region(code_name: tuple[str, str]) -> Region:
    """Create a region and, where missing, its ancestors (named by code only)."""
    code, name = code_name
    parts = code.split(".")
    for i in range(1, len(parts)):
        RegionFactory(code=".".join(parts[:i]), name=f"Wilayah {'.'.join(parts[:i])}")
    return RegionFactory(code=code, name=name)
