"""Property: a ledger whose claims all come from one hidden true world never fails.

A world is drawn first (a tree of places with counts in a wide scope and a narrower
one nested in it, monthly totals, the date of an event, a categorical fact); then
claims report it honestly, each with a bound that holds (exact, at least, at most,
more than, fewer than, about, nearly), a date at some precision, shares that are
true, totals over periods that are the true sums. Whatever the engine says of such a
ledger, it must never say ``fail``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.consistency import check_consistency
from claimcheck.loader import load_ledger
from claimcheck.results import Status

TOLERANCE = 0.1
MONTHS = ["2021-01", "2021-02", "2021-03", "2021-04"]


@st.composite
def worlds(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(min_value=1, max_value=6))
    parents: list[int | None] = [None] + [
        draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, n)
    ]
    own_wide = [draw(st.integers(min_value=0, max_value=40)) for _ in range(n)]
    own_narrow = [draw(st.integers(min_value=0, max_value=w)) for w in own_wide]
    monthly = [draw(st.integers(min_value=0, max_value=500)) for _ in MONTHS]
    return {
        "parents": parents,
        "wide": _totals(parents, own_wide),
        "narrow": _totals(parents, own_narrow),
        "own_wide": own_wide,
        "monthly": monthly,
        "event_day": draw(st.integers(min_value=1, max_value=28)),
    }


def _totals(parents: list[int | None], own: list[int]) -> list[int]:
    out = list(own)
    for i in range(len(parents) - 1, 0, -1):  # children come after their parents
        parent = parents[i]
        assert parent is not None
        out[parent] += out[i]
    return out


@st.composite
def honest(draw: Any, v: int) -> dict[str, Any]:
    """A figure that a true value ``v`` satisfies, as an outlet might write it."""
    kinds = ["exact", "at_least", "at_most", "approx", "fewer_than"]
    if v > 0:
        kinds.append("more_than")
    if v >= 10:
        kinds.append("nearly")
    kind = draw(st.sampled_from(kinds))
    if kind == "exact":
        return {"value": v}
    if kind == "at_least":
        return {"value": draw(st.integers(min_value=0, max_value=v)), "bound": kind}
    if kind == "at_most":
        return {"value": draw(st.integers(min_value=v, max_value=v + 50)), "bound": kind}
    if kind == "more_than":
        return {"value": draw(st.integers(min_value=0, max_value=v - 1)), "bound": kind}
    if kind == "fewer_than":
        return {"value": draw(st.integers(min_value=v + 1, max_value=v + 50)), "bound": kind}
    if kind == "nearly":  # just under: v < r and v ≥ r(1 − t)
        top = int(v / (1 - TOLERANCE))
        return {
            "value": draw(st.integers(min_value=v + 1, max_value=max(v + 1, top))),
            "bound": kind,
        }
    # about: |v − r| ≤ r·t
    lo, hi = int(v / (1 + TOLERANCE)) + 1, int(v / (1 - TOLERANCE))
    r = draw(st.integers(min_value=min(lo, v), max_value=max(hi, v)))
    return {"value": r if abs(v - r) <= r * TOLERANCE else v, "bound": kind}


@st.composite
def ledgers(draw: Any) -> dict[str, Any]:
    w = draw(worlds())
    parents = w["parents"]
    n = len(parents)
    claims: list[dict[str, Any]] = []

    def add(**fields: Any) -> None:
        claims.append(
            {"id": f"c{len(claims)}", "text": "t", "quote": "q", "sources": ["s"], **fields}
        )

    when = st.sampled_from(["2022-09-12", "2022-09", "2022"])
    for scope in ("wide", "narrow"):
        reported = draw(st.lists(st.integers(min_value=0, max_value=n - 1), unique=True))
        for p in reported:
            for _ in range(draw(st.integers(min_value=1, max_value=2))):
                fields = draw(honest(w[scope][p]))
                children = [i for i in range(n) if parents[i] == p]
                complete = (
                    scope == "wide"
                    and fields.get("bound", "exact") == "exact"
                    and w["own_wide"][p] == 0
                    and children
                    and all(c in reported for c in children)
                )
                add(
                    kind="count",
                    measure="m",
                    place=f"p{p}",
                    as_of=draw(when),
                    scope=[scope],
                    **fields,
                    **({"parts_complete": True} if complete else {}),
                )
    # Shares of the wide scope: only the true ones are said.
    for p in range(1, n):
        parent = parents[p]
        assert parent is not None
        part, whole = w["wide"][p], w["wide"][parent]
        base = {"measure": "m", "place": f"p{p}", "as_of": "2022-09-12", "scope": ["wide"]}
        if draw(st.booleans()) and whole > 0:
            if part * 2 > whole:
                add(share="most", share_of=f"p{parent}", **base)
            add(percent=round(100 * part / whole), share_of=f"p{parent}", **base)
        siblings = [w["wide"][i] for i in range(n) if parents[i] == parent and i != p]
        if draw(st.booleans()) and all(part > s for s in siblings):
            add(share="plurality", **base)
    # Monthly totals (flows), some sums of them, and the whole period.
    monthly = w["monthly"]
    spans = [(i, i) for i in range(4)] + [(0, 1), (2, 3), (0, 3), (1, 2)]
    for a, b in draw(st.lists(st.sampled_from(spans), unique=True)):
        add(
            kind="count",
            measure="flow",
            place="p0",
            period={"start": MONTHS[a], "end": MONTHS[b]},
            **draw(honest(sum(monthly[a : b + 1]))),
        )
    # The date of one event, at several precisions; one fact, in several spellings.
    day = f"2022-09-{w['event_day']:02d}"
    for text in draw(st.lists(st.sampled_from([day, "2022-09", "2022"]), max_size=3)):
        add(kind="date", date=text, event="e")
    for value in draw(st.lists(st.sampled_from(["Spain", "spain", " SPAIN "]), max_size=3)):
        add(attribute={"subject": "x", "property": "based-in", "value": value})
    return {
        "sources": [{"id": "s", "title": "S"}],
        "places": [
            {"id": f"p{i}", "name": f"P{i}", **({"within": f"p{q}"} if q is not None else {})}
            for i, q in enumerate(parents)
        ],
        "measures": [
            {"id": "m", "name": "M", "tolerance": TOLERANCE},
            {"id": "flow", "name": "F", "tolerance": TOLERANCE},
        ],
        "scopes": [{"id": "wide"}, {"id": "narrow", "within": "wide"}],
        "claims": claims,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_a_ledger_of_one_true_world_never_fails(ledger: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "world.json"
        path.write_text(json.dumps(ledger), encoding="utf-8")
        findings = check_consistency(load_ledger(path))
    assert [f"{f.check}: {f.message}" for f in findings if f.status is Status.FAIL] == []
