"""Totals over periods (flows), each finding as the user reads it: which sub-periods are
added, when they fill the period, disputed totals, and the bounds on what is listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimcheck.results import Finding, Status

Small = Callable[..., list[Finding]]

SUM_RULE = "totals over disjoint periods that fill a period add up to it"
AT_LEAST_RULE = "a total over a period is at least the totals over disjoint periods inside it"


def flow(value: float, start: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "measure": "returns",
        "value": value,
        "place": "world",
        "period": {"start": start, "end": end or start},
        **fields,
    }


def flows(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.check == "consistency.flow"]


def told(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    return [(f.status.value, f.message, f.detail) for f in flows(findings)]


def value_line(ledger: Path, claim: str) -> int:
    """The line of ``claim``'s ``value`` in the ledger the ``small`` fixture wrote."""
    lines = ledger.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if f'"id": "{claim}"' in ln)
    return next(i for i in range(start, len(lines)) if '"value"' in lines[i]) + 1


def located_at(f: Finding, tmp_path: Path, claim: str) -> bool:
    path = tmp_path / "small.json"
    return (f.location or "").startswith(f"{path}:{value_line(path, claim)}:")


def test_only_the_outermost_sub_periods_are_added(small: Small) -> None:
    # January lies in the first half and December in the second: the year is compared
    # with the halves, each half with the month inside it.
    findings = small(
        {
            "year": flow(100, "2021"),
            "jan": flow(10, "2021-01"),
            "h1": flow(40, "2021-01", "2021-06"),
            "h2": flow(60, "2021-07", "2021-12"),
            "dec": flow(5, "2021-12"),
        }
    )
    assert told(findings) == [
        (
            "pass",
            "returns in World: 2021 100 = 2021-01 to 2021-06 40 + 2021-07 to 2021-12 60 "
            "(the periods fill it) = 100",
            None,
        ),
        ("pass", "returns in World: 2021-01 to 2021-06 40 ≥ 2021-01 10", None),
        ("pass", "returns in World: 2021-07 to 2021-12 60 ≥ 2021-12 5", None),
    ]
    assert [f.claims for f in flows(findings)] == [
        ("year", "h1", "h2"),
        ("h1", "jan"),
        ("h2", "dec"),
    ]


def test_a_part_that_starts_with_the_period_but_ends_early_only_bounds_it(small: Small) -> None:
    findings = small({"year": flow(100, "2021"), "h1": flow(40, "2021-01", "2021-06")})
    assert told(findings) == [("pass", "returns in World: 2021 100 ≥ 2021-01 to 2021-06 40", None)]
    late = small({"year": flow(100, "2021"), "h2": flow(60, "2021-07", "2021-12")})
    assert told(late) == [("pass", "returns in World: 2021 100 ≥ 2021-07 to 2021-12 60", None)]


def test_periods_that_do_not_nest_are_not_compared(small: Small) -> None:
    findings = small(
        {
            "a": flow(500, "2019"),
            "b": flow(300, "2020"),
            "c": flow(900, "2019-07", "2020-06"),
        }
    )
    assert flows(findings) == []


def test_sub_period_over_its_period_fails_located_at_the_period_total(
    small: Small, tmp_path: Path
) -> None:
    findings = small({"year": flow(100, "2020"), "march": flow(150, "2020-03")})
    (f,) = flows(findings)
    assert (f.status, f.message, f.detail) == (
        Status.FAIL,
        "returns in World: 2020 100 ≥ 2020-03 150",
        AT_LEAST_RULE,
    )
    assert f.claims == ("year", "march") and f.measure == "returns"
    assert located_at(f, tmp_path, "year")


def test_filling_parts_that_do_not_add_up_fail_with_their_sum(small: Small, tmp_path: Path) -> None:
    findings = small(
        {
            "year": flow(100, "2021"),
            "h1": flow(40, "2021-01", "2021-06"),
            "h2": flow(70, "2021-07", "2021-12"),
        }
    )
    (f,) = flows(findings)
    assert (f.status, f.message, f.detail) == (
        Status.FAIL,
        "returns in World: 2021 100 = 2021-01 to 2021-06 40 + 2021-07 to 2021-12 70 "
        "(the periods fill it) = 110",
        SUM_RULE,
    )
    assert located_at(f, tmp_path, "year")


def test_parts_with_a_day_between_them_do_not_fill(small: Small) -> None:
    findings = small(
        {
            "year": flow(100, "2021"),
            "a": flow(40, "2021-01-01", "2021-06-29"),
            "b": flow(50, "2021-07-01", "2021-12-31"),
        }
    )
    assert told(findings) == [
        (
            "pass",
            "returns in World: 2021 100 ≥ 2021-01-01 to 2021-06-29 40 + "
            "2021-07-01 to 2021-12-31 50 = 90",
            None,
        )
    ]


def test_sub_periods_sharing_a_day_are_compared_one_by_one(small: Small) -> None:
    # Sharing 30 June, the two halves may count one return twice: each is compared
    # with the year on its own (together they would exceed it).
    findings = small(
        {
            "year": flow(100, "2021"),
            "a": flow(60, "2021-01-01", "2021-06-30"),
            "b": flow(60, "2021-06-30", "2021-12-31"),
        }
    )
    assert told(findings) == [
        ("pass", "returns in World: 2021 100 ≥ 2021-01-01 to 2021-06-30 60", None),
        ("pass", "returns in World: 2021 100 ≥ 2021-06-30 to 2021-12-31 60", None),
    ]
    assert [f.claims for f in flows(findings)] == [("year", "a"), ("year", "b")]


def test_a_disputed_total_that_decides_the_verdict_is_unknown(small: Small) -> None:
    findings = small(
        {
            "year-a": flow(100, "2021"),
            "year-b": flow(90, "2021"),
            "h1": flow(40, "2021-01", "2021-06"),
            "h2": flow(60, "2021-07", "2021-12"),
        }
    )
    (f,) = flows(findings)
    assert (f.status, f.message, f.detail) == (
        Status.UNKNOWN,
        "returns in World: 2021 100 vs 90 = 2021-01 to 2021-06 40 + 2021-07 to 2021-12 60 "
        "(the periods fill it): depends on which figure is right",
        "the figures of one period disagree: fail with 90 (year-b), 40 (h1), 60 (h2); "
        "pass with 100 (year-a), 40 (h1), 60 (h2)",
    )
    assert f.location is None and f.claims == ("year-a", "year-b", "h1", "h2")
    assert f.measure == "returns"


def test_a_disputed_total_is_judged_for_each_candidate(small: Small, tmp_path: Path) -> None:
    holds = small(
        {"year-a": flow(100, "2021"), "year-b": flow(120, "2021"), "march": flow(50, "2021-03")}
    )
    assert told(holds) == [
        (
            "pass",
            "returns in World: 2021 100 vs 120 ≥ 2021-03 50",
            "the figures of one period disagree; this holds for each of "
            "100 (year-a), 50 (march); 120 (year-b), 50 (march)",
        )
    ]
    fails = small(
        {"year-a": flow(100, "2021"), "year-b": flow(120, "2021"), "march": flow(150, "2021-03")}
    )
    (f,) = flows(fails)
    assert (f.status, f.message, f.detail) == (
        Status.FAIL,
        "returns in World: 2021 100 vs 120 ≥ 2021-03 150",
        "the figures of one period disagree; this fails for each of "
        "100 (year-a), 150 (march); 120 (year-b), 150 (march)",
    )
    assert located_at(f, tmp_path, "year-a")


def test_agreeing_totals_of_one_period_are_one_figure(small: Small) -> None:
    findings = small(
        {
            "year-a": flow(100, "2021"),
            "year-b": flow(100, "2021", bound="at_least"),
            "march": flow(50, "2021-03"),
        }
    )
    assert told(findings) == [("pass", "returns in World: 2021 100 = ≥100 ≥ 2021-03 50", None)]


def test_four_disputed_totals_are_shown_three_and_an_ellipsis(small: Small) -> None:
    claims = {f"y{v}": flow(v, "2021") for v in (100, 110, 120, 130)}
    findings = small({**claims, "march": flow(50, "2021-03")})
    (f,) = flows(findings)
    assert f.message == "returns in World: 2021 100 vs 110 vs 120 … ≥ 2021-03 50"
    three = small({**{f"y{v}": flow(v, "2021") for v in (100, 110, 120)}, "m": flow(5, "2021-03")})
    assert flows(three)[0].message == "returns in World: 2021 100 vs 110 vs 120 ≥ 2021-03 5"


def _months(n: int) -> dict[str, dict[str, Any]]:
    return {f"m{i}": flow(1, f"2021-{i:02d}") for i in range(1, n + 1)}


def test_eight_parts_are_listed_and_more_are_counted(small: Small) -> None:
    eight = small({"year": flow(100, "2021"), **_months(8)})
    listed = " + ".join(f"2021-{i:02d} 1" for i in range(1, 9))
    assert told(eight) == [("pass", f"returns in World: 2021 100 ≥ {listed} = 8", None)]
    nine = small({"year": flow(100, "2021"), **_months(9)})
    assert told(nine) == [("pass", f"returns in World: 2021 100 ≥ {listed} + … 1 more = 9", None)]
    twelve = small({"year": flow(100, "2021"), **_months(12)})
    (f,) = flows(twelve)
    assert f.message == (
        f"returns in World: 2021 100 = {listed} + … 4 more (the periods fill it) = 12"
    )
    assert f.status is Status.FAIL and len(f.claims) == 13


def test_a_dispute_beyond_64_combinations_is_left_unknown(small: Small) -> None:
    # Two candidates for the year times 32 for March: 64 combinations, each judged.
    years = {"year-a": flow(1000, "2021"), "year-b": flow(2000, "2021")}
    march = {f"march-{v}": flow(v, "2021-03") for v in range(1, 33)}
    (f,) = flows(small({**years, **march}))
    assert f.status is Status.PASS
    assert f.detail is not None and f.detail.startswith(
        "the figures of one period disagree; this holds for each of 1000 (year-a), 1 (march-1); "
    )
    assert f.detail.count(";") == 8  # eight combinations shown
    # One more figure for March: 66 combinations, past the bound, so not judged.
    more = small({**years, **march, "march-33": flow(33, "2021-03")})
    (f,) = flows(more)
    assert f.status is Status.UNKNOWN
    assert f.message.endswith(": depends on which figure is right")
    assert f.detail is not None and f.detail.startswith(
        "the figures of one period disagree: pass with 1000 (year-a), 1 (march-1); "
    )


def test_flows_in_a_scope_name_it(small: Small) -> None:
    findings = small(
        {
            "year": flow(100, "2021", scope=["first-batch"]),
            "march": flow(150, "2021-03", scope=["first-batch"]),
            "other": flow(500, "2021-03"),
        }
    )
    assert told(findings) == [
        ("fail", "returns in World, first-batch: 2021 100 ≥ 2021-03 150", AT_LEAST_RULE)
    ]


def test_stocks_beside_flows_are_not_added(small: Small) -> None:
    findings = small(
        {
            "year": flow(100, "2021"),
            "stock": {"measure": "returns", "value": 500, "place": "world", "as_of": "2021-03"},
        }
    )
    assert flows(findings) == []


def test_totals_in_the_first_year_of_the_calendar(small: Small) -> None:
    findings = small({"year": flow(100, "0001"), "day": flow(150, "0001-01-01")})
    assert told(findings) == [
        ("fail", "returns in World: 0001 100 ≥ 0001-01-01 150", AT_LEAST_RULE)
    ]
