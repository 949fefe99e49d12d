"""The engine of ``test_authorization``: every route of the URL configuration, the rule each one
follows, and a check that plays a rule through for every persona.

A rule says who gets in (per *place* for routes that name an object: the same kind of object is
built in Kabupaten Serang, Banten, and in Kabupaten Bogor, Jawa Barat), what a refused persona
gets (anonymous: the login page or a 401; signed in: 404, never 403, docs/ARCHITECTURE.md), which objects a
list shows to whom, and whether a refused write leaves the database alone. The registry that
gives each route its rule lives in ``test_authorization.py``; this module knows no route.

Checks collect failures instead of stopping at the first, so that one run shows every problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ANONYMOUS = "anonymous"
PERSONAS = ("anonymous", "rina", "oscar", "sari", "tono", "dewi", "vina", "wawan", "nadia", "root")
SIGNED_IN = frozenset(PERSONAS) - {ANONYMOUS}
EVERYONE = frozenset(PERSONAS)
# The places objects are built in: a kabupaten of the personas' province and one of another.
PLACES = ("serang", "bogor")

Audience = Mapping[str, frozenset[str]]  # place → the personas who reach an object there


def everywhere(personas) -> Audience:
    """The same personas for an object wherever it is (reference data, or a route without object)."""
    return {place: frozenset(personas) for place in PLACES}


# --- The routes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One concrete URL pattern, with the namespace and name ``reverse`` knows it by."""

    namespace: str
    name: str | None
    pattern: str
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        """The registry key: "namespace:name", or the pattern for an unnamed route."""
        if self.name is None:
            return f"<unnamed> {self.pattern}"
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    def url(self, kwargs: Mapping[str, Any]) -> str:
        # A format-suffix variant ("….json") gets its own URL; the other parameters come from the rule.
        values = {param: "json" if param == "format" else kwargs[param] for param in self.params}
        return reverse(self.key, kwargs=values)


def url_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every concrete route of the URL configuration, includes and namespaces unfolded."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes.extend(url_routes(entry, pattern, inner))
        elif isinstance(entry, URLPattern):
            params = tuple(entry.pattern.regex.groupindex)
            routes.append(Route(namespace, entry.name, pattern, params))
    return routes


# --- What a route builds and how it is judged ---------------------------------------------------


@dataclass
class Built:
    """An object made for one route at one place."""

    kwargs: dict[str, Any]  # the URL parameters that name it
    rows: list = field(default_factory=list)  # rows a refused write must leave exactly as they were
    marker: str = ""  # text that shows the object on an HTML page
    api_id: Any = None  # its "id" in an API list
    region: Any = None  # the region it belongs to
    extra: dict[str, Any] = field(default_factory=dict)  # whatever write data needs (an option's id …)


Builder = Callable[[Any, str], Built]  # (world, place) → Built
WriteData = Mapping[str, Any] | Callable[[Any, Built | None], Mapping[str, Any]]  # or (world, built) → data


@dataclass(frozen=True)
class Listing:
    """Scoped items of a list: an object built at each place must appear for its audience and
    for nobody else."""

    audience: Audience
    build: Builder


@dataclass(frozen=True)
class Write:
    """A write a route accepts: ``data`` sent with ``method``.

    Personas outside ``writers`` (by default the rule's audience) must be refused and leave the
    database and the outbox untouched: anonymous with the login page or 401, everyone else
    with 404, also a reader who may not write (``accounts.access``: one rule, no 403). Writers must get ``ok`` and, when ``changes``, a visible change, which
    proves that the refused attempts really tried to write. ``build`` makes the target at each
    place for routes without object of their own (creating through a list: the data names it).
    """

    data: WriteData = field(default_factory=dict)
    method: str = "POST"
    ok: tuple[int, ...] = (302,)
    changes: bool = True
    writers: Audience | None = None
    build: Builder | None = None


@dataclass(frozen=True)
class Rule:
    """How one route treats each persona.

    ``audience`` is who gets in, per place of the route's object (``build``); for a route
    without object every place holds the same set. Everyone else is refused: anonymous with
    the login page (pages) or 401 (API) unless the route is public, signed-in personas with 404.
    Lists check their ``listings``; ``writes`` are tried too (see ``Write``).
    """

    policy: str
    audience: Audience
    build: Builder | None = None
    args: Callable[[Any], dict[str, Any]] | None = None  # URL parameters of a route without object
    listings: tuple[Listing, ...] = ()
    get_ok: tuple[int, ...] | None = (200,)  # None: the route does not answer GET
    anonymous_ok: tuple[int, ...] | None = None  # public routes that treat anonymous differently
    writes: tuple[Write, ...] = ()
    # Only these personas are tried: for a slow route whose answer is the same for everyone.
    personas: tuple[str, ...] = PERSONAS

    def writers(self, write: Write, place: str) -> frozenset[str]:
        return (write.writers or self.audience)[place]


@dataclass
class Env:
    """What a check needs: the world of objects and one signed-in client per persona."""

    world: Any
    users: Mapping[str, Any]  # persona name → User (None for anonymous)
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        """The persona's client, signed in once and kept for reads and refused writes."""
        if persona not in self.clients:
            self.clients[persona] = self.fresh_client(persona)
        return self.clients[persona]

    def fresh_client(self, persona: str) -> Client:
        """A client of its own, for writes that may change the session (logout, language)."""
        client = Client()
        if persona != ANONYMOUS:
            client.force_login(self.users[persona])
        return client


@cache
def _count_sql() -> str:
    """One query counting the rows of every table of the project's own apps."""
    root = str(settings.BASE_DIR)
    tables = sorted(
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.path.startswith(root) and "site-packages" not in config.path
        for model in config.get_models(include_auto_created=True)
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)


def db_state(built: Built | None) -> tuple:
    """A fingerprint of what a write could touch: the object's own rows, the number of rows in
    every table of the project's apps, and the e-mails sent."""
    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for row in built.rows if built else []:
            meta = row._meta
            cursor.execute(f"SELECT * FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s", [row.pk])
            rows.append(cursor.fetchall())
        cursor.execute(_count_sql())
        counts = cursor.fetchone()
    return rows, counts, len(mail.outbox)


def _request(env: Env, persona: str, method: str, url: str, data=None, *, client: Client | None = None):
    """The response, or the exception the view raised (a 500 in production). Writes go to the
    API as JSON, to pages as a form."""
    client = client or env.client(persona)
    try:
        # Callbacks run as after a real commit, so that queued e-mails and tasks really happen.
        with TestCase.captureOnCommitCallbacks(execute=True):
            if method == "GET":
                return client.get(url)
            if method == "POST" and not url.startswith("/api/"):
                return client.post(url, data or {})
            return client.generic(method, url, json.dumps(data or {}), content_type="application/json")
    except Exception as exc:
        return exc


def _status(response) -> str:
    if isinstance(response, Exception):
        return f"exception {type(response).__name__}: {response}"
    location = response.headers.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def _refused(route: Route, persona: str, response) -> bool:
    if isinstance(response, Exception):
        return False
    if persona != ANONYMOUS:
        return response.status_code == 404
    if route.is_api:
        return response.status_code == 401
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response.headers.get("Location", "").startswith(login + "?next=")


def _refusal(route: Route, persona: str) -> str:
    if persona != ANONYMOUS:
        return "404"
    return "401" if route.is_api else "302 to the login page"


def _listed(route: Route, response, built: Built) -> bool:
    if route.is_api:
        data = json.loads(response.content)
        items = data["results"] if isinstance(data, dict) and "results" in data else data
        return any(isinstance(item, dict) and item.get("id") == built.api_id for item in items)
    return built.marker in response.content.decode()


@dataclass(frozen=True)
class Failure:
    route: str
    persona: str
    message: str

    def __str__(self) -> str:
        return self.message


class Checker:
    """Plays one rule through for every persona and collects what went wrong."""

    def __init__(self, env: Env, route: Route, rule: Rule):
        self.env, self.route, self.rule = env, route, rule
        self.failures: list[Failure] = []

    def fail(self, persona: str, method: str, url: str, expected: str, got: str) -> None:
        message = f"{self.route.key} [{self.rule.policy}] as {persona}: {method} {url} expected {expected}, got {got}"
        self.failures.append(Failure(self.route.key, persona, message))

    def built(self, place: str) -> tuple[Built | None, str]:
        """The route's object at ``place`` (None for routes without object) and its URL."""
        world = self.env.world
        built = self.rule.build(world, place) if self.rule.build else None
        kwargs = built.kwargs if built else (self.rule.args(world) if self.rule.args else {})
        return built, self.route.url(kwargs)

    def target(self, write: Write, place: str) -> tuple[Built | None, str]:
        """What ``write`` acts on at ``place``, freshly built, and the URL to send it to."""
        built, url = self.built(place)
        if write.build:
            built = write.build(self.env.world, place)
        return built, url

    def run(self) -> list[Failure]:
        has_places = self.rule.build or any(write.build for write in self.rule.writes)
        for place in PLACES if has_places else (PLACES[0],):
            if self.rule.get_ok is not None and (self.rule.build or place == PLACES[0]):
                _built, url = self.built(place)
                listed = [(item, {p: item.build(self.env.world, p) for p in PLACES}) for item in self.rule.listings]
                for persona in self.rule.personas:
                    self.check_get(persona, url, persona in self.rule.audience[place], listed)
            for write in self.rule.writes:
                writers = self.rule.writers(write, place)
                target, url = self.target(write, place)
                for persona in self.rule.personas:
                    if persona not in writers:
                        self.check_refused_write(persona, place, write, url, target)
                for persona in self.rule.personas:
                    if persona in writers:
                        self.check_allowed_write(persona, place, write)
            if self.rule.build and len(self.route.params) > 1:
                self.check_mixed_parents(place)
        return self.failures

    def check_get(self, persona: str, url: str, allowed: bool, listed) -> None:
        response = _request(self.env, persona, "GET", url)
        if not allowed:
            if not _refused(self.route, persona, response):
                self.fail(persona, "GET", url, _refusal(self.route, persona), _status(response))
            return
        ok = self.rule.get_ok
        if persona == ANONYMOUS and self.rule.anonymous_ok is not None:
            ok = self.rule.anonymous_ok
        if isinstance(response, Exception) or response.status_code not in ok:
            self.fail(persona, "GET", url, " or ".join(map(str, ok)), _status(response))
            return
        for listing, items in listed:
            for place, item in items.items():
                expected = persona in listing.audience[place]
                if _listed(self.route, response, item) != expected:
                    what = f"{place} object {item.api_id if self.route.is_api else item.marker!r}"
                    self.fail(persona, "GET", url, f"{what} {'listed' if expected else 'not listed'}", "the opposite")

    def _data(self, write: Write, built: Built | None) -> Mapping[str, Any]:
        return write.data(self.env.world, built) if callable(write.data) else write.data

    def check_refused_write(self, persona: str, place: str, write: Write, url: str, target: Built | None) -> None:
        before = db_state(target)
        response = _request(self.env, persona, write.method, url, self._data(write, target))
        if not _refused(self.route, persona, response):
            self.fail(persona, write.method, url, _refusal(self.route, persona), _status(response))
        if db_state(target) != before:
            self.fail(persona, write.method, url, "no change in the database or outbox", "a change")

    def check_allowed_write(self, persona: str, place: str, write: Write) -> None:
        # A fresh target each time: the write may have used up the last one (a deactivated user),
        # and a fresh client: it may have ended the session (logout).
        target, url = self.target(write, place)
        before = db_state(target)
        client = self.env.fresh_client(persona)
        response = _request(self.env, persona, write.method, url, self._data(write, target), client=client)
        if isinstance(response, Exception) or response.status_code not in write.ok:
            self.fail(persona, write.method, url, " or ".join(map(str, write.ok)), _status(response))
        elif write.changes and db_state(target) == before:
            self.fail(persona, write.method, url, "a change (else the refused writes prove nothing)", "no change")

    def check_mixed_parents(self, place: str) -> None:
        """A child named under the parent of another place is not found, even by those who reach
        both (the superuser): nested URLs must look the child up inside its parent."""
        other = PLACES[1] if place == PLACES[0] else PLACES[0]
        here, there = self.rule.build(self.env.world, place), self.rule.build(self.env.world, other)
        first, *rest = self.route.params
        if here.kwargs[first] == there.kwargs[first]:
            return  # the first parameter names no scoped parent (an award year)
        url = self.route.url({first: here.kwargs[first], **{param: there.kwargs[param] for param in rest}})
        attempts = [("GET", None)] if self.rule.get_ok is not None else []
        attempts += [(write.method, write) for write in self.rule.writes]
        personas = set(self.rule.audience[place])
        for write in self.rule.writes:
            personas |= self.rule.writers(write, place)
        for persona in sorted(personas):
            for method, write in attempts:
                before = db_state(there)
                response = _request(self.env, persona, method, url, self._data(write, there) if write else None)
                if isinstance(response, Exception) or response.status_code != 404:
                    expected = f"404 ({first} of {place}, the rest of {other})"
                    self.fail(persona, method, url, expected, _status(response))
                if db_state(there) != before:
                    self.fail(persona, method, url, "no change in the database or outbox", "a change")


def check(env: Env, route: Route, rule: Rule) -> list[Failure]:
    return Checker(env, route, rule).run()


def unclassified(routes: list[Route], registry: Mapping[str, Rule], namespaces: set[str]) -> Iterator[str]:
    """Problems of the registry itself: routes it does not classify, entries for routes that are gone."""
    keys = set()
    for route in routes:
        keys.add(route.key)
        if route.namespace.split(":")[0] in namespaces:
            continue
        if route.name is None:
            yield f"route {route.pattern!r} has no name: name it and classify it"
        elif route.key not in registry:
            yield f"route {route.key!r} ({route.pattern}) is not classified: add it to ROUTES"
    for key in sorted(set(registry) - keys):
        yield f"ROUTES classifies {key!r}, which no longer exists: remove the line"
