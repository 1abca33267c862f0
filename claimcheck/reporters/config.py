"""``claimcheck config``: the effective settings and where each came from."""

from __future__ import annotations

from typing import Any, TextIO

from claimcheck.results import Listing

COLUMNS = ["setting", "value", "from"]


def _source(entry: dict[str, Any]) -> str:
    source, where = entry["source"], entry["from"]
    if source == "default":
        return "default"
    if source == "file":
        return str(where)
    if source == "environment":
        return f"environment {where}"
    return f"command line {where}"


def _host_value(host: dict[str, Any]) -> str:
    parts: list[str] = []
    if host["skip"]:
        parts.append("skip")
    for label, key in (("headers", "headers"), ("cookies", "cookies")):
        if host[key]:
            parts.append(f"{label}: " + ", ".join(f"{k}={v}" for k, v in host[key].items()))
    if host["accept"]:
        parts.append("accept: " + ", ".join(str(c) for c in host["accept"]))
    if host["max_per_host"] is not None:
        parts.append(f"max-per-host: {host['max_per_host']}")
    if host["delay"]:
        parts.append(f"delay: {host['delay']:g}s")
    if host["timeout"] is not None:
        parts.append(f"timeout: {host['timeout']:g}s")
    return "; ".join(parts) or "(nothing)"


def config_listing(data: dict[str, Any]) -> Listing:
    """The settings as rows: setting, value, from (``default``, ``file:line``,
    ``environment VAR``, ``command line --option``), then host policies and rewrites."""
    rows = [[name, entry["shown"], _source(entry)] for name, entry in data["settings"].items()]
    for host in data["hosts"]:
        rows.append([f'hosts."{host["pattern"]}"', _host_value(host), host["from"]])
    for i, rule in enumerate(data["rewrite"], 1):
        rows.append([f"rewrite[{i}]", f"{rule['from']} → {rule['to']}", rule["defined"]])
    if data["file"]:
        title = f"claimcheck config · {data['file']} {data['table']}"
    else:
        title = "claimcheck config · no configuration file (defaults and environment)"
    return Listing(title=title, columns=COLUMNS, rows=rows)


def render_config(data: dict[str, Any], fmt: str, out: TextIO) -> None:
    """``table``: one row per setting; ``json``: the data as one object."""
    if fmt == "json":
        from claimcheck.reporters.escape import json_text

        out.write(json_text(data) + "\n")  # a config file may come from a pull request
        return
    from claimcheck.reporters.escape import visible_listing
    from claimcheck.reporters.table import render_listing

    # A pyproject.toml may come from a pull request: nothing in it reaches the terminal raw.
    render_listing(visible_listing(config_listing(data)), out)
