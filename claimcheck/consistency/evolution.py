"""Rule 2, evolution: a measure's figures for one place, in date order."""

from __future__ import annotations

from claimcheck.consistency.bounds import fmt_number, total
from claimcheck.consistency.groups import Context, Item, Outcome, fmt_scope
from claimcheck.consistency.registry import rule
from claimcheck.models import SumCheck
from claimcheck.results import Finding, Status

CHECK = "consistency.evolution"
_SHOWN = 8


@rule(CHECK)
def evolution(ctx: Context) -> list[Outcome]:
    """The same measure and place at different dates form a time series.

    The series is reported in date order, naming each figure's date and scope. For a
    measure declared ``cumulative`` (a running total), a later figure smaller than an
    earlier one in the same scope fails. Figures in different scopes are not compared
    (a "further 24" is not a running total), but when a ``sum`` check links an earlier
    figure to a later total in another scope, the growth is explained in numbers:
    30 (first batch) + a further 24 = 54 is growth in time and scope, not a contradiction.
    """
    out = _growth(ctx)
    for (measure, place), items in ctx.by_measure_place.items():
        dated = sorted(
            (it for it in items if it.span is not None), key=lambda it: (it.start, it.end, it.pos)
        )
        if len({(it.start, it.end) for it in dated}) < 2:
            continue
        m = ctx.measures.get(measure)
        cumulative = m is not None and m.cumulative
        name = ctx.place_name(place)
        series = _series_text(measure, name, dated)
        falls = _falls(dated) if cumulative else []
        for earlier, later in falls:
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.FAIL,
                        (earlier.id, later.id),
                        f"{measure} in {name} falls: {earlier.label()} then "
                        f"{later.label()}: a running total cannot fall from "
                        f"{fmt_number(earlier.bounds.lo)} to {later.value}",
                        detail=f"{measure} is declared cumulative. {series}",
                        measure=measure,
                    ),
                    later.path,
                )
            )
        if not falls:
            kind = "cumulative, never falls" if cumulative else "not cumulative"
            scopes = sorted({it.scope for it in dated})
            note = (
                f"; scopes differ ({', '.join(fmt_scope(s) for s in scopes)}), "
                "compared within each scope"
                if len(scopes) > 1
                else ""
            )
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.PASS,
                        tuple(it.id for it in dated),
                        f"{series} ({kind}{note})",
                        measure=measure,
                    )
                )
            )
    return out


def _series_text(measure: str, place: str, dated: list[Item]) -> str:
    shown = " → ".join(it.label() for it in dated[:_SHOWN])
    more = f" → … {len(dated) - _SHOWN} more" if len(dated) > _SHOWN else ""
    return f"{measure} in {place}, in date order: {shown}{more}"


def _falls(dated: list[Item]) -> list[tuple[Item, Item]]:
    """Pairs (earlier, later) in one scope where the later figure is below the earlier."""
    by_scope: dict[tuple[str, ...], list[Item]] = {}
    for it in dated:
        if not it.flow:  # totals over periods are not a running total's readings
            by_scope.setdefault(it.scope, []).append(it)
    out: list[tuple[Item, Item]] = []
    for items in by_scope.values():
        by_end = sorted(items, key=lambda it: it.end)
        k = 0
        best: Item | None = None
        # ``items`` is in start order: everything ending before a figure starts is
        # strictly earlier; keep the highest floor among them.
        for later in items:
            while k < len(by_end) and by_end[k].end < later.start:
                cand = by_end[k]
                if best is None or cand.bounds.lo > best.bounds.lo:
                    best = cand
                k += 1
            if best is not None and not best.bounds.possibly_le(later.bounds):
                out.append((best, later))
    return out


def _growth(ctx: Context) -> list[Outcome]:
    """Explain a cumulative total that a sum check links to earlier or narrower figures."""
    out: list[Outcome] = []
    for check in ctx.loaded.ledger.checks:
        if not isinstance(check, SumCheck):
            continue
        tot = ctx.by_id.get(check.total)
        parts = [ctx.by_id.get(p) for p in check.parts]
        if tot is None or tot.span is None or any(p is None for p in parts):
            continue
        m = ctx.measures.get(tot.measure)
        if m is None or not m.cumulative:
            continue
        known = sorted((p for p in parts if p is not None), key=lambda it: (it.start, it.pos))
        first = known[0]
        if first.span is None:
            continue
        earlier = first.span.before(tot.span)
        wider = first.scope != tot.scope
        if not (earlier or wider):
            continue
        what = " and ".join(w for w, on in (("date", earlier), ("scope", wider)) if on)
        kind = " and ".join(w for w, on in (("time", earlier), ("scope", wider)) if on)
        summed = total(p.bounds for p in known)
        arithmetic = " + a further ".join(p.value for p in known)
        head = f"{tot.measure}: {_short(first)} and {_short(tot)} differ in {what}"
        ids = (*(p.id for p in known), tot.id)
        if summed.meets(tot.bounds):
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.PASS,
                        ids,
                        f"{head}: growth in {kind}, not a contradiction: "
                        f"{arithmetic} = {tot.value}",
                        detail=f"the sum check {check.id!r} links "
                        + " + ".join(p.label() for p in known)
                        + f" = {tot.label()}",
                        measure=tot.measure,
                    ),
                    lead=True,
                )
            )
        else:
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.FAIL,
                        ids,
                        f"{head}, but {arithmetic} = {summed}, not {tot.value}: "
                        "the growth is not accounted for",
                        detail=f"the sum check {check.id!r} should link them",
                        measure=tot.measure,
                    ),
                    ctx.check_paths.get(check.id),
                    lead=True,
                )
            )
    return out


def _short(it: Item) -> str:
    bits = [it.when] + ([fmt_scope(it.scope)] if it.scope else [])
    return f"{it.value} ({', '.join(bits)})"
