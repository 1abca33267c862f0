"""Rule 5, time: claims are no later than their sources; periods start before they end."""

from __future__ import annotations

from claimcheck.consistency.groups import Context, Outcome
from claimcheck.consistency.registry import rule
from claimcheck.dates import DateError, Span, parse_span
from claimcheck.models import Claim
from claimcheck.results import Finding, Status
from claimcheck.sourcemap import JsonPath
from claimcheck.wording import plural

CHECK = "consistency.time"
_SHOWN = 5


def _dated_fields(claim: Claim) -> list[tuple[str, Span]]:
    """The latest time each date field of a claim states: as_of, date, a period's end."""
    out: list[tuple[str, Span]] = []
    try:
        if claim.as_of is not None:
            out.append(("as_of", parse_span(claim.as_of)))
        if claim.date is not None:
            out.append(("date", parse_span(claim.date)))
        if claim.period is not None:
            out.append(("period", parse_span(claim.period.end)))
    except DateError:
        return []
    return out


@rule(CHECK)
def timing(ctx: Context) -> list[Outcome]:
    """A claim is dated no later than each source reporting it; a period starts before it ends.

    Dates are spans of days, so precision is respected: a claim as of ``2022-09`` can
    lie no later than a source published ``2022-09-12`` (the month starts before it).
    For a period, its end is compared with the source. A ``scheduled`` claim (an
    announced date such as a law taking effect later) is exempt. A source without a
    ``published`` date leaves its claims ``unknown``. A period whose start falls after
    its end fails; one whose start and end are too coarse to order is ``unknown``.
    """
    out: list[Outcome] = []
    claims = ctx.loaded.ledger.claims
    by_source: dict[str, list[int]] = {}
    for pos, claim in enumerate(claims):
        if claim.as_of is None and claim.date is None and claim.period is None:
            continue
        for sid in claim.sources:
            by_source.setdefault(sid, []).append(pos)
    for source in ctx.loaded.ledger.sources:
        positions = by_source.get(source.id)
        if not positions:
            continue
        if source.published is None:
            ids = tuple(claims[p].id for p in positions)
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.UNKNOWN,
                        ids,
                        f"source {source.id} has no publication date: "
                        f"{plural(len(ids), 'dated claim')} cannot be checked against it "
                        f"({_list(ids)})",
                    )
                )
            )
            continue
        pub = parse_span(source.published)
        checked: list[str] = []
        scheduled: list[str] = []
        latest: tuple[Span, str] | None = None
        for pos in positions:
            claim = claims[pos]
            if claim.scheduled:
                scheduled.append(claim.id)
                continue
            late = False
            for name, span in _dated_fields(claim):
                if not span.not_after(pub):
                    late = True
                    path: JsonPath = ("claims", pos, name)
                    if name == "period":
                        path = (*path, "end")
                    out.append(
                        Outcome(
                            Finding(
                                CHECK,
                                Status.FAIL,
                                (claim.id,),
                                f"{claim.id} is dated {span} ({name}) but its source "
                                f"{source.id} was published {pub}: a source cannot report "
                                "what had not happened",
                                detail="if the date was announced ahead, mark the claim "
                                "'scheduled'",
                                measure=claim.measure,
                            ),
                            path,
                        )
                    )
                elif latest is None or span.start > latest[0].start:
                    latest = (span, claim.id)
            if not late:
                checked.append(claim.id)
        if checked or scheduled:
            tail = f"; latest {latest[1]} ({latest[0]})" if latest else ""
            sched = f"; scheduled, exempt: {_list(tuple(scheduled))}" if scheduled else ""
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.PASS,
                        (*checked, *scheduled),
                        f"{plural(len(checked), 'claim')} dated no later than source {source.id} "
                        f"(published {pub}){tail}{sched}",
                    )
                )
            )
    out.extend(_periods(ctx))
    return out


def _periods(ctx: Context) -> list[Outcome]:
    out: list[Outcome] = []
    for pos, claim in enumerate(ctx.loaded.ledger.claims):
        if claim.period is None or claim.period.start == claim.period.end:
            continue  # a period of one day, month or year cannot end before it starts
        try:
            start, end = parse_span(claim.period.start), parse_span(claim.period.end)
        except DateError:
            continue
        text = f"{claim.id}: period {start} to {end}"
        if start.start > end.end:
            status, msg = Status.FAIL, f"{text} starts after it ends"
        elif start.start <= end.start and start.end <= end.end:
            status, msg = Status.PASS, f"{text}: the start precedes the end"
        else:
            status, msg = Status.UNKNOWN, f"{text}: too coarse to tell which comes first"
        out.append(
            Outcome(
                Finding(CHECK, status, (claim.id,), msg, measure=claim.measure),
                ("claims", pos, "period", "start") if status is Status.FAIL else None,
            )
        )
    return out


def _list(ids: tuple[str, ...]) -> str:
    more = f", … {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else ""
    return ", ".join(ids[:_SHOWN]) + more
