"""A real loopback HTTP server with one route per case the link checker must judge."""

from __future__ import annotations

import functools
import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from claimcheck.links import LinkOptions
from tests.serving import serving

from .scripted import black_hole, hang_up, scripted  # noqa: F401  (fixtures)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{h1}</h1>{extra}<p>Body text.</p></body></html>"""
TITLE = "Global temperatures hit record high in 2023"


def page(title: str = TITLE, h1: str | None = None, extra: str = "") -> bytes:
    return PAGE.format(title=title, h1=h1 if h1 is not None else title, extra=extra).encode()


@functools.cache
def bomb() -> bytes:
    """64 MiB of zeros behind an HTML head, gzipped to about 64 KiB."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing, built without 64 MiB in memory
    parts = [z.compress(b"<html><head><title>Bomb</title></head><body>")]
    zeros = b"\0" * (1 << 20)
    parts += [z.compress(zeros) for _ in range(64)]
    parts.append(z.flush())
    return b"".join(parts)


@dataclass
class ServerState:
    """What the routes remember between requests."""

    counts: dict[str, int] = field(default_factory=dict)
    captures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Archive fake: URL → [(timestamp, statuscode)]."""
    cdx_queries: list[dict[str, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str) -> int:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LoopServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_body(
        self,
        code: int,
        body: bytes = b"",
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, code: int, to: str, headers: dict[str, str] | None = None) -> None:
        self.send_body(code, b"", headers={"Location": to, **(headers or {})})

    def wait(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; True if the full time passed."""
        return not self.server.state.stop.wait(seconds)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        st = self.server.state
        parts = urlsplit(self.path)
        path, q = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        if path == "/ok" or path == "/":
            self.send_body(200, page(h1="Home" if path == "/" else TITLE))
        elif path == "/anchors":
            self.send_body(200, page(extra='<h2 id="methods">Methods</h2><a name="old-style"></a>'))
        elif path.startswith("/r/"):
            self.redirect(int(path[3:]), q.get("to", "/ok"))
        elif path == "/chain":
            self.redirect(301, "/chain2")
        elif path == "/chain2":
            self.redirect(302, "/chain3")
        elif path == "/chain3":
            self.redirect(307, "/ok")
        elif path == "/loop-a":
            self.redirect(302, "/loop-b")
        elif path == "/loop-b":
            self.redirect(302, "/loop-a")
        elif path.startswith("/hops/"):
            self.redirect(302, f"/hops/{int(path[6:]) + 1}")
        elif path.startswith("/status/"):
            self.send_body(int(path[8:]), b"<html><title>Error</title></html>")
        elif path == "/flaky":
            n = st.hit("flaky" + q.get("k", ""))
            if n <= int(q.get("fail", "1")):
                self.send_body(503, b"busy")
            else:
                self.send_body(200, page())
        elif path == "/retry-after":
            n = st.hit("ra" + q.get("k", ""))
            if n == 1:
                self.send_body(429, b"slow down", headers={"Retry-After": q.get("s", "1")})
            else:
                self.send_body(200, page())
        elif path == "/challenge":
            self.send_body(
                403,
                b"<html><head><title>Just a moment...</title></head><body>"
                b'<script src="https://challenges.cloudflare.com/x.js"></script></body></html>',
                headers={"Server": "cloudflare"},
            )
        elif path == "/challenge-503":
            st.hit("challenge-503")
            self.send_body(503, b"<html>challenge</html>", headers={"cf-mitigated": "challenge"})
        elif path == "/challenge-200":
            self.send_body(
                200,
                b"<html><head><title>Pardon Our Interruption</title></head><body>"
                b"Please verify you are a human</body></html>",
            )
        elif path == "/paywalled/article":
            self.redirect(302, "/account/login?next=/paywalled/article")
        elif path == "/account/login":
            self.send_body(200, page(title="Sign in | Daily Planet"))
        elif path == "/soft404":
            self.send_body(200, page(title="Page not found | Daily Planet", h1="Oops"))
        elif path == "/headline":
            self.send_body(200, page(title="Missing hikers still not found after ten days"))
        elif path == "/deep/article/2023/record-heat":
            self.redirect(302, "/")
        elif path == "/parked":
            self.send_body(200, page(title="dailyplanet.com is for sale | HugeDomains"))
        elif path == "/drifted":
            self.send_body(200, page(title="Best casino bonuses of 2026 - Top Slots"))
        elif path == "/updated-headline":
            self.send_body(
                200, page(title="Global temperatures hit a new record high - The Daily Planet")
            )
        elif path == "/pdf":
            self.send_body(200, b"%PDF-1.4 " + b"x" * 100_000, ctype="application/pdf")
        elif path == "/gzip":
            body = gzip.compress(page(extra='<div id="deep">x</div>'))
            self.send_body(200, body, headers={"Content-Encoding": "gzip"})
        elif path == "/deflate":
            self.send_body(200, zlib.compress(page()), headers={"Content-Encoding": "deflate"})
        elif path == "/bomb":
            self.send_body(200, bomb(), headers={"Content-Encoding": "gzip"})
        elif path == "/cookie":
            if "visited=1" in (self.headers.get("Cookie") or ""):
                self.send_body(200, page())
            else:
                self.redirect(302, "/cookie", headers={"Set-Cookie": "visited=1; Path=/"})
        elif path == "/slow":
            if self.wait(float(q.get("s", "2"))):
                self.send_body(200, page())
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><head>")
            self.wfile.flush()
            self.wait(2.0)
            self.close_connection = True
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"<html><head><title>drip</title></head><body>")
            deadline = time.monotonic() + 3
            try:
                while time.monotonic() < deadline and self.wait(0.05):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True
        elif path == "/stall-after-head":
            # Headers, then the first kilobyte (title and heading), then nothing.
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "50000")
            self.end_headers()
            self.wfile.write(page().ljust(1024, b" "))
            self.wfile.flush()
            self.wait(2.0)
            self.close_connection = True
        elif path == "/blog/2019/05/removed-post":
            self.redirect(301, "/blog/")
        elif path == "/blog/":
            self.send_body(200, page(title="Blog | Daily Planet", h1="Latest posts"))
        elif path == "/blog/2019/05/renamed-post":
            self.redirect(301, "/blog/2019/05/record-heat")
        elif path == "/blog/2019/05/record-heat":
            self.send_body(200, page())
        elif path == "/refresh":
            to = q.get("to", "/gone-page")
            self.send_body(
                200,
                f'<html><head><meta http-equiv="refresh" content="0; url={to}">'
                "<title>Redirecting</title></head><body></body></html>".encode(),
            )
        elif path == "/js-redirect":
            self.send_body(
                200,
                b"<html><head><title>Redirecting</title><script>window.location.href="
                b'"/status/410";</script></head><body>Redirecting...</body></html>',
            )
        elif path == "/self-refreshing":
            # A real page that reloads itself every five minutes is not a redirect.
            self.send_body(
                200,
                page(extra='<meta http-equiv="refresh" content="300">' + "<p>news</p>" * 600),
            )
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"lorem ipsum " * 5000 + b"</p>\n"
            deadline = time.monotonic() + 5
            try:
                self.wfile.write(b"<html><head><title>Endless</title></head><body><h1>E</h1>")
                while time.monotonic() < deadline and not st.stop.is_set():
                    self.wfile.write(chunk)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/cdx/search/cdx":
            self.cdx(q)
        elif path.startswith("/web/"):
            self.send_body(200, page())
        else:
            self.send_body(404, b"<html><title>404 Not Found</title></html>")

    def cdx(self, q: dict[str, str]) -> None:
        """A fake of the Wayback CDX API: url, from, to, limit (negative: the last N)."""
        st = self.server.state
        st.cdx_queries.append(q)
        if q.get("url") == "overloaded":
            self.send_body(503, b"")
            return
        rows = sorted(st.captures.get(q.get("url", ""), []))
        if q.get("filter") == "statuscode:2..":
            rows = [r for r in rows if r[1].startswith("2")]
        if "from" in q:
            rows = [r for r in rows if r[0] >= q["from"].ljust(14, "0")]
        if "to" in q:
            rows = [r for r in rows if r[0] <= q["to"].ljust(14, "9")]
        limit = int(q.get("limit", "0"))
        if limit > 0:
            rows = rows[:limit]
        elif limit < 0:
            rows = rows[limit:]
        out: list[list[str]] = []
        if rows:
            out = [["timestamp", "original", "statuscode"]]
            out += [[ts, q["url"], code] for ts, code in rows]
        self.send_body(200, json.dumps(out).encode(), ctype="application/json")


class LoopServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), Handler)
        self.state = ServerState()

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up mid-body (the checker stops reading early) is normal."""
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path


_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host: object, *args: object, **kwargs: object) -> object:
    """Resolve loopback names and addresses only: no test can reach the internet."""
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name == "localhost" or name.startswith("127.") or name in ("::1", "0:0:0:0:0:0:0:1"):
        return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
    raise socket.gaierror(socket.EAI_NONAME, f"tests resolve loopback only, not {name}")


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopServer]:
    srv = LoopServer("127.0.0.1")
    with serving(srv, release=srv.state.stop):
        yield srv


@pytest.fixture
def refused_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def network_up() -> bool:
    return True


async def network_down() -> bool:
    return False


def fast_options(**kw: object) -> LinkOptions:
    """Options for tests: short timeouts, tiny backoff, loopback allowed, no cache, no archive."""
    base: dict[str, object] = {
        "timeout": 0.6,
        "retries": 1,
        "backoff_base": 0.01,
        "backoff_cap": 0.05,
        "retry_after_cap": 1.5,
        "allow_private": True,
        "use_cache": False,
        "archive": False,
        "network_probe": network_up,
    }
    base.update(kw)
    return LinkOptions(**base)  # type: ignore[arg-type]


@dataclass
class Src:
    id: str
    url: str | None
    archive_url: str | None = None
    title: str | None = None
    published: str | None = None
    accessed: str | None = None


@dataclass
class Clm:
    id: str
    sources: list[str]


@dataclass
class Ldg:
    sources: list[Src]
    claims: list[Clm]


def ledger_of(*urls: str, title: str | None = TITLE) -> Ldg:
    """One source and one claim per URL."""
    sources = [Src(id=f"s{i}", url=u, title=title) for i, u in enumerate(urls)]
    claims = [Clm(id=f"c{i}", sources=[f"s{i}"]) for i in range(len(urls))]
    return Ldg(sources=sources, claims=claims)


@pytest.fixture
def tmp_cache(tmp_path: Path) -> Path:
    return tmp_path / "links.sqlite3"
