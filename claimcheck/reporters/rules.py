"""Every kind of result claimcheck reports, with help text: the rules of the SARIF output.

One rule per check (``anchor.quote``, ``consistency.containment`` …), per link status
(``links.broken``), per link warning (``links.title-mismatch``) and per evidence verdict
(``evidence.changed``). A check met in a
report that is not listed here (a newer one) still gets a rule, with generic help.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.results import LinkStatus, LinkWarning


@dataclass(frozen=True)
class RuleInfo:
    """A rule's id, one-line description and help text."""

    id: str
    summary: str
    help: str


_STATIC: dict[str, tuple[str, str]] = {
    "schema": (
        "The ledger is valid against its JSON Schema.",
        "The ledger parses as JSON, matches claims.schema.json, and every id it refers to "
        "exists. A ledger that fails this is not checked further (exit 2).",
    ),
    "sources.url": (
        "Sources without an established URL.",
        "A source may have no URL; no link can then be checked for it, and claims that "
        "rest only on such sources are listed so that a reader knows which figures no "
        "cited page backs.",
    ),
    "coverage": (
        "Figures and dates of the article that no claim tracks.",
        "The article is scanned for every figure and date it states; each is covered "
        "(inside a claim's quote), left out on purpose (inside a left_out passage, which "
        "says why), or uncovered: what the ledger's author has not looked at yet.",
    ),
    "anchor.quote": (
        "Each claim's quote is in the article.",
        "The claim's quote must appear in the article's text. Curly quotes, non-breaking "
        "spaces, dashes and run-together words are tolerated; the nearest passage is "
        "shown when the quote is not found.",
    ),
    "anchor.figure": (
        "Each claim's figure or date is in its quote.",
        "A count's value (as digits, with separators, or as number words) or a date must "
        "appear in the claim's own quote.",
    ),
}

_LINK_STATUS: dict[LinkStatus, str] = {
    LinkStatus.OK: "The page answered 2xx and looks like the page cited.",
    LinkStatus.MOVED: "Reached through a permanent redirect: update the citation.",
    LinkStatus.BROKEN: "404 or another 4xx, or a URL that cannot be requested at all.",
    LinkStatus.GONE: "410: the page was removed on purpose.",
    LinkStatus.BLOCKED: "401, 403, 429, a bot challenge or a login wall: unverifiable, not dead.",
    LinkStatus.SERVER_ERROR: "5xx after the retries.",
    LinkStatus.TIMEOUT: "No answer within the timeout, after the retries.",
    LinkStatus.UNREACHABLE: "Connection refused or reset, a TLS failure, or a name that "
    "does not resolve.",
    LinkStatus.REDIRECT_LOOP: "Redirects back to a URL already visited, or too many hops.",
    LinkStatus.SOFT_404: "A page that answers 200 but says it was not found, or an "
    "article redirected to a home page.",
    LinkStatus.OFFLINE: "The network was down: the link was not judged.",
    LinkStatus.SKIPPED: "Excluded, or refused by the safety rule for private addresses.",
    LinkStatus.INSECURE: "Cited with plain http (a status under --fail-on-http, else a warning).",
}

_LINK_WARNING: dict[LinkWarning, str] = {
    LinkWarning.FRAGMENT_MISSING: "The URL's #fragment is not an id on the page.",
    LinkWarning.TITLE_MISMATCH: "The page's title shares few words with the cited title, "
    "or the domain looks parked or for sale.",
    LinkWarning.TEMPORARY_REDIRECT: "The redirect chain contains a 302, 303 or 307.",
    LinkWarning.INSECURE: "The cited URL is plain http.",
}


_EVIDENCE: dict[str, str] = {
    "supported": "The cited passage is on the source's page and holds the claim's figure or date.",
    "changed": "The page answers, but the passage is gone or its figure differs; the "
    "report shows the nearest passage and what the archived copy said.",
    "unverifiable": "The page could not be read as text (blocked, a login wall, an image-"
    "only PDF, too large): the source may well be fine.",
    "dead": "The cited link itself is dead; its link status says how.",
    "not-checked": "Not read: the network is down, the URL is excluded or refused, the "
    "source has no URL, or the claim gives no passage.",
    "page-changed": "The text of a cited page changed since the last check: re-read it "
    "against the claims.",
}


def link_rule_id(name: str) -> str:
    """The rule id of a link status or warning: ``links.broken``."""
    return f"links.{name}"


def catalogue() -> list[RuleInfo]:
    """Every known rule, in a stable order: ledger, anchoring, consistency, links."""
    import claimcheck.consistency  # noqa: F401  (importing it registers the rules)
    from claimcheck.consistency.registry import RULES

    out = [RuleInfo(rid, summary, help_) for rid, (summary, help_) in _STATIC.items()]
    for rule in RULES.values():
        out.append(RuleInfo(rule.name, _plain(rule.summary), _plain(rule.doc)))
    for status in LinkStatus:
        text = _LINK_STATUS.get(status, f"The link's status is {status.value}.")
        out.append(
            RuleInfo(
                link_rule_id(status.value),
                f"Link status {status.value}.",
                text + " See docs/links.md for how each status is decided.",
            )
        )
    for verdict, text in _EVIDENCE.items():
        out.append(
            RuleInfo(
                f"evidence.{verdict}",
                f"Evidence verdict {verdict}.",
                text + " See docs/evidence.md.",
            )
        )
    known = {r.id for r in out}
    for warning in LinkWarning:
        if link_rule_id(warning.value) in known:  # a status of the same name and meaning
            continue
        text = _LINK_WARNING.get(warning, f"The link carries the warning {warning.value}.")
        out.append(RuleInfo(link_rule_id(warning.value), f"Link warning {warning.value}.", text))
    return out


def _plain(doc: str) -> str:
    """A docstring's reStructuredText literals as plain quotes."""
    return doc.replace("``", "'")


def unknown_rule(rule_id: str) -> RuleInfo:
    """A rule for a check this catalogue does not list."""
    return RuleInfo(rule_id, f"Check {rule_id}.", f"Findings of the check {rule_id}.")
