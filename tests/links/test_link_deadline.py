"""One link's total time is bounded across retries and redirect hops (7.3)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimcheck.links import check_ledger_links
from claimcheck.results import LinkStatus
from tests.serving import serving

from .conftest import fast_options, ledger_of
from .netservers import RecordingServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.server.stop.wait(0.35):  # every answer is slow, just under the timeout
            return
        if self.path.startswith("/hop/"):
            n = int(self.path.removeprefix("/hop/"))
            self.send_response(302)
            self.send_header("Location", f"/hop/{n + 1}")
        else:
            self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.stop = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def srv() -> Iterator[Server]:
    server = Server()
    with serving(server, release=server.stop):
        yield server


@pytest.mark.parametrize(
    ("path", "retries"), [("/hop/0", 2), ("/busy", 6)], ids=["slow-hops", "slow-retries"]
)
def test_a_link_is_bounded_by_three_timeouts_in_all(srv: Server, path: str, retries: int) -> None:
    # Each answer takes 0.35 s of a 0.5 s timeout: without a total, ten hops (or seven
    # attempts with backoff) take 3.5 s or more. The total is 3 x 0.5 = 1.5 s.
    opts = fast_options(timeout=0.5, retries=retries, max_redirects=10)
    results, _ = check_ledger_links(ledger_of(srv.url(path)), opts)
    assert results[0].elapsed_ms < 2000, results[0].elapsed_ms
    assert results[0].status in (LinkStatus.TIMEOUT, LinkStatus.SERVER_ERROR)


# --- waiting for a busy host counts once the link has started --------------------------

BUSY = 6
"""Links holding the one slot of the busy host, 0.4 s each: 2.4 s in all, longer than
the 1.5 s total of a link at --timeout 0.5."""


@pytest.fixture
def hosts() -> Iterator[tuple[RecordingServer, RecordingServer]]:
    busy, other = RecordingServer("127.0.0.1"), RecordingServer("127.0.0.2")
    with serving(busy), serving(other):
        yield busy, other


def _busy_links(busy: RecordingServer) -> list[str]:
    return [f"http://127.0.0.1:{busy.port}/slow?s=0.4&n={i}" for i in range(BUSY)]


def test_a_retry_waiting_for_a_busy_host_ends_at_the_links_deadline(
    hosts: tuple[RecordingServer, RecordingServer],
) -> None:
    busy, _ = hosts
    # The first link gets the host's one slot first (links start in order) and a 503;
    # its retry queues behind the others, which take the slot for 2.4 s.
    first = f"http://127.0.0.1:{busy.port}/status/503"
    opts = fast_options(timeout=0.5, retries=1, max_per_host=1)
    results, _ = check_ledger_links(ledger_of(first, *_busy_links(busy)), opts)
    answered = results[0]
    # The retry never got a slot within the link's 1.5 s: the 503 it had stands, and
    # the link ended before the host was free.
    assert busy.record.paths().count("/status/503") == 1
    assert answered.status == LinkStatus.SERVER_ERROR
    assert answered.http_status == 503
    assert answered.elapsed_ms < max(r.elapsed_ms for r in results[1:])
    assert all(r.status == LinkStatus.OK for r in results[1:])


def test_a_redirect_hop_waiting_for_a_busy_host_times_out_at_the_links_deadline(
    hosts: tuple[RecordingServer, RecordingServer],
) -> None:
    busy, other = hosts
    hop = f"http://127.0.0.1:{busy.port}/slow?s=0.1&hop=1"
    first = f"http://127.0.0.2:{other.port}/redirect?to={hop}"
    opts = fast_options(timeout=0.5, retries=1, max_per_host=1)
    # The busy links go first so that they hold the host when the hop reaches it.
    results, _ = check_ledger_links(ledger_of(*_busy_links(busy), first), opts)
    hopped = results[-1]
    assert hopped.status == LinkStatus.TIMEOUT
    assert "waiting for a free slot" in (hopped.detail or "")
    assert hopped.elapsed_ms < max(r.elapsed_ms for r in results[:-1])
    assert len(busy.record.paths()) == BUSY  # the hop was never sent
