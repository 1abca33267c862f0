"""Real loopback servers for configuration tests: one that records what it receives (over
HTTP or HTTPS with a private CA), and a forward proxy (CONNECT and absolute-form GET)
that counts what it relays. Every loop is bounded by a deadline."""

from __future__ import annotations

import select
import socket
import socketserver
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .conftest import page

RELAY_DEADLINE = 10.0


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    started: float
    host: str


@dataclass
class Record:
    requests: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [s.path for s in self.requests]


class RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RecordingServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def reply(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        rec = self.server.record
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        seen = Seen(parts.path, dict(self.headers.items()), time.monotonic(), self.server.name)
        with rec.lock:
            rec.requests.append(seen)
            rec.in_flight += 1
            rec.most_in_flight = max(rec.most_in_flight, rec.in_flight)
        try:
            if parts.path.startswith("/status/"):
                self.reply(int(parts.path[8:]), b"<html><title>No</title></html>")
            elif parts.path == "/slow":
                time.sleep(float(q.get("s", "0.2")))
                self.reply(200, page())
            elif parts.path == "/redirect":
                self.reply(302, headers={"Location": q["to"]})
            else:
                self.reply(200, page())
        finally:
            with rec.lock:
                rec.in_flight -= 1


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, context: ssl.SSLContext | None = None, name: str = "") -> None:
        super().__init__((host, 0), RecordingHandler)
        self.record = Record()
        self.name = name or host
        if context is not None:
            self.socket = context.wrap_socket(self.socket, server_side=True)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up or fail the TLS handshake are part of the tests

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes or the deadline passes."""
    deadline = time.monotonic() + RELAY_DEADLINE
    socks = [a, b]
    while time.monotonic() < deadline:
        readable, _, _ = select.select(socks, [], [], 0.2)
        for s in readable:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            (b if s is a else a).sendall(data)


class ProxyHandler(socketserver.StreamRequestHandler):
    server: ForwardProxy

    def handle(self) -> None:
        line = self.rfile.readline(65536).decode("latin-1")
        headers: list[bytes] = []
        while True:
            h = self.rfile.readline(65536)
            if h in (b"\r\n", b"\n", b""):
                break
            headers.append(h)
        method, target, _ = line.split(" ", 2)
        with self.server.lock:
            self.server.requests.append((method, target))
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = self.server.route(host, int(port))
            if upstream is None:
                self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            with upstream:
                _relay(self.connection, upstream)
            return
        parts = urlsplit(target)
        upstream = self.server.route(parts.hostname or "", parts.port or 80)
        if upstream is None:
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kept = [h for h in headers if not h.lower().startswith((b"connection", b"proxy-"))]
        request = f"{method} {path} HTTP/1.1\r\n".encode() + b"".join(kept)
        with upstream:
            upstream.sendall(request + b"Connection: close\r\n\r\n")
            _relay(self.connection, upstream)


class ForwardProxy(socketserver.ThreadingTCPServer):
    """A forward proxy on loopback that resolves names through ``hosts`` only (as a
    corporate proxy resolves names the runner cannot), counting every request."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hosts: dict[str, tuple[str, int]]) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.hosts = hosts
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def route(self, host: str, port: int) -> socket.socket | None:
        address = self.hosts.get(f"{host}:{port}") or self.hosts.get(host)
        if address is None:
            return None
        try:
            return socket.create_connection(address, timeout=5)
        except OSError:
            return None

    def handle_error(self, request: object, client_address: object) -> None:
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"
