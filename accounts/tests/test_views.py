"""The sign-in pages and the user/OPD management pages, driven as the personas use them."""

import re

import pytest
from django.urls import reverse

from accounts.models import Opd, Role, RoleAssignment, User
from accounts.services import role_assign
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG_LOGIN = "Nama pengguna atau kata sandi tidak benar."  # accounts.forms.LoginForm


def login_post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def text(response):
    return response.content.decode()


# --- Sign-in ------------------------------------------------------------------------------------


def test_login_page_is_indonesian_with_a_forgotten_password_link(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = text(response)
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert "Lupa kata sandi?" in page
    assert reverse("password_reset") in page


def test_login_then_logout(client, sari, password):
    response = login_post(client, "sari", password)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert "Forum Kecamatan Sehat Carenang" in text(client.get(reverse("dashboard")))

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("dashboard")).status_code == 302


def test_login_keeps_the_page_asked_for(client, rina, password):
    target = reverse("accounts:user_list")
    page = client.get(reverse("login") + f"?next={target}")
    assert f'value="{target}"' in text(page)
    response = client.post(reverse("login"), {"username": "rina", "password": password, "next": target})
    assert response.url == target


def test_wrong_password_shows_an_indonesian_message_that_says_nama_pengguna_once(client, sari):
    response = login_post(client, "sari", "bukan-kata-sandinya")
    assert response.status_code == 200
    assert WRONG_LOGIN in text(response)
    # Django's own Indonesian message read "Masukkan nama pengguna nama pengguna dan sandi …".
    assert "nama pengguna nama pengguna" not in text(response).lower()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, sari, password):
    sari.is_active = False
    sari.save()
    response = login_post(client, "sari", password)
    assert response.status_code == 200
    assert WRONG_LOGIN in text(response)
    assert "_auth_user_id" not in client.session


def test_password_change(client_for, sari, password):
    client = client_for(sari)
    form = client.get(reverse("password_change"))
    assert "Ganti kata sandi" in text(form)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Sandi-baru-2025!", "new_password2": "Sandi-baru-2025!"},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert "sudah diganti" in text(client.get(response.url))
    sari.refresh_from_db()
    assert sari.check_password("Sandi-baru-2025!")


def test_password_change_with_wrong_old_password_is_refused(client_for, sari, password):
    client = client_for(sari)
    response = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": "Sandi-baru-2025!", "new_password2": "Sandi-baru-2025!"},
    )
    assert response.status_code == 200
    sari.refresh_from_db()
    assert sari.check_password(password)


def reset_link(message):
    return re.search(r"http://testserver(/akun/kata-sandi/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)


def test_password_reset_by_email_in_indonesian(client, sari, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "sari@example.org"})
    assert response.status_code == 302
    assert "Periksa email Anda" in text(client.get(response.url))
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sari@example.org"]
    assert "kata sandi" in message.subject.lower()
    assert "Nama pengguna Anda: sari" in message.body
    assert "berlaku selama 3 hari" in message.body

    confirm = client.get(reset_link(message), follow=True)
    assert "Buat kata sandi baru" in text(confirm)
    form_url = confirm.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Baru-sekali-2025", "new_password2": "Baru-sekali-2025"})
    assert response.url == reverse("password_reset_complete")
    assert login_post(client, "sari", "Baru-sekali-2025").status_code == 302


def test_reset_link_used_twice_says_it_is_no_longer_valid(client, sari, mailoutbox):
    client.post(reverse("password_reset"), {"email": "sari@example.org"})
    link = reset_link(mailoutbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Baru-sekali-2025", "new_password2": "Baru-sekali-2025"})
    again = client.get(link, follow=True)
    assert "Tautan tidak berlaku" in text(again)


def test_invited_user_without_a_password_can_ask_for_a_new_link(client, wilayah, mailoutbox):
    invited = UserFactory(username="baru", email="baru@example.org")
    invited.set_unusable_password()
    invited.save()
    client.post(reverse("password_reset"), {"email": "baru@example.org"})
    assert [m.to for m in mailoutbox] == [["baru@example.org"]]


def test_password_reset_for_an_inactive_user_sends_nothing(client, sari, mailoutbox):
    sari.is_active = False
    sari.save()
    client.post(reverse("password_reset"), {"email": "sari@example.org"})
    assert mailoutbox == []


# --- Who reaches the management pages ----------------------------------------------------------


MANAGEMENT_PAGES = ["accounts:user_list", "accounts:user_create", "accounts:opd_list", "accounts:opd_create"]


@pytest.mark.parametrize("name", MANAGEMENT_PAGES)
def test_secretary_gets_404_on_user_management(client_for, sari, name):
    assert client_for(sari).get(reverse(name)).status_code == 404


def test_secretary_gets_404_on_a_users_page_and_its_actions(client_for, sari, tono):
    client = client_for(sari)
    assert client.get(reverse("accounts:user_detail", args=[tono.pk])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[tono.pk])).status_code == 404
    tono.refresh_from_db()
    assert tono.is_active


def test_anonymous_visitor_is_sent_to_login(client, rina):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_bappeda_gets_404_for_a_user_outside_the_kabupaten(client_for, rina, wawan):
    client = client_for(rina)
    for name in ("accounts:user_detail", "accounts:user_edit", "accounts:role_add"):
        assert client.get(reverse(name, args=[wawan.pk])).status_code == 404
    for name in ("accounts:user_deactivate", "accounts:user_password_email"):
        assert client.post(reverse(name, args=[wawan.pk])).status_code == 404
    wawan.refresh_from_db()
    assert wawan.is_active


def test_bappeda_gets_404_for_a_role_outside_the_kabupaten(client_for, rina, sari, wilayah):
    # Sari also serves a desa in Bogor: Rina sees Sari, but not that role.
    bogor_desa = RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["bogor"])
    client = client_for(rina)
    url = reverse("accounts:role_remove", args=[sari.pk, bogor_desa.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=bogor_desa.pk).exists()
    detail = text(client.get(reverse("accounts:user_detail", args=[sari.pk])))
    assert "Kabupaten Bogor" not in detail
    assert "1 peran di luar wilayah Anda" in detail


def test_superuser_sees_all_users(client_for, root_user, rina, sari, wawan, vina, nadia):
    page = text(client_for(root_user).get(reverse("accounts:user_list")))
    for username in ("root", "rina", "sari", "wawan", "vina", "nadia"):
        assert f'data-username="{username}"' in page


def test_bappeda_user_list_shows_only_the_kabupaten(client_for, rina, oscar, sari, tono, wawan, vina):
    page = text(client_for(rina).get(reverse("accounts:user_list")))
    listed = set(re.findall(r'data-username="([^"]+)"', page))
    assert listed == {"rina", "oscar", "sari", "tono"}


def test_user_list_search_and_role_filter(client_for, rina, oscar, sari, tono):
    client = client_for(rina)
    found = text(client.get(reverse("accounts:user_list"), {"q": "binuang"}))
    assert set(re.findall(r'data-username="([^"]+)"', found)) == {"tono"}
    operators = text(client.get(reverse("accounts:user_list"), {"role": Role.OPD_OPERATOR}))
    assert set(re.findall(r'data-username="([^"]+)"', operators)) == {"oscar"}
    nobody = text(client.get(reverse("accounts:user_list"), {"q": "tidak-ada-orang-ini"}))
    assert "Tidak ada pengguna yang cocok." in nobody


def test_user_list_is_paginated(client_for, rina, wilayah):
    for n in range(30):
        user = UserFactory(username=f"pokja{n:02d}")
        RoleAssignment.objects.create(user=user, role=Role.SECRETARY, region=wilayah["desa_pamanuk"])
    client = client_for(rina)
    first = text(client.get(reverse("accounts:user_list")))
    assert len(re.findall(r'data-username="', first)) == 25
    assert "Halaman 1 dari 2" in first
    second = text(client.get(reverse("accounts:user_list"), {"page": 2}))
    assert len(re.findall(r'data-username="', second)) == 6  # 30 + rina


# --- Creating users and giving roles --------------------------------------------------------------


def create_user(client, **fields):
    data = {
        "username": "",
        "full_name": "",
        "email": "",
        "phone": "",
        "role": "",
        "region_code": "",
        "opd": "",
        "password_mode": "email",
        "password1": "",
        "password2": "",
    }
    data.update(fields)
    return client.post(reverse("accounts:user_create"), data)


def test_bappeda_creates_a_secretary_for_carenang_who_gets_an_email(
    client_for, rina, wilayah, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(rina)
    form = text(client.get(reverse("accounts:user_create")))
    assert "36.04.17 – Kecamatan Carenang" in form  # the region suggestions of Rina's kabupaten
    assert "Verifikator" not in form

    with django_capture_on_commit_callbacks(execute=True):
        response = create_user(
            client,
            username="siti",
            full_name="Siti Forum Carenang",
            email="siti@example.org",
            phone="0812 3456 7890",
            role=Role.SECRETARY,
            region_code="36.04.17",
        )
    siti = User.objects.get(username="siti")
    assert response.url == reverse("accounts:user_detail", args=[siti.pk])
    assert not siti.has_usable_password()
    assert [(a.role, a.region_id, a.created_by) for a in siti.role_assignments.all()] == [
        (Role.SECRETARY, "36.04.17", rina)
    ]
    assert len(mailoutbox) == 1
    assert "telah dibuat" in mailoutbox[0].body
    assert "Nama pengguna Anda: siti" in mailoutbox[0].body
    assert "dikirim ke siti@example.org" in text(client.get(response.url))


def test_bappeda_creates_an_opd_operator_with_a_password(client_for, rina, dinkes_serang, password):
    client = client_for(rina)
    response = create_user(
        client,
        username="olga",
        full_name="Olga Dinkes",
        role=Role.OPD_OPERATOR,
        opd=dinkes_serang.pk,
        password_mode="set",
        password1="Kuat-sekali-2025",
        password2="Kuat-sekali-2025",
    )
    assert response.status_code == 302
    olga = User.objects.get(username="olga")
    assignment = olga.role_assignments.get()
    assert (assignment.role, assignment.region_id, assignment.opd) == (Role.OPD_OPERATOR, "36.04", dinkes_serang)
    client.logout()
    assert login_post(client, "olga", "Kuat-sekali-2025").status_code == 302


def test_bappeda_cannot_grant_a_role_in_bogor(client_for, rina, wilayah):
    response = create_user(
        client_for(rina),
        username="budi",
        full_name="Budi Bogor",
        email="budi@example.org",
        role=Role.SECRETARY,
        region_code="32.01",
    )
    assert response.status_code == 200
    assert "tidak berwenang memberikan peran ini di wilayah tersebut" in text(response)
    assert not User.objects.filter(username="budi").exists()


def test_bappeda_cannot_grant_a_verifier_role(client_for, rina, sari, wilayah):
    response = client_for(rina).post(
        reverse("accounts:role_add", args=[sari.pk]), {"role": Role.PROVINCE_VERIFIER, "region_code": "36"}
    )
    assert response.status_code == 200
    assert "hanya diberikan oleh admin pusat" in text(response)
    assert list(sari.role_assignments.values_list("role", flat=True)) == [Role.SECRETARY]


def test_role_at_the_wrong_level_or_unknown_region_is_a_clear_form_error(client_for, rina, sari, wilayah):
    client = client_for(rina)
    url = reverse("accounts:role_add", args=[sari.pk])
    wrong_level = client.post(url, {"role": Role.BAPPEDA_ADMIN, "region_code": "36.04.17"})
    assert "Peran ini harus berada di tingkat: Kabupaten/Kota." in text(wrong_level)
    unknown = client.post(url, {"role": Role.SECRETARY, "region_code": "36.04.99"})
    assert "Wilayah “36.04.99” tidak ditemukan" in text(unknown)
    ambiguous = client.post(url, {"role": Role.SECRETARY, "region_code": "Carenang"})
    assert "Ada beberapa wilayah bernama" in text(ambiguous)
    assert sari.role_assignments.count() == 1


def test_bappeda_gives_a_pokja_role_by_region_name(client_for, rina, sari, wilayah):
    response = client_for(rina).post(
        reverse("accounts:role_add", args=[sari.pk]), {"role": Role.SECRETARY, "region_code": "Pamanuk"}
    )
    assert response.status_code == 302
    assert set(sari.role_assignments.values_list("region_id", flat=True)) == {"36.04.17", "36.04.17.2002"}


def test_bappeda_cannot_pick_an_opd_of_another_kabupaten(client_for, rina, sari, wilayah):
    bogor_dinkes = Opd.objects.create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    response = client_for(rina).post(
        reverse("accounts:role_add", args=[sari.pk]), {"role": Role.OPD_OPERATOR, "opd": bogor_dinkes.pk}
    )
    assert "OPD ini tidak ada di wilayah Anda." in text(response)


def test_duplicate_username_is_a_form_error(client_for, rina, sari):
    response = create_user(
        client_for(rina),
        username="SARI",
        full_name="Sari Lain",
        email="lain@example.org",
        role=Role.SECRETARY,
        region_code="36.04.18",
    )
    assert response.status_code == 200
    assert "Nama pengguna ini sudah dipakai." in text(response)


def test_email_is_required_when_the_user_sets_their_own_password(client_for, rina, wilayah):
    response = create_user(
        client_for(rina), username="tanpa", full_name="Tanpa Email", role=Role.SECRETARY, region_code="36.04.18"
    )
    assert "Isi email" in text(response)
    assert not User.objects.filter(username="tanpa").exists()


def test_superuser_grants_a_verifier_role(client_for, root_user, wawan, wilayah):
    response = client_for(root_user).post(
        reverse("accounts:role_add", args=[wawan.pk]), {"role": Role.PROVINCE_VERIFIER, "region_code": "36"}
    )
    assert response.status_code == 302
    assert set(wawan.role_assignments.values_list("region_id", flat=True)) == {"32", "36"}


# --- Changing users and roles ----------------------------------------------------------------------


def test_bappeda_edits_a_users_contact_details(client_for, rina, sari):
    response = client_for(rina).post(
        reverse("accounts:user_edit", args=[sari.pk]),
        {"full_name": "Sari Wulandari", "email": "sari.w@example.org", "phone": "0813"},
    )
    assert response.status_code == 302
    sari.refresh_from_db()
    assert (sari.full_name, sari.email, sari.phone) == ("Sari Wulandari", "sari.w@example.org", "0813")


def test_bappeda_cannot_change_someone_who_also_serves_elsewhere(client_for, rina, sari, wilayah):
    RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["bogor"])
    client = client_for(rina)
    response = client.post(
        reverse("accounts:user_edit", args=[sari.pk]), {"full_name": "Diubah", "email": "", "phone": ""}
    )
    assert response.status_code == 200
    assert "di luar wilayah Anda" in text(response)
    response = client.post(reverse("accounts:user_deactivate", args=[sari.pk]), follow=True)
    assert "di luar wilayah Anda" in text(response)
    sari.refresh_from_db()
    assert sari.is_active
    assert sari.full_name == "Sari Carenang"


def test_deactivated_user_cannot_log_in_until_activated_again(client, client_for, rina, sari, password):
    admin = client_for(rina)
    response = admin.post(reverse("accounts:user_deactivate", args=[sari.pk]), follow=True)
    assert "dinonaktifkan" in text(response)
    sari.refresh_from_db()
    assert not sari.is_active
    admin.post(reverse("accounts:user_activate", args=[sari.pk]))
    sari.refresh_from_db()
    assert sari.is_active
    admin.logout()
    assert login_post(client, "sari", password).status_code == 302


def test_deactivation_needs_post(client_for, rina, sari):
    assert client_for(rina).get(reverse("accounts:user_deactivate", args=[sari.pk])).status_code == 405


def test_bappeda_cannot_deactivate_herself(client_for, rina):
    response = client_for(rina).post(reverse("accounts:user_deactivate", args=[rina.pk]), follow=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in text(response)
    rina.refresh_from_db()
    assert rina.is_active


def test_bappeda_sends_a_password_email(client_for, rina, sari, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(rina).post(reverse("accounts:user_password_email", args=[sari.pk]), follow=True)
    assert "dikirim ke sari@example.org" in text(response)
    assert [m.to for m in mailoutbox] == [["sari@example.org"]]


def test_password_email_to_a_user_without_email_is_a_message_not_an_error(client_for, rina, sari, mailoutbox):
    sari.email = ""
    sari.save()
    response = client_for(rina).post(reverse("accounts:user_password_email", args=[sari.pk]), follow=True)
    assert response.status_code == 200
    assert "belum memiliki alamat email" in text(response)
    assert mailoutbox == []


def test_role_removal_asks_then_removes(client_for, rina, sari, wilayah):
    extra = role_assign(user=sari, role=Role.SECRETARY, region=wilayah["desa_carenang"], actor=rina)
    client = client_for(rina)
    url = reverse("accounts:role_remove", args=[sari.pk, extra.pk])
    assert "Cabut peran" in text(client.get(url))
    response = client.post(url)
    assert response.url == reverse("accounts:user_detail", args=[sari.pk])
    assert list(sari.role_assignments.values_list("region_id", flat=True)) == ["36.04.17"]


def test_last_role_in_the_kabupaten_is_not_removed(client_for, rina, sari):
    only = sari.role_assignments.get()
    response = client_for(rina).post(reverse("accounts:role_remove", args=[sari.pk, only.pk]), follow=True)
    assert "peran terakhir" in text(response)
    assert sari.role_assignments.filter(pk=only.pk).exists()


# --- OPDs -----------------------------------------------------------------------------------------------


def test_bappeda_adds_and_renames_an_opd(client_for, rina, wilayah):
    client = client_for(rina)
    response = client.post(
        reverse("accounts:opd_create"),
        {"kabupaten": "36.04", "short_name": "DLH", "name": "Dinas Lingkungan Hidup"},
    )
    assert response.url == reverse("accounts:opd_list")
    dlh = Opd.objects.get(kabupaten_id="36.04", short_name="DLH")
    assert "Dinas Lingkungan Hidup" in text(client.get(reverse("accounts:opd_list")))

    response = client.post(
        reverse("accounts:opd_edit", args=[dlh.pk]),
        {"short_name": "DLH", "name": "Dinas Lingkungan Hidup dan Kebersihan"},
    )
    assert response.status_code == 302
    dlh.refresh_from_db()
    assert dlh.name == "Dinas Lingkungan Hidup dan Kebersihan"


def test_duplicate_opd_short_name_is_a_form_error(client_for, rina, dinkes_serang):
    response = client_for(rina).post(
        reverse("accounts:opd_create"), {"kabupaten": "36.04", "short_name": "dinkes", "name": "Dinas Kesehatan Lagi"}
    )
    assert response.status_code == 200
    assert "Singkatan OPD ini sudah ada" in text(response)


def test_bappeda_cannot_add_or_edit_an_opd_in_bogor(client_for, rina, wilayah):
    bogor_dinkes = Opd.objects.create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    client = client_for(rina)
    assert client.get(reverse("accounts:opd_edit", args=[bogor_dinkes.pk])).status_code == 404
    response = client.post(reverse("accounts:opd_create"), {"kabupaten": "32.01", "short_name": "DLH", "name": "DLH"})
    assert "Kabupaten/kota ini tidak ada di wilayah Anda." in text(response)
    assert not Opd.objects.filter(short_name="DLH").exists()
    assert "Kabupaten Bogor" not in text(client.get(reverse("accounts:opd_list")))
