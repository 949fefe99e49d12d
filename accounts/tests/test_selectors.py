import pytest

from accounts.models import Opd
from accounts.selectors import opds_visible_to, scope_filter, scope_of, users_manageable_by
from regions.models import Region

pytestmark = pytest.mark.django_db


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_bappeda_reads_its_kabupaten_and_nothing_outside(rina, wilayah):
    visible = scope_filter(Region.objects.all(), user=rina, field="code")
    assert codes(visible) == ["36.04", "36.04.17", "36.04.17.2001", "36.04.17.2002", "36.04.18", "36.04.18.2001"]


def test_secretary_reads_only_their_kecamatan(sari, tono, wilayah):
    assert codes(scope_filter(Region.objects.all(), user=sari, field="code")) == [
        "36.04.17",
        "36.04.17.2001",
        "36.04.17.2002",
    ]
    assert "36.04.17" not in codes(scope_filter(Region.objects.all(), user=tono, field="code"))


def test_prefix_does_not_leak_to_sibling_codes(db, wilayah):
    # 36.04.1 must not match 36.04.17: scoping is by whole code segments.
    from regions.tests.factories import region

    region(("36.04.1", "Bukan kecamatan"))
    from accounts.selectors import Scope

    narrow = Scope(False, ("36.04.1",))
    assert narrow.covers("36.04.1")
    assert not narrow.covers("36.04.17")
    assert codes(Region.objects.filter(narrow.q("code"))) == ["36.04.1"]


def test_province_verifier_of_another_province_sees_nothing_of_banten(wawan, vina, wilayah):
    assert codes(scope_filter(Region.objects.filter(code__startswith="36"), user=wawan, field="code")) == []
    assert "36.04.17.2001" in codes(scope_filter(Region.objects.all(), user=vina, field="code"))


def test_national_verifier_and_superuser_read_everything(nadia, root_user, wilayah):
    assert scope_of(nadia).everything
    assert scope_of(root_user).everything


def test_user_without_role_or_inactive_reads_nothing(sari, wilayah):
    from accounts.tests.factories import UserFactory

    nobody = UserFactory(username="nobody")
    assert scope_of(nobody).empty
    sari.is_active = False
    assert scope_of(sari).empty


def test_several_roles_union_their_scopes(sari, wilayah):
    from accounts.services import role_assign

    role_assign(user=sari, role="secretary", region=wilayah["desa_binuang"])
    visible = codes(scope_filter(Region.objects.all(), user=sari, field="code"))
    assert "36.04.18.2001" in visible
    assert "36.04.18" not in visible


def test_bappeda_manages_users_of_its_kabupaten_only(rina, sari, tono, vina, wawan, root_user):
    managed = set(users_manageable_by(rina).values_list("username", flat=True))
    assert managed == {"rina", "sari", "tono"}
    assert not users_manageable_by(sari).exists()


def test_opds_visible_by_scope(rina, wawan, dinkes_serang, wilayah):
    Opd.objects.create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    assert list(opds_visible_to(rina)) == [dinkes_serang]
    assert [o.kabupaten_id for o in opds_visible_to(wawan)] == ["32.01"]
