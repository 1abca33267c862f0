"""Several ledgers in one link run: each URL fetched once, results told per ledger."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck import api
from claimcheck.cli import app
from claimcheck.results import ExitCode, LinkStatus

from .conftest import LoopServer, fast_options


def _ledger(path: Path, urls: dict[str, str]) -> Path:
    """A valid ledger with one source per ``id: url`` and one claim on each."""
    data = {
        "sources": [{"id": sid, "title": "Page", "url": url} for sid, url in urls.items()],
        "claims": [
            {"id": f"claim-{sid}", "kind": "fact", "text": "t", "quote": "q", "sources": [sid]}
            for sid in urls
        ],
    }
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_a_url_cited_by_two_ledgers_is_fetched_once(server: LoopServer, tmp_path: Path) -> None:
    alone = _ledger(tmp_path / "alone.json", {"s": server.url("/flaky?k=alone&fail=0")})
    api.links(alone, fast_options())
    one_fetch = server.state.counts["flakyalone"]  # however many requests a check makes

    shared = server.url("/flaky?k=shared&fail=0")
    a = _ledger(tmp_path / "a.json", {"first": shared, "dead": server.url("/status/404")})
    b = _ledger(tmp_path / "b.json", {"second": shared})
    calls: list[tuple[int, int]] = []
    report = api.links([a, b], fast_options(), progress=lambda d, t: calls.append((d, t)))
    assert server.state.counts["flakyshared"] == one_fetch
    assert calls[-1] == (2, 2)  # two distinct URLs
    part_a, part_b = report.parts
    assert [(r.url, r.sources, r.claims) for r in part_b.links or []] == [
        (shared, ("second",), ("claim-second",))
    ]
    assert {r.sources for r in part_a.links or []} == {("first",), ("dead",)}
    assert part_a.exit_code == ExitCode.FINDINGS and part_b.exit_code == ExitCode.OK
    assert report.exit_code == ExitCode.FINDINGS
    assert report.link_summary is not None and report.link_summary.total == 2
    assert part_a.link_summary is not None and part_a.link_summary.failing == 1


def test_verify_over_two_ledgers_checks_links_once(server: LoopServer, tmp_path: Path) -> None:
    shared = server.url("/flaky?k=verify&fail=0")
    a = _ledger(tmp_path / "a.json", {"x": shared})
    b = _ledger(tmp_path / "b.json", {"y": shared})
    report = api.verify([a, b], api.VerifyOptions(links=fast_options()))
    assert [p.links[0].status for p in report.parts if p.links] == [LinkStatus.OK] * 2
    assert report.link_summary is not None and report.link_summary.total == 1


def test_links_json_over_two_ledgers(server: LoopServer, tmp_path: Path) -> None:
    a = _ledger(tmp_path / "a.json", {"x": server.url("/ok")})
    b = _ledger(tmp_path / "b.json", {"y": server.url("/status/410")})
    args = ["links", "-f", "json", "--allow-private", "--no-cache", "--no-archive", str(a), str(b)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(e["ledger"], e["exit_code"]) for e in data["ledgers"]] == [(str(a), 0), (str(b), 1)]
    assert [(link["ledger"], link["status"]) for link in data["links"]] == [
        (str(a), "ok"),
        (str(b), "gone"),
    ]
    assert data["summary"]["total"] == 2 and data["summary"]["ok"] is False


def test_workers_share_the_global_limit_by_their_hosts() -> None:
    from claimcheck.links.shard import shard_groups
    from claimcheck.links.workers import concurrency_shares

    urls = [f"http://h{i % 8}.example/p{i}" for i in range(80)]
    dealt = shard_groups(urls, urls, 3)
    hosts = [n for _, n in dealt]
    assert sorted(hosts) == [2, 3, 3]
    assert sorted(len(g) for g, _ in dealt) == [20, 30, 30]
    # 32 in flight, 4 per host: three hosts of eight get 12, and can use all of it.
    shares = concurrency_shares(32, hosts)
    assert sorted(shares) == [8, 12, 12]
    assert concurrency_shares(32, [4, 4]) == [16, 16]
    assert concurrency_shares(2, [1, 1, 1]) == [1, 1, 1]  # at least one each
    assert sum(concurrency_shares(10, [3, 3, 2])) <= 10


def test_a_worker_given_one_busy_host_may_still_use_that_hosts_limit() -> None:
    from claimcheck.links.shard import shard_groups
    from claimcheck.links.workers import concurrency_shares

    # A ledger citing one site 400 times and 150 others once: the site fills a worker
    # alone. Its share by hosts (one of 151) would be one request at a time: 400 in a
    # row, where the site allows four at once.
    urls = [f"http://big.example/p{i}" for i in range(400)]
    urls += [f"http://h{i}.example/" for i in range(150)]
    dealt = shard_groups(urls, urls, 2)
    hosts = [n for _, n in dealt]
    assert sorted(hosts) == [1, 150]
    shares = concurrency_shares(64, hosts, per_host=4)
    assert shares[hosts.index(1)] == 4
    assert shares[hosts.index(150)] == 63


def _http_server(host: str, root: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A static file server in its own process (a thread here would make the run spawn
    its workers instead of forking them)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    cmd = [sys.executable, "-m", "http.server", str(port), "--bind", host, "-d", str(root)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):  # bounded: 10 s at most
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return proc, port
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the file server did not start")


_COLLECTABLE = """
import gc, sys, weakref
from claimcheck.links import check_ledger_links
from claimcheck.links.workers import start_method
from tests.links.conftest import fast_options, ledger_of

assert start_method() == "fork"  # this process has one thread


class Node:
    me: object


gc.disable()  # the cycle stays garbage until the run, not collected before it
node = Node()
node.me = node
ref = weakref.ref(node)
del node
results, _ = check_ledger_links(ledger_of(*sys.argv[1:], title="Page"), fast_options(workers=2))
gc.enable()
gc.collect()
print([r.status.value for r in results], ref() is None)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_leave_the_callers_garbage_collectable(tmp_path: Path) -> None:
    # The run freezes what its forked workers inherit; a library caller's memory must be
    # collectable again once the run is over (a long-lived process calls it many times).
    # Run in a process of its own: a thread left by another test would make it spawn.
    (tmp_path / "p.html").write_text("<html><head><title>Page</title></head></html>")
    hosts = ("127.0.0.1", "127.0.0.2")
    servers = [_http_server(host, tmp_path) for host in hosts]
    try:
        urls = [
            f"http://{host}:{port}/p.html?{i}"
            for i in range(4)
            for host, (_, port) in zip(hosts, servers, strict=True)
        ]
        root = Path(__file__).parents[2]
        run = subprocess.run(
            [sys.executable, "-c", _COLLECTABLE, *urls],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.stdout.strip() == f"{['ok'] * len(urls)} True", run.stderr[-2000:]
    finally:
        for proc, _ in servers:
            proc.kill()
            proc.wait()
