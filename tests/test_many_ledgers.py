"""Several ledgers in one run: files, folders and globs, a section per ledger, the worst
exit code, and every machine format naming each finding's ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimcheck import api
from claimcheck.ledgers import expand
from claimcheck.results import ExitCode, worst_exit_code
from tests.conftest import minimal_ledger


def _contradicting() -> dict[str, Any]:
    """A valid ledger whose explicit check fails: 3 is not 4."""
    data = minimal_ledger()
    other = dict(data["claims"][0], id="d", value=4, quote="four stations")
    data["claims"].append(other)
    data["checks"] = [{"kind": "equal", "id": "x", "left": "c", "right": "d"}]
    return data


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    """``good.json`` (passes) and ``bad.json`` (a failed check) in one folder, with the
    schema beside them."""
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(minimal_ledger(), indent=2), encoding="utf-8")
    bad.write_text(json.dumps(_contradicting(), indent=2), encoding="utf-8")
    (tmp_path / "claims.schema.json").write_text("{}", encoding="utf-8")
    return good, bad


def test_folders_globs_and_files_expand_once_each_in_order(
    two: tuple[Path, Path], tmp_path: Path
) -> None:
    good, bad = two
    (tmp_path / "sub").mkdir()
    deep = tmp_path / "sub" / "deep.json"
    deep.write_text(json.dumps(minimal_ledger()), encoding="utf-8")
    # Definitions that ledgers include, and other JSON, are not ledgers of their own.
    (tmp_path / "sub" / "gazetteer.json").write_text('{"places": []}', encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    paths, problems = expand([tmp_path, good, str(tmp_path / "**" / "*.json")])
    assert problems == []
    # The folder (sorted, no schema, no subfolder), then the glob adds only what is new.
    assert paths == [bad, good, deep]
    # A file named on its own is taken as given: its errors are worth seeing.
    assert expand([tmp_path / "package.json"]) == ([tmp_path / "package.json"], [])


def test_a_pattern_or_folder_naming_no_ledger_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    paths, problems = expand([tmp_path / "empty", str(tmp_path / "*.json")])
    assert paths == []
    assert [p.message for p in problems] == [
        "folder holds no *.json ledger",
        "no ledger file matches this pattern",
    ]


def test_worst_exit_code() -> None:
    assert worst_exit_code([ExitCode.OK, ExitCode.NOT_CHECKED]) == ExitCode.NOT_CHECKED
    assert worst_exit_code([ExitCode.NOT_CHECKED, ExitCode.FINDINGS]) == ExitCode.FINDINGS
    assert worst_exit_code([ExitCode.FINDINGS, ExitCode.USAGE]) == ExitCode.USAGE
    assert worst_exit_code([]) == ExitCode.OK


def test_api_check_gives_one_report_per_ledger(two: tuple[Path, Path]) -> None:
    good, bad = two
    report = api.check([good, bad])
    assert [p.ledger.rsplit("/", 1)[-1] for p in report.parts] == ["good.json", "bad.json"]
    assert [p.exit_code for p in report.parts] == [ExitCode.OK, ExitCode.FINDINGS]
    assert report.exit_code == ExitCode.FINDINGS
    assert len(report.findings) == sum(len(p.findings) for p in report.parts)
    assert api.check(good).parts == []  # one ledger: the report itself


def test_cli_table_has_a_section_per_ledger_and_the_run_verdict(cli, two) -> None:
    good, bad = two
    result = cli("check", good, bad)
    assert result.exit_code == 1
    out = result.stdout
    assert out.index("good.json") < out.index("bad.json")
    assert "FAILED: 0 passed, 2 failed" in out  # bad.json's own verdict
    assert out.rstrip().splitlines()[-1].startswith("FAILED: 2 ledgers · ")


def test_cli_json_names_each_ledger(cli, two: tuple[Path, Path]) -> None:
    good, _bad = two
    data = json.loads(cli("verify", "--offline", "-f", "json", good.parent).stdout)
    assert data["ledger"] is None and data["exit_code"] == 1
    assert [(e["ledger"].rsplit("/", 1)[-1], e["exit_code"]) for e in data["ledgers"]] == [
        ("bad.json", 1),
        ("good.json", 0),
    ]
    failed = {f["ledger"].rsplit("/", 1)[-1] for f in data["findings"] if f["status"] == "fail"}
    assert failed == {"bad.json"}
    one = json.loads(cli("verify", "--offline", "-f", "json", good).stdout)
    assert one["ledger"] == str(good) and len(one["ledgers"]) == 1


def test_github_annotations_point_at_each_ledger(cli, two: tuple[Path, Path]) -> None:
    good, bad = two
    out = cli("check", "-f", "github", good, bad).stdout
    assert f"file={bad}" in out.replace("%3A", ":")


def test_junit_suites_name_their_ledger(cli, two: tuple[Path, Path]) -> None:
    import xml.etree.ElementTree as ET

    good, bad = two
    root = ET.fromstring(cli("check", "-f", "junit", good, bad).stdout)
    names = [s.get("name") or "" for s in root]
    assert any(n.startswith(str(bad)) for n in names)


def test_markdown_has_a_heading_per_ledger(cli, two: tuple[Path, Path]) -> None:
    good, bad = two
    out = cli("check", "-f", "markdown", good, bad).stdout
    assert out.startswith("## claimcheck check · 2 ledgers\n\n**FAILED: 2 ledgers")
    assert f"### claimcheck check · `{good}`" in out and f"### claimcheck check · `{bad}`" in out


def test_every_unusable_ledger_is_reported_and_nothing_checked(cli, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"sources": [], "claims": [1]}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"claims": [', encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps(minimal_ledger()), encoding="utf-8")
    result = cli("verify", "--offline", tmp_path, str(tmp_path / "none-*.json"))
    assert result.exit_code == 2 and result.stdout == ""
    err = result.stderr
    assert "a.json:1:" in err and "b.json:1:" in err and "none-*.json: no ledger" in err
    assert "nothing was checked" in err


def test_write_archive_takes_one_ledger(cli, two: tuple[Path, Path]) -> None:
    good, bad = two
    result = cli("links", "--write-archive", "--no-cache", good, bad)
    assert result.exit_code == 2
    assert "--write-archive takes one ledger" in result.stderr
