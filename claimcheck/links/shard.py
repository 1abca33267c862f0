"""Splitting the links into disjoint shards by host, for parallel CI jobs.

Every URL of one host lands in the same shard, so two jobs never hit one host together
and the per-host limit holds across the whole matrix. Hosts are dealt largest first to
the least loaded shard, which balances far better than hashing when a few hosts dominate;
the deal depends only on the ledger, so every job computes the same split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")

T = TypeVar("T")


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``K/N`` (1 ≤ K ≤ N); raises ``ValueError`` with a message for the user."""
    m = _SHARD.match(text)
    if m is None:
        raise ValueError(f"--shard must look like K/N (e.g. 2/4), not {text!r}")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"--shard {text}: need 1 ≤ K ≤ N")
    return k, n


def site_of(url: str) -> str:
    """The host a URL lands on, without a leading ``www.`` (the same servers)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    return host[4:] if host.startswith("www.") else host


def shard_items(items: Sequence[T], urls: Sequence[str], k: int, n: int) -> list[T]:
    """The items (parallel to ``urls``) that belong to shard ``k`` of ``n``, in order."""
    if n == 1:
        return list(items)
    counts: dict[str, int] = {}
    for url in urls:
        site = site_of(url)
        counts[site] = counts.get(site, 0) + 1
    load = [0] * n
    owner: dict[str, int] = {}
    for site, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        best = min(range(n), key=lambda i: (load[i], i))
        owner[site] = best
        load[best] += count
    return [item for item, url in zip(items, urls, strict=True) if owner[site_of(url)] == k - 1]
