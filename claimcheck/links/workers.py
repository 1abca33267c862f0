"""Fetching a run's pending links, in this process or spread over worker processes.

One process spends most of a large run's CPU in httpx and httpcore (and, for the evidence
check, in text extraction), so a run of many links is CPU-bound on one core. With
``workers`` > 1 the hosts are dealt to worker processes (disjoint sets, as ``--shard``
deals them, so the per-host limit holds), each with its own event loop, clients and a
share of the global limit; outcomes come back as data, in batches as they finish.
Workers are forked where that is safe (Linux, no other thread): they start at once,
with everything imported. Everything else (cache, offline
detection, archives, history) stays in the parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, Protocol

from claimcheck.links.classify import judged_prefix
from claimcheck.links.fetch import FetchOutcome

if TYPE_CHECKING:
    from claimcheck.links import LinkOptions
    from claimcheck.links.fetch import FetchSettings
    from claimcheck.links.safety import SafetyPolicy

__all__ = [
    "AUTO_WORKERS_FROM",
    "FetchJob",
    "PageTaker",
    "concurrency_shares",
    "fetch_in_workers",
    "fetch_jobs",
]

AUTO_WORKERS_FROM = 500
"""Pending links from which ``workers=0`` (auto) starts worker processes: below it, the
cost of starting them (about half a second) outweighs what they save."""


class PageTaker(Protocol):
    """Turns a whole page into small, picklable data as soon as it is fetched."""

    def take(self, url: str, outcome: FetchOutcome) -> object:
        """Read ``outcome.page.body`` (dropped right after) and return what to keep."""


@dataclass(frozen=True)
class FetchJob:
    """One link to fetch: its index in the run, the URL to request, its page wanted whole."""

    key: int
    url: str
    target: str
    """The ledger's URL (``url`` may be a rewrite of it)."""
    whole: bool


Done = Callable[[FetchJob, FetchOutcome, object], None]


async def fetch_jobs(
    jobs: list[FetchJob],
    options: LinkOptions,
    settings: FetchSettings,
    policy: SafetyPolicy,
    taker: PageTaker | None,
    page_cap: int,
    done: Done,
) -> None:
    """Fetch every job under the run's limits in this process; ``done`` is called as each
    finishes, with what ``taker`` kept of its page."""
    from claimcheck.links.check import _environ, _network, _ssl_context, _whole_settings
    from claimcheck.links.fetch import ClientPool, Fetcher, GuardedBackend, Limiter
    from claimcheck.links.safety import system_resolver

    proxies = _network(options)
    env = _environ(options)

    def tls() -> ssl.SSLContext:
        # Built on the first https request only (0.1–0.3 s of CA parsing); once per
        # process, and a forked worker has the parent's already.
        return _ssl_context(options, env)

    backend = GuardedBackend(
        options.resolver or system_resolver,
        policy,
        resolve_timeout=min(10.0, options.timeout * 0.8),
        proxies=proxies.endpoints,
    )
    limiter = Limiter(settings.max_concurrency, settings.max_per_host, options.hosts)
    async with ClientPool(settings, backend, tls, limiter.per_host) as clients:
        fetcher = Fetcher(clients, settings, policy, limiter, options.hosts, env, proxies.for_url)
        whole = Fetcher(
            clients,
            _whole_settings(settings, page_cap),
            policy,
            limiter,
            options.hosts,
            env,
            proxies.for_url,
        )

        async def one(job: FetchJob) -> None:
            use = whole if job.whole and taker is not None else fetcher
            try:
                out = await use.fetch(job.url)
            except Exception as exc:  # one odd URL must not sink the whole run
                out = FetchOutcome(url=job.url, final_url=job.url)
                out.error = "protocol"
                out.detail = f"could not check: {type(exc).__name__}: {exc}"
            kept = None
            if use is whole and taker is not None:
                kept = taker.take(job.target, out)
            if out.page is not None:
                # Read, extracted and let go; a worker sends only what is judged.
                out.page.body = out.page.parsed = None
                out.page.prefix = judged_prefix(out.page.prefix)
            done(job, out, kept)

        tasks: list[asyncio.Task[None]] = []
        try:
            for start in range(0, len(jobs), START_BATCH):
                batch = jobs[start : start + START_BATCH]
                tasks.extend(asyncio.ensure_future(one(j)) for j in batch)
                # Let the first requests leave before the rest queue up: every task takes
                # a first step (to its host's queue) before the loop looks at a socket.
                await asyncio.sleep(0)
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise


START_BATCH = 64
"""Jobs started at a time: a thousand tasks started at once held the first connection
back 20 ms."""


def worker_count(options: LinkOptions, pending: int) -> int:
    """How many worker processes to use for ``pending`` links (1: none)."""
    if options.resolver is not None:
        return 1  # a resolver given in code (tests, embedding) stays in this process
    if options.workers > 0:
        return max(1, min(options.workers, pending))
    if pending < AUTO_WORKERS_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _portable(options: LinkOptions) -> LinkOptions:
    """The options a worker process can receive: no callables, a plain environment."""
    env = dict(options.environ) if options.environ is not None else None
    return replace(
        options, resolver=None, network_probe=None, clock=None, on_note=None, environ=env
    )


BATCH_SECONDS = 0.1
"""How often a worker sends what it has finished (the progress bar moves with it)."""


def start_method() -> str:
    """``fork`` where it is safe and cheap, else ``spawn``.

    A spawned worker starts a new interpreter and imports httpx, claimcheck and the
    extractors again (0.3–0.5 s of CPU before its first request, on the critical path of
    every large run); a forked one has them already. Forking is safe on Linux when this
    process has no other thread (a thread holding a lock at the fork would leave it held
    forever in the child); macOS and Windows always spawn.
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _child(conn: Connection, payload: tuple[Any, ...]) -> None:
    """Worker process entry point: fetch one group of hosts' jobs, sending the finished
    ones in batches, then ``None``."""
    # Interrupting is the parent's job: it ends its workers with SIGTERM, which must
    # end them quietly (a forked child inherits the command line's handler, which
    # raises), and a forked child must not wake the parent's event loop through the
    # inherited signal wake-up descriptor.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    jobs, options, settings, policy, taker, page_cap = payload
    batch: list[tuple[FetchJob, FetchOutcome, object]] = []

    def send() -> None:
        if batch:
            conn.send(batch)
            batch.clear()

    async def run() -> None:
        async def every_while() -> None:
            # On a clock, not on the next result: the last ones before a lull (a slow
            # host, an interruption) are not held back.
            while True:
                await asyncio.sleep(BATCH_SECONDS)
                send()

        ticker = asyncio.create_task(every_while())
        try:
            await fetch_jobs(
                jobs, options, settings, policy, taker, page_cap, lambda *r: batch.append(r)
            )
        finally:
            ticker.cancel()

    try:
        asyncio.run(run())
        send()
        conn.send(None)
    finally:
        conn.close()


async def _collect(conn: Connection, done: Done) -> set[int]:
    """Hand each result a worker sends to ``done`` until it says it has finished; the
    keys received (fewer than its jobs if it died)."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[list[tuple[FetchJob, FetchOutcome, object]] | None] = asyncio.Queue()
    fd = conn.fileno()

    def readable() -> None:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            message = None  # the worker died: what it did not send is fetched here
        if message is None:
            loop.remove_reader(fd)
        inbox.put_nowait(message)

    loop.add_reader(fd, readable)
    received: set[int] = set()
    try:
        while (batch := await inbox.get()) is not None:
            for job, outcome, kept in batch:
                received.add(job.key)
                done(job, outcome, kept)
    finally:
        loop.remove_reader(fd)
    return received


def concurrency_shares(total: int, hosts: list[int], per_host: int = 1) -> list[int]:
    """Each worker's share of the global limit ``total``, by its share of the hosts (an
    even split starved a worker given three hosts of eight against one given two), and
    at least one host's limit ``per_host`` (as far as an even split allows): a worker
    given one busy host alone would otherwise fetch it one page at a time. Together
    never more than ``total`` but by those floors."""
    all_hosts = sum(hosts) or 1
    floor = max(1, min(per_host, total // max(1, len(hosts))))
    return [max(floor, total * n // all_hosts) for n in hosts]


async def fetch_in_workers(
    jobs: list[FetchJob],
    options: LinkOptions,
    settings: FetchSettings,
    policy: SafetyPolicy,
    taker: PageTaker | None,
    page_cap: int,
    done: Done,
    workers: int,
) -> None:
    """Deal the jobs' hosts to ``workers`` processes and fetch each group there, results
    streamed back as they finish; what a worker that fails did not send is fetched in
    this process instead."""
    import multiprocessing

    from claimcheck.links.shard import shard_groups

    dealt = [(g, n) for g, n in shard_groups(jobs, [j.url for j in jobs], workers) if g]
    hosts = [n for _, n in dealt]
    limits = concurrency_shares(settings.max_concurrency, hosts, settings.max_per_host)
    shares = [replace(settings, max_concurrency=n) for n in limits]
    groups = [g for g, _ in dealt]
    portable = _portable(options)
    fork = start_method() == "fork"
    context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
    started: list[tuple[BaseProcess, Connection, list[FetchJob], FetchSettings]] = []
    if fork:
        # What the workers inherit (the ledger, the modules) lives until they end: their
        # collector must not walk it, which in a forked child also copies every page it
        # touches.
        gc.freeze()
    try:
        for group, share in zip(groups, shares, strict=True):
            receive, send = context.Pipe(duplex=False)
            payload = (group, portable, share, policy, taker, page_cap)
            proc = context.Process(target=_child, args=(send, payload), daemon=True)
            try:
                proc.start()
            except OSError:
                receive.close()
                send.close()
                await fetch_jobs(group, options, share, policy, taker, page_cap, done)
                continue
            send.close()
            started.append((proc, receive, group, share))

        async def run(receive: Connection, group: list[FetchJob], share: FetchSettings) -> None:
            got = await _collect(receive, done)
            rest = [j for j in group if j.key not in got]
            if rest:
                await fetch_jobs(rest, options, share, policy, taker, page_cap, done)

        await asyncio.gather(*(run(receive, group, share) for _, receive, group, share in started))
    finally:
        for worker, receive, *_ in started:
            if worker.is_alive():
                worker.terminate()  # interrupted: the workers stop with the run
            worker.join()
            receive.close()
        if fork:
            gc.unfreeze()  # the workers are gone: the caller's objects are collectable again
