"""The wording of findings: plurals, places by name, one line of arithmetic each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimcheck.consistency import check_consistency
from claimcheck.loader import load_ledger
from claimcheck.results import Finding, Status
from claimcheck.wording import plural

Small = Callable[..., list[Finding]]

PLACES = {"europe": "world", "uk": "europe", "london": "uk", "na": "world"}


def one(findings: list[Finding], check: str) -> Finding:
    found = [f for f in findings if f.check == check]
    assert len(found) == 1, [f.message for f in findings]
    return found[0]


def place(p: str, value: float, **fields: Any) -> dict[str, Any]:
    return {"measure": "stations", "value": value, "place": p, "as_of": "2022-09-12", **fields}


# Plurals


def test_plural() -> None:
    assert plural(1, "claim") == "1 claim"
    assert plural(3, "claim") == "3 claims"
    assert plural(0, "claim") == "0 claims"
    assert plural(2, "dated claim") == "2 dated claims"
    assert plural(2, "city", "cities") == "2 cities"
    assert plural(1, "city", "cities") == "1 city"


def test_time_findings_count_claims_in_words(small: Small) -> None:
    sources = [{"id": "s", "title": "S", "published": "2022-09-12"}]
    single = one(small({"a": {"date": "2022-09"}}, sources=sources), "consistency.time")
    assert single.message.startswith("1 claim dated no later than source s ")
    two = small({"a": {"date": "2022-09"}, "b": {"date": "2022-08"}}, sources=sources)
    assert one(two, "consistency.time").message.startswith("2 claims dated no later")
    undated = one(small({"a": {"date": "2022-09"}}), "consistency.time")
    assert "has no publication date: 1 dated claim cannot be checked" in undated.message
    undated = one(small({"a": {"date": "2022-09"}, "b": {"date": "2022"}}), "consistency.time")
    assert "has no publication date: 2 dated claims cannot be checked" in undated.message


def test_no_message_of_the_bundled_ledger_says_s_in_brackets(bundled: Path) -> None:
    for f in check_consistency(load_ledger(bundled)):
        assert "(s)" not in f.message, f.message
        assert "\n" not in f.message, f.message  # one line of arithmetic each


# A single part is not summed again


def test_one_part_is_not_summed_again(small: Small) -> None:
    bad = one(
        small({"world": place("world", 54), "europe": place("europe", 60)}, places=PLACES),
        "consistency.containment",
    )
    assert bad.status is Status.FAIL
    assert bad.message == "stations (2022-09-12): World 54 < Europe 60"
    ok = one(
        small({"world": place("world", 54), "europe": place("europe", 50)}, places=PLACES),
        "consistency.containment",
    )
    assert ok.status is Status.PASS
    assert ok.message == "stations (2022-09-12): World 54 ≥ Europe 50"
    complete = one(
        small(
            {"uk": place("uk", 3, parts_complete=True), "london": place("london", 3)},
            places=PLACES,
        ),
        "consistency.containment",
    )
    assert complete.message == "stations (2022-09-12): Uk 3 = London 3 (parts complete)"
    # Two parts or more still show their sum.
    two = one(
        small(
            {"world": place("world", 54), "europe": place("europe", 60), "na": place("na", 4)},
            places=PLACES,
        ),
        "consistency.containment",
    )
    assert two.message == "stations (2022-09-12): World 54 < Europe 60 + Na 4 = 64"


def test_sum_check_parts_missing_figures_in_words(small: Small) -> None:
    # A sum check has two parts or more (the schema says so): its sum is never one part.
    checks = [{"kind": "sum", "id": "s1", "total": "t", "parts": ["a", "b"]}]
    world = {"measure": "stations", "place": "world"}
    one_missing = small(
        {"t": {**world, "value": 54}, "a": {**world, "value": 30}, "b": {}}, checks=checks
    )
    assert one(one_missing, "check.sum").message == "s1: b has no figure to add"
    two_missing = small({"t": {**world, "value": 54}, "a": {}, "b": {}}, checks=checks)
    assert one(two_missing, "check.sum").message == "s1: a, b have no figure to add"


# Places by name


def test_places_are_named_claims_keep_their_ids(small: Small) -> None:
    findings = small(
        {
            "a": place("na", 3, as_of="2022-09"),
            "b": place("na", 5, as_of="2022-09-12"),
        },
        places=PLACES,
        names={"na": "North America"},
    )
    f = one(findings, "consistency.agreement")
    assert f.message.startswith("stations in North America, no scope: ")
    assert "(a, 2022-09)" in f.message and "(b, 2022-09-12)" in f.message


def test_places_sharing_a_name_are_told_apart_by_id(small: Small) -> None:
    findings = small(
        {
            "il": place("springfield-il", 3),
            "il-too": place("springfield-il", 5),
            "ma": place("springfield-ma", 1),
        },
        places={"springfield-il": "world", "springfield-ma": "world"},
        names={"springfield-il": "Springfield", "springfield-ma": "springfield"},
    )
    f = one(findings, "consistency.agreement")
    assert f.status is Status.FAIL
    assert f.message.startswith("stations in Springfield (springfield-il), no scope: ")


def test_narrowing_keeps_the_sign_of_open_figures(small: Small) -> None:
    findings = small(
        {
            "w": place("world", 54),
            "n": place("na", 1, bound="at_least"),
            "e": place("europe", 50, bound="at_least"),
        },
        places=PLACES,
    )
    messages = [f.message for f in findings if f.check == "consistency.containment"]
    # World's figure is not narrowed by its parts: nothing to add after the sum.
    assert "stations (2022-09-12): World 54 ≥ Na ≥1 + Europe ≥50 = ≥51" in messages
    assert (
        "stations (2022-09-12): Na is narrowed to 1 to 4 by World 54 − Europe ≥50, "
        "which agrees with n ≥1"
    ) in messages
