"""Each status and warning, judged against a real loopback server."""

from __future__ import annotations

import time

import pytest

from claimcheck.links import check_ledger_links, links_exit_code
from claimcheck.results import ExitCode, LinkResult, LinkStatus, LinkWarning

from .conftest import LoopServer, fast_options, ledger_of


def check_one(url: str, title: str | None = None, **kw: object) -> LinkResult:
    from .conftest import TITLE

    results, _ = check_ledger_links(ledger_of(url, title=title or TITLE), fast_options(**kw))
    assert len(results) == 1
    return results[0]


def test_ok(server: LoopServer) -> None:
    r = check_one(server.url("/ok"))
    assert r.status is LinkStatus.OK
    assert r.http_status == 200
    assert r.redirects == ()
    assert r.sources == ("s0",) and r.claims == ("c0",)
    assert LinkWarning.INSECURE in r.warnings  # plain http


def test_moved_permanent_redirect_gives_final_url(server: LoopServer) -> None:
    r = check_one(server.url("/r/301?to=/ok"))
    assert r.status is LinkStatus.MOVED
    assert r.final_url == server.url("/ok")
    assert [h.status for h in r.redirects] == [301]
    assert LinkWarning.TEMPORARY_REDIRECT not in r.warnings


def test_308_is_moved(server: LoopServer) -> None:
    assert check_one(server.url("/r/308?to=/ok")).status is LinkStatus.MOVED


def test_temporary_redirect_is_ok_with_warning(server: LoopServer) -> None:
    r = check_one(server.url("/r/302?to=/ok"))
    assert r.status is LinkStatus.OK
    assert LinkWarning.TEMPORARY_REDIRECT in r.warnings
    assert r.final_url == server.url("/ok")


def test_redirect_chain_keeps_every_hop(server: LoopServer) -> None:
    r = check_one(server.url("/chain"))
    assert [(h.url, h.status) for h in r.redirects] == [
        (server.url("/chain"), 301),
        (server.url("/chain2"), 302),
        (server.url("/chain3"), 307),
    ]
    assert r.status is LinkStatus.MOVED
    assert LinkWarning.TEMPORARY_REDIRECT in r.warnings
    assert r.final_url == server.url("/ok")


def test_cookie_bounce_is_not_a_loop(server: LoopServer) -> None:
    r = check_one(server.url("/cookie"))
    assert r.status is LinkStatus.OK


@pytest.mark.parametrize(("code", "status"), [(404, "broken"), (400, "broken"), (451, "broken")])
def test_client_errors_are_broken(server: LoopServer, code: int, status: str) -> None:
    r = check_one(server.url(f"/status/{code}"))
    assert r.status.value == status
    assert r.http_status == code


def test_gone(server: LoopServer) -> None:
    assert check_one(server.url("/status/410")).status is LinkStatus.GONE


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (401, "access denied to robots"),
        (403, "access denied to robots"),
        (429, "rate limited"),
        (999, "bot challenge page"),
    ],
)
def test_blocked_statuses(server: LoopServer, code: int, why: str) -> None:
    r = check_one(server.url(f"/status/{code}"), retries=0)
    assert r.status is LinkStatus.BLOCKED
    assert r.http_status == code
    assert r.detail == f"HTTP {code}: {why} (unverifiable, not dead)"


def test_bot_challenge_pages_are_blocked(server: LoopServer) -> None:
    assert check_one(server.url("/challenge")).status is LinkStatus.BLOCKED
    assert check_one(server.url("/challenge-200")).status is LinkStatus.BLOCKED
    before = server.state.counts.get("challenge-503", 0)
    r = check_one(server.url("/challenge-503"), retries=3)
    assert r.status is LinkStatus.BLOCKED  # not server-error
    assert server.state.counts["challenge-503"] - before == 1  # a challenge is not retried


def test_server_error_after_retries(server: LoopServer) -> None:
    r = check_one(server.url("/status/500"), retries=2)
    assert r.status is LinkStatus.SERVER_ERROR
    assert "3 attempts" in (r.detail or "")


def test_5xx_recovers_on_retry(server: LoopServer) -> None:
    r = check_one(server.url("/flaky?k=a&fail=2"), retries=2)
    assert r.status is LinkStatus.OK
    assert server.state.counts["flakya"] == 3


def test_retry_after_is_honoured(server: LoopServer) -> None:
    started = time.monotonic()
    r = check_one(server.url("/retry-after?k=a&s=1"), retries=1, backoff_base=0.001)
    elapsed = time.monotonic() - started
    assert r.status is LinkStatus.OK
    assert elapsed >= 0.95  # waited what the server asked, not the tiny backoff


def test_retry_after_is_capped(server: LoopServer) -> None:
    started = time.monotonic()
    r = check_one(server.url("/retry-after?k=b&s=3600"), retries=1, retry_after_cap=0.2)
    assert r.status is LinkStatus.OK
    assert time.monotonic() - started < 1.0


def test_rate_limited_after_retries_is_blocked_not_dead(server: LoopServer) -> None:
    r = check_one(server.url("/status/429"), retries=1)
    assert r.status is LinkStatus.BLOCKED
    assert "rate limited" in (r.detail or "")


def test_slow_response_times_out(server: LoopServer) -> None:
    started = time.monotonic()
    r = check_one(server.url("/slow?s=2"), timeout=0.3, retries=0)
    assert r.status is LinkStatus.TIMEOUT
    # Cut well before the server's 2 s answer (room for a loaded machine).
    assert time.monotonic() - started < 1.6


def test_body_stalled_before_its_head_times_out(server: LoopServer) -> None:
    r = check_one(server.url("/stall"), timeout=0.3, retries=0)
    assert r.status is LinkStatus.TIMEOUT


def test_drip_feed_is_cut_at_the_total_timeout(server: LoopServer) -> None:
    # Every read is quick, the whole is not: the limit covers the body too.
    started = time.monotonic()
    r = check_one(server.url("/drip#nowhere"), timeout=0.4, retries=0)
    # The drip lasts 3 s; being cut near 0.4 s is the point (room for a loaded machine).
    assert time.monotonic() - started < 2.0
    assert r.status is LinkStatus.TIMEOUT
    assert LinkWarning.FRAGMENT_MISSING not in r.warnings


def test_body_stalled_after_its_head_and_first_kilobyte_times_out(server: LoopServer) -> None:
    # The title arrived in the first kilobyte; the rest never does. Not ok: a timeout.
    started = time.monotonic()
    r = check_one(server.url("/stall-after-head"), timeout=0.4, retries=0)
    assert r.status is LinkStatus.TIMEOUT
    assert time.monotonic() - started < 1.5


def test_deep_url_sent_to_its_section_home_is_a_soft_404(server: LoopServer) -> None:
    r = check_one(server.url("/blog/2019/05/removed-post"))
    assert r.status is LinkStatus.SOFT_404
    assert r.final_url == server.url("/blog/")
    assert "section" in (r.detail or "")


def test_deep_url_moved_within_its_section_is_moved(server: LoopServer) -> None:
    r = check_one(server.url("/blog/2019/05/renamed-post"))
    assert r.status is LinkStatus.MOVED


def test_meta_refresh_to_a_gone_page_takes_its_status(server: LoopServer) -> None:
    r = check_one(server.url("/refresh?to=/status/410"))
    assert r.status is LinkStatus.GONE
    hops = [(h.url, h.status) for h in r.redirects]
    assert hops == [(server.url("/refresh?to=/status/410"), 200)]
    assert r.final_url == server.url("/status/410")


def test_meta_refresh_to_a_live_page_is_ok(server: LoopServer) -> None:
    r = check_one(server.url("/refresh?to=/ok"))
    assert r.status is LinkStatus.OK
    assert r.final_url == server.url("/ok")
    assert len(r.redirects) == 1


def test_script_that_only_sets_location_is_followed(server: LoopServer) -> None:
    r = check_one(server.url("/js-redirect"))
    assert r.status is LinkStatus.GONE
    assert r.redirects[0].status == 200


def test_a_page_that_refreshes_itself_is_not_a_redirect(server: LoopServer) -> None:
    r = check_one(server.url("/self-refreshing"))
    assert r.status is LinkStatus.OK
    assert r.redirects == ()


def test_refused_port_is_unreachable(server: LoopServer, refused_port: int) -> None:
    results, summary = check_ledger_links(
        ledger_of(f"http://127.0.0.1:{refused_port}/x", server.url("/ok")), fast_options()
    )
    assert results[0].status is LinkStatus.UNREACHABLE
    assert "refused" in (results[0].detail or "")
    assert summary.checked


def test_unresolvable_name_among_working_hosts_is_unreachable(server: LoopServer) -> None:
    results, summary = check_ledger_links(
        ledger_of("http://no-such-host.invalid/page", server.url("/ok")), fast_options()
    )
    assert results[0].status is LinkStatus.UNREACHABLE
    assert "resolve" in (results[0].detail or "")
    assert results[1].status is LinkStatus.OK
    assert summary.checked


def test_redirect_loop(server: LoopServer) -> None:
    r = check_one(server.url("/loop-a"))
    assert r.status is LinkStatus.REDIRECT_LOOP
    assert len(r.redirects) == 2


def test_too_many_hops(server: LoopServer) -> None:
    r = check_one(server.url("/hops/0"), max_redirects=5)
    assert r.status is LinkStatus.REDIRECT_LOOP
    assert "more than 5" in (r.detail or "")
    assert len(r.redirects) == 6


def test_soft_404_by_title(server: LoopServer) -> None:
    r = check_one(server.url("/soft404"))
    assert r.status is LinkStatus.SOFT_404
    assert r.http_status == 200


def test_headline_containing_not_found_is_ok(server: LoopServer) -> None:
    r = check_one(server.url("/headline"), title="Missing hikers still not found after ten days")
    assert r.status is LinkStatus.OK


def test_soft_404_deep_link_redirected_home(server: LoopServer) -> None:
    r = check_one(server.url("/deep/article/2023/record-heat"))
    assert r.status is LinkStatus.SOFT_404
    assert r.final_url == server.url("/")


def test_fragment_present_and_missing(server: LoopServer) -> None:
    ok = check_one(server.url("/anchors#methods"))
    assert ok.status is LinkStatus.OK and LinkWarning.FRAGMENT_MISSING not in ok.warnings
    named = check_one(server.url("/anchors#old-style"))
    assert LinkWarning.FRAGMENT_MISSING not in named.warnings
    missing = check_one(server.url("/anchors#results"))
    assert missing.status is LinkStatus.OK
    assert LinkWarning.FRAGMENT_MISSING in missing.warnings
    assert "#results" in (missing.detail or "")


def test_text_fragments_are_not_checked(server: LoopServer) -> None:
    r = check_one(server.url("/anchors#:~:text=record%20high"))
    assert LinkWarning.FRAGMENT_MISSING not in r.warnings


def test_title_drift_and_parked_domain(server: LoopServer) -> None:
    drifted = check_one(server.url("/drifted"))
    assert drifted.status is LinkStatus.OK
    assert LinkWarning.TITLE_MISMATCH in drifted.warnings
    assert "casino" in (drifted.detail or "")
    parked = check_one(server.url("/parked"))
    assert LinkWarning.TITLE_MISMATCH in parked.warnings
    updated = check_one(server.url("/updated-headline"))
    assert LinkWarning.TITLE_MISMATCH not in updated.warnings


def test_gzip_and_deflate_bodies_are_read(server: LoopServer) -> None:
    r = check_one(server.url("/gzip#deep"))
    assert r.status is LinkStatus.OK and LinkWarning.FRAGMENT_MISSING not in r.warnings
    assert check_one(server.url("/deflate")).status is LinkStatus.OK


def test_gzip_bomb_is_survived(server: LoopServer) -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    r = check_one(server.url("/bomb#anchor"), timeout=3)
    assert r.status is LinkStatus.OK
    assert LinkWarning.FRAGMENT_MISSING in r.warnings  # read up to the cap, not 64 MiB
    # Memory (below) is the real guard; the time bound leaves room for a loaded machine.
    assert time.monotonic() - started < 5.0
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 40 * 1024


def test_endless_body_is_cut_at_the_cap(server: LoopServer) -> None:
    started = time.monotonic()
    r = check_one(server.url("/endless#never"), timeout=3)
    assert r.status is LinkStatus.OK
    assert LinkWarning.FRAGMENT_MISSING in r.warnings
    assert time.monotonic() - started < 2.0


def test_non_html_is_not_read(server: LoopServer) -> None:
    r = check_one(server.url("/pdf#page=2"))
    assert r.status is LinkStatus.OK
    assert r.warnings == (LinkWarning.INSECURE,)


def test_exit_code_follows_fail_on(server: LoopServer) -> None:
    opts = fast_options()
    results, summary = check_ledger_links(
        ledger_of(server.url("/ok"), server.url("/status/404")), opts
    )
    assert links_exit_code(results, summary, opts) is ExitCode.FINDINGS
    assert summary.failing == 1
    assert summary.by_status == {"ok": 1, "broken": 1}
    lenient = fast_options(fail_on=frozenset({LinkStatus.GONE}))
    results, summary = check_ledger_links(ledger_of(server.url("/status/404")), lenient)
    assert links_exit_code(results, summary, lenient) is ExitCode.OK


def test_tls_failure_is_unreachable(server: LoopServer) -> None:
    # https to a plain-HTTP port: the TLS handshake fails.
    r = check_one(server.url("/ok").replace("http://", "https://"), retries=0)
    assert r.status is LinkStatus.UNREACHABLE
    assert "TLS" in (r.detail or "")
    assert LinkWarning.INSECURE not in r.warnings


def test_hanging_resolver_is_unreachable_not_a_crash(server: LoopServer) -> None:
    import asyncio

    async def hang(host: str, port: int) -> list[str]:
        if host == "slow-dns.example":
            await asyncio.sleep(5)
        return ["127.0.0.1"]

    port = server.server_address[1]
    results, _ = check_ledger_links(
        ledger_of(f"http://slow-dns.example:{port}/ok", server.url("/ok")),
        fast_options(resolver=hang, timeout=0.4, retries=0),
    )
    assert results[0].status is LinkStatus.UNREACHABLE
    assert "timed out" in (results[0].detail or "")
    assert results[1].status is LinkStatus.OK


def test_progress_is_reported(server: LoopServer) -> None:
    seen: list[tuple[int, int]] = []
    check_ledger_links(
        ledger_of(server.url("/ok"), server.url("/status/404"), "ftp://x.example/"),
        fast_options(),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_progress_bar_draws_and_closes() -> None:
    from claimcheck.reporters.progress import stderr_progress

    bar = stderr_progress(force=True)
    assert bar is not None
    for done in range(4):
        bar(done, 3)
    assert stderr_progress() is None  # pytest's stderr is not a terminal


def test_login_redirect_is_blocked_not_ok(server: LoopServer) -> None:
    r = check_one(server.url("/paywalled/article"))
    assert r.status is LinkStatus.BLOCKED
    assert "login" in (r.detail or "")


def test_retry_after_holds_back_the_whole_host(server: LoopServer) -> None:
    results, _ = check_ledger_links(
        ledger_of(server.url("/retry-after?k=host&s=1"), server.url("/ok?after-429")),
        fast_options(max_per_host=1, retries=1),
    )
    assert [r.status for r in results] == [LinkStatus.OK, LinkStatus.OK]
    assert results[1].elapsed_ms >= 900  # waited for the host, not just the told request


def test_article_redirected_to_another_sites_home_is_soft_404(server: LoopServer) -> None:
    port = server.server_address[1]
    other = f"http://localhost:{port}/"
    r = check_one(server.url(f"/r/301?to={other}&story=2022-09"))  # a query: article-like
    assert r.status is LinkStatus.SOFT_404
    assert r.final_url == other


def test_section_moving_to_its_own_domain_is_moved() -> None:
    from claimcheck.links.classify import redirected_home

    assert not redirected_home("http://old.example/blog", "https://blog.new.example/")
    assert redirected_home("http://old.example/2022/09/story", "https://buyer.example/")
    assert redirected_home("http://old.example/a/b", "http://www.old.example/404.html")
    assert not redirected_home("http://old.example/", "https://old.example/")
    assert redirected_home("http://old.example/story", "https://www.old.example/")
