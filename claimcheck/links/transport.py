"""HTTP/1.1 for the link and evidence checks: h11 over asyncio protocols, under httpx.

httpx's default transport goes through httpcore's connection pool and anyio's streams:
measured on loopback, 0.65 ms of CPU per small request (0.83 ms for a 250 KB page),
where h11 over an asyncio protocol needs 0.19 ms (0.39 ms), and httpx's client layer
above a transport 0.09 ms. A run of thousands of links is CPU-bound on those layers
(``bench/bench_links.py``), so direct connections use this transport; proxied ones keep
httpcore's (CONNECT tunnels). The protocol itself stays h11's, the engine httpcore uses:
nothing here parses HTTP by hand.

Every connection goes through :class:`~claimcheck.links.fetch.GuardedBackend`'s
resolution and safety rule, as with httpcore. Connections are kept alive per origin and
reused only when h11 says both sides finished a clean exchange; what arrives on an idle
connection (data or a close) retires it. Reading is paused while more than
:data:`HIGH_WATER` bytes wait to be consumed, so a fast server cannot fill memory ahead
of the body caps.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import h11
import httpx

if TYPE_CHECKING:
    from claimcheck.links.fetch import GuardedBackend

__all__ = ["LeanTransport"]

HIGH_WATER = 256 * 1024
"""Bytes received but not yet consumed above which reading pauses."""
MAX_HEAD = 100 * 1024
"""Largest response head accepted (httpcore's limit too)."""

MAX_INFORMATIONAL = 16
"""1xx answers skipped before the response (an endless stream of them is not one)."""

NO_RESPONSE = "Server disconnected without sending a response."
"""What a server that hangs up before answering is said to have done (httpcore's words)."""

MAX_IDLE = 256
"""Idle kept-alive connections at most, all hosts of a process's run together (the
oldest is closed first): a ledger citing thousands of sites must not hold a socket open
to each (a process may open 1,024 files by default)."""

Origin = tuple[str, str, int]


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: bytes in, h11 events out, one exchange at a time."""

    transport: asyncio.Transport
    """Set by asyncio (``connection_made``) before the connection is handed over."""

    def __init__(self) -> None:
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD)
        self.closed = False
        self.idle_since: float | None = None
        self.heard = False
        """Whether any byte arrived since the last request was sent."""
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._pending = 0
        """Bytes received and not yet handed on as h11 events."""

    # --- asyncio callbacks -------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.idle_since is not None:
            self.close()  # nothing is owed on an idle connection: it cannot be reused
            return
        self.h11.receive_data(data)
        self.heard = True
        self._pending += len(data)
        if self._pending > HIGH_WATER:
            self.transport.pause_reading()  # resumed when the reader wants more
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        # The default eof_received closes the transport, so a server's EOF lands here.
        self.closed = True
        if exc is None:
            self.h11.receive_data(b"")  # h11 then says whether the answer was complete
        else:
            self._error = exc
        self._wake()

    # --- used by the transport ---------------------------------------------------------

    def usable(self, now: float, expiry: float) -> bool:
        """Whether this idle connection can carry another request."""
        return (
            not self.closed
            and self.idle_since is not None
            and now - self.idle_since < expiry
            and self.h11.our_state is h11.IDLE
            and self.h11.their_state is h11.IDLE
        )

    def send(self, request: httpx.Request) -> None:
        """Write the request (its body, if any, is not sent: the checks only GET)."""
        self.heard = False
        if self.closed:
            raise httpx.WriteError("the connection is closed")
        try:  # h11 checks the request as it builds the event
            event = h11.Request(
                method=request.method,
                target=request.url.raw_path,
                headers=list(request.headers.raw),
            )
            pieces = (self.h11.send(event), self.h11.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as exc:
            raise httpx.LocalProtocolError(str(exc)) from exc
        for piece in pieces:
            if piece:  # the end of a request without a body is no bytes
                self.transport.write(piece)

    async def next_event(self, timeout: float | None) -> object:
        """The next h11 event, waiting up to ``timeout`` seconds for more bytes."""
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                if not self.heard:  # only a close can be wrong before any byte
                    raise httpx.RemoteProtocolError(NO_RESPONSE) from exc
                raise httpx.RemoteProtocolError(str(exc)) from exc
            if event is not h11.NEED_DATA:
                if isinstance(event, h11.Data):
                    self._pending -= len(event.data)
                return event
            if self._error is not None:
                raise httpx.ReadError(str(self._error) or "connection reset") from self._error
            self._pending = 0
            self._read_on()
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self._waiter
            except TimeoutError:
                raise httpx.ReadTimeout("read timed out") from None
            finally:
                self._waiter = None

    def finished_cleanly(self) -> bool:
        """Whether the exchange ended with both sides done and may be followed by
        another (then the connection is reset for it)."""
        if (self.h11.our_state, self.h11.their_state) != (h11.DONE, h11.DONE):
            return False
        unread, eof = self.h11.trailing_data
        if unread or eof:
            return False  # bytes after the answer would be read as the next one's
        self.h11.start_next_cycle()
        # An answer read to its end from what had arrived may have left reading paused:
        # an idle connection must read, so that what arrives on it retires it.
        self._read_on()
        return True

    def close(self) -> None:
        """Close at once (an unfinished exchange cannot be resumed)."""
        self.closed = True
        self.transport.abort()

    def _read_on(self) -> None:
        """Resume reading if it was paused above :data:`HIGH_WATER`."""
        if not self.transport.is_reading():
            self.transport.resume_reading()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class _Body(httpx.AsyncByteStream):
    """A response's body as its chunks arrive; closing it returns or retires the
    connection."""

    def __init__(
        self, pool: LeanTransport, origin: Origin, conn: _Connection, timeout: float | None
    ) -> None:
        self._pool = pool
        self._origin = origin
        self._conn: _Connection | None = conn
        self._timeout = timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        # h11 ends a body with EndOfMessage, or raises when the server cuts it short.
        while isinstance(event := await conn.next_event(self._timeout), h11.Data):
            yield bytes(event.data)

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._pool.release(self._origin, conn, conn.finished_cleanly())


class LeanTransport(httpx.AsyncBaseTransport):
    """Direct HTTP/1.1 connections through the guarded backend, kept alive per origin,
    at most ``max_connections`` at once."""

    def __init__(
        self,
        backend: GuardedBackend,
        ssl_context: ssl.SSLContext,
        max_connections: int,
        keepalive_expiry: float,
    ) -> None:
        self.backend = backend
        self.ssl_context = ssl_context
        self.keepalive_expiry = keepalive_expiry
        self._slots = asyncio.Semaphore(max(1, max_connections))
        self._idle: dict[Origin, list[_Connection]] = {}
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and return its response with the body still to read."""
        if request.url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported scheme {request.url.scheme!r}")
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        # The name as httpcore gives it to the backend: lower-case ASCII (IDNA).
        host = request.url.raw_host.decode("ascii").lower()
        origin = (request.url.scheme, host, _port(request.url))
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await self._slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no connection free in time") from None
        try:
            conn, event = await self._exchange(origin, request, timeouts)
        except BaseException:
            self._slots.release()
            raise
        return httpx.Response(
            status_code=event.status_code,
            headers=event.headers.raw_items(),
            stream=_Body(self, origin, conn, timeouts.get("read")),
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": event.reason,
            },
        )

    async def _exchange(
        self, origin: Origin, request: httpx.Request, timeouts: dict[str, Any]
    ) -> tuple[_Connection, h11.Response]:
        """Send ``request`` and read its response head, on a kept-alive connection if
        one is free. If the server closed that one meanwhile (it may hang up just as the
        request leaves), it fails before any byte of an answer: the request, a GET, is
        then sent once more on a new connection."""
        conn = self._reused(origin)
        if conn is not None:
            try:
                return conn, await self._ask(conn, request, timeouts.get("read"))
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                if conn.heard:
                    raise
        conn = await self._connect(origin, timeouts.get("connect"))
        return conn, await self._ask(conn, request, timeouts.get("read"))

    @staticmethod
    async def _ask(
        conn: _Connection, request: httpx.Request, timeout: float | None
    ) -> h11.Response:
        """Send ``request`` on ``conn`` and read the response head (``conn`` is closed
        if that fails)."""
        try:
            conn.send(request)
            for _ in range(MAX_INFORMATIONAL + 1):
                event = await conn.next_event(timeout)
                if isinstance(event, h11.Response):
                    return event
                # h11 gives nothing but informational (1xx) answers before the head
            raise httpx.RemoteProtocolError(
                f"more than {MAX_INFORMATIONAL} informational (1xx) answers"
            )
        except BaseException:
            conn.close()
            raise

    def release(self, origin: Origin, conn: _Connection, reusable: bool) -> None:
        """Take back a connection after its response was closed."""
        if reusable and not self._closed and not conn.closed:
            conn.idle_since = time.monotonic()
            self._idle.setdefault(origin, []).append(conn)
            idle = _idle_everywhere()
            idle[conn] = None
            while len(idle) > MAX_IDLE:
                oldest, _ = idle.popitem(last=False)
                oldest.close()  # its transport drops it when it next looks
        else:
            conn.close()
        self._slots.release()

    async def aclose(self) -> None:
        """Close every idle connection (those in use close with their response)."""
        self._closed = True
        idle = _idle_everywhere()
        for conns in self._idle.values():
            for conn in conns:
                idle.pop(conn, None)
                conn.close()
        self._idle.clear()

    def _reused(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            _idle_everywhere().pop(conn, None)
            if conn.usable(now, self.keepalive_expiry):
                conn.idle_since = None
                return conn
            conn.close()
        return None

    async def _connect(self, origin: Origin, timeout: float | None) -> _Connection:
        """Connect to the first safe address of the origin's host that accepts."""
        scheme, host, port = origin
        addresses = await self.backend.safe_addresses(host, port)
        errors: list[httpx.TransportError] = []
        for address in addresses:
            try:
                async with asyncio.timeout(timeout):
                    conn = await self._open(address, port, host, scheme == "https")
            except TimeoutError:
                errors.append(httpx.ConnectTimeout("connect timed out"))
            except OSError as exc:
                error = httpx.ConnectError(str(exc))
                error.__cause__ = exc
                errors.append(error)
            else:
                self.backend.connected.add(host)  # lower-case already
                return conn
        if not errors:
            raise httpx.ConnectError(f"{host} has no address")
        refused = [e for e in errors if isinstance(e.__cause__, ConnectionRefusedError)]
        raise (refused or errors)[-1]

    async def _open(self, address: str, port: int, host: str, tls: bool) -> _Connection:
        """A connection to ``address``; over TLS for ``host`` when ``tls``. A handshake
        that fails (the server hangs up on it too) is a TLS failure, not the network's:
        it is raised as :class:`httpx.ConnectError` at once, as httpcore does."""
        loop = asyncio.get_running_loop()
        if not tls:
            return (await loop.create_connection(_Connection, address, port))[1]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family)  # a stream socket
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, (address, port))
        except BaseException:
            sock.close()
            raise
        try:
            _, conn = await loop.create_connection(
                _Connection, sock=sock, ssl=self.ssl_context, server_hostname=host
            )
        except ssl.SSLError as exc:
            sock.close()
            raise httpx.ConnectError(str(exc)) from exc
        except OSError as exc:
            sock.close()
            raise httpx.ConnectError(f"SSL handshake broken off: {exc}") from exc
        except BaseException:
            sock.close()
            raise
        return conn


_IDLE: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, OrderedDict[_Connection, None]]
_IDLE = weakref.WeakKeyDictionary()


def _idle_everywhere() -> OrderedDict[_Connection, None]:
    """The idle connections of every transport on this event loop, oldest first."""
    loop = asyncio.get_running_loop()
    idle = _IDLE.get(loop)
    if idle is None:
        idle = _IDLE[loop] = OrderedDict()
    return idle


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)
