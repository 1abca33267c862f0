"""Rule: a count in a narrower scope never exceeds the count in a wider one.

Scopes are qualifiers that narrow what is counted. A ledger may declare that one scope
lies within another (``fuzhou-only`` within ``fuzhou-and-qingtian``), and a scope with
every qualifier of another plus more is narrower too. For one measure, place and time,
a narrower scope's figure is compared with the wider one's, without a check per pair.
"""

from __future__ import annotations

import itertools

from claimcheck.consistency.bounds import INF, Bounds, fmt_bounds
from claimcheck.consistency.groups import (
    Context,
    Item,
    Outcome,
    Scope,
    candidates,
    fmt_scope,
    time_cliques,
)
from claimcheck.consistency.registry import rule
from claimcheck.results import Finding, Status

CHECK = "consistency.scope"
_SHOWN = 6


@rule(CHECK)
def scope_nesting(ctx: Context) -> list[Outcome]:
    """A figure in a narrower scope is at most the figure in the scope it narrows.

    A scope narrows another when it is declared ``within`` it in the ledger's
    ``scopes`` (``fuzhou-only`` within ``fuzhou-and-qingtian``), or when it has every
    qualifier of the other and more. For the same measure, place and time, ``pass``
    when the narrower figure is at most the wider one for some value allowed (and
    says what that implies), ``fail`` when for none; disputed figures are judged for
    every candidate.
    """
    out: list[Outcome] = []
    by_mp: dict[tuple[str, str | None], dict[Scope, list[Item]]] = {}
    for (measure, place, scope), items in ctx.by_measure_place_scope.items():
        by_mp.setdefault((measure, place), {})[scope] = items
    for (measure, place), scopes in by_mp.items():
        if len(scopes) < 2:
            continue
        for small, wide in itertools.permutations(scopes, 2):
            if not ctx.narrower(small, wide):
                continue
            for group in time_cliques(scopes[small] + scopes[wide]):
                lows = [it for it in group if it.scope == small]
                highs = [it for it in group if it.scope == wide]
                if lows and highs:
                    out.append(_judge(ctx, measure, place, small, wide, lows, highs))
    return out


def _judge(
    ctx: Context,
    measure: str,
    place: str | None,
    small: Scope,
    wide: Scope,
    lows: list[Item],
    highs: list[Item],
) -> Outcome:
    when = min(lows + highs, key=lambda i: i.end - i.start).when
    left = _listed(lows)
    right = _listed(highs)
    text = (
        f"{measure} in {ctx.place_name(place)}, {when}: {fmt_scope(small)} {left} ≤ "
        f"{fmt_scope(wide)} {right}"
    )
    ids = tuple(it.id for it in lows + highs)
    pairs = [(a, b) for a in candidates(lows) for b in candidates(highs)]
    statuses = {_status(a.bounds, b.bounds) for a, b in pairs}
    why = f"{fmt_scope(small)} narrows {fmt_scope(wide)}: what it counts is counted there too"
    if len(statuses) > 1:
        told = "; ".join(
            f"{_status(a.bounds, b.bounds).value} with {a.label} ≤ {b.label}" for a, b in pairs
        )
        return Outcome(
            Finding(
                CHECK,
                Status.UNKNOWN,
                ids,
                f"{text}: depends on which figure is right",
                f"the figures disagree: {told}",
                measure=measure,
            )
        )
    status = statuses.pop()
    detail = why if status is Status.FAIL else None
    if len(pairs) > 1:
        detail = (
            f"the figures disagree; this {'holds' if status is Status.PASS else 'fails'} for each"
        )
    elif status is Status.PASS:
        a, b = pairs[0][0].bounds, pairs[0][1].bounds
        if not a.certainly_le(b):
            text += (
                f": holds if {fmt_scope(small)} is {fmt_bounds(a & Bounds(-INF, b.hi))} and "
                f"{fmt_scope(wide)} {fmt_bounds(b & Bounds(a.lo, INF))}"
            )
    return Outcome(
        Finding(CHECK, status, ids, text, detail, measure=measure),
        lows[0].path,  # pointed at only when it fails
    )


def _status(a: Bounds, b: Bounds) -> Status:
    return Status.PASS if a.possibly_le(b) else Status.FAIL


def _listed(items: list[Item]) -> str:
    """``193000 (a) = nearly 200000 (b)``; ``vs`` between figures that disagree."""
    joint = " vs " if len(candidates(items)) > 1 else " = "
    return joint.join(f"{it.value} ({it.id})" for it in items[:_SHOWN])
