"""Finding a Wayback Machine snapshot the way Wikipedia's archive bot does.

The newest good (2xx) capture at or before the citation's date, else the nearest one
after it, through the CDX API (the availability API is known to answer empty under load).
"""

from __future__ import annotations

import asyncio
import json
import re
import zlib
from datetime import date
from urllib.parse import urldefrag

import httpx

from claimcheck.links.fetch import (
    FetchSettings,
    Limiter,
    _Decoder,
    backoff_delay,
    host_key,
    parse_retry_after,
)

DEFAULT_ENDPOINT = "https://web.archive.org"


CDX_BODY_CAP = 1024 * 1024
"""Bytes of a CDX answer read at most, compressed or decompressed: a lookup asks for one
row (``limit``), so a larger answer is not a CDX answer."""
_TIMESTAMP = re.compile(r"[0-9]{14}")
_ORIGINAL = re.compile(r"https?://[!-~]{1,3900}", re.IGNORECASE)
"""An absolute http(s) URL of printable ASCII (the archive percent-encodes the rest)."""
_STATUS = re.compile(r"2[0-9]{2}")
_HEADER = ["timestamp", "original", "statuscode"]


class ArchiveError(Exception):
    """The archive could not be asked (down, rate limited, bad answer)."""


async def read_capped(response: httpx.Response, cap: int) -> bytes:
    """The body, undone from gzip/deflate, cut at ``cap`` bytes before and after
    decompression (a bomb or an endless body costs ``cap``); raises
    :class:`ArchiveError` when it is longer."""
    decoder = _Decoder(response.headers.get("content-encoding", "").strip().lower())
    if not decoder.supported:
        raise ArchiveError("CDX answer in an unknown content encoding")
    out = bytearray()
    raw = 0
    async for chunk in response.aiter_raw():
        raw += len(chunk)
        data, cut = decoder.decode(chunk, cap - len(out))
        out += data
        if cut or raw > cap:
            raise ArchiveError(f"CDX answer longer than {cap // 1024} KiB")
    return bytes(out)


def parse_cdx(body: bytes) -> list[tuple[str, str]]:
    """The ``(timestamp, original)`` of every well-formed row of a CDX JSON answer.

    A row is kept only with exactly the fields asked for (timestamp, original, status
    code), a 14-digit timestamp, an absolute http(s) URL and a 2xx status: an archive's
    answer is written into ledgers, so nothing else from it is trusted. Raises
    :class:`ArchiveError` when the answer is not a JSON list, or when it has rows and
    none is well-formed.
    """
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []
    try:
        rows = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ArchiveError(f"CDX answer is not JSON: {str(exc)[:200]}") from None
    if not isinstance(rows, list):
        raise ArchiveError("CDX answer is not a list")
    if rows[:1] == [_HEADER]:
        rows = rows[1:]
    good = [row for row in rows if _valid_row(row)]
    if rows and not good:
        raise ArchiveError(f"CDX answer has {len(rows)} malformed row(s) and no valid one")
    return [(str(row[0]), str(row[1])) for row in good]


def _valid_row(row: object) -> bool:
    if not isinstance(row, list) or len(row) != len(_HEADER):
        return False
    if not all(isinstance(field, str) for field in row):
        return False
    timestamp, original, status = row
    return (
        _TIMESTAMP.fullmatch(timestamp) is not None
        and _ORIGINAL.fullmatch(original) is not None
        and _STATUS.fullmatch(status) is not None
    )


class ArchiveClient:
    """Queries a Wayback-compatible CDX endpoint under its own, gentler limits."""

    def __init__(self, client: httpx.AsyncClient, endpoint: str, settings: FetchSettings) -> None:
        self.client = client
        self.endpoint = endpoint.rstrip("/")
        self.settings = settings
        # The archive rate-limits hard: two requests at a time is what it tolerates.
        self.limiter = Limiter(max_concurrency=2, max_per_host=2)
        self._memo: dict[tuple[str, date | None], asyncio.Future[str | None]] = {}

    def snapshot_url(self, timestamp: str, original: str) -> str:
        """The replay URL of one capture."""
        return f"{self.endpoint}/web/{timestamp}/{original}"

    async def _cdx(self, params: dict[str, str]) -> list[tuple[str, str]]:
        """The valid ``(timestamp, original)`` rows of one CDX query (retried like pages)."""
        url = f"{self.endpoint}/cdx/search/cdx"
        s = self.settings
        last = "no answer"
        for attempt in range(s.retries + 1):
            retry_after: float | None = None
            try:
                async with (
                    self.limiter.slot(host_key(url)),
                    asyncio.timeout(s.timeout),
                    self.client.stream("GET", url, params=params) as response,
                ):
                    code = response.status_code
                    body = await read_capped(response, CDX_BODY_CAP) if code == 200 else b""
                if code == 200:
                    return parse_cdx(body)
                last = f"CDX answered HTTP {code}"
                if code != 429 and code < 500:
                    raise ArchiveError(last)
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            except (httpx.HTTPError, TimeoutError, zlib.error) as exc:
                last = f"CDX request failed: {type(exc).__name__}"
            if attempt < s.retries:
                await asyncio.sleep(backoff_delay(attempt, s, retry_after))
        raise ArchiveError(last)

    async def find(self, url: str, when: date | None) -> str | None:
        """The snapshot to cite for ``url`` as of ``when`` (None: the newest), or None."""
        key = (url, when)
        fut = self._memo.get(key)
        if fut is None:
            fut = asyncio.get_running_loop().create_future()
            self._memo[key] = fut
            try:
                fut.set_result(await self._find(url, when))
            except Exception as exc:
                fut.set_exception(exc)
            except BaseException:
                del self._memo[key]
                fut.cancel()
                raise
        return await asyncio.shield(fut)

    async def _find(self, url: str, when: date | None) -> str | None:
        bare = urldefrag(url).url
        base = {
            "url": bare,
            "output": "json",
            "fl": "timestamp,original,statuscode",
            "filter": "statuscode:2..",
        }
        if when is not None:
            stamp = when.strftime("%Y%m%d")
            before = await self._cdx(
                {**base, "to": f"{stamp}235959", "limit": "-1", "fastLatest": "true"}
            )
            if before:
                return self.snapshot_url(*before[-1])
            after = await self._cdx({**base, "from": stamp, "limit": "1"})
            if after:
                return self.snapshot_url(*after[0])
            return None
        newest = await self._cdx({**base, "limit": "-1", "fastLatest": "true"})
        if newest:
            return self.snapshot_url(*newest[-1])
        return None
