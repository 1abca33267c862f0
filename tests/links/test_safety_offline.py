"""The safety rule for untrusted ledgers, and telling a dead link from a dead network."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.links import check_ledger_links, links_exit_code
from claimcheck.links.safety import SafetyPolicy
from claimcheck.results import ExitCode, LinkStatus

from .conftest import LoopServer, fast_options, ledger_of, network_down, network_up


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/admin",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "javascript:alert(1)",
    ],
)
def test_private_and_odd_targets_are_refused_before_connecting(url: str) -> None:
    results, summary = check_ledger_links(ledger_of(url), fast_options(allow_private=False))
    assert results[0].status is LinkStatus.SKIPPED
    assert results[0].http_status is None
    assert summary.checked


def test_policy_allows_public_addresses() -> None:
    policy = SafetyPolicy()
    assert policy.refuse_url("https://93.184.216.34/") is None
    assert policy.refuse_address("2606:4700::1111") is None
    assert "loopback" in (policy.refuse_address("127.0.0.5") or "")
    assert "--allow-private" in (policy.refuse_url("http://10.0.0.1/") or "")


def test_name_resolving_to_loopback_is_refused(server: LoopServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    url = server.url("/ok").replace("127.0.0.1", "innocent.example")
    results, _ = check_ledger_links(
        ledger_of(url), fast_options(allow_private=False, resolver=resolver)
    )
    assert results[0].status is LinkStatus.SKIPPED
    assert "loopback" in (results[0].detail or "")


def test_redirect_into_private_address_is_refused(server: LoopServer) -> None:
    # The test server stands in for a public host; its redirects point inside.
    opts = fast_options(allow_private=False, allowed_networks=["127.0.0.1/32"])
    results, _ = check_ledger_links(
        ledger_of(
            server.url("/r/302?to=http://10.0.0.7/secret"),
            server.url("/r/301?to=http://127.0.0.2:9/"),
            server.url("/r/302?to=file:///etc/passwd"),
            server.url("/ok"),
        ),
        opts,
    )
    assert [r.status for r in results] == [
        LinkStatus.SKIPPED,
        LinkStatus.SKIPPED,
        LinkStatus.SKIPPED,
        LinkStatus.OK,
    ]
    assert "10.0.0.7" in (results[0].detail or "")
    assert results[0].redirects[0].status == 302
    assert "file" in (results[2].detail or "")


def test_name_redirect_into_private_address_is_refused_at_connect(server: LoopServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return {"public.example": ["127.0.0.1"], "internal.example": ["127.0.0.3"]}[host]

    port = server.server_address[1]
    opts = fast_options(allow_private=False, allowed_networks=["127.0.0.1/32"], resolver=resolver)
    url = f"http://public.example:{port}/r/302?to=http://internal.example:{port}/"
    results, _ = check_ledger_links(ledger_of(url), opts)
    assert results[0].status is LinkStatus.SKIPPED
    assert "internal.example" in (results[0].detail or "")


def test_exclude_skips(server: LoopServer) -> None:
    results, _ = check_ledger_links(
        ledger_of(server.url("/ok"), server.url("/status/404")),
        fast_options(exclude=[r"/status/"]),
    )
    assert results[1].status is LinkStatus.SKIPPED
    assert results[1].detail == "excluded by --exclude"


def test_network_down_means_offline_not_dead() -> None:
    opts = fast_options(network_probe=network_down)
    results, summary = check_ledger_links(
        ledger_of("https://a.example/x", "https://b.example/y", "http://c.example/"), opts
    )
    assert {r.status for r in results} == {LinkStatus.OFFLINE}
    assert not summary.checked
    assert summary.note == "the network is unreachable"
    assert summary.failing == 0
    assert links_exit_code(results, summary, opts) is ExitCode.NOT_CHECKED


def test_all_failing_with_network_up_is_unreachable(refused_port: int) -> None:
    opts = fast_options(network_probe=network_up)
    results, summary = check_ledger_links(
        ledger_of("https://a.invalid/x", f"http://127.0.0.1:{refused_port}/"), opts
    )
    assert {r.status for r in results} == {LinkStatus.UNREACHABLE}
    assert summary.checked
    assert links_exit_code(results, summary, opts) is ExitCode.FINDINGS


def test_one_bad_name_among_good_hosts_does_not_probe(server: LoopServer) -> None:
    called = []

    async def probe() -> bool:
        called.append(1)
        return False

    results, summary = check_ledger_links(
        ledger_of("http://gone.invalid/", server.url("/ok")), fast_options(network_probe=probe)
    )
    assert results[0].status is LinkStatus.UNREACHABLE
    assert summary.checked and not called


def test_malformed_urls_are_broken_not_a_crash() -> None:
    urls = [
        "http://[::1/",
        "http://example.invalid:99999/",
        "https:///nohost",
        "http://xn--bad-.invalid/",
        "http://ok.invalid/",
    ]
    results, summary = check_ledger_links(ledger_of(*urls), fast_options(allow_private=False))
    assert [r.status for r in results] == [
        LinkStatus.BROKEN,
        LinkStatus.BROKEN,
        LinkStatus.BROKEN,
        LinkStatus.BROKEN,
        LinkStatus.UNREACHABLE,
    ]
    assert all("malformed" in (r.detail or "") for r in results[:4])
    assert summary.checked


def test_offline_with_a_malformed_url_still_calls_nothing_dead() -> None:
    opts = fast_options(network_probe=network_down)
    results, summary = check_ledger_links(
        ledger_of("https://a.example/x", "https:///nohost", "file:///etc/passwd"), opts
    )
    assert [r.status for r in results] == [
        LinkStatus.OFFLINE,
        LinkStatus.BROKEN,
        LinkStatus.SKIPPED,
    ]
    assert not summary.checked


def test_default_probe_reports_down_when_nothing_resolves() -> None:
    import asyncio

    from claimcheck.links.check import default_network_probe

    # The test guard makes every non-loopback name fail, as on a machine without network.
    assert asyncio.run(default_network_probe(timeout=0.5)) is False


class Probe:
    """A network probe that says "down" and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> bool:
        self.calls += 1
        return False


def test_a_refusal_is_an_answer_never_offline(refused_port: int) -> None:
    probe = Probe()
    opts = fast_options(network_probe=probe)
    results, summary = check_ledger_links(ledger_of(f"http://127.0.0.1:{refused_port}/"), opts)
    assert results[0].status is LinkStatus.UNREACHABLE
    assert results[0].detail == "connection refused"
    assert summary.checked and probe.calls == 0


def test_invalid_names_are_unreachable_even_offline() -> None:
    probe = Probe()
    opts = fast_options(network_probe=probe)
    results, summary = check_ledger_links(ledger_of("http://x.invalid/", "https://invalid/"), opts)
    assert [r.status for r in results] == [LinkStatus.UNREACHABLE] * 2
    assert summary.checked and probe.calls == 0  # never looked up: says nothing
    # Among links that fail silently with the network down, .invalid stays unreachable.
    results, summary = check_ledger_links(
        ledger_of("https://a.example/x", "http://x.invalid/"), opts
    )
    assert [r.status for r in results] == [LinkStatus.OFFLINE, LinkStatus.UNREACHABLE]
    assert not summary.checked and probe.calls == 1
    assert summary.note == "the network is unreachable"
    assert links_exit_code(results, summary, opts) is ExitCode.FINDINGS


def test_a_redirect_to_a_dead_name_is_unreachable_not_offline(server: LoopServer) -> None:
    probe = Probe()
    url = server.url("/r/302?to=http://gone.example/")
    results, summary = check_ledger_links(ledger_of(url), fast_options(network_probe=probe))
    assert results[0].status is LinkStatus.UNREACHABLE  # the first hop answered
    assert summary.checked and probe.calls == 0


def test_cached_results_are_no_evidence_that_the_network_is_up(
    server: LoopServer, tmp_path: Path
) -> None:
    cache = tmp_path / "c.sqlite3"
    opts = fast_options(use_cache=True, cache_path=cache, network_probe=Probe())
    check_ledger_links(ledger_of(server.url("/ok")), opts)
    results, summary = check_ledger_links(ledger_of(server.url("/ok"), "https://a.example/x"), opts)
    assert results[0].cached and results[0].status is LinkStatus.OK
    assert results[1].status is LinkStatus.OFFLINE and not summary.checked


def test_the_summary_note_is_one_short_sentence(
    server: LoopServer, tmp_path: Path, refused_port: int
) -> None:
    cache = tmp_path / "c.sqlite3"
    cache.write_bytes(b"SQLite format 3\0" + b"\xff" * 2000)
    notes: list[str] = []
    opts = fast_options(
        use_cache=True,
        cache_path=cache,
        archive=True,
        archive_endpoint=f"http://127.0.0.1:{refused_port}",
        on_note=notes.append,
    )
    _, summary = check_ledger_links(ledger_of(server.url("/status/404")), opts)
    assert summary.note == (
        "link cache was corrupt so it was rebuilt and archive lookup failed for 1 link"
    )
    # The full story (where the old store went, why the archive failed) is for stderr.
    assert len(notes) == 2
    assert f"moved it to {cache}.corrupt-" in notes[0]
    assert "archive lookup failed for 1 link(s): " in notes[1]


@pytest.mark.parametrize("timeout", [0.3, 0.5])
def test_a_connection_that_hangs_is_silence_not_a_reply(black_hole: int, timeout: float) -> None:
    # Whichever fires first, httpx's connect timeout or the total deadline, nothing
    # answered: with the probe failing too, that is the network, not the link.
    probe = Probe()
    opts = fast_options(network_probe=probe, timeout=timeout, retries=0)
    results, summary = check_ledger_links(ledger_of(f"http://127.0.0.1:{black_hole}/"), opts)
    assert results[0].status is LinkStatus.OFFLINE
    assert "connect timed out" in (results[0].detail or "")
    assert probe.calls == 1 and not summary.checked


def test_a_slow_server_is_a_reply(server: LoopServer) -> None:
    probe = Probe()
    opts = fast_options(network_probe=probe, timeout=0.3, retries=0)
    results, summary = check_ledger_links(ledger_of(server.url("/slow?s=2")), opts)
    assert results[0].status is LinkStatus.TIMEOUT
    assert summary.checked and probe.calls == 0


EMBEDDED_PRIVATE = [
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:c0a8:1::",  # 6to4 of 192.168.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "::ffff:a9fe:a9fe",  # IPv4-mapped 169.254.169.254
    "fec0::1",  # site-local
]


@pytest.mark.parametrize("address", EMBEDDED_PRIVATE)
def test_ipv6_forms_of_private_ipv4_space_are_refused(address: str) -> None:
    results, _ = check_ledger_links(
        ledger_of(f"http://[{address}]/"), fast_options(allow_private=False)
    )
    assert results[0].status is LinkStatus.SKIPPED
    assert "refused" in (results[0].detail or "")


@pytest.mark.parametrize("address", EMBEDDED_PRIVATE)
def test_names_resolving_to_ipv6_forms_of_private_space_are_refused(address: str) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return [address]

    results, _ = check_ledger_links(
        ledger_of("http://innocent.example/page"),
        fast_options(allow_private=False, resolver=resolver),
    )
    assert results[0].status is LinkStatus.SKIPPED
    assert "refused" in (results[0].detail or "")


def test_ipv6_forms_of_public_ipv4_are_judged_by_that_address() -> None:
    policy = SafetyPolicy()
    assert policy.refuse_address("64:ff9b::808:808") is None  # NAT64 of 8.8.8.8
    assert policy.refuse_address("2002:808:808::1") is None  # 6to4 of 8.8.8.8
    assert "embeds 10.0.0.1" in (policy.refuse_address("64:ff9b::a00:1") or "")
