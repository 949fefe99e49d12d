"""``bench/load.py --smoke`` runs end to end: a throw-away database with a tiny ``seed_scale``, gunicorn
with the shipped config, locust logging in a persona of every role, and prints every page type of
the plan with zero errors beside the trivial pages. Figures are not judged here (timings depend on
the machine); the benchmark prints them beside their targets, run by hand (README, docs/PERFORMANCE.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# The benchmark makes its own throw-away world (SQLite, its own gunicorn and locust).
pytestmark = pytest.mark.pass_independent

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("bappeda", "opd", "secretary", "province", "national")


def test_the_load_benchmark_prints_every_page_type_without_errors():
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "KKS_VAR_DIR")}
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = done.stdout
    assert done.returncode == 0, out[-4000:] + done.stderr[-4000:]
    assert "page types planned: " in out
    assert re.search(r"not requested: none$", out, re.MULTILINE), out
    assert re.search(r"^all requests: [\d,]+, errors 0, throughput [\d.]+ req/s", out, re.MULTILINE), out
    for trivial in ("trivial: /health/", "trivial: login page"):
        assert re.search(rf"^{re.escape(trivial)}\s+\d+\s+0\s+\d+\s+\d+\s+\d+", out, re.MULTILINE), out
    for role in ROLES:
        assert re.search(
            rf"^{role}: .+\s+\d+\s+0\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+×\s+(met|MISSED)$", out, re.MULTILINE
        ), role
    assert "sync workers on 127.0.0.1" in out
