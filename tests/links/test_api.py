"""``claimcheck.api.links`` and ``api.verify`` with links, against the loopback server."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck import api
from claimcheck.results import ExitCode, LinkStatus

from .conftest import LoopServer, fast_options, network_down
from .test_cli import ledger_with


def test_links_returns_results_reports_progress_and_prints_nothing(
    server: LoopServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ledger_with(tmp_path, [server.url("/ok"), server.url("/status/404")])
    calls: list[tuple[int, int]] = []
    report = api.links(path, fast_options(), progress=lambda d, t: calls.append((d, t)))
    assert report.exit_code == ExitCode.FINDINGS
    by_status = {r.status for r in report.links or []}
    assert by_status == {LinkStatus.OK, LinkStatus.BROKEN}
    assert report.link_summary is not None and report.link_summary.failing >= 1
    broken = next(r for r in report.links or [] if r.status is LinkStatus.BROKEN)
    assert broken.sources and broken.claims  # who depends on the dead link
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    assert capsys.readouterr() == ("", "")


def test_verify_runs_the_links_too(server: LoopServer, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, [server.url("/ok")])
    report = api.verify(path, api.VerifyOptions(links=fast_options()))
    assert report.exit_code == ExitCode.OK
    assert report.link_summary is not None and report.link_summary.checked
    assert [r.status for r in report.links or []] == [LinkStatus.OK]
    assert report.findings and report.sections == ("findings", "links")


def test_verify_refused_link_is_unreachable_exit_1(
    server: LoopServer, tmp_path: Path, refused_port: int
) -> None:
    path = ledger_with(tmp_path, [f"http://127.0.0.1:{refused_port}/gone"])
    # A refusal is a reply: the network is up, whatever the probe says, and the link fails.
    report = api.verify(path, api.VerifyOptions(links=fast_options(network_probe=network_down)))
    assert report.exit_code == ExitCode.FINDINGS
    assert [r.status for r in report.links or []] == [LinkStatus.UNREACHABLE]


def test_verify_with_the_network_down_is_not_checked_exit_3(tmp_path: Path) -> None:
    path = ledger_with(tmp_path, ["http://unresolvable.test/"])  # no answer at all
    report = api.verify(path, api.VerifyOptions(links=fast_options(network_probe=network_down)))
    assert report.exit_code == ExitCode.NOT_CHECKED
    assert report.link_summary is not None and not report.link_summary.checked
    assert [r.status for r in report.links or []] == [LinkStatus.OFFLINE]


def test_notes_of_the_run_are_data(server: LoopServer, tmp_path: Path) -> None:
    dead = server.url("/status/410")
    server.state.captures[dead] = [("20220101000000", "200")]
    path = ledger_with(tmp_path, [dead])
    options = fast_options(archive=True, archive_endpoint=server.base, write_archive=True)
    report = api.links(path, options)
    assert any("archive_url written" in note for note in report.notes)
    assert "archive_url" in path.read_text(encoding="utf-8")
