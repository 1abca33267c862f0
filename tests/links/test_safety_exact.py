"""Every refusal path of the safety rule, each pinned to its exact answer.

A refusal that no test reaches can turn into "allowed" unnoticed: each branch of
``SafetyPolicy`` and of the system resolver is exercised here on its own.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from claimcheck.links import check_ledger_links
from claimcheck.links.safety import NameNotResolved, SafetyPolicy, system_resolver
from claimcheck.results import LinkStatus

from .conftest import LoopServer, fast_options, ledger_of

HINT = "refused (use --allow-private to permit)"


@pytest.mark.parametrize("allow_private", [False, True])
@pytest.mark.parametrize("address", ["not-an-ip", "", "10.0.0", "host.example", "::g"])
def test_an_address_that_does_not_parse_is_refused(address: str, allow_private: bool) -> None:
    # Fail closed: even --allow-private never lets an unparseable "address" through.
    policy = SafetyPolicy(allow_private=allow_private)
    assert policy.refuse_address(address) == f"not an IP address: {address}"


def test_a_resolver_answering_garbage_is_refused_not_contacted(server: LoopServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["not-an-ip"]

    url = server.url("/ok").replace("127.0.0.1", "innocent.example")
    for allow_private in (False, True):
        opts = fast_options(allow_private=allow_private, resolver=resolver)
        results, _ = check_ledger_links(ledger_of(url), opts)
        assert results[0].status is LinkStatus.SKIPPED
        assert results[0].detail == "innocent.example resolves to a not an IP address: not-an-ip"
        assert results[0].http_status is None


def test_one_unsafe_address_among_safe_ones_refuses_the_name(server: LoopServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1", "10.9.8.7"]

    url = server.url("/ok").replace("127.0.0.1", "mixed.example")
    opts = fast_options(allow_private=False, allowed_networks=["127.0.0.1/32"], resolver=resolver)
    results, _ = check_ledger_links(ledger_of(url), opts)
    assert results[0].status is LinkStatus.SKIPPED
    assert results[0].detail == f"mixed.example resolves to a private address 10.9.8.7 {HINT}"


@pytest.mark.parametrize(
    ("address", "kind", "shown"),
    [
        ("127.0.0.5", "loopback", "127.0.0.5"),
        ("::1", "loopback", "::1"),
        ("169.254.169.254", "link-local", "169.254.169.254"),
        ("fe80::1", "link-local", "fe80::1"),
        ("fe80::1%eth0", "link-local", "fe80::1"),
        ("fe80::1%eth0%x", "link-local", "fe80::1"),  # the scope id is never shown
        ("10.1.2.3", "private", "10.1.2.3"),
        ("192.168.0.1", "private", "192.168.0.1"),
        ("fc00::1", "private", "fc00::1"),
        ("100.64.0.1", "non-public", "100.64.0.1"),
        ("224.0.0.1", "non-public", "224.0.0.1"),
        ("239.255.255.250", "non-public", "239.255.255.250"),
        ("ff02::1", "non-public", "ff02::1"),
        # An IPv4-mapped IPv6 address is judged (and shown) as the IPv4 address it maps.
        ("::ffff:127.0.0.1", "loopback", "127.0.0.1"),
        ("::ffff:10.0.0.1", "private", "10.0.0.1"),
    ],
)
def test_each_kind_of_internal_address_is_refused_by_name(
    address: str, kind: str, shown: str
) -> None:
    assert SafetyPolicy().refuse_address(address) == f"{kind} address {shown} {HINT}"


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:4700::1111", "2606:4700::1111%eth0", "::ffff:1.1.1.1"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert SafetyPolicy().refuse_address(address) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "fe80::1", "224.0.0.1"])
def test_allow_private_permits_every_parseable_address(address: str) -> None:
    assert SafetyPolicy(allow_private=True).refuse_address(address) is None
    assert SafetyPolicy(allow_private=False).refuse_address(address) is not None


def test_allowed_networks_open_exactly_their_range() -> None:
    policy = SafetyPolicy(allowed_networks=["10.1.0.0/16", "127.0.0.1/32", "10.9.9.9/8"])
    assert policy.refuse_address("10.1.255.254") is None
    assert policy.refuse_address("127.0.0.1") is None
    assert policy.refuse_address("::ffff:127.0.0.1") is None  # the mapped form too
    assert policy.refuse_address("127.0.0.2") == f"loopback address 127.0.0.2 {HINT}"
    # A host part in the CIDR is tolerated: "10.9.9.9/8" means 10.0.0.0/8.
    assert policy.refuse_address("10.200.0.1") is None
    assert SafetyPolicy(allowed_networks=["10.1.0.0/16"]).refuse_address("10.2.0.1") == (
        f"private address 10.2.0.1 {HINT}"
    )


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("ftp://example.org/file", "ftp"),
        ("FILE:///etc/passwd", "file"),
        ("javascript:alert(1)", "javascript"),
        ("gopher://example.org/", "gopher"),
        ("example.org/no-scheme", "(none)"),
        ("", "(none)"),
    ],
)
def test_schemes_other_than_http_are_refused(url: str, scheme: str) -> None:
    reason = SafetyPolicy(allow_private=True).refuse_url(url)
    assert reason == f"scheme {scheme!r} refused: only http and https are checked"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/",
        "HTTPS://example.org/x",
        " https://93.184.216.34/",
        "http://[2606:4700::1111]/",
        "http://[::1/",  # malformed: reported as broken by the fetcher, not refused here
        "http:///no-host",
    ],
)
def test_urls_the_rule_leaves_to_the_fetcher(url: str) -> None:
    assert SafetyPolicy().refuse_url(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/", f"private address 10.0.0.1 {HINT}"),
        ("https://[::1]:8443/", f"loopback address ::1 {HINT}"),
        ("http://[fe80::1%25eth0]/", f"link-local address fe80::1 {HINT}"),
        ("http://[::ffff:127.0.0.1]/", f"loopback address 127.0.0.1 {HINT}"),
    ],
)
def test_literal_internal_addresses_are_refused_before_resolving(url: str, reason: str) -> None:
    assert SafetyPolicy().refuse_url(url) == reason
    assert SafetyPolicy(allow_private=True).refuse_url(url) is None


class Lookups:
    """Stands in for socket.getaddrinfo: records names, answers with ``answer``."""

    def __init__(self, answer: list[str] | Exception) -> None:
        self.names: list[str] = []
        self.answer = answer

    def __call__(self, host: str, port: int, *args: object, **kw: object) -> list[tuple]:  # type: ignore[type-arg]
        self.names.append(host)
        if isinstance(self.answer, Exception):
            raise self.answer
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in self.answer]


@pytest.mark.parametrize(
    "host", ["x.invalid", "deep.name.INVALID", "x.invalid.", "invalid", "Invalid."]
)
def test_invalid_names_never_reach_dns(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = Lookups(["93.184.216.34"])
    monkeypatch.setattr(socket, "getaddrinfo", lookups)
    with pytest.raises(NameNotResolved) as err:
        asyncio.run(system_resolver(host, 80))
    assert str(err.value) == f"{host}: .invalid names never resolve"
    assert lookups.names == []


@pytest.mark.parametrize(
    "host", ["invalid.example.org", "notinvalid", "x.invalidate", "x.invalidX", "x.invalid.X"]
)
def test_names_merely_containing_invalid_are_looked_up(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = Lookups(["93.184.216.34"])
    monkeypatch.setattr(socket, "getaddrinfo", lookups)
    assert asyncio.run(system_resolver(host, 443)) == ["93.184.216.34"]
    assert lookups.names == [host]


def test_system_resolver_lists_each_address_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", Lookups(["192.0.2.7", "192.0.2.1", "192.0.2.7"]))
    assert asyncio.run(system_resolver("twice.example", 80)) == ["192.0.2.7", "192.0.2.1"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([], "empty.example: no address"),
        (socket.gaierror(-2, "Name or service not known"), "empty.example: [Errno -2] Name"),
        (UnicodeError("label too long"), "empty.example: label too long"),
    ],
)
def test_system_resolver_failures_are_names_that_do_not_resolve(
    answer: list[str] | Exception, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", Lookups(answer))
    with pytest.raises(NameNotResolved) as err:
        asyncio.run(system_resolver("empty.example", 80))
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("host", "expected", "looked_up"),
    [
        ("127.0.0.2", ["127.0.0.2"], False),
        ("[::1]", ["::1"], False),
        ("::ffff:10.0.0.1", ["::ffff:10.0.0.1"], False),
        # Not addresses Python reads as such (shorthand, leading zeros): the system decides.
        ("127.1", ["93.184.216.34"], True),
        ("127.000.000.001", ["93.184.216.34"], True),
    ],
)
def test_an_address_is_its_own_answer(
    host: str, expected: list[str], looked_up: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = Lookups(["93.184.216.34"])
    monkeypatch.setattr(socket, "getaddrinfo", lookups)
    assert asyncio.run(system_resolver(host, 80)) == expected
    assert lookups.names == ([host] if looked_up else [])


def test_a_mapped_private_address_given_as_the_host_is_still_refused() -> None:
    assert SafetyPolicy().refuse_address("::ffff:10.0.0.1") is not None


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("fec0::1", "site-local address fec0::1"),
        ("64:ff9b:1::a00:1", "local-use NAT64 address 64:ff9b:1::a00:1"),
        ("::2", "::2 embeds 0.0.0.2: private address 0.0.0.2"),
        ("::a00:1", "::a00:1 embeds 10.0.0.1: private address 10.0.0.1"),
    ],
)
def test_the_rarer_internal_ranges_are_named_in_the_refusal(address: str, message: str) -> None:
    assert SafetyPolicy().refuse_address(address) == (
        f"{message} refused (use --allow-private to permit)"
    )


def test_the_system_resolver_answers_localhost_from_the_hosts_file() -> None:
    # The real resolver (no stand-in): localhost is in every hosts file, no network.
    answer = asyncio.run(system_resolver("localhost", 80))
    assert answer and set(answer) <= {"127.0.0.1", "::1"}
