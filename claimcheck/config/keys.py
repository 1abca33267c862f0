"""Every setting: its name, default and how a value is read from a file, the
environment or the command line.

A setting's name is its command-line option without the dashes (``max-per-host``); its
environment variable is ``CLAIMCHECK_`` and the name in upper case with ``_`` for ``-``
(``CLAIMCHECK_MAX_PER_HOST``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)
from claimcheck.results import DEFAULT_FAIL_ON, LinkStatus

ENV_PREFIX = "CLAIMCHECK_"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def _what(value: object) -> str:
    """A value's TOML kind, for messages (never the value itself: it may be a secret)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``12h``, ``1d`` → seconds; ``ValueError`` otherwise."""
    m = _DURATION.match(text)
    if m is None:
        raise ValueError(f"must be a duration such as 3600, 30m, 12h or 1d, not {text!r}")
    return float(m.group(1)) * _UNIT[m.group(2).lower()]


def parse_statuses(items: list[str]) -> frozenset[LinkStatus]:
    """Link statuses, comma-separated and/or listed; ``none`` means none."""
    out: set[LinkStatus] = set()
    known = ", ".join(s.value for s in LinkStatus)
    for value in items:
        for item in value.split(","):
            item = item.strip().lower()
            if not item or item == "none":
                continue
            try:
                out.add(LinkStatus(item))
            except ValueError:
                raise ValueError(f"unknown status {item!r} (choose from: {known}, none)") from None
    return frozenset(out)


@dataclass(frozen=True)
class Key:
    """One setting."""

    name: str
    kind: str
    """``bool``, ``int``, ``number``, ``string``, ``regexes``, ``networks``, ``statuses``,
    ``duration``, ``path``, ``shard``."""
    default: object
    help: str
    minimum: float | None = None
    exclusive: bool = False
    """The minimum itself is not allowed (a timeout must be above 0)."""

    @property
    def env(self) -> str:
        """Its environment variable."""
        return ENV_PREFIX + self.name.upper().replace("-", "_")


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("fail-on", "statuses", DEFAULT_FAIL_ON, "link statuses that fail the run"),
        Key("fail-on-http", "bool", False, "a link cited with plain http fails the run"),
        Key("timeout", "number", 20.0, "seconds per request attempt", 0, exclusive=True),
        Key("max-concurrency", "int", DEFAULT_MAX_CONCURRENCY, "requests in flight", 1),
        Key("max-per-host", "int", DEFAULT_MAX_PER_HOST, "requests in flight to one host", 1),
        Key("retries", "int", 2, "retries after the first attempt", 0),
        Key("user-agent", "string", DEFAULT_USER_AGENT, "User-Agent header"),
        Key("contact", "string", None, "URL or mailto: of who runs the checks, in the UA"),
        Key("exclude", "regexes", (), "URLs matching any of these are skipped"),
        Key("allow-private", "bool", False, "allow private, loopback and link-local targets"),
        Key("allow-networks", "networks", (), "networks (CIDR) allowed without allow-private"),
        Key("archive-endpoint", "string", DEFAULT_ARCHIVE_ENDPOINT, "Wayback Machine base URL"),
        Key("no-archive", "bool", False, "do not look up archived snapshots"),
        Key("write-archive", "bool", False, "record found snapshots in the ledger (links)"),
        Key("cache", "path", None, "SQLite store of link results and history"),
        Key("no-cache", "bool", False, "neither read nor write the store"),
        Key("ttl", "duration", 86400.0, "how long a result stays fresh"),
        Key("confirm", "int", 1, "fail only after N consecutive failed checks", 1),
        Key("shard", "shard", None, "check shard K of N (links)"),
        Key("offline", "bool", False, "skip the link check (verify)"),
        Key("ca-file", "path", None, "extra trusted CA certificates (PEM file or folder)"),
    )
}
"""The flat settings; ``hosts`` and ``rewrite`` are tables (see hosts.py)."""
TABLE_KEYS = ("hosts", "rewrite")


def closest(name: str, choices: list[str]) -> str | None:
    """The choice ``name`` is most likely a typo of (``_`` read as ``-``), or None."""
    near = difflib.get_close_matches(name.replace("_", "-").lower(), choices, n=1, cutoff=0.6)
    return near[0] if near else None


def suggest(name: str, choices: list[str]) -> str:
    """`` (did you mean x?)`` for a near miss, else ''."""
    near = closest(name, choices)
    return f" (did you mean {near}?)" if near else ""


def _bool(key: Key, value: object, from_text: bool) -> bool:
    if isinstance(value, bool):
        return value
    if from_text and isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    want = "1/0, true/false, yes/no or on/off" if from_text else "true or false"
    raise ValueError(f"must be {want}, not {_what(value) if not from_text else repr(value)}")


def _number(key: Key, value: object, from_text: bool) -> float:
    if from_text and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise ValueError(f"must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {_what(value)}")
    return float(value)


def _int(key: Key, value: object, from_text: bool) -> int:
    if from_text and isinstance(value, str):
        if not value.strip().lstrip("-").isdigit():
            raise ValueError(f"must be a whole number, not {value!r}")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {_what(value)}")
    return value


def _string(key: Key, value: object, from_text: bool) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {_what(value)}")
    return value


def _strings(value: object, from_text: bool, sep: str) -> list[str]:
    if from_text and isinstance(value, str):
        return [v.strip() for v in value.split(sep) if v.strip()]
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"must be an array of strings, not {_what(value)}")
    return list(value)


def _regexes(key: Key, value: object, from_text: bool) -> tuple[str, ...]:
    # One pattern per line in a variable: a regular expression may contain commas.
    out = _strings(value, from_text, "\n")
    for pat in out:
        try:
            re.compile(pat)
        except re.error as exc:
            raise ValueError(f"{pat!r} is not a valid regular expression: {exc}") from None
    return tuple(out)


def _networks(key: Key, value: object, from_text: bool) -> tuple[str, ...]:
    import ipaddress

    out = _strings(value, from_text, ",")
    for net in out:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError as exc:
            raise ValueError(f"{net!r} is not a network: {exc}") from None
    return tuple(out)


def _statuses(key: Key, value: object, from_text: bool) -> frozenset[LinkStatus]:
    return parse_statuses(_strings(value, from_text, ","))


def _duration(key: Key, value: object, from_text: bool) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = parse_duration(value)
    else:
        raise ValueError(f"must be a duration such as 3600, 30m, 12h or 1d, not {_what(value)}")
    if seconds < 0:
        raise ValueError("must be 0 or more")
    return seconds


def _path(key: Key, value: object, from_text: bool) -> Path:
    if isinstance(value, Path):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a path, not {_what(value) if value != '' else 'empty'}")
    return Path(value).expanduser()


def _shard(key: Key, value: object, from_text: bool) -> tuple[int, int]:
    text = value if isinstance(value, str) else None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if m is None:
        got = repr(text) if text is not None else _what(value)
        raise ValueError(f"must be K/N such as 1/4, not {got}")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"{k}/{n}: need 1 ≤ K ≤ N")
    return k, n


_PARSERS: dict[str, Callable[[Key, object, bool], object]] = {
    "bool": _bool,
    "number": _number,
    "int": _int,
    "string": _string,
    "regexes": _regexes,
    "networks": _networks,
    "statuses": _statuses,
    "duration": _duration,
    "path": _path,
    "shard": _shard,
}


def parse_value(key: Key, value: object, from_text: bool = False) -> object:
    """The setting's value from a TOML value (or, ``from_text``, an environment string);
    ``ValueError`` with a message that never repeats a secret."""
    out = _PARSERS[key.kind](key, value, from_text)
    if key.minimum is not None and isinstance(out, int | float):
        low = key.minimum
        if out < low or (key.exclusive and out == low):
            raise ValueError(f"must be {'above' if key.exclusive else 'at least'} {low:g}")
    return out


def display(key: Key, value: object) -> str:
    """How ``claimcheck config`` shows a value."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if key.kind == "statuses":
        names = sorted(s.value for s in cast(frozenset[LinkStatus], value))
        return ", ".join(names) or "none"
    if key.kind == "duration":
        return _show_duration(cast(float, value))
    if key.kind == "shard":
        shard = cast(tuple[int, int], value)
        return f"{shard[0]}/{shard[1]}"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show_duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def json_value(key: Key, value: object) -> object:
    """A value as JSON."""
    if key.kind == "statuses":
        return sorted(s.value for s in cast(frozenset[LinkStatus], value))
    if key.kind == "shard" and value is not None:
        shard = cast(tuple[int, int], value)
        return f"{shard[0]}/{shard[1]}"
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value
