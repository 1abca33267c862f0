"""Rule: claims dating one event agree on its date, at the precision each gives."""

from __future__ import annotations

from claimcheck.consistency.groups import Context, Outcome, claim_span
from claimcheck.consistency.registry import rule
from claimcheck.dates import Span
from claimcheck.results import Finding, Status

CHECK = "consistency.event"
_SHOWN = 6


@rule(CHECK)
def event_dates(ctx: Context) -> list[Outcome]:
    """Claims naming the same ``event`` must give it dates that share a day.

    Each date is the span of days it covers, so "September 2022" agrees with
    12 September 2022, while 12 and 13 September do not, nor September and October.
    ``pass`` names the day or span every date allows; ``fail`` names the two claims
    whose dates cannot both be right.
    """
    groups: dict[str, list[tuple[int, str, Span]]] = {}
    for pos, claim in enumerate(ctx.loaded.ledger.claims):
        if claim.event is None:
            continue
        span = claim_span(claim)
        if span is not None:
            groups.setdefault(claim.event, []).append((pos, claim.id, span))
    out: list[Outcome] = []
    for event, dated in groups.items():
        if len(dated) < 2:
            continue
        # Spans on a line that overlap pairwise share a day: the latest start and the
        # earliest end decide.
        latest = max(dated, key=lambda d: d[2].start)
        earliest = min(dated, key=lambda d: d[2].end)
        ids = tuple(d[1] for d in dated)
        listed = ", ".join(f"{d[2]} ({d[1]})" for d in dated[:_SHOWN])
        if len(dated) > _SHOWN:
            listed += f" and {len(dated) - _SHOWN} more"
        if latest[2].start <= earliest[2].end:
            first, last = latest[2].start, earliest[2].end
            common = first.isoformat() if first == last else f"{first} to {last}"
            out.append(
                Outcome(Finding(CHECK, Status.PASS, ids, f"{event}: {listed} agree on {common}"))
            )
            continue
        out.append(
            Outcome(
                Finding(
                    CHECK,
                    Status.FAIL,
                    (earliest[1], latest[1]),
                    f"{event}: {earliest[2]} ({earliest[1]}) contradicts {latest[2]} "
                    f"({latest[1]}): the dates share no day",
                    detail=f"every claim naming the event {event!r} dates one event: {listed}",
                ),
                ("claims", latest[0], _field(ctx, latest[0])),
            )
        )
    return out


def _field(ctx: Context, pos: int) -> str:
    claim = ctx.loaded.ledger.claims[pos]
    return "date" if claim.date is not None else "as_of" if claim.as_of is not None else "period"
