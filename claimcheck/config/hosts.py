"""The ``hosts`` and ``rewrite`` tables of a configuration file.

Secrets never live in the file: a header or cookie value that is (or looks like) a
credential must be written ``{ env = "VARIABLE" }`` and is read from the environment
when links are fetched. A literal one is an error, and no message repeats it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from claimcheck.config.keys import suggest
from claimcheck.config.locate import KeyPath
from claimcheck.links.policy import HeaderValue, HostPolicy, Rewrite, SecretRef

_HOST_KEYS = ("headers", "cookies", "accept", "skip", "max-per-host", "delay", "timeout")
_REWRITE_KEYS = ("from", "to")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HOST_PATTERN = re.compile(
    r"(\*|(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)"
)
_SECRET_HEADER = re.compile(
    r"authori[sz]ation|cookie|token|secret|passw|key|auth|session|signature|credential", re.I
)
_CREDENTIAL_VALUE = re.compile(r"^\s*(bearer|basic|token|digest)\s+\S", re.I)


def looks_secret(value: str) -> bool:
    """A credential scheme (``Bearer …``) or a long run of token characters with letters
    and digits mixed (an API key)."""
    if _CREDENTIAL_VALUE.match(value):
        return True
    compact = value.strip()
    return (
        len(compact) >= 20
        and re.fullmatch(r"[A-Za-z0-9+/=_.:-]+", compact) is not None
        and re.search(r"[A-Za-z]", compact) is not None
        and re.search(r"\d", compact) is not None
    )


@dataclass
class Problems:
    """Collects located errors: ``report(path, key shown, message)``."""

    report: Callable[[KeyPath, str, str], None]


def _secret(raw: object, path: KeyPath, shown: str, problems: Problems) -> SecretRef | None:
    if isinstance(raw, dict):
        extra = sorted(set(raw) - {"env"})
        name = raw.get("env")
        if extra or not isinstance(name, str) or not _ENV_NAME.fullmatch(name):
            problems.report(
                path, shown, 'must be { env = "VARIABLE" } naming an environment variable'
            )
            return None
        return SecretRef(env=name)
    return None


def parse_hosts(raw: object, base: KeyPath, problems: Problems) -> list[tuple[KeyPath, HostPolicy]]:
    """``hosts``: a table of host patterns, each a table of policy keys."""
    if not isinstance(raw, dict):
        problems.report(base, "hosts", 'must be a table of host patterns: [hosts."example.com"]')
        return []
    out: list[tuple[KeyPath, HostPolicy]] = []
    for pattern, table in raw.items():
        path = (*base, pattern)
        shown = f'hosts."{pattern}"'
        if not _HOST_PATTERN.fullmatch(pattern):
            problems.report(
                path,
                shown,
                "must be a lower-case host name such as example.com (subdomains included), "
                "*.example.com or *, not a URL",
            )
            continue
        if not isinstance(table, dict):
            problems.report(path, shown, "must be a table")
            continue
        policy = _host(
            pattern.removeprefix("*.") if pattern != "*" else "*", table, path, shown, problems
        )
        if policy is not None:
            out.append((path, policy))
    return out


def _host(
    pattern: str, table: dict[str, object], path: KeyPath, shown: str, problems: Problems
) -> HostPolicy | None:
    ok = True
    for key in table:
        if key not in _HOST_KEYS:
            problems.report(
                (*path, key), f"{shown}.{key}", "unknown key" + suggest(key, list(_HOST_KEYS))
            )
            ok = False
    headers = _headers(table.get("headers", {}), (*path, "headers"), f"{shown}.headers", problems)
    cookies = _cookies(table.get("cookies", {}), (*path, "cookies"), f"{shown}.cookies", problems)
    accept = _accept(table.get("accept", []), (*path, "accept"), f"{shown}.accept", problems)
    skip = table.get("skip", False)
    if not isinstance(skip, bool):
        problems.report((*path, "skip"), f"{shown}.skip", "must be true or false")
        ok = False
    per_host = _number(table, "max-per-host", path, shown, problems, integer=True, low=1)
    delay = _number(table, "delay", path, shown, problems, low=0)
    timeout = _number(table, "timeout", path, shown, problems, low=0, exclusive=True)
    if not ok or headers is None or cookies is None or accept is None:
        return None
    if per_host is False or delay is False or timeout is False:
        return None
    return HostPolicy(
        pattern=pattern,
        headers=tuple(headers),
        cookies=tuple(cookies),
        accept=frozenset(accept),
        skip=bool(skip),
        max_per_host=int(per_host) if per_host is not None else None,
        delay=float(delay or 0.0),
        timeout=float(timeout) if timeout is not None else None,
    )


def _number(
    table: dict[str, object],
    key: str,
    path: KeyPath,
    shown: str,
    problems: Problems,
    integer: bool = False,
    low: float = 0,
    exclusive: bool = False,
) -> float | bool | None:
    """The number, None when absent, False after reporting a problem."""
    if key not in table:
        return None
    value = table[key]
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "a whole number" if integer else "a number of seconds"
        problems.report((*path, key), f"{shown}.{key}", f"must be {what}")
        return False
    assert isinstance(value, int | float)
    if value < low or (exclusive and value == low):
        problems.report(
            (*path, key),
            f"{shown}.{key}",
            f"must be {'above' if exclusive else 'at least'} {low:g}",
        )
        return False
    return float(value)


def _headers(
    raw: object, path: KeyPath, shown: str, problems: Problems
) -> list[tuple[str, HeaderValue]] | None:
    if not isinstance(raw, dict):
        problems.report(path, shown, 'must be a table: { "Accept-Language" = "en" }')
        return None
    out: list[tuple[str, HeaderValue]] = []
    ok = True
    for name, value in raw.items():
        where, label = (*path, name), f"{shown}.{name}"
        if not _HEADER_NAME.fullmatch(name) or name.lower() in ("host", "content-length"):
            problems.report(where, label, "not a header that can be set")
            ok = False
            continue
        ref = _secret(value, where, label, problems)
        if isinstance(value, dict):
            if ref is None:
                ok = False
                continue
            out.append((name, ref))
        elif isinstance(value, str):
            if _SECRET_HEADER.search(name) or looks_secret(value):
                problems.report(
                    where,
                    label,
                    "a secret must not be written in the file: write "
                    '{ env = "VARIABLE" } and set VARIABLE in the environment (a CI secret)',
                )
                ok = False
                continue
            if "\n" in value or "\r" in value:
                problems.report(where, label, "a header value cannot contain a line break")
                ok = False
                continue
            out.append((name, value))
        else:
            problems.report(where, label, 'must be a string or { env = "VARIABLE" }')
            ok = False
    return out if ok else None


def _cookies(
    raw: object, path: KeyPath, shown: str, problems: Problems
) -> list[tuple[str, SecretRef]] | None:
    if not isinstance(raw, dict):
        problems.report(path, shown, 'must be a table: { session = { env = "VARIABLE" } }')
        return None
    out: list[tuple[str, SecretRef]] = []
    ok = True
    for name, value in raw.items():
        where, label = (*path, name), f"{shown}.{name}"
        ref = _secret(value, where, label, problems)
        if ref is None:
            if not isinstance(value, dict):
                problems.report(
                    where,
                    label,
                    "cookie values are secrets and must not be written in the file: write "
                    '{ env = "VARIABLE" } and set VARIABLE in the environment (a CI secret)',
                )
            ok = False
            continue
        out.append((name, ref))
    return out if ok else None


def _accept(raw: object, path: KeyPath, shown: str, problems: Problems) -> list[int] | None:
    if not isinstance(raw, list):
        problems.report(path, shown, "must be an array of HTTP statuses such as [403, 429]")
        return None
    out: list[int] = []
    for i, code in enumerate(raw):
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 999:
            problems.report((*path, i), shown, "each must be an HTTP status (100 to 999)")
            return None
        out.append(code)
    return out


def parse_rewrites(raw: object, base: KeyPath, problems: Problems) -> list[tuple[KeyPath, Rewrite]]:
    """``rewrite``: an array of ``{ from = "http://old/", to = "https://new/" }``."""
    if not isinstance(raw, list):
        problems.report(
            base, "rewrite", 'must be an array of tables: [[rewrite]] from = "…" to = "…"'
        )
        return []
    out: list[tuple[KeyPath, Rewrite]] = []
    for i, rule in enumerate(raw):
        path, shown = (*base, i), f"rewrite[{i + 1}]"
        if not isinstance(rule, dict):
            problems.report(path, shown, "must be a table with from and to")
            continue
        bad = False
        for key in rule:
            if key not in _REWRITE_KEYS:
                problems.report(
                    (*path, key),
                    f"{shown}.{key}",
                    "unknown key" + suggest(key, list(_REWRITE_KEYS)),
                )
                bad = True
        ends = [rule.get("from"), rule.get("to")]
        for key, value in zip(_REWRITE_KEYS, ends, strict=True):
            if not isinstance(value, str) or not re.match(r"(?i)https?://", value):
                problems.report(
                    (*path, key) if key in rule else path,
                    f"{shown}.{key}",
                    "must be a URL prefix starting with http:// or https://",
                )
                bad = True
        if not bad:
            out.append((path, Rewrite(old=str(ends[0]), new=str(ends[1]))))
    return out
