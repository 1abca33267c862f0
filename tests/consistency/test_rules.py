"""Each rule on small ledgers built for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimcheck.consistency import RULES, check_consistency, time_series
from claimcheck.loader import load_ledger
from claimcheck.results import Finding, Status

Small = Callable[..., list[Finding]]


def of(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def one(findings: list[Finding], check: str) -> Finding:
    found = of(findings, check)
    assert len(found) == 1, [f.message for f in findings]
    return found[0]


def count(value: float, **fields: Any) -> dict[str, Any]:
    return {"measure": "stations", "value": value, "place": "world", **fields}


# Agreement


@pytest.mark.parametrize(
    ("a", "b", "status"),
    [
        ({"value": 54, "bound": "at_least"}, {"value": 54}, Status.PASS),
        ({"value": 3, "bound": "at_least"}, {"value": 3}, Status.PASS),
        ({"value": 60, "bound": "at_least"}, {"value": 54}, Status.FAIL),
        ({"value": 10, "bound": "at_most"}, {"value": 11}, Status.FAIL),
        ({"value": 100, "bound": "approx"}, {"value": 109}, Status.PASS),
        ({"value": 100, "bound": "approx"}, {"value": 111}, Status.FAIL),
        ({"value": 100, "bound": "approx"}, {"value": 115, "bound": "approx"}, Status.PASS),
    ],
)
def test_agreement_uses_bound_semantics(
    small: Small, a: dict[str, Any], b: dict[str, Any], status: Status
) -> None:
    findings = small(
        {"a": count(as_of="2022-09-12", **a), "b": count(as_of="2022-09-12", **b)},
        places={"world": None},
    )
    f = one(findings, "consistency.agreement")
    assert f.status is status
    assert set(f.claims) == {"a", "b"}


def test_agreement_tolerance_is_set_by_the_measure(small: Small) -> None:
    claims = {
        "a": count(100, bound="approx", as_of="2022"),
        "b": count(125, as_of="2022"),
    }
    loose = small(claims, measures={"stations": {"tolerance": 0.3}})
    assert one(loose, "consistency.agreement").status is Status.PASS
    tight = small(claims, measures={"stations": {"tolerance": 0.1}})
    assert one(tight, "consistency.agreement").status is Status.FAIL


def test_agreement_respects_date_precision(small: Small) -> None:
    findings = small({"a": count(3, as_of="2022-09"), "b": count(4, as_of="2022-09-12")})
    f = one(findings, "consistency.agreement")
    assert f.status is Status.FAIL
    assert "2022-09" in f.message and "2022-09-12" in f.message


def test_agreement_skips_other_scopes_times_and_places(small: Small) -> None:
    findings = small(
        {
            "a": count(3, as_of="2022-09", scope=["x"]),
            "b": count(4, as_of="2022-09", scope=["y"]),
            "c": count(5, as_of="2022-10", scope=["x"]),
            "d": count(6, as_of="2022-09", scope=["x"], place="europe"),
        },
        places={"world": None, "europe": "world"},
    )
    assert of(findings, "consistency.agreement") == []


def test_scope_is_a_set(small: Small) -> None:
    findings = small(
        {
            "a": count(3, as_of="2022", scope=["x", "y"]),
            "b": count(4, as_of="2022", scope=["y", "x"]),
        }
    )
    assert one(findings, "consistency.agreement").status is Status.FAIL


def test_coarse_figure_is_compared_with_each_finer_one(small: Small) -> None:
    # "2022" overlaps January and December, which do not overlap each other.
    findings = small(
        {
            "year": count(5, bound="at_least", as_of="2022"),
            "jan": count(5, as_of="2022-01"),
            "dec": count(4, as_of="2022-12"),
        }
    )
    (bad,) = [f for f in of(findings, "consistency.agreement") if f.status is Status.FAIL]
    assert set(bad.claims) == {"year", "dec"}


# Evolution


def test_cumulative_measure_cannot_fall(small: Small) -> None:
    findings = small(
        {"early": count(54, as_of="2022-09"), "late": count(50, as_of="2022-12")},
        measures={"stations": {"cumulative": True}},
    )
    f = one(findings, "consistency.evolution")
    assert f.status is Status.FAIL
    assert f.claims == ("early", "late")
    assert "cannot fall" in f.message


def test_series_in_date_order_names_dates_and_scopes(small: Small) -> None:
    findings = small(
        {
            "late": count(54, as_of="2022-09-12", scope=["all"]),
            "early": count(30, as_of="2022-01-22", scope=["first"]),
        },
        measures={"stations": {"cumulative": True}},
    )
    f = one(findings, "consistency.evolution")
    assert f.status is Status.PASS
    assert f.claims == ("early", "late")
    msg = f.message
    assert msg.index("2022-01-22") < msg.index("2022-09-12")
    assert "first" in msg and "all" in msg and "scopes differ" in msg


def test_non_cumulative_measure_may_fall(small: Small) -> None:
    findings = small({"a": count(54, as_of="2021"), "b": count(3, as_of="2022")})
    f = one(findings, "consistency.evolution")
    assert f.status is Status.PASS and "not cumulative" in f.message


def test_growth_explained_by_a_sum_check(small: Small) -> None:
    findings = small(
        {
            "first": count(30, as_of="2022-01-22", scope=["first-batch"]),
            "further": count(24, as_of="2022-09-12", scope=["further"]),
            "total": count(54, as_of="2022-09-12", scope=["all"]),
        },
        measures={"stations": {"cumulative": True}},
        checks=[{"kind": "sum", "id": "s1", "total": "total", "parts": ["first", "further"]}],
    )
    assert findings[0].check == "consistency.evolution"
    assert "growth in time and scope, not a contradiction: 30 + a further 24 = 54" in (
        findings[0].message
    )


# Containment


PLACES = {
    "world": None,
    "europe": "world",
    "uk": "europe",
    "london": "uk",
    "glasgow": "uk",
    "na": "world",
    "canada": "na",
    "toronto": "canada",
    "us": "na",
    "nyc": "us",
}


def place(p: str, value: float, **fields: Any) -> dict[str, Any]:
    return count(value, place=p, as_of="2022-09-12", **fields)


def test_bounds_propagate_to_settle_canada(small: Small) -> None:
    findings = small(
        {
            "na": place("na", 4, parts_complete=True),
            "toronto": place("toronto", 3),
            "nyc": place("nyc", 1),
            "canada": place("canada", 3, bound="at_least"),
        },
        places=PLACES,
    )
    cont = of(findings, "consistency.containment")
    assert all(f.status is Status.PASS for f in cont)
    (settled,) = [f for f in cont if "settled" in f.message]
    # Places by name; the United States has no figure, so its 1 is traced to New York.
    assert settled.message == (
        "stations (2022-09-12): Canada is settled at 3 by Na 4 (parts complete) − Us 1 (Nyc 1), "
        "which agrees with canada ≥3"
    )
    assert "canada" in settled.claims


def test_complete_parts_must_sum(small: Small) -> None:
    findings = small(
        {
            "uk": place("uk", 3, parts_complete=True),
            "london": place("london", 2),
            "glasgow": place("glasgow", 2),
        },
        places=PLACES,
    )
    f = one(findings, "consistency.containment")
    assert f.status is Status.FAIL
    assert "Uk 3 ≠ Glasgow 2 + London 2 = 4" in f.message or "London 2 + Glasgow 2" in f.message


def test_incomplete_parts_only_bound_below(small: Small) -> None:
    ok = small({"uk": place("uk", 5), "london": place("london", 2)}, places=PLACES)
    assert one(ok, "consistency.containment").status is Status.PASS
    bad = small({"uk": place("uk", 1), "london": place("london", 2)}, places=PLACES)
    f = one(bad, "consistency.containment")
    assert f.status is Status.FAIL and f.claims == ("uk", "london")
    open_ = small(
        {"uk": place("uk", 1, bound="at_least"), "london": place("london", 2)}, places=PLACES
    )
    f = one(open_, "consistency.containment")
    assert f.status is Status.PASS
    assert f.message.endswith(": Uk ≥1 ≥ London 2: Uk holds ≥2, which agrees with ≥1")


def test_containment_propagates_through_unfigured_places(small: Small) -> None:
    findings = small(
        {"world": place("world", 2), "london": place("london", 2), "nyc": place("nyc", 1)},
        places=PLACES,
    )
    f = one(findings, "consistency.containment")
    assert f.status is Status.FAIL
    assert "London 2 + Nyc 1 = 3" in f.message


def test_share_most_settled_or_unknown(small: Small) -> None:
    base = {
        "world": place("world", 10),
        "most": {
            "measure": "stations",
            "place": "europe",
            "share": "most",
            "share_of": "world",
            "as_of": "2022-09-12",
        },
    }
    unknown = small({**base, "uk": place("uk", 3)}, places=PLACES)
    f = next(f for f in unknown if "most" in f.claims)
    assert f.status is Status.UNKNOWN and "no Europe total is given" in f.message
    settled = small({**base, "uk": place("uk", 6)}, places=PLACES)
    assert next(f for f in settled if "most" in f.claims).status is Status.PASS
    refuted = small({**base, "na": place("na", 5)}, places=PLACES)
    assert next(f for f in refuted if "most" in f.claims).status is Status.FAIL


# Relations


def test_relations_follow_through_and_hold_per_place_time_scope(small: Small) -> None:
    findings = small(
        {
            "countries": {"measure": "countries", "value": 40, "place": "world", "as_of": "2022"},
            "cities": {"measure": "cities", "value": 30, "place": "europe", "as_of": "2022"},
            "stations": {"measure": "stations", "value": 35, "place": "world", "as_of": "2022"},
        },
        places=PLACES,
        measures={
            "stations": {},
            "cities": {"at_most": ["stations"]},
            "countries": {"at_most": ["cities"]},
        },
    )
    f = one(findings, "consistency.relation")
    assert f.status is Status.FAIL
    assert f.claims == ("countries", "stations")
    assert "countries ≤ stations" in f.message


def test_relation_between_open_bounds_says_what_it_implies(small: Small) -> None:
    findings = small(
        {
            "cities": {"measure": "cities", "value": 25, "bound": "at_least", "as_of": "2022"},
            "stations": {"measure": "stations", "value": 20, "bound": "at_least", "as_of": "2022"},
        },
        measures={"stations": {}, "cities": {"at_most": ["stations"]}},
    )
    f = one(findings, "consistency.relation")
    assert f.status is Status.PASS
    assert "holds if cities is ≥25 and stations ≥25" in f.message


# Time


def test_claim_no_later_than_its_source_respects_precision(small: Small) -> None:
    sources = [{"id": "s", "title": "S", "published": "2022-09-12"}]
    ok = small({"a": {"date": "2022-09"}}, sources=sources)
    assert one(ok, "consistency.time").status is Status.PASS
    late = small({"a": {"date": "2022-10"}}, sources=sources)
    f = one(late, "consistency.time")
    assert f.status is Status.FAIL and f.claims == ("a",)
    scheduled = small({"a": {"date": "2022-10", "scheduled": True}}, sources=sources)
    assert one(scheduled, "consistency.time").status is Status.PASS


def test_source_without_publication_date_is_unknown(small: Small) -> None:
    f = one(small({"founded": {"date": "2016-09/2016-12"}}), "consistency.time")
    assert f.status is Status.UNKNOWN
    assert "no publication date" in f.message


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        ("2021-04", "2022-07", Status.PASS),
        ("2022-07-01", "2022-07", Status.PASS),
        ("2022-08", "2022-07", Status.FAIL),
        ("2022", "2022-03", Status.UNKNOWN),
    ],
)
def test_period_start_precedes_end(small: Small, start: str, end: str, status: Status) -> None:
    sources = [{"id": "s", "title": "S", "published": "2023"}]
    findings = small({"p": {"period": {"start": start, "end": end}}}, sources=sources)
    (period,) = [f for f in of(findings, "consistency.time") if "period" in f.message]
    assert period.status is status


def test_a_period_of_one_written_time_is_not_told_to_start_before_it_ends(small: Small) -> None:
    sources = [{"id": "s", "title": "S", "published": "2023"}]
    findings = small({"p": {"period": {"start": "2022", "end": "2022"}}}, sources=sources)
    assert [f for f in of(findings, "consistency.time") if "period" in f.message] == []


# Explicit checks


def test_sum_with_bounds(small: Small) -> None:
    checks = [{"kind": "sum", "id": "s1", "total": "t", "parts": ["a", "b"]}]
    ok = small(
        {"t": count(54, bound="at_least"), "a": count(30), "b": count(24)},
        checks=checks,
    )
    assert one(ok, "check.sum").status is Status.PASS
    bad = small({"t": count(54), "a": count(30), "b": count(20)}, checks=checks)
    f = one(bad, "check.sum")
    assert f.status is Status.FAIL and "30 (a) + 20 (b) = 50 ≠ 54 (t)" in f.message
    assert f.location is not None and ":" in f.location


def test_before_respects_precision(small: Small) -> None:
    checks = [{"kind": "before", "id": "b1", "first": "a", "then": "b"}]
    assert (
        one(
            small({"a": {"date": "2022-09-02"}, "b": {"date": "2022-12-01"}}, checks=checks),
            "check.before",
        ).status
        is Status.PASS
    )
    assert (
        one(
            small({"a": {"date": "2022-09"}, "b": {"date": "2022-09-12"}}, checks=checks),
            "check.before",
        ).status
        is Status.UNKNOWN
    )
    assert (
        one(
            small({"a": {"date": "2022-12"}, "b": {"date": "2022-09-12"}}, checks=checks),
            "check.before",
        ).status
        is Status.FAIL
    )


def test_count_of_with_bound(small: Small) -> None:
    items = {f"i{k}": {} for k in range(4)}
    checks = [{"kind": "count_of", "id": "c1", "count": "n", "items": list(items)}]
    n = {"measure": "types"}
    assert (
        one(
            small({"n": {**n, "value": 3, "bound": "at_least"}, **items}, checks=checks),
            "check.count_of",
        ).status
        is Status.PASS
    )
    f = one(small({"n": {**n, "value": 5}, **items}, checks=checks), "check.count_of")
    assert f.status is Status.FAIL and "4 listed ≠ 5" in f.message


@pytest.mark.parametrize(
    ("kind", "left", "right", "status"),
    [
        ("at_most", {"value": 3}, {"value": 5}, Status.PASS),
        ("at_most", {"value": 6}, {"value": 5}, Status.FAIL),
        (
            "at_most",
            {"value": 3, "bound": "at_least"},
            {"value": 5, "bound": "at_least"},
            Status.UNKNOWN,
        ),
        ("at_least", {"value": 3, "bound": "at_least"}, {"value": 3}, Status.PASS),
        ("equal", {"value": 54, "bound": "at_least"}, {"value": 54}, Status.PASS),
        ("equal", {"value": 55, "bound": "at_least"}, {"value": 54}, Status.FAIL),
    ],
)
def test_compare_checks(
    small: Small, kind: str, left: dict[str, Any], right: dict[str, Any], status: Status
) -> None:
    findings = small(
        {"l": {"measure": "m", **left}, "r": {"measure": "m", **right}},
        checks=[{"kind": kind, "id": "x", "left": "l", "right": "r"}],
    )
    assert one(findings, f"check.{kind}").status is status


# Engine


def test_every_rule_is_documented() -> None:
    assert set(RULES) >= {
        "consistency.agreement",
        "consistency.evolution",
        "consistency.containment",
        "consistency.relation",
        "consistency.time",
        "check.sum",
        "check.before",
        "check.count_of",
        "check.at_most",
        "check.at_least",
        "check.equal",
    }
    for rule in RULES.values():
        assert rule.summary and len(rule.doc) > len(rule.summary)


def test_unknown_rule_name_is_refused(bundled: Path) -> None:
    with pytest.raises(KeyError, match="unknown consistency rule"):
        check_consistency(load_ledger(bundled), ["consistency.nope"])


def test_run_selected_rules_only(bundled: Path) -> None:
    findings = check_consistency(load_ledger(bundled), ["check.sum"])
    assert findings and {f.check for f in findings} == {"check.sum"}


def test_only_failures_are_located(small: Small) -> None:
    findings = small({"a": count(3, as_of="2022"), "b": count(4, as_of="2022")})
    assert all((f.location is not None) == (f.status is Status.FAIL) for f in findings)


def test_time_series_of_bundled_stations(bundled: Path) -> None:
    series = time_series(load_ledger(bundled), "stations")
    world = [s for s in series if s.place == "world"]
    assert {s.scope for s in world} >= {("first-batch",), ("fuzhou-and-qingtian",)}
    first = next(s for s in world if s.scope == ("first-batch",))
    assert [c.id for c in first.claims] == ["stations-start-2022", "stations-first-batch"]
    for s in series:
        assert all(c.measure == "stations" for c in s.claims)
