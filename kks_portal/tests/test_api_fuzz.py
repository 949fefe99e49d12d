"""The API keeps the promises of its own OpenAPI schema, fuzzed by schemathesis.

Every operation of ``/api/schema/`` gets requests generated from its schema (valid and invalid
parameters and bodies), sent in-process to the WSGI application as each persona: anonymous, a
Bappeda admin (rina), an OPD operator (oscar), a kecamatan secretary (sari), a provincial
verifier (vina) and the superuser (root). Each answer must not be a 5xx, and its status code,
content type and body must be the ones the schema documents for that operation.

The world is the one of ``test_authorization`` built in Kabupaten Serang (the personas' scope)
and Kabupaten Bogor (out of everyone's scope but root's): assessments with entries, data
requests and titik pantau, forums with members, decrees and a secretariat, activities with an
evidence file, a work plan, a pembinaan visit, an innovation, a finished and a failed dossier
version. The ids, years, version numbers and region codes the fuzzer draws are folded onto real
ones (an ``{id}`` onto the rows of the path's resource, ``?body=`` onto bodies, ``{code}`` onto the
world's regions …) and one that names nothing, so that most requests name real objects, in scope and
out of it, also on PostgreSQL whose sequences go on counting across tests. Deletes come last, so
that they do not take the objects away from the other operations.

Generation is derandomized (the same cases on every run) and small per operation, so the test
stays within a few minutes on SQLite; run it alone with ``pytest -m fuzz``. It drives schemathesis
through its Python API (``APIOperation.as_strategy`` under Hypothesis, ``Case.call_and_validate``):
the lazy pytest integration (``schemathesis.pytest.from_fixture``) sets ``Function._nodeid``,
which pytest 9.2 no longer has, and the eager one makes a test per operation, each building its
own world.
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

from accounts.models import Opd, User
from dossiers.models import Dossier, DossierVersion
from dossiers.tests.authz_rules import version_at
from evidence.models import Activity, EvidenceFile
from evidence.tests.authz_rules_api import file_at, requirement_at
from forums.models import Body, Member, PembinaanVisit, WorkPlan, WorkPlanItem
from forums.tests.authz_rules import decree_at, member_at, secretariat_at
from forums.tests.authz_rules_workplans import item_at, visit_at
from indicators.models import Assessment, DataRequest, IndicatorEntry, Innovation, TitikPantau
from indicators.tests.authz_rules_innovations import innovation_at
from kks_portal.tests.test_authorization import (
    World,
    data_request_at,
    kelembagaan_at,
    local_entry_at,
    odf_at,
    titik_pantau_at,
)
from tatanan.models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, Tatanan

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

PERSONAS = ("anonymous", "rina", "oscar", "sari", "vina", "root")
NOTHING = 10**9  # an id no row has
# Parameters other than a path's {id} that name rows, by name (path and query alike).
PARAMETER_ROWS = {
    "activity": Activity,
    "assessment": Assessment,
    "assigned_opd": Opd,
    "body": Body,
    "indicator_pk": Indicator,
    "opd": Opd,
    "pembinaan_visit": PembinaanVisit,
    "requirement": EvidenceRequirement,
    "requirement_pk": EvidenceRequirement,
    "titik_pantau": TitikPantau,
}
# Parameters that name a region by its code.
REGION_CODES = {"code", "kecamatan", "region", "parent", "kabupaten"}
# The model an ``{id}`` names, by the first segment of the path after /api/.
RESOURCES = {
    "activities": Activity,
    "assessments": Assessment,
    "bodies": Body,
    "data-requests": DataRequest,
    "dossiers": Assessment,
    "entries": IndicatorEntry,
    "evidence-files": EvidenceFile,
    "indicators": Indicator,
    "innovations": Innovation,
    "kelembagaan-items": KelembagaanItem,
    "members": Member,
    "opds": Opd,
    "pembinaan": PembinaanVisit,
    "tatanan": Tatanan,
    "titik-pantau": TitikPantau,
    "users": User,
    "work-plan-items": WorkPlanItem,
    "work-plans": WorkPlan,
}
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
    """Uploads, SK scans and dossier PDFs land in a throw-away folder; the token endpoint's fuzzed
    passwords hash fast."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def world(wilayah, rina, oscar, sari, tono, dewi, vina, wawan, nadia, root_user):
    """The rows to fuzz, with ``values``: what each parameter folds onto, and ``codes``: regions."""
    users = {"rina": rina, "oscar": oscar, "sari": sari, "tono": tono, "dewi": dewi}
    users |= {"vina": vina, "wawan": wawan, "nadia": nadia, "root": root_user}
    built = World(wilayah=wilayah, users=users)
    for place in ("serang", "bogor"):
        for build in BUILDERS:
            build(built, place)
        # A compile that failed: no PDF, no download link, an error.
        dossier = Dossier.objects.get(assessment=built.assessment(place))
        DossierVersion.objects.create(dossier=dossier, number=1, state=DossierVersion.State.FAILED, error="Gagal.")
    built.values = {segment: [*_pks(model), NOTHING] for segment, model in RESOURCES.items()}
    built.values |= {name: [*_pks(model), NOTHING] for name, model in PARAMETER_ROWS.items()}
    cycle = built.cycle
    built.values |= {
        "number": [*DossierVersion.objects.order_by("number").values_list("number", flat=True), NOTHING],
        "award_year": [*Cycle.objects.order_by("award_year").values_list("award_year", flat=True), 1999],
        "year": [*range(cycle.first_data_year, cycle.last_data_year + 1), 1999],
        "page": [1, NOTHING],
    }
    built.values |= dict.fromkeys(("dari", "ke"), built.values["number"])
    built.values |= dict.fromkeys(("data_year",), built.values["year"])
    built.values["cycle"] = built.values["award_year"]
    # Any other id: any row of the world.
    built.values[None] = sorted({pk for segment in RESOURCES for pk in built.values[segment]})
    built.codes = [region.code for region in (*wilayah.values(), built.wilayah["kecamatan_bogor"])]
    return built


@pytest.fixture(params=PERSONAS)
def persona(request, world):
    if request.param == "anonymous":
        return {}
    user = world.users[request.param]
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def _pks(model):
    return model.objects.order_by("pk").values_list("pk", flat=True)


def _fold(value, choices):
    """A number, or digits, folded onto one of ``choices``; anything else as it is."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return choices[value % len(choices)]
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return str(choices[int(value) % len(choices)])
    return value


def _fold_code(value, codes):
    """A string folded onto one of the world's region codes, or kept as it is (naming nothing)."""
    if not isinstance(value, str):
        return value
    index = len(value) % (len(codes) + 1)
    return codes[index] if index < len(codes) else value


def _fold_case(case, world):
    resource = case.operation.path.split("/")[2]
    for parameters in (case.path_parameters, case.query):
        for name, value in (parameters or {}).items():
            if name in REGION_CODES:
                parameters[name] = _fold_code(value, world.codes)
            elif name == "id" and parameters is case.path_parameters:
                parameters[name] = _fold(value, world.values[resource])
            elif name in world.values or name in ("id", "pk") or name.endswith("_pk"):
                parameters[name] = _fold(value, world.values.get(name, world.values[None]))


def _fuzz(operation, mode, headers, world, statuses):
    """Send MAX_EXAMPLES generated requests of ``mode`` to ``operation``, adding the status codes
    of the answers to ``statuses``; raise on the first failure."""

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        # Generating a schema's bodies can be slow on a busy machine; a timing check would flake.
        suppress_health_check=[hypothesis.HealthCheck.too_slow],
    )
    @hypothesis.given(case=operation.as_strategy(mode))
    def run(case):
        _fold_case(case, world)
        statuses.add(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

    run()


def test_api_answers_as_its_schema_says(loaded_schema, world, persona, request):
    failures = []
    succeeded = set()  # operations that answered 2xx at least once
    operations = [result.ok() for result in loaded_schema.get_all_operations()]
    for operation in sorted(operations, key=lambda operation: operation.method.upper() == "DELETE"):
        for mode in MODES:
            statuses = set()
            try:
                _fuzz(operation, mode, persona, world, statuses)
            except hypothesis.errors.Unsatisfiable:
                # Nothing in the operation can be made invalid (no parameters, no body).
                assert mode == GenerationMode.NEGATIVE, operation.label
            # Checks fail with an exception group; every operation is fuzzed, failures reported at the end.
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}")
            if any(200 <= status < 300 for status in statuses):
                succeeded.add(operation.label)
    assert not failures, f"{len(failures)} operation(s) break the schema:\n\n" + "\n\n".join(failures)
    if request.node.callspec.params["persona"] == "root":
        # The superuser reaches every object: most operations must have worked on real ones at least
        # once (about two thirds do), or the folding onto the world's ids has stopped working.
        assert len(succeeded) > len(operations) / 2, sorted({o.label for o in operations} - succeeded)
