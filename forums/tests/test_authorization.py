"""The forum routes played through the project's authorization engine (``kks_portal.tests.authz``)
for every persona, with the World of ``kks_portal/tests/test_authorization.py``. The rules are
in ``authz_rules`` so that the project's registry can take them in.
"""

from __future__ import annotations

import pytest

from forums.tests.authz_rules import FORUM_ROUTES
from kks_portal.tests.authz import check, url_routes
from kks_portal.tests.test_authorization import _fast_password_hashing, env  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.urls("forums.tests.urls")]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def forum_routes():
    return [route for route in url_routes() if route.namespace == "forums"]


def test_every_forum_route_has_a_rule():
    assert {route.key for route in forum_routes()} == set(FORUM_ROUTES)


@pytest.mark.parametrize("key", sorted(FORUM_ROUTES))
def test_forum_route_follows_its_rule(env, key):  # noqa: F811 - env is the imported fixture
    route = next(route for route in forum_routes() if route.key == key)
    failures = check(env, route, FORUM_ROUTES[key])
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(map(str, failures))
