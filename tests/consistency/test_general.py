"""The engine on ledgers it was not tuned to: the nine points of issue 8, each reproduced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimcheck.results import Finding, Status

Small = Callable[..., list[Finding]]

PLACES = {
    "world": None,
    "gta": "world",
    "toronto": "gta",
    "markham": "gta",
    "europe": "world",
    "italy": "europe",
    "france": "europe",
    "spain": "europe",
}
NAMES = {"gta": "Greater Toronto Area"}


def of(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def one(findings: list[Finding], check: str) -> Finding:
    found = of(findings, check)
    assert len(found) == 1, [(f.check, f.status, f.message) for f in findings]
    return found[0]


def at(place: str, value: float, **fields: Any) -> dict[str, Any]:
    return {
        "measure": "stations",
        "value": value,
        "place": place,
        "as_of": "2022-09-12",
        **fields,
    }


# 1. No rule silently skipped when one place's figures disagree.


def test_disputed_world_still_fails_parts_that_exceed_their_whole(small: Small) -> None:
    findings = small(
        {
            "world-a": at("world", 53),
            "world-b": at("world", 54),
            "gta": at("gta", 3, parts_complete=True),
            "toronto": at("toronto", 3),
            "markham": at("markham", 2),
        },
        places=PLACES,
        names=NAMES,
    )
    agree = one(findings, "consistency.agreement")
    assert agree.status is Status.FAIL
    cont = of(findings, "consistency.containment")
    gta = [f for f in cont if "Greater Toronto Area 3 ≠" in f.message]
    assert len(gta) == 1 and gta[0].status is Status.FAIL
    assert "Toronto 3 + Markham 2 = 5 (parts complete)" in gta[0].message
    assert gta[0].detail is not None and "World's figures disagree" in gta[0].detail
    assert "fails for each" in gta[0].detail
    # The world's own check holds for both candidates: said, with the dispute.
    world = [f for f in cont if ": World " in f.message]
    assert len(world) == 1 and world[0].status is Status.PASS
    assert "holds for each" in (world[0].detail or "")


def test_disputed_figure_that_decides_the_verdict_is_unknown_and_says_why(small: Small) -> None:
    findings = small(
        {
            "world-a": at("world", 4),
            "world-b": at("world", 6),
            "toronto": at("toronto", 3),
            "italy": at("italy", 2),
        },
        places=PLACES,
    )
    (world,) = [f for f in of(findings, "consistency.containment") if ": World " in f.message]
    assert world.status is Status.UNKNOWN
    assert world.message.endswith("depends on which figure is right")
    assert "fail with World 4 (world-a)" in (world.detail or "")
    assert "pass with World 6 (world-b)" in (world.detail or "")


# 2. Relations, shares, sums and explicit checks settled for every candidate.


def test_relation_holds_for_every_disputed_candidate(small: Small) -> None:
    findings = small(
        {
            "continents": {**at("world", 5), "measure": "continents"},
            "countries-a": {**at("world", 21), "measure": "countries"},
            "countries-b": {**at("world", 30), "measure": "countries"},
        },
        measures={"continents": {"at_most": ["countries"]}, "countries": {}},
    )
    rel = one(findings, "consistency.relation")
    assert rel.status is Status.PASS
    assert "the countries figures disagree" in (rel.detail or "")
    assert "holds for each" in (rel.detail or "")


def test_explicit_check_on_a_disputed_input_is_judged_for_each(small: Small) -> None:
    findings = small(
        {
            "continents": {**at("world", 5), "measure": "continents"},
            "countries-a": {**at("world", 21), "measure": "countries"},
            "countries-b": {**at("world", 30), "measure": "countries"},
        },
        checks=[{"kind": "at_most", "id": "c", "left": "continents", "right": "countries-a"}],
    )
    f = one(findings, "check.at_most")
    assert f.status is Status.PASS
    assert "the inputs are disputed" in f.message


def test_share_is_settled_when_every_candidate_settles_it(small: Small) -> None:
    findings = small(
        {
            "world-a": at("world", 10),
            "world-b": at("world", 12),
            "europe": at("europe", 9),
            "most": {
                "measure": "stations",
                "place": "europe",
                "share": "most",
                "share_of": "world",
                "as_of": "2022-09-12",
            },
        },
        places=PLACES,
    )
    (share,) = [f for f in of(findings, "consistency.containment") if f.claims[0] == "most"]
    assert share.status is Status.PASS
    assert "holds for each" in (share.detail or "")


# 3. Flows over periods against stocks.


def flow(value: float, start: str, end: str, **fields: Any) -> dict[str, Any]:
    return {
        "measure": "returns",
        "value": value,
        "place": "world",
        "period": {"start": start, "end": end},
        **fields,
    }


def test_totals_over_different_periods_are_not_one_quantity(small: Small) -> None:
    findings = small(
        {
            "in-2020": flow(1421, "2020", "2020"),
            "from-2014": flow(10000, "2014", "2021", bound="more_than"),
        }
    )
    assert of(findings, "consistency.agreement") == []
    f = one(findings, "consistency.flow")
    assert f.status is Status.PASS
    assert f.message.startswith("returns in World: 2014 to 2021 >10000 ≥ 2020 1421")


def test_sub_period_total_cannot_exceed_the_enclosing_total(small: Small) -> None:
    findings = small({"year": flow(100, "2020", "2020"), "march": flow(150, "2020-03", "2020-03")})
    f = one(findings, "consistency.flow")
    assert f.status is Status.FAIL
    assert f.claims == ("year", "march")


def test_disjoint_sub_periods_that_fill_a_period_add_up_to_it(small: Small) -> None:
    ok = small(
        {
            "year": flow(100, "2021", "2021"),
            "h1": flow(40, "2021-01", "2021-06"),
            "h2": flow(60, "2021-07", "2021-12"),
        }
    )
    f = one(ok, "consistency.flow")
    assert f.status is Status.PASS and "(the periods fill it)" in f.message
    bad = small(
        {
            "year": flow(100, "2021", "2021"),
            "h1": flow(40, "2021-01", "2021-06"),
            "h2": flow(50, "2021-07", "2021-12"),
        }
    )
    f = one(bad, "consistency.flow")
    assert f.status is Status.FAIL
    assert f.message.endswith("= 90")
    # With a gap the parts only bound it below: 40 + 50 ≤ 100 holds.
    gap = small(
        {
            "year": flow(100, "2021", "2021"),
            "h1": flow(40, "2021-01", "2021-05"),
            "h2": flow(50, "2021-07", "2021-12"),
        }
    )
    assert one(gap, "consistency.flow").status is Status.PASS


def test_flows_are_never_a_falling_running_total(small: Small) -> None:
    findings = small(
        {"a": flow(500, "2019", "2019"), "b": flow(300, "2020", "2020")},
        measures={"returns": {"cumulative": True}},
    )
    assert [f for f in findings if f.status is Status.FAIL] == []


def test_stocks_keep_their_rules(small: Small) -> None:
    findings = small({"a": at("world", 54), "b": at("world", 54, bound="more_than")}, places=PLACES)
    assert one(findings, "consistency.agreement").status is Status.FAIL


# 4. Strict bounds and "nearly".


def test_more_than_54_disagrees_with_54_but_anchors_54(small: Small) -> None:
    findings = small({"a": at("world", 54), "b": at("world", 54, bound="more_than")})
    f = one(findings, "consistency.agreement")
    assert f.status is Status.FAIL
    assert "no value is both 54 and >54" in f.message or "no value is both >54 and 54" in f.message


def test_nearly_and_more_than_do_not_agree(small: Small) -> None:
    f = one(
        small(
            {
                "a": at("world", 10000, bound="nearly"),
                "b": at("world", 10000, bound="more_than"),
            }
        ),
        "consistency.agreement",
    )
    assert f.status is Status.FAIL
    ok = one(
        small({"a": at("world", 10000, bound="nearly"), "b": at("world", 9500)}),
        "consistency.agreement",
    )
    assert ok.status is Status.PASS
    assert "agree on 9500" in ok.message
    low = one(
        small({"a": at("world", 10000, bound="nearly"), "b": at("world", 8000)}),
        "consistency.agreement",
    )
    assert low.status is Status.FAIL  # outside the measure's tolerance (10%)


def test_fewer_than_settles_an_at_most_check(small: Small) -> None:
    findings = small(
        {"a": at("world", 10, bound="fewer_than"), "b": at("world", 10, bound="at_least")},
        checks=[{"kind": "at_most", "id": "c", "left": "a", "right": "b"}],
    )
    assert one(findings, "consistency.agreement").status is Status.FAIL
    assert one(findings, "check.at_most").status is Status.PASS


# 5. Dates of one event.


def dated(day: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "date", "date": day, "event": "report-published", **fields}


def test_dates_of_one_event_must_share_a_day(small: Small) -> None:
    ok = small({"a": dated("2022-09-12"), "b": dated("2022-09"), "c": dated("2022")})
    f = one(ok, "consistency.event")
    assert f.status is Status.PASS
    assert f.message.endswith("agree on 2022-09-12")
    bad = small({"a": dated("2022-09-12"), "b": dated("2022-09-13")})
    f = one(bad, "consistency.event")
    assert f.status is Status.FAIL
    assert f.message == (
        "report-published: 2022-09-12 (a) contradicts 2022-09-13 (b): the dates share no day"
    )
    months = small({"a": dated("2022-09"), "b": dated("2022-10")})
    assert one(months, "consistency.event").status is Status.FAIL


def test_compare_checks_work_on_dates(small: Small) -> None:
    claims = {"a": dated("2022-09-12"), "b": dated("2022-09"), "c": dated("2022-10-01")}
    checks = [
        {"kind": "equal", "id": "eq", "left": "a", "right": "b"},
        {"kind": "at_most", "id": "am", "left": "a", "right": "c"},
        {"kind": "at_least", "id": "al", "left": "a", "right": "c"},
        {"kind": "at_least", "id": "open", "left": "a", "right": "b"},
    ]
    findings = small(claims, checks=checks)
    status = {f.message.split(":")[0]: f.status for f in findings if f.check.startswith("check.")}
    assert status == {
        "eq": Status.PASS,
        "am": Status.PASS,
        "al": Status.FAIL,
        "open": Status.UNKNOWN,
    }


# 6. Categorical facts.


def fact(value: str, **fields: Any) -> dict[str, Any]:
    return {"attribute": {"subject": "wang", "property": "nationality", "value": value}, **fields}


def test_two_values_of_one_property_contradict(small: Small) -> None:
    findings = small({"a": fact("Chinese"), "b": fact("United States")})
    f = one(findings, "consistency.fact")
    assert f.status is Status.FAIL
    assert f.message.startswith(
        "nationality of wang: “Chinese” (a) contradicts “United States” (b)"
    )


def test_values_at_different_times_are_a_change(small: Small) -> None:
    findings = small(
        {
            "a": fact("Chinese", as_of="2001"),
            "b": fact("united  states", as_of="2015"),
            "c": fact("United States", as_of="2016"),
        }
    )
    f = one(findings, "consistency.fact")
    assert f.status is Status.PASS
    assert "differ only at different times" in f.message


# 7. Nested scopes, percentages and plurality.


def test_narrower_scope_never_exceeds_the_wider(small: Small) -> None:
    scopes = [{"id": "fuzhou-only", "within": "fuzhou-and-qingtian"}, {"id": "fuzhou-and-qingtian"}]
    ok = small(
        {
            "narrow": at("world", 40, scope=["fuzhou-only"]),
            "wide": at("world", 54, scope=["fuzhou-and-qingtian"]),
        },
        scopes=scopes,
    )
    assert one(ok, "consistency.scope").status is Status.PASS
    bad = small(
        {
            "narrow": at("world", 60, scope=["fuzhou-only"]),
            "wide": at("world", 54, scope=["fuzhou-and-qingtian"]),
        },
        scopes=scopes,
    )
    f = one(bad, "consistency.scope")
    assert f.status is Status.FAIL
    assert f.message == (
        "stations in World, 2022-09-12: fuzhou-only 60 (narrow) ≤ fuzhou-and-qingtian 54 (wide)"
    )


def share_claim(**fields: Any) -> dict[str, Any]:
    return {"measure": "stations", "place": "europe", "as_of": "2022-09-12", **fields}


def test_percentage_share(small: Small) -> None:
    base = {"world": at("world", 50), "europe": at("europe", 30)}
    ok = small({**base, "p": share_claim(percent=60, share_of="world")}, places=PLACES)
    (f,) = [f for f in of(ok, "consistency.containment") if f.claims[0] == "p"]
    assert f.status is Status.PASS
    bad = small({**base, "p": share_claim(percent=70, share_of="world")}, places=PLACES)
    (f,) = [f for f in of(bad, "consistency.containment") if f.claims[0] == "p"]
    assert f.status is Status.FAIL
    assert "needs Europe = 69.5 to 70.5% of World 50" in f.message
    more = small(
        {**base, "p": share_claim(percent=50, bound="more_than", share_of="world")},
        places=PLACES,
    )
    (f,) = [f for f in of(more, "consistency.containment") if f.claims[0] == "p"]
    assert f.status is Status.PASS


def test_plurality_against_siblings(small: Small) -> None:
    claims = {
        "italy": at("italy", 11),
        "france": at("france", 4),
        "spain": at("spain", 9),
        "most": share_claim(place="italy", share="plurality"),
    }
    findings = small(claims, places=PLACES)
    (f,) = [f for f in of(findings, "consistency.containment") if f.claims[0] == "most"]
    assert f.status is Status.PASS
    assert f.message == (
        "most: Italy has the most stations: needs Italy 11 > each of France 4, Spain 9"
    )
    claims["spain"] = at("spain", 11)
    findings = small(claims, places=PLACES)
    (f,) = [f for f in of(findings, "consistency.containment") if f.claims[0] == "most"]
    assert f.status is Status.FAIL and "Spain has at least as many" in f.message


def test_a_change_over_time_is_told_with_its_times(small: Small) -> None:
    findings = small(
        {
            "a": fact("Chinese", as_of="2001"),
            "b": fact("United States", as_of="2015"),
            "c": fact("United States", as_of="2016"),
        }
    )
    assert one(findings, "consistency.fact").message == (
        "nationality of wang: the values differ only at different times: “Chinese” (a, 2001); "
        "“United States” (b, c, 2015)"
    )
