"""The library's entry points, called as a notebook or a script calls them: data back,
nothing printed, user errors as exceptions carrying their message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck import api
from claimcheck.listing import ClaimFilter, FilterError
from claimcheck.results import ExitCode, Status
from tests.conftest import DATA, ROOT


def test_verify_offline_returns_the_report_and_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = api.verify(DATA / "claims.json", api.VerifyOptions(offline=True))
    assert report.exit_code == ExitCode.OK
    assert report.ledger.endswith("claims.json")
    checks = {f.check for f in report.findings}
    assert {"schema", "anchor.quote"} <= checks
    assert any(f.check.startswith("consistency.") for f in report.findings)
    assert report.link_summary is not None and not report.link_summary.checked
    assert report.link_summary.note == "--offline"
    assert capsys.readouterr() == ("", "")


def test_every_command_defaults_to_the_bundled_ledger() -> None:
    assert api.bundled_ledger().name == "claims.json"
    assert api.load().path == api.bundled_ledger()
    assert api.check().ledger == api.load().display
    assert len(api.sources().rows) == len(api.load().ledger.sources)


def test_a_loaded_ledger_is_used_as_given(ledger_copy: Path) -> None:
    loaded = api.load(str(ledger_copy))
    assert api.load(loaded) is loaded
    report = api.check(loaded)
    assert report.exit_code == ExitCode.OK
    assert report.listings and all(lst.key for lst in report.listings)


def test_check_reports_a_failed_sum(ledger_copy: Path) -> None:
    text = ledger_copy.read_text(encoding="utf-8")
    data = json.loads(text)
    total = next(c for c in data["claims"] if c["id"] == "stations-total")
    total["value"] = 55
    total["quote"] = total["quote"].replace("54", "55")
    ledger_copy.write_text(json.dumps(data, indent=2), encoding="utf-8")
    report = api.check(ledger_copy)
    assert report.exit_code == ExitCode.FINDINGS
    failed = [f for f in report.findings if f.status == Status.FAIL]
    assert any(f.check == "check.sum" and "stations-total" in f.claims for f in failed)


def test_an_unusable_ledger_raises_with_every_problem_located(write_ledger) -> None:
    path = write_ledger({"sources": [], "claims": [{"id": "c", "text": "t", "quote": "q",
                                                    "sources": ["nope"]}]})  # fmt: skip
    with pytest.raises(api.LedgerError) as info:
        api.verify(path, api.VerifyOptions(offline=True))
    problems = info.value.problems
    assert problems and all(p.line is not None for p in problems)
    assert any("nope" in p.message for p in problems)


def test_link_options_are_checked_before_the_ledger_is_read(tmp_path: Path) -> None:
    options = api.VerifyOptions(offline=True, links=api.LinkOptions(exclude=["("]))
    with pytest.raises(api.LinkOptionsError, match="--exclude"):
        api.verify(tmp_path / "missing.json", options)


def test_a_cache_path_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database\n", encoding="utf-8")
    with pytest.raises(api.LinkOptionsError, match="not a SQLite database"):
        api.links(DATA / "claims.json", api.LinkOptions(cache_path=notes))
    assert notes.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_the_bundled_ledger_is_never_rewritten() -> None:
    with pytest.raises(api.LinkOptionsError, match="bundled ledger is not rewritten"):
        api.links(None, api.LinkOptions(write_archive=True, use_cache=False))


def test_claims_filters_and_orders_a_measure_as_a_time_series() -> None:
    listing = api.claims(where=ClaimFilter(measure="stations", place="united-kingdom"))
    ids = [row[0] for row in listing.rows]
    assert ids and "uk-stations" in ids and "london-stations" in ids
    assert "stations-total" not in ids  # World is not inside the United Kingdom
    everything = api.claims()
    assert len(everything.rows) == len(api.load().ledger.claims)


def test_claims_filter_naming_an_unknown_source_raises() -> None:
    with pytest.raises(FilterError, match="no source 'nope'"):
        api.claims(where=ClaimFilter(source="nope"))


def test_schema_is_the_committed_schema() -> None:
    committed = json.loads((ROOT / "claims.schema.json").read_text(encoding="utf-8"))
    assert api.schema() == committed
