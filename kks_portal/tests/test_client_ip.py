"""The one notion of the client address (kks_portal/lib/client_ip.py) and the throttles using it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import get_resolver
from rest_framework.throttling import BaseThrottle

from kks_portal.lib.client_ip import client_ip
from kks_portal.lib.throttling import ClientIpMixin, SimpleRateThrottle

PEER = "10.0.0.2"  # the proxy (or, without one, the client) gunicorn sees


def request_with(forwarded_for=None, remote_addr=PEER):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # No proxy: the header is the client's own word and ignored.
        pytest.param(0, None, PEER, id="0-no-header"),
        pytest.param(0, "203.0.113.5", PEER, id="0-header-ignored"),
        # One proxy (nginx setting the header to its peer): the rightmost entry.
        pytest.param(1, "203.0.113.5", "203.0.113.5", id="1-one-entry"),
        pytest.param(1, "6.6.6.6, 203.0.113.5", "203.0.113.5", id="1-client-prefix-ignored"),
        pytest.param(1, "2001:db8::1", "2001:db8::1", id="1-ipv6"),
        # Two proxies: the second from the right; anything left of it came from the client.
        pytest.param(2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5", id="2-three-entries"),
        pytest.param(2, "203.0.113.5,10.0.0.1", "203.0.113.5", id="2-no-spaces"),
        # Shorter than the proxies configured, or not an address: the peer.
        pytest.param(1, None, PEER, id="1-no-header"),
        pytest.param(1, "", PEER, id="1-empty-header"),
        pytest.param(2, "203.0.113.5", PEER, id="2-one-entry-only"),
        pytest.param(1, "bukan-alamat", PEER, id="1-not-an-address"),
        pytest.param(1, "203.0.113.5, ", PEER, id="1-empty-last-entry"),
        pytest.param(1, "203.0.113.5:4711", PEER, id="1-with-port"),
        pytest.param(2, "unknown, 10.0.0.1", PEER, id="2-unknown"),
    ],
)
def test_client_ip(settings, proxies, forwarded_for, expected):
    settings.KKS_TRUSTED_PROXIES = proxies
    assert client_ip(request_with(forwarded_for)) == expected


def test_client_ip_without_remote_addr(settings):
    settings.KKS_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) == ""


class PerMinute(SimpleRateThrottle):
    scope = "uji"
    rate = "2/min"


def test_project_throttles_count_per_client_ip(settings):
    settings.KKS_TRUSTED_PROXIES = 1
    throttle = PerMinute()
    assert throttle.allow_request(request_with("6.6.6.1, 203.0.113.5"), None)
    assert throttle.allow_request(request_with("6.6.6.2, 203.0.113.5"), None)
    # A new made-up prefix is the same client: refused.
    assert not throttle.allow_request(request_with("6.6.6.3, 203.0.113.5"), None)
    assert throttle.allow_request(request_with("203.0.113.6"), None)


@pytest.mark.django_db
def test_the_token_throttle_knows_clients_by_the_same_address(client, settings):
    """``POST /api/auth/token/``'s throttle: a new X-Forwarded-For per try is no new client
    without trusted proxies; with one, distinct clients are told apart."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}

    def ask(address):
        return client.post(
            "/api/auth/token/",
            {"username": "", "password": ""},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=address,
        )

    settings.KKS_TRUSTED_PROXIES = 0
    statuses = [ask(f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]

    settings.KKS_TRUSTED_PROXIES = 1
    statuses = [ask("6.6.6.6, 198.51.100.7").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert ask("198.51.100.8").status_code == 400


def test_every_throttle_of_the_project_knows_clients_by_client_ip():
    get_resolver().url_patterns  # noqa: B018 - imports every view module, and so every throttle

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    project = {"kks_portal", "regions", "accounts", "tatanan", "indicators", "forums", "evidence", "dossiers"}
    throttles = {cls for cls in subclasses(BaseThrottle) if cls.__module__.split(".")[0] in project}
    assert {"TokenRateThrottle", "PasswordResetAddressThrottle"} <= {cls.__name__ for cls in throttles}
    assert [cls for cls in throttles if not issubclass(cls, ClientIpMixin)] == []
