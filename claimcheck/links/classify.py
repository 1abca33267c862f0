"""From a fetch to one status and its warnings: the judgement a person would make."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from claimcheck.results import LinkStatus, LinkWarning

if TYPE_CHECKING:
    from claimcheck.links.fetch import FetchOutcome, PageInfo

BLOCKED_STATUSES = frozenset({401, 403, 429, 999})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})
PERMANENT_REDIRECTS = frozenset({301, 308})

# Markers of bot-protection pages (Cloudflare, DataDome, PerimeterX, Imperva/Incapsula,
# Akamai, AWS WAF, Sucuri): the page exists but a robot may not see it.
_CHALLENGE = re.compile(
    r"challenges\.cloudflare\.com|cf-browser-verification|_cf_chl_opt|cf-challenge"
    r"|<title>\s*just a moment\.\.\.\s*</title>|attention required! \| cloudflare"
    r"|checking your browser before accessing|ddos protection by"
    r"|captcha-delivery\.com|px-captcha|_incapsula_resource|incapsula incident id"
    r"|pardon our interruption|awswafintegration|aws-waf-token|sucuri website firewall"
    r"|please verify you are a human|are you a robot\?|enable javascript and cookies to continue",
    re.I,
)
_CHALLENGE_NEEDLES = (
    "cloudflare",
    "cf-browser",
    "_cf_chl",
    "cf-challenge",
    "just a moment",
    "checking your browser",
    "ddos protection",
    "captcha",
    "incapsula",
    "pardon our interruption",
    "awswaf",
    "aws-waf",
    "sucuri",
    "verify you are a human",
    "are you a robot",
    "enable javascript and cookies",
)
"""A substring of every alternative of ``_CHALLENGE``, lower-cased."""
# Titles and headings of "not found" pages served with 200.
_NOT_FOUND = re.compile(
    r"^\W*404\W*$|\b(?:error|http|oops)\W*404\b|\b404\W*(?:error|page|not)\b"
    r"|page not found|\bnot found\b|no longer (?:exists|available)|does(?:n't| not) exist"
    r"|(?:could|can)(?:n't|not| not) be found|couldn't find|could not find|page (?:is )?unavailable"
    r"|page (?:is )?missing|nothing (?:was )?found|seite nicht gefunden|page introuvable"
    r"|página no encontrada|pagina non trovata",
    re.I,
)
# Parked or for-sale domains: the citation's publisher is gone whatever the title says.
_PARKED = re.compile(
    r"domain (?:name )?(?:is|may be) for sale|buy this domain|this domain is parked"
    r"|parked (?:free|domain)|hugedomains|sedoparking|domain for sale",
    re.I,
)
_PARKED_NEEDLES = ("for sale", "buy this domain", "parked", "hugedomains", "sedoparking")
"""A substring of every alternative of ``_PARKED``, lower-cased."""
_HOME_PATHS = frozenset(
    {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"}
)
_ERROR_PATH = re.compile(
    r"/(?:404|not[-_]?found|error|errors|page[-_]not[-_]found)(?:[./]|$)", re.I
)
_LOGIN_PATH = re.compile(
    r"/(?:log[-_]?in|sign[-_]?in|signin|auth|sso|account/login|subscribe|subscription"
    r"|paywall|register)(?:[./?]|$)",
    re.I,
)
_STOP = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
        "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were",
        "will", "with",
    }
)  # fmt: skip


PARKED_CHARS = 4096
"""How much of a page's text the parked-domain check reads."""


def judged_prefix(prefix: str) -> str:
    """The part of a page's text prefix the judgements here can use: all of it when a
    challenge marker is in it, else what the parked-domain check reads. A worker process
    sends its parent this, not 32 KiB per page."""
    if len(prefix) <= PARKED_CHARS:
        return prefix
    return prefix if _may_hold(prefix, _CHALLENGE_NEEDLES) else prefix[:PARKED_CHARS]


_FOLDED_ONTO_ASCII = "\u017f\u212a\u0131\u0130"
"""ſ, the Kelvin sign, ı and İ: characters a case-insensitive regex matches to an ASCII
letter (s, k, i) but ``str.lower()`` does not turn into it."""


def _may_hold(text: str, needles: tuple[str, ...]) -> bool:
    """False only when no case-insensitive match of a pattern holding one of ``needles``
    can be in ``text``: a regex over kilobytes tries every position (0.5 ms for 4 KiB of
    the parked-domain markers), substring tests on the lower-cased text rule nearly every
    page out first."""
    if not text.isascii() and any(c in text for c in _FOLDED_ONTO_ASCII):
        return True
    # Lower-casing bytes costs a twelfth of lower-casing the str, and finds the same
    # ASCII needles: no other character lower-cases to an ASCII letter, and no byte of a
    # multi-byte UTF-8 sequence is ASCII.
    low = text.encode("utf-8", "surrogatepass").lower()
    return any(n in low for n in _as_bytes(needles))


@functools.cache
def _as_bytes(needles: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(n.encode("ascii") for n in needles)


def is_bot_challenge(status: int | None, headers: Mapping[str, str], page: PageInfo | None) -> bool:
    """Whether the response is a bot challenge rather than the page (or a real error)."""
    if status == 999:
        return True
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if status is not None and status >= 300 and status not in (401, 403, 429, 503):
        return False
    if page is None:
        return False
    # The regex (many alternatives, case-insensitive) costs ~15 ms on a 32 KiB prefix.
    return _may_hold(page.prefix, _CHALLENGE_NEEDLES) and bool(_CHALLENGE.search(page.prefix))


def looks_parked(titles: Sequence[str], prefix: str) -> bool:
    """Whether a title, or the start of the page's text, says the domain is parked or for
    sale."""
    start = prefix[:PARKED_CHARS]
    return any(_PARKED.search(t) for t in titles) or (
        _may_hold(start, _PARKED_NEEDLES) and bool(_PARKED.search(start))
    )


def _tokens(text: str) -> set[str]:
    folded = text.casefold()
    if not folded.isascii():  # only then can there be accents to take off
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return {t for t in re.findall(r"\w+", folded) if t not in _STOP and (len(t) > 1 or t.isdigit())}


def title_similarity(cited: str, page_titles: Sequence[str]) -> float:
    """Share of the cited title's words found in the page's title, og:title or h1.

    Containment rather than Jaccard, because pages append the site name to titles.
    """
    want = _tokens(cited)
    if not want:
        return 1.0
    have: set[str] = set()
    for t in page_titles:
        have |= _tokens(t)
    return len(want & have) / len(want)


TITLE_THRESHOLD = 0.25
"""Below this share of the cited words the page is about something else (a resold
domain); edited headlines and appended site names stay well above it."""


def _site(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


_SEPARATORS = re.compile(r"\s[|\u2013\u2014\-:\u00b7\u00bb]\s|\s*\|\s*")


def says_not_found(text: str) -> bool:
    """Whether a title or heading announces a missing page.

    Only short parts of the title count ("Page not found | Site"), so an article headline
    such as "Missing hikers still not found after ten days in the Alps" does not.
    """
    for part in _SEPARATORS.split(text):
        if len(part.split()) <= 6 and _NOT_FOUND.search(part):
            return True
    return False


def _login_wall(url: str, final_url: str) -> bool:
    """An article redirected to a login, sign-in or subscription page."""
    try:
        before, after = urlsplit(url).path or "/", urlsplit(final_url).path or "/"
    except ValueError:
        return False
    return bool(_LOGIN_PATH.search(after)) and not _LOGIN_PATH.search(before)


def redirected_home(url: str, final_url: str) -> bool:
    """A deep URL that a redirect sent to a home page or an error page.

    To its own site's home page from any deeper path; to another site's home page from
    an article-like path (two segments or more, or a query), since ``/blog`` moving to
    the root of its own new domain is a real move while ``/2022/09/story`` is not.
    """
    try:
        a, b = urlsplit(url), urlsplit(final_url)
    except ValueError:
        return False
    if a.path in _HOME_PATHS and not a.query:
        return False
    if _ERROR_PATH.search(b.path):
        return True
    if b.path not in _HOME_PATHS or b.query:
        return False
    if _site(a.hostname or "") == _site(b.hostname or ""):
        return True
    segments = [p for p in a.path.split("/") if p]
    return len(segments) >= 2 or bool(a.query)


def section_home(url: str, final_url: str) -> bool:
    """A deep URL redirected to a folder above it on the same site (``/blog/2019/05/post``
    → ``/blog/``): where sites send removed posts."""
    try:
        a, b = urlsplit(url), urlsplit(final_url)
    except ValueError:
        return False
    if _site(a.hostname or "") != _site(b.hostname or "") or b.query:
        return False
    deep = [p for p in a.path.split("/") if p]
    above = [p for p in b.path.split("/") if p]
    return len(deep) >= 2 and len(above) < len(deep) and deep[: len(above)] == above


def _section_home(out: FetchOutcome, cited_titles: Sequence[str]) -> bool:
    """A section home whose title does not resemble the cited one."""
    page = out.page
    if page is None or not section_home(out.url, out.final_url):
        return False
    titles = [t for t in (page.title, page.og_title, page.h1) if t]
    if not titles or not cited_titles:
        return bool(titles)
    return max(title_similarity(c, titles) for c in cited_titles) < TITLE_THRESHOLD


def classify(
    out: FetchOutcome, cited_titles: Sequence[str] = ()
) -> tuple[LinkStatus, tuple[LinkWarning, ...], str | None]:
    """The status, warnings and a one-line detail for one fetched link."""
    warnings: list[LinkWarning] = []
    if out.url.split(":", 1)[0].strip().lower() == "http":
        warnings.append(LinkWarning.INSECURE)
    if any(h.status in TEMPORARY_REDIRECTS for h in out.hops):
        warnings.append(LinkWarning.TEMPORARY_REDIRECT)
    status, detail = _status(out, cited_titles)
    page = out.page
    if page is not None and page.stalled:
        detail = _join(detail, f"{page.stalled}; judged on what arrived")
    if status in (LinkStatus.OK, LinkStatus.MOVED) and page is not None and page.html:
        if page.fragment_found is False:
            warnings.append(LinkWarning.FRAGMENT_MISSING)
            frag = out.final_url.partition("#")[2]
            detail = _join(detail, f"#{frag} is not on the page")
        titles = [t for t in (page.title, page.og_title, page.h1) if t]
        if looks_parked(titles, page.prefix):
            warnings.append(LinkWarning.TITLE_MISMATCH)
            detail = _join(detail, "the domain looks parked or for sale")
        elif titles and cited_titles:
            best = max(title_similarity(c, titles) for c in cited_titles)
            if best < TITLE_THRESHOLD:
                warnings.append(LinkWarning.TITLE_MISMATCH)
                detail = _join(detail, f"page title is now {page.title or titles[0]!r}")
    return status, tuple(warnings), detail


def _join(a: str | None, b: str) -> str:
    return b if not a else f"{a}; {b}"


def _status(out: FetchOutcome, cited_titles: Sequence[str] = ()) -> tuple[LinkStatus, str | None]:
    err = out.error
    if err == "unsafe":
        return LinkStatus.SKIPPED, out.detail
    if err in ("timeout", "connect-timeout"):
        return LinkStatus.TIMEOUT, out.detail
    if err in ("loop", "too-many-redirects"):
        return LinkStatus.REDIRECT_LOOP, out.detail
    if err in ("bad-redirect", "bad-url"):
        return LinkStatus.BROKEN, out.detail
    code = out.http_status
    if code is None:  # dns, connect, refused, reset, tls, protocol: no answer came
        return LinkStatus.UNREACHABLE, out.detail or "no response"
    if is_bot_challenge(code, out.headers, out.page):
        return LinkStatus.BLOCKED, f"HTTP {code}: bot challenge page (unverifiable, not dead)"
    if code in BLOCKED_STATUSES:
        what = "rate limited" if code == 429 else "access denied to robots"
        return LinkStatus.BLOCKED, f"HTTP {code}: {what} (unverifiable, not dead)"
    if code == 410:
        return LinkStatus.GONE, "HTTP 410: removed for good"
    if 400 <= code < 500:
        return LinkStatus.BROKEN, f"HTTP {code}"
    if code >= 500:
        tries = "1 attempt" if out.attempts == 1 else f"{out.attempts} attempts"
        return LinkStatus.SERVER_ERROR, f"HTTP {code} after {tries}"
    if not 200 <= code < 300:
        return LinkStatus.BROKEN, f"unexpected HTTP {code}"
    page = out.page
    if out.hops and _login_wall(out.url, out.final_url):
        return LinkStatus.BLOCKED, (
            f"redirected to a login or subscription page ({out.final_url}): unverifiable, not dead"
        )
    if out.hops and redirected_home(out.url, out.final_url):
        return LinkStatus.SOFT_404, f"redirected to {out.final_url}, not the cited page"
    if out.hops and page is not None and page.html and _section_home(out, cited_titles):
        return LinkStatus.SOFT_404, (
            f"redirected to {out.final_url}, the home of its section, whose title does not "
            "match the cited page"
        )
    if page is not None and page.html:
        for text in (page.title, page.h1):
            if text and says_not_found(text):
                return LinkStatus.SOFT_404, f"HTTP {code} but the page says {text!r}"
    permanent = [h.status for h in out.hops if h.status in PERMANENT_REDIRECTS]
    if permanent:
        # final_url says where; the detail says what to do.
        return LinkStatus.MOVED, f"permanent redirect ({permanent[0]}): update the citation"
    return LinkStatus.OK, None
