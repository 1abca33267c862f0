"""``claimcheck config``: print the effective settings and where each came from."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from claimcheck.cli import link_options as lo
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)


class ConfigFormat(StrEnum):
    """Formats of ``claimcheck config``."""

    table = "table"
    json = "json"


def config(
    ctx: typer.Context,
    fmt: Annotated[
        ConfigFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ConfigFormat.table,
    offline: Annotated[bool, typer.Option("--offline", help="As verify --offline.")] = False,
    fail_on: lo.FailOnOpt = None,
    timeout: lo.TimeoutOpt = 20.0,
    max_concurrency: lo.MaxConcurrencyOpt = DEFAULT_MAX_CONCURRENCY,
    max_per_host: lo.MaxPerHostOpt = DEFAULT_MAX_PER_HOST,
    retries: lo.RetriesOpt = 2,
    user_agent: lo.UserAgentOpt = DEFAULT_USER_AGENT,
    exclude: lo.ExcludeOpt = None,
    allow_private: lo.AllowPrivateOpt = False,
    archive_endpoint: lo.ArchiveEndpointOpt = DEFAULT_ARCHIVE_ENDPOINT,
    no_archive: lo.NoArchiveOpt = False,
    write_archive: Annotated[
        bool, typer.Option("--write-archive", help="As links --write-archive.")
    ] = False,
    cache: lo.CacheOpt = None,
    no_cache: lo.NoCacheOpt = False,
    ttl: lo.TtlOpt = "1d",
    confirm: lo.ConfirmOpt = 1,
    shard: Annotated[str | None, typer.Option(help="As links --shard.", metavar="K/N")] = None,
    fail_on_http: lo.FailOnHttpOpt = False,
    ca_file: lo.CaFileOpt = None,
    config: lo.ConfigOpt = None,
) -> None:
    """Print the effective settings (command line > environment > configuration file >
    defaults) and where each came from; takes the options of verify and links to show
    their effect. Exit 2 if the configuration cannot be used."""
    import sys

    from claimcheck.config import describe
    from claimcheck.reporters.config import render_config

    loaded = lo.load(ctx, config)
    render_config(describe(loaded), fmt.value, sys.stdout)
    sys.stdout.flush()
