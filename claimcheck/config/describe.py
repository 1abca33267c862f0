"""From an effective configuration to link options, and to the data ``claimcheck
config`` shows (secrets appear only as the names of their variables)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from claimcheck.config.keys import KEYS, json_value
from claimcheck.config.load import Config
from claimcheck.links import LinkOptions, user_agent
from claimcheck.links.policy import HostPolicy, SecretRef
from claimcheck.results import LinkStatus


def link_options(config: Config, environ: Mapping[str, str] | None = None) -> LinkOptions:
    """The :class:`LinkOptions` the configuration describes."""
    v = config.value
    fail_on = cast(frozenset[LinkStatus], v("fail-on"))
    if v("fail-on-http"):
        fail_on = fail_on | {LinkStatus.INSECURE}
    return LinkOptions(
        timeout=cast(float, v("timeout")),
        max_concurrency=cast(int, v("max-concurrency")),
        max_per_host=cast(int, v("max-per-host")),
        retries=cast(int, v("retries")),
        user_agent=_user_agent(config),
        exclude=list(cast(tuple[str, ...], v("exclude"))),
        allow_private=bool(v("allow-private")),
        allowed_networks=list(cast(tuple[str, ...], v("allow-networks"))),
        archive_endpoint=cast(str, v("archive-endpoint")),
        archive=not v("no-archive"),
        write_archive=bool(v("write-archive")),
        cache_path=cast(Path | None, v("cache")),
        use_cache=not v("no-cache"),
        ttl_seconds=cast(float, v("ttl")),
        confirm=cast(int, v("confirm")),
        shard=cast(tuple[int, int] | None, v("shard")),
        fail_on=fail_on,
        hosts=config.hosts,
        rewrites=config.rewrites,
        ca_file=cast(Path | None, v("ca-file")),
        environ=environ,
    )


def _user_agent(config: Config) -> str:
    """``user-agent`` as set, else the default naming ``contact`` when one is set."""
    chosen = config.settings["user-agent"]
    contact = config.value("contact")
    if chosen.source == "default" and contact:
        return user_agent(str(contact))
    return str(chosen.value)


def _host(policy: HostPolicy, environ: Mapping[str, str]) -> dict[str, object]:
    def shown(value: str | SecretRef) -> str:
        if isinstance(value, str):
            return value
        state = "set" if value.env in environ else "NOT SET"
        return f"${value.env} ({state})"

    return {
        "pattern": policy.pattern,
        "headers": {name: shown(value) for name, value in policy.headers},
        "cookies": {name: shown(value) for name, value in policy.cookies},
        "accept": sorted(policy.accept),
        "skip": policy.skip,
        "max_per_host": policy.max_per_host,
        "delay": policy.delay,
        "timeout": policy.timeout,
        "from": policy.origin,
    }


def describe(config: Config, environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """Everything ``claimcheck config`` reports, as JSON-ready data.

    Header and cookie values read from the environment are shown as ``$VARIABLE (set)``
    or ``(NOT SET)``: never their value."""
    env = os.environ if environ is None else environ
    settings = {
        name: {
            "value": json_value(KEYS[name], s.value),
            "shown": s.shown,
            "source": s.source,
            "from": s.where,
        }
        for name, s in config.settings.items()
    }
    ua = settings["user-agent"]
    ua["value"] = ua["shown"] = _user_agent(config)  # with ``contact`` when one is set
    return {
        "file": str(config.file) if config.file else None,
        "table": config.table or None,
        "settings": settings,
        "hosts": [_host(p, env) for p in config.hosts],
        "rewrite": [{"from": r.old, "to": r.new, "defined": r.origin} for r in config.rewrites],
        "warnings": list(config.warnings),
    }
