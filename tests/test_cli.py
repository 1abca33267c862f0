"""The listing commands, the schema export and the formats, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from claimcheck.schema import schema_text
from tests.conftest import ROOT


def _ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "claims" and data["ok"] is True and data["errors"] == []
    return [c["id"] for c in data["claims"]]


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "claims.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: claimcheck schema -o claims.schema.json"


def test_bundled_ledger_names_the_schema() -> None:
    data = json.loads((ROOT / "data" / "claims.json").read_text(encoding="utf-8"))
    assert (ROOT / "data" / data["$schema"]).resolve() == (ROOT / "claims.schema.json")


def test_schema_command_prints_and_writes(cli, tmp_path: Path) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"sources", "claims"} <= set(schema["required"])
    out = tmp_path / "s.json"
    assert cli("schema", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_claims_defaults_to_the_bundled_ledger(cli) -> None:
    ids = _ids(cli("claims", "--format", "json"))
    for required in [
        "stations-first-batch", "cities-first-batch", "countries-first-batch",
        "stations-further", "stations-total", "countries-total", "uk-stations",
        "london-stations", "glasgow-stations", "north-america-stations", "toronto-stations",
        "nyc-stations", "canada-stations", "persuaded-returns", "forbidden-countries",
        "law-adopted", "law-effective", "report-published",
    ]:  # fmt: skip
        assert required in ids


def test_place_filter_includes_places_inside(cli) -> None:
    ids = _ids(cli("claims", "--place", "europe", "--format", "json"))
    assert "london-stations" in ids  # London is in the UK, in Europe
    assert "croydon-office" in ids  # Croydon is in London
    assert "toronto-stations" not in ids
    uk = _ids(cli("claims", "--place", "united-kingdom", "--kind", "count", "--format", "json"))
    assert sorted(uk) == ["glasgow-stations", "london-stations", "uk-stations"]


def test_source_measure_and_date_filters(cli) -> None:
    ids = _ids(cli("claims", "--source", "sd-involuntary-returns", "--format", "json"))
    assert "jan-report-cases" in ids and "stations-total" not in ids
    ids = _ids(cli("claims", "--measure", "stations", "--until", "2022-06", "--format", "json"))
    assert set(ids) == {"stations-first-batch", "stations-start-2022"}
    # A period overlaps the range: April 2021 – July 2022 reaches 2022-07.
    ids = _ids(cli("claims", "--since", "2022-07", "--until", "2022-07", "--format", "json"))
    assert "persuaded-returns" in ids and "law-adopted" not in ids
    # Precision: 2022-09 overlaps 2022-09-12.
    ids = _ids(cli("claims", "--since", "2022-09-12", "--until", "2022-09-12", "--format", "json"))
    assert "canada-stations" in ids and "report-published" in ids


def test_time_series_is_in_date_order(cli) -> None:
    result = cli("claims", "--measure", "stations", "--place", "world", "--format", "markdown")
    assert result.exit_code == 0
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("| `stations-")]
    order = [r.split("|")[1].strip(" `") for r in rows]
    assert order.index("stations-first-batch") < order.index("stations-total")
    assert "| ≥ 54 |" in result.stdout


def test_unknown_filter_value_is_a_usage_error(cli) -> None:
    result = cli("claims", "--place", "atlantis")
    assert result.exit_code == 2
    assert "no place 'atlantis' in the ledger" in result.stderr
    result = cli("claims", "--since", "last tuesday")
    assert result.exit_code == 2 and "not a date" in result.stderr


def test_sources_lists_counts_and_missing_urls(cli) -> None:
    result = cli("sources", "--format", "json")
    assert result.exit_code == 0
    by_id = {s["id"]: s for s in json.loads(result.stdout)["sources"]}
    assert by_id["sd-110-overseas"]["url"] is None
    assert by_id["sd-110-overseas"]["claims"] > 10
    table = cli("sources")
    assert "no URL established" in table.stdout
    assert "without a URL" in table.stdout


def test_bad_format_is_a_usage_error(cli) -> None:
    result = cli("claims", "--format", "junit")
    assert result.exit_code == 2


def test_help_lists_every_command(cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    rows = re.findall(r"^  (\w+)\s{2,}\S", result.stdout, re.MULTILINE)
    assert sorted(rows) == [
        "check",
        "claimreview",
        "claims",
        "config",
        "coverage",
        "evidence",
        "links",
        "report",
        "schema",
        "sources",
        "verify",
    ]


def test_bundled_ledger_works_from_any_folder(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "claimcheck", "verify", "--offline", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] is True
    assert data["ledger"].endswith("claims.json")


def test_kind_choices_are_the_schema_kinds() -> None:
    from typing import get_args

    from claimcheck.cli.claims import ClaimKindChoice
    from claimcheck.models import ClaimKind

    assert [k.value for k in ClaimKindChoice] == list(get_args(ClaimKind))


def test_unknown_kind_and_reversed_dates_are_usage_errors(cli) -> None:
    assert cli("claims", "--kind", "nope").exit_code == 2
    result = cli("claims", "--since", "2023", "--until", "2022")
    assert result.exit_code == 2 and "--until 2022 is before --since 2023" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "github", "junit", "markdown"])
def test_ledger_errors_reach_machine_formats_on_stdout(cli, write_ledger, fmt: str) -> None:
    path = write_ledger({"sources": [], "claims": [{"id": "c", "text": "t", "quote": "q",
                                                    "sources": ["nope"]}]})  # fmt: skip
    result = cli("verify", "--offline", "--format", fmt, path)
    assert result.exit_code == 2
    assert "unknown source id 'nope'" in result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["ok"] is False
        assert data["errors"][0]["path"] == "$.claims[0].sources[0]"
        assert data["errors"][0]["line"] == 9
    elif fmt == "github":
        assert result.stdout.startswith(f"::error file={path},line=9,col=9,")
    elif fmt == "junit":
        import xml.etree.ElementTree as ET

        assert ET.fromstring(result.stdout).find(".//failure") is not None
    else:
        assert "unknown source id 'nope'" in result.stdout


def test_write_archive_refuses_the_bundled_ledger(cli) -> None:
    result = cli("links", "--write-archive", "--no-cache")
    assert result.exit_code == 2
    assert "bundled ledger is not rewritten" in result.stderr


def test_bad_link_options_fail_even_offline(cli) -> None:
    result = cli("verify", "--offline", "--exclude", "(")
    assert result.exit_code == 2
    assert "not a valid regular expression" in result.stderr
