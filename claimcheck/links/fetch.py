"""Fetching one link: limits, retries, manual redirects and a bounded streaming body read.

Imported lazily (it imports httpx), only when links are actually checked.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import email.utils
import functools
import http.cookiejar
import importlib.util
import io
import random
import re
import ssl
import sys
import time
import zlib
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urldefrag, urljoin, urlsplit

import httpcore
import httpx

from claimcheck.links.network import redact_url
from claimcheck.links.page import PREFIX_CHARS, PageScanner, Parsed, WholePage
from claimcheck.links.policy import HostPolicy, policy_for, request_headers
from claimcheck.links.safety import NameNotResolved, Resolver, SafetyPolicy, TargetRefused
from claimcheck.links.transport import LeanTransport
from claimcheck.results import Hop

if importlib.util.find_spec("sniffio") is None:  # pragma: no branch
    # httpcore tries ``import sniffio`` on every lock it creates; when sniffio is absent
    # each attempt is a full search of sys.path (≈14 per request). A None entry makes the
    # failed import instant, and httpcore then assumes asyncio, which is what we run.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
CHALLENGE_STATUSES = frozenset({401, 403, 429, 503, 999})
"""Statuses whose body is read a little, to tell a bot challenge from a real error."""
SCAN_MIN = 64 * 1024
"""Decoded bytes after which a page without an ``<h1>`` is no longer read for one."""
ERROR_BODY = 16 * 1024
"""Bytes read from an error page: enough to recognise a challenge page."""


@dataclass(frozen=True)
class FetchSettings:
    """The knobs of the fetcher (a subset of ``LinkOptions``)."""

    timeout: float = 20.0
    retries: int = 2
    user_agent: str = "claimcheck"
    max_concurrency: int = 64
    max_per_host: int = 4
    max_redirects: int = 10
    body_cap: int = 2 * 1024 * 1024
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 10.0
    keep_body: bool = False
    """Read every 2xx body to its end (HTML or not) and keep it (the evidence check)."""


@dataclass
class PageInfo:
    """What was read of a response body."""

    content_type: str = ""
    html: bool = False
    title: str | None = None
    og_title: str | None = None
    h1: str | None = None
    fragment_found: bool | None = None
    """None when no fragment was looked for (or the page is not HTML)."""
    prefix: str = ""
    bytes_read: int = 0
    truncated: bool = False
    head_seen: bool = False
    """The title (or the start of the body) has been read."""
    stalled: str | None = None
    """Why reading stopped early (cut off) after the head was seen."""
    refresh_to: str | None = None
    """Where a trivial page sends the reader (a meta refresh or a one-line script)."""
    body: bytes | None = None
    """The decompressed body, kept only under ``keep_body`` (at most ``body_cap``)."""
    charset: str | None = None
    """The charset the response declared in its ``Content-Type``."""
    parsed: Parsed | None = None
    """The page read whole, as parsed for the checks above (handed to the evidence check,
    then dropped: it is not data to keep)."""


@dataclass
class FetchOutcome:
    """Everything the classifier needs about one link's fetch."""

    url: str
    final_url: str
    hops: list[Hop] = field(default_factory=list)
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    page: PageInfo | None = None
    error: str | None = None
    """``timeout``, ``dns``, ``connect`` (no reply: no route, nothing answered),
    ``connect-timeout``, ``refused`` (the host answered with a refusal), ``reset`` (a
    connection reset or broken off), ``tls``, ``unsafe``, ``loop``, ``too-many-redirects``,
    ``bad-redirect``, ``bad-url``, ``protocol`` — or None when an HTTP response was
    obtained."""
    detail: str | None = None
    attempts: int = 0
    elapsed_ms: int = 0
    deadline: float | None = None
    """Event-loop time by which the whole link (retries and hops) must be done."""


class Limiter:
    """A global concurrency limit plus one per host."""

    def __init__(
        self, max_concurrency: int, max_per_host: int, hosts: Sequence[HostPolicy] = ()
    ) -> None:
        self._global = asyncio.Semaphore(max(1, max_concurrency))
        self._per_host = max(1, max_per_host)
        self._policies = hosts
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._not_before: dict[str, float] = {}
        self._next_start: dict[str, float] = {}

    def per_host(self, host: str) -> int:
        """Requests in flight allowed to ``host`` (its policy's, else the default)."""
        policy = policy_for(self._policies, host)
        if policy is not None and policy.max_per_host is not None:
            return max(1, policy.max_per_host)
        return self._per_host

    async def _space(self, host: str) -> None:
        """Keep a host policy's ``delay`` between the starts of two requests to it."""
        policy = policy_for(self._policies, host)
        if policy is None or policy.delay <= 0:
            return
        now = time.monotonic()
        start = max(now, self._next_start.get(host, 0.0))
        self._next_start[host] = start + policy.delay  # reserved before sleeping
        if start > now:
            await asyncio.sleep(start - now)

    def defer(self, host: str, seconds: float) -> None:
        """A host asked us (``Retry-After``) to wait: no request to it before then."""
        until = time.monotonic() + seconds
        self._not_before[host] = max(until, self._not_before.get(host, 0.0))

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one slot of ``host`` and one global slot (host first, so a request waiting
        for a busy host does not hold a global slot another host could use)."""
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.per_host(host))
        async with sem:
            # Honour a host's Retry-After for every request to it, not just the one told.
            wait = self._not_before.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            await self._space(host)
            async with self._global:
                yield


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves names itself, applies the safety rule to every address, then connects.

    Checking at connect time (not just on the URL) is what defeats redirects and DNS
    answers that point at internal addresses; resolutions are cached for the run.
    """

    def __init__(
        self,
        resolver: Resolver,
        policy: SafetyPolicy,
        resolve_timeout: float = 10.0,
        proxies: Iterable[tuple[str, int]] = (),
    ) -> None:
        self.resolve_timeout = resolve_timeout
        self.proxies = {(h.lower(), p) for h, p in proxies}
        """Proxy endpoints from the environment: trusted configuration, so the rule
        (which is about the ledger's targets) does not apply to connecting to them."""
        self._inner = httpcore.AnyIOBackend()
        self._resolver = resolver
        self._policy = policy
        self._cache: dict[tuple[str, int], asyncio.Future[list[str]]] = {}
        self.connected: set[str] = set()
        """Hosts (as httpcore names them: lower-case, IDNA) that accepted a connection in
        this run: a timeout from one of them is a slow server, not a silent network."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Resolve once per run; concurrent callers share the answer (or the failure)."""
        key = (host.lower(), port)
        fut = self._cache.get(key)
        if fut is None:
            fut = asyncio.get_running_loop().create_future()
            self._cache[key] = fut
            try:
                # A resolver that hangs is a name that does not resolve, not a slow page.
                async with asyncio.timeout(self.resolve_timeout):
                    fut.set_result(await self._resolver(host, port))
            except NameNotResolved as exc:
                fut.set_exception(exc)
            except TimeoutError:
                fut.set_exception(NameNotResolved(f"{host}: name resolution timed out"))
            except BaseException:
                del self._cache[key]
                fut.cancel()
                raise
        return await asyncio.shield(fut)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first address that accepts, refusing unsafe ones outright."""
        addresses = await self.safe_addresses(host, port)
        errors: list[Exception] = []
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                errors.append(exc)
            else:
                self.connected.add(host.lower())
                return stream
        # A refusal from one address is a reply; report it over silence from another.
        refusals = [e for e in errors if _refused(e)]
        raise (refusals or errors)[-1]

    async def safe_addresses(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, or :class:`TargetRefused` when the safety
        rule refuses any of them (a proxy from the environment excepted)."""
        addresses = await self.resolve(host, port)
        if (host.lower(), port) not in self.proxies:
            for address in addresses:
                reason = self._policy.refuse_address(address)
                if reason is not None:
                    raise TargetRefused(f"{host} resolves to a {reason}")
        return addresses

    async def check_target(self, host: str, port: int) -> None:
        """The rule for a target reached through a proxy, where no connection to it is
        made here: its name is resolved locally and refused if any address is. A name
        that does not resolve locally (usual behind a corporate proxy) is left to the
        proxy, which resolves it."""
        try:
            addresses = await self.resolve(host, port)
        except NameNotResolved:
            return
        for address in addresses:
            reason = self._policy.refuse_address(address)
            if reason is not None:
                raise TargetRefused(f"{host} resolves to a {reason}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never a link target."""
        raise TargetRefused("unix sockets are not link targets")

    async def sleep(self, seconds: float) -> None:
        """Delegate to anyio."""
        await self._inner.sleep(seconds)


def make_client(
    settings: FetchSettings,
    backend: httpcore.AsyncNetworkBackend | None = None,
    ssl_context: ssl.SSLContext | None = None,
    max_connections: int | None = None,
    proxy: str | None = None,
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` with our limits and timeouts, through ``proxy`` if given.

    Redirects are followed by hand (to keep each hop and re-check safety), cookies never
    accumulate across links, and the pool holds ``max_connections`` (default: the global
    concurrency limit). httpx's own reading of the environment stays off: the run
    chooses the proxy per URL (:mod:`claimcheck.links.network`).
    """
    t = settings.timeout
    timeout = httpx.Timeout(connect=min(10.0, t), read=min(15.0, t), write=min(10.0, t), pool=t)
    size = max_connections or settings.max_concurrency
    limits = httpx.Limits(
        max_connections=size, max_keepalive_connections=size, keepalive_expiry=10.0
    )
    ctx = ssl_context or httpx.create_ssl_context(trust_env=False)
    http = httpx.AsyncHTTPTransport(verify=ctx, limits=limits, trust_env=False)
    transport: httpx.AsyncBaseTransport = http
    if proxy is not None:
        # Built as httpx builds it, but on our network backend.
        p = httpx.Proxy(proxy)
        http._pool = httpcore.AsyncHTTPProxy(
            proxy_url=httpcore.URL(
                scheme=p.url.raw_scheme, host=p.url.raw_host, port=p.url.port, target=b"/"
            ),
            proxy_auth=p.raw_auth,
            proxy_headers=p.headers.raw,
            ssl_context=ctx,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
    elif isinstance(backend, GuardedBackend):
        # Direct connections: h11 over asyncio protocols (see claimcheck.links.transport).
        transport = LeanTransport(backend, ctx, size, keepalive_expiry=10.0)
    elif backend is not None:
        # httpx does not expose the network backend; swap in a pool that uses ours.
        http._pool = httpcore.AsyncConnectionPool(
            ssl_context=ctx,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
    return _Client(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en;q=0.9, *;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
    )


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing: each link carries its own (see ``Fetcher.fetch``)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep nothing (httpx would wrap every response for the standard library's jar
        first: a tenth of a millisecond per request)."""

    def set_cookie_header(self, request: httpx.Request) -> None:
        """Add nothing."""


class _Client(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose own cookie jar keeps nothing, at no cost."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        pass


_NO_COOKIES = _NoCookies()


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(attempt: int, settings: FetchSettings, retry_after: float | None) -> float:
    """Exponential backoff with full jitter; ``Retry-After`` wins, but never above the cap."""
    if retry_after is not None:
        return min(retry_after, settings.retry_after_cap)
    ceiling = min(settings.backoff_cap, settings.backoff_base * (2**attempt))
    return random.uniform(ceiling / 2, ceiling)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and the members of exception groups among them."""
    stack, seen = [exc], set()
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        if isinstance(e, BaseExceptionGroup):
            stack.extend(e.exceptions)
        # httpcore wraps the OSError as an argument, not always as the cause.
        for nxt in (e.__cause__, e.__context__, *e.args):
            if isinstance(nxt, BaseException):
                stack.append(nxt)


def _error_kind(exc: BaseException) -> tuple[str, str]:
    """Map a transport exception to ``(kind, human detail)``."""
    if isinstance(exc, TargetRefused):
        return "unsafe", str(exc)
    if isinstance(exc, NameNotResolved):
        return "dns", f"name does not resolve: {exc}"
    if isinstance(exc, httpx.ProxyError):
        # The proxy answered (so the network works) but would not reach the site.
        return "proxy", f"the proxy could not connect to the site: {exc}"
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect-timeout", "connect timed out"
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return "timeout", "timed out"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or type(exc).__name__
        causes = list(_causes(exc))
        if any(isinstance(c, ssl.SSLError) for c in causes) or "SSL" in text:
            return "tls", f"TLS failure: {text}"
        if _refused(exc):
            return "refused", "connection refused"
        if any(isinstance(c, ConnectionResetError) for c in causes):
            return "reset", "connection reset"
        return "connect", f"connection failed: {text}"
    if isinstance(exc, httpx.RemoteProtocolError) and "location header" in str(exc).lower():
        # httpx builds the next request even when not following: a Location it cannot
        # parse is a redirect to a URL that cannot be requested, not a broken connection.
        return "bad-redirect", f"redirect to a URL that cannot be requested: {exc}"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "reset", f"connection reset or broken: {exc or type(exc).__name__}"
    if isinstance(exc, httpx.HTTPError):
        return "protocol", f"{type(exc).__name__}: {exc}"
    return "protocol", f"{type(exc).__name__}: {exc}"


def _refused(exc: BaseException) -> bool:
    """The host (or a firewall in front of it) answered the connection with a refusal."""
    return any(isinstance(c, ConnectionRefusedError) for c in _causes(exc)) or (
        "refused" in str(exc).lower()
    )


_PROXY_CONNECT_ERRORS = frozenset({"dns", "connect", "connect-timeout", "refused"})
RETRIABLE_ERRORS = frozenset({"timeout", "connect-timeout", "connect", "reset"})
"""A refusal is not retried: a port nobody listens on stays closed within a run."""
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)


def text_decoder_for(label: str) -> codecs.IncrementalDecoder:
    """A decoder of text for a page's declared charset; UTF-8 (replacing errors) when the
    label names no codec, or a codec that does not turn bytes into text (``hex``,
    ``zlib``, ``base64``, ``rot13``, ``undefined`` …): a server's label is not trusted."""
    try:
        info = codecs.lookup(label)
        # CPython marks the bytes-to-bytes and str-to-str codecs as not text encodings.
        if getattr(info, "_is_text_encoding", True) and info.name != "undefined":
            decoder = info.incrementaldecoder(errors="replace")
            if isinstance(decoder.decode(b"<html>"), str):
                return info.incrementaldecoder(errors="replace")
    except (LookupError, ValueError, TypeError, UnicodeError):
        pass
    return codecs.getincrementaldecoder("utf-8")(errors="replace")


def _looks_html(content_type: str, first: bytes) -> bool:
    if "html" in content_type:
        return True
    if content_type:
        return False
    head = first[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<title"))


class _Decoder:
    """Undo gzip/deflate with a hard limit on output size (survives decompression bombs)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._z: zlib._Decompress | None = None
        self.supported = encoding in ("", "identity", "gzip", "x-gzip", "deflate")
        if encoding in ("gzip", "x-gzip", "deflate"):
            self._z = zlib.decompressobj(wbits=47)  # auto-detect gzip or zlib header
        self._raw_deflate_tried = False

    def decode(self, chunk: bytes, room: int) -> tuple[bytes, bool]:
        """Decompressed bytes (at most ``room``) and whether output was cut at the cap."""
        if self._z is None:
            return chunk[:room], len(chunk) > room
        try:
            out = self._z.decompress(chunk, room)
        except zlib.error:
            if self.encoding == "deflate" and not self._raw_deflate_tried:
                # Some servers send raw deflate without the zlib header.
                self._raw_deflate_tried = True
                self._z = zlib.decompressobj(wbits=-15)
                return self.decode(chunk, room)
            raise
        return out, bool(self._z.unconsumed_tail)


async def read_page(
    response: httpx.Response,
    fragment: str | None,
    settings: FetchSettings,
    info: PageInfo | None = None,
) -> PageInfo:
    """Read as much of the body as the checks need, never more than ``body_cap`` bytes
    (raw or decompressed). ``info`` is filled as reading goes, so a caller whose read is
    interrupted still has what arrived."""
    ctype = response.headers.get("content-type", "").lower()
    info = info or PageInfo()
    info.content_type = ctype.split(";")[0].strip()
    status = response.status_code
    ok = 200 <= status < 300
    if not ok and status not in CHALLENGE_STATUSES:
        return info
    if not _Decoder(response.headers.get("content-encoding", "").strip().lower()).supported:
        return info
    m = re.search(r"charset=([\w\-:.]+)", ctype)
    charset = m.group(1) if m else None
    info.charset = charset
    raw = cast(AsyncGenerator[bytes, None], response.aiter_raw())
    async with contextlib.aclosing(raw) as chunks:
        return await _scan(response, chunks, info, fragment, settings, ok, charset)


async def _scan(
    response: httpx.Response,
    chunks: AsyncIterator[bytes],
    info: PageInfo,
    fragment: str | None,
    settings: FetchSettings,
    ok: bool,
    charset: str | None,
) -> PageInfo:
    """Feed the scanner chunk by chunk until the checks have what they need."""
    decoder = _Decoder(response.headers.get("content-encoding", "").strip().lower())
    limit = settings.body_cap if ok else min(settings.body_cap, ERROR_BODY)
    scanner = PageScanner(fragment if ok else None)
    text_decoder: codecs.IncrementalDecoder | None = None
    raw_read = 0
    decoded = 0
    keep = settings.keep_body and ok
    # One growing buffer whose bytes are handed over without a copy (getvalue shares
    # it): a list of chunks joined at the end would hold the page twice for a moment.
    kept = io.BytesIO()
    scanning = True
    whole = False
    async for chunk in chunks:
        raw_read += len(chunk)
        try:
            data, cut = decoder.decode(chunk, limit - decoded)
        except zlib.error:
            info.truncated = True
            break
        if keep:
            kept.write(data)
        if keep and scanning and text_decoder is None and _looks_html(info.content_type, data):
            # A page read whole is parsed once, in C, when complete (see WholePage).
            info.html = True
            charset, text_decoder = _page_decoder(charset, data)
            scanning, whole = False, True
        if keep and (not scanning or (not info.html and not _looks_html(info.content_type, data))):
            # A PDF or text, or a page read whole: kept, not parsed as it comes.
            decoded += len(data)
            info.bytes_read = decoded
            if cut or decoded >= limit or raw_read >= settings.body_cap:
                info.truncated = True
                break
            continue
        if text_decoder is None:
            if not _looks_html(info.content_type, data):
                return info
            info.html = True
            charset, text_decoder = _page_decoder(charset, data)
        _feed(scanner, text_decoder.decode(data), ok, decoded)
        decoded += len(data)
        _snapshot(scanner, info, decoded, ok, fragment)
        if cut or decoded >= limit or raw_read >= settings.body_cap:
            info.truncated = True
            break
        if not ok and decoded >= ERROR_BODY:
            break
        if ok and _enough(scanner, decoded):
            if keep:
                _snapshot(scanner, info, decoded, ok, fragment)
                scanning = False
                continue
            # The time limit covers the whole body: a page that stalls after its head
            # is a timeout, so read (and drop) the rest, up to the cap.
            info.truncated = await _drain(chunks, raw_read, settings.body_cap)
            break
    if scanning:
        _snapshot(scanner, info, decoded, ok, fragment)
    if keep:
        info.body = kept.getvalue()
    if whole and text_decoder is not None and info.body is not None:
        page = WholePage(text_decoder.decode(info.body, final=True), fragment)
        _snapshot(page, info, decoded, ok, fragment)
        info.parsed = Parsed(page.tree, charset or "utf-8")
    return info


def _page_decoder(charset: str | None, data: bytes) -> tuple[str, codecs.IncrementalDecoder]:
    """The page's charset (declared, else a ``<meta>`` in its first 2 KiB, else UTF-8) and
    a decoder for it."""
    if charset is None:
        mm = _CHARSET.search(data[:2048])
        charset = mm.group(1).decode("ascii") if mm else "utf-8"
    return charset, text_decoder_for(charset)


FEED = 4 * 1024
"""Characters parsed at a time: a 64 KiB read is not parsed past the heading it needs
(the pure-Python parser costs about 0.1 ms per KiB). Not below :data:`TRIVIAL_PAGE`: a
page that small is parsed whole, wherever its refresh is."""


def _feed(scanner: PageScanner, text: str, ok: bool, before: int) -> None:
    """Parse ``text`` slice by slice until the checks have what they need; the rest only
    extends the text prefix (challenge and parked-domain markers)."""
    for at in range(0, len(text), FEED):
        scanner.feed(text[at : at + FEED])
        if ok and _enough(scanner, before + at + FEED) and at + FEED < len(text):
            scanner.remember(text[at + FEED :])
            return


def _snapshot(
    scanner: PageScanner | WholePage, info: PageInfo, decoded: int, ok: bool, fragment: str | None
) -> None:
    """Copy what the scanner knows so far into ``info``."""
    info.bytes_read = decoded
    info.head_seen = scanner.title_done
    info.title = scanner.title
    info.og_title = scanner.og_title
    info.h1 = scanner.h1
    if len(info.prefix) < PREFIX_CHARS:
        info.prefix = scanner.prefix
    if ok and fragment and info.html:
        info.fragment_found = scanner.fragment_found
    if ok and info.html and decoded <= TRIVIAL_PAGE:
        info.refresh_to = refresh_target(scanner.meta_refresh, info.prefix)
    else:
        info.refresh_to = None


TRIVIAL_PAGE = 4 * 1024
"""Bytes under which a page with a meta refresh or a ``location=`` script is only a
redirect (a real page that refreshes itself is larger)."""
_REFRESH_URL = re.compile(r"^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"\s]+)", re.I)
_JS_LOCATION = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\.(?:replace|assign)\(\s*["']([^"']+)["']\s*\)"""
)


def refresh_target(meta: str | None, prefix: str) -> str | None:
    """Where a trivial redirect page sends the reader: its meta refresh (with a delay of
    10 s or less), else a script that only sets ``location``; None if neither."""
    if meta:
        m = _REFRESH_URL.match(meta)
        if m and m.group(2) and float(m.group(1) or 0) <= 10:
            return m.group(2)
    m2 = _JS_LOCATION.search(prefix)
    if m2:
        return m2.group(1) or m2.group(2)
    return None


async def _drain(chunks: AsyncIterator[bytes], raw_read: int, cap: int) -> bool:
    """Read the rest of the body up to ``cap`` raw bytes (so a stall is seen and the
    keep-alive connection goes back to the pool); True if it was cut at the cap."""
    async for chunk in chunks:
        raw_read += len(chunk)
        if raw_read >= cap:
            return True
    return False


def _enough(scanner: PageScanner, decoded: int) -> bool:
    """Whether title, heading and the wanted anchor have all been seen."""
    if scanner.fragment and not scanner.fragment_found:
        return False
    return scanner.title_done and (scanner.h1_done or decoded >= SCAN_MIN)


def checkable_fragment(url: str) -> str | None:
    """The ``#fragment`` to look for, or None when it is not an element id.

    Text fragments (``#:~:text=``), hash routes (``#/…``, ``#!…``) and key=value state
    are application state, not anchors.
    """
    frag = urldefrag(url).fragment
    if not frag or frag.startswith((":~:", "/", "!")) or "=" in frag or frag == "top":
        return None
    return frag


@functools.lru_cache(maxsize=4096)
def parsed_url(url: str) -> httpx.URL:
    """``httpx.URL(url)``, parsed once: checking a URL and requesting it parse the same
    string (70 µs each time). The instances are never changed."""
    return httpx.URL(url)


def malformed(url: str) -> str | None:
    """Why ``url`` cannot be requested at all (no host, bad IDNA, bad port), or None."""
    try:
        parsed = parsed_url(url)
        host = parsed.host  # decodes IDNA, which may fail
        port = parsed.port
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        return f"malformed URL: {exc}"
    if not host:
        return "malformed URL: no host"
    if port is not None and not 0 < port < 65536:
        return f"malformed URL: port {port} out of range"
    return None


def host_key(url: str) -> str:
    """The key of the per-host limit: the host name, lower-cased."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@functools.cache
def _no_tls_context() -> ssl.SSLContext:
    """For clients that only speak plain http: verifying, but trusting nothing, so it
    could never accept a certificate if it were used."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


SUB_POOL = 4
"""Connections per httpx client: httpcore's pool work grows with its size squared."""


class ClientPool:
    """Small clients per host, each holding at most :data:`SUB_POOL` connections.

    httpcore's pool scans every connection for every queued request on each change, so
    one pool of 64 connections costs thousands of checks per request. Per host we keep
    ⌈max_per_host / SUB_POOL⌉ clients and hand out the least busy one: the host's
    semaphore bounds the requests in flight, so that client always has a free
    connection. All share one TLS context and one guarded network backend (and its DNS
    cache).
    """

    def __init__(
        self,
        settings: FetchSettings,
        backend: httpcore.AsyncNetworkBackend,
        ssl_context: ssl.SSLContext | Callable[[], ssl.SSLContext] | None = None,
        per_host: Callable[[str], int] | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend
        # Loading CA bundles costs 0.1-0.3 s: only a run that meets https pays for it.
        self._tls = ssl_context
        self._ctx = ssl_context if isinstance(ssl_context, ssl.SSLContext) else None
        self._clients: dict[tuple[str, str | None, bool], list[httpx.AsyncClient]] = {}
        self._busy: dict[int, int] = {}
        self._per_host = per_host or (lambda _host: settings.max_per_host)

    def _context(self, tls: bool) -> ssl.SSLContext:
        if not tls:
            return _no_tls_context()
        if self._ctx is None:
            make = self._tls
            self._ctx = make() if callable(make) else httpx.create_ssl_context(trust_env=False)
        return self._ctx

    @contextlib.contextmanager
    def client(
        self, host: str, proxy: str | None = None, tls: bool = True
    ) -> Iterator[httpx.AsyncClient]:
        """Borrow the least busy client for ``host`` (created on first use), connecting
        through ``proxy`` if given; ``tls`` False for plain http all the way."""
        key = (host, proxy, tls)
        clients = self._clients.get(key)
        if clients is None:
            limit = max(1, self._per_host(host))
            subs = -(-limit // SUB_POOL)
            size = -(-limit // subs)
            ctx = self._context(tls)
            clients = [
                make_client(self.settings, self.backend, ctx, size, proxy) for _ in range(subs)
            ]
            self._clients[key] = clients
        chosen = min(clients, key=lambda c: self._busy.get(id(c), 0))
        self._busy[id(chosen)] = self._busy.get(id(chosen), 0) + 1
        try:
            yield chosen
        finally:
            self._busy[id(chosen)] -= 1

    async def aclose(self) -> None:
        """Close every client."""
        groups, self._clients = list(self._clients.values()), {}
        for clients in groups:
            for client in clients:
                await client.aclose()

    async def __aenter__(self) -> ClientPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class Fetcher:
    """Fetches links under shared limits."""

    def __init__(
        self,
        clients: ClientPool,
        settings: FetchSettings,
        policy: SafetyPolicy,
        limiter: Limiter | None = None,
        hosts: Sequence[HostPolicy] = (),
        environ: Mapping[str, str] | None = None,
        proxy_for: Callable[[str], str | None] | None = None,
    ) -> None:
        self.clients = clients
        self.settings = settings
        self.policy = policy
        self.limiter = limiter or Limiter(settings.max_concurrency, settings.max_per_host, hosts)
        self.hosts = hosts
        """Per-host policies: headers, cookies and timeout of each request."""
        self.environ: Mapping[str, str] = environ or {}
        """Where the policies' secrets are read from."""
        self.proxy_for = proxy_for or (lambda _url: None)

    async def fetch(self, url: str) -> FetchOutcome:
        """Follow ``url`` through its redirects (each hop re-checked) to a final answer."""
        started = time.monotonic()
        out = FetchOutcome(url=url, final_url=url)
        try:
            await self._follow(url, out)
        finally:
            out.elapsed_ms = int((time.monotonic() - started) * 1000)
        return out

    async def _follow(self, url: str, out: FetchOutcome) -> None:
        try:
            await self._follow_hops(url, out)
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            # A URL httpx cannot even build a request for (bad IDNA label, port …).
            out.error = "bad-url" if not out.hops else "bad-redirect"
            out.detail = f"malformed URL {out.final_url!r}: {exc}"
            out.http_status = None

    async def _follow_hops(self, url: str, out: FetchOutcome) -> None:
        fragment = checkable_fragment(url)
        jar = httpx.Cookies(http.cookiejar.CookieJar())
        seen: set[tuple[str, str]] = set()
        current = url
        while True:
            out.final_url = current
            reason = self.policy.refuse_url(current)
            if reason is not None:
                out.error, out.detail = "unsafe", reason
                return
            bad = malformed(current)
            if bad is not None:
                out.error = "bad-url" if not out.hops else "bad-redirect"
                out.detail = bad
                return
            target = urldefrag(current).url
            # A revisit with new cookies is a cookie bounce, not a loop.
            state = (target, repr(sorted((c.name, c.value or "") for c in jar.jar)))
            if state in seen:
                out.error, out.detail = "loop", f"redirect loop back to {current}"
                return
            seen.add(state)
            if out.deadline is not None and asyncio.get_running_loop().time() >= out.deadline:
                out.error, out.http_status = "timeout", None
                out.detail = f"the link's total time limit ran out after {len(out.hops)} hops"
                return
            response = await self._request(target, jar, fragment, out)
            if response is None:
                return
            status, location = response
            if status in REDIRECT_CODES:
                out.hops.append(Hop(url=current, status=status))
                if not location:
                    out.error, out.detail = "bad-redirect", f"{status} without a Location header"
                    out.http_status = status
                    return
                if len(out.hops) > self.settings.max_redirects:
                    out.error = "too-many-redirects"
                    out.detail = f"more than {self.settings.max_redirects} redirects"
                    out.http_status = status
                    return
                nxt = urljoin(current, location)
                if not urldefrag(nxt).fragment and urldefrag(current).fragment:
                    # Browsers carry the fragment through a redirect without one.
                    nxt = f"{nxt}#{urldefrag(current).fragment}"
                elif urldefrag(nxt).fragment:
                    fragment = checkable_fragment(nxt)
                current = nxt
                continue
            refresh = out.page.refresh_to if out.page is not None else None
            if 200 <= status < 300 and refresh:
                nxt = urljoin(current, refresh)
                if urldefrag(nxt).url != target and len(out.hops) < self.settings.max_redirects:
                    # A page that only sends the reader on: it takes the status of where
                    # it leads, with the hop recorded (as 200).
                    out.hops.append(Hop(url=current, status=status))
                    current = nxt
                    continue
            out.http_status = status
            return

    def _ever_connected(self, url: str) -> bool:
        """Whether a connection to ``url``'s host (or to the proxy it goes through)
        succeeded in this run (True when the backend does not say: then a timeout keeps
        counting as a server's)."""
        connected = getattr(self.clients.backend, "connected", None)
        if connected is None:
            return True
        try:
            return httpx.URL(self.proxy_for(url) or url).raw_host.decode("ascii").lower() in (
                connected
            )
        except (httpx.InvalidURL, UnicodeError, ValueError):
            return True

    async def _check_proxied(self, target: str) -> None:
        """Apply the safety rule to a target the proxy will connect to for us."""
        check = getattr(self.clients.backend, "check_target", None)
        if check is not None:
            url = httpx.URL(target)
            await check(url.host, url.port or (443 if url.scheme == "https" else 80))

    def _prepare(
        self, client: httpx.AsyncClient, target: str, host: str, jar: httpx.Cookies
    ) -> tuple[httpx.Request, float]:
        """The request for ``target`` with its host policy's headers and cookies (never
        carried to another host by a redirect), and its total timeout."""
        s = self.settings
        policy = policy_for(self.hosts, host)
        timeout = policy.timeout if policy is not None and policy.timeout else s.timeout
        request = client.build_request("GET", parsed_url(target), timeout=_timeouts(timeout))
        if jar:  # an empty jar adds nothing, and asking costs a wrapped request
            jar.set_cookie_header(request)
        if policy is not None:
            extra = request_headers(policy, self.environ)
            cookie = extra.pop("Cookie", None)
            request.headers.update(extra)
            if cookie:
                jar_cookie = request.headers.get("Cookie")
                request.headers["Cookie"] = f"{cookie}; {jar_cookie}" if jar_cookie else cookie
        return request, timeout

    async def _request(
        self, target: str, jar: httpx.Cookies, fragment: str | None, out: FetchOutcome
    ) -> tuple[int, str | None] | None:
        """One hop with retries. Fills ``out`` and returns (status, location) or None."""
        s = self.settings
        host = host_key(target)
        last: tuple[int, str | None] | None = None  # the answer a retry would replace
        for attempt in range(s.retries + 1):
            retry_after: float | None = None
            try:
                proxy = self.proxy_for(target)
                async with contextlib.AsyncExitStack() as held:
                    if not await self._slot_within(held, host, out):
                        return self._out_of_time(out, host, attempt, last)
                    out.attempts += 1
                    if proxy is not None:
                        await self._check_proxied(target)
                    tls = target[:6].lower() == "https:" or (proxy or "").startswith("https:")
                    with self.clients.client(host, proxy, tls) as client:
                        request, timeout = self._prepare(client, target, host, jar)
                        # The total timeout starts once a slot is held: queueing is not
                        # slowness.
                        now = asyncio.get_running_loop().time()
                        if out.deadline is None:
                            out.deadline = now + LINK_DEADLINE_FACTOR * timeout
                        deadline = min(now + timeout, out.deadline)
                        async with asyncio.timeout_at(deadline):
                            response = await client.send(request, stream=True)
                        try:
                            if "set-cookie" in response.headers:
                                jar.extract_cookies(response)
                            status = response.status_code
                            location = response.headers.get("location")
                            out.headers = {k.lower(): v for k, v in response.headers.items()}
                            out.http_status = status
                            if status not in REDIRECT_CODES:
                                out.page = await _read_within(response, fragment, s, deadline)
                        finally:
                            await response.aclose()
            except (httpx.HTTPError, TimeoutError, TargetRefused, NameNotResolved) as exc:
                kind, detail = _error_kind(exc)
                if kind == "timeout" and not self._ever_connected(target):
                    # The total deadline hit while still resolving or connecting.
                    kind, detail = "connect-timeout", "connect timed out"
                if proxy is not None and kind in _PROXY_CONNECT_ERRORS:
                    detail = f"could not reach the proxy {redact_url(proxy)}: {detail}"
                out.error, out.detail = kind, detail
                out.http_status = None
                out.page = None
                retry = kind in RETRIABLE_ERRORS and attempt < s.retries
                if retry and await _wait_within(out, backoff_delay(attempt, s, None)):
                    continue
                return None
            out.error = out.detail = None
            retriable = status == 429 or 500 <= status < 600
            if retriable and attempt < s.retries and not _is_challenge(out):
                retry_after = parse_retry_after(out.headers.get("retry-after"))
                delay = backoff_delay(attempt, s, retry_after)
                if retry_after is not None:
                    self.limiter.defer(host, delay)
                if await _wait_within(out, delay):
                    last = status, location
                    continue
            return status, location
        return None  # pragma: no cover - the loop always returns

    async def _slot_within(
        self, held: contextlib.AsyncExitStack, host: str, out: FetchOutcome
    ) -> bool:
        """Hold a slot of ``host`` in ``held``. Waiting for it is free before the link's
        first request (queueing is not slowness); after that it counts against the link's
        total deadline: False when the deadline passes first."""
        if out.deadline is None:
            await held.enter_async_context(self.limiter.slot(host))
            return True
        try:
            async with asyncio.timeout_at(out.deadline):
                await held.enter_async_context(self.limiter.slot(host))
        except TimeoutError:
            return False
        return True

    @staticmethod
    def _out_of_time(
        out: FetchOutcome, host: str, attempt: int, last: tuple[int, str | None] | None
    ) -> tuple[int, str | None] | None:
        """The link's deadline passed while waiting for a slot: a retry's last answer (or
        error) stands; a new hop has none, and is a timeout."""
        if attempt > 0:
            return last
        out.error, out.http_status, out.page = "timeout", None, None
        out.detail = (
            f"the link's total time limit ran out waiting for a free slot for {host} "
            f"after {len(out.hops)} hop{'s' if len(out.hops) != 1 else ''}"
        )
        return None


LINK_DEADLINE_FACTOR = 3
"""A link's total time, across its retries and redirect hops, is this many times the
timeout of one request (60 s at the default ``--timeout 20``): a chain of slow hops
cannot hold a link for minutes."""


async def _wait_within(out: FetchOutcome, delay: float) -> bool:
    """Sleep ``delay`` before a retry, or return False when the link's deadline would pass
    first (the last answer stands)."""
    if out.deadline is not None and asyncio.get_running_loop().time() + delay >= out.deadline:
        return False
    await asyncio.sleep(delay)
    return True


async def _read_within(
    response: httpx.Response, fragment: str | None, settings: FetchSettings, deadline: float
) -> PageInfo:
    """Read the body before ``deadline``. A body that does not finish in time is a
    timeout (the exception propagates); one whose connection drops after its head was
    seen is judged on what arrived."""
    info = PageInfo()
    try:
        async with asyncio.timeout_at(deadline):
            await read_page(response, fragment, settings, info)
    except (TimeoutError, httpx.TimeoutException):
        # The time limit covers the whole exchange: a body that never finishes is a
        # timeout, however much of it arrived.
        raise
    except (httpx.ReadError, httpx.RemoteProtocolError):
        if not info.head_seen or settings.keep_body:
            raise
        info.stalled = f"the page stopped sending after {info.bytes_read // 1024} KiB"
        if not info.fragment_found:
            info.fragment_found = None  # not seen yet is not missing
        info.truncated = True
    return info


def _timeouts(t: float) -> httpx.Timeout:
    """Connect ≤ 10 s and each read ≤ 15 s within a total of ``t``."""
    return httpx.Timeout(connect=min(10.0, t), read=min(15.0, t), write=min(10.0, t), pool=t)


def _is_challenge(out: FetchOutcome) -> bool:
    """A challenge page is not retried: it will not go away by waiting."""
    from claimcheck.links.classify import is_bot_challenge

    return is_bot_challenge(out.http_status, out.headers, out.page)
