"""The kelembagaan routes played through the project's authorization checker, every persona."""

import pytest

from forums.tests.authz_rules_kelembagaan import KELEMBAGAAN_ROUTES
from kks_portal.tests.authz import check, url_routes
from kks_portal.tests.test_authorization import env  # noqa: F401 (fixture)


@pytest.mark.parametrize("key", sorted(KELEMBAGAAN_ROUTES))
def test_kelembagaan_route_follows_its_rule(env, key):  # noqa: F811
    route = next(route for route in url_routes() if route.key == key)
    failures = check(env, route, KELEMBAGAAN_ROUTES[key])
    assert not failures, "\n".join(map(str, failures))
