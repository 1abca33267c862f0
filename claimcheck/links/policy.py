"""Per-host policy and URL rewrites: what a configuration says about particular sites.

Plain data and pure functions (no httpx, no TOML): the configuration loader builds
these, the link run applies them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SecretRef:
    """A value taken from an environment variable at run time, never written anywhere."""

    env: str
    """Name of the environment variable."""


HeaderValue = str | SecretRef


@dataclass(frozen=True)
class HostPolicy:
    """What to do for one host pattern.

    ``pattern`` matches the host itself and every subdomain (``example.com`` matches
    ``www.example.com``); ``*`` matches every host. The longest matching pattern wins
    and policies are not merged.
    """

    pattern: str
    headers: tuple[tuple[str, HeaderValue], ...] = ()
    cookies: tuple[tuple[str, SecretRef], ...] = ()
    accept: frozenset[int] = frozenset()
    """HTTP statuses that count as ``ok`` for this host (a site that answers 403 to
    every robot, for instance)."""
    skip: bool = False
    max_per_host: int | None = None
    delay: float = 0.0
    """Seconds between the starts of two requests to the host."""
    timeout: float | None = None
    origin: str = ""
    """Where it was defined (``pyproject.toml:12``), for messages."""

    def matches(self, host: str) -> bool:
        """Whether ``host`` (lower case) falls under this pattern."""
        p = self.pattern
        return p == "*" or host == p or host.endswith("." + p)


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` without a trailing dot ('' if none)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def policy_for(policies: Sequence[HostPolicy], host: str) -> HostPolicy | None:
    """The most specific policy whose pattern matches ``host``."""
    host = host.rstrip(".").lower()
    best: HostPolicy | None = None
    for p in policies:
        if p.matches(host) and (best is None or _rank(p) > _rank(best)):
            best = p
    return best


def _rank(p: HostPolicy) -> int:
    return -1 if p.pattern == "*" else len(p.pattern)


def secret_names(policies: Sequence[HostPolicy]) -> list[str]:
    """Every environment variable the policies read, in order, once."""
    names: list[str] = []
    for p in policies:
        values: list[HeaderValue] = [v for _, v in p.headers] + [v for _, v in p.cookies]
        for v in values:
            if isinstance(v, SecretRef) and v.env not in names:
                names.append(v.env)
    return names


def request_headers(policy: HostPolicy, environ: Mapping[str, str]) -> dict[str, str]:
    """The headers (and a ``Cookie`` header) to send to a host under ``policy``.

    Variables are read from ``environ``; a missing one was refused before the run."""
    out: dict[str, str] = {}
    for name, value in policy.headers:
        out[name] = value if isinstance(value, str) else environ.get(value.env, "")
    if policy.cookies:
        out["Cookie"] = "; ".join(f"{n}={environ.get(v.env, '')}" for n, v in policy.cookies)
    return out


@dataclass(frozen=True)
class Rewrite:
    """Replace the prefix ``old`` of a URL by ``new`` before fetching it.

    ``old`` is matched case-insensitively in its scheme and host, and only at a boundary:
    ``http://example.com`` rewrites ``http://example.com/a`` and ``http://example.com:8080``
    but not ``http://example.com.evil.org/``.
    """

    old: str
    new: str
    origin: str = ""

    def describe(self) -> str:
        """``old → new`` as shown in results."""
        return f"{self.old} → {self.new}"

    def apply(self, url: str) -> str | None:
        """The rewritten URL, or None when the rule does not apply."""
        head = url[: len(self.old)]
        if _fold(head) != _fold(self.old):
            return None
        rest = url[len(self.old) :]
        if not self.old.endswith(("/", "://")) and rest and rest[0] not in "/?#:":
            return None
        return self.new + rest


def _fold(prefix: str) -> str:
    """Lower-case the scheme and authority of a URL prefix, keep its path as written."""
    scheme, sep, rest = prefix.partition("://")
    if not sep:
        return prefix.lower()
    slash = rest.find("/")
    if slash < 0:
        return f"{scheme.lower()}://{rest.lower()}"
    return f"{scheme.lower()}://{rest[:slash].lower()}{rest[slash:]}"


@dataclass(frozen=True)
class Rewritten:
    """A URL after the rewrite rules: what is fetched and which rules made it."""

    url: str
    rules: tuple[str, ...] = field(default_factory=tuple)


def rewrite(url: str, rules: Sequence[Rewrite]) -> Rewritten:
    """Apply the rules in order, each to the result of the ones before (each at most once)."""
    applied: list[str] = []
    for rule in rules:
        new = rule.apply(url)
        if new is not None and new != url:
            url = new
            applied.append(rule.describe())
    return Rewritten(url=url, rules=tuple(applied))
