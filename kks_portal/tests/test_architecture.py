"""The layer order and the no-cycles rule of docs/ARCHITECTURE.md, checked with import-linter's
contracts in pyproject.toml ([tool.importlinter]). Imports inside functions count as imports."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
# Reads the source files only.
pytestmark = pytest.mark.pass_independent

APPS = ["regions", "accounts", "tatanan", "indicators", "forums", "evidence", "dossiers", "demo"]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_the_contracts_cover_every_app_in_the_documented_order():
    config = _config()
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    layers = contracts["layers"]["layers"]
    # Top of the site first, the shared library last; the apps in between, highest first.
    assert layers[1:-1] == list(reversed(APPS))
    assert layers[-1] == "kks_portal.lib"
    assert set(contracts["acyclic"]["ancestors"]) == {"kks_portal", *APPS}
    # Every app package of the repository is under the contracts.
    packages = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert packages <= set(APPS)


def test_no_import_goes_up_the_layers_and_no_module_cycle(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
