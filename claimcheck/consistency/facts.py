"""Rule: claims giving one subject's property different values at overlapping times."""

from __future__ import annotations

import math

from claimcheck.consistency.groups import Context, Outcome, claim_span
from claimcheck.consistency.registry import rule
from claimcheck.dates import Span
from claimcheck.results import Finding, Status

CHECK = "consistency.fact"
Stated = tuple[int, str, str, Span | None]
"""Position, claim id, value as written, time."""


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


@rule(CHECK)
def facts(ctx: Context) -> list[Outcome]:
    """Two claims giving one subject's property different values must not overlap in time.

    A claim's ``attribute`` states that a ``property`` of a ``subject`` has a
    ``value`` ("nationality" of "wang-x" is "Chinese"). Values are compared without
    case or extra spaces. A claim with no time holds at every time; claims whose times
    do not overlap may differ (a change over time), and the finding says so.
    """
    groups: dict[tuple[str, str], list[Stated]] = {}
    for pos, claim in enumerate(ctx.loaded.ledger.claims):
        attr = claim.attribute
        if attr is not None:
            groups.setdefault((attr.subject, attr.property), []).append(
                (pos, claim.id, attr.value, claim_span(claim))
            )
    out: list[Outcome] = []
    for (subject, prop), stated in groups.items():
        if len(stated) < 2:
            continue
        by_value: dict[str, list[Stated]] = {}
        for s in stated:
            by_value.setdefault(_norm(s[2]), []).append(s)
        ids = tuple(s[1] for s in stated)
        head = f"{prop} of {subject}"
        if len(by_value) == 1:
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.PASS,
                        ids,
                        f"{head}: {len(stated)} claims agree on “{stated[0][2]}”",
                    )
                )
            )
            continue
        clash = _clash(list(by_value.values()))
        if clash is None:
            listed = "; ".join(
                f"“{g[0][2]}” ({', '.join(s[1] for s in g[:3])}, {g[0][3]})"
                for g in by_value.values()
            )
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.PASS,
                        ids,
                        f"{head}: the values differ only at different times: {listed}",
                    )
                )
            )
            continue
        a, b = clash
        if a[3] is None and b[3] is None:
            when = " (neither gives a time, so both hold at every time)"
        else:
            when = f" (at overlapping times: {a[3] or 'every time'} and {b[3] or 'every time'})"
        out.append(
            Outcome(
                Finding(
                    CHECK,
                    Status.FAIL,
                    (a[1], b[1]),
                    f"{head}: “{a[2]}” ({a[1]}) contradicts “{b[2]}” ({b[1]}){when}",
                    detail="a property of a subject has one value at a time; correct a "
                    "value, a time, or the subject",
                ),
                ("claims", b[0], "attribute", "value"),
            )
        )
    return out


def _clash(groups: list[list[Stated]]) -> tuple[Stated, Stated] | None:
    """Two claims with different values whose times overlap, if any (the one from the
    value stated first comes first).

    One sweep over the claims by start day. A claim overlaps an earlier one iff it starts
    by that one's end; it is enough to compare it with the latest-ending earlier claim:
    while no clash is found, earlier claims of different values do not overlap, so one of
    another value that reaches this claim would end after that latest-ending claim's start
    and so overlap it, or itself be the latest-ending. A claim without a time spans every
    day.
    """
    order = sorted(
        ((_days(s[3]), g, s) for g, stated in enumerate(groups) for s in stated),
        key=lambda e: e[0][0],
    )
    latest: tuple[float, int, Stated] | None = None
    """(end, value group, claim) of the latest-ending claim so far."""
    for (start, end), g, s in order:
        if latest is not None and latest[1] != g and latest[0] >= start:
            return (latest[2], s) if latest[1] < g else (s, latest[2])
        if latest is None or end > latest[0]:
            latest = (end, g, s)
    return None


def _days(span: Span | None) -> tuple[float, float]:
    if span is None:
        return -math.inf, math.inf
    return span.start.toordinal(), span.end.toordinal()
