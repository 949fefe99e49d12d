"""Malformed input never answers 5xx: every route with a parameter, every API filter.

1. Every route of the URL configuration that takes a parameter (``authz.url_routes``) is asked
   with each parameter in turn replaced by malformed values ("abc", "1.5", "-1", a number too
   big for any database, …) and the others naming real objects of Kabupaten Serang (built by
   the rules of ``test_authorization``), by GET and by the writes the route's rule sends, as
   anonymous, rina (Bappeda admin of Serang) and the superuser. Any answer below 500 will do
   (404, 400, 405, 302 to the login page, 401). What a malformed id answers is the rule of
   ``kks_portal.lib.url_ids``.
2. The writes of the authorization registry, with each field of their data malformed in turn.
3. Every filter of every API list (the viewsets' ``filterset_class`` or ``filterset_fields``,
   found by walking the routes) gets out-of-range and malformed values: 400 in the one error
   shape naming the parameter, never 5xx.
4. Every page and endpoint with a query string of junk in the parameters pages and endpoints
   read by hand: pages ignore what they cannot use (``url_ids``), the API may answer 400.
5. The routes named in issue 10, item 4, explicitly.
"""

from __future__ import annotations

import json

import django_filters
import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django_filters.filterset import filterset_factory
from django_filters.rest_framework import FilterSet

from kks_portal.lib.url_ids import parse_id
from kks_portal.tests.authz import ANONYMOUS, Route, url_routes
from kks_portal.tests.test_authorization import ROUTES, World

HUGE = "99999999999999999999"  # 20 digits: more than a 64-bit integer holds
# What a parameter is replaced by: not a number, not an integer, negative, huge, zero, and the
# nearly empty values a string converter lets through.
MALFORMED = ("abc", "1.5", "-1", HUGE, "0", "%20", ".", "..", "x" * 300)
PERSONAS = (ANONYMOUS, "rina", "root")
PLACE = "serang"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def world(wilayah, rina, oscar, sari, tono, dewi, vina, wawan, nadia, root_user):
    users = {"rina": rina, "oscar": oscar, "sari": sari, "tono": tono, "dewi": dewi}
    users |= {"vina": vina, "wawan": wawan, "nadia": nadia, "root": root_user}
    return World(wilayah=wilayah, users=users)


@pytest.fixture
def clients(rina, root_user):
    """One client per persona; a view's exception comes back as a 500 response."""
    made = {}
    for persona, user in ((ANONYMOUS, None), ("rina", rina), ("root", root_user)):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        made[persona] = client
    return made


# --- Building URLs with one parameter malformed ---------------------------------------------------

# A value that fits the parameter's pattern and is found nowhere else in the URL: the route is
# reversed with it, then the placeholder is replaced by the malformed value.
PLACEHOLDERS = ("987654321987", "9876", "98.76.54.3210", "zqzqzq", "f" * 64)


def valid_kwargs(world, route: Route) -> dict:
    rule = ROUTES.get(route.key)
    if rule is None:
        return {}
    if rule.build:
        return dict(rule.build(world, PLACE).kwargs)
    return dict(rule.args(world)) if rule.args else {}


def malformed_urls(route: Route, kwargs: dict):
    """(param, value, url) for each parameter of the route and each malformed value."""
    for param in route.params:
        if param == "format":
            continue  # "….json": a suffix, not a value
        for placeholder in PLACEHOLDERS:
            try:
                url = route.url({**kwargs, param: placeholder})
            except NoReverseMatch:
                continue
            if url.count(placeholder) == 1:
                break
        else:
            raise AssertionError(f"{route.key}: no placeholder fits {param!r}")
        for value in MALFORMED:
            yield param, value, url.replace(placeholder, value)


def methods_of(route: Route) -> list[str]:
    rule = ROUTES.get(route.key)
    writes = [write.method for write in rule.writes] if rule else ["POST"]
    return ["GET", *dict.fromkeys(writes)]


def send(client: Client, method: str, url: str, data=None):
    if method == "GET":
        return client.get(url, data)
    if method == "POST" and not url.startswith("/api/"):
        return client.post(url, data or {})
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def _resolves(url: str) -> bool:
    try:
        resolve(url.split("?")[0])
    except Resolver404:
        return False
    return True


def parameter_routes() -> list[Route]:
    return [route for route in url_routes() if set(route.params) - {"format"} and route.namespace != "admin"]


def test_every_parameter_route_is_walked():
    """The walk below covers something: the routes of the issue are among them."""
    keys = {route.key for route in parameter_routes()}
    assert {"activity-completeness", "activity-files", "evidence-file-detail", "evidence-file-history"} <= keys
    assert len(keys) > 100


@pytest.mark.django_db
def test_malformed_url_parameters_never_answer_5xx(world, clients):
    failures = []
    for route in parameter_routes():
        kwargs = valid_kwargs(world, route)
        methods = methods_of(route)
        for param, value, url in malformed_urls(route, kwargs):
            # A URL no route matches is answered by the 404 handler whoever asks, however: one try.
            reached = _resolves(url)
            for persona in PERSONAS if reached else (ANONYMOUS,):
                for method in methods if reached else ("GET",):
                    response = send(clients[persona], method, url)
                    if response.status_code >= 500:
                        shown = f"{route.key} {param}={value[:24]!r} as {persona}: {method} {url[:120]}"
                        failures.append(f"{shown} → {response.status_code}")
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures[:200])


# What each field of a write is replaced by in turn: the same, and a digit ``int`` cannot read.
MALFORMED_FIELDS = ("abc", "1.5", "-1", HUGE, "\u00b2", "")


@pytest.mark.django_db
def test_malformed_write_data_never_answers_5xx(world, clients):
    """The writes of the authorization registry, as the superuser (who reaches every form), with
    each field of their data replaced by malformed values: a form or serializer error, never 5xx."""
    failures = []
    for route in url_routes():
        rule = ROUTES.get(route.key)
        if rule is None or route.namespace == "admin":
            continue
        for write in rule.writes:
            built = write.build(world, PLACE) if write.build else None
            if rule.build:
                built = built or rule.build(world, PLACE)
            url = route.url(valid_kwargs(world, route) if not rule.build else built.kwargs)
            data = write.data(world, built) if callable(write.data) else dict(write.data)
            for field in data:
                for value in MALFORMED_FIELDS:
                    response = send(clients["root"], write.method, url, {**data, field: value})
                    if response.status_code >= 500:
                        failures.append(f"{route.key}: {write.method} {url} {field}={value!r} → {response.status_code}")
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


# --- API filters ------------------------------------------------------------------------------------


def _bad_values(filter_) -> tuple[str, ...]:
    """Values a filter must refuse with 400 (empty tuple: it refuses nothing)."""
    if isinstance(filter_, django_filters.BooleanFilter):
        return ("maybe", "2")
    if isinstance(filter_, django_filters.DateFilter):
        return ("2024-13-45", "abc", "0000-01-01")
    if isinstance(filter_, django_filters.ChoiceFilter | django_filters.TypedChoiceFilter):
        return ("zzz",)
    if isinstance(filter_, django_filters.NumberFilter):
        return ("abc", "1.5", "-1", "0", HUGE, "1e400", "NaN", "²")
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return ("abc", HUGE)
    return ()


def api_filter_routes() -> list[tuple[Route, type]]:
    """(list route, its FilterSet) for every API list that filters with django-filter: its
    ``filterset_class``, or the one ``filterset_fields`` makes."""
    found = []
    for route in url_routes():
        if not route.is_api or not (route.name or "").endswith("-list") or "format" in route.params:
            continue
        view = resolve(reverse(route.key)).func.cls
        filterset = getattr(view, "filterset_class", None)
        if filterset is None and getattr(view, "filterset_fields", None):
            model = view.serializer_class.Meta.model
            filterset = filterset_factory(model, filterset=FilterSet, fields=view.filterset_fields)
        if filterset is not None:
            found.append((route, filterset))
    return found


def test_every_api_filterset_is_found():
    names = {route.key for route, _filterset in api_filter_routes()}
    assert {"activity-list", "evidence-file-list", "assessment-list", "region-list", "opd-list", "body-list"} <= names


@pytest.mark.django_db
def test_malformed_api_filters_answer_400(world, clients):
    failures = []
    for route, filterset in api_filter_routes():
        url = reverse(route.key)
        for name, filter_ in filterset.base_filters.items():
            values = _bad_values(filter_)
            if not values:
                values = ("\x00", "x" * 1000)  # free text: anything but 5xx
            for value in values:
                for persona in ("rina", "root"):
                    response = clients[persona].get(url, {name: value})
                    expected = 400 if _bad_values(filter_) else None
                    if response.status_code >= 500 or (expected and response.status_code != expected):
                        failures.append(f"{route.key} ?{name}={value[:20]!r} as {persona}: {response.status_code}")
                    elif response.status_code == 400:
                        error = response.json().get("error", {})
                        if error.get("code") != "invalid" or name not in error.get("fields", {}):
                            failures.append(f"{route.key} ?{name}={value[:20]!r}: not the error shape: {error}")
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


# --- Query strings that are not filters -----------------------------------------------------------

# Every query parameter a page or an endpoint reads by hand or through a query serializer, each
# with a value it cannot use. Pages ignore such a value (``url_ids``); the API may answer 400.
JUNK_QUERY = {
    "page": "-1",
    "halaman": HUGE,
    "tahun": "abc",
    "opd": HUGE,
    "tatanan": "\x00",
    "lapisan": "zzz",
    "layer": "zzz",
    "cara": "zzz",
    "kurang": "2",
    "inline": "2",
    "dari": HUGE,
    "ke": "-1",
    "q": "x" * 1000,
    "search": "\x00",
    "all": "maybe",
    "cycle": HUGE,
    "is_active": "maybe",
    "role": "zzz",
    "kabupaten": "..",
    "next": "//evil.example",
}


@pytest.mark.django_db
def test_junk_query_strings_never_answer_5xx(world, clients):
    """Every route, its parameters naming real objects, with every junk query parameter at once:
    pages show their default (or their form's errors), the API may refuse with 400; then the
    parameters the API named are left out and the rest sent again, until it stops refusing."""
    failures = []
    for route in url_routes():
        if route.namespace == "admin" or "format" in route.params:
            continue
        rule = ROUTES.get(route.key)
        if rule is None or rule.get_ok is None:
            continue
        url = route.url(valid_kwargs(world, route))
        for persona in ("rina", "root"):
            query = dict(JUNK_QUERY)
            while True:
                response = clients[persona].get(url, query)
                if response.status_code >= 500:
                    failures.append(f"{route.key} as {persona}: GET {url}?{list(query)} → {response.status_code}")
                elif response.status_code == 400 and not _readable_refusal(route, response):
                    failures.append(f"{route.key}: GET {url}?{list(query)}: 400 neither the error shape nor a page")
                # The API refuses the values it names; the others must still not break it.
                refused = (
                    set(response.json()["error"].get("fields", {})) & set(query) if _api_400(route, response) else ()
                )
                if not refused:
                    break
                query = {name: value for name, value in query.items() if name not in refused}
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures[:200])


def _readable_refusal(route: Route, response) -> bool:
    """A 400 the caller can read: the API's error shape, or a page (with its form's errors)."""
    if route.is_api:
        return "error" in response.json()
    return response["Content-Type"].startswith("text/html") and b"<html" in response.content


def _api_400(route: Route, response) -> bool:
    return route.is_api and response.status_code == 400 and "error" in response.json()


# --- The routes of the issue ----------------------------------------------------------------------

ISSUE_ROUTES = [
    ("GET", "/api/activities/{}/completeness/"),
    ("GET", "/api/activities/{}/files/"),
    ("POST", "/api/activities/{}/files/"),
    ("GET", "/api/evidence-files/{}/"),
    ("GET", "/api/evidence-files/{}/history/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1.5", "-1", HUGE])
@pytest.mark.parametrize(("method", "template"), ISSUE_ROUTES)
def test_issue_routes_answer_404_for_a_malformed_id(client_for, root_user, method, template, value):
    response = send(client_for(root_user), method, template.format(value))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "-1", "abc", "1.5", "10000", HUGE])
def test_activity_list_answers_400_for_a_year_out_of_range(client_for, root_user, year):
    response = client_for(root_user).get("/api/activities/", {"year": year})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"], list(error["fields"])) == (400, "invalid", ["year"])


@pytest.mark.django_db
def test_activity_list_takes_a_year_in_range(client_for, root_user):
    assert client_for(root_user).get("/api/activities/", {"year": "2024"}).status_code == 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 12 ", 12), (12, 12), ("9" * 18, int("9" * 18)), ("9" * 19, None), (HUGE, None)]
    + [(value, None) for value in ("", None, "abc", "1.5", "-1", "²", "١", "1e3")],
)
def test_parse_id_follows_the_url_rule(value, expected):
    assert parse_id(value) == expected
