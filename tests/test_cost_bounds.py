"""Costs bounded by the input: capped schema errors, linear location (7.13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck.loader import MAX_PROBLEMS, LedgerError, load_ledger
from claimcheck.sourcemap import SourceMap


def test_a_ledger_with_thousands_of_errors_reports_the_first_and_a_count(tmp_path: Path) -> None:
    bad = {"id": 1, "kind": "count", "text": 2, "quote": 3, "sources": "s", "value": "x"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"sources": [], "claims": [bad] * 2000}), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        load_ledger(path)
    problems = info.value.problems
    more = [p for p in problems if "more schema error(s) not shown" in p.message]
    assert len(more) == 1
    located = [p for p in problems if p not in more]
    assert MAX_PROBLEMS <= len(located) <= MAX_PROBLEMS + 50  # plus reference errors, if any
    assert all(p.line == 1 for p in located if p.path)  # minified: all on line 1, located


def test_locations_in_a_minified_text_are_exact() -> None:
    text = json.dumps({"a": [{"b": i} for i in range(500)]}, separators=(",", ":"))
    paths = [("a", i, "b") for i in range(0, 500, 7)]
    smap = SourceMap(text, {p[:k] for p in paths for k in range(4)})
    for p in paths:
        line, col = smap.locate(p) or (0, 0)
        assert line == 1
        assert text[col - 1 :].startswith(str(p[1]))
    text2 = text.replace(",", ",\n")
    smap2 = SourceMap(text2, {p[:k] for p in paths for k in range(4)})
    for p in paths:
        line, col = smap2.locate(p) or (0, 0)
        assert text2.splitlines()[line - 1][col - 1 :].startswith(str(p[1]))


def test_errors_far_into_a_long_ledger_are_found_and_counted(tmp_path: Path) -> None:
    # Many errors: only the first ones are worked out (validating the ledger again with
    # its lists cut short, longer until some fail), the rest counted exactly.
    bundled = json.loads((Path(__file__).parent.parent / "data" / "claims.json").read_text())
    good = [dict(bundled["claims"][0], id=f"ok-{i}") for i in range(300)]
    bad = {"id": 1, "kind": "count", "text": 2, "quote": 3, "sources": "s", "value": "x"}
    data = {k: v for k, v in bundled.items() if k != "checks"} | {"claims": good + [bad] * 400}
    path = tmp_path / "late.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        load_ledger(path)
    problems = info.value.problems
    more = [p for p in problems if "more schema error(s) not shown" in p.message]
    located = [p for p in problems if p not in more]
    assert MAX_PROBLEMS <= len(located) <= MAX_PROBLEMS + 50  # plus reference errors
    assert all((p.path or "").startswith("$.claims[3") for p in located)
    assert located[0].path == "$.claims[300].id"
    assert len(more) == 1
