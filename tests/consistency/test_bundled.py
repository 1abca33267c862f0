"""The bundled ledger passes, and each single mutation of it fails the right rule.

Every mutation changes one thing in a copy of ``data/claims.json`` and asserts that the
rule responsible fails, naming the changed claim and pointing at the ledger's line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimcheck.consistency import check_consistency
from claimcheck.loader import load_ledger
from claimcheck.results import Finding, Status
from tests.consistency.conftest import by_id, failures

Mutate = Callable[[Callable[[dict[str, Any]], None]], list[Finding]]


def test_untouched_ledger_has_no_failure(bundled: Path) -> None:
    findings = check_consistency(load_ledger(bundled))
    assert findings
    assert failures(findings) == []
    assert not [f for f in findings if f.status is Status.WARN]


def test_stations_lead_with_the_30_versus_54_explanation(bundled: Path) -> None:
    first = check_consistency(load_ledger(bundled))[0]
    assert first.measure == "stations"
    assert first.check == "consistency.evolution"
    assert first.status is Status.PASS
    assert "growth in time and scope, not a contradiction: 30 + a further 24 = 54" in first.message
    assert set(first.claims) == {"stations-first-batch", "stations-further", "stations-total"}


def test_findings_are_grouped_by_measure(bundled: Path) -> None:
    findings = check_consistency(load_ledger(bundled))
    seen: list[str | None] = []
    for f in findings:
        if not seen or seen[-1] != f.measure:
            assert f.measure not in seen, f"measure {f.measure} appears in two runs"
            seen.append(f.measure)
    assert seen[0] == "stations"


def test_canada_is_settled_at_three(bundled: Path) -> None:
    findings = check_consistency(load_ledger(bundled))
    settled = [f for f in findings if "Canada is settled at 3" in f.message]
    assert len(settled) == 1 and settled[0].status is Status.PASS
    assert "canada-stations" in settled[0].claims


def test_europe_most_is_honestly_unknown(bundled: Path) -> None:
    findings = check_consistency(load_ledger(bundled))
    (europe,) = [
        f for f in findings if f.check == "consistency.containment" and "europe-most" in f.claims
    ]
    assert europe.status is Status.UNKNOWN
    assert "no Europe total is given" in europe.message
    assert "27" in europe.message  # most of 54 is more than 27


def _set(kind: str, ident: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        by_id(data[kind], ident).update(fields)

    return change


def _both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)

    return change


def _add_claim(claim: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["claims"].append(claim)

    return change


def _remove_item(item: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["claims"] = [c for c in data["claims"] if c["id"] != item]
        for check in data["checks"]:
            if item in check.get("items", []):
                check["items"].remove(item)

    return change


def _period(ident: str, start: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        by_id(data["claims"], ident)["period"]["start"] = start

    return change


MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    # (name, change, check that must fail, claim it must name)
    (
        "figure: a further 20 instead of 24",
        _set("claims", "stations-further", value=20),
        "check.sum",
        "stations-further",
    ),
    (
        "figure: the total no longer explains the growth",
        _set("claims", "stations-total", value=60),
        "consistency.evolution",
        "stations-total",
    ),
    (
        "figure: at least 60 against 54 on the same day",
        _set("claims", "stations-at-least", value=60),
        "consistency.agreement",
        "stations-at-least",
    ),
    (
        "figure: 5 stations in London break the United Kingdom's 3",
        _set("claims", "london-stations", value=5),
        "consistency.containment",
        "london-stations",
    ),
    (
        "figure: 2 in New York City break North America's complete 4",
        _set("claims", "nyc-stations", value=2),
        "consistency.containment",
        "nyc-stations",
    ),
    (
        "figure: 35 cities but 30 stations",
        _both(
            _set("claims", "cities-first-batch", value=35),
            _set("claims", "cities-start-2022", value=35),
        ),
        "consistency.relation",
        "cities-first-batch",
    ),
    (
        "figure: 60 countries but at most 54 stations",
        _set("claims", "countries-total", value=60),
        "consistency.relation",
        "countries-total",
    ),
    (
        "bound: Canada at most 2 though Toronto has 3",
        _set("claims", "canada-stations", bound="at_most", value=2),
        "consistency.containment",
        "canada-stations",
    ),
    (
        "bound: Europe holds all the stations though North America has 4",
        _set("claims", "europe-most", share="all"),
        "consistency.containment",
        "europe-most",
    ),
    (
        "date: the law takes effect before it is adopted",
        _set("claims", "law-effective", date="2022-08-01"),
        "check.before",
        "law-effective",
    ),
    (
        "date: the first batch dated after its sources",
        _set("claims", "stations-first-batch", as_of="2022-10-01"),
        "consistency.time",
        "stations-first-batch",
    ),
    (
        "date: a later, smaller running total",
        _add_claim(
            {
                "id": "stations-december",
                "kind": "count",
                "text": "50 stations in December.",
                "quote": "54 physical",
                "sources": ["sd-110-overseas"],
                "measure": "stations",
                "value": 50,
                "place": "world",
                "as_of": "2022-12",
                "scope": ["fuzhou-and-qingtian"],
                "scheduled": True,
            }
        ),
        "consistency.evolution",
        "stations-december",
    ),
    (
        "source: the report published before what it reports",
        _set("sources", "sd-110-overseas", published="2022-08-01"),
        "consistency.time",
        "stations-total",
    ),
    (
        "period: persuasions start after they end",
        _period("persuaded-returns", "2022-10"),
        "consistency.time",
        "persuaded-returns",
    ),
    (
        "containment: Glasgow moved out of the United Kingdom",
        _set("places", "glasgow", within="canada"),
        "consistency.containment",
        "glasgow-stations",
    ),
    (
        "listed item removed: two types of return listed for three",
        _remove_item("return-type-kidnapping"),
        "check.count_of",
        "return-types",
    ),
    (
        "listed item removed: four revelations listed for five",
        _remove_item("law-extraterritorial"),
        "check.count_of",
        "revelations-count",
    ),
    (
        "check: at least 60 said to equal 54",
        _set("claims", "stations-at-least", value=60),
        "check.equal",
        "stations-at-least",
    ),
]


@pytest.mark.parametrize(
    ("change", "check", "claim"),
    [m[1:] for m in MUTATIONS],
    ids=[m[0] for m in MUTATIONS],
)
def test_mutation_fails_the_right_rule(
    mutate: Mutate, change: Callable[[dict[str, Any]], None], check: str, claim: str
) -> None:
    findings = mutate(change)
    failed = failures(findings, check)
    assert failed, f"{check} did not fail; failures: {[f.message for f in failures(findings)]}"
    named = [f for f in failed if claim in f.claims]
    assert named, f"{check} failed without naming {claim}: {[f.claims for f in failed]}"
    assert all(re.search(r"claims\.json:\d+:\d+$", f.location or "") for f in named)


def test_mutations_cover_every_rule_kind() -> None:
    checks = {m[2] for m in MUTATIONS}
    assert len(MUTATIONS) >= 12
    assert {
        "consistency.agreement",
        "consistency.evolution",
        "consistency.containment",
        "consistency.relation",
        "consistency.time",
        "check.sum",
        "check.before",
        "check.count_of",
    } <= checks


def test_weakened_bound_keeps_the_relation_consistent(mutate: Mutate) -> None:
    findings = mutate(_set("claims", "countries-total", bound="at_least"))
    assert failures(findings) == []
    rel = [f for f in findings if f.check == "consistency.relation"]
    (to_stations,) = [
        f for f in rel if "countries-total" in f.claims and "stations-total" in f.claims
    ]
    assert "holds if countries is 30 to 54" in to_stations.message


def test_scheduled_claim_is_exempt_until_unmarked(mutate: Mutate) -> None:
    findings = mutate(_set("claims", "law-effective", scheduled=False))
    (late,) = failures(findings, "consistency.time")
    assert late.claims == ("law-effective",)
    assert "2022-12-01" in late.message and "2022-09-12" in late.message
