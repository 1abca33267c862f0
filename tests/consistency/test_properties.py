"""Property tests: the interval arithmetic of bounds and of dates."""

from __future__ import annotations

import calendar
from datetime import date
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.consistency.bounds import INF, Bounds, bounds_of, fmt_bounds, fmt_number, total
from claimcheck.consistency.groups import Item, time_cliques
from claimcheck.dates import hull, parse_span

values = st.integers(min_value=0, max_value=10_000)
bound_kinds = st.sampled_from(["exact", "at_least", "at_most", "approx"])
tolerances = st.sampled_from([0.0, 0.05, 0.1, 0.5])


@st.composite
def intervals(draw: Any) -> Bounds:
    return bounds_of(draw(values), draw(bound_kinds), draw(tolerances))


def points(b: Bounds) -> list[float]:
    """A few values the interval allows (its ends, its middle)."""
    hi = b.hi if b.hi != INF else b.lo + 1_000_000
    return [b.lo, (b.lo + hi) / 2, hi]


@given(values, bound_kinds, tolerances)
def test_a_figure_allows_its_stated_value(v: int, kind: str, tol: float) -> None:
    b = bounds_of(v, kind, tol)
    assert b.contains(v)
    assert not b.empty
    assert b.lo >= 0  # counts are never negative


@given(values, st.integers(min_value=0, max_value=10_000))
def test_at_least_allows_exactly_the_larger_values(v: int, w: int) -> None:
    assert bounds_of(v, "at_least").contains(w) == (w >= v)
    assert bounds_of(v, "at_most").contains(w) == (w <= v)


@given(intervals(), intervals())
def test_agreement_is_symmetric_and_means_a_shared_value(a: Bounds, b: Bounds) -> None:
    assert a.meets(b) == b.meets(a)
    shared = a & b
    if a.meets(b):
        for x in points(shared):
            assert a.contains(x) and b.contains(x)
    else:
        for x in points(a):
            assert not b.contains(x)


@given(st.lists(intervals(), min_size=1, max_size=5))
def test_a_sum_allows_every_sum_of_allowed_values(parts: list[Bounds]) -> None:
    s = total(parts)
    assert s.contains(sum(p.lo for p in parts))
    for pick in range(3):
        assert s.contains(sum(points(p)[pick] for p in parts))


@given(intervals(), intervals())
def test_certain_and_impossible_order(a: Bounds, b: Bounds) -> None:
    if a.certainly_le(b):
        assert all(x <= y for x in points(a) for y in points(b))
    if not a.possibly_le(b):
        assert all(x > y for x in points(a) for y in points(b))
    # Certain implies possible; never both certain and impossible.
    assert not a.certainly_le(b) or a.possibly_le(b)


@given(intervals(), intervals())
def test_difference_is_exactly_the_differences(a: Bounds, b: Bounds) -> None:
    d = a - b
    for x in points(a):
        for y in points(b):
            if x != INF and y != INF:
                assert d.contains(x - y)
    # Tight: each end is the difference of two allowed values, nothing beyond it is.
    assert d.lo == a.lo - b.hi
    assert d.hi == a.hi - b.lo
    if d.lo != -INF:
        assert a.contains(a.lo) and b.contains(b.hi)
        assert not d.contains(d.lo - 0.5)
    if d.hi != INF:
        assert not d.contains(d.hi + 0.5)


@given(intervals())
def test_formatted_interval_names_its_ends(b: Bounds) -> None:
    text = fmt_bounds(b)
    lo, hi = fmt_number(b.lo), fmt_number(b.hi)
    if b.exact:
        assert text == lo
    elif b.hi == INF:
        assert text == f"≥{lo}"
    elif b.lo == 0:
        assert text == f"≤{hi}"
    else:
        assert text == f"{lo} to {hi}"


# Dates


@st.composite
def ledger_dates(draw: Any) -> str:
    year = draw(st.integers(min_value=2015, max_value=2024))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return str(year)
    month = draw(st.integers(min_value=1, max_value=12))
    if precision == "month":
        return f"{year}-{month:02d}"
    day = draw(st.integers(min_value=1, max_value=calendar.monthrange(year, month)[1]))
    return f"{year}-{month:02d}-{day:02d}"


@given(ledger_dates(), ledger_dates())
def test_overlap_is_symmetric_and_excludes_order(a: str, b: str) -> None:
    x, y = parse_span(a), parse_span(b)
    assert x.overlaps(y) == y.overlaps(x)
    if x.before(y):
        assert not x.overlaps(y) and not y.before(x)
        assert x.not_after(y)
    # Exactly one of: overlap, x before y, y before x.
    assert [x.overlaps(y), x.before(y), y.before(x)].count(True) == 1


@given(ledger_dates())
def test_a_date_overlaps_every_finer_date_inside_it(a: str) -> None:
    span = parse_span(a)
    assert parse_span(span.start.isoformat()).overlaps(span)
    assert parse_span(span.end.isoformat()).overlaps(span)
    assert span.overlaps(parse_span(a[:4]))


@given(ledger_dates(), ledger_dates())
def test_hull_is_exactly_the_span_of_both(a: str, b: str) -> None:
    x, y = parse_span(a), parse_span(b)
    h = hull(x, y)
    assert (h.start, h.end) == (min(x.start, y.start), max(x.end, y.end))
    assert str(h) == f"{a}/{b}"
    if x.start <= y.start and x.end <= y.end:
        # In order, the hull is the interval the ledger would write.
        assert parse_span(f"{a}/{b}") == h


def _item(start: date, end: date, n: int) -> Item:
    span = SimpleNamespace(start=start, end=end, text="")
    return Item(
        id=f"c{n}",
        pos=n,
        claim=None,  # type: ignore[arg-type]
        measure="m",
        place=None,
        scope=(),
        span=span,  # type: ignore[arg-type]
        start=start.toordinal(),
        end=end.toordinal(),
        bounds=Bounds(0, 0),
    )


@given(st.lists(ledger_dates(), min_size=1, max_size=12))
def test_time_groups_bring_every_overlapping_pair_together(texts: list[str]) -> None:
    spans = [parse_span(t) for t in texts]
    items = [_item(s.start, s.end, i) for i, s in enumerate(spans)]
    groups = time_cliques(items)
    together = {(a.id, b.id) for g in groups for a in g for b in g}
    for a in items:
        assert any(a in g for g in groups)
        for b in items:
            if a.start <= b.end and b.start <= a.end:
                assert (a.id, b.id) in together
    for g in groups:
        # Every group shares a day, so pairwise agreement decides the whole group.
        assert max(i.start for i in g) <= min(i.end for i in g)
        others = [other for other in groups if other is not g]
        assert not any({i.id for i in g} <= {i.id for i in o} for o in others)


# Containment: figures drawn from one true world never contradict each other.


@st.composite
def true_worlds(draw: Any) -> dict[str, Any]:
    """A random place tree with true counts, and claims that are true of it."""
    n = draw(st.integers(min_value=2, max_value=8))
    parents: list[int | None] = [None] + [
        draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, n)
    ]
    own = [draw(st.integers(min_value=0, max_value=5)) for _ in range(n)]
    truth = list(own)
    for i in reversed(range(1, n)):
        parent = parents[i]
        assert parent is not None
        truth[parent] += truth[i]
    claims: dict[str, dict[str, Any]] = {}
    for i in range(n):
        if not draw(st.booleans()):
            continue
        kind = draw(bound_kinds)
        value = truth[i]
        if kind == "at_least":
            value = draw(st.integers(min_value=0, max_value=truth[i]))
        elif kind == "at_most":
            value = truth[i] + draw(st.integers(min_value=0, max_value=3))
        claims[f"p{i}"] = {"value": value, "bound": kind, "place": f"p{i}"}
    # Declare parts complete only where the outermost claimed places inside cover it.
    for i in range(n):
        key = f"p{i}"
        if key not in claims:
            continue
        stack = [j for j in range(n) if parents[j] == i]
        covered = 0
        while stack:
            j = stack.pop()
            if f"p{j}" in claims:
                covered += truth[j]
            else:
                stack.extend(k for k in range(n) if parents[k] == j)
        if covered == truth[i] and draw(st.booleans()):
            claims[key]["parts_complete"] = True
    return {"parents": parents, "claims": claims}


@given(true_worlds())
def test_true_figures_never_fail_containment(world: dict[str, Any]) -> None:
    import json
    import tempfile
    from pathlib import Path

    from claimcheck.consistency import check_consistency
    from claimcheck.loader import load_ledger
    from claimcheck.results import Status

    places = [
        {"id": f"p{i}", "name": f"P{i}", **({"within": f"p{p}"} if p is not None else {})}
        for i, p in enumerate(world["parents"])
    ]
    claims = [
        {
            "id": cid,
            "kind": "count",
            "text": "t",
            "quote": "q",
            "sources": ["s"],
            "measure": "m",
            "as_of": "2022-09-12",
            **fields,
        }
        for cid, fields in world["claims"].items()
    ]
    data = {
        "sources": [{"id": "s", "title": "S"}],
        "places": places,
        "measures": [{"id": "m", "name": "M"}],
        "claims": claims,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "l.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        findings = check_consistency(load_ledger(path), ["consistency.containment"])
    assert [f.message for f in findings if f.status is Status.FAIL] == []


@given(true_worlds(), st.data())
def test_flat_slices_are_told_without_building_the_tree(world: dict[str, Any], data: Any) -> None:
    import json
    import tempfile
    from pathlib import Path

    from claimcheck.consistency.containment import Slice, _groups, _nested
    from claimcheck.consistency.groups import Context
    from claimcheck.loader import load_ledger

    places = [
        {"id": f"p{i}", "name": f"P{i}", **({"within": f"p{p}"} if p is not None else {})}
        for i, p in enumerate(world["parents"])
    ]
    claims = [
        {
            "id": cid,
            "kind": "count",
            "text": "t",
            "quote": "q",
            "sources": ["s"],
            "measure": "m",
            # Two times, so that some slices hold only part of the tree.
            "as_of": data.draw(st.sampled_from(["2022-09-12", "2022-10-01"])),
            **fields,
        }
        for cid, fields in world["claims"].items()
    ]
    ledger = {
        "sources": [{"id": "s", "title": "S"}],
        "places": places,
        "measures": [{"id": "m", "name": "M"}],
        "claims": claims,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "l.json"
        path.write_text(json.dumps(ledger), encoding="utf-8")
        ctx = Context.build(load_ledger(path))
    for (measure, scope), items in ctx.by_measure_scope.items():
        for group in _groups(items):
            sl = Slice(ctx, measure, scope, group)
            assert _nested(ctx, sl.items) == sl.nested()
