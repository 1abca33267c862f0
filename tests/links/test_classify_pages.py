"""Redirects and pages served on loopback, classified as a reader would judge them.

One small site per test (``127.0.0.1``; ``127.0.0.2`` is another site): each path either
redirects or serves a page, and the link's status, warnings and detail are asserted.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.links import check_ledger_links
from claimcheck.links.classify import classify, redirected_home, section_home, title_similarity
from claimcheck.links.fetch import FetchOutcome, PageInfo
from claimcheck.results import Hop, LinkResult, LinkStatus, LinkWarning
from tests.serving import serving

from .conftest import fast_options, ledger_of

W = LinkWarning
# path -> (status, Location) for a redirect, or (200, "<title>|<h1>|<body>") for a page.
Routes = dict[str, tuple[int, str]]


def _handler(routes: Routes) -> type[BaseHTTPRequestHandler]:
    class Site(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            code, what = routes.get(self.path, (404, "|Not here|"))
            if 300 <= code < 400:
                self.send_response(code)
                self.send_header("Location", what)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            title, h1, body = what.rsplit("|", 2)  # a title may hold "|"
            head = f"<title>{title}</title>" if title else ""
            heading = f"<h1>{h1}</h1>" if h1 else ""
            data = f"<html><head>{head}</head><body>{heading}{body}</body></html>".encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Site


@pytest.fixture
def site() -> Iterator[tuple[str, Routes]]:
    """A site on 127.0.0.1 whose routes a test fills in: its base URL and the routes."""
    routes: Routes = {}
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes))
    srv.daemon_threads = True
    with serving(srv):
        yield f"http://127.0.0.1:{srv.server_address[1]}", routes


@pytest.fixture
def other_site() -> Iterator[tuple[str, Routes]]:
    """Another site, on 127.0.0.2."""
    routes: Routes = {}
    srv = ThreadingHTTPServer(("127.0.0.2", 0), _handler(routes))
    srv.daemon_threads = True
    with serving(srv):
        yield f"http://127.0.0.2:{srv.server_address[1]}", routes


def check(url: str, title: str | None = "Record heat in Europe 2023") -> LinkResult:
    results, _ = check_ledger_links(ledger_of(url, title=title), fast_options(retries=0))
    return results[0]


def judged(r: LinkResult) -> tuple[LinkStatus, tuple[LinkWarning, ...], str | None]:
    return r.status, tuple(r.warnings), r.detail


SECTION = "the home of its section, whose title does not match the cited page"


# --- a deep link redirected to a folder above it ---------------------------------------


def test_a_post_sent_to_its_section_home_is_a_soft_404(site: tuple[str, Routes]) -> None:
    base, routes = site
    routes["/blog/post"] = (301, "/blog/")
    routes["/blog/"] = (200, "Blog | Daily Planet|Latest posts|")
    assert judged(check(f"{base}/blog/post")) == (
        LinkStatus.SOFT_404,
        (W.INSECURE,),
        f"redirected to {base}/blog/, {SECTION}",
    )


def test_a_section_home_whose_title_matches_the_citation_is_a_move(
    site: tuple[str, Routes],
) -> None:
    base, routes = site
    routes["/blog/2023/07/heat"] = (301, "/blog/")
    routes["/blog/"] = (200, "Record heat in Europe, 2023|Record heat|")
    assert judged(check(f"{base}/blog/2023/07/heat")) == (
        LinkStatus.MOVED,
        (W.INSECURE,),
        "permanent redirect (301): update the citation",
    )


def test_a_quarter_of_the_cited_words_is_enough_to_be_the_page(site: tuple[str, Routes]) -> None:
    # One of the four cited words ("europe") is at the threshold: not a mismatch.
    base, routes = site
    routes["/blog/2023/07/heat"] = (301, "/blog/")
    routes["/blog/"] = (200, "Europe|Europe|")
    assert check(f"{base}/blog/2023/07/heat").status is LinkStatus.MOVED


def test_a_section_home_without_a_cited_title_is_judged_by_having_a_title(
    site: tuple[str, Routes],
) -> None:
    base, routes = site
    routes["/blog/2023/07/heat"] = (301, "/blog/")
    routes["/blog/"] = (200, "Blog|Latest|")
    routes["/news/2023/07/heat"] = (301, "/news/")
    routes["/news/"] = (200, "||no title, no heading")
    assert check(f"{base}/blog/2023/07/heat", title=None).status is LinkStatus.SOFT_404
    # A page with neither a title nor a heading cannot be told apart from the post.
    assert check(f"{base}/news/2023/07/heat").status is LinkStatus.MOVED


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ("/blog/2019/05/post", "/news/"),  # not a folder above it
        ("/blog/story", "/blog/story/"),  # the same path with a slash
        ("/story", "/story/"),  # one segment: not deep
    ],
)
def test_a_redirect_that_is_not_to_a_folder_above_is_a_move(
    site: tuple[str, Routes], path: str, to: str
) -> None:
    base, routes = site
    routes[path] = (301, to)
    routes[to] = (200, "Daily Planet|Daily Planet|")
    assert judged(check(f"{base}{path}")) == (
        LinkStatus.MOVED,
        (W.INSECURE, W.TITLE_MISMATCH),
        "permanent redirect (301): update the citation; page title is now 'Daily Planet'",
    )


def test_a_folder_of_another_site_is_not_a_section_home(
    site: tuple[str, Routes], other_site: tuple[str, Routes]
) -> None:
    base, routes = site
    other, other_routes = other_site
    routes["/blog/2019/05/post"] = (301, f"{other}/blog/")
    other_routes["/blog/"] = (200, "Blog | Other Planet|Latest posts|")
    assert check(f"{base}/blog/2019/05/post").status is LinkStatus.MOVED


# --- login walls and challenge words --------------------------------------------------


def test_a_login_page_cited_as_such_is_not_a_login_wall(site: tuple[str, Routes]) -> None:
    base, routes = site
    routes["/login"] = (302, "/signin")
    routes["/signin"] = (200, "Sign in|Sign in|")
    assert judged(check(f"{base}/login", title="Sign in")) == (
        LinkStatus.OK,
        (W.INSECURE, W.TEMPORARY_REDIRECT),
        None,
    )
    routes["/2023/07/heat"] = (302, "/signin")
    assert check(f"{base}/2023/07/heat", title="Sign in").status is LinkStatus.BLOCKED


def test_a_page_that_only_mentions_cloudflare_is_ok(site: tuple[str, Routes]) -> None:
    base, routes = site
    routes["/2023/07/cdn"] = (200, "Record heat in Europe 2023|Heat|Served by Cloudflare's CDN.")
    assert judged(check(f"{base}/2023/07/cdn")) == (LinkStatus.OK, (W.INSECURE,), None)


# --- the rules on their own ----------------------------------------------------------


def test_two_letter_words_count_in_titles() -> None:
    assert title_similarity("UK heat record", ["UK"]) == pytest.approx(1 / 3)
    assert title_similarity("a", ["a"]) == 1.0  # nothing but a stop word: nothing to miss


def test_urls_without_a_host_are_one_site() -> None:
    assert redirected_home("file:///story", "file:///")
    assert section_home("file:///blog/post", "file:///blog/")


def test_a_redirect_to_a_url_that_does_not_parse_is_judged_on_its_status() -> None:
    out = FetchOutcome(
        url="https://news.example/2023/07/heat",
        final_url="https://[bad/login",
        hops=[Hop(url="https://news.example/2023/07/heat", status=301)],
        http_status=200,
        headers={},
        page=PageInfo(content_type="text/html", html=True, title="Record heat in Europe 2023"),
        error=None,
        detail=None,
        attempts=1,
    )
    assert classify(out, ["Record heat in Europe 2023"]) == (
        LinkStatus.MOVED,
        (),
        "permanent redirect (301): update the citation",
    )


_PIECES = [
    "Filler text of an ordinary article. ",
    "<p>Just a moment...</p>",
    "Checking your browser before accessing",
    "cdnjs.cloudflare.com/ajax/libs/x.js ",
    "This domain is for sale! ",
    "Buy this domain today. ",
    "Please verify you are a human",
    "captcha",
]


@given(
    lead=st.integers(0, 900),
    pieces=st.lists(st.sampled_from(_PIECES), max_size=40),
    status=st.sampled_from([200, 403, 503]),
    title=st.sampled_from(["Report finds 54 stations", "Just a moment...", ""]),
)
@settings(max_examples=150)
def test_what_a_worker_sends_is_judged_as_the_whole_prefix(
    lead: int, pieces: list[str], status: int, title: str
) -> None:
    # A worker process sends its parent only judged_prefix() of each page's text: the
    # link's status, warnings and detail must be those of the whole 32 KiB prefix.
    from claimcheck.links.classify import judged_prefix
    from claimcheck.links.page import PREFIX_CHARS

    # Markers anywhere in the 32 KiB, after ``lead`` pieces of ordinary text.
    prefix = (_PIECES[0] * lead + "".join(pieces))[:PREFIX_CHARS]

    def judged(text: str) -> object:
        out = FetchOutcome("http://example.org/a", "http://example.org/a", http_status=status)
        out.page = PageInfo(content_type="text/html", html=True, title=title or None)
        out.page.prefix = text
        return classify(out, ["Report finds 54 stations"])

    assert judged(judged_prefix(prefix)) == judged(prefix)
    assert len(judged_prefix(prefix)) <= 4096 or judged_prefix(prefix) == prefix


_MARKER_PIECES = [
    *_PIECES,
    "this domain is parked",
    "THIS DOMAIN MAY BE FOR SALE",
    "domain for \u017fale",  # ſ: a case-insensitive "s"
    "thi\u0131s domain is parked",
    "buy th\u0130s doma\u0131n",  # İ and ı: case-insensitive "i"
    "hugedomains.com",
    "sedoparking",
    "\u212aelvin captcha",  # the Kelvin sign: a case-insensitive "k"
    "ca\u212aptcha CHECKING YOUR BROWSER",
    "Stra\u00dfe caf\u00e9 \u00c9t\u00e9 ",
]


@given(st.lists(st.sampled_from(_MARKER_PIECES), max_size=30))
@settings(max_examples=300)
def test_the_substring_prefilters_never_hide_a_marker(pieces: list[str]) -> None:
    # Parked-domain and challenge markers are looked for by substring before their
    # regular expressions run: a page they match must never be missed.
    from claimcheck.links.classify import _CHALLENGE, _PARKED, is_bot_challenge, looks_parked

    text = "".join(pieces)
    page = PageInfo(content_type="text/html", html=True)
    page.prefix = text
    assert looks_parked([], text) is bool(_PARKED.search(text[:4096]))
    assert is_bot_challenge(200, {}, page) is bool(_CHALLENGE.search(text))


def test_only_the_listed_characters_fold_onto_ascii_letters() -> None:
    # The marker prefilters lower-case bytes, which leaves every non-ASCII character as
    # it is: right only while no character outside ASCII lower-cases to an ASCII letter
    # except those the prefilter treats apart (a Unicode update could add one).
    import string

    from claimcheck.links.classify import _FOLDED_ONTO_ASCII

    onto_ascii = {
        chr(c)
        for c in range(128, 0x110000)
        if not 0xD800 <= c < 0xE000 and any(ch in string.ascii_letters for ch in chr(c).lower())
    }
    assert onto_ascii <= set(_FOLDED_ONTO_ASCII)


def test_title_words_are_compared_without_their_accents() -> None:
    assert title_similarity("Café crème à Zürich", ["Cafe creme a Zurich | Site"]) == 1.0
    assert title_similarity("Cafe creme", ["Café crème"]) == 1.0
    assert title_similarity("Café", ["Coffee"]) == 0.0


def test_a_text_prefix_holding_a_lone_surrogate_is_still_judged() -> None:
    # Text decoded with surrogateescape (a library embedding claimcheck may pass one)
    # keeps lone surrogates: the marker prefilters must not raise on them.
    from claimcheck.links.classify import is_bot_challenge, judged_prefix, looks_parked

    text = "<title>Just a moment...</title> \udcff" + " filler" * 1000
    page = PageInfo(content_type="text/html", html=True)
    page.prefix = text
    assert is_bot_challenge(503, {}, page) is True
    assert judged_prefix(text) == text
    assert looks_parked([], "this domain is for sale \udcff") is True


def test_a_stalled_page_after_a_redirect_keeps_both_details() -> None:
    out = FetchOutcome("https://example.org/a", "https://example.org/b", http_status=200)
    out.hops = [Hop(url="https://example.org/a", status=301)]
    out.page = PageInfo(content_type="text/html", html=True, title="Report finds 54 stations")
    out.page.stalled = "the page stopped sending after 64 KiB"
    assert classify(out, ["Report finds 54 stations"]) == (
        LinkStatus.MOVED,
        (),
        "permanent redirect (301): update the citation; the page stopped sending after "
        "64 KiB; judged on what arrived",
    )


@pytest.mark.parametrize(
    ("url", "insecure"),
    [
        ("http://example.org:8080/a", True),
        ("HTTP://example.org/a", True),
        ("https://example.org:8443/a", False),
    ],
)
def test_plain_http_is_said_with_or_without_a_port(url: str, insecure: bool) -> None:
    out = FetchOutcome(url, url, http_status=200)
    out.page = PageInfo(content_type="text/html", html=True, title="Report finds 54 stations")
    _, warnings, _ = classify(out, ["Report finds 54 stations"])
    assert (W.INSECURE in warnings) is insecure


def test_a_url_that_does_not_split_is_not_a_section_home() -> None:
    assert section_home("http://[::1/blog/2019/post", "http://[::1/blog/") is False
    assert section_home("http://example.org/blog/2019/post", "http://[::1/") is False
