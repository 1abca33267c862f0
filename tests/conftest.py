"""Shared fixtures: the bundled ledger copied to a temporary folder, and a CLI runner."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from claimcheck.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# tools/mutation.py runs the tests many times, slowed down by mutmut: the same examples
# every time (a mutant is caught by the tests, not by luck) and no per-example deadline.
settings.register_profile("mutation", deadline=None, derandomize=True, print_blob=False)
# The default profile has no per-example deadline either: CI machines are shared and a
# 200 ms deadline makes a property test fail on a slow moment, not on a wrong answer.
settings.register_profile("default", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    """Each test starts with empty memo caches: a cached answer from an earlier test would
    hide the code under test (mutmut forks each mutant's run from a warmed-up process)."""
    from claimcheck.consistency.bounds import fmt_value
    from claimcheck.dates import parse_span

    parse_span.cache_clear()
    fmt_value.cache_clear()


_NETWORK_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


@pytest.fixture(autouse=True)
def isolated_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads a configuration file, CLAIMCHECK_ variable, proxy or CA bundle of
    the machine it runs on; tests of those set their own."""
    for name in list(os.environ):
        if name.startswith("CLAIMCHECK_"):
            monkeypatch.delenv(name)
    for name in _NETWORK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("CLAIMCHECK_CONFIG", "none")


BUNDLED_FILES = ("claims.json", "article.txt", "gazetteer.json")
"""The bundled ledger, its article and the shared definitions it includes."""


def copy_bundled(folder: Path, ledger: Any = None) -> Path:
    """The bundled ledger (or ``ledger``, its data changed by a test) written to
    ``folder`` with its article and the gazetteer it includes; the ledger's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in BUNDLED_FILES:
        shutil.copy(DATA / name, folder / name)
    path = folder / "claims.json"
    if ledger is not None:
        path.write_text(json.dumps(ledger, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def ledger_copy(tmp_path: Path) -> Path:
    """A copy of the bundled ledger, its article and gazetteer, free to mutate."""
    return copy_bundled(tmp_path)


@pytest.fixture
def write_ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write a ledger dict (indent=2, so line numbers are stable) and optional document."""

    def write(data: Any, name: str = "ledger.json", document: str | None = None) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if document is not None:
            (tmp_path / "doc.txt").write_text(document, encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run ``claimcheck ARGS`` in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(app, [str(a) for a in args])

    return run


def minimal_ledger(**claim: Any) -> dict[str, Any]:
    """The smallest valid ledger, one count claim; keyword arguments override the claim."""
    base: dict[str, Any] = {
        "id": "c",
        "kind": "count",
        "text": "Three stations.",
        "quote": "three stations",
        "sources": ["s"],
        "measure": "m",
        "value": 3,
    }
    base.update(claim)
    return {
        "sources": [{"id": "s", "title": "S"}],
        "measures": [{"id": "m", "name": "M"}],
        "claims": [base],
    }
