"""The link options that ``claimcheck links`` and ``claimcheck verify`` share, parsed into
:class:`~claimcheck.links.LinkOptions` (checked by the library before any work)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from claimcheck.links import (
    LinkOptions,
)
from claimcheck.results import DEFAULT_FAIL_ON, LinkStatus

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


def _default_list(statuses: frozenset[LinkStatus], width: int = 24) -> str:
    """``Default: a, b,`` / ``c, d.`` on short lines that no wrapping rejoins (a help
    column of a 60-column terminal holds them, and no status is cut at its hyphen)."""
    names = sorted(s.value for s in statuses) or ["none"]
    lines = ["Default:"]
    for i, name in enumerate(names):
        word = name + ("." if i == len(names) - 1 else ",")
        if len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] += " " + word
    return "\n".join(lines)


# Options shared by `claimcheck links` and `claimcheck verify`, declared once.
FailOnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on",
        metavar="STATUS,...",
        # The default list is a paragraph of its own, kept as written ("\b"): wrapped text
        # would break "redirect-loop" at its hyphen.
        help="Link statuses that fail the run (exit 1), comma-separated or repeated; "
        "'none' fails on nothing.\n\n\b\n" + _default_list(DEFAULT_FAIL_ON),
        show_default=False,
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(help="Total seconds per link request attempt.", min=0.001, metavar="SECONDS"),
]
MaxConcurrencyOpt = Annotated[
    int, typer.Option(help="Requests in flight at once, all hosts together.", min=1, metavar="N")
]
MaxPerHostOpt = Annotated[
    int, typer.Option(help="Requests in flight at once to one host.", min=1, metavar="N")
]
RetriesOpt = Annotated[
    int,
    typer.Option(help="Retries for timeouts, connection errors, 429 and 5xx.", min=0, metavar="N"),
]
UserAgentOpt = Annotated[str, typer.Option(help="User-Agent header.", metavar="TEXT")]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(help="Skip URLs matching this regular expression (repeatable).", metavar="REGEX"),
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
    typer.Option(
        help="Base URL (http or https) of the Wayback Machine: CDX API and snapshots.",
        metavar="URL",
    ),
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
        metavar="FILE",
    ),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the store.")]
TtlOpt = Annotated[
    str, typer.Option(help="How long a result stays fresh: 3600, 30m, 12h, 1d.", metavar="DURATION")
]
ConfirmOpt = Annotated[
    int,
    typer.Option(
        help="Fail only links that failed N consecutive checks spanning at least a day.",
        min=1,
        metavar="N",
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
    """Link options from the command line; a value that does not parse exits 2 with its
    message (the library checks the rest: :func:`claimcheck.api.check_link_options`)."""
    from claimcheck.cli.common import fail
    from claimcheck.links.shard import parse_shard

    try:
        fail_set = parse_fail_on(fail_on) if fail_on is not None else DEFAULT_FAIL_ON
        ttl_seconds = parse_duration(ttl)
        shard_kn = parse_shard(shard) if shard is not None else None
    except ValueError as exc:
        fail(str(exc))
    return LinkOptions(
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
