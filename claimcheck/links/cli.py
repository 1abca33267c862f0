"""``claimcheck links``: check every cited URL once and report what rotted."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimcheck.links import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
    LinkOptions,
)
from claimcheck.results import DEFAULT_FAIL_ON, ExitCode, LinkStatus


class LinkFormat(StrEnum):
    """Output formats of ``claimcheck links``."""

    table = "table"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    github = "github"


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``12h``, ``1d`` → seconds; ``ValueError`` otherwise."""
    m = _DURATION.match(text)
    if m is None:
        raise ValueError(f"--ttl must be a duration such as 3600, 30m, 12h or 1d, not {text!r}")
    return float(m.group(1)) * _UNIT[m.group(2).lower()]


def parse_fail_on(values: list[str]) -> frozenset[LinkStatus]:
    """Comma-separated and/or repeated statuses; ``none`` fails on nothing."""
    out: set[LinkStatus] = set()
    known = ", ".join(s.value for s in LinkStatus)
    for value in values:
        for item in value.split(","):
            item = item.strip().lower()
            if not item:
                continue
            if item == "none":
                continue
            try:
                out.add(LinkStatus(item))
            except ValueError:
                raise ValueError(
                    f"--fail-on: unknown status {item!r} (choose from: {known}, none)"
                ) from None
    return frozenset(out)


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(f"claimcheck: error: {message}\n")
    return typer.Exit(int(ExitCode.USAGE))


def links_command(
    ledger: Annotated[
        Path | None,
        typer.Argument(help="Ledger file (JSON). Default: the bundled ledger.", show_default=False),
    ] = None,
    fmt: Annotated[
        LinkFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = LinkFormat.table,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            help="Statuses that fail the run (exit 1), comma-separated or repeated; 'none'. "
            "Default: " + ",".join(sorted(s.value for s in DEFAULT_FAIL_ON)) + ".",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Total seconds per request attempt.", min=0.001)
    ] = 20.0,
    max_concurrency: Annotated[
        int, typer.Option(help="Requests in flight at once, all hosts together.", min=1)
    ] = DEFAULT_MAX_CONCURRENCY,
    max_per_host: Annotated[
        int, typer.Option(help="Requests in flight at once to one host.", min=1)
    ] = DEFAULT_MAX_PER_HOST,
    retries: Annotated[
        int, typer.Option(help="Retries for timeouts, connection errors, 429 and 5xx.", min=0)
    ] = 2,
    user_agent: Annotated[str, typer.Option(help="User-Agent header.")] = DEFAULT_USER_AGENT,
    exclude: Annotated[
        list[str] | None,
        typer.Option(help="Skip URLs matching this regular expression (repeatable)."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow private, loopback and link-local targets (refused by default, "
            "since a ledger may come from an untrusted pull request).",
        ),
    ] = False,
    archive_endpoint: Annotated[
        str, typer.Option(help="Base URL of the Wayback Machine (CDX API and snapshots).")
    ] = "https://web.archive.org",
    no_archive: Annotated[
        bool, typer.Option("--no-archive", help="Do not look up archived snapshots.")
    ] = False,
    write_archive: Annotated[
        bool,
        typer.Option(
            "--write-archive", help="Record found snapshots as archive_url in the ledger."
        ),
    ] = False,
    cache: Annotated[
        Path | None,
        typer.Option(help="SQLite store of results and history (default: user cache dir)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the store.")
    ] = False,
    ttl: Annotated[
        str, typer.Option(help="How long a result stays fresh: 3600, 30m, 12h, 1d.")
    ] = "1d",
    confirm: Annotated[
        int,
        typer.Option(
            help="Fail only links that failed N consecutive checks spanning at least a day.",
            min=1,
        ),
    ] = 1,
    shard: Annotated[
        str | None,
        typer.Option(help="Check shard K of N (K/N), split by host, for parallel CI jobs."),
    ] = None,
) -> None:
    """Check every cited url and archive_url once; report each with the claims that depend
    on it. Exit 0 fine, 1 a --fail-on status, 2 usage, 3 network unreachable."""
    from claimcheck.cli_common import emit, load_or_exit
    from claimcheck.links import LinkOptionsError, check_ledger_links, links_exit_code
    from claimcheck.links.progress import stderr_progress
    from claimcheck.links.shard import parse_shard
    from claimcheck.results import Report

    try:
        fail_set = parse_fail_on(fail_on) if fail_on is not None else DEFAULT_FAIL_ON
        ttl_seconds = parse_duration(ttl)
        shard_kn = parse_shard(shard) if shard is not None else None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    options = LinkOptions(
        timeout=timeout,
        max_concurrency=max_concurrency,
        max_per_host=max_per_host,
        retries=retries,
        user_agent=user_agent,
        exclude=list(exclude or []),
        allow_private=allow_private,
        archive_endpoint=archive_endpoint,
        archive=not no_archive,
        write_archive=write_archive,
        cache_path=cache,
        use_cache=not no_cache,
        ttl_seconds=ttl_seconds,
        confirm=confirm,
        shard=shard_kn,
        fail_on=fail_set,
    )
    loaded = load_or_exit(ledger)
    bar = stderr_progress() if fmt is LinkFormat.table else None
    try:
        results, summary = check_ledger_links(
            loaded.ledger, options, progress=bar, ledger_path=loaded.path
        )
    except LinkOptionsError as exc:
        raise _fail(str(exc)) from None
    finally:
        close = getattr(bar, "close", None)
        if close is not None:
            close()
    code = links_exit_code(results, summary, options)
    if summary.checked and summary.note:
        sys.stderr.write(f"claimcheck: note: {summary.note}\n")
    report = Report(
        ledger=loaded.display,
        title="claimcheck links",
        links=results,
        link_summary=summary,
        sections=("links",),
        exit_code=code,
    )
    emit(report, fmt.value)
    raise typer.Exit(int(code))
