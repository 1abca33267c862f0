"""Rule 4, measure relations: declared once, checked for every matching pair of figures."""

from __future__ import annotations

from claimcheck.consistency.bounds import INF, Bounds, fmt_bounds, intersect_all
from claimcheck.consistency.groups import Context, Item, Outcome, fmt_scope, time_cliques
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
    a = intersect_all(it.bounds for it in lows)
    b = intersect_all(it.bounds for it in highs)
    where = f"{place}, {min(lows + highs, key=lambda i: i.end - i.start).when}"
    if scope:
        where += f", {fmt_scope(scope)}"
    ids = tuple(it.id for it in lows + highs)
    left = " = ".join(f"{it.value} ({it.id})" for it in lows)
    right = " = ".join(f"{it.value} ({it.id})" for it in highs)
    text = f"{small} ≤ {big} in {where}: {left} ≤ {right}"
    worst = max(lows, key=lambda it: it.bounds.lo)
    least = min(highs, key=lambda it: it.bounds.hi)
    if not worst.bounds.possibly_le(least.bounds):
        # Even the smallest larger-measure figure is below a smaller-measure figure.
        return Outcome(
            Finding(
                CHECK,
                Status.FAIL,
                (worst.id, least.id),
                f"{small} ≤ {big} in {where}: {worst.value} ({worst.id}) > "
                f"{least.value} ({least.id})",
                detail=f"the measure {small!r} is declared never to exceed {big!r}",
                measure=small,
            ),
            worst.path,
        )
    if a.empty or b.empty:
        # Figures of one measure disagree among themselves: agreement reports it.
        return Outcome(
            Finding(
                CHECK,
                Status.UNKNOWN,
                ids,
                f"{text} cannot be settled: the {small if a.empty else big} figures disagree",
                measure=small,
            )
        )
    if a.certainly_le(b):
        return Outcome(Finding(CHECK, Status.PASS, ids, f"{text}", measure=small))
    # Consistent but not certain: the relation holds for some of the values allowed,
    # and it narrows them.
    return Outcome(
        Finding(
            CHECK,
            Status.PASS,
            ids,
            f"{text}: holds if {small} is {fmt_bounds(a & Bounds(-INF, b.hi))} and {big} "
            f"{fmt_bounds(b & Bounds(a.lo, INF))}",
            measure=small,
        )
    )
