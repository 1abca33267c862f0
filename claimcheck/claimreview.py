"""schema.org ``ClaimReview`` JSON-LD: a ledger's (or dossier's) verdicts for fact-check tools.

One review per claim that a finding *settles*: a claim named by a failing finding is
*Inconsistent*; a claim named only by passing findings is *Consistent*; a claim that a
check left unknown (and none failed), or that no finding names, is not settled and gets
no review, since a rating that could go either way is no rating. The rating's explanation is the
findings' own sentences. The article the claim comes from is the ``itemReviewed``
claim's ``appearance``. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimcheck.loader import LoadedLedger
from claimcheck.models import Claim, Document, Party
from claimcheck.results import Finding, Status

CONTEXT = "https://schema.org"

RATINGS = {1: "Inconsistent", 2: "Consistent"}
"""The rating scale: ``ratingValue`` → ``alternateName`` (``worstRating`` 1, ``bestRating`` 2).

It rates how a claim holds together with the article's other claims and its own quote
(the checks claimcheck runs), not whether the world agrees with it."""

_SETTLING = ("anchor.", "consistency.", "check.")
_EXPLANATION_CHARS = 1000


@dataclass(frozen=True)
class Reviewer:
    """Who publishes the reviews and where: the fact-check page (``url``, required by the
    markup), its author and the date of publication."""

    url: str
    author: str | None = None
    date: str | None = None


def _verdicts(findings: list[Finding]) -> dict[str, list[Finding]]:
    """The findings that settle each claim: a failure settles it; otherwise it is settled
    when every check that names it passed at least once for it (a check left unknown on
    it, and passed on it nowhere, means its figure may be right or wrong)."""
    by_claim: dict[str, list[Finding]] = {}
    for f in findings:
        if not f.check.startswith(_SETTLING) or f.status is Status.WARN:
            continue
        for c in f.claims:
            by_claim.setdefault(c, []).append(f)
    out = {}
    for claim, found in by_claim.items():
        if any(f.status is Status.FAIL for f in found):
            out[claim] = found
        elif all(any(g.status is Status.PASS for g in found if g.check == f.check) for f in found):
            out[claim] = [f for f in found if f.status is Status.PASS]
    return out


def _rating(found: list[Finding]) -> tuple[int, str]:
    failed = [f for f in found if f.status is Status.FAIL]
    shown = failed or found
    text = "; ".join(dict.fromkeys(f.message for f in shown))
    if len(text) > _EXPLANATION_CHARS:
        text = text[: _EXPLANATION_CHARS - 1] + "…"
    return (1 if failed else 2), text


def _party(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    kind = "Person" if party.kind == "person" else "Organization"
    return {"@type": kind, "name": party.name}


def _article(doc: Document | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    out: dict[str, Any] = {"@type": "CreativeWork", "name": doc.title}
    if doc.url:
        out["url"] = doc.url
    if doc.published:
        out["datePublished"] = doc.published
    if doc.author:
        out["author"] = {"@type": "Person", "name": doc.author}
    if doc.publisher:
        out["publisher"] = {"@type": "Organization", "name": doc.publisher}
    return out


def _item(claim: Claim, loaded: LoadedLedger, doc: Document | None) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim", "name": claim.text, "text": claim.quote}
    parties = {p.id: p for p in loaded.ledger.parties}
    author = _party(parties.get(claim.said_by[0])) if claim.said_by else None
    if author is None and doc is not None and doc.publisher:
        author = {"@type": "Organization", "name": doc.publisher}
    if author is None and doc is not None and doc.author:
        author = {"@type": "Person", "name": doc.author}
    if author is not None:
        item["author"] = author
    article = _article(doc)
    if article is not None:
        item["appearance"] = article
        item["firstAppearance"] = article
        if doc is not None and doc.published:
            item["datePublished"] = doc.published
    return item


def claim_reviews(
    loaded: LoadedLedger,
    findings: list[Finding],
    reviewer: Reviewer,
    documents: dict[str, Document | None] | None = None,
) -> list[dict[str, Any]]:
    """One ``ClaimReview`` object per settled claim, in the ledger's order.

    ``documents`` gives the article of each claim id when they differ (a dossier's
    members); by default every claim comes from the ledger's own document.
    """
    verdicts = _verdicts(findings)
    out: list[dict[str, Any]] = []
    for claim in loaded.ledger.claims:
        found = verdicts.get(claim.id)
        if not found:
            continue
        value, explanation = _rating(found)
        doc = documents.get(claim.id) if documents is not None else loaded.ledger.document
        review: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "url": f"{reviewer.url}#claim-{claim.id}",
            "claimReviewed": claim.text,
            "itemReviewed": _item(claim, loaded, doc),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 2,
                "worstRating": 1,
                "alternateName": RATINGS[value],
                "name": RATINGS[value],
                "ratingExplanation": explanation,
            },
        }
        if reviewer.author:
            review["author"] = {"@type": "Organization", "name": reviewer.author}
        if reviewer.date:
            review["datePublished"] = reviewer.date
        out.append(review)
    return out
