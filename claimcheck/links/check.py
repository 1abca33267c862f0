"""The run: collect, skip, serve from cache, fetch, judge, detect offline, archive, record."""

from __future__ import annotations

import asyncio
import hashlib
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from claimcheck.links import LinkOptions, LinkOptionsError
from claimcheck.links.archive import ArchiveClient, ArchiveError
from claimcheck.links.cache import (
    TRANSIENT,
    LinkStore,
    default_cache_path,
    payload_to_result,
    result_to_payload,
)
from claimcheck.links.classify import classify
from claimcheck.links.collect import LedgerLike, LinkTarget, collect_targets
from claimcheck.links.fetch import (
    ClientPool,
    Fetcher,
    FetchOutcome,
    FetchSettings,
    GuardedBackend,
    make_client,
)
from claimcheck.links.safety import SafetyPolicy, system_resolver
from claimcheck.links.shard import shard_items
from claimcheck.links.writeback import WritebackError, write_archive_urls
from claimcheck.results import LinkHistory, LinkResult, LinkStatus, LinkSummary

NETWORK_LEVEL = frozenset({"dns", "connect", "connect-timeout"})
"""Failures that happen before any server answers: all of them at once may mean no network."""
_NO_ARCHIVE = frozenset({LinkStatus.OK, LinkStatus.SKIPPED, LinkStatus.OFFLINE})
PROBE_HOSTS = ("web.archive.org", "example.com", "one.one.one.one")


def validate(options: LinkOptions) -> list[re.Pattern[str]]:
    """Check the user's options; returns the compiled ``exclude`` patterns."""
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
    if options.shard is not None:
        k, n = options.shard
        if n < 1 or not 1 <= k <= n:
            raise LinkOptionsError(f"--shard {k}/{n}: need 1 ≤ K ≤ N")
    try:
        SafetyPolicy(allowed_networks=tuple(options.allowed_networks)).networks()
    except ValueError as exc:
        raise LinkOptionsError(f"bad allowed network: {exc}") from None
    return patterns


def run_check(
    ledger: LedgerLike,
    options: LinkOptions,
    progress: Callable[[int, int], None] | None,
    ledger_path: Path | None,
) -> tuple[list[LinkResult], LinkSummary]:
    """Synchronous entry point behind :func:`claimcheck.links.check_ledger_links`."""
    patterns = validate(options)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_run(ledger, options, progress, ledger_path, patterns))
    # Called from async code: run our loop in a thread rather than nesting loops.
    box: list[tuple[list[LinkResult], LinkSummary]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.append(asyncio.run(_run(ledger, options, progress, ledger_path, patterns)))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work, name="claimcheck-links")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]


def _cache_key(target: LinkTarget, allow_private: bool) -> str:
    # Title drift is judged against the cited titles, so they are part of the key; a
    # result fetched under --allow-private must not be served to a run without it.
    titles = "\x1f".join(sorted(target.titles))
    digest = hashlib.sha256(titles.encode()).hexdigest()[:16]
    scope = "private" if allow_private else "public"
    return f"{target.kind}\x00{target.url}\x00{digest}\x00{scope}"


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
    final = out.final_url if (out.hops or out.final_url != target.url) else None
    if final is None and out.http_status is not None:
        final = target.url
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
) -> tuple[list[LinkResult], LinkSummary]:
    clock = options.clock or time.time
    targets = collect_targets(ledger)
    if options.shard is not None:
        k, n = options.shard
        targets = shard_items(targets, [t.url for t in targets], k, n)
    total = len(targets)
    done = 0
    notes: list[str] = []

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
    if options.use_cache:
        path = options.cache_path or default_cache_path()
        try:
            store = LinkStore(path)
        except (OSError, sqlite3.Error) as exc:  # read-only home, a directory in the way …
            notes.append(f"link cache {path} unusable ({exc}); checked without it")
        else:
            if store.note:
                notes.append(store.note)
    try:
        now = clock()
        pending: list[tuple[int, LinkTarget]] = []
        for i, target in enumerate(targets):
            if any(p.search(target.url) for p in patterns):
                results[i] = _result(
                    target, status=LinkStatus.SKIPPED, detail="excluded by --exclude"
                )
                tick()
                continue
            reason = policy.refuse_url(target.url)
            if reason is not None:
                results[i] = _result(target, status=LinkStatus.SKIPPED, detail=reason)
                tick()
                continue
            hit = (
                store.get(_cache_key(target, options.allow_private), now, options.ttl_seconds)
                if store
                else None
            )
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
        if pending:
            backend = GuardedBackend(
                options.resolver or system_resolver,
                policy,
                resolve_timeout=min(10.0, options.timeout * 0.8),
            )
            async with ClientPool(settings, backend) as clients:
                fetcher = Fetcher(clients, settings, policy)

                async def one(i: int, target: LinkTarget) -> None:
                    try:
                        out = await fetcher.fetch(target.url)
                    except Exception as exc:  # one odd URL must not sink the whole run
                        out = FetchOutcome(url=target.url, final_url=target.url)
                        out.error = "protocol"
                        out.detail = f"could not check: {type(exc).__name__}: {exc}"
                    outcomes[i] = out
                    results[i] = _from_outcome(target, out)
                    fresh.add(i)
                    tick()

                await asyncio.gather(*(one(i, t) for i, t in pending))

        checked = True
        # Links that never needed the network (malformed, refused) say nothing about it.
        tried = {i: o for i, o in outcomes.items() if o.error not in ("bad-url", "unsafe")}
        if tried and all(o.error in NETWORK_LEVEL for o in tried.values()):
            probe = options.network_probe or default_network_probe
            if not await probe():
                checked = False
                for i in tried:
                    results[i] = replace(
                        results[i],
                        status=LinkStatus.OFFLINE,
                        warnings=(),
                        detail=f"network unreachable ({outcomes[i].detail}); not checked",
                    )
                notes.append(
                    f"the network is unreachable: {len(tried)} link(s) were not checked "
                    "and none is called dead"
                )

        archive_map: dict[str, str] = {}
        if checked and options.archive:
            await _find_archives(targets, results, fresh, options, settings, archive_map, notes)

        if store is not None:
            now = clock()
            rows = []
            for i in sorted(fresh):
                r = results[i]
                if r.status in (LinkStatus.SKIPPED, LinkStatus.OFFLINE):
                    continue
                store.record(r.url, r.status, now)
                if r.status not in TRANSIENT:
                    rows.append(
                        (
                            _cache_key(targets[i], options.allow_private),
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
            if store.note and store.note not in notes:
                notes.append(store.note)
    finally:
        if store is not None:
            store.close()

    if options.write_archive and archive_map:
        if ledger_path is None:
            notes.append("--write-archive needs the ledger's path; nothing written")
        else:
            try:
                text = ledger_path.read_text(encoding="utf-8")
                count = write_archive_urls(ledger_path, text, archive_map)
                notes.append(f"archive_url written for {count} source(s) in {ledger_path}")
            except (OSError, WritebackError) as exc:
                notes.append(f"could not write archive URLs to {ledger_path}: {exc}")

    ordered = [results[i] for i in range(total)]
    summary = summarize(ordered, options, checked, notes)
    return ordered, summary


async def _find_archives(
    targets: list[LinkTarget],
    results: dict[int, LinkResult],
    fresh: set[int],
    options: LinkOptions,
    settings: FetchSettings,
    archive_map: dict[str, str],
    notes: list[str],
) -> None:
    """Attach a snapshot to every link that is not ok; fill ``archive_map`` per source."""
    wanted = [i for i, r in results.items() if r.kind == "url" and r.status not in _NO_ARCHIVE]
    if not wanted:
        return
    arch_settings = replace(settings, max_concurrency=2, max_per_host=2)
    failures: list[str] = []
    async with make_client(arch_settings) as client:
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
            if found is None and target.archived:
                found = next(iter(target.archived.values()))
            if found is not None:
                results[i] = replace(results[i], archive_url=found)

        await asyncio.gather(*(one(i) for i in wanted))
    if failures:
        notes.append(f"archive lookup failed for {len(failures)} link(s): {failures[0]}")


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


def summarize(
    results: list[LinkResult], options: LinkOptions, checked: bool, notes: list[str]
) -> LinkSummary:
    """Counts per status and the number of confirmed failing links."""
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status.value] = by_status.get(r.status.value, 0) + 1
    failing = sum(
        1
        for r in results
        if r.status in options.fail_on and (r.history is None or r.history.confirmed)
    )
    return LinkSummary(
        total=len(results),
        by_status=by_status,
        checked=checked,
        note="; ".join(notes) or None,
        failing=failing,
    )


__all__ = ["default_network_probe", "run_check", "summarize", "validate"]
