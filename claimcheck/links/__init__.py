"""The link-rot checker: every cited ``url`` and ``archive_url`` checked once.

Public API (cheap to import: httpx is imported only when links are checked)::

    options = LinkOptions(timeout=10)
    results, summary = check_ledger_links(ledger, options)
    code = links_exit_code(results, summary, options)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimcheck import __version__
from claimcheck.links.policy import HostPolicy, Rewrite
from claimcheck.results import DEFAULT_FAIL_ON, ExitCode, LinkResult, LinkStatus, LinkSummary

if TYPE_CHECKING:
    from claimcheck.links.check import PageReader
    from claimcheck.links.collect import LedgerLike
    from claimcheck.links.safety import Resolver

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_PER_HOST",
    "LinkOptions",
    "LinkOptionsError",
    "check_ledger_links",
    "count_failing",
    "links_exit_code",
    "user_agent",
]

DEFAULT_MAX_CONCURRENCY = 64
"""Sockets, in-flight bodies (≤ 2 MiB each) and file descriptors stay small at 64, while a
ledger spread over many publishers still keeps 16 hosts × 4 requests busy."""
DEFAULT_MAX_PER_HOST = 4
"""Browsers open 6 connections per host; a robot should open fewer. Past ~4, news sites
and CDNs start answering 429 or challenges, which only turns answers into ``blocked``."""
DEFAULT_ARCHIVE_ENDPOINT = "https://web.archive.org"
"""Base of the Wayback Machine's CDX API and snapshots."""


def user_agent(contact: str | None = None) -> str:
    """The default User-Agent: the tool, its version and, if given, who runs it.

    Words that stock web-application-firewall rules match in User-Agents (``bot``,
    ``crawler``, ``spider``, ``scan``, ``checker``, ``link check``, ``python``, ``httpx``
    …) are left out: a blocked request says nothing about the page (docs/links.md)."""
    tail = f"; +{contact}" if contact else ""
    return f"Mozilla/5.0 (compatible; claimcheck/{__version__}{tail})"


DEFAULT_USER_AGENT = user_agent()


class LinkOptionsError(ValueError):
    """An option a user gave is unusable (bad regex, bad shard …): exit 2 with the message."""


@dataclass
class LinkOptions:
    """Everything that tunes a link check. Defaults are the CLI defaults."""

    timeout: float = 20.0
    """Total seconds per request attempt (connect ≤ 10 s and each read ≤ 15 s within it)."""
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    max_per_host: int = DEFAULT_MAX_PER_HOST
    retries: int = 2
    """Retries after the first attempt, for timeouts, connection errors, 429 and 5xx."""
    user_agent: str = DEFAULT_USER_AGENT
    exclude: list[str] = field(default_factory=list)
    """Regular expressions; a URL matching any is ``skipped``."""
    allow_private: bool = False
    archive_endpoint: str = DEFAULT_ARCHIVE_ENDPOINT
    write_archive: bool = False
    cache_path: Path | None = None
    """None: ``platformdirs.user_cache_dir("claimcheck")/links.sqlite3``."""
    use_cache: bool = True
    ttl_seconds: float = 86400.0
    confirm: int = 1
    shard: tuple[int, int] | None = None
    fail_on: frozenset[LinkStatus] = DEFAULT_FAIL_ON
    # Beyond the CLI: knobs for embedding and for tests.
    archive: bool = True
    """Look up Wayback snapshots for links that are not ok."""
    max_redirects: int = 10
    body_cap: int = 2 * 1024 * 1024
    """Bytes read at most per response, compressed or decompressed."""
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 10.0
    allowed_networks: list[str] = field(default_factory=list)
    """CIDR networks permitted even without ``allow_private`` (an intranet)."""
    resolver: Resolver | None = None
    """Name resolution; None is the system resolver."""
    network_probe: Callable[[], Awaitable[bool]] | None = None
    """Answers "is the network up?" when every link failed to connect; None: the default
    probe (resolve and connect to well-known hosts)."""
    clock: Callable[[], float] | None = None
    """Seconds since the epoch; None is ``time.time``."""
    on_note: Callable[[str], None] | None = None
    """Called after the run with the full text of each note (the cache set aside and
    where to, snapshot lookups that failed, archive URLs written); the summary's ``note``
    gives the same in one short sentence."""
    # From the configuration file (docs/config.md).
    hosts: tuple[HostPolicy, ...] = ()
    """Per-host policies: headers, cookies, accepted statuses, skip, limits, timeout."""
    rewrites: tuple[Rewrite, ...] = ()
    """URL rewrites applied, in order, before fetching."""
    ca_file: Path | None = None
    """A PEM bundle (or folder) of extra trusted certificate authorities."""
    trust_env: bool = True
    """Honour the proxy (``HTTPS_PROXY`` …) and CA (``SSL_CERT_FILE`` …) variables."""
    workers: int = 0
    """Worker processes that share the fetching, hosts dealt between them: 0 is automatic
    (one per core, at most 4, from 500 links to fetch), 1 fetches in this process."""
    environ: Mapping[str, str] | None = None
    """Where secrets, proxies and CA variables are read from; None is ``os.environ``."""


def check_ledger_links(
    ledger: LedgerLike,
    options: LinkOptions,
    progress: Callable[[int, int], None] | None = None,
    ledger_path: Path | None = None,
    reader: PageReader | None = None,
) -> tuple[list[LinkResult], LinkSummary]:
    """Check every distinct link of ``ledger``; results in ledger order and a summary.

    ``progress(done, total)`` is called as links finish. ``ledger_path`` is needed for
    ``write_archive``. A ``reader`` (the evidence check) gets the whole body of each URL
    it wants, from the same single fetch. Raises :class:`LinkOptionsError` for unusable
    options. Runs its own event loop (in a worker thread if one is already running in
    this thread).
    """
    from claimcheck.links.check import run_check

    return run_check(ledger, options, progress, ledger_path, reader)


def count_failing(results: list[LinkResult], fail_on: frozenset[LinkStatus]) -> int:
    """Links whose status is in ``fail_on`` and whose failure is confirmed."""
    return sum(
        1
        for r in results
        if r.status in fail_on
        and (r.history is None or r.history.confirmed or r.status is LinkStatus.INSECURE)
    )


def links_exit_code(
    results: list[LinkResult], summary: LinkSummary, options: LinkOptions
) -> ExitCode:
    """1 if a confirmed link has a ``fail_on`` status; else 3 if links could not be
    checked (network down); else 0."""
    if count_failing(results, options.fail_on):
        return ExitCode.FINDINGS
    if not summary.checked:
        return ExitCode.NOT_CHECKED
    return ExitCode.OK
