"""A measure's time series, for the ``claims`` table."""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.consistency.groups import claim_span, scope_key
from claimcheck.loader import LoadedLedger
from claimcheck.models import Claim


@dataclass(frozen=True)
class Series:
    """The figures of one measure for one place and scope, in date order."""

    measure: str
    place: str | None
    scope: tuple[str, ...]
    claims: tuple[Claim, ...]
    """Dated claims in date order (earliest first), then undated ones in ledger order."""


def time_series(loaded: LoadedLedger, measure: str) -> list[Series]:
    """For each (place, scope) of ``measure``, its claims in date order.

    Series come in the order their first claim appears in the ledger. Claims with the
    same date keep their ledger order; a coarser date (``2022-09``) sorts before a
    finer one it contains (``2022-09-12``), since it starts no later.
    """
    groups: dict[tuple[str | None, tuple[str, ...]], list[tuple[int, Claim]]] = {}
    for pos, claim in enumerate(loaded.ledger.claims):
        if claim.measure != measure:
            continue
        groups.setdefault((claim.place, scope_key(claim.scope)), []).append((pos, claim))
    out: list[Series] = []
    for (place, scope), members in groups.items():
        dated: list[tuple[tuple[int, int, int], Claim]] = []
        undated: list[Claim] = []
        for pos, claim in members:
            span = claim_span(claim)
            if span is None:
                undated.append(claim)
            else:
                dated.append(((span.start.toordinal(), span.end.toordinal(), pos), claim))
        dated.sort(key=lambda pair: pair[0])
        out.append(Series(measure, place, scope, (*(c for _, c in dated), *undated)))
    return out
