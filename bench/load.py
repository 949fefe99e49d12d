"""The portal under a day's load: the role mix of issue 14 against gunicorn on seeded national data.

    # once: national data in a PostgreSQL database of its own (manage.py seed_scale; see README)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kks_scale KKS_VAR_DIR=/tmp/kks-scale-var \\
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/load.py      # 50 users, 5–15 s, 300 s
    … bench/load.py --users 50 --pause 5-15 --duration 300
    … bench/load.py --saturate                # short pauses (1–3 s): the throughput where it saturates
    .venv/bin/python bench/load.py --smoke    # a throw-away database, a tiny seed, 8 users, 30 s

What it does:

1. **Data**: the database of ``DATABASE_URL`` (with the media of ``KKS_VAR_DIR``), filled beforehand
   by ``manage.py seed_scale``; it is only read (and logins write sessions). ``--smoke`` makes its own
   instead: a temporary KKS_VAR_DIR, a SQLite file there or, when DATABASE_URL names PostgreSQL, a
   database ``kks_bench_<pid>`` on that server (dropped at the end), migrated, the 2025 instrument
   imported, ``seed_scale --kabupaten 2 --activities 50 --files 100``.
2. **Server**: gunicorn with the shipped config (``deploy/gunicorn.conf.py``: sync workers,
   2 × CPU + 1 of them, at most 9), bound to 127.0.0.1 only, DEBUG off, REDIS_URL's cache when given
   (as in production; give it a database number nobody else uses).
3. **Personas** (``seed_scale``'s users, password of the demo or ``--password``): the Bappeda admin,
   the Dinkes operator and the first desa's Pokja secretary of up to ``--personas`` kabupaten/kota spread
   over the seeded ones, the verifiers of their provinces, the national verifier. Each logs in through
   the login page and walks through its usual pages (``PAGES`` below; locust, ``bench/load_locustfile.py``),
   pausing ``--pause`` seconds between requests; ``--users`` of them in the mix of ``WEIGHTS``, and
   2 anonymous probes asking for the trivial pages (``/health/``, the login page) at the same pace.
   Statistics start when every user has started (locust ``--reset-stats``), so logins are not in them.
4. **Figures**: per page type p50/p95/p99 (locust's, rounded above 100 ms to 2 digits), requests,
   errors, throughput; the trivial pages beside them; each page's p95 against the target (≤ 300 ms
   and ≤ 3× the slower trivial page's p95). The exit status is 1 when a request failed or a planned page
   type was never requested.

Loopback only, bounded: at most ``MAX_USERS`` users and ``MAX_DURATION`` seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "bench" / "load_locustfile.py"
MAX_USERS = 200
MAX_DURATION = 1800
TARGET_MS = 300
TARGET_RATIO = 3
PROBES = 2
# The role mix: of every 12 users, 3 Bappeda admins, 3 OPD operators, 4 secretaries (on phones),
# one province verifier, one national verifier.
WEIGHTS = {"bappeda": 3, "opd": 3, "secretary": 4, "province": 1, "national": 1}
SMOKE_SEED = ["--kabupaten", "2", "--activities", "50", "--files", "100"]

# Run in the portal (manage.py shell): the personas and the pages each asks for, as JSON.
PLAN = textwrap.dedent(
    """
    import json, os
    from django.db import connection
    from accounts.models import User
    from demo.scale import NATIONAL_USERNAME, scale_counts, username_for
    from dossiers.models import Dossier
    from evidence.models import Activity
    from forums.models import Body
    from indicators.models import Assessment, IndicatorEntry
    from regions.models import Region
    from tatanan.models import Tatanan

    limit = int(os.environ["KKS_LOAD_PERSONAS"])
    seeded = sorted(
        {u.split(".")[-1] for u in User.objects.filter(username__startswith="skala.bappeda.").values_list("username", flat=True)}
    )
    if not seeded:
        raise SystemExit("No seed_scale personas in this database: run manage.py seed_scale first.")
    step = max(len(seeded) // limit, 1)
    chosen = [f"{code[:2]}.{code[2:]}" for code in seeded[::step][:limit]]
    tatanan = list(Tatanan.objects.filter(tatanan_set__cycles__award_year=2025).order_by("number").values_list("pk", flat=True))

    def latest_activities(body, n=3):
        return list(Activity.objects.filter(body=body, deleted_at__isnull=True).order_by("-date", "-id").values_list("pk", flat=True)[:n])

    roles = {"bappeda": [], "opd": [], "secretary": [], "province": [], "national": []}
    assessments = {}
    for number, code in enumerate(chosen):
        a = Assessment.objects.get(kabupaten_id=code, cycle__award_year=2025)
        assessments[code] = a.pk
        forum = Body.objects.get(region_id=code, kind=Body.Kind.FORUM_KABKOTA)
        kecamatan = Region.objects.filter(parent_id=code).order_by("code").first()
        t = tatanan[number % len(tatanan)]
        pages = [
            ("dashboard", "/"),
            ("assessment detail", f"/penilaian/{a.pk}/"),
            ("assessment dashboard", f"/penilaian/{a.pk}/dasbor/"),
            ("readiness of the kabupaten", f"/bukti/kesiapan/{a.pk}/"),
            ("readiness of a kecamatan", f"/bukti/kesiapan/{a.pk}/kecamatan/{kecamatan.code}/"),
            ("data requests", f"/penilaian/{a.pk}/permintaan-data/"),
            ("bodies list", "/forum/lembaga/"),
            ("body detail", f"/forum/lembaga/{forum.pk}/"),
            ("activity list", f"/bukti/lembaga/{forum.pk}/kegiatan/"),
            ("body gallery", f"/bukti/lembaga/{forum.pk}/galeri/"),
            ("tatanan gallery", f"/bukti/galeri/tatanan/{t}/"),
            ("API readiness", f"/api/assessments/{a.pk}/readiness/"),
            ("API activities", f"/api/activities/?region={code}"),
            ("API evidence files", f"/api/evidence-files/?region={code}"),
            ("API bodies", "/api/bodies/"),
        ]
        pages += [("activity detail", f"/bukti/kegiatan/{pk}/") for pk in latest_activities(forum)]
        roles["bappeda"].append({"username": username_for("bappeda", code), "pages": pages})

        entry = IndicatorEntry.objects.filter(assessment=a, assigned_opd__short_name="Dinkes").order_by("pk").first()
        pages = [
            ("dashboard", "/"),
            ("to-do list", "/penilaian/tugas/"),
            ("assessment detail", f"/penilaian/{a.pk}/"),
            ("API entries", "/api/entries/"),
            ("API assessments", "/api/assessments/"),
        ]
        if entry is not None:
            pages += [
                ("entry form", f"/penilaian/{a.pk}/isian/{entry.pk}/"),
                ("indicator evidence", f"/bukti/penilaian/{a.pk}/indikator/{entry.pk}/"),
            ]
        roles["opd"].append({"username": username_for("dinkes", code), "pages": pages})

        secretary = User.objects.get(username=username_for("pokja", code))
        desa = secretary.role_assignments.get().region_id
        pokja = Body.objects.get(region_id=desa, kind=Body.Kind.POKJA_DESA)
        pages = [
            ("secretary home", "/forum/beranda/"),
            ("body detail", f"/forum/lembaga/{pokja.pk}/"),
            ("activity list", f"/bukti/lembaga/{pokja.pk}/kegiatan/"),
            ("body files", f"/bukti/lembaga/{pokja.pk}/"),
            ("API activities", f"/api/activities/?body={pokja.pk}"),
            ("API body readiness", f"/api/bodies/{pokja.pk}/readiness/"),
        ]
        pages += [("activity detail", f"/bukti/kegiatan/{pk}/") for pk in latest_activities(pokja, 2)]
        roles["secretary"].append({"username": username_for("pokja", code), "pages": pages})

    for province in sorted({code[:2] for code in chosen}):
        code = next(c for c in chosen if c.startswith(province + "."))
        a = assessments[code]
        pages = [
            ("dashboard", "/"),
            ("assessment list", "/penilaian/"),
            ("dossier queue", "/dossier/antrean/"),
            ("region browse", "/wilayah/"),
            ("region detail", f"/wilayah/{province}/"),
            ("assessment detail", f"/penilaian/{a}/"),
            ("readiness of a kabupaten", f"/bukti/kesiapan/{a}/"),
            ("bodies list", "/forum/lembaga/"),
            ("API assessments", "/api/assessments/"),
            ("API activities", f"/api/activities/?region={province}"),
        ]
        awaiting = Dossier.objects.filter(
            assessment__kabupaten__code__startswith=province + ".", status__in=Dossier.AWAITING_PROVINCE
        ).values_list("assessment_id", flat=True).first()
        if awaiting:
            pages.append(("dossier review", f"/dossier/{awaiting}/verifikasi/"))
        roles["province"].append({"username": username_for("verifikator", province), "pages": pages})

    first = assessments[chosen[0]]
    roles["national"].append({"username": NATIONAL_USERNAME, "pages": [
        ("dashboard", "/"),
        ("API activities", "/api/activities/"),
        ("API evidence files", "/api/evidence-files/"),
        ("bodies list", "/forum/lembaga/"),
        ("region browse", "/wilayah/"),
        ("assessment list", "/penilaian/"),
        ("dossier queue", "/dossier/antrean/"),
        ("API bodies", "/api/bodies/"),
        ("API assessments", "/api/assessments/"),
        ("tatanan gallery", f"/bukti/galeri/tatanan/{tatanan[0]}/"),
        ("readiness of a kabupaten", f"/bukti/kesiapan/{first}/"),
    ]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 'SQLite ' || sqlite_version()")
        database = cursor.fetchone()[0]
    print(json.dumps({"roles": roles, "counts": scale_counts(), "database": database, "kabupaten": chosen}))
    """
)


# --- Helpers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, quiet: bool = True) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def pause_range(text: str) -> tuple[float, float]:
    low, _sep, high = text.partition("-")
    low_s, high_s = float(low), float(high or low)
    if not 0 <= low_s <= high_s:
        raise argparse.ArgumentTypeError("--pause is MIN-MAX in seconds, e.g. 5-15")
    return low_s, high_s


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "?",
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} × {cpu}, {memory_kb / 1024 / 1024:.0f} GB RAM, {platform.system()} {platform.release()}"


def wait_for(base: str, server: subprocess.Popen, log_path: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(base + "/health/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError as error:
            last = str(error)
            time.sleep(0.3)
    state = "exited" if server.poll() is not None else f"did not answer /health/ in time ({last})"
    raise SystemExit(f"gunicorn {state}:\n{log_path.read_text()[-3000:]}")


class ThrowAway:
    """``--smoke``'s own world: a temporary KKS_VAR_DIR and a database in it or on DATABASE_URL's server."""

    def __init__(self, database_url: str | None):
        self.var_dir = Path(tempfile.mkdtemp(prefix="kks-bench-load-"))
        self.server_url = database_url if database_url and database_url.startswith("postgres") else None
        self.name = f"kks_bench_{os.getpid()}"
        self.database_url = None
        if self.server_url:
            parts = urlsplit(self.server_url)
            self.database_url = parts._replace(path=f"/{self.name}").geturl()
            self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, statement: str) -> None:
        import psycopg2

        parts = urlsplit(self.server_url)
        connection = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def close(self) -> None:
        if self.server_url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)


# --- The run ------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, help="simulated people (default 50; smoke 8)")
    parser.add_argument("--pause", type=pause_range, help="seconds between requests, MIN-MAX (default 5-15)")
    parser.add_argument("--duration", type=int, help="seconds of load (default 300; saturate 120; smoke 30)")
    parser.add_argument("--saturate", action="store_true", help="short pauses (1-3 s): print the saturation throughput")
    parser.add_argument("--smoke", action="store_true", help="a throw-away database and tiny seed, 8 users, 30 s")
    parser.add_argument("--personas", type=int, default=20, help="kabupaten/kota whose personas are used (20)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the shipped config's)")
    parser.add_argument("--password", default="kks-demo-2025", help="the personas' password (seed_scale's)")
    args = parser.parse_args(argv)
    args.users = args.users or (8 if args.smoke else 50)
    args.pause = args.pause or ((0.1, 0.3) if args.smoke else (1.0, 3.0) if args.saturate else (5.0, 15.0))
    args.duration = args.duration or (30 if args.smoke else 120 if args.saturate else 300)
    if not (1 <= args.users <= MAX_USERS and 5 <= args.duration <= MAX_DURATION):
        parser.error(f"--users 1..{MAX_USERS}, --duration 5..{MAX_DURATION}")
    return args


def environment(args, throw_away: ThrowAway | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "KKS_ENV"}
    env.update(DJANGO_SETTINGS_MODULE="kks_portal.settings", DEBUG="false", LOG_LEVEL="WARNING")
    if throw_away is not None:
        env.pop("REDIS_URL", None)
        env.pop("DATABASE_URL", None)
        env["KKS_VAR_DIR"] = str(throw_away.var_dir)
        if throw_away.database_url:
            env["DATABASE_URL"] = throw_away.database_url
    elif not env.get("DATABASE_URL") or not env.get("KKS_VAR_DIR"):
        raise SystemExit(
            "Give the seeded database and its media: DATABASE_URL=postgres://… KKS_VAR_DIR=… (or --smoke)."
        )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return env


def seed_smoke(env: dict) -> None:
    print("Throw-away database: migrating, importing the 2025 instrument, seed_scale at a tiny size …", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "import_instrumen", "tatanan/data/instrumen-kks-2025.xlsx", "--cycle", "2025")
    manage(env, "seed_scale", *SMOKE_SEED)


def start_server(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            f"--bind=127.0.0.1:{port}",
            "kks_portal.wsgi:application",
        ],
        cwd=ROOT,
        env=env | {"PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run_locust(args, base: str, plan_path: Path, out_dir: Path) -> Path:
    spawn_rate = max(1.0, args.users / max(2.0, args.duration * 0.05))
    prefix = out_dir / "load"
    command = [
        str(VENV_BIN / "python"),
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users + PROBES),
        "--spawn-rate",
        f"{spawn_rate:.2f}",
        "--run-time",
        f"{args.duration}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--reset-stats",
        "--only-summary",
        "--stop-timeout",
        "20",
        "--loglevel",
        "WARNING",
    ]
    with open(out_dir / "locust.log", "w") as log:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=os.environ | {"KKS_LOAD_PLAN": str(plan_path)},
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=args.duration + 180,
        )
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(
            f"locust wrote no statistics (exit {done.returncode}):\n{(out_dir / 'locust.log').read_text()[-3000:]}"
        )
    return stats


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def report(stats_path: Path, failures_path: Path, args, planned: set[str]) -> int:
    rows = list(csv.DictReader(stats_path.open()))
    pages = [r for r in rows if r["Name"] != "Aggregated" and not r["Name"].startswith("login (")]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    trivial = [r for r in pages if r["Name"].startswith("trivial: ")]
    measured = sorted((r for r in pages if r not in trivial), key=lambda r: -_ms(r["95%"]))
    reference = max((_ms(r["95%"]) for r in trivial), default=0.0)
    errors = sum(int(r["Failure Count"]) for r in pages)

    print()
    print(
        f"{'page type':<44} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>6} "
        f"{'×trivial':>8}  target p95 ≤ {TARGET_MS} ms, ≤ {TARGET_RATIO}× trivial"
    )
    missed = []
    for row in [*trivial, *measured]:
        p95 = _ms(row["95%"])
        ratio = p95 / reference if reference else float("nan")
        verdict = ""
        if row not in trivial:
            met = p95 <= TARGET_MS and (not reference or p95 <= TARGET_RATIO * reference)
            verdict = "met" if met else "MISSED"
            if not met:
                missed.append(row["Name"])
        print(
            f"{row['Name']:<44} {int(row['Request Count']):>8,} {int(row['Failure Count']):>6,} "
            f"{_ms(row['50%']):>7.0f} {p95:>7.0f} {_ms(row['99%']):>7.0f} {float(row['Requests/s']):>6.2f} "
            f"{ratio:>7.1f}×  {verdict}"
        )
    print()
    print(
        f"page types: {len(measured)} (+ {len(trivial)} trivial); trivial p95 (the slower of the two): {reference:.0f} ms"
    )
    print(
        f"all requests: {int(total['Request Count']):,}, errors {errors:,}, throughput {float(total['Requests/s']):.2f} req/s, "
        f"p50 {_ms(total['50%']):.0f} ms, p95 {_ms(total['95%']):.0f} ms, p99 {_ms(total['99%']):.0f} ms"
    )
    if args.saturate:
        print(
            f"saturation throughput: {float(total['Requests/s']):.2f} requests/s at {args.users} users pausing "
            f"{args.pause[0]:g}–{args.pause[1]:g} s"
        )
    absent = sorted(planned - {row["Name"] for row in measured})
    print(f"page types planned: {len(planned)}; not requested: {', '.join(absent) or 'none'}")
    print(
        f"page types missing the target: {len(missed)} of {len(measured)}"
        + (f": {', '.join(missed)}" if missed else "")
    )
    if errors:
        print("errors (first 10):")
        for row in list(csv.DictReader(failures_path.open()))[:10]:
            print(f"  {row['Occurrences']:>5}× {row['Name']}: {row['Error'][:160]}")
    return 1 if errors or absent else 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    throw_away = ThrowAway(os.environ.get("DATABASE_URL")) if args.smoke else None
    out_dir = Path(tempfile.mkdtemp(prefix="kks-load-out-"))
    server = None
    try:
        env = environment(args, throw_away)
        if throw_away is not None:
            seed_smoke(env)
        print("Reading the personas and their pages from the database …", flush=True)
        plan = json.loads(
            manage(env | {"KKS_LOAD_PERSONAS": str(args.personas)}, "shell", "-c", PLAN).strip().splitlines()[-1]
        )
        plan_path = out_dir / "plan.json"
        plan_path.write_text(
            json.dumps(
                {
                    "roles": plan["roles"],
                    "pause": list(args.pause),
                    "password": args.password,
                    "weights": WEIGHTS,
                    "probes": PROBES,
                }
            )
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, out_dir / "gunicorn.log")
        wait_for(base, server, out_dir / "gunicorn.log")
        workers = len([p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == server.pid])
        for _ in range(4 * max(workers, 1)):  # each worker imports its views on the first requests
            for path in ("/health/", "/akun/masuk/"):
                urllib.request.urlopen(base + path, timeout=30).read()

        counts = ", ".join(f"{count:,} {label}" for label, count in plan["counts"].items())
        print(f"machine: {machine()}; load average before {os.getloadavg()[0]:.2f}")
        print(f"database: {plan['database'].split(' on ')[0]}; {counts}")
        print(
            f"server: gunicorn, deploy/gunicorn.conf.py, {workers} sync workers on 127.0.0.1; "
            f"cache {'Redis' if env.get('REDIS_URL') else 'local memory'}"
        )
        personas = sum(len(v) for v in plan["roles"].values())
        print(
            f"load: {args.users} users ({', '.join(f'{k} {v}' for k, v in WEIGHTS.items())} of every {sum(WEIGHTS.values())}) "
            f"+ {PROBES} trivial probes, pausing {args.pause[0]:g}–{args.pause[1]:g} s, {args.duration} s; "
            f"{personas} personas in {len(plan['kabupaten'])} kabupaten/kota",
            flush=True,
        )
        started = time.monotonic()
        stats = run_locust(args, base, plan_path, out_dir)
        print(f"ran {time.monotonic() - started:.0f} s; load average after {os.getloadavg()[0]:.2f}")
        planned = {
            f"{role}: {name}" for role, personas in plan["roles"].items() for p in personas for name, _ in p["pages"]
        }
        return report(stats, Path(str(stats).replace("_stats.csv", "_failures.csv")), args, planned)
    finally:
        stop_server(server)
        if throw_away is not None:
            throw_away.close()
        shutil.rmtree(out_dir, ignore_errors=True)


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
