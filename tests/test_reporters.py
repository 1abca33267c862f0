"""Reporters rendered from hand-built reports, and verify's formats end to end."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from claimcheck.reporters import REPORTERS, get_reporter
from claimcheck.results import (
    ExitCode,
    Finding,
    Hop,
    LinkResult,
    LinkStatus,
    LinkSummary,
    LinkWarning,
    Report,
    Status,
)


def _report() -> Report:
    return Report(
        ledger="data/claims.json",
        title="claimcheck verify",
        findings=[
            Finding("schema", Status.PASS, (), "valid ledger"),
            Finding(
                "check.sum",
                Status.FAIL,
                ("a", "b", "total"),
                "30 (a) + 24 (b) = 54 ≠ 55 (total)",
                detail="the parts do not add up",
                location="data/claims.json:42:7",
                measure="stations",
            ),
            Finding(
                "consistency.containment", Status.UNKNOWN, ("europe",), "no European total [sic]"
            ),
            Finding("sources.url", Status.WARN, (), "2 sources have no URL, 100% unchecked"),
        ],
        links=[
            LinkResult(
                url="https://example.org/old",
                status=LinkStatus.MOVED,
                http_status=301,
                final_url="https://example.org/new",
                redirects=(Hop("https://example.org/old", 301),),
                sources=("s1",),
                claims=("a",),
                warnings=(LinkWarning.INSECURE,),
            ),
            LinkResult(
                url="https://example.org/dead",
                status=LinkStatus.BROKEN,
                http_status=404,
                sources=("s2",),
                claims=("b",),
                archive_url="https://web.archive.org/web/2022/x",
            ),
        ],
        link_summary=LinkSummary(total=2, by_status={"moved": 1, "broken": 1}, failing=1),
        exit_code=ExitCode.FINDINGS,
        sections=("findings", "links"),
    )


def _render(fmt: str, report: Report) -> str:
    out = io.StringIO()
    get_reporter(fmt)(report, out)
    return out.getvalue()


def test_json_is_the_fixed_contract() -> None:
    data = json.loads(_render("json", _report()))
    assert data["ok"] is False
    assert {"check", "status", "claims", "message"} <= set(data["findings"][1])
    assert [f["status"] for f in data["findings"]] == ["pass", "fail", "unknown", "warn"]
    link = data["links"][0]
    for key in ["url", "status", "http_status", "final_url", "redirects", "sources", "claims",
                "elapsed_ms", "archive_url", "warnings", "detail"]:  # fmt: skip
        assert key in link
    assert link["redirects"] == [{"url": "https://example.org/old", "status": 301}]


def test_links_only_json_has_links_and_summary() -> None:
    report = _report()
    report.sections = ("links",)
    data = json.loads(_render("json", report))
    assert set(data) == {
        *("command", "ok", "exit_code", "ledger", "errors", "links", "summary", "ledgers")
    }
    assert data["command"] == "links" and data["errors"] == []
    assert data["summary"]["by_status"] == {"broken": 1, "moved": 1}


def test_table_shows_symbols_markup_free_text_and_verdict() -> None:
    report = _report()
    report.brief = False
    text = _render("table", report)
    assert re.search(r"✗ +check\.sum +30 \(a\)", text)
    assert "[sic]" in text  # user text is never read as Rich markup
    assert "at data/claims.json:42:7" in text
    assert "https://example.org/dead" in text
    assert text.rstrip().splitlines()[-1].startswith("FAILED: 1 passed, 1 failed")


def test_brief_table_lists_only_what_needs_attention() -> None:
    report = _report()
    report.brief = True
    text = _render("table", report)
    assert "Needs attention:" in text
    assert "valid ledger" in text.split("Needs attention:")[0]
    assert "30 (a) + 24 (b)" in text.split("Needs attention:")[1]


def test_markdown_has_sections_and_link_table() -> None:
    text = _render("markdown", _report())
    assert text.startswith("## claimcheck verify")
    assert "- ✗ **check.sum** (`a`, `b`, `total`): 30 \\(a\\) + 24 \\(b\\) = 54" in text
    assert "| broken | `https://example.org/dead` | 404 |" in text


def test_junit_parses_with_failures_and_no_skips_for_warnings() -> None:
    root = ET.fromstring(_render("junit", _report()))
    cases = root.findall(".//testcase")
    assert len(cases) == 6
    failures = [c.get("classname") for c in cases if c.find("failure") is not None]
    assert failures == ["check.sum", "links"]
    # A warning and an unknown ran: they are not skipped tests, they say what they found.
    assert not [c for c in cases if c.find("skipped") is not None]
    unknown = root.find(".//testcase[@name='consistency.containment europe']")
    assert unknown is not None
    assert unknown.find("properties/property[@name='status']").get("value") == "unknown"  # type: ignore[union-attr]
    assert "unknown: no European total" in unknown.findtext("system-out", "")


def test_github_annotations_point_at_the_ledger_line() -> None:
    lines = _render("github", _report()).splitlines()
    error = next(ln for ln in lines if ln.startswith("::error file=data/claims.json,line=42,col=7"))
    assert ",title=check.sum::30 (a) + 24 (b) = 54 ≠ 55 (total) [a, b, total]" in error
    assert "%0Athe parts do not add up" in error
    assert any(ln.startswith("::warning ") and "100%25 unchecked" in ln for ln in lines)
    assert any(
        ln.startswith("::error ") and "https://example.org/dead: broken" in ln for ln in lines
    )


def test_offline_links_are_not_judged_anywhere() -> None:
    report = _report()
    report.link_summary = LinkSummary(total=2, checked=False, note="network unreachable")
    report.links = [LinkResult(url="https://example.org/x", status=LinkStatus.OFFLINE)]
    assert "::error" not in "".join(
        ln for ln in _render("github", report).splitlines() if "example.org" in ln
    )
    root = ET.fromstring(_render("junit", report))
    link_case = root.find(".//testcase[@classname='links']")
    assert link_case is not None and link_case.find("skipped") is not None
    assert "links not checked" in _render("table", report)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_verify_offline_on_the_bundled_ledger_in_every_format(cli, fmt: str) -> None:
    result = cli("verify", "--offline", "--format", fmt)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stderr == ""
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["ok"] is True
        assert not [f for f in data["findings"] if f["status"] == "fail"]
    if fmt == "junit":
        ET.fromstring(result.stdout)


def test_check_command_leads_with_the_30_versus_54_explanation(cli) -> None:
    result = cli("check")
    assert result.exit_code == 0
    first = result.stdout.index("Consistency: stations")
    assert "30 + a further 24 = 54" in result.stdout[first : first + 4000]


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "claimcheck", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("claimcheck ")
