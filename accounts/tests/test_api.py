"""The accounts API: tokens, /api/me/, and the scoped user and OPD lists."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from accounts.models import Opd, Role, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The throttle counts in the cache, which outlives a test (files or Redis).
    cache.clear()
    yield
    cache.clear()


def error_of(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def ask_token(client, username, password):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, content_type="application/json"
    )


def usernames(response):
    assert response.status_code == 200
    return {user["username"] for user in response.json()["results"]}


# --- Tokens ------------------------------------------------------------------------------------------


def test_token_for_the_right_password_opens_the_api(client, rina, password):
    response = ask_token(client, "rina", password)
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == rina
    assert ask_token(client, "rina", password).json()["token"] == token  # the same token again
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "rina"


def test_wrong_password_gives_no_token_in_the_error_shape(client, rina):
    error = error_of(ask_token(client, "rina", "salah"), 400, "invalid_credentials")
    assert "kata sandi salah" in error["message"]
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(client, rina, password):
    rina.is_active = False
    rina.save()
    error_of(ask_token(client, "rina", password), 400, "invalid_credentials")


def test_token_endpoint_is_throttled(client, rina, password, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    for _attempt in range(3):
        ask_token(client, "rina", "tebak")
    error_of(ask_token(client, "rina", password), 429, "throttled")


def test_deactivated_users_token_stops_working(client, client_for, rina, sari, password):
    token = ask_token(client, "sari", password).json()["token"]
    client_for(rina).post(f"/kelola/pengguna/{sari.pk}/nonaktifkan/")
    client.logout()
    error_of(client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}"), 401, "authentication_failed")


# --- /api/me/ --------------------------------------------------------------------------------------------


def test_me_lists_roles_and_scope_prefixes(client_for, oscar, dinkes_serang):
    me = client_for(oscar).get("/api/me/").json()
    assert me["username"] == "oscar"
    assert me["can_manage_users"] is False
    assert me["scope"] == {"everything": False, "prefixes": ["36.04"]}
    (role,) = me["roles"]
    assert role["role"] == Role.OPD_OPERATOR
    assert role["role_label"] == "Operator OPD"
    assert role["region"]["code"] == "36.04"
    assert role["opd"]["short_name"] == "Dinkes"


def test_me_of_a_secretary_with_two_bodies(client_for, sari, wilayah):
    RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["desa_binuang"])
    me = client_for(sari).get("/api/me/").json()
    assert me["scope"]["prefixes"] == ["36.04.17", "36.04.18.2001"]
    assert [r["region"]["code"] for r in me["roles"]] == ["36.04.17", "36.04.18.2001"]


def test_me_of_the_national_verifier_reads_everything(client_for, nadia):
    me = client_for(nadia).get("/api/me/").json()
    assert me["scope"] == {"everything": True, "prefixes": []}
    assert me["roles"][0]["region"] is None


# --- /api/users/ ---------------------------------------------------------------------------------------------


def test_bappeda_lists_the_users_of_the_kabupaten(client_for, rina, oscar, sari, tono, wawan, vina, root_user):
    assert usernames(client_for(rina).get("/api/users/")) == {"rina", "oscar", "sari", "tono"}


def test_users_carry_only_roles_inside_the_callers_scope(client_for, rina, sari, wilayah):
    RoleAssignment.objects.create(user=sari, role=Role.SECRETARY, region=wilayah["bogor"])
    user = client_for(rina).get(f"/api/users/{sari.pk}/").json()
    assert [r["region"]["code"] for r in user["roles"]] == ["36.04.17"]


def test_user_outside_the_scope_is_404(client_for, rina, wawan):
    error_of(client_for(rina).get(f"/api/users/{wawan.pk}/"), 404, "not_found")


def test_non_admin_gets_an_empty_user_list(client_for, sari, tono):
    client = client_for(sari)
    response = client.get("/api/users/")
    assert response.json()["count"] == 0
    error_of(client.get(f"/api/users/{tono.pk}/"), 404, "not_found")


def test_superuser_lists_everyone(client_for, root_user, rina, wawan, nadia):
    assert usernames(client_for(root_user).get("/api/users/")) == {"root", "rina", "wawan", "nadia"}


def test_user_list_filters(client_for, rina, oscar, sari, tono):
    client = client_for(rina)
    assert usernames(client.get("/api/users/", {"role": Role.OPD_OPERATOR})) == {"oscar"}
    assert usernames(client.get("/api/users/", {"search": "binuang"})) == {"tono"}
    tono.is_active = False
    tono.save()
    assert usernames(client.get("/api/users/", {"is_active": "false"})) == {"tono"}
    error = error_of(client.get("/api/users/", {"role": "bupati"}), 400, "invalid")
    assert "role" in error["fields"]


def test_user_list_is_read_only(client_for, rina, sari):
    error_of(client_for(rina).delete(f"/api/users/{sari.pk}/"), 405, "method_not_allowed")


def test_user_list_with_a_token(client, rina, sari, password):
    token = ask_token(client, "rina", password).json()["token"]
    response = client.get("/api/users/", HTTP_AUTHORIZATION=f"Token {token}")
    assert usernames(response) == {"rina", "sari"}


# --- /api/opds/ ----------------------------------------------------------------------------------------------


def test_opds_are_scoped(client_for, oscar, wawan, nadia, dinkes_serang, wilayah):
    bogor = Opd.objects.create(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    assert [o["id"] for o in client_for(oscar).get("/api/opds/").json()["results"]] == [dinkes_serang.pk]
    error_of(client_for(oscar).get(f"/api/opds/{bogor.pk}/"), 404, "not_found")
    (opd,) = client_for(wawan).get("/api/opds/").json()["results"]
    assert opd == {
        "id": bogor.pk,
        "short_name": "Dinkes",
        "name": "Dinas Kesehatan",
        "kabupaten": "32.01",
        "kabupaten_name": "Kabupaten Bogor",
    }
    everything = client_for(nadia).get("/api/opds/", {"kabupaten": "36.04"}).json()["results"]
    assert [o["id"] for o in everything] == [dinkes_serang.pk]


def test_schema_lists_the_accounts_endpoints(client_for, sari):
    paths = client_for(sari).get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/users/", "/api/users/{id}/", "/api/opds/", "/api/opds/{id}/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/users/"]["get"]["parameters"]}
    assert {"search", "role", "is_active", "page"} <= parameters
