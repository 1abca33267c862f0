"""report.schema.json: committed, fresh, and true of what every command prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from claimcheck.report_schema import report_schema_text
from tests.conftest import ROOT, minimal_ledger

SCHEMA = json.loads((ROOT / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def _errors(doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_committed_report_schema_is_current() -> None:
    committed = (ROOT / "report.schema.json").read_text(encoding="utf-8")
    hint = "run: claimcheck schema --report -o report.schema.json"
    assert committed == report_schema_text(), hint


def test_schema_command_prints_it(cli) -> None:
    assert cli("schema", "--report").stdout == report_schema_text()


def test_the_schema_is_a_valid_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


@pytest.fixture
def bad_ledger(write_ledger) -> Path:
    return write_ledger({"sources": [], "claims": [{"id": "c", "sources": ["nope"]}]})


@pytest.fixture
def two_ledgers(write_ledger) -> list[Path]:
    return [
        write_ledger(minimal_ledger(), name="a.json"),
        write_ledger(minimal_ledger(value=4), name="b.json"),
    ]


CASES = [
    ("verify", "--offline"),
    ("verify", "--offline", "--verbose"),
    ("check",),
    ("links", "--no-cache", "--exclude", "."),  # every link skipped: no network needed
    ("claims",),
    ("claims", "--measure", "stations"),
    ("sources",),
    ("coverage",),
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_every_command_succeeding_matches(cli, args: tuple[str, ...]) -> None:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert _errors(doc) == []
    assert doc["command"] == args[0]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_every_command_stopping_matches(cli, bad_ledger: Path, args: tuple[str, ...]) -> None:
    result = cli(*args, "--format", "json", bad_ledger)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert _errors(doc) == []
    assert doc["errors"] and doc["command"] == args[0]


@pytest.mark.parametrize("command", ["verify", "check", "links", "claims", "sources"])
def test_usage_errors_match(cli, command: str) -> None:
    result = cli(command, "--no-such-option", "--format", "json")
    assert result.exit_code == 2
    assert _errors(json.loads(result.stdout)) == []


@pytest.mark.parametrize("command", ["verify", "check", "links"])
def test_several_ledgers_match(cli, two_ledgers: list[Path], command: str) -> None:
    extra = ["--offline"] if command == "verify" else []
    extra += ["--no-cache", "--exclude", "."] if command == "links" else []
    result = cli(command, *two_ledgers, *extra, "--format", "json")
    doc = json.loads(result.stdout)
    assert _errors(doc) == []
    assert doc["ledger"] is None and len(doc["ledgers"]) == 2


def test_the_schema_rejects_a_document_missing_a_key(cli) -> None:
    doc = json.loads(cli("verify", "--offline", "--format", "json").stdout)
    del doc["link_summary"]
    assert _errors(doc)
    doc = json.loads(cli("claims", "--format", "json").stdout)
    doc["claims"] = {"not": "a list"}
    assert _errors(doc)
