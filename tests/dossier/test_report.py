"""The HTML report's file: self-contained, escaped, written by `claimcheck report`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from claimcheck import api

DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_page_loads_nothing_from_elsewhere(bundled_html: str) -> None:
    html = bundled_html
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert not re.search(r"<(?:link|iframe|object|embed|img)\b", html)
    assert not re.search(r"\ssrc=", html)
    assert len(re.findall(r"<script\b", html)) == 1
    # Every reference inside the page is a fragment of the page; no http(s) reference here
    # (links are shown only when checked, and then only as plain <a> links).
    refs = re.findall(r'(?:href|xlink:href)="([^"]*)"', html)
    assert refs and all(r.startswith("#") for r in refs)
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert all(r[1:] in ids for r in refs)  # no dangling link


def test_cli_writes_the_report_and_keeps_verifys_exit_code(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = cli("report", DATA / "dossier.json", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in result.stderr and "OK:" in result.stderr


def test_ledgers_apart_get_one_section_each_with_their_own_ids(tmp_path: Path) -> None:
    html = api.report([DATA / "claims.json", DATA / "patrolling.json"]).html
    assert 'id="l1-claim-stations-total"' in html and 'id="l2-claim-september-stations"' in html
    assert html.count('<form class="filters"') == 1
    assert "dossier.separate" in html  # they share measures: the report says so


def test_link_and_evidence_verdicts_show_their_archived_copies() -> None:
    from claimcheck.evidence.verdict import ArchiveWitness, EvidenceResult, Verdict
    from claimcheck.htmlreport import book_of, render_page
    from claimcheck.results import LinkResult, LinkStatus

    loaded = api.load(DATA / "claims.json")
    report = api.verify(loaded, api.VerifyOptions(offline=True))
    report.links = [
        LinkResult(
            "https://example.org/gone",
            LinkStatus.GONE,
            http_status=410,
            sources=("national-post",),
            archive_url="https://web.archive.org/web/2022/https://example.org/gone",
        ),
        LinkResult("javascript:alert(1)", LinkStatus.BROKEN, sources=("x",)),
    ]
    report.evidence = [
        EvidenceResult(
            "canada-stations",
            "national-post",
            Verdict.CHANGED,
            "the page no longer says three",
            archive=ArchiveWitness("https://web.archive.org/web/2022/np", found=True),
        )
    ]
    html = render_page([book_of(loaded, report)], "t", "s")
    assert '<a href="https://web.archive.org/web/2022/https://example.org/gone"' in html
    assert '<a href="https://web.archive.org/web/2022/np"' in html
    assert '<a href="#claim-canada-stations">canada-stations</a>' in html
    assert "changed" in html and "the page no longer says three" in html
    assert 'href="javascript:' not in html  # shown as text, never a link
