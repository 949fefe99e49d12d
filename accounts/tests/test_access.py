"""The role checks of ``accounts.access``, persona by persona (conftest: rina Bappeda admin of
Serang, oscar OPD operator of Dinkes Serang, sari/tono/dewi secretaries below Serang, vina and
wawan province verifiers of Banten and Jawa Barat, nadia national, root_user superuser)."""

import pytest
from django.http import Http404

from accounts.access import (
    is_any_province_verifier,
    is_bappeda_admin_of,
    is_national_verifier,
    is_province_verifier_of,
    is_superuser,
    opd_ids_operated_by,
    require_kabupaten_admin,
    roles_of,
)
from accounts.models import Role
from regions.tests import factories as rf

SERANG = rf.KAB_SERANG[0]
BOGOR = rf.KAB_BOGOR[0]
CARENANG = rf.KEC_CARENANG[0]

pytestmark = pytest.mark.django_db


def test_kabupaten_admins_are_its_bappeda_admin_and_the_superuser(personas):
    assert {name for name, user in personas.items() if is_bappeda_admin_of(user, SERANG)} == {"rina", "root"}
    assert {name for name, user in personas.items() if is_bappeda_admin_of(user, BOGOR)} == {"root"}


def test_everyone_else_gets_404_whether_or_not_they_read_the_kabupaten(personas):
    # oscar, vina and nadia read Serang, sari/tono/dewi and wawan do not: the answer is the same.
    for name, user in personas.items():
        if name in ("rina", "root"):
            require_kabupaten_admin(user, SERANG)
        else:
            with pytest.raises(Http404):
                require_kabupaten_admin(user, SERANG)


def test_a_deactivated_superuser_administers_nothing(root_user):
    root_user.is_active = False
    assert not is_superuser(root_user)
    assert not is_bappeda_admin_of(root_user, SERANG)
    assert not is_national_verifier(root_user)


def test_province_verifiers_verify_the_regions_of_their_province(personas):
    verifiers = {name for name, user in personas.items() if is_province_verifier_of(user, SERANG)}
    assert verifiers == {"vina", "root"}
    assert {name for name, user in personas.items() if is_province_verifier_of(user, CARENANG)} == {"vina", "root"}
    assert {name for name, user in personas.items() if is_province_verifier_of(user, BOGOR)} == {"wawan", "root"}
    # A code that merely starts with the province's digits is another province.
    assert not is_province_verifier_of(personas["vina"], "360.01")
    assert {name for name, user in personas.items() if is_any_province_verifier(user)} == {"vina", "wawan"}


def test_the_national_verifier(personas):
    assert {name for name, user in personas.items() if is_national_verifier(user)} == {"nadia", "root"}


def test_roles_and_operated_opds(personas, dinkes_serang):
    assert roles_of(personas["oscar"]) == {Role.OPD_OPERATOR}
    assert roles_of(personas["root"]) == set()
    assert opd_ids_operated_by(personas["oscar"]) == {dinkes_serang.pk}
    assert {name for name, user in personas.items() if opd_ids_operated_by(user)} == {"oscar"}
