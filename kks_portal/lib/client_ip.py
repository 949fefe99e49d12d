"""The one notion of the client's address: login lockouts, throttles and their logs all ask here.

``KKS_TRUSTED_PROXIES`` is the number of proxies in front of the portal, each of which adds the
address it received the request from to ``X-Forwarded-For`` (the outermost one, nginx in
deploy/nginx.conf.example, *sets* the header to its peer instead of passing on what the client
sent). So, counted from the right, the header holds one address per trusted proxy and the Nth
one is the address the outermost proxy saw: the client. Anything further left came from the
client itself and is ignored, or a new header per try would be a new client per try.

* 0 proxies (gunicorn reached directly, and the tests): ``REMOTE_ADDR``; the header is ignored.
* N proxies: the Nth address from the right of ``X-Forwarded-For``; ``REMOTE_ADDR`` when the
  header is missing, has fewer than N entries or that entry is not an IP address (a proxy that
  does not behave as configured; a made-up value must not become an identity).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (a Django or DRF request), as text;
    empty when even ``REMOTE_ADDR`` is missing."""
    remote_addr = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.KKS_TRUSTED_PROXIES
    if proxies <= 0:
        return remote_addr
    hops = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if len(hops) < proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(hops[-proxies].strip()))
    except ValueError:
        return remote_addr
