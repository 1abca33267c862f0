"""Rule 4, measure relations: declared once, checked for every matching pair of figures."""

from __future__ import annotations

from claimcheck.consistency.bounds import INF, Bounds, fmt_bounds
from claimcheck.consistency.groups import (
    Context,
    Item,
    Outcome,
    candidates,
    fmt_scope,
    time_cliques,
)
from claimcheck.consistency.registry import rule
from claimcheck.results import Finding, Status

CHECK = "consistency.relation"


def closure(ctx: Context) -> dict[str, list[str]]:
    """For each measure, every measure it never exceeds, following ``at_most`` through."""
    direct = {m.id: list(m.at_most) for m in ctx.loaded.ledger.measures}
    out: dict[str, list[str]] = {}
    for start in direct:
        seen: list[str] = []
        stack = list(reversed(direct[start]))
        while stack:
            cur = stack.pop()
            if cur == start or cur in seen:
                continue
            seen.append(cur)
            stack.extend(reversed(direct.get(cur, [])))
        if seen:
            out[start] = seen
    return out


@rule(CHECK)
def relation(ctx: Context) -> list[Outcome]:
    """Relations declared between measures hold for every pair with the same place, time and scope.

    A measure's ``at_most`` lists the measures it never exceeds (cities ``at_most``
    stations, countries ``at_most`` cities); the relation is followed through, so
    countries never exceed stations either. For every place and scope, figures of the
    two measures whose times overlap are compared: ``pass`` when the order is certain
    (25 cities ≤ 30 stations), ``fail`` when no value allowed satisfies it, and ``pass``
    with the values it implies when the bounds allow it (at least 25 cities against at
    least 20 stations holds if there are at least 25 stations).
    """
    out: list[Outcome] = []
    index = ctx.by_measure_place_scope
    by_measure: dict[str, list[tuple[str | None, tuple[str, ...]]]] = {}
    for measure, place, scope in index:
        by_measure.setdefault(measure, []).append((place, scope))
    for small, larger in closure(ctx).items():
        for big in larger:
            for place, scope in by_measure.get(small, []):
                others = index.get((big, place, scope))
                if not others:
                    continue
                mine = index[(small, place, scope)]
                for group in time_cliques(mine + others):
                    lows = [it for it in group if it.measure == small]
                    highs = [it for it in group if it.measure == big]
                    if lows and highs:
                        out.append(_judge(small, big, ctx.place_name(place), scope, lows, highs))
    return out


def _judge(
    small: str,
    big: str,
    place: str,
    scope: tuple[str, ...],
    lows: list[Item],
    highs: list[Item],
) -> Outcome:
    where = f"{place}, {min(lows + highs, key=lambda i: i.end - i.start).when}"
    if scope:
        where += f", {fmt_scope(scope)}"
    ids = tuple(it.id for it in lows + highs)
    left = (" vs " if len(candidates(lows)) > 1 else " = ").join(
        f"{it.value} ({it.id})" for it in lows[:6]
    )
    right = (" vs " if len(candidates(highs)) > 1 else " = ").join(
        f"{it.value} ({it.id})" for it in highs[:6]
    )
    text = f"{small} ≤ {big} in {where}: {left} ≤ {right}"
    small_c, big_c = candidates(lows), candidates(highs)
    verdicts = [(a, b, *_verdict(small, big, a.bounds, b.bounds)) for a in small_c for b in big_c]
    statuses = {v[2] for v in verdicts}
    disputed = len(verdicts) > 1
    note = ""
    if disputed:
        which = [w for w, c in ((small, small_c), (big, big_c)) if len(c) > 1]
        note = " and ".join(
            f"the {w} figures disagree ({', '.join(c.label for c in cs)})"
            for w, cs in ((small, small_c), (big, big_c))
            if w in which
        )
    if len(statuses) > 1:
        told = "; ".join(
            f"{status.value} with {small} {a.label} and {big} {b.label}"
            for a, b, status, _ in verdicts
        )
        return Outcome(
            Finding(
                CHECK,
                Status.UNKNOWN,
                ids,
                f"{text}: depends on which figure is right",
                detail=f"{note}: {told}",
                measure=small,
            )
        )
    status = verdicts[0][2]
    detail = (
        f"{note}: this {'holds' if status is Status.PASS else 'fails'} for each" if note else None
    )
    if status is Status.FAIL:
        worst = max(lows, key=lambda it: it.bounds.lo)
        least = min(highs, key=lambda it: it.bounds.hi)
        if disputed:
            msg = f"{text}: it does not hold for any of the figures given"
        else:
            msg = (
                f"{small} ≤ {big} in {where}: {worst.value} ({worst.id}) > "
                f"{least.value} ({least.id})"
            )
        return Outcome(
            Finding(
                CHECK,
                Status.FAIL,
                ids,
                msg,
                detail=detail or f"the measure {small!r} is declared never to exceed {big!r}",
                measure=small,
            ),
            worst.path,
        )
    suffix = verdicts[0][3] if not disputed else ""
    return Outcome(Finding(CHECK, Status.PASS, ids, f"{text}{suffix}", detail, measure=small))


def _verdict(small: str, big: str, a: Bounds, b: Bounds) -> tuple[Status, str]:
    """``small`` ≤ ``big`` with figures ``a`` and ``b``: the status and what it implies."""
    if not a.possibly_le(b):
        return Status.FAIL, ""
    if a.certainly_le(b):
        return Status.PASS, ""
    # Consistent but not certain: the relation holds for some of the values allowed,
    # and it narrows them.
    return (
        Status.PASS,
        f": holds if {small} is {fmt_bounds(a & Bounds(-INF, b.hi, False, b.hi_open))} and "
        f"{big} {fmt_bounds(b & Bounds(a.lo, INF, a.lo_open))}",
    )
