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
    with serving(server):
        try:
            yield server
        finally:
            server.stop.set()  # release handlers still waiting before the shutdown


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
