"""The safety rule for untrusted ledgers, and telling a dead link from a dead network."""

from __future__ import annotations

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
    assert "not checked" in (summary.note or "")
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
