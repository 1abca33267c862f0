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

_SHARD = re.compile(r"^\s*(\d{1,9})\s*/\s*(\d{1,9})\s*$")
MAX_SHARDS = 1000
"""More shards than CI matrices allow (GitHub: 256 jobs): N is bounded, so a typo such as
``1/200000000`` is a usage error, not a 1.6 GB table."""

T = TypeVar("T")


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``K/N`` (1 ≤ K ≤ N); raises ``ValueError`` with a message for the user."""
    m = _SHARD.match(text)
    if m is None:
        raise ValueError(f"--shard must look like K/N (e.g. 2/4), not {text[:40]!r}")
    k, n = int(m.group(1)), int(m.group(2))
    problem = shard_problem(k, n)
    if problem is not None:
        raise ValueError(problem)
    return k, n


def shard_problem(k: int, n: int) -> str | None:
    """Why shard ``k`` of ``n`` is unusable, or None."""
    if n > MAX_SHARDS:
        return f"--shard K/N: N is at most {MAX_SHARDS}, not {str(n)[:20]}"
    if n < 1 or not 1 <= k <= n:
        return f"--shard {k}/{n}: need 1 ≤ K ≤ N"
    return None


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
    return shard_groups(items, urls, n)[k - 1][0]


def shard_groups(items: Sequence[T], urls: Sequence[str], n: int) -> list[tuple[list[T], int]]:
    """Every shard of ``n`` at once: its items (in order) and how many hosts it holds."""
    sites = [site_of(url) for url in urls]
    counts: dict[str, int] = {}
    for site in sites:
        counts[site] = counts.get(site, 0) + 1
    load = [0] * n
    hosts = [0] * n
    owner: dict[str, int] = {}
    for site, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        best = min(range(n), key=lambda i: (load[i], i))
        owner[site] = best
        load[best] += count
        hosts[best] += 1
    groups: list[list[T]] = [[] for _ in range(n)]
    for item, site in zip(items, sites, strict=True):
        groups[owner[site]].append(item)
    return list(zip(groups, hosts, strict=True))
