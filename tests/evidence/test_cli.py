"""``claimcheck evidence`` as a user runs it, against the loopback site."""

from __future__ import annotations

import json
from pathlib import Path

from tests.evidence.conftest import Site, count_claim, ledger
from tests.evidence.pages import PASSAGE, cms_article


def _args(site: Site, *more: str) -> list[str]:
    return [
        "--allow-private",
        "--no-cache",
        "--retries",
        "0",
        "--timeout",
        "3",
        "--archive-endpoint",
        site.base,
        *more,
    ]


def _ledger(site: Site, tmp_path: Path, live: str) -> Path:
    url = site.serve("/news/2022/09/stations", cms_article(live))
    site.archive("/news/2022/09/stations", "20220915093000", cms_article())
    src = {"id": "s", "title": "Report", "url": url, "accessed": "2022-09-20"}
    return ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])


def test_changed_fails_with_the_figures_side_by_side(cli, site: Site, tmp_path: Path) -> None:
    path = _ledger(site, tmp_path, PASSAGE.replace("54", "48"))
    result = cli("evidence", path, *_args(site))
    assert result.exit_code == 1, result.output
    out = " ".join(result.stdout.split())
    assert "no longer says the cited passage" in out
    assert "the archived copy of 2022-09-15 says 54; the live page now says 48" in out


def test_json_report_carries_each_verdict(cli, site: Site, tmp_path: Path) -> None:
    path = _ledger(site, tmp_path, PASSAGE.replace("54", "48"))
    result = cli("evidence", path, *_args(site, "--format", "json"))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (verdict,) = data["evidence"]
    assert verdict["verdict"] == "changed"
    assert verdict["figures_cited"] == ["54", "30", "5"]
    assert verdict["figures_now"] == ["48", "30", "5"]
    assert verdict["archive"]["found"] is True and verdict["archive"]["date"] == "2022-09-15"
    assert data["evidence_summary"] == {"total": 1, "by_verdict": {"changed": 1}}
    assert data["links"][0]["status"] == "ok"


def test_supported_exits_0_and_github_annotates_nothing(cli, site: Site, tmp_path: Path) -> None:
    path = _ledger(site, tmp_path, PASSAGE)
    assert cli("evidence", path, *_args(site)).exit_code == 0
    result = cli("evidence", path, *_args(site, "--format", "github"))
    assert result.exit_code == 0
    assert "::error" not in result.stdout


def test_bad_page_size_is_a_usage_error(cli, site: Site, tmp_path: Path) -> None:
    path = _ledger(site, tmp_path, PASSAGE)
    result = cli("evidence", path, *_args(site, "--max-page-size", "0"))
    assert result.exit_code == 2
    assert "--max-page-size" in result.stderr
