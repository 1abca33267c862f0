"""Scripted loopback servers for the transport's tests: one that answers each request as
a script says, one that hangs up at once, and a port whose connections hang."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

PAGE = b"<html><head><title>Report finds 54 stations</title></head><body>x</body></html>"

# (path, connection number, request number on it) -> (bytes to send, close afterwards)
Script = Callable[[str, int, int], tuple[bytes, bool]]


def ok(body: bytes = PAGE, extra: bytes = b"") -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    return head + extra + b"Content-Length: %d\r\n\r\n" % len(body) + body


@dataclass
class Scripted:
    """A loopback server answering each request as ``script`` says; it counts the
    connections it accepted and the bytes it managed to send."""

    script: Script
    sock: socket.socket = field(default_factory=socket.socket)
    host: str = "127.0.0.1"
    connections: int = 0
    hung_up: int = 0
    """Connections the client closed (or reset) while this server waited for a request
    or was still sending an answer."""
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    tls: ssl.SSLContext | None = None
    """Speak TLS with this (server) context."""

    def url(self, path: str, scheme: str = "http") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.sock.getsockname()[1]}{path}"

    def serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                number = self.connections
                self.connections += 1
            threading.Thread(target=self.answer, args=(conn, number), daemon=True).start()

    def answer(self, conn: socket.socket, number: int) -> None:
        conn.settimeout(5)
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                conn.close()
                return
        buf = b""
        with conn:
            for index in range(100):  # bounded: at most 100 requests per connection
                while b"\r\n\r\n" not in buf:
                    try:
                        data = conn.recv(65536)
                    except OSError:
                        data = b""
                    if not data:
                        with self.lock:
                            self.hung_up += 1
                        return
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                path = head.split(b" ")[1].decode()
                reply, close = self.script(path, number, index)
                try:
                    for at in range(0, len(reply), 65536):
                        conn.sendall(reply[at : at + 65536])
                        with self.lock:
                            self.sent += len(reply[at : at + 65536])
                except OSError:  # the client hung up before taking the whole answer
                    with self.lock:
                        self.hung_up += 1
                    return
                if close:
                    return


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], Scripted]]:
    servers: list[Scripted] = []

    def start(
        script: Script, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
    ) -> Scripted:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server = Scripted(script, sock=socket.socket(family), host=host, tls=tls)
        server.sock.bind((host, 0))
        server.sock.listen(64)
        threading.Thread(target=server.serve, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop.set()
        server.sock.close()


@dataclass
class HangUp:
    """A loopback server that accepts connections and hangs up at once, reading
    nothing (a TLS handshake meets a reset)."""

    sock: socket.socket = field(default_factory=socket.socket)
    accepted: int = 0

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()


@contextmanager
def hanging_up(host: str = "127.0.0.1") -> Iterator[HangUp]:
    """A :class:`HangUp` server on ``host`` for the duration."""
    server = HangUp(socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET))
    server.sock.bind((host, 0))
    server.sock.listen(16)
    threading.Thread(target=server.serve, daemon=True).start()
    try:
        yield server
    finally:
        server.sock.close()


@pytest.fixture
def hang_up() -> Iterator[HangUp]:
    with hanging_up() as server:
        yield server


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port whose connections hang: a listener with a full backlog drops new SYNs."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = int(srv.getsockname()[1])
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        yield port
    finally:
        filler.close()
        srv.close()
