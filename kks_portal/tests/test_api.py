"""Cross-cutting API behaviour: the schema, the docs, authentication and the one error shape."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def assert_error(response, status, code=None):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_openapi_schema_and_swagger_ui_are_served_from_our_own_files(client, sari):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/auth/token/" in paths
    assert "/api/me/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html
    assert "unpkg.com" not in html


def test_unauthenticated_request_gets_401_in_the_error_shape(client):
    assert_error(client.get("/api/me/"), 401, "not_authenticated")


def test_unknown_api_url_answers_json_404(client, sari):
    client.force_login(sari)
    error = assert_error(client.get("/api/tidak-ada/"), 404, "not_found")
    assert error["message"]


def test_wrong_method_is_405_in_the_error_shape(client, sari):
    client.force_login(sari)
    assert_error(client.delete("/api/me/"), 405, "method_not_allowed")


def test_token_request_without_fields_lists_each_missing_field(client):
    error = assert_error(client.post("/api/auth/token/", {}, content_type="application/json"), 400, "invalid")
    assert set(error["fields"]) == {"username", "password"}


def test_token_then_me_with_the_token(client, sari, password):
    response = client.post("/api/auth/token/", {"username": "sari", "password": password})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == sari
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "sari"
    assert me.json()["scope"] == {"everything": False, "prefixes": ["36.04.17"]}


def test_bad_token_is_401(client):
    assert_error(client.get("/api/me/", HTTP_AUTHORIZATION="Token 0000"), 401, "authentication_failed")


def test_service_validation_errors_keep_the_shape():
    """Django ValidationError raised by a service comes out as a 400 with fields."""
    from django.core.exceptions import ValidationError

    from kks_portal.lib.api_errors import exception_handler

    response = exception_handler(ValidationError({"region": ["Pilih wilayah."]}), {})
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"region": ["Pilih wilayah."]}


def test_a_form_body_too_large_for_django_answers_400_in_the_error_shape(client, rina, settings):
    # Django refuses it before any view runs, with its own handler400: the API's answers JSON.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(rina)
    response = client.post("/api/activities/", {"title": "x" * 2000})
    assert response["Content-Type"] == "application/json"
    assert_error(response, 400, "bad_request")


def test_a_form_body_too_large_for_a_page_still_answers_djangos_page(client, rina, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(rina)
    response = client.post("/penilaian/", {"title": "x" * 2000})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
