"""The link options that ``claimcheck links`` and ``claimcheck verify`` share, parsed into
:class:`~claimcheck.links.LinkOptions` (checked by the library before any work)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from claimcheck.links import (
    LinkOptions,
)
from claimcheck.results import DEFAULT_FAIL_ON, LinkStatus

if TYPE_CHECKING:
    from claimcheck.config import Config


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


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Configuration file (claimcheck.toml or pyproject.toml with [tool.claimcheck]); "
        "'none' for no file. Default: found from the working folder upward.",
        show_default=False,
    ),
]
FailOnHttpOpt = Annotated[
    bool,
    typer.Option("--fail-on-http", help="A link cited with plain http fails the run."),
]
CaFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--ca-file",
        metavar="FILE",
        help="Extra trusted CA certificates (PEM file or folder), added to the system "
        "store, certifi and SSL_CERT_FILE / REQUESTS_CA_BUNDLE.",
        show_default=False,
    ),
]

# Command-line parameters that are settings, by parameter name.
SETTINGS = {
    "fail_on": "fail-on",
    "fail_on_http": "fail-on-http",
    "timeout": "timeout",
    "max_concurrency": "max-concurrency",
    "max_per_host": "max-per-host",
    "retries": "retries",
    "user_agent": "user-agent",
    "exclude": "exclude",
    "allow_private": "allow-private",
    "archive_endpoint": "archive-endpoint",
    "no_archive": "no-archive",
    "write_archive": "write-archive",
    "cache": "cache",
    "no_cache": "no-cache",
    "ttl": "ttl",
    "confirm": "confirm",
    "shard": "shard",
    "offline": "offline",
    "ca_file": "ca-file",
}


def given(ctx: typer.Context) -> dict[str, object]:
    """The settings given on this command line (not defaulted), by setting name."""
    out: dict[str, object] = {}
    for param, name in SETTINGS.items():
        # Compared by name: Typer vendors click, whose ParameterSource is not public.
        source = ctx.get_parameter_source(param) if param in ctx.params else None
        if source is not None and source.name == "COMMANDLINE":
            out[name] = ctx.params[param]
    return out


def load(ctx: typer.Context, config: Path | None) -> Config:
    """The effective configuration (command line > environment > file > defaults); its
    problems, each located, exit 2, its warnings go to stderr."""
    from claimcheck.cli.common import print_problems, warn
    from claimcheck.config import ConfigError, load_config

    try:
        loaded = load_config(given(ctx), config_path=config)
    except ConfigError as err:
        print_problems(err.problems, "the configuration cannot be used")
    for warning in loaded.warnings:
        warn(f"claimcheck: warning: {warning}")
    return loaded


def build_options(
    ctx: typer.Context, config: Path | None, links_command: bool = True
) -> tuple[LinkOptions, Config]:
    """Link options from the command line, the environment and the configuration file.
    The library checks the values that need more than parsing
    (:func:`claimcheck.api.check_link_options`). ``write-archive`` and ``shard`` are
    settings of ``claimcheck links`` only: ``verify`` never writes the ledger."""
    from dataclasses import replace

    from claimcheck.config import link_options

    loaded = load(ctx, config)
    options = link_options(loaded)
    if not links_command:
        options = replace(options, write_archive=False, shard=None)
    return options, loaded
