"""Every class of bad ledger gives exit 2 and a located message, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import minimal_ledger


def _errors(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr.strip().splitlines()


def test_invalid_json_is_one_line_with_line_and_column(cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "sources": [],\n  "claims": [\n    {"id": "x",}\n  ]\n}\n')
    lines = _errors(cli("claims", path))
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:4:16: invalid JSON")


def test_all_schema_errors_at_once_with_paths_and_lines(cli, write_ledger) -> None:
    data = minimal_ledger(value="three", bogus=1)
    data["sources"][0]["id"] = "Not A Slug"
    data["claims"].append({"id": "d", "text": "t", "quote": "q", "sources": []})
    path = write_ledger(data)
    lines = _errors(cli("verify", "--offline", path))
    text = "\n".join(lines)
    assert f"{path}:4:13: $.sources[0].id: must be a lowercase slug" in text
    assert (
        '$.claims[0].value: a string was given ("three") where a number belongs; write a '
        "number without quotes, such as 230000"
    ) in text
    assert "$.claims[0].bogus: unknown field" in text
    assert "$.claims[1].sources: must list at least 1 item; it lists 0" in text
    assert lines[-1] == "claimcheck: 4 problems; the ledger was not checked"
    # The line of the offending value, not of its object.
    value_line = next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if '"three"' in ln)
    assert f"{path}:{value_line}:" in next(ln for ln in lines if ".value:" in ln)


def test_missing_required_field_points_at_its_object(cli, write_ledger) -> None:
    data = minimal_ledger()
    del data["claims"][0]["quote"]
    path = write_ledger(data)
    (line,) = _errors(cli("claims", path))
    assert "$.claims[0].quote: required field is missing" in line
    lines = path.read_text().splitlines()
    brace = next(i for i, ln in enumerate(lines, 1) if '"claims"' in ln) + 1
    assert line.startswith(f"{path}:{brace}:5:")  # the claim's opening brace


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["claims"][0].update(sources=["nope"]),
            "$.claims[0].sources[0]: unknown source id 'nope'",
        ),
        (
            lambda d: d["claims"][0].update(place="atlantis"),
            "$.claims[0].place: unknown place id 'atlantis'",
        ),
        (
            lambda d: d["claims"][0].update(measure="zz"),
            "$.claims[0].measure: unknown measure id 'zz'",
        ),
        (lambda d: d["claims"].append(dict(d["claims"][0])), "$.claims[1].id: duplicate id 'c'"),
        (
            lambda d: d["sources"].append({"id": "s", "title": "T"}),
            "$.sources[1].id: duplicate id 's'",
        ),
        (
            lambda d: d.update(
                checks=[{"kind": "sum", "id": "k", "total": "c", "parts": ["c", "x"]}]
            ),
            "$.checks[0].parts[1]: unknown claim id 'x'",
        ),
        (
            lambda d: d.update(
                places=[
                    {"id": "a", "name": "A", "within": "b"},
                    {"id": "b", "name": "B", "within": "a"},
                ]
            ),
            "ends up inside itself",
        ),
        (lambda d: d["claims"][0].update(date="2022-02-30"), "is not a real day"),
        (lambda d: d["claims"][0].update(as_of="2022-13"), "$.claims[0].as_of: must be a date"),
        (lambda d: d["claims"][0].update(value=None), "is a count but has no 'value'"),
        (
            lambda d: d["claims"][0].update(passages=[{"source": "t", "text": "3 stations"}]),
            "$.claims[0].passages[0].source: passage of source 't' but claim 'c' does not cite it",
        ),
        (
            lambda d: d["claims"][0].update(
                passages=[{"source": "s", "text": "3"}, {"source": "s", "text": "three"}]
            ),
            "$.claims[0].passages[1].source: a second passage for source 's'",
        ),
        (
            lambda d: d["claims"][0].update(passages=[{"source": "s", "text": ""}]),
            "$.claims[0].passages[0].text:",
        ),
        (
            lambda d: d["claims"][0].update(passages=[{"source": "s", "text": "x", "page": 0}]),
            "$.claims[0].passages[0].page:",
        ),
    ],
)
def test_integrity_errors(cli, write_ledger, mutate, expected) -> None:
    data = minimal_ledger()
    mutate(data)
    lines = _errors(cli("claims", write_ledger(data)))
    assert any(expected in ln for ln in lines), lines
    assert all(":" in ln.split(" ")[0] for ln in lines if not ln.startswith("claimcheck:"))


@pytest.mark.parametrize("text", ["/etc/passwd", "../outside.txt", "sub/../../x.txt", "C:\\x.txt"])
def test_document_path_must_stay_inside_the_ledger_folder(cli, write_ledger, text) -> None:
    data = minimal_ledger()
    data["document"] = {"title": "D", "text": text}
    lines = _errors(cli("verify", "--offline", write_ledger(data)))
    assert any("$.document.text:" in ln for ln in lines), lines


def test_missing_document_file_is_located(cli, write_ledger) -> None:
    data = minimal_ledger()
    data["document"] = {"title": "D", "text": "absent.txt"}
    (line,) = _errors(cli("verify", "--offline", write_ledger(data)))
    assert "$.document.text: cannot use the document's text: no such file" in line


def test_empty_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("  \n")
    (line,) = _errors(cli("claims", path))
    assert line == f"{path}: the file is empty; a ledger is a JSON object"


def test_not_an_object(cli, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]\n")
    (line,) = _errors(cli("sources", path))
    assert line.startswith(f"{path}:1:1: a ledger is a JSON object")


def test_missing_file(cli, tmp_path: Path) -> None:
    (line,) = _errors(cli("claims", tmp_path / "nope.json"))
    assert line.endswith("nope.json: no such file")


def test_directory(cli, tmp_path: Path) -> None:
    # `claims` takes one file; `check` takes folders of ledgers, and this one has none.
    (line,) = _errors(cli("claims", tmp_path))
    assert line.endswith("is a directory, not a file")
    (line,) = _errors(cli("check", tmp_path))
    assert line.endswith("folder holds no *.json ledger")


def test_not_utf8(cli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n  "sources": [{"id": "s", "title": "Caf\xe9"}]\n}\n'.encode("latin-1"))
    (line,) = _errors(cli("claims", path))
    assert line == f"{path}:2:40: not UTF-8 text (byte 0xe9)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable(cli, tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text(json.dumps(minimal_ledger()))
    path.chmod(0)
    (line,) = _errors(cli("claims", path))
    assert "cannot read" in line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-5", "$.claims[0].value: -5 is negative; a figure is a number from 0"),
        ("1" + "0" * 400, "is too large: a figure is at most 1,000,000,000,000,000"),
        ("NaN", "$.claims[0].value: must be a finite number from 0"),
        ("9" * 5001, "invalid JSON: number out of range"),
    ],
)
def test_figures_must_be_finite_bounded_and_not_negative(
    cli, write_ledger, value, expected
) -> None:
    path = write_ledger(minimal_ledger())
    path.write_text(path.read_text().replace('"value": 3', f'"value": {value}'))
    (line,) = _errors(cli("claims", path))
    assert expected in line
    assert line.startswith(f"{path}:")


def test_sum_parts_listed_twice(cli, write_ledger) -> None:
    data = minimal_ledger()
    data["claims"].append(dict(data["claims"][0], id="d"))
    data["checks"] = [{"kind": "sum", "id": "k", "total": "c", "parts": ["d", "d"]}]
    lines = _errors(cli("claims", write_ledger(data)))
    assert any("$.checks[0].parts[1]: claim 'd' is listed twice" in ln for ln in lines)


def test_document_symlinked_outside_the_folder_is_refused(
    cli, write_ledger, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    outside.write_text("secret three stations")
    (tmp_path / "doc.txt").symlink_to(outside)
    data = minimal_ledger()
    data["document"] = {"title": "D", "text": "doc.txt"}
    result = cli("verify", "--offline", write_ledger(data))
    (line,) = _errors(result)
    assert "resolves outside the ledger's folder" in line
    assert "secret" not in result.stdout + result.stderr


@pytest.mark.parametrize("field", ["sources", "said_by", "scope"])
def test_an_id_listed_twice_in_a_claim(cli, write_ledger, field) -> None:
    data = minimal_ledger()
    data["parties"] = [{"id": "p", "name": "P"}]
    data["claims"][0][field] = {"sources": ["s", "s"], "said_by": ["p", "p"], "scope": ["a", "a"]}[
        field
    ]
    lines = _errors(cli("claims", write_ledger(data)))
    assert any(f"$.claims[0].{field}[1]: " in ln and "is listed twice" in ln for ln in lines)


def test_a_file_name_too_long(cli, tmp_path: Path) -> None:
    (line,) = _errors(cli("claims", tmp_path / ("x" * 300 + ".json")))
    assert "cannot read: File name too long" in line


def test_year_zero_is_not_a_date(cli, write_ledger) -> None:
    lines = _errors(cli("claims", write_ledger(minimal_ledger(as_of="0000"))))
    assert any("$.claims[0].as_of" in ln and "no year 0" in ln for ln in lines)


def test_passages_with_page_section_and_date_are_valid(cli, write_ledger) -> None:
    passage = {"source": "s", "text": "3 stations", "page": "iv", "section": "Findings"}
    data = minimal_ledger(passages=[passage | {"accessed": "2024-03-05"}])
    result = cli("claims", write_ledger(data), "--format", "json")
    assert result.exit_code == 0, result.output
