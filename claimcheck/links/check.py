"""The run: collect, skip, serve from cache, fetch, judge, detect offline, archive, record."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import signal
import socket
import sqlite3
import ssl
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from claimcheck.links import LinkOptions, LinkOptionsError
from claimcheck.links.apply import accept_status, fail_plain_http, show_rewrite
from claimcheck.links.archive import ArchiveClient, ArchiveError
from claimcheck.links.cache import (
    TRANSIENT,
    UNKEPT,
    CacheLocationError,
    LinkStore,
    Note,
    default_cache_path,
    payload_to_result,
    result_to_payload,
)
from claimcheck.links.classify import classify
from claimcheck.links.collect import LedgerLike, LinkTarget, collect_targets
from claimcheck.links.fetch import (
    FetchOutcome,
    FetchSettings,
    make_client,
)
from claimcheck.links.network import (
    NetworkSetupError,
    Proxies,
    build_ssl_context,
    proxies_from_env,
    trust_sources,
)
from claimcheck.links.policy import Rewritten, SecretRef, host_of, policy_for, rewrite
from claimcheck.links.recorder import Recorder
from claimcheck.links.safety import SafetyPolicy
from claimcheck.links.shard import shard_items
from claimcheck.links.workers import (
    FetchJob,
    PageTaker,
    fetch_in_workers,
    fetch_jobs,
    worker_count,
)
from claimcheck.links.writeback import WritebackError, write_archive_urls
from claimcheck.results import LinkHistory, LinkResult, LinkStatus, LinkSummary, LinkWarning

T = TypeVar("T")

SILENT = frozenset({"dns", "connect", "connect-timeout"})
"""Failures before anything answered (no name, no route, no reply to the connection):
all of them at once, with the probe failing too, mean no network. A refusal, a reset, a
TLS failure or any HTTP answer is a reply: the network works."""
NO_NETWORK_USED = frozenset({"bad-url", "unsafe"})
"""Failures before anything was sent: they say nothing about the network."""
_NO_ARCHIVE = frozenset({LinkStatus.OK, LinkStatus.SKIPPED, LinkStatus.OFFLINE})
PROBE_HOSTS = ("web.archive.org", "example.com", "one.one.one.one")


def check_endpoint(endpoint: str) -> None:
    """``--archive-endpoint`` must be an absolute http(s) URL; :class:`LinkOptionsError`
    (a ``ValueError``) otherwise."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(endpoint.strip())
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        raise LinkOptionsError(
            f"--archive-endpoint must be an absolute http(s) URL such as "
            f"https://web.archive.org, not {endpoint!r}"
        )


def never_resolves(url: str) -> bool:
    """Whether the URL's host is under ``.invalid`` (RFC 6761): never looked up, so its
    failure says nothing about the network; it is always ``unreachable``."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    return host == "invalid" or host.endswith(".invalid")


_HEADER_VALUE = re.compile(r"[ -~]{1,1000}")
"""A User-Agent that can be sent as is: printable ASCII, one line, not empty."""


def validate(options: LinkOptions) -> list[re.Pattern[str]]:
    """Check the user's options; returns the compiled ``exclude`` patterns."""
    if not _HEADER_VALUE.fullmatch(options.user_agent):
        # CR/LF would inject headers; httpx refuses non-ASCII and so every link would fail.
        raise LinkOptionsError(
            f"--user-agent must be printable ASCII on one line, not {options.user_agent!r}"
        )
    patterns: list[re.Pattern[str]] = []
    for pat in options.exclude:
        try:
            patterns.append(re.compile(pat))
        except re.error as exc:
            raise LinkOptionsError(
                f"--exclude {pat!r} is not a valid regular expression: {exc}"
            ) from None
    if options.timeout <= 0:
        raise LinkOptionsError("--timeout must be positive")
    if options.max_concurrency < 1 or options.max_per_host < 1:
        raise LinkOptionsError("--max-concurrency and --max-per-host must be at least 1")
    if options.retries < 0:
        raise LinkOptionsError("--retries must be 0 or more")
    if options.confirm < 1:
        raise LinkOptionsError("--confirm must be at least 1")
    if options.ttl_seconds < 0:
        raise LinkOptionsError("--ttl must be 0 or more")
    check_endpoint(options.archive_endpoint)
    if options.shard is not None:
        from claimcheck.links.shard import shard_problem

        problem = shard_problem(*options.shard)
        if problem is not None:
            raise LinkOptionsError(problem)
    try:
        SafetyPolicy(allowed_networks=tuple(options.allowed_networks)).networks()
    except ValueError as exc:
        raise LinkOptionsError(f"bad allowed network: {exc}") from None
    _network(options)  # a CA file or proxy that cannot be used is an error now
    return patterns


def _environ(options: LinkOptions) -> Mapping[str, str]:
    return os.environ if options.environ is None else options.environ


def _network(options: LinkOptions) -> Proxies:
    """The proxies of the run; unusable CA files or proxies raise LinkOptionsError."""
    env = _environ(options) if options.trust_env else {}
    try:
        for where, path in trust_sources(options.ca_file, env):
            if not path.exists():
                label = f"{where} {path}" if where.startswith("--") else f"{where}={path}"
                raise NetworkSetupError(f"{label}: no such file or folder")
        return proxies_from_env(env)
    except NetworkSetupError as exc:
        raise LinkOptionsError(str(exc)) from None


def _ssl_context(options: LinkOptions, env: Mapping[str, str]) -> ssl.SSLContext:
    """The run's TLS context; a CA bundle that cannot be loaded is a LinkOptionsError."""
    try:
        return build_ssl_context(options.ca_file, env, options.trust_env)
    except NetworkSetupError as exc:
        raise LinkOptionsError(str(exc)) from None


def check_secrets(options: LinkOptions) -> None:
    """Every environment variable a host policy reads must be set (checked when links
    are about to be fetched, so ``--offline`` runs do not need the secrets)."""
    env = _environ(options)
    for policy in options.hosts:
        names = [v.env for _, v in (*policy.headers, *policy.cookies) if isinstance(v, SecretRef)]
        for name in names:
            where = f" ({policy.origin})" if policy.origin else ""
            if name not in env:
                raise LinkOptionsError(
                    f"environment variable {name}, read by the host policy for "
                    f"{policy.pattern}{where}, is not set"
                )
            if any(ord(c) < 32 or ord(c) == 127 for c in env[name]):
                # A header cannot carry it, and the HTTP library's error would quote it.
                raise LinkOptionsError(
                    f"environment variable {name}, read by the host policy for "
                    f"{policy.pattern}{where}, holds a line break or control character"
                )


class PageReader(Protocol):
    """Reads whole pages during the link run (the evidence check), so a URL that serves
    both checks is fetched once."""

    page_cap: int
    """Bytes read at most per page (raw or decompressed)."""

    def wants(self, url: str) -> bool:
        """Whether this ``url`` target's whole body is needed."""

    @property
    def taker(self) -> PageTaker:
        """Reads each wanted page as soon as it is fetched (in a worker process when the
        run uses them, so it must pickle) and returns what to keep of it."""

    def absorb(self, url: str, kept: object, link: LinkResult) -> None:
        """Take what :attr:`taker` kept of ``url``'s page, in the run's process, with the
        link's result as fetched (it may still change: offline, cache, archive)."""

    async def after(self, link_results: list[LinkResult], context: RunContext) -> None:
        """Called once the links are judged, before the store is closed."""


@dataclass
class RunContext:
    """What a :class:`PageReader` may use after the link run."""

    options: LinkOptions
    settings: FetchSettings
    policy: SafetyPolicy
    store: LinkStore | None
    checked: bool
    """False when the network was down."""


def run_check(
    ledger: LedgerLike,
    options: LinkOptions,
    progress: Callable[[int, int], None] | None,
    ledger_path: Path | None,
    reader: PageReader | None = None,
) -> tuple[list[LinkResult], LinkSummary]:
    """Synchronous entry point behind :func:`claimcheck.links.check_ledger_links`."""
    patterns = validate(options)
    check_secrets(options)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run_loop(_run(ledger, options, progress, ledger_path, patterns, reader))
    # Called from async code: run our loop in a thread rather than nesting loops.
    box: list[tuple[list[LinkResult], LinkSummary]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.append(asyncio.run(_run(ledger, options, progress, ledger_path, patterns, reader)))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work, name="claimcheck-links")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``, with this process's SIGTERM handler called from the loop:
    when it raises (the command line's does, to exit 143 keeping what was checked),
    ``main`` is cancelled instead, so the run unwinds cleanly (workers ended, results
    recorded, store closed) and the handler's exception is raised once the loop is done.
    Raised in the middle of a task, it would tear what that task was doing and leave
    asyncio a task exception nobody retrieved, printed as a traceback."""
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        return asyncio.run(main)
    handler = previous
    raised: list[BaseException] = []

    async def cancellable() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def on_sigterm() -> None:
            try:
                handler(signal.SIGTERM, None)
            except BaseException as exc:
                raised.append(exc)
                task.cancel()

        try:
            loop.add_signal_handler(signal.SIGTERM, on_sigterm)
        except (NotImplementedError, RuntimeError, ValueError):
            return await main  # Windows: no signal handlers in the loop
        try:
            return await main
        finally:
            loop.remove_signal_handler(signal.SIGTERM)
            signal.signal(signal.SIGTERM, previous)

    try:
        return asyncio.run(cancellable())
    except asyncio.CancelledError:
        if raised:
            raise raised[0] from None
        raise


def _cache_key(target: LinkTarget, allow_private: bool, fetched: str | None = None) -> str:
    # Title drift is judged against the cited titles, so they are part of the key; a
    # result fetched under --allow-private must not be served to a run without it; a
    # rewritten URL is another page.
    titles = "\x1f".join(sorted(target.titles))
    digest = hashlib.sha256(titles.encode()).hexdigest()[:16]
    scope = "private" if allow_private else "public"
    key = f"{target.kind}\x00{target.url}\x00{digest}\x00{scope}"
    return key if fetched is None or fetched == target.url else f"{key}\x00{fetched}"


async def proxy_probe(endpoints: set[tuple[str, int]], timeout: float = 3.0) -> bool:
    """Behind a proxy, the network is up when a proxy accepts a connection (direct
    connections to well-known hosts are expected to fail there)."""

    async def reach(host: str, port: int) -> bool:
        try:
            async with asyncio.timeout(timeout):
                _, writer = await asyncio.open_connection(host, port)
                writer.close()
                await writer.wait_closed()
                return True
        except (OSError, TimeoutError):
            return False

    return any(await asyncio.gather(*(reach(h, p) for h, p in endpoints)))


async def default_network_probe(timeout: float = 3.0) -> bool:
    """True if any well-known host resolves and accepts a TCP connection (all are tried
    at once, so a network that drops packets costs ``timeout`` seconds, not three times)."""
    loop = asyncio.get_running_loop()

    async def reach(host: str) -> bool:
        try:
            async with asyncio.timeout(timeout):
                infos = await loop.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
                addr = infos[0][4]
                _, writer = await asyncio.open_connection(str(addr[0]), int(addr[1]))
                writer.close()
                await writer.wait_closed()
                return True
        except (OSError, TimeoutError, IndexError):
            return False

    return any(await asyncio.gather(*(reach(h) for h in PROBE_HOSTS)))


def offline_candidates(outcomes: dict[int, FetchOutcome]) -> list[int]:
    """The links to call ``offline`` if the probe fails too: those that failed silently
    (:data:`SILENT`), provided nothing at all answered in this run. Empty as soon as one
    link got any reply. Cached results are no evidence either way (they say the network
    worked then, not now); malformed, refused-by-rule and ``.invalid`` links were never
    sent and stay what they are."""
    silent: list[int] = []
    for i, out in sorted(outcomes.items()):
        if out.hops:
            return []  # a server answered at least one hop
        if out.error in NO_NETWORK_USED or never_resolves(out.url):
            continue
        if out.error not in SILENT:
            return []  # an HTTP answer, a refusal, a reset, a TLS failure, a slow server
        silent.append(i)
    return silent


def _result(target: LinkTarget, **kw: object) -> LinkResult:
    return LinkResult(
        url=target.url,
        kind=target.kind,
        sources=tuple(target.sources),
        claims=tuple(target.claims),
        **kw,  # type: ignore[arg-type]
    )


def _from_outcome(target: LinkTarget, out: FetchOutcome) -> LinkResult:
    status, warnings, detail = classify(out, target.titles)
    final = out.final_url if (out.hops or out.final_url != out.url) else None
    if final is None and out.http_status is not None:
        final = out.url
    # The warning is about the citation, also when a rewrite fetched it over https.
    insecure = target.url.split(":", 1)[0].strip().lower() == "http"
    warnings = tuple(w for w in warnings if w is not LinkWarning.INSECURE)
    if insecure:
        warnings = (LinkWarning.INSECURE, *warnings)
    return _result(
        target,
        status=status,
        http_status=out.http_status,
        final_url=final,
        redirects=tuple(out.hops),
        elapsed_ms=out.elapsed_ms,
        warnings=warnings,
        detail=detail,
    )


async def _run(
    ledger: LedgerLike,
    options: LinkOptions,
    progress: Callable[[int, int], None] | None,
    ledger_path: Path | None,
    patterns: list[re.Pattern[str]],
    reader: PageReader | None = None,
) -> tuple[list[LinkResult], LinkSummary]:
    clock = options.clock or time.time
    targets = collect_targets(ledger)
    if options.shard is not None:
        k, n = options.shard
        targets = shard_items(targets, [t.url for t in targets], k, n)
    total = len(targets)
    done = 0
    notes: list[Note] = []

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    policy = SafetyPolicy(
        allow_private=options.allow_private, allowed_networks=tuple(options.allowed_networks)
    )
    results: dict[int, LinkResult] = {}
    store: LinkStore | None = None
    recorder: Recorder | None = None
    if options.use_cache:
        # A path the user gave must work (or the run stops with exit 2); our default
        # location may fail (a read-only home): then the run goes on without a store.
        ours = options.cache_path is None
        path = options.cache_path or default_cache_path()
        try:
            store = LinkStore(path, ours=ours)
        except (CacheLocationError, OSError, sqlite3.Error) as exc:
            if not ours:
                raise LinkOptionsError(str(exc)) from None
            notes.append((UNKEPT, f"{exc}; checked without it"))
    rewritten = [rewrite(t.url, options.rewrites) for t in targets]
    try:
        now = clock()
        pending: list[tuple[int, LinkTarget]] = []
        for i, target in enumerate(targets):
            fetch_url = rewritten[i].url
            skip = _skip_reason(target.url, fetch_url, patterns, options, policy)
            if skip is not None:
                results[i] = _result(target, status=LinkStatus.SKIPPED, detail=skip)
                tick()
                continue
            # A page the reader needs whole is always fetched: a cached verdict has no text.
            wanted = reader is not None and reader.wants(target.url)
            key = _cache_key(target, options.allow_private, fetch_url)
            hit = store.get(key, now, options.ttl_seconds) if store and not wanted else None
            if hit is not None:
                try:
                    cached = payload_to_result(target.url, target.kind, hit[0])
                except (ValueError, KeyError, TypeError):
                    cached = None
                if cached is not None and cached.status not in TRANSIENT:
                    results[i] = replace(
                        cached, sources=tuple(target.sources), claims=tuple(target.claims)
                    )
                    tick()
                    continue
            pending.append((i, target))

        settings = FetchSettings(
            timeout=options.timeout,
            retries=options.retries,
            user_agent=options.user_agent,
            max_concurrency=options.max_concurrency,
            max_per_host=options.max_per_host,
            max_redirects=options.max_redirects,
            body_cap=options.body_cap,
            backoff_base=options.backoff_base,
            backoff_cap=options.backoff_cap,
            retry_after_cap=options.retry_after_cap,
        )
        outcomes: dict[int, FetchOutcome] = {}
        fresh: set[int] = set()
        proxies = _network(options)
        env = _environ(options)
        if trust_sources(options.ca_file, env if options.trust_env else {}):
            _ssl_context(options, env)  # a named CA file that cannot be used: exit 2 now

        def tls() -> ssl.SSLContext:
            return _ssl_context(options, env)  # built once per process for the same files

        if store is not None:
            recorder = Recorder(store, clock)
        if pending:
            jobs = [
                FetchJob(i, rewritten[i].url, t.url, reader is not None and reader.wants(t.url))
                for i, t in pending
            ]

            def finished(job: FetchJob, out: FetchOutcome, kept: object) -> None:
                outcomes[job.key] = out
                results[job.key] = _from_outcome(targets[job.key], out)
                if reader is not None and job.whole:
                    reader.absorb(job.target, kept, results[job.key])
                fresh.add(job.key)
                if recorder is not None and out.error not in SILENT:
                    # A reply (or a refusal of our own): not something the offline
                    # probe could turn into `offline`, so it is kept at once.
                    key = _cache_key(targets[job.key], options.allow_private, job.url)
                    recorder.add(job.key, key, results[job.key])
                tick()

            taker = reader.taker if reader is not None else None
            cap = reader.page_cap if reader is not None else options.body_cap
            workers = worker_count(options, len(jobs))
            if workers > 1:
                await fetch_in_workers(
                    jobs, options, settings, policy, taker, cap, finished, workers
                )
            else:
                await fetch_jobs(jobs, options, settings, policy, taker, cap, finished)

        checked = True
        silent = offline_candidates(outcomes)
        if silent:
            probe = options.network_probe or default_network_probe
            if options.network_probe is None and proxies.endpoints:
                endpoints = proxies.endpoints

                async def probe() -> bool:
                    return await proxy_probe(endpoints)

            if not await probe():
                checked = False
                for i in silent:
                    results[i] = replace(
                        results[i],
                        status=LinkStatus.OFFLINE,
                        warnings=(),
                        detail=f"network unreachable ({outcomes[i].detail}); not checked",
                    )
                # Reporters put the short form in their own sentence ("links not
                # checked (…)"), next to the count of offline links.
                notes.append(
                    (
                        "the network is unreachable",
                        f"the network is unreachable: {len(silent)} link(s) were not checked "
                        "and none is called dead",
                    )
                )

        archive_map: dict[str, str] = {}
        if checked and options.archive:
            await _find_archives(
                targets, results, fresh, options, settings, archive_map, notes, tls, proxies
            )

        if reader is not None:
            await reader.after(
                [results[i] for i in range(total)],
                RunContext(options, settings, policy, store, checked),
            )
        if store is not None:
            if recorder is not None:
                recorder.flush()  # what it holds is in the history before the rest
            now = clock()
            rows = []
            for i in sorted(fresh):
                r = results[i]
                if r.status in (LinkStatus.SKIPPED, LinkStatus.OFFLINE):
                    continue
                if recorder is None or i not in recorder.recorded:
                    store.record(r.url, r.status, now)
                if r.status not in TRANSIENT:
                    rows.append(
                        (
                            _cache_key(targets[i], options.allow_private, rewritten[i].url),
                            r.url,
                            now,
                            result_to_payload(r),
                        )
                    )
            store.put_many(rows)
            for i, r in results.items():
                if r.status not in (LinkStatus.SKIPPED, LinkStatus.OFFLINE):
                    history = store.history(r.url, options.confirm)
                    detail = _with_history(r.detail, history, options.confirm)
                    results[i] = replace(r, history=history, detail=detail)
    finally:
        if store is not None:
            if recorder is not None:
                recorder.flush()  # an interrupted run keeps what it had checked
            store.close()
            notes[:0] = store.notes

    if options.write_archive and archive_map:
        if ledger_path is None:
            text = "--write-archive needs the ledger's path so nothing was written"
            notes.append((text, text))
        else:
            try:
                count = write_archive_urls(ledger_path, archive_map)
                notes.append(
                    (
                        f"archive_url written for {count} source{'s' if count != 1 else ''}",
                        f"archive_url written for {count} source(s) in {ledger_path}",
                    )
                )
            except (OSError, WritebackError) as exc:
                notes.append(
                    (
                        "archive URLs could not be written to the ledger",
                        f"could not write archive URLs to {ledger_path}: {exc}",
                    )
                )

    ordered = [_configured(results[i], rewritten[i], options) for i in range(total)]
    if options.on_note is not None:
        for short, text in notes:
            if short != "the network is unreachable":  # the report itself says so
                options.on_note(text)
    summary = summarize(ordered, options, checked, [short for short, _ in notes])
    return ordered, summary


def _skip_reason(
    url: str,
    fetch_url: str,
    patterns: list[re.Pattern[str]],
    options: LinkOptions,
    policy: SafetyPolicy,
) -> str | None:
    """Why a link is not fetched at all (``skipped``), or None."""
    if any(p.search(url) or p.search(fetch_url) for p in patterns):
        return "excluded by --exclude"
    host_policy = policy_for(options.hosts, host_of(fetch_url))
    if host_policy is not None and host_policy.skip:
        where = f" ({host_policy.origin})" if host_policy.origin else ""
        return f"skipped by the host policy for {host_policy.pattern}{where}"
    return policy.refuse_url(fetch_url)


def _configured(result: LinkResult, rw: Rewritten, options: LinkOptions) -> LinkResult:
    """The configuration's say on a result: rewrite shown, accepted statuses, plain http."""
    result = show_rewrite(result, rw)
    result = accept_status(result, options.hosts)
    return fail_plain_http(result, options.fail_on)


def _whole_settings(settings: FetchSettings, page_cap: int) -> FetchSettings:
    """Settings that read bodies whole, up to ``page_cap`` bytes."""
    return replace(settings, keep_body=True, body_cap=page_cap)


async def _find_archives(
    targets: list[LinkTarget],
    results: dict[int, LinkResult],
    fresh: set[int],
    options: LinkOptions,
    settings: FetchSettings,
    archive_map: dict[str, str],
    notes: list[Note],
    tls: Callable[[], ssl.SSLContext] | None = None,
    proxies: Proxies | None = None,
) -> None:
    """Attach a snapshot to every link that is not ok; fill ``archive_map`` per source."""
    wanted = [i for i, r in results.items() if r.kind == "url" and r.status not in _NO_ARCHIVE]
    if not wanted:
        return
    arch_settings = replace(settings, max_concurrency=2, max_per_host=2)
    failures: list[str] = []
    proxy = proxies.for_url(options.archive_endpoint) if proxies is not None else None
    ctx = tls() if tls is not None else None
    async with make_client(arch_settings, None, ctx, None, proxy) as client:
        archive = ArchiveClient(client, options.archive_endpoint, arch_settings)

        async def one(i: int) -> None:
            target = targets[i]
            r = results[i]
            if r.archive_url is not None and i not in fresh:
                return  # cached result already carries its snapshot
            missing = [s for s in target.sources if s not in target.archived]
            found: str | None = None
            try:
                for sid in missing:
                    snap = await archive.find(target.url, target.dates.get(sid))
                    if snap is not None:
                        archive_map[sid] = snap
                        found = found or snap
            except ArchiveError as exc:
                failures.append(str(exc))
            except Exception as exc:  # an archive's odd answer is a note, never a crash
                failures.append(f"{type(exc).__name__}: {exc}")
            if found is None and target.archived:
                found = next(iter(target.archived.values()))
            if found is not None:
                results[i] = replace(results[i], archive_url=found)

        await asyncio.gather(*(one(i) for i in wanted))
    if failures:
        n = len(failures)
        notes.append(
            (
                f"archive lookup failed for {n} link{'s' if n != 1 else ''}",
                f"archive lookup failed for {n} link(s): {failures[0]}",
            )
        )


def _with_history(detail: str | None, history: LinkHistory, confirm: int) -> str | None:
    """Say how long a link has been failing, so every reporter shows it."""
    if history.failing_since is None or (history.consecutive_failures < 2 and confirm <= 1):
        return detail
    runs = history.consecutive_failures
    text = f"failing since {history.failing_since[:10]}, {runs} check{'s' if runs > 1 else ''}"
    text += " in a row" if runs > 1 else ""
    if not history.confirmed:
        text += f"; not yet confirmed (--confirm {confirm}: {confirm} checks a day apart)"
    return f"{detail}; {text}" if detail else text


def one_sentence(clauses: list[str]) -> str | None:
    """``a``, ``a and b``, ``a, b and c``: the summary's note, with no final period (the
    reporters place it inside their own sentences)."""
    clauses = sorted(dict.fromkeys(clauses), key=lambda c: not c.startswith("the network"))
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return ", ".join(clauses[:-1]) + " and " + clauses[-1]


def summarize(
    results: list[LinkResult], options: LinkOptions, checked: bool, notes: list[str]
) -> LinkSummary:
    """Counts per status, the number of confirmed failing links, and the notes as one
    short sentence (the network first: it is what a reader must know)."""
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status.value] = by_status.get(r.status.value, 0) + 1
    from claimcheck.links import count_failing

    failing = count_failing(results, options.fail_on)
    return LinkSummary(
        total=len(results),
        by_status=by_status,
        checked=checked,
        note=one_sentence(notes),
        failing=failing,
    )


__all__ = [
    "PageReader",
    "RunContext",
    "default_network_probe",
    "run_check",
    "summarize",
    "validate",
]
