"""The API keeps the promises of its own OpenAPI schema, fuzzed by schemathesis.

Every operation of ``/api/schema/`` gets requests generated from its schema (valid and invalid
parameters and bodies), sent in-process to the WSGI application as each persona: anonymous, a
Bappeda admin (rina), an OPD operator (oscar), a kecamatan secretary (sari), a provincial
verifier (vina) and the superuser (root). Each answer must not be a 5xx, and its status code,
content type and body must be the ones the schema documents for that operation.

The world is the one of ``test_authorization`` built in Kabupaten Serang (the personas' scope)
and Kabupaten Bogor (out of everyone's scope but root's): assessments with entries, data
requests and titik pantau, forums with members, decrees and a secretariat, activities with an
evidence file, a work plan, a pembinaan visit, an innovation, a dossier version. Ids the fuzzer
draws below 1000 are folded onto 1..ID_RANGE so that most requests name real objects, in scope
and out of it; larger ids stay as they are and name nothing.

Generation is derandomized (the same cases on every run) and small per operation, so the test
stays within a few minutes on SQLite; run it alone with ``pytest -m fuzz``.
"""

from __future__ import annotations

from contextlib import contextmanager

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dossiers.tests.authz_rules import version_at
from evidence.tests.authz_rules_api import file_at, requirement_at
from forums.tests.authz_rules import decree_at, member_at, secretariat_at
from forums.tests.authz_rules_workplans import item_at, visit_at
from indicators.tests.authz_rules_innovations import innovation_at
from kks_portal.tests.test_authorization import (
    World,
    data_request_at,
    kelembagaan_at,
    local_entry_at,
    odf_at,
    titik_pantau_at,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

PERSONAS = ("anonymous", "rina", "oscar", "sari", "vina", "root")
# Ids up to this reach the rows the world makes (a few dozen of each kind at most).
ID_RANGE = 40
FOLDED_BELOW = 1000
MAX_EXAMPLES = 6
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The builders of the world, each called for both kabupaten.
BUILDERS = (
    data_request_at,
    kelembagaan_at,
    local_entry_at,
    odf_at,
    titik_pantau_at,
    requirement_at,
    member_at,
    decree_at,
    secretariat_at,
    file_at,
    item_at,
    visit_at,
    innovation_at,
    version_at,
)

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            # The persona's token is the only credential sent.
            "with-security-parameters": False,
        },
        # The stateful phase chains operations through links the schema does not declare.
        "phases": {"stateful": {"enabled": False}},
    }
)


@contextmanager
def _connection_kept_open():
    """The WSGI handler closes the database connection around each request (it finds it inside a
    transaction); Django's test client keeps it open the same way, so that the test's transaction
    survives the request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def loaded_schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), _connection_kept_open():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    with _connection_kept_open():
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads, SK scans and dossier PDFs land in a throw-away folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(wilayah, rina, oscar, sari, tono, dewi, vina, wawan, nadia, root_user):
    users = {"rina": rina, "oscar": oscar, "sari": sari, "tono": tono, "dewi": dewi}
    users |= {"vina": vina, "wawan": wawan, "nadia": nadia, "root": root_user}
    built = World(wilayah=wilayah, users=users)
    for place in ("serang", "bogor"):
        for build in BUILDERS:
            build(built, place)
    return built


@pytest.fixture(params=PERSONAS)
def persona(request, world):
    if request.param == "anonymous":
        return {}
    user = world.users[request.param]
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def _fold(value):
    """An id below FOLDED_BELOW, as a number or as digits, folded onto 1..ID_RANGE."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < FOLDED_BELOW:
        return value % ID_RANGE + 1
    if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) < FOLDED_BELOW:
        return str(int(value) % ID_RANGE + 1)
    return value


def _fuzz(operation, mode, headers):
    """Send MAX_EXAMPLES generated requests of ``mode`` to ``operation``; raise on the first failure."""

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(mode))
    def run(case):
        for parameters in (case.path_parameters, case.query):
            for name, value in (parameters or {}).items():
                parameters[name] = _fold(value)
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_api_answers_as_its_schema_says(loaded_schema, persona):
    failures = []
    for result in loaded_schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:
            try:
                _fuzz(operation, mode, persona)
            except hypothesis.errors.Unsatisfiable:
                # Nothing in the operation can be made invalid (no parameters, no body).
                assert mode == GenerationMode.NEGATIVE, operation.label
            # Checks fail with an exception group; every operation is fuzzed, failures reported at the end.
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    assert not failures, f"{len(failures)} operation(s) break the schema:\n\n" + "\n\n".join(failures)
