"""Project-wide pages: the per-role dashboard, About, health and error pages."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from kks_portal import dashboard as dashboard_cards


@login_required
def dashboard(request):
    cards = dashboard_cards.cards_for(request.user)
    return render(request, "dashboard.html", {"cards": cards})


def about(request):
    return render(request, "about.html")


@never_cache
def health(request):
    """For load balancers and docker-compose: can we reach the database and the cache?"""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # report, never raise: this endpoint must answer
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("health-check", "ok", 5)
        checks["cache"] = "ok" if cache.get("health-check") == "ok" else "error"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database.
    return HttpResponseServerError(loader.get_template("500.html").render())
