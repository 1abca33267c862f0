"""Pages that trip the parser are not called dead; bad User-Agents are usage errors (7.5)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimcheck.links import check_ledger_links
from claimcheck.results import LinkStatus
from tests.serving import serving

from .conftest import TITLE, fast_options, ledger_of

BAD_LOCATIONS = ["http://[::1", "http://a.example/b\x01c", "http://a.example/\x7f"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        if self.path.startswith("/charset/"):
            label = self.path.removeprefix("/charset/")
            body = (
                f'<!doctype html><html><head><meta charset="{label}">'
                f"<title>{TITLE}</title></head><body><h1>{TITLE}</h1></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/header-charset/"):
            label = self.path.removeprefix("/header-charset/")
            body = f"<html><head><title>{TITLE}</title></head></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", f"text/html; charset={label}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        i = int(self.path.removeprefix("/badloc/"))
        self.send_response(302)
        self.send_header("Location", BAD_LOCATIONS[i])
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture(scope="module")
def srv() -> Iterator[Server]:
    server = Server()
    with serving(server):
        yield server


LABELS = ["undefined", "hex", "zlib", "rot13", "base64", "bz2", "uu", "quopri", "no-such-codec"]


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("where", ["charset", "header-charset"])
def test_a_non_text_charset_falls_back_and_the_page_is_ok(
    srv: Server, label: str, where: str
) -> None:
    results, _ = check_ledger_links(ledger_of(srv.url(f"/{where}/{label}")), fast_options())
    assert results[0].status is LinkStatus.OK, results[0].detail
    assert not results[0].warnings or "title-mismatch" not in {w.value for w in results[0].warnings}


@pytest.mark.parametrize("i", range(len(BAD_LOCATIONS)))
def test_a_redirect_to_a_url_the_client_rejects_is_broken_and_not_retried(
    srv: Server, i: int
) -> None:
    results, _ = check_ledger_links(ledger_of(srv.url(f"/badloc/{i}")), fast_options(retries=2))
    assert results[0].status is LinkStatus.BROKEN, results[0].detail
    assert srv.hits[f"/badloc/{i}"] == 1


@pytest.mark.parametrize("agent", ["claimcheck\r\nX-Injected: 1", "claimcheck\n", "café", ""])
def test_a_user_agent_that_cannot_be_sent_is_a_usage_error(agent: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claimcheck", "links", "--user-agent", agent, "--no-cache"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "--user-agent" in result.stderr and "Traceback" not in result.stderr
