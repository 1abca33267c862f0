"""The HTML report's file: self-contained, escaped, written by `claimcheck report`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from claimcheck import api

DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_page_loads_nothing_from_elsewhere() -> None:
    html = api.report(DATA / "dossier.json").html
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
