"""Login lockout: what a locked-out person is told, when they may try again, and how an admin
unlocks them earlier.

django-axes (settings: ``AXES_*``, ``KKS_LOGIN_FAILURE_LIMIT``, ``KKS_LOGIN_ADDRESS_FAILURE_LIMIT``,
``KKS_LOGIN_COOLDOWN_MINUTES``) counts every failed ``authenticate()`` in its ``AccessAttempt``
table, one row per username, address and browser, and refuses a login once the failures of the
last cooldown reach a limit. Two limits, each on its own: per username (one account tried from
many addresses), and a larger one per address (one address trying many accounts; a whole office
behind one NAT shares an address, so its typos must not lock everyone at five). axes compares one
limit with the largest count of the parameters it is given, so ``lockout_parameters`` gives it the
address only once the address has reached its own limit (which is never below the account's).
Web login, admin login and ``POST /api/auth/token/`` all go through it; the client address is
``kks_portal.lib.client_ip``. Tries while locked are not counted
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``): a guesser who keeps trying does not
keep the real owner out beyond the cooldown.

When a login is refused, axes' middleware calls ``lockout_response`` (``AXES_LOCKOUT_CALLABLE``):
the login page again with the lockout message (429), or for the API the one error shape with
``Retry-After``.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessBase
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.sites.shortcuts import get_current_site
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kks_portal.lib.api_errors import error_body
from kks_portal.lib.client_ip import client_ip

from .forms import LoginForm

log = logging.getLogger(__name__)


def _cooldown() -> timedelta:
    return get_cool_off() or timedelta(minutes=settings.KKS_LOGIN_COOLDOWN_MINUTES)


def _lock_end(attempts, *, now: datetime, limit: int, cooldown: timedelta) -> datetime | None:
    """When the failures among ``attempts`` (one lockout key's rows) stop reaching ``limit``.

    A row keeps the time of its latest failure and drops out one cooldown after it: the lock
    lasts until the row that brings the newest failures up to the limit drops out."""
    total = 0
    rows = attempts.filter(attempt_time__gte=now - cooldown).order_by("-attempt_time")
    for attempt_time, failures in rows.values_list("attempt_time", "failures_since_start"):
        total += failures
        if total >= limit:
            return attempt_time + cooldown
    return None


def _address_of(request_or_attempt) -> str | None:
    if isinstance(request_or_attempt, AccessBase):
        return request_or_attempt.ip_address
    return getattr(request_or_attempt, "axes_ip_address", None) or client_ip(request_or_attempt) or None


def _address_lock_end(ip_address: str, *, now: datetime) -> datetime | None:
    return _lock_end(
        AccessAttempt.objects.filter(ip_address=ip_address),
        now=now,
        limit=settings.KKS_LOGIN_ADDRESS_FAILURE_LIMIT,
        cooldown=_cooldown(),
    )


def lockout_parameters(request_or_attempt, credentials=None) -> list[str]:
    """``AXES_LOCKOUT_PARAMETERS``: the username always; the address as well while it has reached
    ``KKS_LOGIN_ADDRESS_FAILURE_LIMIT`` failures within the cooldown."""
    address = _address_of(request_or_attempt)
    now = timezone.now()
    if address and (_address_lock_end(address, now=now) or now) > now:
        return ["username", "ip_address"]
    return ["username"]


def lockout_until(*, username: str | None = None, ip_address: str | None = None):
    """The time the lock on this username and/or address ends, or ``None`` when not locked."""
    now = timezone.now()
    ends = []
    if username:
        ends.append(user_locked_until(username=username))
    if ip_address:
        ends.append(_address_lock_end(ip_address, now=now))
    return max((end for end in ends if end is not None and end > now), default=None)


def user_locked_until(*, username: str) -> datetime | None:
    """When the lock on ``username`` ends (its failures from every address), or ``None``."""
    now = timezone.now()
    cooldown = _cooldown()
    end = _lock_end(
        AccessAttempt.objects.filter(username=username),
        now=now,
        limit=settings.AXES_FAILURE_LIMIT,
        cooldown=cooldown,
    )
    return end if end is not None and end > now else None


def lockout_reset(*, username: str) -> int:
    """Forget the failed logins of ``username`` (from every address); returns the rows removed.
    Addresses locked by other usernames' failures stay locked. Checks nobody's rights: that is
    ``accounts.services.user_unlock``'s job."""
    count = AxesProxyHandler.reset_attempts(username=username)
    log.warning("Login lock lifted: username=%s (%d attempt rows removed)", username, count)
    return count


def lockout_message(until: datetime) -> str:
    local = timezone.localtime(until)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _(
        "Terlalu banyak percobaan masuk yang gagal, jadi akun ini atau alamat Anda dikunci sementara. "
        "Coba lagi pukul %(time)s (sekitar %(minutes)s menit lagi). Admin Bappeda atau admin pusat dapat "
        "membuka kunci lebih awal."
    ) % {"time": f"{local:%H:%M} {local.tzname()}", "minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The answer to a refused login: the API's error shape with ``Retry-After`` under /api/,
    otherwise the login page again, with the message above the form."""
    username = get_client_username(request, credentials) or ""
    until = lockout_until(username=username or None, ip_address=_address_of(request)) or (timezone.now() + _cooldown())
    retry_after = max(1, math.ceil((until - timezone.now()).total_seconds()))
    message = lockout_message(until)
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body(status_code=429, code="locked_out", message=message), status=429)
    else:
        redirect_to = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
        site = get_current_site(request)
        context = {
            "form": LoginForm(request, initial={"username": username}),
            "lockout_message": message,
            REDIRECT_FIELD_NAME: redirect_to,
            "site": site,
            "site_name": site.name,
        }
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    """One line per refused login, with the address as ``client_ip`` reads it."""
    log.warning(
        "Login refused, locked out: username=%s address=%s path=%s",
        username,
        ip_address,
        getattr(request, "path", ""),
    )
