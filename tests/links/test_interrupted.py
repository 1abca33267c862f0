"""Ctrl-C or SIGTERM during a long run keeps what was checked; a rerun resumes (7.11)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import minimal_ledger
from tests.serving import serving

from .conftest import TITLE, page

FAST = 10
SLOW = 30


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        n = int(self.path.removeprefix("/p/"))
        if n >= FAST and self.server.slow.is_set() and self.server.stop.wait(30):
            return
        body = page()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with self.server.lock:
            self.server.served += 1


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.slow = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.served = 0

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/p/{n}"


@pytest.fixture
def srv() -> Iterator[Server]:
    server = Server()
    with serving(server, release=server.stop):
        yield server


def ledger(tmp_path: Path, srv: Server, slow: int = SLOW) -> Path:
    data = minimal_ledger()
    n = FAST + slow
    data["sources"] = [{"id": f"s{i}", "title": TITLE, "url": srv.url(i)} for i in range(n)]
    data["claims"][0]["sources"] = [f"s{i}" for i in range(n)]
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def links(path: Path, store: Path) -> list[str]:
    return [
        sys.executable, "-m", "claimcheck", "links", str(path), "--cache", str(store),
        "--allow-private", "--no-archive", "--timeout", "60", "--retries", "0",
        "--format", "json",
    ]  # fmt: skip


WORKERS_SLOW = 500
"""Enough links for the run to use worker processes (forked: the command line runs no
other thread), whose results reach the store through the main process."""


@pytest.mark.parametrize(
    ("sig", "code", "slow"),
    [
        (signal.SIGINT, 130, SLOW),
        (signal.SIGTERM, 143, SLOW),
        (signal.SIGINT, 130, WORKERS_SLOW),
        (signal.SIGTERM, 143, WORKERS_SLOW),
    ],
)
def test_an_interrupted_run_keeps_its_results_and_a_rerun_resumes(
    tmp_path: Path, srv: Server, sig: signal.Signals, code: int, slow: int
) -> None:
    path, store = ledger(tmp_path, srv, slow), tmp_path / "links.sqlite3"
    srv.slow.set()
    with subprocess.Popen(links(path, store), stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
        deadline = time.monotonic() + 60
        while srv.served < FAST and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the slow ones are in flight
        p.send_signal(sig)
        _out, err = p.communicate(timeout=60)
    assert p.returncode == code, err
    assert b"Traceback" not in err
    with sqlite3.connect(store) as db:
        kept = db.execute("SELECT count(DISTINCT url) FROM history").fetchone()[0]
    assert kept == FAST
    # The rerun serves the ten from the store and fetches only the others.
    srv.slow.clear()
    before = srv.served
    result = subprocess.run(links(path, store), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    cached = [r for r in report["links"] if r["cached"]]
    assert len(cached) == FAST
    assert srv.served - before == slow


class Stopped(KeyboardInterrupt):
    """What a SIGTERM handler of the command line's kind raises."""


def test_sigterm_cancels_a_busy_run_which_unwinds_before_the_handler_raises() -> None:
    # The command line's SIGTERM handler raises. Raised in the middle of the run's work
    # (a store write, a batch of results), it would tear that work and leave asyncio an
    # unretrieved task exception, printed as a traceback; instead the run is cancelled
    # at its next wait, unwinds, and the handler raises once the loop is done.
    import asyncio
    import os

    from claimcheck.links.check import run_loop

    def handler(signum: int, frame: object) -> None:
        raise Stopped()

    seen: list[str] = []

    async def busy() -> None:
        try:
            for i in range(10_000):
                if i == 10:
                    os.kill(os.getpid(), signal.SIGTERM)
                sum(range(1000))  # working, not waiting, when the signal comes
                await asyncio.sleep(0)
        except BaseException as exc:
            seen.append(type(exc).__name__)
            raise

    async def run() -> None:
        await asyncio.gather(busy())  # the work in a task of its own, as the fetching

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        with pytest.raises(Stopped):
            run_loop(run())
        assert signal.getsignal(signal.SIGTERM) is handler  # restored for the rest
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen == ["CancelledError"]
