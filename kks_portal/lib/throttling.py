"""DRF throttles that know clients by ``kks_portal.lib.client_ip`` (the project's one notion of
the client address). Every throttle of the project derives from one of these, whether it guards
an API view or is called by hand from a page (``throttle.allow_request(request, None)``)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings

from .client_ip import client_ip


class ClientIpMixin:
    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        # DRF copies DEFAULT_THROTTLE_RATES into the class at import; reading them here lets a
        # changed setting (a test's override) apply.
        scope = getattr(self, "scope", None)
        if not scope:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a scope or a rate.")
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate set for scope {scope!r}.") from None


class SimpleRateThrottle(ClientIpMixin, throttling.SimpleRateThrottle):
    """DRF's ``SimpleRateThrottle`` counting per client address (override ``get_cache_key`` to
    count per something else, e.g. an e-mail address)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ScopedRateThrottle(ClientIpMixin, throttling.ScopedRateThrottle):
    """DRF's ``ScopedRateThrottle`` (the view names ``throttle_scope``) per client address."""
