"""The OpenAPI schema is valid and tells the truth: nullable fields, numbers, every error.

What the API really answers is fuzzed against this schema in ``test_api_fuzz.py``; these tests pin
the facts the fuzzer found wrong once, one fact per assert.
"""

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

ERROR_REF = "#/components/schemas/ApiError"


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as served, made once: generating it takes seconds."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def field(schema, component, name):
    return schema["components"]["schemas"][component]["properties"][name]


def responses(schema, method, path):
    return schema["paths"][path][method]["responses"]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on the first violation of the OpenAPI 3 specification


def test_evidence_coordinates_and_time_taken_may_be_null(schema):
    assert field(schema, "EvidenceFile", "latitude")["nullable"] is True
    assert field(schema, "EvidenceFile", "longitude")["nullable"] is True
    assert field(schema, "EvidenceFile", "taken_at")["nullable"] is True


def test_a_secretariat_never_saved_has_no_updated_at(schema):
    assert field(schema, "Secretariat", "updated_at")["nullable"] is True


def test_a_dossier_version_without_pdf_has_no_download_url(schema):
    assert field(schema, "DossierVersion", "download_url")["nullable"] is True


def test_decimals_are_numbers(schema):
    assert field(schema, "EvidenceFile", "latitude")["type"] == "number"
    assert field(schema, "Tally", "percent")["type"] == "number"
    assert field(schema, "Tally", "percent")["nullable"] is True
    assert field(schema, "WorkPlanItem", "budget")["type"] == "number"
    assert field(schema, "Activity", "realised_budget")["type"] == "number"


def test_the_error_shape_is_a_component(schema):
    error = schema["components"]["schemas"]["ApiError"]
    assert error["required"] == ["error"]
    detail = schema["components"]["schemas"]["ApiErrorDetail"]
    assert set(detail["required"]) == {"status", "code", "message"}
    assert "fields" in detail["properties"]


def has_the_error_shape(schema, body_schema):
    """ApiError itself, or a component that adds to it (an upload's 400 also has per-file results)."""
    if body_schema == {"$ref": ERROR_REF}:
        return True
    name = body_schema.get("$ref", "").rpartition("/")[2]
    component = schema["components"]["schemas"].get(name, {})
    return (
        component.get("properties", {}).get("error") == {"$ref": "#/components/schemas/ApiErrorDetail"}
        and "error" in component["required"]
    )


def test_every_error_response_has_the_error_shape(schema):
    wrong = [
        f"{method} {path} {code}"
        for method, path, operation in operations(schema)
        for code, response in operation["responses"].items()
        if code >= "400"
        and not has_the_error_shape(schema, response.get("content", {}).get("application/json", {}).get("schema", {}))
    ]
    assert not wrong, wrong


def test_a_refused_upload_documents_its_results(schema):
    refused = responses(schema, "post", "/api/activities/{id}/files/")["400"]["content"]["application/json"]
    assert refused["schema"] == {"$ref": "#/components/schemas/UploadRefused"}
    assert "results" in schema["components"]["schemas"]["UploadRefused"]["properties"]


def test_every_path_parameter_is_in_its_path(schema):
    strays = [
        f"{method} {path} {p['name']}"
        for method, path, operation in operations(schema)
        for p in operation.get("parameters", [])
        if p["in"] == "path" and "{" + p["name"] + "}" not in path
    ]
    assert not strays, strays


def test_every_operation_with_a_path_parameter_documents_404(schema):
    missing = [
        f"{method} {path}"
        for method, path, operation in operations(schema)
        if any(p["in"] == "path" for p in operation.get("parameters", [])) and "404" not in operation["responses"]
    ]
    assert not missing, missing


def test_signed_in_operations_document_401_and_the_token_door_does_not(schema):
    assert "401" in responses(schema, "get", "/api/me/")
    assert "401" not in responses(schema, "post", "/api/auth/token/")


def test_writes_document_400_403_and_415(schema):
    create = responses(schema, "post", "/api/activities/")
    assert "400" in create
    assert "403" in create
    assert "415" in create


def test_reads_do_not_document_refusals_they_cannot_give(schema):
    read = responses(schema, "get", "/api/activities/{id}/")
    assert "403" not in read
    assert "415" not in read


def test_explicit_documentation_is_kept(schema):
    compile_ = responses(schema, "post", "/api/dossiers/{id}/compile/")
    assert "409" in compile_
    assert compile_["409"]["description"].startswith("Another compile")
    assert "429" in responses(schema, "post", "/api/auth/token/")
