"""The rules of accounts.services, as the web pages and the API both rely on them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token

from accounts.models import Opd, Role, RoleAssignment, User
from accounts.services import (
    opd_create,
    opd_update,
    role_assign,
    role_revoke,
    user_create,
    user_password_email_send,
    user_update,
)

pytestmark = pytest.mark.django_db


def test_bappeda_gives_roles_inside_the_kabupaten_at_every_level(rina, sari, wilayah, dinkes_serang):
    role_assign(user=sari, role=Role.SECRETARY, region=wilayah["serang"], actor=rina)
    role_assign(user=sari, role=Role.SECRETARY, region=wilayah["desa_pamanuk"], actor=rina)
    role_assign(user=sari, role=Role.OPD_OPERATOR, opd=dinkes_serang, actor=rina)
    role_assign(user=sari, role=Role.BAPPEDA_ADMIN, region=wilayah["serang"], actor=rina)
    assert sorted(sari.role_assignments.values_list("role", "region_id")) == [
        (Role.BAPPEDA_ADMIN, "36.04"),
        (Role.OPD_OPERATOR, "36.04"),
        (Role.SECRETARY, "36.04"),
        (Role.SECRETARY, "36.04.17"),
        (Role.SECRETARY, "36.04.17.2002"),
    ]


def test_role_assign_is_idempotent(rina, sari, wilayah):
    first = role_assign(user=sari, role=Role.SECRETARY, region=wilayah["carenang"], actor=rina)
    assert role_assign(user=sari, role=Role.SECRETARY, region=wilayah["carenang"], actor=rina) == first


def test_bappeda_cannot_grant_in_bogor(rina, sari, wilayah):
    with pytest.raises(PermissionDenied):
        role_assign(user=sari, role=Role.SECRETARY, region=wilayah["bogor"], actor=rina)
    assert sari.role_assignments.count() == 1


@pytest.mark.parametrize(("role", "region"), [(Role.PROVINCE_VERIFIER, "banten"), (Role.NATIONAL_VERIFIER, None)])
def test_bappeda_cannot_grant_verifier_roles(rina, sari, wilayah, role, region):
    with pytest.raises(PermissionDenied):
        role_assign(user=sari, role=role, region=wilayah[region] if region else None, actor=rina)


def test_superuser_grants_verifier_roles(root_user, sari, wilayah):
    role_assign(user=sari, role=Role.PROVINCE_VERIFIER, region=wilayah["banten"], actor=root_user)
    role_assign(user=sari, role=Role.NATIONAL_VERIFIER, actor=root_user)
    assert {Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER} <= set(sari.role_assignments.values_list("role", flat=True))


@pytest.mark.parametrize(
    ("role", "region", "field"),
    [
        (Role.BAPPEDA_ADMIN, "carenang", "region"),  # Bappeda sits at the kabupaten
        (Role.SECRETARY, None, "region"),
        (Role.OPD_OPERATOR, "serang", "opd"),  # an operator needs an OPD
        ("bupati", "serang", "role"),
    ],
)
def test_role_target_errors_name_their_field(rina, sari, wilayah, role, region, field):
    with pytest.raises(ValidationError) as caught:
        role_assign(user=sari, role=role, region=wilayah[region] if region else None, actor=rina)
    assert field in caught.value.message_dict


def test_user_create_with_a_role_by_bappeda(rina, wilayah):
    siti = user_create(
        username=" siti ",
        password="Kuat-sekali-2025",
        full_name="Siti",
        role=Role.SECRETARY,
        region=wilayah["carenang"],
        actor=rina,
    )
    assert siti.username == "siti"
    assert siti.check_password("Kuat-sekali-2025")
    assert siti.role_assignments.get().created_by == rina


def test_user_create_is_undone_when_the_role_is_refused(rina, wilayah):
    with pytest.raises(PermissionDenied):
        user_create(username="budi", password=None, role=Role.SECRETARY, region=wilayah["bogor"], actor=rina)
    assert not User.objects.filter(username="budi").exists()


def test_bappeda_must_give_a_new_user_a_role(rina):
    with pytest.raises(ValidationError) as caught:
        user_create(username="tanpaperan", password=None, actor=rina)
    assert "role" in caught.value.message_dict


def test_username_is_unique_whatever_the_case(sari):
    with pytest.raises(ValidationError) as caught:
        user_create(username="Sari", password=None)
    assert "username" in caught.value.message_dict


def test_last_role_in_the_kabupaten_is_kept_for_bappeda_but_not_for_the_superuser(rina, root_user, sari):
    only = sari.role_assignments.get()
    with pytest.raises(ValidationError):
        role_revoke(assignment=only, actor=rina)
    role_revoke(assignment=only, actor=root_user)
    assert not sari.role_assignments.exists()


def test_bappeda_cannot_revoke_a_role_outside_the_kabupaten(rina, sari, wilayah):
    bogor = RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["bogor"])
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=bogor, actor=rina)


def test_role_outside_the_kabupaten_does_not_count_as_a_remaining_role(rina, sari, wilayah):
    RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["bogor"])
    with pytest.raises(ValidationError):
        role_revoke(assignment=sari.role_assignments.get(region=wilayah["carenang"]), actor=rina)


def test_deactivation_drops_the_api_token(rina, sari):
    Token.objects.create(user=sari)
    user_update(user=sari, actor=rina, is_active=False)
    assert not Token.objects.filter(user=sari).exists()


def test_bappeda_cannot_change_a_person_who_also_serves_elsewhere(rina, sari, wilayah):
    RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["bogor"])
    with pytest.raises(PermissionDenied):
        user_update(user=sari, actor=rina, is_active=False)
    with pytest.raises(PermissionDenied):
        user_password_email_send(user=sari, domain="testserver", actor=rina)


def test_nobody_deactivates_themselves(rina, root_user):
    with pytest.raises(ValidationError):
        user_update(user=rina, actor=rina, is_active=False)
    with pytest.raises(ValidationError):
        user_update(user=root_user, actor=root_user, is_active=False)


def test_password_email_is_sent_after_commit(rina, sari, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        user_password_email_send(user=sari, domain="kks.example.go.id", use_https=True, actor=rina, invitation=True)
    assert mailoutbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    (message,) = mailoutbox
    assert message.to == ["sari@example.org"]
    assert "https://kks.example.go.id/akun/kata-sandi/reset/" in message.body
    assert "telah dibuat" in message.body
    assert "berlaku selama 3 hari" in message.body


def test_password_email_needs_an_active_user_with_an_address(rina, sari, tono):
    sari.email = ""
    with pytest.raises(ValidationError) as caught:
        user_password_email_send(user=sari, domain="testserver", actor=rina)
    assert "email" in caught.value.message_dict
    tono.is_active = False
    with pytest.raises(ValidationError) as caught:
        user_password_email_send(user=tono, domain="testserver", actor=rina)
    assert "is_active" in caught.value.message_dict


def test_opd_create_and_update_stay_inside_the_kabupaten(rina, wilayah, dinkes_serang):
    dlh = opd_create(kabupaten=wilayah["serang"], name=" Dinas Lingkungan Hidup ", short_name="DLH", actor=rina)
    assert dlh.name == "Dinas Lingkungan Hidup"
    with pytest.raises(ValidationError) as caught:
        opd_update(opd=dlh, name="Dinas Kesehatan", short_name="DINKES", actor=rina)
    assert "short_name" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        opd_create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes", actor=rina)
    bogor = Opd.objects.create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    with pytest.raises(PermissionDenied):
        opd_update(opd=bogor, name="Diubah", short_name="Dinkes", actor=rina)


def test_opd_must_belong_to_a_kabupaten(root_user, wilayah):
    with pytest.raises(ValidationError) as caught:
        opd_create(kabupaten=wilayah["carenang"], name="Dinas", short_name="D", actor=root_user)
    assert "kabupaten" in caught.value.message_dict
