"""Settings fail loudly on bad values, and the production profile passes Django's deploy checks.

Each case starts a fresh Python process with a controlled environment: settings are read once
per process, so this is the only honest way to see what a bad variable does at start-up.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

# Each case starts Django in a subprocess with an environment of its own.
pytestmark = pytest.mark.pass_independent

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "kks_portal" / "settings.py"

SETUP = "import django; django.setup()"


def settings_variables() -> set[str]:
    """Every environment variable settings.py reads through the envconf helpers."""
    return set(re.findall(r"\benv_(?:str|bool|int|list|choice)\(\s*\"([A-Z0-9_]+)\"", SETTINGS_FILE.read_text()))


def production_env() -> dict[str, str]:
    """A complete production environment; nothing in it needs the services to be running."""
    return {
        "KKS_ENV": "production",
        "SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
        "ALLOWED_HOSTS": "kks.example.go.id",
        "CSRF_TRUSTED_ORIGINS": "https://kks.example.go.id",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "S3_BUCKET_NAME": "kks-berkas",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "S3_ACCESS_KEY_ID": "kks-app",
        "S3_SECRET_ACCESS_KEY": "not-a-real-secret-only-for-tests",
        "S3_REGION": "us-east-1",
        "EMAIL_URL": "smtp://kks:sandi@smtp.example.go.id:587/?tls=True",
        "DEFAULT_FROM_EMAIL": "KKS Portal <noreply@kks.example.go.id>",
    }


def run_python(
    args: list[str], env: dict[str, str], var_dir: Path, *, timeout: int = 120
) -> subprocess.CompletedProcess:
    """Run ``python *args`` in the project with only ``env`` as settings input.

    Variables the test run itself uses (DATABASE_URL, REDIS_URL, KKS_VAR_DIR ...) are removed
    first, so every case sees exactly what it states. ``timeout`` only guards against a hang.
    """
    # DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser tests' event loop runs: not for children.
    clean = {k: v for k, v in os.environ.items() if k not in settings_variables() and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean["DJANGO_SETTINGS_MODULE"] = "kks_portal.settings"
    clean["KKS_VAR_DIR"] = str(var_dir)
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=timeout, check=False
    )


def startup_error(result: subprocess.CompletedProcess) -> str:
    """The exception line that ended the process (the traceback above it quotes source code,
    which names every variable anyway, so only this line counts)."""
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def test_settings_knows_the_variables_it_reads():
    # Guards the helper above: a renamed helper would silently empty the clean-up list.
    assert {"KKS_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET_NAME"} <= settings_variables()


def test_development_starts_with_no_environment_at_all(tmp_path):
    code = SETUP + (
        "; from django.conf import settings as s; import json; print(json.dumps("
        "[s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.STORAGES['default']['BACKEND'], s.DEBUG]))"
    )
    result = run_python(["-c", code], {}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.files.storage.FileSystemStorage",
        True,
    ]


def test_login_lockout_variables_reach_django_axes(tmp_path):
    code = SETUP + (
        "; from django.conf import settings as s; import json; print(json.dumps("
        "[s.KKS_TRUSTED_PROXIES, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_FAILURE_LIMIT,"
        " s.KKS_LOGIN_ADDRESS_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AUTHENTICATION_BACKENDS[0]]))"
    )
    env = {
        "KKS_TRUSTED_PROXIES": "1",
        "KKS_LOGIN_FAILURE_LIMIT": "7",
        "KKS_LOGIN_ADDRESS_FAILURE_LIMIT": "40",
        "KKS_LOGIN_COOLDOWN_MINUTES": "30",
    }
    result = run_python(["-c", code], env, tmp_path)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == [1, 1, 7, 40, 1800.0, "axes.backends.AxesStandaloneBackend"]


def test_complete_production_environment_starts(tmp_path):
    result = run_python(["-c", SETUP], production_env(), tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param({"DEBUG": "maybe"}, "DEBUG", id="debug-not-boolean"),
        pytest.param({"KKS_ENV": "staging"}, "KKS_ENV", id="unknown-profile"),
        pytest.param({"DATABASE_URL": "mysql://kks:kks@127.0.0.1:3306/kks"}, "DATABASE_URL", id="mysql"),
        pytest.param({"DATABASE_URL": "not a url"}, "DATABASE_URL", id="database-url-garbage"),
        pytest.param({"REDIS_URL": "http://x"}, "REDIS_URL", id="redis-url-http"),
        pytest.param({"CELERY_TASK_SOFT_TIME_LIMIT": "abc"}, "CELERY_TASK_SOFT_TIME_LIMIT", id="time-limit-abc"),
        pytest.param({"CELERY_TASK_SOFT_TIME_LIMIT": "0"}, "CELERY_TASK_SOFT_TIME_LIMIT", id="time-limit-zero"),
        pytest.param({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL", id="log-level"),
        pytest.param({"EMAIL_URL": "surat://x"}, "EMAIL_URL", id="email-url-scheme"),
        pytest.param({"EVIDENCE_MAX_UPLOAD_MB": "besar"}, "EVIDENCE_MAX_UPLOAD_MB", id="upload-limit-word"),
        pytest.param({"EVIDENCE_MAX_UPLOAD_MB": "0"}, "EVIDENCE_MAX_UPLOAD_MB", id="upload-limit-zero"),
        pytest.param({"EVIDENCE_MAX_IMAGE_PIXELS": "10"}, "EVIDENCE_MAX_IMAGE_PIXELS", id="pixels-too-few"),
        pytest.param({"EVIDENCE_STALE_UPLOAD_MINUTES": "-5"}, "EVIDENCE_STALE_UPLOAD_MINUTES", id="stale-negative"),
        pytest.param({"DOWNLOAD_ACCEL": "apache"}, "DOWNLOAD_ACCEL", id="download-accel-unknown"),
        pytest.param({"EVIDENCE_MAX_UNPACKED_MB": "0"}, "EVIDENCE_MAX_UNPACKED_MB", id="unpacked-zero"),
        pytest.param({"DOSSIER_ATTACHMENTS_MAX_MB": "-1"}, "DOSSIER_ATTACHMENTS_MAX_MB", id="attachments-negative"),
        pytest.param({"DOSSIER_COMPILE_STALE_MINUTES": "x"}, "DOSSIER_COMPILE_STALE_MINUTES", id="stale-compile-x"),
        pytest.param({"DOSSIER_VERIFY_MAX_UPLOAD_MB": "0"}, "DOSSIER_VERIFY_MAX_UPLOAD_MB", id="verify-upload-zero"),
        pytest.param(
            {"DOSSIER_VERIFY_UPLOADS_PER_HOUR": "0"}, "DOSSIER_VERIFY_UPLOADS_PER_HOUR", id="verify-uploads-zero"
        ),
        pytest.param({"DOSSIER_PROVINCE_REMINDER_DAYS": "-1"}, "DOSSIER_PROVINCE_REMINDER_DAYS", id="reminder-days"),
        pytest.param(
            {"DOSSIER_CORRECTION_REMINDER_HOURS": "0"}, "DOSSIER_CORRECTION_REMINDER_HOURS", id="reminder-hours"
        ),
        pytest.param({"KKS_TRUSTED_PROXIES": "-1"}, "KKS_TRUSTED_PROXIES", id="trusted-proxies-negative"),
        pytest.param({"KKS_TRUSTED_PROXIES": "nginx"}, "KKS_TRUSTED_PROXIES", id="trusted-proxies-word"),
        pytest.param({"KKS_LOGIN_FAILURE_LIMIT": "0"}, "KKS_LOGIN_FAILURE_LIMIT", id="failure-limit-zero"),
        pytest.param({"KKS_LOGIN_FAILURE_LIMIT": "lima"}, "KKS_LOGIN_FAILURE_LIMIT", id="failure-limit-word"),
        pytest.param(
            {"KKS_LOGIN_FAILURE_LIMIT": "10", "KKS_LOGIN_ADDRESS_FAILURE_LIMIT": "5"},
            "KKS_LOGIN_ADDRESS_FAILURE_LIMIT",
            id="address-limit-below-account-limit",
        ),
        pytest.param({"KKS_LOGIN_COOLDOWN_MINUTES": "0"}, "KKS_LOGIN_COOLDOWN_MINUTES", id="cooldown-zero"),
        pytest.param({"KKS_LOGIN_COOLDOWN_MINUTES": "15m"}, "KKS_LOGIN_COOLDOWN_MINUTES", id="cooldown-unit"),
    ],
)
def test_bad_value_stops_development_start(tmp_path, env, variable):
    result = run_python(["-c", SETUP], env, tmp_path)

    assert result.returncode != 0
    error = startup_error(result)
    assert error.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert variable in error


def _without(name):
    env = production_env()
    del env[name]
    return env


def _with(**overrides):
    return production_env() | overrides


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param(_without("SECRET_KEY"), "SECRET_KEY", id="no-secret-key"),
        pytest.param(_with(SECRET_KEY="kort-en-geheim"), "SECRET_KEY", id="short-secret-key"),
        pytest.param(_with(SECRET_KEY="a" * 60), "SECRET_KEY", id="repetitive-secret-key"),
        pytest.param(_without("DATABASE_URL"), "DATABASE_URL", id="no-database-url"),
        pytest.param(_with(DATABASE_URL="sqlite:///tmp/kks.sqlite3"), "DATABASE_URL", id="sqlite-in-production"),
        pytest.param(_without("REDIS_URL"), "REDIS_URL", id="no-redis-url"),
        pytest.param(_without("ALLOWED_HOSTS"), "ALLOWED_HOSTS", id="no-allowed-hosts"),
        pytest.param(_with(DEBUG="true"), "DEBUG", id="debug-on"),
        pytest.param(_with(SECURE_HSTS_SECONDS="setahun"), "SECURE_HSTS_SECONDS", id="hsts-not-integer"),
    ],
)
def test_bad_or_missing_value_stops_production_start(tmp_path, env, variable):
    result = run_python(["-c", SETUP], env, tmp_path)

    assert result.returncode != 0
    error = startup_error(result)
    assert error.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert variable in error


def test_production_passes_the_deploy_checks_without_warnings(tmp_path):
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(), tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_uses_s3_storage_and_redis(tmp_path):
    code = textwrap.dedent(
        """
        import json

        import django

        django.setup()
        from django.conf import settings as s
        from django.core.files.storage import storages

        storage = storages["default"]  # built for real: the backend imports and accepts its options
        print(json.dumps({
            "storage": f"{type(storage).__module__}.{type(storage).__name__}",
            "bucket": storage.bucket_name,
            "endpoint": storage.endpoint_url,
            "static": s.STORAGES["staticfiles"]["BACKEND"],
            "cache": s.CACHES["default"]["BACKEND"],
            "cache_location": s.CACHES["default"]["LOCATION"],
            "broker": s.CELERY_BROKER_URL,
            "results": s.CELERY_RESULT_BACKEND,
            "database": s.DATABASES["default"]["ENGINE"],
            "debug": s.DEBUG,
            "ssl_redirect": s.SECURE_SSL_REDIRECT,
            "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
        }))
        """
    )
    result = run_python(["-c", code], production_env(), tmp_path)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "storage": "storages.backends.s3.S3Storage",
        "bucket": "kks-berkas",
        "endpoint": "http://127.0.0.1:9000",
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "cache_location": "redis://127.0.0.1:6379/14",
        "broker": "redis://127.0.0.1:6379/14",
        "results": "redis://127.0.0.1:6379/14",
        "database": "django.db.backends.postgresql",
        "debug": False,
        "ssl_redirect": True,
        "secure_cookies": [True, True],
    }
