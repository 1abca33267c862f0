"""``claimcheck links``: check every cited URL once and report what rotted."""

from __future__ import annotations

import gc
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from claimcheck.formats import ReportFormat
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
    LinkOptions,
)
from claimcheck.results import DEFAULT_FAIL_ON, LinkResult, LinkStatus, LinkSummary

if TYPE_CHECKING:
    from claimcheck.loader import LoadedLedger


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


def _default_list(statuses: frozenset[LinkStatus]) -> str:
    """``Default: a, b, c,`` and ``d, e.`` on two short lines that no wrapping rejoins."""
    names = sorted(s.value for s in statuses) or ["none"]
    half = (len(names) + 1) // 2
    lines = [", ".join(names[:half]), ", ".join(names[half:])]
    return "Default: " + ",\n".join(line for line in lines if line) + "."


# Options shared by `claimcheck links` and `claimcheck verify`, declared once.
FailOnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on",
        # The default list is a paragraph of its own, kept as written ("\b"): wrapped text
        # would break "redirect-loop" at its hyphen.
        help="Link statuses that fail the run (exit 1), comma-separated or repeated; "
        "'none' fails on nothing.\n\n\b\n" + _default_list(DEFAULT_FAIL_ON),
        show_default=False,
    ),
]
TimeoutOpt = Annotated[
    float, typer.Option(help="Total seconds per link request attempt.", min=0.001)
]
MaxConcurrencyOpt = Annotated[
    int, typer.Option(help="Requests in flight at once, all hosts together.", min=1)
]
MaxPerHostOpt = Annotated[int, typer.Option(help="Requests in flight at once to one host.", min=1)]
RetriesOpt = Annotated[
    int, typer.Option(help="Retries for timeouts, connection errors, 429 and 5xx.", min=0)
]
UserAgentOpt = Annotated[str, typer.Option(help="User-Agent header.")]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(help="Skip URLs matching this regular expression (repeatable)."),
]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Allow private, loopback and link-local targets (refused by default, "
        "since a ledger may come from an untrusted pull request).",
    ),
]
ArchiveEndpointOpt = Annotated[
    str,
    typer.Option(help="Base URL (http or https) of the Wayback Machine: CDX API and snapshots."),
]
NoArchiveOpt = Annotated[
    bool, typer.Option("--no-archive", help="Do not look up archived snapshots.")
]
CacheOpt = Annotated[
    Path | None,
    typer.Option(
        help="SQLite store of link results and history (default: user cache dir). Missing "
        "folders are created; a file that is not a link store is refused, never overwritten.",
        show_default=False,
    ),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the store.")]
TtlOpt = Annotated[str, typer.Option(help="How long a result stays fresh: 3600, 30m, 12h, 1d.")]
ConfirmOpt = Annotated[
    int,
    typer.Option(
        help="Fail only links that failed N consecutive checks spanning at least a day.", min=1
    ),
]


def build_options(
    *,
    fail_on: list[str] | None,
    timeout: float,
    max_concurrency: int,
    max_per_host: int,
    retries: int,
    user_agent: str,
    exclude: list[str] | None,
    allow_private: bool,
    archive_endpoint: str,
    no_archive: bool,
    cache: Path | None,
    no_cache: bool,
    ttl: str,
    confirm: int,
    write_archive: bool = False,
    shard: str | None = None,
) -> LinkOptions:
    """Link options from the command line; a bad value exits 2 with its message."""
    from claimcheck.cli_common import fail
    from claimcheck.links.cache import inspect_location, refusal
    from claimcheck.links.check import validate
    from claimcheck.links.shard import parse_shard

    try:
        fail_set = parse_fail_on(fail_on) if fail_on is not None else DEFAULT_FAIL_ON
        ttl_seconds = parse_duration(ttl)
        shard_kn = parse_shard(shard) if shard is not None else None
        if cache is not None and not no_cache:
            # Refuse before any work; nothing is created or changed here.
            kind = inspect_location(cache)
            if kind == "not-sqlite":
                raise ValueError(refusal(f"--cache {cache}", kind))
    except ValueError as exc:
        fail(str(exc))
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
    try:
        validate(options)  # every option at once, before any work
    except ValueError as exc:
        fail(str(exc))
    return options


def run_links(
    loaded: LoadedLedger, options: LinkOptions, show_progress: bool
) -> tuple[list[LinkResult], LinkSummary]:
    """Check the ledger's links with a progress bar on a terminal's stderr.

    Bad options (an invalid ``--exclude`` regex) exit 2; notes of the run (cache rebuilt,
    snapshots written) go to stderr so that stdout keeps only the report.
    """
    from claimcheck.cli_common import fail
    from claimcheck.links import LinkOptionsError, check_ledger_links
    from claimcheck.reporters.progress import stderr_progress

    gc.enable()  # the CLI turns it off for one-shot work; an event loop makes cycles
    bar = stderr_progress() if show_progress else None
    notes: list[str] = []
    if options.on_note is None:
        options = replace(options, on_note=notes.append)
    try:
        results, summary = check_ledger_links(
            loaded.ledger, options, progress=bar, ledger_path=loaded.path
        )
    except LinkOptionsError as exc:
        fail(str(exc))
    finally:
        close = getattr(bar, "close", None)
        if close is not None:
            close()
    for note in notes:  # after the bar is gone; a network outage is told by the report
        # A store set aside (a file renamed on the user's disk) deserves more than a note.
        level = "warning" if note.startswith("link cache") else "note"
        sys.stderr.write(f"claimcheck: {level}: {note}\n")
    return results, summary


def links_command(
    ledger: Annotated[
        Path | None,
        typer.Argument(help="Ledger file (JSON). Default: the bundled ledger.", show_default=False),
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ReportFormat.table,
    fail_on: FailOnOpt = None,
    timeout: TimeoutOpt = 20.0,
    max_concurrency: MaxConcurrencyOpt = DEFAULT_MAX_CONCURRENCY,
    max_per_host: MaxPerHostOpt = DEFAULT_MAX_PER_HOST,
    retries: RetriesOpt = 2,
    user_agent: UserAgentOpt = DEFAULT_USER_AGENT,
    exclude: ExcludeOpt = None,
    allow_private: AllowPrivateOpt = False,
    archive_endpoint: ArchiveEndpointOpt = DEFAULT_ARCHIVE_ENDPOINT,
    no_archive: NoArchiveOpt = False,
    write_archive: Annotated[
        bool,
        typer.Option(
            "--write-archive", help="Record found snapshots as archive_url in the ledger."
        ),
    ] = False,
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    ttl: TtlOpt = "1d",
    confirm: ConfirmOpt = 1,
    shard: Annotated[
        str | None,
        typer.Option(help="Check shard K of N (K/N), split by host, for parallel CI jobs."),
    ] = None,
) -> None:
    """Check every cited url and archive_url once; report each with the claims that depend
    on it. Exit 0 fine, 1 a --fail-on status, 2 usage, 3 network unreachable."""
    from claimcheck.cli_common import emit, load_or_exit
    from claimcheck.links import links_exit_code
    from claimcheck.results import Report

    options = build_options(
        fail_on=fail_on,
        timeout=timeout,
        max_concurrency=max_concurrency,
        max_per_host=max_per_host,
        retries=retries,
        user_agent=user_agent,
        exclude=exclude,
        allow_private=allow_private,
        archive_endpoint=archive_endpoint,
        no_archive=no_archive,
        cache=cache,
        no_cache=no_cache,
        ttl=ttl,
        confirm=confirm,
        write_archive=write_archive,
        shard=shard,
    )
    if write_archive and ledger is None:
        # The bundled ledger may live inside site-packages: never rewrite it.
        from claimcheck.cli_common import fail

        fail("--write-archive needs a LEDGER path; the bundled ledger is not rewritten")
    if write_archive and ledger is not None:
        from claimcheck.atomic import check_writable
        from claimcheck.cli_common import fail

        try:  # before any work: a read-only ledger is refused, never rewritten
            check_writable(ledger)
        except OSError as err:
            fail(f"--write-archive: cannot write {ledger}: {err.strerror or err}")
    loaded = load_or_exit(ledger, fmt.value)
    results, summary = run_links(loaded, options, show_progress=fmt is ReportFormat.table)
    code = links_exit_code(results, summary, options)
    report = Report(
        ledger=loaded.display,
        title="claimcheck links",
        links=results,
        link_summary=summary,
        sections=("links",),
        exit_code=code,
        fail_on=options.fail_on,
    )
    emit(report, fmt.value)
    raise typer.Exit(int(code))
