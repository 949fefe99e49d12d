import factory

from accounts.models import Opd, OpdFunction, Role, RoleAssignment, User
from regions.tests.factories import KabupatenFactory

PASSWORD = "rahasia-uji-123"

# Perangkat daerah a kabupaten/kota has, by the short names instruments use in "OPD penanggung jawab".
OPD_NAMES = {
    "Dinkes": "Dinas Kesehatan",
    "Disdik": "Dinas Pendidikan",
    "Bappeda": "Badan Perencanaan Pembangunan Daerah",
    "DPUPR": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dishub": "Dinas Perhubungan",
    "Disperindag": "Dinas Perindustrian dan Perdagangan",
    "DLH": "Dinas Lingkungan Hidup",
    "Dinsos": "Dinas Sosial",
    "BPBD": "Badan Penanggulangan Bencana Daerah",
    "Disparbud": "Dinas Pariwisata dan Kebudayaan",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OpdFactory(factory.django.DjangoModelFactory):
    """A perangkat daerah of a kabupaten/kota; Dinkes unless another short name is given (the
    full name then follows from ``OPD_NAMES``)."""

    class Meta:
        model = Opd
        django_get_or_create = ("kabupaten", "short_name")

    kabupaten = factory.SubFactory(KabupatenFactory)
    short_name = "Dinkes"
    name = factory.LazyAttribute(lambda o: OPD_NAMES.get(o.short_name, o.short_name))


class OpdFunctionFactory(factory.django.DjangoModelFactory):
    """A kabupaten's OPD for one function (``accounts.functions``): health to its Dinkes unless told."""

    class Meta:
        model = OpdFunction
        django_get_or_create = ("kabupaten", "function")

    opd = factory.SubFactory(OpdFactory)
    kabupaten = factory.LazyAttribute(lambda o: o.opd.kabupaten)
    function = "kesehatan"


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A role of a user; by default Bappeda admin of a kabupaten. For other roles give the region
    at the level ``ROLE_REGION_LEVELS`` names (``region=None`` for a national verifier) and, for an
    OPD operator, an OPD of that kabupaten."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.BAPPEDA_ADMIN
    region = factory.SubFactory(KabupatenFactory)
