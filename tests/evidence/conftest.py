"""A loopback site serving realistic pages and PDFs, with an archive endpoint of its own."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from claimcheck.links import LinkOptions
from tests.serving import serving


@dataclass
class Route:
    """What one path answers."""

    status: int = 200
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SiteState:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    captures: dict[str, list[tuple[str, bytes, str]]] = field(default_factory=dict)
    """Archive: original URL → [(timestamp, body, content type)]."""
    failing: dict[str, int] = field(default_factory=dict)
    """Archive: timestamps of captures listed in the index that answer this HTTP status."""
    capture_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Archive: more headers for the capture of each timestamp (``Content-Encoding``)."""
    drip: set[str] = field(default_factory=set)
    """Archive: timestamps whose capture is sent in ten pieces 0.2 s apart."""
    cdx_status: int = 200
    archive_delay: float = 0.0
    """Seconds each archive request (index or capture) takes."""
    in_flight: int = 0
    most_in_flight: int = 0
    """Archive requests being answered at once: now, and at most so far."""
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, route: Route) -> None:
        self.send_response(route.status)
        if route.ctype:
            self.send_header("Content-Type", route.ctype)
        self.send_header("Content-Length", str(len(route.body)))
        for k, v in route.headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(route.body)

    def do_GET(self) -> None:
        st: SiteState = self.server.state  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        with st.lock:
            st.hits[parts.path] = st.hits.get(parts.path, 0) + 1
        if parts.path == "/cdx/search/cdx" or parts.path.startswith("/web/"):
            with st.lock:
                st.in_flight += 1
                st.most_in_flight = max(st.most_in_flight, st.in_flight)
            try:
                time.sleep(st.archive_delay)
                if parts.path.startswith("/web/"):
                    self.capture(self.path[len("/web/") :])
                elif st.cdx_status != 200:
                    self.send(Route(st.cdx_status, b"index unavailable"))
                else:
                    self.cdx({k: v[0] for k, v in parse_qs(parts.query).items()})
            finally:
                with st.lock:
                    st.in_flight -= 1
            return
        route = st.routes.get(self.path) or st.routes.get(parts.path)
        self.send(route or Route(404, b"<html><title>404 Not Found</title></html>"))

    def cdx(self, q: dict[str, str]) -> None:
        st: SiteState = self.server.state  # type: ignore[attr-defined]
        rows = sorted((ts, "200") for ts, _, _ in st.captures.get(q.get("url", ""), []))
        if "from" in q:
            rows = [r for r in rows if r[0] >= q["from"].ljust(14, "0")]
        if "to" in q:
            rows = [r for r in rows if r[0] <= q["to"].ljust(14, "9")]
        limit = int(q.get("limit", "0"))
        rows = rows[:limit] if limit > 0 else rows[limit:] if limit < 0 else rows
        out: list[list[str]] = []
        if rows:
            out = [["timestamp", "original", "statuscode"]]
            out += [[ts, q["url"], code] for ts, code in rows]
        self.send(Route(200, json.dumps(out).encode(), "application/json"))

    def capture(self, rest: str) -> None:
        """``/web/<timestamp>[id_]/<original>``: the raw capture (``id_``) or a replay
        page with the archive's banner around it."""
        st: SiteState = self.server.state  # type: ignore[attr-defined]
        stamp, _, original = rest.partition("/")
        raw = stamp.endswith("id_")
        stamp = stamp.removesuffix("id_")
        if stamp in st.failing:
            self.send(Route(st.failing[stamp], b"try again later"))
            return
        for ts, body, ctype in st.captures.get(original, []):
            if ts == stamp:
                if not raw:
                    body = b"<div id='wm-toolbar'>Wayback Machine</div>" + body
                headers = st.capture_headers.get(stamp, {})
                if stamp in st.drip:
                    self.dribble(Route(200, body, ctype, headers))
                else:
                    self.send(Route(200, body, ctype, headers))
                return
        self.send(Route(404, b"not archived"))

    def dribble(self, route: Route) -> None:
        """Send ``route`` in ten pieces 0.2 s apart (each piece well within a read timeout)."""
        self.send_response(route.status)
        self.send_header("Content-Type", route.ctype)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        step = len(route.body) // 10 + 1
        for at in range(0, len(route.body), step):
            self.wfile.write(route.body[at : at + step])
            self.wfile.flush()
            time.sleep(0.2)


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = SiteState()

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes | str, **kw: Any) -> str:
        """Serve ``body`` at ``path``; returns its URL."""
        data = body.encode() if isinstance(body, str) else body
        self.state.routes[path] = Route(body=data, **kw)
        return self.url(path)

    def archive(self, path: str, stamp: str, body: bytes | str, ctype: str = "text/html") -> None:
        """Add a capture of ``path`` taken at ``stamp`` (YYYYMMDDhhmmss)."""
        data = body.encode() if isinstance(body, str) else body
        self.state.captures.setdefault(self.url(path), []).append((stamp, data, ctype))


_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host: object, *args: object, **kwargs: object) -> object:
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name == "localhost" or name.startswith("127."):
        return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
    raise socket.gaierror(socket.EAI_NONAME, f"tests resolve loopback only, not {name}")


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only)


@pytest.fixture
def site() -> Iterator[Site]:
    srv = Site()
    with serving(srv):
        yield srv


async def network_up() -> bool:
    return True


async def network_down() -> bool:
    return False


def options(site: Site, **kw: Any) -> LinkOptions:
    """Options for tests: short timeouts, loopback allowed, no store, the site's archive."""
    base: dict[str, Any] = {
        "timeout": 2.0,
        "retries": 0,
        "backoff_base": 0.01,
        "backoff_cap": 0.05,
        "allow_private": True,
        "use_cache": False,
        "archive": True,
        "archive_endpoint": site.base,
        "network_probe": network_up,
    }
    base.update(kw)
    return LinkOptions(**base)


def ledger(
    tmp_path: Path,
    sources: list[dict[str, Any]],
    claims: list[dict[str, Any]],
) -> Path:
    """Write a ledger of ``sources`` and ``claims`` (a measure ``stations`` is defined)."""
    data = {
        "sources": sources,
        "measures": [{"id": "stations", "name": "stations"}],
        "claims": claims,
    }
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def count_claim(cid: str, source: str, passage: str | None, value: int = 54) -> dict[str, Any]:
    """A count claim resting on ``source``, citing ``passage`` from it."""
    claim: dict[str, Any] = {
        "id": cid,
        "kind": "count",
        "text": f"{value} stations.",
        "quote": f"{value} stations",
        "sources": [source],
        "measure": "stations",
        "value": value,
    }
    if passage is not None:
        claim["passages"] = [{"source": source, "text": passage}]
    return claim
