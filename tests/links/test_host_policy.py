"""Per-host policy, URL rewrites and --fail-on-http, from a configuration file, against
real loopback servers (127.0.0.1 and 127.0.0.2 act as two hosts)."""

from __future__ import annotations

import itertools
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from tests.serving import serving

from .netservers import RecordingServer
from .test_cli import ledger_with


@pytest.fixture
def one() -> Iterator[RecordingServer]:
    srv = RecordingServer("127.0.0.1")
    with serving(srv):
        yield srv


@pytest.fixture
def two() -> Iterator[RecordingServer]:
    srv = RecordingServer("127.0.0.2")
    with serving(srv):
        yield srv


def run(
    tmp_path: Path, urls: list[str], config: str, *args: str, fmt: str = "json"
) -> tuple[int, str, str]:
    cfg = tmp_path / "claimcheck.toml"
    cfg.write_text(textwrap.dedent(config), encoding="utf-8")
    ledger = ledger_with(tmp_path, urls)
    result = CliRunner().invoke(
        app,
        [
            *("links", str(ledger), "--format", fmt, "--config", str(cfg), "--allow-private"),
            *("--no-cache", "--no-archive", *args),
        ],
    )
    return result.exit_code, result.stdout, result.stderr


def by_url(out: str) -> dict[str, dict[str, object]]:
    return {lk["url"]: lk for lk in json.loads(out)["links"]}


def test_headers_and_cookies_reach_their_host_only(
    one: RecordingServer, two: RecordingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_TOKEN", "Bearer sekret-123")
    monkeypatch.setenv("DESK_SESSION", "abc42")
    onward = f"http://127.0.0.2:{two.port}/landing"
    url = f"http://127.0.0.1:{one.port}/redirect?to={onward}"
    code, out, err = run(
        tmp_path,
        [url],
        """\
        [hosts."127.0.0.1"]
        headers = { Authorization = { env = "DESK_TOKEN" }, "Accept-Language" = "fr" }
        cookies = { session = { env = "DESK_SESSION" } }
        """,
    )
    assert code == 0, err
    first = one.record.requests[0].headers
    assert first["Authorization"] == "Bearer sekret-123"
    assert first["Accept-Language"] == "fr"
    assert first["Cookie"] == "session=abc42"
    # The redirect went to another host: none of it follows.
    onward_headers = two.record.requests[0].headers
    assert "Authorization" not in onward_headers
    assert "Cookie" not in onward_headers
    assert onward_headers["Accept-Language"] != "fr"
    assert "sekret" not in out + err
    assert "abc42" not in out + err


def test_a_secret_variable_that_is_not_set_exits_2(
    one: RecordingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        tmp_path,
        [f"http://127.0.0.1:{one.port}/ok"],
        """\
        [hosts."127.0.0.1"]
        headers = { Authorization = { env = "DESK_TOKEN" } }
        """,
    )
    assert code == 2
    assert "environment variable DESK_TOKEN, read by the host policy for 127.0.0.1" in err
    assert one.record.requests == []
    monkeypatch.setenv("DESK_TOKEN", "Bearer abc\r\nX-Injected: 1")
    code, out, err = run(
        tmp_path,
        [f"http://127.0.0.1:{one.port}/ok"],
        """\
        [hosts."127.0.0.1"]
        headers = { Authorization = { env = "DESK_TOKEN" } }
        """,
    )
    assert code == 2
    assert "DESK_TOKEN, read by the host policy for 127.0.0.1" in err
    assert "holds a line break" in err
    assert "Injected" not in out + err
    assert one.record.requests == []


def test_accepted_status_skip_and_timeout(
    one: RecordingServer, two: RecordingServer, tmp_path: Path
) -> None:
    denied = f"http://127.0.0.1:{one.port}/status/404"
    slow = f"http://127.0.0.1:{one.port}/slow?s=1.5"
    skipped = f"http://127.0.0.2:{two.port}/ok"
    code, out, err = run(
        tmp_path,
        [denied, slow, skipped],
        """\
        [hosts."127.0.0.1"]
        accept = [404]
        timeout = 0.4

        [hosts."127.0.0.2"]
        skip = true
        """,
        "--retries",
        "0",
        "--fail-on",
        "broken",
    )
    got = by_url(out)
    assert got[denied]["status"] == "ok"
    assert "HTTP 404 accepted by the host policy for 127.0.0.1" in str(got[denied]["detail"])
    assert "would otherwise be broken" in str(got[denied]["detail"])
    assert got[slow]["status"] == "timeout"  # the host's 0.4 s, not the default 20 s
    assert got[skipped]["status"] == "skipped"
    assert "skipped by the host policy for 127.0.0.2" in str(got[skipped]["detail"])
    assert two.record.requests == []
    assert code == 0, err


def test_per_host_concurrency_and_delay(
    one: RecordingServer, two: RecordingServer, tmp_path: Path
) -> None:
    urls = [f"http://127.0.0.1:{one.port}/slow?s=0.1&n={i}" for i in range(4)]
    urls += [f"http://127.0.0.2:{two.port}/ok?n={i}" for i in range(3)]
    code, _, err = run(
        tmp_path,
        urls,
        """\
        [hosts."127.0.0.1"]
        max-per-host = 1

        [hosts."127.0.0.2"]
        delay = 0.3
        """,
        "--max-per-host",
        "8",
    )
    assert code == 0, err
    assert len(one.record.requests) == 4
    assert one.record.most_in_flight == 1
    starts = sorted(s.started for s in two.record.requests)
    assert len(starts) == 3
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # Server-side arrival times jitter under load, the first most (a new connection, a
    # new server thread: it once arrived 0.2 s after it left, gaps 0.1 s and 0.3 s), so
    # the first gap is judged only within the span; without the delay all are ~0 s.
    assert gaps[1] >= 0.2, gaps
    assert starts[-1] - starts[0] >= 0.35, gaps


def test_rewrites_are_applied_before_fetching_and_shown(
    one: RecordingServer, tmp_path: Path
) -> None:
    cited = "http://old-site.invalid/reports/2022"
    code, out, err = run(
        tmp_path,
        [cited],
        f"""\
        [[rewrite]]
        from = "http://old-site.invalid"
        to = "http://127.0.0.1:{one.port}"
        """,
    )
    assert code == 0, err
    link = by_url(out)[cited]
    assert link["status"] == "ok"
    assert link["rewritten_url"] == f"http://127.0.0.1:{one.port}/reports/2022"
    assert link["rewrite_rules"] == [f"http://old-site.invalid → http://127.0.0.1:{one.port}"]
    assert "fetched as" in str(link["detail"])
    assert one.record.paths() == ["/reports/2022"]
    # In the table too, for people.
    code, out, _ = run(
        tmp_path,
        [cited],
        f"""\
        [[rewrite]]
        from = "http://old-site.invalid"
        to = "http://127.0.0.1:{one.port}"
        """,
        fmt="markdown",
    )
    assert "fetched as" in out
    assert f"127.0.0.1:{one.port}/reports/2022" in out


def test_rewrite_matches_whole_host_names_only(one: RecordingServer, tmp_path: Path) -> None:
    lookalike = "http://old-site.invalid.example.invalid/x"
    _, out, _ = run(
        tmp_path,
        [lookalike],
        f"""\
        [[rewrite]]
        from = "http://old-site.invalid"
        to = "http://127.0.0.1:{one.port}"
        """,
        "--retries",
        "0",
    )
    link = by_url(out)[lookalike]
    assert link["rewritten_url"] is None
    assert link["status"] == "unreachable"
    assert one.record.requests == []


def test_fail_on_http_makes_plain_http_citations_fail(
    one: RecordingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{one.port}/ok"
    code, out, _ = run(tmp_path, [url], "")
    assert code == 0
    assert by_url(out)[url]["status"] == "ok"
    assert "insecure" in by_url(out)[url]["warnings"]  # type: ignore[operator]
    code, out, _ = run(tmp_path, [url], "fail-on-http = true\n")
    assert code == 1
    link = by_url(out)[url]
    assert link["status"] == "insecure"
    assert "cited with plain http" in str(link["detail"])
    assert json.loads(out)["summary"]["failing"] == 1
    # Also from the command line and from the environment.
    code, out, _ = run(tmp_path, [url], "", "--fail-on-http")
    assert code == 1
    monkeypatch.setenv("CLAIMCHECK_FAIL_ON_HTTP", "true")
    code, out, _ = run(tmp_path, [url], "")
    assert (code, by_url(out)[url]["status"]) == (1, "insecure")
