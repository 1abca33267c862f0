"""A key given twice in one JSON object is a located error (JSON would keep the last one
silently); schema errors and reference errors come out of one run together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck import api
from claimcheck.jsontext import decode, repeated_keys
from tests.conftest import minimal_ledger


def _errors(cli, *args: str | Path) -> list[str]:
    result = cli("claims", *args)
    assert result.exit_code == 2, result.stdout
    return [line for line in result.stderr.splitlines() if not line.startswith("claimcheck:")]


def test_the_issues_example_is_a_located_error(cli, write_ledger) -> None:
    path = write_ledger(minimal_ledger())
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"value": 3', '"value": 99,\n      "value": 54'), "utf-8")
    (line,) = _errors(cli, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, t in enumerate(lines, 1) if '"value": 99' in t)
    assert line.startswith(f"{path}:{first + 1}:16: $.claims[0].value: key 'value' given twice")
    assert f"(first at line {first})" in line and "silently drops" in line


def test_every_repeated_key_is_reported_at_once(cli, write_ledger) -> None:
    path = write_ledger(minimal_ledger())
    text = path.read_text(encoding="utf-8")
    text = text.replace('"sources": [\n', '"sources": [],\n  "sources": [\n', 1)
    text = text.replace('"title": "S"', '"title": "S", "title": "T"')
    path.write_text(text, encoding="utf-8")
    errors = _errors(cli, path)
    assert [e.split(": ", 2)[1] for e in errors] == ["$.sources", "$.sources[0].title"]


def test_a_repeated_key_in_an_included_file_is_located_there(cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared.json"
    shared.write_text('{\n  "places": [],\n  "places": []\n}\n', encoding="utf-8")
    ledger = minimal_ledger()
    ledger["includes"] = ["shared.json"]
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(ledger, indent=2), encoding="utf-8")
    errors = _errors(cli, path)
    assert any(e.startswith(f"{shared}:3:13: $.places: key 'places' given twice") for e in errors)


def test_decode_flags_repeats_only_when_there_are_some() -> None:
    data, repeated = decode('{"a": [{"b": 1, "c": 2}], "d": {"e": 1}}')
    assert not repeated and type(data["a"][0]) is dict
    data, repeated = decode('{"a": [{"b": 1, "b": 2}], "d": {"e": 1, "e": 1}}')
    assert repeated and data["a"][0] == {"b": 2}
    assert repeated_keys(data) == [("a", 0, "b"), ("d", "e")]


def test_schema_and_reference_errors_are_reported_together(cli, write_ledger) -> None:
    ledger = minimal_ledger()
    ledger["claims"].append(dict(ledger["claims"][0], id="second", sources=["nope"]))
    ledger["claims"].append(dict(ledger["claims"][0], id="broken", value="three"))
    ledger["claims"].append(dict(ledger["claims"][0], id="fourth", measure="no-such-measure"))
    path = write_ledger(ledger)
    errors = _errors(cli, path)
    paths = [e.split(": ", 2)[1] for e in errors]
    assert paths == ["$.claims[1].sources[0]", "$.claims[2].value", "$.claims[3].measure"]
    assert "unknown source id 'nope'" in errors[0]
    assert "unknown measure id 'no-such-measure'" in errors[2]


def test_an_id_of_an_invalid_item_is_not_called_unknown(write_ledger) -> None:
    ledger = minimal_ledger()
    ledger["sources"][0]["url"] = "not a url"  # the source fails the schema …
    path = write_ledger(ledger)
    with pytest.raises(api.LedgerError) as info:
        api.load(path)
    # … and the claim citing it is not told that source 's' does not exist.
    assert [p.path for p in info.value.problems] == ["$.sources[0].url"]
