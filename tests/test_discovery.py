"""With no LEDGER, the working folder's ledger comes first; every format names the path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimcheck.ledgers import bundled_ledger, default_ledger
from tests.conftest import DATA, minimal_ledger


def _write(path: Path, **claim: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(minimal_ledger(**claim), indent=2), encoding="utf-8")
    return path


def test_claims_json_then_data_claims_json_then_bundled(tmp_path: Path) -> None:
    assert default_ledger(tmp_path) == bundled_ledger()
    data = _write(tmp_path / "data" / "claims.json")
    assert default_ledger(tmp_path) == data
    top = _write(tmp_path / "claims.json")
    assert default_ledger(tmp_path) == top
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "claims.json").mkdir()  # a folder of that name is no ledger
    assert default_ledger(tmp_path / "other") == bundled_ledger()


def test_an_edit_in_the_working_folder_is_what_gets_checked(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: a checkout's data/claims.json was just edited."""
    shutil.copytree(DATA, tmp_path / "data")
    ledger = tmp_path / "data" / "claims.json"
    data = json.loads(ledger.read_text(encoding="utf-8"))
    data["claims"][0]["sources"] = ["no-such-source"]
    ledger.write_text(json.dumps(data, indent=2), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("verify", "--offline")
    assert result.exit_code == 2
    assert result.stderr.startswith("data/claims.json:")


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        ("verify --offline", "table"),
        ("verify --offline", "json"),
        ("verify --offline", "markdown"),
        ("verify --offline", "junit"),
        ("check", "github"),
        ("links --no-cache --exclude .", "json"),
        ("claims", "table"),
        ("sources", "markdown"),
    ],
)
def test_every_format_names_the_ledger_it_used(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, fmt: str
) -> None:
    # A warning-free ledger gives github nothing to say: make it warn (no document).
    _write(tmp_path / "claims.json")
    monkeypatch.chdir(tmp_path)
    result = cli(*command.split(), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "claims.json" in result.stdout


def test_the_bundled_ledger_is_named_by_its_real_path(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli("verify", "--offline", "--format", "json").stdout)
    assert Path(data["ledger"]) == bundled_ledger()
