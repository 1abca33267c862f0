"""The safety rule: a ledger from an untrusted pull request must not make CI fetch internal URLs.

By default only ``http``/``https`` targets whose every address is globally routable are
fetched. The rule is applied twice: to each URL before it is requested (scheme, literal
addresses, names that never resolve) and again at connect time to the addresses a name
actually resolved to, so a redirect, a second hop or a rebinding DNS answer cannot reach
a private, loopback or link-local address either.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Resolve ``(host, port)`` to IP address strings; raise :class:`NameNotResolved` if none."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TargetRefused(Exception):
    """The safety rule refuses this target (scheme or address)."""


class NameNotResolved(Exception):
    """The host name does not resolve."""


@dataclass(frozen=True)
class SafetyPolicy:
    """Which targets may be fetched."""

    allow_private: bool = False
    """Permit private, loopback, link-local and other non-global addresses."""
    allowed_networks: Sequence[str] = field(default_factory=tuple)
    """Networks (CIDR) permitted even when ``allow_private`` is false (an intranet, tests)."""

    def networks(self) -> list[IPNetwork]:
        """The parsed ``allowed_networks``."""
        return [ipaddress.ip_network(n, strict=False) for n in self.allowed_networks]

    def refuse_address(self, address: str) -> str | None:
        """Why ``address`` may not be contacted, or None if it may."""
        try:
            ip: IPAddress = ipaddress.ip_address(address.partition("%")[0])
        except ValueError:
            return f"not an IP address: {address}"
        if self.allow_private:
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.networks()):
            return None
        if isinstance(ip, ipaddress.IPv6Address):
            if ip in SITE_LOCAL or ip in LOCAL_NAT64:
                kind = "site-local" if ip in SITE_LOCAL else "local-use NAT64"
                return f"{kind} address {ip} refused (use --allow-private to permit)"
            inner = embedded_ipv4(ip)
            if inner is not None:
                # The IPv6 form reaches the IPv4 address it embeds: judge that one.
                why = self.refuse_address(str(inner))
                return f"{ip} embeds {inner}: {why}" if why else None
        if not ip.is_global or ip.is_multicast:
            kind = (
                "loopback"
                if ip.is_loopback
                else "link-local"
                if ip.is_link_local
                else "private"
                if ip.is_private
                else "non-public"
            )
            return f"{kind} address {ip} refused (use --allow-private to permit)"
        return None

    def refuse_url(self, url: str) -> str | None:
        """Why ``url`` may not be fetched before any name is resolved, or None."""
        scheme = url.partition(":")[0].strip().lower() if ":" in url else ""
        if scheme not in ("http", "https"):
            return f"scheme {scheme or '(none)'!r} refused: only http and https are checked"
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None  # malformed, not unsafe: the fetcher reports it as broken
        if not host:
            return None
        try:
            ipaddress.ip_address(host)  # a literal address (a scope id is accepted)
        except ValueError:
            return None
        return self.refuse_address(host)


SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")
"""Deprecated (RFC 3879) but still routed inside some networks: never a public host."""
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
"""Local-use NAT64 (RFC 8215): translates into whatever IPv4 space the network chooses."""
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_COMPATIBLE = ipaddress.IPv6Network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address reaches through a translation or a tunnel:
    IPv4-mapped ``::ffff:a.b.c.d`` and IPv4-compatible ``::a.b.c.d``, NAT64
    ``64:ff9b::a.b.c.d``, 6to4 ``2002:AABB:CCDD::``, and a Teredo client; else None."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or (ip in _COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve through the system resolver; ``.invalid`` never resolves (RFC 6761)."""
    name = host.rstrip(".").lower()
    if name == "invalid" or name.endswith(".invalid"):
        raise NameNotResolved(f"{host}: .invalid names never resolve")
    literal = host.strip("[]")
    try:
        # An address needs no resolver (getaddrinfo would run in a thread to say so).
        ipaddress.ip_address(literal)
    except ValueError:
        pass
    else:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise NameNotResolved(f"{host}: {exc}") from None
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    if not out:
        raise NameNotResolved(f"{host}: no address")
    return out
