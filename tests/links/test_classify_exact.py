"""The link classifier's rules at their edges: each status, detail and warning exactly.

Most cases give ``classify`` the outcome of a fetch directly (what the fetcher hands it);
the dead-page-with-challenge-markers case is also fetched from a real loopback server.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimcheck.links import check_ledger_links
from claimcheck.links.classify import (
    TITLE_THRESHOLD,
    classify,
    is_bot_challenge,
    redirected_home,
    says_not_found,
    title_similarity,
)
from claimcheck.links.fetch import FetchOutcome, PageInfo
from claimcheck.results import Hop, LinkStatus, LinkWarning
from tests.serving import serving

from .conftest import fast_options, ledger_of

MARKERS = '<script src="https://challenges.cloudflare.com/turnstile.js"></script>'
W = LinkWarning


def outcome(
    code: int | None = 200,
    *,
    url: str = "https://news.example/2023/story",
    final_url: str | None = None,
    hops: tuple[Hop, ...] = (),
    page: PageInfo | None = None,
    headers: dict[str, str] | None = None,
    error: str | None = None,
    detail: str | None = None,
    attempts: int = 1,
) -> FetchOutcome:
    return FetchOutcome(
        url=url,
        final_url=final_url or url,
        hops=list(hops),
        http_status=code,
        headers=headers or {},
        page=page,
        error=error,
        detail=detail,
        attempts=attempts,
    )


def html(title: str | None = "Record heat in 2023", **kw: object) -> PageInfo:
    return PageInfo(content_type="text/html", html=True, title=title, **kw)  # type: ignore[arg-type]


# --- dead pages that carry bot-challenge markers are dead, not blocked ------------------


@pytest.mark.parametrize(
    ("code", "status", "detail"),
    [
        (404, LinkStatus.BROKEN, "HTTP 404"),
        (400, LinkStatus.BROKEN, "HTTP 400"),
        (410, LinkStatus.GONE, "HTTP 410: removed for good"),
        (500, LinkStatus.SERVER_ERROR, "HTTP 500 after 3 attempts"),
        (502, LinkStatus.SERVER_ERROR, "HTTP 502 after 3 attempts"),
        (300, LinkStatus.BROKEN, "unexpected HTTP 300"),
    ],
)
def test_an_error_page_with_challenge_markers_is_still_dead(
    code: int, status: LinkStatus, detail: str
) -> None:
    page = html("Just a moment...", prefix=f"<html>{MARKERS}</html>")
    assert classify(outcome(code, page=page, attempts=3)) == (status, (), detail)


@pytest.mark.parametrize("code", [200, 401, 403, 429, 503])
def test_challenge_markers_on_a_page_that_may_be_a_challenge_block_it(code: int) -> None:
    page = html("Just a moment...", prefix=f"<html>{MARKERS}</html>")
    assert classify(outcome(code, page=page)) == (
        LinkStatus.BLOCKED,
        (),
        f"HTTP {code}: bot challenge page (unverifiable, not dead)",
    )


def test_a_challenge_header_blocks_whatever_the_status() -> None:
    out = outcome(404, headers={"cf-mitigated": "Challenge"})
    assert classify(out)[:2] == (LinkStatus.BLOCKED, ())
    assert not is_bot_challenge(404, {"cf-mitigated": "no"}, html(prefix="plain page"))
    assert is_bot_challenge(None, {}, html(prefix=MARKERS))
    assert not is_bot_challenge(None, {}, None)
    assert not is_bot_challenge(403, {}, html(prefix="<html>Forbidden</html>"))


class DeadChallenge(BaseHTTPRequestHandler):
    """Answers every path with a 404 whose page carries bot-challenge markers."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = f"<html><head><title>Not Found</title></head><body>{MARKERS}</body></html>"
        data = body.encode()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def dead_challenge() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), DeadChallenge)
    srv.daemon_threads = True
    with serving(srv):
        yield f"http://127.0.0.1:{srv.server_address[1]}/article"


def test_a_fetched_404_with_challenge_markers_is_broken(dead_challenge: str) -> None:
    results, _ = check_ledger_links(ledger_of(dead_challenge), fast_options(retries=0))
    assert results[0].status is LinkStatus.BROKEN
    assert results[0].detail == "HTTP 404"


# --- blocked statuses: each says why ---------------------------------------------------


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        (401, "HTTP 401: access denied to robots (unverifiable, not dead)"),
        (403, "HTTP 403: access denied to robots (unverifiable, not dead)"),
        (429, "HTTP 429: rate limited (unverifiable, not dead)"),
        (999, "HTTP 999: bot challenge page (unverifiable, not dead)"),
    ],
)
def test_blocked_status_details(code: int, detail: str) -> None:
    assert classify(outcome(code, page=html(prefix="<html>no markers</html>"))) == (
        LinkStatus.BLOCKED,
        (),
        detail,
    )


# --- HTTP codes and transport errors ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "detail"),
    [
        (200, LinkStatus.OK, None),
        (204, LinkStatus.OK, None),
        (299, LinkStatus.OK, None),
        (199, LinkStatus.BROKEN, "unexpected HTTP 199"),
        (304, LinkStatus.BROKEN, "unexpected HTTP 304"),
        (399, LinkStatus.BROKEN, "unexpected HTTP 399"),
        (499, LinkStatus.BROKEN, "HTTP 499"),
        (599, LinkStatus.SERVER_ERROR, "HTTP 599 after 2 attempts"),
    ],
)
def test_http_codes_at_their_range_edges(code: int, status: LinkStatus, detail: str | None) -> None:
    assert classify(outcome(code, attempts=2)) == (status, (), detail)


def test_one_attempt_is_worded_in_the_singular() -> None:
    assert classify(outcome(503, attempts=1))[2] == "HTTP 503 after 1 attempt"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("unsafe", LinkStatus.SKIPPED),
        ("dns", LinkStatus.UNREACHABLE),
        ("connect", LinkStatus.UNREACHABLE),
        ("refused", LinkStatus.UNREACHABLE),
        ("reset", LinkStatus.UNREACHABLE),
        ("tls", LinkStatus.UNREACHABLE),
        ("protocol", LinkStatus.UNREACHABLE),
        ("timeout", LinkStatus.TIMEOUT),
        ("connect-timeout", LinkStatus.TIMEOUT),
        ("loop", LinkStatus.REDIRECT_LOOP),
        ("too-many-redirects", LinkStatus.REDIRECT_LOOP),
        ("bad-redirect", LinkStatus.BROKEN),
        ("bad-url", LinkStatus.BROKEN),
    ],
)
def test_each_transport_error_has_its_status(error: str, status: LinkStatus) -> None:
    assert classify(outcome(None, error=error, detail="why")) == (status, (), "why")


def test_no_response_and_no_error_is_unreachable() -> None:
    assert classify(outcome(None)) == (LinkStatus.UNREACHABLE, (), "no response")
    assert classify(outcome(None, detail="said so")) == (LinkStatus.UNREACHABLE, (), "said so")


# --- redirects -------------------------------------------------------------------------


def test_insecure_and_temporary_redirect_warnings() -> None:
    out = outcome(
        url="HTTP://news.example/a",
        final_url="https://news.example/b",
        hops=(Hop("http://news.example/a", 307),),
    )
    assert classify(out) == (LinkStatus.OK, (W.INSECURE, W.TEMPORARY_REDIRECT), None)
    assert classify(outcome(url="https://news.example/a")) == (LinkStatus.OK, (), None)


def test_the_first_permanent_hop_names_the_move() -> None:
    out = outcome(
        final_url="https://news.example/c",
        hops=(Hop("https://news.example/2023/story", 302), Hop("https://x/b", 308)),
    )
    assert classify(out) == (
        LinkStatus.MOVED,
        (W.TEMPORARY_REDIRECT,),
        "permanent redirect (308): update the citation",
    )


def test_a_login_wall_is_blocked_only_after_a_redirect() -> None:
    login = "https://news.example/account/login?next=/a"
    out = outcome(final_url=login, hops=(Hop("https://news.example/2023/story", 302),))
    assert classify(out) == (
        LinkStatus.BLOCKED,
        (W.TEMPORARY_REDIRECT,),
        f"redirected to a login or subscription page ({login}): unverifiable, not dead",
    )
    # Citing the login page itself is no wall.
    assert classify(outcome(url=login, final_url=login))[0] is LinkStatus.OK


def test_a_deep_link_sent_home_is_a_soft_404() -> None:
    out = outcome(
        final_url="https://news.example/", hops=(Hop("https://news.example/2023/story", 301),)
    )
    assert classify(out) == (
        LinkStatus.SOFT_404,
        (),
        "redirected to https://news.example/, not the cited page",
    )
    assert classify(outcome(final_url="https://news.example/"))[0] is LinkStatus.OK  # no hop


@pytest.mark.parametrize(
    ("url", "final", "home"),
    [
        ("http://a.example/", "http://a.example/", False),
        ("http://a.example/?page=2", "http://a.example/", True),
        ("http://a.example/x", "http://a.example/?lang=en", False),
        ("http://a.example/x", "http://a.example/news/errors/", True),
        ("http://a.example/x", "http://a.example/not-found.html", True),
        ("http://a.example/x", "http://a.example/terror/", False),
        ("http://www.a.example/x", "http://a.example/index.php", True),
        ("http://a.example/blog", "http://b.example/", False),
        ("http://a.example/blog?id=4", "http://b.example/", True),
        ("http://a.example/2022/story", "http://b.example/home", True),
        ("http://[::1/x", "http://a.example/", False),
    ],
)
def test_redirected_home(url: str, final: str, home: bool) -> None:
    assert redirected_home(url, final) is home


# --- the page: soft 404s, titles, parked domains, fragments ---------------------------


@pytest.mark.parametrize(
    ("title", "found"),
    [
        ("Page not found", True),
        ("404", True),
        ("Error 404 | Daily Planet", True),
        ("Sorry, this page was not found", True),  # six words: short enough
        ("Sorry, but this page was not found", False),  # seven: a headline
        ("Daily Planet \u2013 Sorry, the page was not found", True),
        ("Missing hikers still not found after ten days", False),
        ("Record heat in 2023", False),
    ],
)
def test_says_not_found_counts_only_short_parts(title: str, found: bool) -> None:
    assert says_not_found(title) is found


def test_a_200_page_titled_not_found_is_a_soft_404() -> None:
    out = outcome(page=html("Page not found | Daily Planet"))
    assert classify(out) == (
        LinkStatus.SOFT_404,
        (),
        "HTTP 200 but the page says 'Page not found | Daily Planet'",
    )
    out = outcome(page=html("Daily Planet", h1="Oops, nothing was found"))
    assert classify(out)[2] == "HTTP 200 but the page says 'Oops, nothing was found'"
    # A "not found" title on a non-HTML body is not read as a page.
    plain = PageInfo(content_type="text/plain", html=False, title="Page not found")
    assert classify(outcome(page=plain)) == (LinkStatus.OK, (), None)


def test_title_similarity_counts_cited_words_found() -> None:
    assert title_similarity("", ["anything"]) == 1.0
    assert title_similarity("The and of", ["x"]) == 1.0  # only stop words: nothing to miss
    assert title_similarity("Record heat", ["record HEAT | Site"]) == 1.0
    assert title_similarity("Record heat waves now", ["Record", "Waves"]) == 0.5
    assert title_similarity("Café Flore", ["cafe flore"]) == 1.0  # accents folded
    assert (
        title_similarity("A 5 x story", ["5 story"]) == 1.0
    )  # one-letter words dropped, digits kept


@pytest.mark.parametrize(
    ("page_title", "mismatch"),
    [
        ("alpha bravo charlie delta", False),
        ("alpha", False),  # 1 of 4 cited words: exactly the threshold, still the page
        ("nothing in common", True),
    ],
)
def test_title_mismatch_at_the_threshold(page_title: str, mismatch: bool) -> None:
    assert TITLE_THRESHOLD == 0.25
    cited = ["alpha bravo charlie delta"]
    status, warnings, detail = classify(outcome(page=html(page_title)), cited)
    assert status is LinkStatus.OK
    assert (W.TITLE_MISMATCH in warnings) is mismatch
    assert detail == (f"page title is now {page_title!r}" if mismatch else None)


def test_one_word_in_five_is_below_the_threshold() -> None:
    cited = ["alpha bravo charlie delta echo"]
    assert classify(outcome(page=html("alpha")), cited)[1] == (W.TITLE_MISMATCH,)
    # The best of several cited titles counts.
    assert classify(outcome(page=html("alpha")), [*cited, "alpha"])[1] == ()


def test_title_mismatch_names_the_og_title_when_there_is_no_title() -> None:
    page = html(None, og_title="Casino bonuses", h1="Top slots")
    assert classify(outcome(page=page), ["Record heat in 2023"])[2] == (
        "page title is now 'Casino bonuses'"
    )
    # No cited title, or no title on the page: nothing to compare.
    assert classify(outcome(page=page))[1] == ()
    assert classify(outcome(page=html(None)), ["Record heat"])[1] == ()


def test_parked_domains_by_title_or_by_the_start_of_the_body() -> None:
    parked = (LinkStatus.OK, (W.TITLE_MISMATCH,), "the domain looks parked or for sale")
    assert classify(outcome(page=html("This domain is for sale"))) == parked
    # The body counts in its first 4096 characters: the phrase ends at the last one, or
    # one past it.
    early = html("Record heat in 2023", prefix="x" * 4081 + "buy this domain")
    assert classify(outcome(page=early), ["Record heat in 2023"]) == parked
    late = html("Record heat in 2023", prefix="x" * 4082 + "buy this domain")
    assert classify(outcome(page=late), ["Record heat in 2023"]) == (LinkStatus.OK, (), None)
    # After a move, both are said.
    moved = outcome(
        page=html("Domain for sale"),
        url="https://old.example/2023/story",
        final_url="https://old.example/2023/story-2",
        hops=(Hop("https://old.example/2023/story", 301),),
    )
    assert classify(moved) == (
        LinkStatus.MOVED,
        (W.TITLE_MISMATCH,),
        "permanent redirect (301): update the citation; the domain looks parked or for sale",
    )


def test_a_missing_fragment_is_named() -> None:
    out = outcome(
        url="https://news.example/a#methods",
        final_url="https://news.example/a#methods",
        page=html(fragment_found=False),
    )
    assert classify(out) == (LinkStatus.OK, (W.FRAGMENT_MISSING,), "#methods is not on the page")
    out.page = html(fragment_found=None)
    assert classify(out) == (LinkStatus.OK, (), None)
    # Everything after the first "#" is the fragment.
    out = outcome(url="https://news.example/a#x#y", page=html(fragment_found=False))
    assert classify(out)[2] == "#x#y is not on the page"


def test_a_broken_html_page_gets_no_page_warnings() -> None:
    # Fragment, title and parking are judged on the cited page, not on an error page.
    page = html("domain for sale", fragment_found=False)
    out = outcome(
        404, url="http://news.example/a#x", final_url="http://news.example/a#x", page=page
    )
    assert classify(out, ["Record heat in 2023"]) == (LinkStatus.BROKEN, (W.INSECURE,), "HTTP 404")


def test_a_stalled_page_says_so_after_the_detail() -> None:
    page = html(stalled="timed out after 5 s")
    assert classify(outcome(page=page)) == (
        LinkStatus.OK,
        (),
        "timed out after 5 s; judged on what arrived",
    )
    out = outcome(page=html(stalled="cut off", fragment_found=False), url="https://n.example/a#f")
    assert classify(out)[2] == "cut off; judged on what arrived; #f is not on the page"
