"""Filter and tabulate claims and sources: the data behind ``claims`` and ``sources``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from claimcheck.dates import parse_span
from claimcheck.loader import LoadedLedger
from claimcheck.models import Claim, Source, claim_record
from claimcheck.results import Listing
from claimcheck.wording import plural

BOUND_SIGN = {
    "exact": "",
    "at_least": "≥ ",
    "at_most": "≤ ",
    "approx": "≈ ",
    "more_than": "> ",
    "fewer_than": "< ",
    "nearly": "nearly ",
}


def format_value(claim: Claim) -> str:
    """``54``, ``≥ 3``, ``≈ 5``, ``230,000``, ``most``, ``≈ 14%``; empty without a figure."""
    sign = BOUND_SIGN.get(claim.bound, "")
    if claim.value is None:
        if claim.percent is not None:
            return f"{sign}{_number(claim.percent)}%"
        return claim.share or ""
    return sign + _number(claim.value)


def _number(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,}"


@dataclass(frozen=True)
class ClaimFilter:
    """What ``claimcheck claims`` keeps; every given criterion must hold."""

    source: str | None = None
    measure: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    said_by: str | None = None


class FilterError(ValueError):
    """A filter names something the ledger does not have, or a bad date."""


def _check_known(value: str | None, known: set[str], what: str) -> None:
    if value is not None and value not in known:
        names = sorted(known)
        hint = ", ".join(names[:12]) + (f", … ({len(names)} in all)" if len(names) > 12 else "")
        raise FilterError(f"no {what} {value!r} in the ledger (known: {hint})")


def select_claims(loaded: LoadedLedger, flt: ClaimFilter) -> list[Claim]:
    """The claims that pass ``flt``; a place includes every place inside it.

    With ``since``/``until``, a claim is kept when its time overlaps the range, and
    claims without a time are left out. Raises :class:`FilterError` for unknown ids.
    """
    led = loaded.ledger
    _check_known(flt.source, set(loaded.sources), "source")
    _check_known(flt.measure, {m.id for m in led.measures}, "measure")
    _check_known(flt.place, set(loaded.places), "place")
    _check_known(flt.said_by, {p.id for p in led.parties}, "party")
    try:
        lo = parse_span(flt.since).start if flt.since else None
        hi = parse_span(flt.until).end if flt.until else None
    except ValueError as err:
        raise FilterError(str(err)) from None
    if lo is not None and hi is not None and hi < lo:
        raise FilterError(f"--until {flt.until} is before --since {flt.since}")
    inside: set[str] | None = None
    if flt.place is not None:
        inside = {p for p in loaded.places if flt.place in loaded.ancestors(p)}
    out: list[Claim] = []
    for c in led.claims:
        if flt.kind is not None and c.kind != flt.kind:
            continue
        if flt.measure is not None and c.measure != flt.measure:
            continue
        if flt.source is not None and flt.source not in c.sources:
            continue
        if flt.said_by is not None and flt.said_by not in c.said_by:
            continue
        if inside is not None and c.place not in inside:
            continue
        if lo is not None or hi is not None:
            span = c.span()
            if span is None:
                continue
            if lo is not None and span.end < lo:
                continue
            if hi is not None and span.start > hi:
                continue
        out.append(c)
    return out


def claims_listing(loaded: LoadedLedger, claims: list[Claim], time_series: bool = False) -> Listing:
    """A table of ``claims``; with ``time_series``, ordered by place, scope and time."""
    if time_series:
        depths = {p: len(loaded.ancestors(p)) for p in loaded.places}

        # Outer places first, then each place's figures in date order.
        def key(c: Claim) -> tuple[int, str, str, str]:
            span = c.span()
            depth = depths.get(c.place, 0) if c.place else 0
            when = span.start.isoformat() if span else ""
            return (depth, c.place or "", when, ",".join(c.scope))

        claims = sorted(claims, key=key)
    places = loaded.places
    rows: list[list[str]] = []
    for c in claims:
        when = c.when() or ""
        place = places[c.place].name if c.place else ""
        rows.append(
            [
                c.id,
                c.kind,
                format_value(c),
                c.measure or "",
                place,
                when,
                ", ".join(c.scope),
                ", ".join(c.sources),
            ]
        )
    return Listing(
        title=plural(len(claims), "claim"),
        columns=["id", "kind", "value", "measure", "place", "when", "scope", "sources"],
        rows=rows,
        make_records=lambda: [claim_record(c) | {"id": c.id} for c in claims],
    )


def sources_listing(loaded: LoadedLedger) -> Listing:
    """A table of sources with how many claims rest on each and its URL."""
    counts: Counter[str] = Counter()
    for c in loaded.ledger.claims:
        counts.update(set(c.sources))
    rows: list[list[str]] = []
    no_url = 0
    for s in loaded.ledger.sources:
        if not s.url:
            no_url += 1
        rows.append(
            [
                s.id,
                str(counts[s.id]),
                s.published or "",
                s.url or "— no URL established",
                s.title + (f" ({s.publisher})" if s.publisher else ""),
            ]
        )
    note = f"{plural(no_url, 'source')} without a URL: no link to check" if no_url else None
    return Listing(
        title=plural(len(rows), "source"),
        columns=["id", "claims", "published", "url", "title"],
        rows=rows,
        make_records=lambda: [
            _source_record(s) | {"claims": counts[s.id]} for s in loaded.ledger.sources
        ],
        note=note,
        name="sources",
    )


def _source_record(s: Source) -> dict[str, object]:
    return s.model_dump(mode="json", exclude_none=True) | {"url": s.url}
