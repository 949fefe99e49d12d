"""The production stack: docker-compose.yml, deploy/env.example, the Dockerfile and the web health check.

No Docker engine runs where the tests run, so the stack is checked in the ways open here:
the compose file is parsed and its environment, resolved from deploy/env.example, is fed to the
real settings and Django's deploy checks; `docker compose config` validates it when the tool is
installed (Debian's docker-compose package); the Dockerfile's collectstatic step runs as written;
and gunicorn with deploy/gunicorn.conf.py answers the container's health check when PostgreSQL
and Redis are at hand.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
import yaml
from django.core.management.utils import get_random_secret_key

from kks_portal.tests.test_settings import run_python, settings_variables

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
DOCKERFILE = ROOT / "Dockerfile"

DJANGO_SERVICES = ["migrate", "web", "worker", "beat"]
# What the production settings need to run the portal as designed: the required variables
# (settings refuse to start without them) and those that switch on S3, mail and CSRF origins.
PRODUCTION_VARIABLES = {
    "KKS_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "S3_BUCKET_NAME",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
}
# The values env.example must leave empty: whoever deploys chooses them.
SECRETS = {"SECRET_KEY", "POSTGRES_PASSWORD", "S3_SECRET_ACCESS_KEY", "EMAIL_URL"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def filled_env_example() -> dict[str, str]:
    """deploy/env.example with its empty secrets filled in, as an operator would."""
    values = read_env_file(ENV_EXAMPLE)
    values.update(
        SECRET_KEY=get_random_secret_key() + get_random_secret_key(),
        POSTGRES_PASSWORD="Sandi4Postgres",
        S3_SECRET_ACCESS_KEY="sandi-minio-123",
        EMAIL_URL="smtp://kks:sandi@smtp.example.go.id:587/?tls=True",
    )
    return values


_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable substitution, for the forms docker-compose.yml uses."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = env.get(name, "")
        if op == ":?" and not current:
            raise KeyError(f"{name}: {arg}")
        if op == ":-" and not current:
            return arg
        return current

    return _INTERPOLATION.sub(replace, value)


def service_environment(compose, service: str, env: dict[str, str]) -> dict[str, str]:
    environment = compose["services"][service].get("environment", {})
    return {name: interpolate(str(value), env) for name, value in environment.items()}


# --- The compose file itself --------------------------------------------------------------------


@pytest.mark.pass_independent
def test_has_the_services_of_the_production_stack(compose):
    assert set(compose["services"]) >= {"web", "worker", "beat", "db", "redis", "s3", "createbucket", "migrate"}
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["s3"]["image"].startswith("minio/minio:")
    assert services["createbucket"]["image"].startswith("minio/mc:")
    assert "gunicorn" in services["web"]["command"]
    assert "kks_portal.wsgi" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "kks_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "kks_portal", "beat"]
    assert "migrate --noinput" in " ".join(services["migrate"]["command"])


@pytest.mark.pass_independent
def test_infrastructure_services_have_healthchecks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["s3"]["healthcheck"]["test"]
    assert services["worker"]["healthcheck"]["test"]


@pytest.mark.pass_independent
def test_web_healthcheck_runs_the_health_probe(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test == ["CMD", "python", "deploy/healthcheck.py"]
    assert (ROOT / "deploy" / "healthcheck.py").is_file()


@pytest.mark.pass_independent
@pytest.mark.parametrize("service", ["web", "worker", "beat", "migrate"])
def test_django_services_wait_for_healthy_services_and_migrations(compose, service):
    depends_on = compose["services"][service]["depends_on"]
    assert depends_on["redis"] == {"condition": "service_healthy"}
    if service in ("web", "worker", "migrate"):
        assert depends_on["db"] == {"condition": "service_healthy"}
    if service in ("web", "worker"):
        assert depends_on["s3"] == {"condition": "service_healthy"}
        assert depends_on["createbucket"] == {"condition": "service_completed_successfully"}
    if service != "migrate":
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}


@pytest.mark.pass_independent
def test_bucket_is_created_once_s3_is_healthy(compose):
    assert compose["services"]["createbucket"]["depends_on"] == {"s3": {"condition": "service_healthy"}}


@pytest.mark.pass_independent
@pytest.mark.parametrize("service", DJANGO_SERVICES)
def test_django_services_get_every_production_variable(compose, service):
    environment = compose["services"][service]["environment"]
    assert set(environment) >= PRODUCTION_VARIABLES
    assert environment["KKS_ENV"] == "production"
    assert "DEBUG" not in environment


@pytest.mark.pass_independent
def test_web_is_published_on_loopback_only(compose):
    # Plain HTTP from gunicorn must reach nobody but the TLS proxy on the same host.
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]
    for service in ("db", "redis", "s3"):
        assert "ports" not in compose["services"][service]


@pytest.mark.pass_independent
def test_every_variable_compose_reads_is_documented_in_env_example():
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE))
    text = "\n".join(line for line in COMPOSE_FILE.read_text().splitlines() if not line.lstrip().startswith("#"))
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    assert used - documented == set()


@pytest.mark.pass_independent
def test_env_example_carries_no_secrets():
    values = read_env_file(ENV_EXAMPLE)
    for name in SECRETS:
        assert values.get(name) == "", f"{name} must be left empty in env.example"


@pytest.mark.pass_independent
def test_required_secrets_are_enforced_by_compose(compose):
    env = filled_env_example()
    del env["SECRET_KEY"]
    with pytest.raises(KeyError, match="SECRET_KEY"):
        service_environment(compose, "web", env)


# --- The resolved environment against the real settings ------------------------------------------


@pytest.mark.pass_independent
def test_resolved_web_environment_passes_the_deploy_checks(compose, tmp_path):
    environment = service_environment(compose, "web", filled_env_example())

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environment, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.pass_independent
def test_resolved_environment_points_at_the_compose_services(compose, tmp_path):
    environment = service_environment(compose, "worker", filled_env_example())
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL, "
        "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['endpoint_url'])"
    )

    result = run_python(["-c", code], environment, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["db", "redis://redis:6379/0", "storages.backends.s3.S3Storage", "http://s3:9000"]


# --- docker compose config, when the tool is installed ----------------------------------------------


def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def run_compose_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    command = compose_command()
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [*command, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE_FILE), "config"],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


needs_compose = pytest.mark.skipif(
    compose_command() is None, reason="neither `docker compose` nor `docker-compose` is installed"
)


@pytest.mark.pass_independent
@needs_compose
def test_docker_compose_accepts_the_file():
    secrets = {name: value for name, value in filled_env_example().items() if name in SECRETS}

    result = run_compose_config(secrets)

    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert resolved["services"]["web"]["environment"]["KKS_ENV"] == "production"
    assert resolved["services"]["web"]["environment"]["DATABASE_URL"] == "postgres://kks:Sandi4Postgres@db:5432/kks"


@pytest.mark.pass_independent
@needs_compose
def test_docker_compose_refuses_to_start_without_the_secrets():
    result = run_compose_config({})

    assert result.returncode != 0
    assert "in .env" in result.stderr


# --- The Dockerfile ----------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


@pytest.mark.pass_independent
def test_dockerfile_runs_as_a_non_root_user_on_python_311_slim():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users
    assert users[-1] not in ("root", "0")
    assert any(keyword == "RUN" and "requirements.txt" in rest for keyword, rest in instructions)


@pytest.mark.pass_independent
def test_dockerfile_collectstatic_step_builds_the_manifest(tmp_path):
    """Run the image's collectstatic step with its own build-time environment."""
    (step,) = [rest for keyword, rest in dockerfile_instructions() if keyword == "RUN" and "collectstatic" in rest]
    words = shlex.split(step.split("&&")[0])
    assignments = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    command = [word for word in words if not re.match(r"^[A-Z_]+=", word)]
    assert command == ["python", "manage.py", "collectstatic", "--noinput"]
    assert assignments["KKS_ENV"] == "production"
    static_root = tmp_path / "static"
    env = assignments | {"KKS_VAR_DIR": str(tmp_path / "var"), "STATIC_ROOT": str(static_root)}

    # Compressing every static file takes about a minute on 2 busy cores: a generous hang guard.
    result = run_python(command[1:], env, tmp_path / "var", timeout=600)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (static_root / "staticfiles.json").is_file()


# --- gunicorn and the health check (needs PostgreSQL and Redis) -------------------------------------


def _service_urls():
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url.startswith("redis://"):
        return None
    # The server database always exists; the health check only runs SELECT 1.
    return urlunparse(urlparse(database_url)._replace(path="/postgres")), redis_url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_web(tmp_path):
    urls = _service_urls()
    if urls is None:
        pytest.skip("runs in the PostgreSQL + Redis pass (DATABASE_URL and REDIS_URL set)")
    database_url, redis_url = urls
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in settings_variables()}
    env.update(
        KKS_ENV="production",
        SECRET_KEY=get_random_secret_key() + get_random_secret_key(),
        ALLOWED_HOSTS="kks.example.go.id",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        KKS_VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "kks_portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield {"port": port, "env": env, "process": process, "log": log}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _healthcheck(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "deploy/healthcheck.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )


def _status_of(url: str, headers: dict[str, str]) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(urllib.request.Request(url, headers=headers), timeout=5):
            return 200
    except urllib.error.HTTPError as exc:
        return exc.code


def test_health_check_passes_against_gunicorn_in_production(gunicorn_web):
    deadline = time.monotonic() + 60
    result = _healthcheck(gunicorn_web["env"])
    while result.returncode != 0 and time.monotonic() < deadline:
        if gunicorn_web["process"].poll() is not None:
            gunicorn_web["log"].seek(0)
            pytest.fail(f"gunicorn exited:\n{gunicorn_web['log'].read()}")
        time.sleep(0.5)
        result = _healthcheck(gunicorn_web["env"])
    gunicorn_web["log"].seek(0)
    assert result.returncode == 0, result.stderr + gunicorn_web["log"].read()

    # Why the probe sends the proxy's headers: without them production answers no 200.
    url = f"http://127.0.0.1:{gunicorn_web['port']}/health/"
    assert _status_of(url, {"Host": "kks.example.go.id"}) == 301  # SECURE_SSL_REDIRECT
    assert _status_of(url, {"X-Forwarded-Proto": "https"}) == 400  # 127.0.0.1 is not in ALLOWED_HOSTS
    assert _status_of(url, {"Host": "kks.example.go.id", "X-Forwarded-Proto": "https"}) == 200


@pytest.mark.pass_independent
def test_health_check_fails_when_nothing_listens(tmp_path):
    result = _healthcheck({"PATH": os.environ.get("PATH", ""), "PORT": str(_free_port())})

    assert result.returncode == 1
    assert "unreachable" in result.stderr
