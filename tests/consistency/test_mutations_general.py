"""Mutation tests of the general engine on both ledgers: one change, the exact finding.

Each test copies a ledger (the bundled one or ``examples/washington-crowds-2017``),
changes one figure, bound, date, place or scope, and asserts the finding that must
appear, word for word, with its status.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimcheck.consistency import check_consistency
from claimcheck.loader import load_ledger
from claimcheck.results import Finding, Status

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "claims.json"
EXAMPLE = ROOT / "examples" / "washington-crowds-2017" / "claims.json"

Change = Callable[[dict[str, Any]], None]


def by_id(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(x for x in items if x["id"] == ident)


def set_(kind: str, ident: str, **fields: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        by_id(data[kind], ident).update(fields)

    return change


def drop(kind: str, ident: str, key: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        by_id(data[kind], ident).pop(key)

    return change


def add(kind: str, item: dict[str, Any]) -> Change:
    def change(data: dict[str, Any]) -> None:
        # A copy: later changes must not alter the item for the next run of the test.
        data.setdefault(kind, []).append(copy.deepcopy(item))

    return change


def both(*changes: Change) -> Change:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)

    return change


def stations(ident: str, value: float, **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "count",
        "text": "A figure added by a mutation.",
        "quote": "54 physical",
        "sources": ["sd-110-overseas"],
        "measure": "stations",
        "value": value,
        "place": "world",
        "as_of": "2022-09-12",
        "scope": ["fuzhou-and-qingtian"],
        **fields,
    }


@pytest.fixture
def mutated(tmp_path: Path) -> Callable[[Path, Change], list[Finding]]:
    def run(ledger: Path, change: Change) -> list[Finding]:
        folder = tmp_path / ledger.parent.name
        shutil.copytree(ledger.parent, folder)
        path = folder / ledger.name
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("$schema", None)
        change(data)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        return check_consistency(load_ledger(path))

    return run


def found(findings: list[Finding], status: Status, message: str) -> Finding:
    hits = [f for f in findings if f.message == message]
    assert hits, "no such finding; got:\n" + "\n".join(
        f"{f.status.value} {f.message}" for f in findings if f.status is not Status.PASS
    )
    assert hits[0].status is status, (hits[0].status, hits[0].detail)
    return hits[0]


MUTATIONS: list[tuple[str, Path, Change, Status, str]] = [
    (
        "bundled: 'at least 54' made 'more than 54'",
        BUNDLED,
        set_("claims", "stations-at-least", bound="more_than"),
        Status.FAIL,
        "stations in World, fuzhou-and-qingtian: >54 (stations-at-least, 2022-09-12) "
        "contradicts 54 (stations-total, 2022-09-12): no value is both >54 and 54",
    ),
    (
        "bundled: the UK's 3 made 'fewer than 3'",
        BUNDLED,
        set_("claims", "uk-stations", bound="fewer_than"),
        Status.FAIL,
        "stations (2022-09-12, fuzhou-and-qingtian): United Kingdom <3 ≠ Glasgow 1 + London 2 "
        "= 3 (parts complete)",
    ),
    (
        "bundled: North America's 4 made 'nearly 4'",
        BUNDLED,
        set_("claims", "north-america-stations", bound="nearly"),
        Status.FAIL,
        "stations (2022-09-12, fuzhou-and-qingtian): North America 3.6 to <4 ≠ Canada ≥3 + "
        "New York City 1 = ≥4 (parts complete)",
    ),
    (
        "bundled: a disputed world total, and London made 5",
        BUNDLED,
        both(add("claims", stations("world-53", 53)), set_("claims", "london-stations", value=5)),
        Status.FAIL,
        "stations (2022-09-12, fuzhou-and-qingtian): United Kingdom 3 ≠ Glasgow 1 + London 5 "
        "= 6 (parts complete)",
    ),
    (
        "bundled: a disputed world total still holds its parts",
        BUNDLED,
        add("claims", stations("world-53", 53)),
        Status.PASS,
        "stations (2022-09-12, fuzhou-and-qingtian): World 53 ≥ North America 4 + United "
        "Kingdom 3 = 7",
    ),
    (
        "bundled: a world total of 6 makes the parts depend on which figure is right",
        BUNDLED,
        add("claims", stations("world-6", 6)),
        Status.UNKNOWN,
        "stations (2022-09-12, fuzhou-and-qingtian): World 6 < North America 4 + United "
        "Kingdom 3 = 7: depends on which figure is right",
    ),
    (
        "bundled: 'most' written as 60 percent",
        BUNDLED,
        both(drop("claims", "europe-most", "share"), set_("claims", "europe-most", percent=60)),
        Status.UNKNOWN,
        "europe-most: Europe holds 60% of stations in World: needs Europe = 59.5 to 60.5% of "
        "World 54; the figures give Europe 3 to 50, 5.6 to 92.6% (no Europe total is given)",
    ),
    (
        "bundled: a first-batch count above the total, with first-batch nested in it",
        BUNDLED,
        both(
            add("scopes", {"id": "first-batch", "within": "fuzhou-and-qingtian"}),
            add("claims", stations("first-batch-60", 60, scope=["first-batch"])),
        ),
        Status.FAIL,
        "stations in World, 2022-09-12: first-batch 60 (first-batch-60) ≤ fuzhou-and-qingtian "
        "54 (stations-total) = ≥54 (stations-at-least)",
    ),
    (
        "bundled: a sub-period of the persuasions larger than the whole",
        BUNDLED,
        add(
            "claims",
            {
                "id": "returns-summer-2021",
                "kind": "count",
                "text": "A figure added by a mutation.",
                "quote": "230,000",
                "sources": ["sd-110-overseas"],
                "measure": "returns",
                "value": 300000,
                "place": "china",
                "period": {"start": "2021-06", "end": "2021-09"},
            },
        ),
        Status.FAIL,
        "returns in China: 2021-04 to 2022-07 230000 ≥ 2021-06 to 2021-09 300000",
    ),
    (
        "bundled: two dates given to one event",
        BUNDLED,
        both(
            set_("claims", "report-published", event="sd-report"),
            set_("claims", "first-batch-announced", event="sd-report"),
        ),
        Status.FAIL,
        "sd-report: 2022-01-22 (first-batch-announced) contradicts 2022-09-12 "
        "(report-published): the dates share no day",
    ),
    (
        "bundled: the law takes effect no earlier than its adoption, until moved back",
        BUNDLED,
        both(
            add(
                "checks",
                {
                    "kind": "at_least",
                    "id": "effective-after",
                    "left": "law-effective",
                    "right": "law-adopted",
                },
            ),
            set_("claims", "law-effective", date="2022-08-01"),
        ),
        Status.FAIL,
        "effective-after: law-effective (2022-08-01) no earlier than law-adopted (2022-09-02): "
        "it does not hold",
    ),
    (
        "bundled: where Safeguard Defenders is based, given twice",
        BUNDLED,
        both(
            set_(
                "claims",
                "sd-based-in-spain",
                attribute={
                    "subject": "safeguard-defenders",
                    "property": "based-in",
                    "value": "Spain",
                },
            ),
            set_(
                "claims",
                "collaboration-spain",
                attribute={
                    "subject": "safeguard-defenders",
                    "property": "based-in",
                    "value": "Sweden",
                },
            ),
        ),
        Status.FAIL,
        "based-in of safeguard-defenders: “Spain” (sd-based-in-spain) contradicts “Sweden” "
        "(collaboration-spain) (neither gives a time, so both hold at every time)",
    ),
    (
        "bundled: London has the most stations in the UK, until Glasgow has as many",
        BUNDLED,
        both(
            add(
                "claims",
                {**stations("london-most", 0), "place": "london", "share": "plurality"}
                | {"kind": "fact"},
            ),
            drop("claims", "london-most", "value"),
            set_("claims", "glasgow-stations", value=2),
            set_("claims", "uk-stations", value=4),
        ),
        Status.FAIL,
        "london-most: London has the most stations: needs London 2 > each of Glasgow 2: "
        "Glasgow has at least as many",
    ),
    (
        "example: the march day's trips made 900,000",
        EXAMPLE,
        set_("claims", "trips-march-day", value=900000),
        Status.FAIL,
        "metro-trips in Washington, D.C., whole-day: >1000000 (trips-march-day-million, "
        "2017-01-21) contradicts 900000 (trips-march-day, 2017-01-21): no value is both "
        ">1000000 and 900000",
    ),
    (
        "example: the two days made 1.2 million",
        EXAMPLE,
        set_("claims", "trips-weekend", value=1200000),
        Status.FAIL,
        "metro-trips in Washington, D.C., whole-day: 2017-01-20 to 2017-01-21 ~1200000 = "
        "2017-01-20 570557 vs 420000 + 2017-01-21 1001613 = >1000000 (the periods fill it)",
    ),
    (
        "example: the morning count above both counts of the day",
        EXAMPLE,
        both(
            set_("claims", "trips-2017-by-11am", value=600000),
            set_("claims", "trips-2017-by-11am-round", value=600000, bound="exact"),
        ),
        Status.FAIL,
        "metro-trips in Washington, D.C., 2017-01-20: until-11am 600000 (trips-2017-by-11am) = "
        "600000 (trips-2017-by-11am-round) ≤ whole-day 570557 (trips-2017-day) vs 420000 "
        "(spicer-trips-2017) vs 570557 (trips-2017-day-restated)",
    ),
    (
        "example: a morning count between the two disputed counts of the day",
        EXAMPLE,
        both(
            set_("claims", "trips-2017-by-11am", value=500000),
            set_("claims", "trips-2017-by-11am-round", value=500000, bound="exact"),
        ),
        Status.UNKNOWN,
        "metro-trips in Washington, D.C., 2017-01-20: until-11am 500000 (trips-2017-by-11am) = "
        "500000 (trips-2017-by-11am-round) ≤ whole-day 570557 (trips-2017-day) vs 420000 "
        "(spicer-trips-2017) vs 570557 (trips-2017-day-restated): depends on which figure is "
        "right",
    ),
    (
        "example: the statement dated February",
        EXAMPLE,
        set_("claims", "spicer-statement-month", date="2017-02"),
        Status.FAIL,
        "spicer-statement: 2017-01-21 (spicer-statement-date) contradicts 2017-02 "
        "(spicer-statement-month): the dates share no day",
    ),
    (
        "example: the fact-check agreeing with the press secretary",
        EXAMPLE,
        set_(
            "claims",
            "coverings-in-2013",
            attribute={
                "subject": "mall-grass-coverings",
                "property": "first-inauguration-used",
                "value": " 2017",
            },
        ),
        Status.PASS,
        "first-inauguration-used of mall-grass-coverings: 2 claims agree on “2017”",
    ),
    (
        "example: Los Angeles made 450,000",
        EXAMPLE,
        set_("claims", "la-marchers", value=450000),
        Status.FAIL,
        "la-largest: Los Angeles has the most marchers: needs Los Angeles 450000 > each of "
        "Washington, D.C. 500000, New York City 400000 to 4025000, Chicago 225000 to 275000: "
        "Washington, D.C. has at least as many",
    ),
    (
        "example: New York's count made exact",
        EXAMPLE,
        set_("claims", "nyc-marchers", bound="exact"),
        Status.PASS,
        "la-largest: Los Angeles has the most marchers: needs Los Angeles 750000 > each of "
        "Washington, D.C. 500000, New York City 400000, Chicago 225000 to 275000",
    ),
    (
        "example: Washington's share made 40 percent",
        EXAMPLE,
        set_("claims", "dc-share", percent=40),
        Status.FAIL,
        "dc-share: Washington, D.C. holds ~40% of marchers in United States: needs Washington, "
        "D.C. = 36 to 44% of United States 3300000 to 5200000; the figures give Washington, "
        "D.C. 500000, 9.6 to 15.2%",
    ),
    (
        "example: a national ceiling below the low estimate",
        EXAMPLE,
        set_("claims", "us-marchers-high", value=1500000),
        Status.UNKNOWN,
        "marchers (2017-01-21): United States ≤1500000 < Washington, D.C. 500000 + Los Angeles "
        "750000 + New York City >400000 + Chicago 225000 to 275000 = >1875000: depends on "
        "which figure is right",
    ),
    (
        "example: 2017's audience made 40 million",
        EXAMPLE,
        both(
            set_("claims", "tv-2017", value=40000000),
            set_("claims", "tv-2017-more-than", value=40000000, bound="at_least"),
        ),
        Status.FAIL,
        "tv-2017-below-2009: 40000000 (tv-2017) ≤ 37800000 (tv-2009): it does not hold",
    ),
    (
        "example: the interview dated before the inauguration",
        EXAMPLE,
        set_("claims", "conway-interview", date="2017-01-19"),
        Status.FAIL,
        "interview-not-before-inauguration: conway-interview (2017-01-19) no earlier than "
        "inauguration-date (2017-01-20): it does not hold",
    ),
    (
        "example: 'nearly 200,000' made 'more than 200,000'",
        EXAMPLE,
        set_("claims", "trips-2017-by-11am-round", bound="more_than"),
        Status.FAIL,
        "metro-trips in Washington, D.C., until-11am: >200000 (trips-2017-by-11am-round, "
        "2017-01-20) contradicts 193000 (trips-2017-by-11am, 2017-01-20): no value is both "
        ">200000 and 193000",
    ),
]


@pytest.mark.parametrize(
    ("ledger", "change", "status", "message"),
    [m[1:] for m in MUTATIONS],
    ids=[m[0] for m in MUTATIONS],
)
def test_one_change_gives_the_exact_finding(
    mutated: Callable[[Path, Change], list[Finding]],
    ledger: Path,
    change: Change,
    status: Status,
    message: str,
) -> None:
    found(mutated(ledger, change), status, message)


def test_enough_mutations_on_both_ledgers() -> None:
    assert len(MUTATIONS) >= 20
    assert {m[1] for m in MUTATIONS} == {BUNDLED, EXAMPLE}


def test_unchanged_ledgers_have_no_finding_the_mutations_look_for(
    mutated: Callable[[Path, Change], list[Finding]],
) -> None:
    for ledger in (BUNDLED, EXAMPLE):
        findings = mutated(ledger, lambda data: None)
        messages = {f.message for f in findings}
        wanted = [m[4] for m in MUTATIONS if m[1] == ledger and m[3] is not Status.PASS]
        assert [w for w in wanted if w in messages] == []
