"""ClaimReview export: valid against the properties Google's fact-check markup documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimcheck import api
from tests.conftest import copy_bundled

DATA = Path(__file__).resolve().parents[2] / "data"

# The properties of Google Search Central's "Fact check (ClaimReview) structured data"
# page (developers.google.com/search/docs/appearance/structured-data/factcheck), section
# "Structured data type definitions": required and recommended, per type.
CLAIM_REVIEW_REQUIRED = {"claimReviewed", "reviewRating", "url"}
CLAIM_REVIEW_RECOMMENDED = {"author", "itemReviewed"}
CLAIM_RECOMMENDED = {"appearance", "author", "datePublished", "firstAppearance"}
RATING_REQUIRED = {"alternateName"}
RATING_RECOMMENDED = {"bestRating", "name", "ratingValue", "worstRating"}

URL = "https://factcheck.example/stations"

# The schema.org vocabulary (schema.org/ClaimReview, /Claim, /Rating, /CreativeWork,
# /Organization, /Person): the properties each type used here has, its parents' included
# (only those this export could use; a property outside its type is an error).
_THING = {"name", "alternateName", "url", "description", "identifier", "sameAs", "image"}
_WORK = _THING | {"author", "datePublished", "dateModified", "publisher", "text", "headline"}
SCHEMA_ORG = {
    "ClaimReview": _WORK | {"claimReviewed", "itemReviewed", "reviewRating", "reviewBody"},
    "Claim": _WORK | {"appearance", "firstAppearance", "claimInterpreter"},
    "CreativeWork": _WORK,
    "Rating": _THING | {"ratingValue", "bestRating", "worstRating", "ratingExplanation"},
    "Organization": _THING,
    "Person": _THING,
}


def _reviews(*ledgers: Path, dossier: bool = False) -> list[dict[str, Any]]:
    reviewer = api.Reviewer(url=URL, author="Example Checks", date="2026-11-29")
    return api.claimreview(list(ledgers), reviewer, dossier)


def _valid(review: dict[str, Any]) -> None:
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    for prop in CLAIM_REVIEW_REQUIRED | CLAIM_REVIEW_RECOMMENDED:
        assert review.get(prop), f"ClaimReview.{prop} missing"
    assert review["url"].startswith(URL + "#claim-")
    assert review["author"]["@type"] in {"Organization", "Person"} and review["author"]["name"]
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    for prop in CLAIM_RECOMMENDED:
        assert claim.get(prop), f"Claim.{prop} missing"
    assert claim["appearance"]["@type"] == "CreativeWork" and claim["appearance"]["name"]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    for prop in RATING_REQUIRED | RATING_RECOMMENDED:
        assert prop in rating, f"Rating.{prop} missing"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert rating["alternateName"] in {"Consistent", "Inconsistent"}
    assert rating["ratingExplanation"]
    # The rating is not repeated in the claim's summary (Google's guideline).
    assert rating["alternateName"] not in review["claimReviewed"]


def _typed(node: Any) -> Iterator[dict[str, Any]]:
    """Every object with an ``@type`` in a JSON-LD tree."""
    if isinstance(node, dict):
        if "@type" in node:
            yield node
        for value in node.values():
            yield from _typed(value)
    elif isinstance(node, list):
        for value in node:
            yield from _typed(value)


def test_the_bundled_dossier_exports_valid_reviews() -> None:
    reviews = _reviews(DATA / "dossier.json")
    assert len(reviews) > 20
    for review in reviews:
        _valid(review)
    # Every object is of a schema.org type and uses only that type's properties.
    for node in _typed(reviews):
        allowed = SCHEMA_ORG[node["@type"]]
        used = {k for k in node if not k.startswith("@")}
        assert used <= allowed, (node["@type"], sorted(used - allowed))
    urls = [r["url"] for r in reviews]
    assert len(set(urls)) == len(urls)  # one review per claim
    articles = {r["itemReviewed"]["appearance"]["name"] for r in reviews}
    assert len(articles) == 2  # each claim appears in its own article
    assert all(r["reviewRating"]["alternateName"] == "Consistent" for r in reviews)


def test_a_contradicted_claim_is_rated_inconsistent_and_explained(tmp_path: Path) -> None:
    path = copy_bundled(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    uk = next(c for c in data["claims"] if c["id"] == "uk-stations")
    uk["value"] = 5
    uk["quote"] = uk["quote"].replace("three", "five")
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    reviews = {r["url"].split("#claim-")[1]: r for r in _reviews(path)}
    bad = reviews["uk-stations"]
    _valid(bad)
    assert bad["reviewRating"]["ratingValue"] == 1
    assert bad["reviewRating"]["alternateName"] == "Inconsistent"
    assert "5" in bad["reviewRating"]["ratingExplanation"]
    assert reviews["toronto-stations"]["reviewRating"]["alternateName"] == "Consistent"


def test_a_claim_no_finding_settles_gets_no_review() -> None:
    reviews = _reviews(DATA / "claims.json")
    reviewed = {r["url"].split("#claim-")[1] for r in reviews}
    assert "europe-most" not in reviewed  # only an unknown finding names it
    assert "dahlin-under-the-radar" not in reviewed  # a quote: no check settles it
    assert "stations-total" in reviewed


@pytest.mark.parametrize("url", ["", "factcheck.example/x", "javascript:alert(1)"])
def test_cli_needs_an_absolute_url(cli: Any, url: str) -> None:
    result = cli("claimreview", "--url", url)
    assert result.exit_code == 2
    assert "--url" in result.stderr


def test_cli_writes_json_ld(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "reviews.jsonld"
    result = cli("claimreview", DATA / "claims.json", "--url", URL, "--author", "X", "-o", out)
    assert result.exit_code == 0, result.stderr
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert reviews and all(r["@type"] == "ClaimReview" for r in reviews)
