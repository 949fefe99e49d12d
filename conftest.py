"""Fixtures shared by every app's tests: real regions, named personas per role, a real Celery worker.

Personas (all in or around Kabupaten Serang, 36.04):
  rina   Bappeda admin of Kabupaten Serang
  oscar  OPD operator of Dinkes Serang
  sari   secretary of the Forum Kecamatan Sehat of Carenang (36.04.17)
  tono   secretary of the neighbouring kecamatan Binuang (36.04.18)
  dewi   secretary of the Pokja of desa Carenang (36.04.17.2001)
  vina   provincial verifier of Banten (36)
  wawan  provincial verifier of Jawa Barat (32)
  nadia  national verifier
  root   superuser
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from psycopg2.extras import Json

from accounts.models import Role
from accounts.tests.factories import PASSWORD, OpdFactory, RoleAssignmentFactory, UserFactory
from regions.tests import factories as rf
from tatanan.importer import instrument_import
from tatanan.models import Cycle

ROOT = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Tests marked ``pass_independent`` set up their own environment (a subprocess with its own
    variables, a throw-away database, a file check) and so do exactly the same in both passes of
    scripts/test: they run in the embedded pass only, which keeps the PostgreSQL + Redis pass short."""
    if not os.environ.get("DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="pass-independent: runs the same in the embedded pass")
    for item in items:
        if item.get_closest_marker("pass_independent"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Unit tests run tasks inline; tests marked ``worker`` use the real worker instead."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    from kks_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """MD5 first for the personas and logins of the tests (Django's own hashers are Django's to
    test): a million PBKDF2 rounds take about a second here, and every persona made and every login
    paid it, minutes of each pass. The default hashers stay listed after it, so that a password set
    by a subprocess under the real settings (``seed_demo``, the worker) still verifies."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _fresh_cache(settings, request):
    """Each test starts with an empty cache, as it does with an empty database: the throttles'
    counts (password reset, API token) must not carry over from one test to the next. A memory
    cache of its own rather than clearing the configured one: under Redis that one shares its
    database with Celery's queue."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }


@pytest.fixture
def wilayah(db):
    """The regions the personas live in, with their real codes and names."""
    regions = {
        "banten": rf.region(rf.BANTEN),
        "serang": rf.region(rf.KAB_SERANG),
        "carenang": rf.region(rf.KEC_CARENANG),
        "binuang": rf.region(rf.KEC_BINUANG),
        "desa_carenang": rf.region(rf.DESA_CARENANG),
        "desa_pamanuk": rf.region(rf.DESA_PAMANUK),
        "desa_binuang": rf.region(rf.DESA_BINUANG),
        "jabar": rf.region(rf.JAWA_BARAT),
        "bogor": rf.region(rf.KAB_BOGOR),
    }
    return regions


@pytest.fixture
def password():
    return PASSWORD


def _persona(username, full_name, role=None, region=None, opd=None):
    user = UserFactory(username=username, full_name=full_name)
    if role:
        RoleAssignmentFactory(user=user, role=role, region=region, opd=opd)
    return user


@pytest.fixture
def dinkes_serang(wilayah):
    return OpdFactory(kabupaten=wilayah["serang"], name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def rina(wilayah):
    return _persona("rina", "Rina Bappeda", Role.BAPPEDA_ADMIN, wilayah["serang"])


@pytest.fixture
def oscar(wilayah, dinkes_serang):
    return _persona("oscar", "Oscar Dinkes", Role.OPD_OPERATOR, wilayah["serang"], dinkes_serang)


@pytest.fixture
def sari(wilayah):
    return _persona("sari", "Sari Carenang", Role.SECRETARY, wilayah["carenang"])


@pytest.fixture
def tono(wilayah):
    return _persona("tono", "Tono Binuang", Role.SECRETARY, wilayah["binuang"])


@pytest.fixture
def dewi(wilayah):
    return _persona("dewi", "Dewi Pokja Carenang", Role.SECRETARY, wilayah["desa_carenang"])


@pytest.fixture
def vina(wilayah):
    return _persona("vina", "Vina Banten", Role.PROVINCE_VERIFIER, wilayah["banten"])


@pytest.fixture
def wawan(wilayah):
    return _persona("wawan", "Wawan Jabar", Role.PROVINCE_VERIFIER, wilayah["jabar"])


@pytest.fixture
def nadia(wilayah):
    return _persona("nadia", "Nadia Pusat", Role.NATIONAL_VERIFIER)


@pytest.fixture
def root_user(db):
    user = UserFactory(username="root", full_name="Super Admin")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def personas(rina, oscar, sari, tono, dewi, vina, wawan, nadia, root_user):
    """Every named persona by name (the superuser as ``root``), for tests that try them all."""
    return {
        "rina": rina,
        "oscar": oscar,
        "sari": sari,
        "tono": tono,
        "dewi": dewi,
        "vina": vina,
        "wawan": wawan,
        "nadia": nadia,
        "root": root_user,
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def shipped_catalogue(db):
    """The tatanan sets, cycles and tier rules the data migrations ship, again.

    A transactional test (browser, worker) flushes the database when it ends, data migrations
    included; tests that need the shipped rows after such a flush ask for this fixture. The
    migration functions are idempotent (update_or_create)."""
    import importlib

    from django.apps import apps

    importlib.import_module("tatanan.migrations.0002_tatanan_sets").ship_sets(apps, None)
    importlib.import_module("tatanan.migrations.0003_cycles_2023_2025").ship_cycles(apps, None)
    importlib.import_module("tatanan.migrations.0005_cycles_2017_to_2027").ship_cycles(apps, None)


# --- A real Celery worker -------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start a real ``celery worker`` process on the configured broker (files or Redis) and
    the test database. Tests using it must be ``transaction=True`` so the worker sees their rows.
    Yields the folder the worker's e-mail backend writes to."""
    from django.conf import settings
    from django.db import connection

    mail_dir = tmp_path_factory.mktemp("worker-mail")
    db = connection.settings_dict
    env = dict(os.environ)
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        user = db.get("USER") or ""
        auth = f"{user}:{db.get('PASSWORD')}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
        env["DATABASE_URL"] = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    env["EMAIL_URL"] = "filemail://"
    env["EMAIL_FILE_PATH"] = str(mail_dir)
    log = open(tmp_path_factory.mktemp("worker-log") / "worker.log", "w+")  # noqa: SIM115 - lives as long as the worker
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kks_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_worker(process, log)
        yield {"mail_dir": mail_dir, "process": process, "log": log, "broker": settings.CELERY_BROKER_URL}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_for_worker(process, log, timeout=60):
    from kks_portal.celery import app
    from kks_portal.tasks import ping

    app.conf.task_always_eager = False
    deadline = time.monotonic() + timeout
    result = ping.delay()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"Celery worker exited early:\n{log.read()}")
        if result.ready():
            assert result.get(timeout=1) == "pong"
            return
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"Celery worker did not answer within {timeout}s:\n{log.read()}")


@pytest.fixture
def celery_worker(celery_worker_process, settings):
    """Use in a ``transaction=True`` test: tasks go to the real worker process."""
    from kks_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yield celery_worker_process
    app.conf.task_always_eager = True


# --- A real browser -------------------------------------------------------------------------

CHROMIUM = os.environ.get("KKS_CHROMIUM", "/usr/bin/chromium")
# A phone in portrait: what Pokja secretaries use.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's Chromium driven by Playwright (never a browser that Playwright downloads).

    Depends on ``django_db_setup`` so the test database exists before Playwright starts its
    event loop (Django refuses synchronous database work inside a running loop)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("KKS_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the whole session;
    # the tests' (and pytest-django's) ORM calls are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page of a browser context reports what the Content-Security-Policy blocked: the browser
# fires "securitypolicyviolation" on the document (the init script runs before the page's own).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__kksCspViolation({
    page: document.location.pathname + document.location.search,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile ? event.sourceFile + ":" + event.lineNumber : "",
    sample: event.sample,
  });
});
"""


def watch_csp(context):
    """Record the CSP violations of every page ``context`` opens; returns the (growing) list."""
    violations = []
    context.expose_function("__kksCspViolation", lambda violation: violations.append(violation))
    context.add_init_script(_CSP_LISTENER)
    # The console also tells of violations no document hears (workers, blocked frames).
    context.on("console", lambda message: _csp_console(message, violations))
    return violations


def _csp_console(message, violations):
    if "Content Security Policy" in message.text:
        page = message.page.url if message.page else "?"
        violations.append({"page": page, "directive": "console", "blocked": "", "source": "", "sample": message.text})


def fail_on_csp_violations(violations):
    if violations:
        lines = "\n".join(
            f"{v['page']}: {v['directive']} blocked {v['blocked'] or '?'} {v['source']} {v['sample']}".rstrip()
            for v in violations
        )
        pytest.fail(f"{len(violations)} Content-Security-Policy violation(s):\n{lines}")


def _browser_page(browser, live_server, *, locale="id-ID", **device):
    """A fresh browser context on the live server (``page.goto("/path/")`` is relative to it) that
    fails the test on any Content-Security-Policy violation of its pages."""
    context = browser.new_context(base_url=live_server.url, locale=locale, **device)
    context.set_default_timeout(15000)
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    fail_on_csp_violations(violations)


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized browser page, its browser set to Indonesian."""
    yield from _browser_page(browser, live_server, **PHONE)


@pytest.fixture
def english_phone(browser, live_server):
    """A phone whose browser asks for English (Accept-Language and navigator.language en-US)."""
    yield from _browser_page(browser, live_server, locale="en-US", **PHONE)


@pytest.fixture
def desktop(browser, live_server):
    yield from _browser_page(browser, live_server, viewport={"width": 1366, "height": 900})


def browser_login(page, username, password=PASSWORD):
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("#login-form [type=submit]")


def browser_open_menu(page):
    """Open the collapsed phone navigation and wait for its animation to finish."""
    page.click(".navbar-toggler")
    page.locator("#mainnav.show").wait_for()


def browser_logout(page):
    if page.locator(".navbar-toggler").is_visible():
        browser_open_menu(page)
    page.click("#user-menu")
    page.locator("#logout-button").wait_for(state="visible")
    with page.expect_navigation():
        page.click("#logout-button")


# --- Accessibility: axe-core in the browser -------------------------------------------------

# axe-core, vendored for the tests only (kks_portal/tests/vendor/axe-core/README.md): never served.
AXE_SCRIPT = ROOT / "kks_portal" / "tests" / "vendor" / "axe-core" / "axe.min.js"
# The impacts that fail a page (issue 12: "no serious or critical violations").
AXE_FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page, *, context=None) -> list[str]:
    """The serious and critical axe-core violations of the page shown, one line per element.

    The script is evaluated through Playwright (the DevTools protocol), not added as a <script>:
    the portal's Content-Security-Policy allows only its own nonced scripts (kks_portal/settings.py),
    so ``page.add_script_tag`` would be blocked, and a browser context with ``bypass_csp`` would
    also hide the CSP violations the ``desktop`` and ``phone`` fixtures report. An evaluated script
    is not governed by the page's CSP, and axe-core itself needs no ``eval``. The trailing
    expression keeps Playwright from taking the source for a function to call."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;'axe-core loaded'")
    results = page.evaluate(
        """async (context) => {
            const results = await axe.run(context || document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        context,
    )
    url = urlsplit(page.url)
    where = url.path + (f"?{url.query}" if url.query else "")
    lines = []
    for violation in results:
        if violation["impact"] not in AXE_FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(
                f"{where} [{violation['impact']}] {violation['id']}: {violation['help']}"
                f"\n    at {node['target']}\n    {summary}"
            )
    return lines


def fail_on_axe_violations(lines: list[str]) -> None:
    if lines:
        pytest.fail(f"{len(lines)} serious or critical accessibility violation(s) (axe-core):\n" + "\n".join(lines))


def axe_check(page, *, context=None) -> None:
    """Fail the test with every serious or critical axe-core violation of the page shown
    (``context``: a CSS selector to check only part of it)."""
    fail_on_axe_violations(axe_violations(page, context=context))


# --- Journeys: a screenshot of every step ----------------------------------------------------

# Git-ignored (/var/ in .gitignore); README's "Journeys and screenshots" names it.
JOURNEY_SHOTS = ROOT / "var" / "journeys"


def journey_shot(page, role: str, step_name: str, *, target=None) -> Path:
    """Save what the user sees at this step as ``var/journeys/<role>/<NN>-<step>.png``: the
    window (not the whole page: a review page is metres long), scrolled to ``target`` (a selector
    or locator) when the step's point is further down.

    NN counts the role's shots in this test process; a role's folder is emptied on its first
    shot, so it shows the last run's journey in order."""
    counters = journey_shot.__dict__.setdefault("counters", {})
    folder = JOURNEY_SHOTS / role
    if role not in counters:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
    counters[role] = counters.get(role, 0) + 1
    if target is not None:
        (page.locator(target) if isinstance(target, str) else target).first.scroll_into_view_if_needed()
    path = folder / f"{counters[role]:02d}-{step_name}.png"
    page.screenshot(path=str(path))
    return path


# --- The demo round, seeded once per pass ------------------------------------------------------

DEMO_PASSWORD = "jalan-sehat-2025"
DEMO_WORKBOOK = ROOT / "tatanan" / "data" / "instrumen-kks-2025.xlsx"
# The rows of every table once the demo was seeded, by storage location: see ``seeded_demo``.
_DEMO_SNAPSHOTS: dict[str, dict[str, tuple[list[str], list[tuple]]]] = {}


def _data_tables(connection) -> list[str]:
    return [table for table in connection.introspection.table_names() if table != "django_migrations"]


def _tables_snapshot(connection) -> dict[str, tuple[list[str], list[tuple]]]:
    snapshot = {}
    with connection.cursor() as cursor:
        for table in _data_tables(connection):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            snapshot[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return snapshot


def _tables_restore(connection, snapshot) -> None:
    """Empty every table and put ``snapshot``'s rows back, in one transaction (the foreign keys
    Django creates are deferred to the commit), then move the id sequences past the rows."""
    adapt = lambda value: value  # noqa: E731
    if connection.vendor == "postgresql":
        adapt = lambda value: Json(value) if isinstance(value, dict | list) else value  # noqa: E731  (jsonb comes back parsed)
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), _data_tables(connection), allow_cascade=True):
            cursor.execute(sql)
        for table, (columns, rows) in snapshot.items():
            if rows:
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    [tuple(adapt(value) for value in row) for row in rows],
                )
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


def _storage_key() -> str:
    return repr(django_settings.STORAGES["default"]) + repr(django_settings.MEDIA_ROOT)


def demo_snapshot_keep() -> None:
    """Keep every table's rows, just after ``seed_demo`` ran on the real 2025 instrument with
    ``DEMO_PASSWORD``, for ``seeded_demo`` (``demo/tests/test_submission.py`` seeds first in a pass:
    pytest-django runs the tests that roll back before the transactional ones)."""
    _DEMO_SNAPSHOTS[_storage_key()] = _tables_snapshot(connection)


@pytest.fixture
def seeded_demo(live_server, shipped_catalogue, celery_worker):
    """The demo as ``seed_demo`` leaves it on the real 2025 instrument (Serang's round submitted,
    Cilegon's returned, OPD tasks; demo users' password ``DEMO_PASSWORD``), for the journeys in
    the browser with the real worker. Seeding compiles two whole dossiers (minutes on this
    machine), so it is done once per pass (``demo_snapshot_keep``): the tests that use this
    fixture get every table's rows back in a second. The stored files stay where the seeding put them: the worker's
    media folder, the same for the whole pass (the snapshot is kept per storage location).
    ``demo/tests/test_submission.py`` runs the command itself, checks what it leaves and keeps
    it; a test run without that module seeds here, once."""
    if _storage_key() in _DEMO_SNAPSHOTS:
        _tables_restore(connection, _DEMO_SNAPSHOTS[_storage_key()])
    else:
        cycle = Cycle.objects.get(award_year=2025)
        assert instrument_import(cycle=cycle, file=DEMO_WORKBOOK).imported
        call_command("seed_demo", password=DEMO_PASSWORD, stdout=open(os.devnull, "w"))  # noqa: SIM115
        demo_snapshot_keep()
    return Cycle.objects.get(award_year=2025)
