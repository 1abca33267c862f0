"""Finding a Wayback Machine snapshot the way Wikipedia's archive bot does.

The newest good (2xx) capture at or before the citation's date, else the nearest one
after it, through the CDX API (the availability API is known to answer empty under load).
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from urllib.parse import urldefrag

import httpx

from claimcheck.links.fetch import (
    FetchSettings,
    Limiter,
    backoff_delay,
    host_key,
    parse_retry_after,
)

DEFAULT_ENDPOINT = "https://web.archive.org"


class ArchiveError(Exception):
    """The archive could not be asked (down, rate limited, bad answer)."""


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

    async def _cdx(self, params: dict[str, str]) -> list[list[str]]:
        url = f"{self.endpoint}/cdx/search/cdx"
        s = self.settings
        last = "no answer"
        for attempt in range(s.retries + 1):
            retry_after: float | None = None
            try:
                async with self.limiter.slot(host_key(url)), asyncio.timeout(s.timeout):
                    response = await self.client.get(url, params=params)
                    body = response.content[:4_000_000]
                code = response.status_code
                if code == 200:
                    text = body.decode("utf-8", "replace").strip()
                    if not text:
                        return []
                    rows = json.loads(text)
                    if not isinstance(rows, list):
                        raise ArchiveError("CDX answer is not a list")
                    return [list(map(str, r)) for r in rows[1:] if isinstance(r, list)]
                last = f"CDX answered HTTP {code}"
                if code != 429 and code < 500:
                    raise ArchiveError(last)
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            except (httpx.HTTPError, TimeoutError) as exc:
                last = f"CDX request failed: {type(exc).__name__}"
            except ValueError as exc:
                raise ArchiveError(f"CDX answer is not JSON: {exc}") from None
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
                return self.snapshot_url(before[-1][0], before[-1][1])
            after = await self._cdx({**base, "from": stamp, "limit": "1"})
            if after:
                return self.snapshot_url(after[0][0], after[0][1])
            return None
        newest = await self._cdx({**base, "limit": "-1", "fastLatest": "true"})
        if newest:
            return self.snapshot_url(newest[-1][0], newest[-1][1])
        return None
