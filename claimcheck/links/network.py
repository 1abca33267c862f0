"""The network a run goes through: trusted certificate authorities and proxies.

CI runners on corporate networks reach the internet through a proxy named in
``HTTPS_PROXY`` and inspect TLS with a private certificate authority installed in the
system store or named in ``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE``. httpx on its own
trusts only ``certifi`` (or ``SSL_CERT_FILE`` alone, in place of it), and claimcheck
used to ignore the environment entirely, so every link was unreachable there. This
module reads the standard variables once per run; nothing here imports httpx.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CA_FILE_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
"""Variables naming a PEM bundle (or, for the last two, a folder) of trusted CAs."""
CA_DIR_VARIABLES = ("SSL_CERT_DIR",)
"""Variables naming folders of hashed certificates (``os.pathsep``-separated)."""


class NetworkSetupError(ValueError):
    """A CA file or proxy named by an option or the environment cannot be used."""


def _getenv(environ: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """``(variable, value)`` of the lower-case spelling, else the upper-case one."""
    for var in (name.lower(), name.upper()):
        value = environ.get(var, "").strip()
        if value:
            return var, value
    return None


def trust_sources(ca_file: Path | None, environ: Mapping[str, str]) -> list[tuple[str, Path]]:
    """Every extra place to load CAs from, as ``(where it was named, path)``."""
    out: list[tuple[str, Path]] = []
    for var in CA_FILE_VARIABLES:
        value = environ.get(var, "").strip()
        if value:
            out.append((var, Path(value)))
    for var in CA_DIR_VARIABLES:
        for part in environ.get(var, "").split(os.pathsep):
            if part.strip():
                out.append((var, Path(part.strip())))
    if ca_file is not None:
        out.append(("--ca-file", ca_file))
    return out


def build_ssl_context(
    ca_file: Path | None = None, environ: Mapping[str, str] | None = None, trust_env: bool = True
) -> ssl.SSLContext:
    """A verifying TLS context trusting certifi, the system store and every CA named.

    Everything is added, nothing replaced: a private CA named in ``SSL_CERT_FILE`` does
    not make public sites untrusted. A named file or folder that cannot be used raises
    :class:`NetworkSetupError` naming the variable or option.
    """
    import certifi

    env = os.environ if environ is None else environ
    defaults = ssl.get_default_verify_paths()
    # The system store, named explicitly: OpenSSL's own default loading would read
    # SSL_CERT_FILE silently (a missing file ignored), which is checked instead.
    sources: list[tuple[str, Path]] = [("certifi", Path(certifi.where()))]
    sources += [
        ("system store", Path(p))
        for p in (defaults.openssl_cafile, defaults.openssl_capath)
        if p and os.path.exists(p)
    ]
    sources += trust_sources(ca_file, env if trust_env else {})
    # Parsing the bundles costs 0.1-0.3 s: one context per process for the same files
    # (a file changed since is read again).
    key = tuple((where, str(path), _mtime(path)) for where, path in sources)
    return _context(key)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@functools.lru_cache(maxsize=8)
def _context(sources: tuple[tuple[str, str, int | None], ...]) -> ssl.SSLContext:
    """A verifying context trusting ``sources`` (certifi first); errors are not cached."""
    (_, first, _), *rest = sources
    ctx = ssl.create_default_context(cafile=first)
    if sys.platform == "win32":  # pragma: no cover - the Windows certificate stores
        ctx.load_default_certs()
    # CI images often name the system bundle three times (SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
    # CURL_CA_BUNDLE): each file is parsed once.
    loaded = {os.path.realpath(first)}
    for where, path, _ in rest:
        real = os.path.realpath(path)
        if real not in loaded:
            _load(ctx, where, Path(path))
            loaded.add(real)
    return ctx


def _load(ctx: ssl.SSLContext, where: str, path: Path) -> None:
    label = f"{where} {path}" if where.startswith("--") else f"{where}={path}"
    try:
        if path.is_dir():
            ctx.load_verify_locations(capath=str(path))
        elif path.is_file():
            ctx.load_verify_locations(cafile=str(path))
        else:
            raise NetworkSetupError(f"{label}: no such file or folder")
    except ssl.SSLError as exc:
        raise NetworkSetupError(
            f"{label}: not a PEM bundle of CA certificates ({exc.reason or exc})"
        ) from None
    except OSError as exc:
        raise NetworkSetupError(f"{label}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class Proxies:
    """The proxies named by ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and
    ``NO_PROXY`` (lower-case spellings first, as curl reads them)."""

    http: str | None = None
    https: str | None = None
    bypass: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    """Which variable named each proxy, for messages."""

    def for_url(self, url: str) -> str | None:
        """The proxy URL to send ``url`` through, or None to connect directly."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".").lower()
            port = parts.port
        except ValueError:
            return None
        proxy = self.https if parts.scheme.lower() == "https" else self.http
        if proxy is None or _bypassed(host, port, self.bypass):
            return None
        return proxy

    @property
    def endpoints(self) -> set[tuple[str, int]]:
        """``(host, port)`` of every proxy: the safety rule does not apply to them."""
        out: set[tuple[str, int]] = set()
        for proxy in (self.http, self.https):
            if proxy is not None:
                parts = urlsplit(proxy)
                default = 443 if parts.scheme == "https" else 80
                out.add(((parts.hostname or "").lower(), parts.port or default))
        return out


def proxies_from_env(environ: Mapping[str, str] | None = None) -> Proxies:
    """Read the proxy variables; an unusable proxy raises :class:`NetworkSetupError`."""
    env = os.environ if environ is None else environ
    fallback = _getenv(env, "all_proxy")
    chosen: dict[str, tuple[str, str] | None] = {}
    for scheme in ("http", "https"):
        chosen[scheme] = _getenv(env, f"{scheme}_proxy") or fallback
    sources: dict[str, str] = {}
    urls: dict[str, str | None] = {}
    for scheme, found in chosen.items():
        if found is None:
            urls[scheme] = None
            continue
        var, value = found
        urls[scheme] = _proxy_url(var, value)
        sources[urls[scheme] or ""] = var
    no_proxy = _getenv(env, "no_proxy")
    bypass = tuple(
        e.strip().lower() for e in (no_proxy[1] if no_proxy else "").split(",") if e.strip()
    )
    return Proxies(http=urls["http"], https=urls["https"], bypass=bypass, sources=sources)


def _proxy_url(var: str, value: str) -> str:
    if "://" not in value:
        value = "http://" + value  # curl's reading of "proxy.corp:3128"
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port
    except ValueError as exc:
        raise NetworkSetupError(f"{var}: not a proxy URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise NetworkSetupError(
            f"{var}={redact_url(value)}: {parts.scheme} proxies are not supported (http and https "
            "proxies are); set NO_PROXY=* to connect directly"
        )
    if not host:
        raise NetworkSetupError(f"{var}={redact_url(value)}: no proxy host")
    return value


def redact_url(url: str) -> str:
    """A proxy URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def _bypassed(host: str, port: int | None, entries: tuple[str, ...]) -> bool:
    """Whether ``NO_PROXY`` sends ``host`` directly: ``*``, a domain (with its
    subdomains; a leading dot or ``*.`` is ignored), ``host:port``, an address or a
    CIDR network."""
    for entry in entries:
        if entry == "*":
            return True
        name, want_port = entry, None
        if entry.count(":") == 1:  # host:port, not an IPv6 address
            name, _, p = entry.partition(":")
            want_port = int(p) if p.isdigit() else None
        if want_port is not None and port != want_port:
            continue
        name = name.removeprefix("*").lstrip(".").strip("[]")
        if not name:
            continue
        if host == name or host.endswith("." + name):
            return True
        try:
            if ipaddress.ip_address(host.strip("[]")) in ipaddress.ip_network(name, strict=False):
                return True
        except ValueError:
            pass
    return False


__all__ = [
    "NetworkSetupError",
    "Proxies",
    "build_ssl_context",
    "proxies_from_env",
    "redact_url",
    "trust_sources",
]
