"""Rule: totals over periods (flows) against totals over the periods inside them.

A count with a ``period`` is a flow: "1,421 returned in 2020" and "more than 10,000
returned from 2014 to 2021" are totals over different periods, so different
quantities, never a contradiction by themselves. Counts are never negative, so a total
over a sub-period cannot exceed the total over a period enclosing it; and totals over
disjoint sub-periods that fill a period add up to it, as places add up to the place
that holds them. Counts ``as_of`` a moment (stocks) are not flows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from claimcheck.consistency.bounds import Bounds, fmt_bounds, total
from claimcheck.consistency.groups import Candidate, Context, Item, Outcome, candidates, fmt_scope
from claimcheck.consistency.registry import rule
from claimcheck.results import Finding, Status

CHECK = "consistency.flow"
_MAX_COMBOS = 64
_SHOWN = 8

Period = tuple[int, int]


@rule(CHECK)
def flow(ctx: Context) -> list[Outcome]:
    """A total over a period is at least the totals over disjoint periods inside it.

    For one measure, place and scope, each total over a period (a claim with
    ``period``) is compared with the outermost totals over periods inside it: when
    those are disjoint they add up to at most the enclosing total, and exactly to it
    when they fill the period day for day (2021-01/2021-06 and 2021-07/2021-12 fill
    2021); when they overlap each other, each is compared on its own. Disputed totals
    are judged for every candidate.
    """
    out: list[Outcome] = []
    for (measure, place, scope), items in ctx.by_measure_place_scope.items():
        flows = [it for it in items if it.flow]
        if len(flows) < 2:
            continue
        by_period: dict[Period, list[Item]] = {}
        for it in flows:
            by_period.setdefault((it.start, it.end), []).append(it)
        if len(by_period) < 2:
            continue
        periods = sorted(by_period, key=lambda p: (p[0], -p[1]))
        where = ctx.place_name(place) + (f", {fmt_scope(scope)}" if scope else "")
        for outer in periods:
            inner = [p for p in periods if p != outer and outer[0] <= p[0] and p[1] <= outer[1]]
            if not inner:
                continue
            top = _outermost(inner)
            disjoint = all(a[1] < b[0] for a, b in itertools.pairwise(top))
            if disjoint:
                out.append(_judge(measure, where, by_period, outer, top))
            else:
                out.extend(_judge(measure, where, by_period, outer, [p]) for p in top)
    return out


def _outermost(periods: list[Period]) -> list[Period]:
    """The periods not inside another of them, in start order (one sweep)."""
    out: list[Period] = []
    reach = 0  # day ordinals start at 1 (0001-01-01)
    # By start, the longest first: a period is inside an earlier one iff it ends no
    # later than the furthest end seen so far.
    for p in sorted(periods, key=lambda p: (p[0], -p[1])):
        if p[1] > reach:
            out.append(p)
            reach = p[1]
    return out


def _fills(outer: Period, parts: Sequence[Period]) -> bool:
    if parts[0][0] != outer[0] or parts[-1][1] != outer[1]:
        return False
    return all(b[0] == a[1] + 1 for a, b in itertools.pairwise(parts))


def _when(items: list[Item]) -> str:
    claim = items[0].claim
    assert claim.period is not None
    if claim.period.start == claim.period.end:
        return claim.period.start
    return f"{claim.period.start} to {claim.period.end}"


def _values(items: list[Item]) -> str:
    """``570557`` when the figures agree, ``570557 vs 420000`` when they are disputed."""
    shown = list(dict.fromkeys(it.value for it in items))
    joint = " vs " if len(candidates(items)) > 1 else " = "
    return joint.join(shown[:3]) + (" …" if len(shown) > 3 else "")


def _judge(
    measure: str,
    where: str,
    by_period: dict[Period, list[Item]],
    outer: Period,
    parts: list[Period],
) -> Outcome:
    complete = _fills(outer, parts)
    whole_items = by_period[outer]
    part_items = [by_period[p] for p in parts]
    whole_c = candidates(whole_items)
    part_c = [candidates(items) for items in part_items]
    ids = tuple(it.id for it in whole_items) + tuple(it.id for g in part_items for it in g)
    terms = " + ".join(f"{_when(g)} {_values(g)}" for g in part_items[:_SHOWN])
    if len(part_items) > _SHOWN:
        terms += f" + … {len(part_items) - _SHOWN} more"
    rel = "=" if complete else "≥"
    text = f"{measure} in {where}: {_when(whole_items)} {_values(whole_items)} {rel} {terms}"
    if complete:
        text += " (the periods fill it)"
    combos = list(itertools.islice(itertools.product(whole_c, *part_c), _MAX_COMBOS + 1))
    verdicts = [(c, _verdict(c[0].bounds, [p.bounds for p in c[1:]], complete)) for c in combos]
    statuses = {v for _, v in verdicts}
    disputed = len(combos) > 1
    rule_text = (
        "totals over disjoint periods that fill a period add up to it"
        if complete
        else "a total over a period is at least the totals over disjoint periods inside it"
    )
    if len(combos) > _MAX_COMBOS or len(statuses) > 1:
        told = "; ".join(f"{v.value} with {_told(c)}" for c, v in verdicts[:_SHOWN])
        return Outcome(
            Finding(
                CHECK,
                Status.UNKNOWN,
                ids,
                f"{text}: depends on which figure is right",
                detail=f"the figures of one period disagree: {told}",
                measure=measure,
            )
        )
    status = verdicts[0][1]
    summed = total(p.bounds for p in combos[0][1:])
    if not disputed:
        text += f" = {fmt_bounds(summed)}" if len(parts) > 1 else ""
    detail = rule_text if status is Status.FAIL else None
    if disputed:
        verb = "holds" if status is Status.PASS else "fails"
        detail = f"the figures of one period disagree; this {verb} for each of " + "; ".join(
            _told(c) for c, _ in verdicts[:_SHOWN]
        )
    return Outcome(
        Finding(CHECK, status, ids, text, detail=detail, measure=measure),
        whole_items[0].path,  # pointed at only when it fails
    )


def _told(combo: tuple[Candidate, ...]) -> str:
    return ", ".join(c.label for c in combo)


def _verdict(whole: Bounds, parts: list[Bounds], complete: bool) -> Status:
    s = total(parts)
    if complete:
        return Status.PASS if s.meets(whole) else Status.FAIL
    return Status.PASS if s.possibly_le(whole) else Status.FAIL
