"""Rule 1, agreement: figures of one quantity at overlapping times must be compatible."""

from __future__ import annotations

from claimcheck.consistency.groups import Context, Item, Outcome, fmt_scope, time_cliques
from claimcheck.consistency.registry import rule
from claimcheck.results import Finding, Status

CHECK = "consistency.agreement"


@rule(CHECK)
def agreement(ctx: Context) -> list[Outcome]:
    """Claims on the same measure, place and scope whose times overlap agree.

    Each figure stands for the interval its bound allows (``at_least 54`` is 54 and up,
    ``approx`` is within the measure's ``tolerance``); the figures agree when their
    intervals share a value, and the shared values are what they settle on. ``≥54`` and
    ``54`` agree (on 54); ``54`` and ``≥60`` do not. Undated figures are compared with
    each other only.
    """
    out: list[Outcome] = []
    for (measure, place, scope), items in ctx.by_measure_place_scope.items():
        if len(items) < 2:
            continue
        sets = time_cliques(items)
        undated = [it for it in items if it.span is None]
        if len(undated) >= 2:
            sets.append(undated)
        where = f"{ctx.place_name(place)}, {fmt_scope(scope)}"
        for group in sets:
            if len(group) >= 2:
                out.append(_judge(measure, where, group))
    return out


def _judge(measure: str, where: str, group: list[Item]) -> Outcome:
    # Intervals on a line that meet pairwise share a common value (Helly), so the
    # highest floor and the lowest ceiling decide the whole set (one pass finds both).
    floor = ceiling = group[0]
    lo, hi = floor.bounds.lo, ceiling.bounds.hi
    for it in group:
        b = it.bounds
        if b.lo > lo or (b.lo == lo and b.lo_open and not floor.bounds.lo_open):
            floor, lo = it, b.lo
        if b.hi < hi or (b.hi == hi and b.hi_open and not ceiling.bounds.hi_open):
            ceiling, hi = it, b.hi
    shared = floor.bounds & ceiling.bounds
    ids = tuple(it.id for it in group)
    if not shared.empty:
        values = " and ".join(f"{it.value} ({it.id}, {it.when})" for it in group[:6])
        more = f" and {len(group) - 6} more" if len(group) > 6 else ""
        return Outcome(
            Finding(
                CHECK,
                Status.PASS,
                ids,
                f"{measure} in {where}: {values}{more} agree on {shared}",
                measure=measure,
            )
        )
    return Outcome(
        Finding(
            CHECK,
            Status.FAIL,
            (floor.id, ceiling.id),
            f"{measure} in {where}: {floor.label(scope=False)} contradicts "
            f"{ceiling.label(scope=False)}: no value is both {floor.value} and "
            f"{ceiling.value}",
            detail="their times overlap and place and scope are the same, so they state one "
            "quantity; correct one figure, its bound, its date or its scope",
            measure=measure,
        ),
        floor.path,
    )
