"""manage.py seed_demo: the table people read to log in to a demo."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import User
from demo.services import DEFAULT_PASSWORD, DEMO_USERS, LOGIN_URL


def sign_in(username, password):
    """``authenticate()`` as the login page calls it: django-axes, the first backend, needs the request."""
    return authenticate(RequestFactory().post("/akun/masuk/"), username=username, password=password)


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _table_line(output, username):
    lines = [line for line in output.splitlines() if line.split()[:1] == [username]]
    assert len(lines) == 1, f"{username} should have exactly one line in:\n{output}"
    return lines[0]


def test_prints_username_password_role_and_wilayah_of_every_user(wilayah):
    output = seed_demo()

    for spec in DEMO_USERS:
        line = _table_line(output, spec.username)
        assert line.split()[1] == DEFAULT_PASSWORD
    assert "Forum Kecamatan Sehat Carenang" in _table_line(output, "fks.carenang")
    assert "Carenang (36.04.17)" in _table_line(output, "fks.carenang")
    assert "Banten (36)" in _table_line(output, "verifikator.banten")
    assert "Nasional" in _table_line(output, "verifikator.pusat")
    assert LOGIN_URL in output


def test_password_option_sets_and_prints_it(wilayah):
    seed_demo()

    output = seed_demo("--password", "Sandi-Demo-2025")

    assert _table_line(output, "dinkes.serang").split()[1] == "Sandi-Demo-2025"
    assert sign_in("dinkes.serang", "Sandi-Demo-2025") is not None
    assert sign_in("dinkes.serang", DEFAULT_PASSWORD) is None


def test_second_run_reports_nothing_new(wilayah):
    seed_demo()
    users = User.objects.count()

    output = seed_demo()

    assert User.objects.count() == users
    assert f"0 pengguna baru, {len(DEMO_USERS)} sudah ada" in output


def test_refuses_under_production_settings(wilayah, settings):
    settings.PRODUCTION = True
    settings.KKS_ENV = "production"

    with pytest.raises(CommandError, match="KKS_ENV=production"):
        seed_demo()
    assert not User.objects.exists()

    assert "admin" in seed_demo("--force")
