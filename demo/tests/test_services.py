"""demo_seed builds Kabupaten Serang's OPDs and one user per role, through the accounts rules."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import get_commands
from django.test import RequestFactory

from accounts.models import Opd, Role, RoleAssignment, User
from demo import services
from demo.services import DEFAULT_PASSWORD, DemoSeedError, demo_seed
from regions.models import Region
from regions.tests import factories as rf


def sign_in(username, password):
    """``authenticate()`` as the login page calls it: django-axes, the first backend, needs the request."""
    return authenticate(RequestFactory().post("/akun/masuk/"), username=username, password=password)


pytestmark = pytest.mark.django_db

# username -> (role, region code, OPD short name); the superuser holds no role.
EXPECTED_ROLES = {
    "bappeda.serang": (Role.BAPPEDA_ADMIN, "36.04", None),
    "bappeda.cilegon": (Role.BAPPEDA_ADMIN, "36.72", None),
    "dinkes.serang": (Role.OPD_OPERATOR, "36.04", "Dinkes"),
    "dlh.serang": (Role.OPD_OPERATOR, "36.04", "DLH"),
    "forum.serang": (Role.SECRETARY, "36.04", None),
    "fks.carenang": (Role.SECRETARY, "36.04.17", None),
    "fks.binuang": (Role.SECRETARY, "36.04.18", None),
    "pokja.carenang": (Role.SECRETARY, "36.04.17.2001", None),
    "verifikator.banten": (Role.PROVINCE_VERIFIER, "36", None),
    "verifikator.jabar": (Role.PROVINCE_VERIFIER, "32", None),
    "verifikator.pusat": (Role.NATIONAL_VERIFIER, None, None),
}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The demo hashes eleven passwords per run; the real hasher would make these tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts():
    return User.objects.count(), RoleAssignment.objects.count(), Opd.objects.count(), Region.objects.count()


def test_creates_one_user_per_role_in_and_around_serang(wilayah):
    accounts = demo_seed()

    assert {a.username for a in accounts} == {"admin", *EXPECTED_ROLES}
    assert all(a.created for a in accounts)
    for username, (role, region_code, opd_short_name) in EXPECTED_ROLES.items():
        assignments = list(RoleAssignment.objects.filter(user__username=username))
        assert [(a.role, a.region_id, a.opd.short_name if a.opd else None) for a in assignments] == [
            (role, region_code, opd_short_name)
        ], username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert not admin.role_assignments.exists()
    # Real people's names, not "Rina Bappeda".
    assert User.objects.get(username="fks.carenang").get_full_name() == "Sari Handayani"


def test_creates_the_opds_of_serang_with_their_full_names(wilayah):
    demo_seed()

    opds = {opd.short_name: opd.name for opd in Opd.objects.filter(kabupaten_id="36.04")}
    for short_name in ("Bappeda", "Dinkes", "DLH", "Dinas PUPR", "Dishub", "Disdikbud", "Dinsos", "BPBD", "Satpol PP"):
        assert short_name in opds
    assert opds["Dinkes"] == "Dinas Kesehatan"
    assert opds["Satpol PP"] == "Satuan Polisi Pamong Praja"
    assert not Opd.objects.exclude(kabupaten_id="36.04").exists()


def test_every_demo_user_can_log_in_with_the_default_password(wilayah):
    demo_seed()

    for username in ["admin", *EXPECTED_ROLES]:
        assert sign_in(username, DEFAULT_PASSWORD) is not None, username


def test_second_run_creates_nothing(wilayah):
    demo_seed()
    before = _counts()

    accounts = demo_seed()

    assert _counts() == before
    assert not any(a.created for a in accounts)


def test_reuses_an_opd_that_already_exists(wilayah, dinkes_serang):
    demo_seed()

    assert Opd.objects.filter(kabupaten_id="36.04", short_name__iexact="dinkes").count() == 1
    assert RoleAssignment.objects.get(user__username="dinkes.serang").opd == dinkes_serang


def test_new_password_replaces_the_old_one_and_reactivates(wilayah):
    demo_seed()
    User.objects.filter(username="fks.binuang").update(is_active=False)

    accounts = demo_seed(password="Ganti-sandi-77")

    assert {a.password for a in accounts} == {"Ganti-sandi-77"}
    assert sign_in("fks.binuang", "Ganti-sandi-77") is not None
    assert sign_in("fks.binuang", DEFAULT_PASSWORD) is None


def test_refuses_in_production_unless_forced(wilayah, settings):
    settings.PRODUCTION = True
    settings.KKS_ENV = "production"

    with pytest.raises(DemoSeedError, match="production"):
        demo_seed()
    assert not User.objects.exists()

    demo_seed(force=True)
    assert User.objects.filter(username="admin").exists()


def test_loads_banten_with_import_wilayah_when_serang_is_missing(db, monkeypatch):
    rf.region(rf.JAWA_BARAT)
    calls = []

    def fake_call_command(name, **options):
        # Stands in for the Kemendagri import of one province.
        calls.append((name, options["province"]))
        for code_name in (rf.BANTEN, rf.KAB_SERANG, rf.KEC_CARENANG, rf.KEC_BINUANG, rf.DESA_CARENANG):
            rf.region(code_name)
        rf.region(("36.72", "Kota Cilegon"))

    monkeypatch.setattr(services, "get_commands", lambda: {"import_wilayah": "regions"})
    monkeypatch.setattr(services, "call_command", fake_call_command)

    demo_seed()

    assert calls == [("import_wilayah", "36")]
    assert RoleAssignment.objects.get(user__username="pokja.carenang").region_id == "36.04.17.2001"


def test_clear_error_when_regions_are_missing_and_import_wilayah_is_not_there(db, monkeypatch):
    monkeypatch.setattr(services, "get_commands", lambda: {})

    with pytest.raises(DemoSeedError, match="import_wilayah"):
        demo_seed()
    assert not User.objects.exists()


@pytest.mark.skipif("import_wilayah" not in get_commands(), reason="regions has no import_wilayah command yet")
def test_loads_the_real_kemendagri_regions_when_none_are_loaded(db):
    demo_seed()

    assert Region.objects.get(code="36.04").name == "Kabupaten Serang"
    assert Region.objects.get(code="36.04.17.2001").name == "Carenang"
    assert RoleAssignment.objects.get(user__username="verifikator.jabar").region.name == "Jawa Barat"


def test_demo_kabupaten_has_its_bodies_for_the_secretaries(db):
    from forums.models import Body

    demo_seed()
    demo_seed()  # idempotent
    carenang = Body.objects.filter(region_id="36.04.17").values_list("name", flat=True)
    assert "Forum Kecamatan Sehat Carenang" in carenang
    assert Body.objects.filter(region_id="36.04.17.2001").exists()  # Pokja Desa Carenang
    assert Body.objects.filter(region__code__startswith="36.04.", kind="pokja_desa").count() == 326


def test_demo_kabupaten_has_a_photo_reference_point_that_a_rerun_keeps(wilayah):
    from decimal import Decimal

    from evidence.models import ReferencePoint

    demo_seed()
    point = ReferencePoint.objects.get(kabupaten_id="36.04")
    assert (point.latitude, point.longitude, point.radius_km) == (Decimal("-6.12"), Decimal("106.15"), 60)
    ReferencePoint.objects.filter(pk=point.pk).update(radius_km=75)  # Bappeda moved it

    demo_seed()

    assert ReferencePoint.objects.get(kabupaten_id="36.04").radius_km == 75
