"""Containment findings asserted whole: status, claims, message, detail, location, measure.

Each ledger is small and built for one rule of the place tree; the finding a user sees is
compared field by field, so that a changed word, a lost claim id or a wrong location
fails a test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimcheck.consistency.containment import Reason, Slice, _tree
from claimcheck.consistency.groups import Context, Outcome
from claimcheck.loader import load_ledger
from claimcheck.results import Finding, Status

from .test_rules import PLACES, Small, place

CHECK = "consistency.containment"
P = {**PLACES, "france": "europe", "italy": "europe", "spain": "europe"}
TREE = "after propagating the figures of stations (2022-09-12) through the place tree"
WHEN = "stations (2022-09-12)"


def fig(p: str, value: float, **fields: Any) -> dict[str, Any]:
    """A count of stations in ``p``, on 2022-09-12 unless ``fields`` say otherwise."""
    return {"measure": "stations", "value": value, "place": p, "as_of": "2022-09-12", **fields}


def share(p: str, of: str | None = None, **fields: Any) -> dict[str, Any]:
    """A share claim on ``p`` (of ``of``) at the time of ``place``'s figures."""
    return {
        "measure": "stations",
        "place": p,
        "as_of": "2022-09-12",
        **({"share_of": of} if of else {}),
        **fields,
    }


def at(tmp_path: Path, claim: str, key: str | None = None) -> str:
    """The ``file:line:col`` a finding gives for ``claim`` (its ``key`` when given)."""
    path = tmp_path / "small.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    pos = next(i for i, c in enumerate(data["claims"]) if c["id"] == claim)
    start = lines.index('  "claims": [') + 1
    # Claims are objects at indent 4; find the pos-th one.
    opens = [i for i in range(start, len(lines)) if lines[i] == "    {"]
    line = opens[pos]
    if key is None:
        return f"{path}:{line + 1}:5"
    row = next(i for i in range(line, len(lines)) if lines[i].startswith(f'      "{key}": '))
    return f"{path}:{row + 1}:{len(lines[row]) - len(lines[row].lstrip()) + len(key) + 5}"


def cont(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.check == CHECK]


def finding(
    status: Status,
    claims: tuple[str, ...],
    message: str,
    detail: str | None = None,
    location: str | None = None,
) -> Finding:
    return Finding(CHECK, status, claims, message, detail, location, "stations")


def passes(claims: tuple[str, ...], message: str, detail: str | None = None) -> Finding:
    return finding(Status.PASS, claims, message, detail)


# Shares without a slice


def test_share_in_a_scope_without_figures_is_unknown_and_names_both_places(small: Small) -> None:
    findings = small(
        {"w": place("world", 10), "sh": share("europe", "world", share="most", scope=["x"])},
        places=P,
    )
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("sh",),
            "sh: Europe holds most of stations in World: no stations figure for Europe or "
            "World in scope x at that time",
        )
    ]


def test_plurality_at_a_time_without_figures_is_unknown(small: Small) -> None:
    findings = small(
        {
            "w": place("world", 10),
            "e": place("europe", 4),
            "sh": share("italy", share="plurality", as_of="2021"),
        },
        places=P,
    )
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("sh",),
            "sh: Italy has the most stations: no stations figure for Italy at that time",
        ),
        passes(("w", "e"), f"{WHEN}: World 10 ≥ Europe 4"),
    ]


def test_share_is_judged_with_the_figures_of_its_own_time(small: Small, tmp_path: Path) -> None:
    claims = {
        "w1": fig("world", 10, as_of="2022-01"),
        "e1": fig("europe", 4, as_of="2022-01"),
        "w2": place("world", 10),
        "e2": place("europe", 8),
    }
    later = cont(small({**claims, "sh": share("europe", "world", share="most")}, places=P))
    assert later[-1] == passes(
        ("sh", "e2", "w2"),
        "sh: Europe holds most of stations in World: needs Europe > 5 (half of World 10); "
        "the figures give Europe 8",
        f"World 10 and Europe 8 {TREE}",
    )
    early = cont(
        small({**claims, "sh": share("europe", "world", share="most", as_of="2022-01")}, places=P)
    )
    assert early[1] == finding(
        Status.FAIL,
        ("sh", "e1", "w1"),
        "sh: Europe holds most of stations in World: needs Europe > 5 (half of World 10); "
        "the figures give Europe 4",
        "World 10 and Europe 4 after propagating the figures of stations (2022-01) through "
        "the place tree",
        at(tmp_path, "sh", "share"),
    )
    undated = cont(
        small({**claims, "sh": {**share("europe", "world", share="most"), "as_of": None}}, places=P)
    )
    assert undated[1].claims == ("sh", "e1", "w1")  # the first slice that holds both


def test_plurality_of_a_place_without_a_figure_is_judged_against_its_siblings(
    small: Small,
) -> None:
    findings = small(
        {"f": place("france", 4), "sp": place("spain", 9), "sh": share("italy", share="plurality")},
        places=P,
    )
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("sh", "f", "sp"),
            "sh: Italy has the most stations: needs Italy ≥0 > each of France 4, Spain 9",
        )
    ]


def test_plurality_without_siblings_says_where_it_looked(small: Small) -> None:
    top = cont(small({"w": place("world", 10), "sh": share("world", share="plurality")}, places=P))
    assert top == [
        finding(
            Status.UNKNOWN,
            ("sh", "w"),
            "sh: World has the most stations: no other place has a figure to compare with World 10",
        )
    ]
    inner = cont(
        small(
            {
                "w": place("world", 10),
                "f": place("france", 4),
                "sh": share("france", share="plurality"),
            },
            places=P,
        )
    )
    assert inner[-1] == finding(
        Status.UNKNOWN,
        ("sh", "f"),
        "sh: France has the most stations: no other place within Europe has a figure to "
        "compare with France 4",
    )


def test_plurality_among_many_siblings_shows_eight(small: Small) -> None:
    places: dict[str, str | None] = {"world": None, **{f"c{i}": "world" for i in range(10)}}
    claims = {f"c{i}": place(f"c{i}", i + 1) for i in range(10)}
    findings = small({**claims, "sh": share("c9", share="plurality")}, places=places)
    (f,) = cont(findings)
    assert f.status is Status.PASS
    assert f.message == (
        "sh: C9 has the most stations: needs C9 10 > each of C0 1, C1 2, C2 3, C3 4, C4 5, "
        "C5 6, C6 7, C7 8, … 1 more"
    )
    assert f.claims == ("sh", "c9", *(f"c{i}" for i in range(9)))


# The place tree


def test_a_place_without_a_figure_under_complete_parts_holds_none(
    small: Small, tmp_path: Path
) -> None:
    # The UK's parts are complete and London holds all 4: Glasgow holds none.
    claims = {"uk": fig("uk", 4, bound="at_least", parts_complete=True), "london": fig("london", 4)}
    findings = small({**claims, "sh": share("glasgow", "uk", percent=10)}, places=P)
    assert cont(findings) == [
        passes(("uk", "london"), f"{WHEN}: Uk ≥4 = London 4 (parts complete)"),
        finding(
            Status.FAIL,
            ("sh", "uk"),
            "sh: Glasgow holds 10% of stations in Uk: needs Glasgow = 9.5 to 10.5% of Uk 4; "
            "the figures give Glasgow 0, 0%",
            f"Uk 4 and Glasgow 0 {TREE}",
            at(tmp_path, "sh", "percent"),
        ),
    ]
    # Without parts_complete Glasgow may hold any number.
    claims["uk"] = fig("uk", 4, bound="at_least")
    findings = small({**claims, "sh": share("glasgow", "uk", percent=10)}, places=P)
    assert cont(findings)[1] == finding(
        Status.UNKNOWN,
        ("sh", "uk"),
        "sh: Glasgow holds 10% of stations in Uk: needs Glasgow = 9.5 to 10.5% of Uk ≥4; the "
        "figures give Glasgow ≥0, ≥0% (no Glasgow total is given)",
        f"Uk ≥4 and Glasgow ≥0 {TREE}",
    )


def test_complete_parts_given_at_another_time_do_not_empty_a_place(small: Small) -> None:
    findings = small(
        {
            "uk": fig("uk", 4, parts_complete=True),
            "london": fig("london", 4, as_of="2021"),
            "sh": share("glasgow", "uk", percent=10),
        },
        places=P,
    )
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("sh", "uk"),
            "sh: Glasgow holds 10% of stations in Uk: needs Glasgow = 9.5 to 10.5% of Uk 4; the "
            "figures give Glasgow ≤4, 0 to 100% (no Glasgow total is given)",
            f"Uk 4 and Glasgow ≤4 {TREE}",
        )
    ]


def test_a_place_between_complete_parts_holds_only_its_figured_parts(small: Small) -> None:
    # Europe's parts are complete: London; the UK (no figure) holds London's 4, France none.
    base = {
        "e": fig("europe", 4, bound="at_least", parts_complete=True),
        "london": fig("london", 4),
    }
    findings = small({**base, "sh": share("uk", "europe", share="all")}, places=P)
    assert cont(findings)[1] == passes(
        ("sh", "e"),
        "sh: Uk holds all of stations in Europe: needs Uk = 4; the figures give Uk 4",
        f"Europe 4 and Uk 4 {TREE}",
    )
    findings = small({**base, "sh": share("france", "europe", percent=0)}, places=P)
    assert cont(findings)[1] == passes(
        ("sh", "e"),
        "sh: France holds 0% of stations in Europe: needs France = ≤0.5% of Europe 4; the "
        "figures give France 0, 0%",
        f"Europe 4 and France 0 {TREE}",
    )


def test_complete_parent_gives_its_one_open_part_a_floor(small: Small) -> None:
    findings = small(
        {
            "uk": fig("uk", 5, parts_complete=True),
            "london": fig("london", 2),
            "glasgow": fig("glasgow", 1, bound="at_least"),
        },
        places=P,
    )
    assert cont(findings) == [
        passes(
            ("uk", "london", "glasgow"),
            f"{WHEN}: Uk 5 = London 2 + Glasgow ≥1 = ≥3 (parts complete)",
        ),
        passes(
            ("glasgow", "uk"),
            f"{WHEN}: Glasgow is settled at 3 by Uk 5 (parts complete) − London 2, which agrees "
            "with glasgow ≥1",
        ),
    ]


def test_two_open_parts_get_a_ceiling_but_no_floor(small: Small) -> None:
    findings = small(
        {
            "uk": fig("uk", 5, parts_complete=True),
            "london": fig("london", 2, bound="at_least"),
            "glasgow": fig("glasgow", 1, bound="at_least"),
        },
        places=P,
    )
    assert cont(findings) == [
        passes(
            ("uk", "london", "glasgow"),
            f"{WHEN}: Uk 5 = London ≥2 + Glasgow ≥1 = ≥3 (parts complete)",
        ),
        passes(
            ("glasgow", "uk"),
            f"{WHEN}: Glasgow is narrowed to 1 to 3 by Uk 5 (parts complete) − London ≥2, which "
            "agrees with glasgow ≥1",
        ),
        passes(
            ("london", "uk"),
            f"{WHEN}: London is narrowed to 2 to 4 by Uk 5 (parts complete) − Glasgow ≥1, which "
            "agrees with london ≥2",
        ),
    ]


def test_a_floor_traced_through_a_place_without_a_figure(small: Small) -> None:
    # The United States has no figure: its most (New York's at most 1) is what Canada's
    # floor subtracts.
    findings = small(
        {
            "na": fig("na", 4, parts_complete=True),
            "nyc": fig("nyc", 1, bound="at_most"),
            "canada": fig("canada", 1, bound="at_least"),
        },
        places=P,
    )
    assert cont(findings)[1] == passes(
        ("canada", "na"),
        f"{WHEN}: Canada is narrowed to 3 to 4 by Na 4 (parts complete) − Us ≤1 (Nyc ≤1), "
        "which agrees with canada ≥1",
    )


def test_a_settled_figure_names_the_grandparent_when_the_parent_has_none(small: Small) -> None:
    # Canada has no figure: Toronto's settlement comes from North America, two levels up.
    findings = small(
        {
            "na": fig("na", 4, parts_complete=True),
            "nyc": fig("nyc", 1),
            "t": fig("toronto", 1, bound="at_least"),
        },
        places=P,
    )
    assert cont(findings) == [
        passes(("na", "nyc", "t"), f"{WHEN}: Na 4 = Nyc 1 + Toronto ≥1 = ≥2 (parts complete)"),
        passes(
            ("t", "na"),
            f"{WHEN}: Toronto is settled at 3 by Canada 3 (parts complete), which agrees with t ≥1",
        ),
    ]


def test_many_parts_are_summed_with_eight_shown(small: Small, tmp_path: Path) -> None:
    places: dict[str, str | None] = {"world": None, **{f"c{i}": "world" for i in range(10)}}
    claims = {f"c{i}": fig(f"c{i}", 1) for i in range(10)}
    findings = small({"w": fig("world", 9), **claims}, places=places)
    assert cont(findings) == [
        finding(
            Status.FAIL,
            ("w", *(f"c{i}" for i in reversed(range(10)))),
            f"{WHEN}: World 9 < C0 1 + C1 1 + C2 1 + C3 1 + C4 1 + C5 1 + C6 1 + C7 1 + … 2 more "
            "= 10",
            "a place holds at least the sum of the disjoint places inside it",
            at(tmp_path, "w", "value"),
        )
    ]


# Shares


def test_half_of_an_exact_whole_from_an_approximate_part_is_unknown(small: Small) -> None:
    findings = small(
        {
            "w": fig("world", 10),
            "e": fig("europe", 5, bound="approx"),
            "sh": share("europe", "world", share="half"),
        },
        places=P,
    )
    assert cont(findings) == [
        passes(("w", "e"), f"{WHEN}: World 10 ≥ Europe 4.5 to 5.5"),
        finding(
            Status.UNKNOWN,
            ("sh", "e", "w"),
            "sh: Europe holds half of stations in World: needs Europe = 5; the figures give "
            "Europe 4.5 to 5.5",
            f"World 10 and Europe 4.5 to 5.5 {TREE}",
        ),
    ]


def test_share_in_a_contradictory_slice_is_not_judged(small: Small, tmp_path: Path) -> None:
    findings = small(
        {"w": fig("world", 3), "e": fig("europe", 4), "sh": share("europe", "world", share="most")},
        places=P,
    )
    assert cont(findings) == [
        finding(
            Status.FAIL,
            ("w", "e"),
            f"{WHEN}: World 3 < Europe 4",
            "a place holds at least the sum of the disjoint places inside it",
            at(tmp_path, "w", "value"),
        ),
        finding(
            Status.UNKNOWN,
            ("sh",),
            f"sh: Europe holds most of stations in World: not judged: the figures of {WHEN} "
            "contradict each other",
            "the containment failure of this slice says which",
        ),
    ]


def test_percent_within_a_measures_tolerance(small: Small) -> None:
    findings = small(
        {
            "w": fig("world", 10),
            "e": fig("europe", 4),
            "sh": share("europe", "world", percent=45, bound="approx"),
        },
        places=P,
        measures={"stations": {"tolerance": 0.2}},
    )
    assert cont(findings)[1] == passes(
        ("sh", "e", "w"),
        "sh: Europe holds ~45% of stations in World: needs Europe = 36 to 54% of World 10; the "
        "figures give Europe 4, 40%",
        f"World 10 and Europe 4 {TREE}",
    )


def test_percent_at_the_edges_of_its_bound_passes(small: Small) -> None:
    base = {"w": fig("world", 10), "e": fig("europe", 4)}
    for bound, want in (("at_least", "40 to 100%"), ("at_most", "≤40%")):
        findings = small(
            {**base, "sh": share("europe", "world", percent=40, bound=bound)}, places=P
        )
        sign = "≥" if bound == "at_least" else "≤"
        assert cont(findings)[1] == passes(
            ("sh", "e", "w"),
            f"sh: Europe holds {sign}40% of stations in World: needs Europe = {want} of World 10; "
            "the figures give Europe 4, 40%",
            f"World 10 and Europe 4 {TREE}",
        )
    # "At most half a percent": a place that holds none passes.
    findings = small(
        {
            "e": fig("europe", 4, bound="at_least", parts_complete=True),
            "london": fig("london", 4),
            "sh": share("france", "europe", percent=0.5, bound="at_most"),
        },
        places=P,
    )
    assert cont(findings)[1] == passes(
        ("sh", "e"),
        "sh: France holds ≤0.5% of stations in Europe: needs France = ≤0.5% of Europe 4; the "
        "figures give France 0, 0%",
        f"Europe 4 and France 0 {TREE}",
    )


def test_percent_the_figures_allow_only_partly_is_unknown(small: Small) -> None:
    # Europe is 45 to 46 of 100: neither 45% (44.5 to 45.5) nor 46% is settled.
    base = {"w": fig("world", 100), "na": fig("na", 54), "uk": fig("uk", 45)}
    for p in (45, 46):
        findings = small({**base, "sh": share("europe", "world", percent=p)}, places=P)
        assert cont(findings)[1] == finding(
            Status.UNKNOWN,
            ("sh", "w"),
            f"sh: Europe holds {p}% of stations in World: needs Europe = {p - 0.5:g} to "
            f"{p + 0.5:g}% of World 100; the figures give Europe 45 to 46, 45 to 46% "
            "(no Europe total is given)",
            f"World 100 and Europe 45 to 46 {TREE}",
        )


def test_percent_of_an_open_whole_is_at_most_the_share_of_its_floor(small: Small) -> None:
    findings = small(
        {
            "w": fig("world", 10, bound="at_least"),
            "e": fig("europe", 4),
            "sh": share("europe", "world", percent=40),
        },
        places=P,
    )
    assert cont(findings)[1] == finding(
        Status.UNKNOWN,
        ("sh", "e", "w"),
        "sh: Europe holds 40% of stations in World: needs Europe = 39.5 to 40.5% of World ≥10; "
        "the figures give Europe 4, 0 to 40%",
        f"World ≥10 and Europe 4 {TREE}",
    )


def test_percent_of_an_empty_whole_is_unknown(small: Small) -> None:
    findings = small({"w": fig("world", 0), "sh": share("europe", "world", percent=40)}, places=P)
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("sh", "w"),
            "sh: Europe holds 40% of stations in World: needs Europe = 39.5 to 40.5% of World 0; "
            "the figures give Europe 0, 0 to 100% (no Europe total is given)",
            f"World 0 and Europe 0 {TREE}",
        )
    ]


# Disputed figures


def test_an_unknown_that_is_the_same_for_each_candidate_says_so(small: Small) -> None:
    findings = small(
        {
            "n1": fig("na", 4),
            "n2": fig("na", 5),
            "t": fig("toronto", 3),
            "uk": fig("uk", 3),
            "sh": share("uk", "europe", share="most"),
        },
        places=P,
    )
    dispute = "Na's figures disagree (4 (n1), 5 (n2))"
    assert cont(findings) == [
        passes(("n1", "n2", "t"), f"{WHEN}: Na 4 ≥ Toronto 3", f"{dispute}: this holds for each"),
        finding(
            Status.UNKNOWN,
            ("sh", "uk"),
            "sh: Uk holds most of stations in Europe: needs Uk more than half of Europe, "
            "which the figures bound only from below (≥3); the figures give Uk 3 (no Europe "
            "total is given)",
            f"{dispute}: this is the same for each; Europe ≥3 and Uk 3 {TREE}",
        ),
    ]


def test_an_unknown_that_differs_by_candidate_lists_each(small: Small) -> None:
    findings = small(
        {
            "w1": fig("world", 10),
            "w2": fig("world", 12),
            "uk": fig("uk", 3),
            "sh": share("europe", "world", share="most"),
        },
        places=P,
    )
    dispute = "World's figures disagree (10 (w1), 12 (w2))"
    assert cont(findings) == [
        passes(("w1", "w2", "uk"), f"{WHEN}: World 10 ≥ Uk 3", f"{dispute}: this holds for each"),
        finding(
            Status.UNKNOWN,
            ("sh", "w1", "w2"),
            "sh: Europe holds most of stations in World: needs Europe > 5 (half of World 10); "
            "the figures give Europe 3 to 10 (no Europe total is given)",
            f"{dispute}: unknown with World 10 (w1); unknown with World 12 (w2)",
        ),
    ]


def test_a_narrowing_only_some_candidates_give_is_not_told(small: Small) -> None:
    findings = small(
        {
            "n1": fig("na", 4, parts_complete=True),
            "n2": fig("na", 1, bound="at_most"),
            "nyc": fig("nyc", 1),
            "canada": fig("canada", 1, bound="at_least"),
        },
        places=P,
    )
    # With 4, Canada would be settled at 3; with at most 1, the parts already fail.
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("n1", "n2", "canada", "nyc"),
            f"{WHEN}: Na ≤1 ≠ Nyc 1 + Canada ≥1 = ≥2 (parts complete): depends on which figure "
            "is right",
            "Na's figures disagree (≤1 (n2), 4 (n1)): fail with Na ≤1 (n2); pass with Na 4 (n1)",
        )
    ]


def test_a_share_failing_for_one_candidate_shows_that_arithmetic(small: Small) -> None:
    findings = small(
        {
            "w1": fig("world", 3),
            "w2": fig("world", 20),
            "e": fig("europe", 4),
            "sh": share("europe", "world", share="most"),
        },
        places=P,
    )
    dispute = "World's figures disagree (3 (w1), 20 (w2))"
    assert cont(findings) == [
        finding(
            Status.UNKNOWN,
            ("w1", "w2", "e"),
            f"{WHEN}: World 3 < Europe 4: depends on which figure is right",
            f"{dispute}: fail with World 3 (w1); pass with World 20 (w2)",
        ),
        finding(
            Status.UNKNOWN,
            ("sh", "e", "w1", "w2"),
            "sh: Europe holds most of stations in World: needs Europe > 10 (half of World 20); "
            "the figures give Europe 4: depends on which figure is right",
            f"{dispute}: unknown with World 3 (w1); fail with World 20 (w2)",
        ),
    ]


def test_a_failure_for_every_candidate_is_located(small: Small, tmp_path: Path) -> None:
    findings = small(
        {"w1": fig("world", 3), "w2": fig("world", 2), "e": fig("europe", 4)}, places=P
    )
    assert cont(findings) == [
        finding(
            Status.FAIL,
            ("w1", "w2", "e"),
            f"{WHEN}: World 2 < Europe 4",
            "World's figures disagree (2 (w2), 3 (w1)): this fails for each; a place holds at "
            "least the sum of the disjoint places inside it",
            at(tmp_path, "w1", "value"),  # the first of the place's figures
        )
    ]


def disputed(n: int) -> tuple[dict[str, dict[str, Any]], dict[str, str | None]]:
    """World 100 and ``n`` places inside it, each with two figures that disagree."""
    places: dict[str, str | None] = {"world": None, **{f"c{i}": "world" for i in range(n)}}
    claims = {"w": fig("world", 100)}
    for i in range(n):
        claims[f"a{i}"] = fig(f"c{i}", 1)
        claims[f"b{i}"] = fig(f"c{i}", 2)
    return claims, places


def test_sixty_four_combinations_of_disputed_figures_are_each_judged(small: Small) -> None:
    claims, places = disputed(6)  # 2 ** 6 = 64 combinations
    (f,) = cont(small(claims, places=places))
    ids = tuple(f"{x}{i}" for i in range(6) for x in "ab")
    told = "; ".join(f"C{i}'s figures disagree (1 (a{i}), 2 (b{i}))" for i in range(6))
    assert f == passes(
        ("w", *ids),
        f"{WHEN}: World 100 ≥ C0 1 + C1 1 + C2 1 + C3 1 + C4 1 + C5 1 = 6",
        f"{told}: this holds for each",
    )


def test_more_than_sixty_four_combinations_are_not_judged(small: Small) -> None:
    claims, places = disputed(7)
    assert cont(small(claims, places=places)) == [
        finding(
            Status.UNKNOWN,
            tuple(f"{x}{i}" for i in range(7) for x in "ab"),
            f"{WHEN}: not judged: the figures of C0, C1, C2, C3, C4, C5, C6 disagree in more "
            "than 64 combinations",
            "agreement reports each disagreement; settle them to judge this slice",
        )
    ]


# How a narrowing is explained


def test_a_ceiling_from_an_open_place_keeps_its_sign(small: Small) -> None:
    findings = small(
        {
            "uk": fig("uk", 5, bound="at_most"),
            "london": fig("london", 2),
            "glasgow": fig("glasgow", 1, bound="at_least"),
        },
        places=P,
    )
    assert cont(findings)[1] == passes(
        ("glasgow", "uk"),
        f"{WHEN}: Glasgow is narrowed to 1 to 3 by Uk ≤5 − London 2, which agrees with glasgow ≥1",
    )


def test_a_ceiling_traced_to_the_floor_of_a_part(small: Small) -> None:
    # North America 4 less the United States' least (New York's at least 1).
    findings = small(
        {
            "na": fig("na", 4),
            "nyc": fig("nyc", 1, bound="at_least"),
            "canada": fig("canada", 1, bound="at_least"),
        },
        places=P,
    )
    assert cont(findings)[1] == passes(
        ("canada", "na"),
        f"{WHEN}: Canada is narrowed to 1 to 3 by Na 4 − Us ≥1 (Nyc 1 to 3), which agrees with "
        "canada ≥1",
    )


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (2, "C0 1 + C1 1"),
        (8, "C0 1 + C1 1 + C2 1 + C3 1 + C4 1 + C5 1 + C6 1 + C7 1"),
        (9, "C0 1 + C1 1 + C2 1 + C3 1 + C4 1 + C5 1 + C6 1 + C7 1 + … 1 more"),
    ],
)
def test_the_parts_a_bound_comes_from_are_listed_up_to_eight(
    small: Small, n: int, shown: str
) -> None:
    places = {**P, **{f"c{i}": "us" for i in range(n)}}
    claims = {
        "na": fig("na", n + 3, parts_complete=True),
        "canada": fig("canada", 1, bound="at_least"),
        **{f"c{i}": fig(f"c{i}", 1) for i in range(n)},
    }
    assert cont(small(claims, places=places))[1] == passes(
        ("canada", "na"),
        f"{WHEN}: Canada is settled at 3 by Na {n + 3} (parts complete) − Us {n} ({shown}), "
        "which agrees with canada ≥1",
    )


def test_plurality_among_eight_siblings_shows_them_all(small: Small) -> None:
    places: dict[str, str | None] = {"world": None, **{f"c{i}": "world" for i in range(9)}}
    claims = {f"c{i}": fig(f"c{i}", i + 1) for i in range(9)}
    (f,) = cont(small({**claims, "sh": share("c8", share="plurality")}, places=places))
    assert f == passes(
        ("sh", "c8", *(f"c{i}" for i in range(8))),
        "sh: C8 has the most stations: needs C8 9 > each of C0 1, C1 2, C2 3, C3 4, C4 5, "
        "C5 6, C6 7, C7 8",
    )


def test_undated_figures_make_a_slice_of_their_own(small: Small) -> None:
    findings = small(
        {
            "w": fig("world", 10, as_of=None),
            "e": fig("europe", 6, as_of=None),
            "sh": share("europe", "world", share="most", as_of=None),
        },
        places=P,
    )
    assert cont(findings) == [
        finding(Status.PASS, ("w", "e"), "stations (undated): World 10 ≥ Europe 6"),
        passes(
            ("sh", "e", "w"),
            "sh: Europe holds most of stations in World: needs Europe > 5 (half of World 10); "
            "the figures give Europe 6",
            "World 10 and Europe 6 after propagating the figures of stations (undated) through "
            "the place tree",
        ),
    ]


# Percentages of small or uncertain wholes


def test_all_of_a_whole_of_one(small: Small) -> None:
    findings = small(
        {"w": fig("world", 1), "e": fig("europe", 1), "sh": share("europe", "world", percent=100)},
        places=P,
    )
    assert cont(findings)[1] == passes(
        ("sh", "e", "w"),
        "sh: Europe holds 100% of stations in World: needs Europe = 99.5 to 100% of World 1; the "
        "figures give Europe 1, 100%",
        f"World 1 and Europe 1 {TREE}",
    )


@pytest.mark.parametrize(
    ("whole", "tolerance", "text"),
    [
        (1, 0.1, "World 1 to 1.1; the figures give Europe 1 to 1.1, 90.9 to 110%"),
        # Up to 100.1%: a whole percentage of 100 allows no more than 100.
        (1002, 0.002, "World 1003 to 1004; the figures give Europe 1003 to 1004, 99.9 to 100.1%"),
    ],
)
def test_all_of_an_approximate_whole_is_unknown(
    small: Small, whole: int, tolerance: float, text: str
) -> None:
    findings = small(
        {
            "w": fig("world", whole, bound="approx"),
            "e": fig("europe", whole + (1 if whole > 1 else 0), bound="at_least"),
            "sh": share("europe", "world", percent=100),
        },
        places=P,
        measures={"stations": {"tolerance": tolerance}},
    )
    f = cont(findings)[-1]
    assert (f.status, f.message) == (
        Status.UNKNOWN,
        f"sh: Europe holds 100% of stations in World: needs Europe = 99.5 to 100% of {text}",
    )


# More disputes


def test_a_share_after_a_narrowing_only_one_candidate_gives_is_still_judged(
    small: Small,
) -> None:
    findings = small(
        {
            "n1": fig("na", 4, parts_complete=True),
            "n2": fig("na", 1, bound="at_most"),
            "nyc": fig("nyc", 1),
            "canada": fig("canada", 1, bound="at_least"),
            "sh": share("canada", "na", share="most"),
        },
        places=P,
    )
    assert cont(findings)[1] == finding(
        Status.UNKNOWN,
        ("sh", "canada", "n1", "n2"),
        "sh: Canada holds most of stations in Na: needs Canada > 2 (half of Na 4); the figures "
        "give Canada 3: depends on which figure is right",
        "Na's figures disagree (≤1 (n2), 4 (n1)): unknown with Na ≤1 (n2); pass with Na 4 (n1)",
    )


def test_an_unknown_share_shows_the_candidate_it_could_judge(small: Small) -> None:
    findings = small(
        {
            "w1": fig("world", 3),
            "w2": fig("world", 10),
            "uk": fig("uk", 4),
            "sh": share("europe", "world", share="most"),
        },
        places=P,
    )
    assert cont(findings)[1] == finding(
        Status.UNKNOWN,
        ("sh", "w1", "w2"),
        "sh: Europe holds most of stations in World: needs Europe > 5 (half of World 10); the "
        "figures give Europe 4 to 10 (no Europe total is given)",
        "World's figures disagree (3 (w1), 10 (w2)): unknown with World 3 (w1); unknown with "
        "World 10 (w2)",
    )


def test_complete_parts_of_billions_must_sum_to_the_unit(small: Small, tmp_path: Path) -> None:
    findings = small(
        {
            "w": fig("world", 8_000_000_000, parts_complete=True),
            "e": fig("europe", 8_000_000_000),
            "na": fig("na", 5),
        },
        places=P,
    )
    assert cont(findings) == [
        finding(
            Status.FAIL,
            ("w", "na", "e"),
            f"{WHEN}: World 8000000000 ≠ Europe 8000000000 + Na 5 = 8000000005 (parts complete)",
            "a place holds at least the sum of the disjoint places inside it, and exactly that "
            "sum when its parts are complete",
            at(tmp_path, "w", "value"),
        )
    ]


# The last guard: a contradiction only propagation finds


def _propagated(small: Small, tmp_path: Path, claims: dict[str, dict[str, Any]]) -> Slice:
    small(claims, places=P)  # writes small.json
    ctx = Context.build(load_ledger(tmp_path / "small.json"))
    sl = Slice(ctx, "stations", (), ctx.by_measure_scope[("stations", ())])
    sl.propagate()
    return sl


def test_a_place_the_tree_cannot_fit_fails_with_its_nearest_figured_place(
    small: Small, tmp_path: Path
) -> None:
    # The bounds a tree finds are consistent whenever each place's parts are (the parts
    # check comes first); should propagation still empty a place, it is a failure that
    # names the place, the nearest figured place above it (the world: Europe has no
    # figure) and its parts.
    claims = {"w": fig("world", 10), "uk": fig("uk", 5), "london": fig("london", 2)}
    sl = _propagated(small, tmp_path, claims)
    uk = sl.nodes["uk"]
    uk.lo, uk.hi = 6.0, 4.0
    out: list[Any] = []
    _tree(sl, out)
    assert out == [
        (
            ("tree", ""),
            Outcome(
                finding(Status.FAIL, ("w", "uk", "london"), f"{WHEN}: Uk would need ≥6 and ≤4"),
                uk.items[0].path,
            ),
        )
    ]
    # A place without a figure is pointed at by the nearest figured place above it.
    sl = _propagated(small, tmp_path, claims)
    europe = sl.nodes["europe"]
    europe.lo, europe.hi = 6.0, 4.0
    europe.why = Reason("ceiling", sl.nodes["world"], 4.0, True, ())
    out = []
    _tree(sl, out)
    assert out == [
        (
            ("tree", ""),
            Outcome(
                finding(Status.FAIL, ("w", "uk"), f"{WHEN}: Europe would need ≥6 and ≤4 (World 4)"),
                sl.nodes["world"].items[0].path,
            ),
        )
    ]
