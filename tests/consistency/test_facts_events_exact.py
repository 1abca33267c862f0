"""Categorical facts and the dates of one event, each finding as the user reads it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimcheck.results import Finding, Status

Small = Callable[..., list[Finding]]

FACT_RULE = (
    "a property of a subject has one value at a time; correct a value, a time, or the subject"
)


def fact(
    value: str, subject: str = "wang", prop: str = "nationality", **fields: Any
) -> dict[str, Any]:
    return {"attribute": {"subject": subject, "property": prop, "value": value}, **fields}


def told(findings: list[Finding], check: str) -> list[tuple[str, str]]:
    return [(f.status.value, f.message) for f in findings if f.check == check]


def located(f: Finding, tmp_path: Path, claim: str, field: str) -> bool:
    """``f`` points at ``field`` of ``claim`` in the ledger the ``small`` fixture wrote."""
    path = tmp_path / "small.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if f'"id": "{claim}"' in ln)
    line = next(i for i in range(start, len(lines)) if f'"{field}":' in lines[i]) + 1
    return (f.location or "").startswith(f"{path}:{line}:")


# Facts.


def test_claims_agreeing_on_a_value_pass_naming_it_as_first_written(small: Small) -> None:
    findings = small({"a": fact("Chinese"), "b": fact("  chinese "), "c": fact("CHINESE")})
    assert told(findings, "consistency.fact") == [
        ("pass", "nationality of wang: 3 claims agree on “Chinese”")
    ]
    assert findings[[f.check for f in findings].index("consistency.fact")].claims == (
        "a",
        "b",
        "c",
    )


def test_one_claim_about_a_property_is_not_judged(small: Small) -> None:
    assert told(small({"a": fact("Chinese")}), "consistency.fact") == []


def test_different_subjects_and_properties_are_not_compared(small: Small) -> None:
    findings = small(
        {
            "a": fact("Chinese"),
            "b": fact("United States", subject="li"),
            "c": fact("United States", prop="residence"),
        }
    )
    assert told(findings, "consistency.fact") == []


def test_untimed_values_contradict_and_point_at_the_later_claim(
    small: Small, tmp_path: Path
) -> None:
    findings = small({"a": fact("Chinese"), "b": fact("United States")})
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert (f.status, f.message, f.detail) == (
        Status.FAIL,
        "nationality of wang: “Chinese” (a) contradicts “United States” (b) "
        "(neither gives a time, so both hold at every time)",
        FACT_RULE,
    )
    assert f.claims == ("a", "b")
    assert located(f, tmp_path, "b", "value")


def test_a_value_without_a_time_contradicts_one_with_a_time(small: Small) -> None:
    findings = small({"a": fact("Chinese", as_of="2001"), "b": fact("United States")})
    assert told(findings, "consistency.fact") == [
        (
            "fail",
            "nationality of wang: “Chinese” (a) contradicts “United States” (b) "
            "(at overlapping times: 2001 and every time)",
        )
    ]
    findings = small({"a": fact("Chinese"), "b": fact("United States", as_of="2001")})
    assert told(findings, "consistency.fact")[0][1].endswith(
        "(at overlapping times: every time and 2001)"
    )


def test_times_sharing_one_day_overlap(small: Small) -> None:
    findings = small(
        {
            "a": fact("Chinese", period={"start": "2001-01-01", "end": "2001-06-30"}),
            "b": fact("United States", as_of="2001-06-30"),
        }
    )
    assert told(findings, "consistency.fact") == [
        (
            "fail",
            "nationality of wang: “Chinese” (a) contradicts “United States” (b) "
            "(at overlapping times: 2001-01-01/2001-06-30 and 2001-06-30)",
        )
    ]
    apart = small(
        {
            "a": fact("Chinese", period={"start": "2001-01-01", "end": "2001-06-29"}),
            "b": fact("United States", as_of="2001-06-30"),
        }
    )
    assert told(apart, "consistency.fact")[0][0] == "pass"


def test_a_change_lists_three_claims_per_value_and_the_first_time(small: Small) -> None:
    findings = small(
        {
            "a": fact("Chinese", as_of="2001"),
            "b": fact("United States", as_of="2015"),
            "c": fact("United States", as_of="2016"),
            "d": fact("united states", as_of="2017"),
            "e": fact("United States", as_of="2018"),
        }
    )
    assert told(findings, "consistency.fact") == [
        (
            "pass",
            "nationality of wang: the values differ only at different times: “Chinese” (a, 2001); "
            "“United States” (b, c, d, 2015)",
        )
    ]


def test_the_clash_is_found_between_any_two_values(small: Small) -> None:
    # Chinese until 2001, then British, then American from 2010; the British and the
    # American claims overlap in 2012: they are named, in the order first stated.
    findings = small(
        {
            "a": fact("Chinese", as_of="2001"),
            "b": fact("British", period={"start": "2005", "end": "2012"}),
            "c": fact("American", as_of="2012"),
            "d": fact("American", as_of="2020"),
        }
    )
    assert told(findings, "consistency.fact") == [
        (
            "fail",
            "nationality of wang: “British” (b) contradicts “American” (c) "
            "(at overlapping times: 2005/2012 and 2012)",
        )
    ]
    # Stated the other way round, the later value overlaps an earlier-starting one.
    findings = small(
        {
            "c": fact("American", as_of="2012"),
            "b": fact("British", period={"start": "2005", "end": "2012"}),
            "a": fact("Chinese", as_of="2001"),
        }
    )
    assert told(findings, "consistency.fact")[0][1].startswith(
        "nationality of wang: “American” (c) contradicts “British” (b) "
    )


def test_a_clash_far_into_a_long_history_is_found(small: Small) -> None:
    # 700 yearly claims of one value, then another value in the last of those years.
    claims = {f"y{y}": fact("Chinese", as_of=str(y)) for y in range(1300, 2000)}
    claims["late"] = fact("United States", as_of="1999-05")
    findings = small(claims)
    assert told(findings, "consistency.fact") == [
        (
            "fail",
            "nationality of wang: “Chinese” (y1999) contradicts “United States” (late) "
            "(at overlapping times: 1999 and 1999-05)",
        )
    ]


def test_a_long_running_value_clashes_with_a_later_one_inside_it(small: Small) -> None:
    # The 2000-2020 claim ends latest; the 2003 claim of the same value ends earlier, and
    # the 2010 claim of another value overlaps only the long one.
    findings = small(
        {
            "long": fact("Chinese", period={"start": "2000", "end": "2020"}),
            "short": fact("Chinese", as_of="2003"),
            "other": fact("British", as_of="2001"),
            "late": fact("American", as_of="2010"),
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert f.claims == ("long", "other")
    findings = small(
        {
            "b1": fact("British", period={"start": "2000", "end": "2004"}),
            "c1": fact("Chinese", period={"start": "2001", "end": "2001"}),
            "c2": fact("Chinese", as_of="2003"),
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert f.claims == ("b1", "c1")
    findings = small(
        {
            "b1": fact("British", period={"start": "2000", "end": "2001"}),
            "c1": fact("Chinese", period={"start": "2002", "end": "2010"}),
            "c2": fact("Chinese", as_of="2003"),
            "a1": fact("American", as_of="2005"),
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert f.claims == ("c1", "a1")


# Dates of one event.


def dated(day: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "date", "date": day, "event": "report-published", **fields}


def test_one_dated_claim_of_an_event_is_not_judged(small: Small) -> None:
    findings = small({"a": dated("2022-09-12"), "b": {"kind": "fact", "event": "report-published"}})
    assert told(findings, "consistency.event") == []


def test_dates_sharing_a_span_name_it(small: Small) -> None:
    findings = small({"a": dated("2022-09"), "b": dated("2022")})
    assert told(findings, "consistency.event") == [
        ("pass", "report-published: 2022-09 (a), 2022 (b) agree on 2022-09-01 to 2022-09-30")
    ]


def test_six_dates_are_listed_and_more_are_counted(small: Small) -> None:
    six = {f"d{i}": dated("2022-09-12") for i in range(6)}
    listed = ", ".join(f"2022-09-12 (d{i})" for i in range(6))
    assert told(small(six), "consistency.event") == [
        ("pass", f"report-published: {listed} agree on 2022-09-12")
    ]
    seven = {**six, "d6": dated("2022-09-12")}
    (f,) = [f for f in small(seven) if f.check == "consistency.event"]
    assert f.message == f"report-published: {listed} and 1 more agree on 2022-09-12"
    assert len(f.claims) == 7


def test_dates_sharing_no_day_fail_at_the_later_date(small: Small, tmp_path: Path) -> None:
    findings = small({"a": dated("2022-09-13"), "b": dated("2022-09"), "c": dated("2022-09-12")})
    (f,) = [f for f in findings if f.check == "consistency.event"]
    assert (f.status, f.message, f.detail) == (
        Status.FAIL,
        "report-published: 2022-09-12 (c) contradicts 2022-09-13 (a): the dates share no day",
        "every claim naming the event 'report-published' dates one event: "
        "2022-09-13 (a), 2022-09 (b), 2022-09-12 (c)",
    )
    assert f.claims == ("c", "a")
    assert located(f, tmp_path, "a", "date")


def test_an_event_dated_by_as_of_or_period_points_there(small: Small, tmp_path: Path) -> None:
    counted = {"measure": "stations", "value": 1, "place": "world", "event": "report-published"}
    findings = small({"a": dated("2022-09-12"), "b": {**counted, "as_of": "2022-10"}})
    (f,) = [f for f in findings if f.check == "consistency.event"]
    assert f.status is Status.FAIL and located(f, tmp_path, "b", "as_of")
    findings = small(
        {
            "a": dated("2022-09-12"),
            "b": {**counted, "period": {"start": "2022-10", "end": "2022-11"}},
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.event"]
    assert f.message == (
        "report-published: 2022-09-12 (a) contradicts 2022-10/2022-11 (b): the dates share no day"
    )
    assert located(f, tmp_path, "b", "period")


def test_the_first_of_two_claims_ending_together_is_named(small: Small) -> None:
    findings = small(
        {
            "c1": fact("Chinese", period={"start": "2001", "end": "2005"}),
            "c2": fact("Chinese", period={"start": "2003", "end": "2005"}),
            "a": fact("American", as_of="2004"),
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert f.claims == ("c1", "a")


def test_a_clash_is_found_whatever_the_order_of_the_claims(small: Small) -> None:
    # The American claim starts first but ends last; the British one lies inside it.
    findings = small(
        {
            "c1": fact("Chinese", as_of="1990"),
            "b1": fact("British", as_of="2003"),
            "a1": fact("American", period={"start": "2000", "end": "2010"}),
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert f.claims == ("b1", "a1")
    assert f.message.endswith("(at overlapping times: 2003 and 2000/2010)")


def test_of_claims_starting_together_the_first_stated_is_compared_first(small: Small) -> None:
    findings = small(
        {
            "c1": fact("Chinese", period={"start": "2001", "end": "2010"}),
            "b": fact("British", as_of="2001"),
            "a": fact("American", as_of="2001-01"),
        }
    )
    (f,) = [f for f in findings if f.check == "consistency.fact"]
    assert f.claims == ("c1", "b")
