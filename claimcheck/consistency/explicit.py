"""Rule 6, explicit checks written in the ledger's ``checks``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from claimcheck.consistency.bounds import Bounds, bounds_of, fmt_bounds, total
from claimcheck.consistency.groups import Candidate, Context, Outcome, claim_span
from claimcheck.consistency.registry import rule
from claimcheck.models import BeforeCheck, Claim, CompareCheck, CountOfCheck, SumCheck
from claimcheck.results import Finding, Status
from claimcheck.sourcemap import JsonPath


def _bounds(ctx: Context, claim: Claim) -> Bounds | None:
    item = ctx.by_id.get(claim.id)
    if item is not None:
        return item.bounds
    if claim.value is None:
        return None
    return bounds_of(claim.value, claim.bound)


def _value(ctx: Context, cid: str) -> str:
    item = ctx.by_id.get(cid)
    return item.value if item is not None else "?"


def _emit(
    name: str, status: Status, ids: tuple[str, ...], msg: str, path: JsonPath, measure: str | None
) -> Outcome:
    return Outcome(
        Finding(name, status, ids, msg, measure=measure),
        path if status in (Status.FAIL, Status.WARN) else None,
    )


def _missing(ctx: Context, ids: list[str]) -> list[str]:
    claims = ctx.loaded.claims
    return [i for i in ids if i not in claims or claims[i].value is None]


@rule("check.sum", "explicit")
def sum_check(ctx: Context) -> list[Outcome]:
    """``sum``: a total equals the sum of its parts.

    The parts' intervals add up (``30 + ≥20`` is ``≥50``); the check passes when that sum
    and the total's interval share a value: ``30 + 24 = 54`` and ``30 + 24 = ≥54`` pass,
    ``30 + 20 = 54`` fails. A part or total without a figure leaves it ``unknown``.
    """
    out: list[Outcome] = []
    claims = ctx.loaded.claims
    for check in ctx.loaded.ledger.checks:
        if not isinstance(check, SumCheck):
            continue
        ids = (*check.parts, check.total)
        path = ctx.check_paths[check.id]
        tot = claims.get(check.total)
        measure = tot.measure if tot else None
        missing = _missing(ctx, list(ids))
        if missing or tot is None:
            out.append(
                _emit(
                    "check.sum",
                    Status.UNKNOWN,
                    ids,
                    f"{check.id}: {', '.join(missing)} "
                    f"{'has' if len(missing) == 1 else 'have'} no figure to add",
                    path,
                    measure,
                )
            )
            continue
        parts = [_bounds(ctx, claims[p]) for p in check.parts]
        whole = _bounds(ctx, tot)
        assert whole is not None and all(p is not None for p in parts)
        s = total(p for p in parts if p is not None)
        arithmetic = " + ".join(f"{_value(ctx, p)} ({p})" for p in check.parts)
        ok = s.meets(whole)
        note = _disputed_sum(ctx, check, parts, whole)
        if note is not None and note[0] is None:
            out.append(
                _emit(
                    "check.sum",
                    Status.UNKNOWN,
                    ids,
                    f"{check.id}: {arithmetic} = "
                    f"{_value(ctx, check.total)} ({check.total}): depends on which "
                    f"figure is right ({note[1]})",
                    path,
                    measure,
                )
            )
            continue
        stated = f"{_value(ctx, check.total)} ({check.total})"
        if ok and s.exact:
            msg = f"{check.id}: {arithmetic} = {stated}"
        elif ok:
            msg = f"{check.id}: {arithmetic} = {fmt_bounds(s)}, which agrees with {stated}"
        else:
            msg = f"{check.id}: {arithmetic} = {fmt_bounds(s)} ≠ {stated}"
        if note is not None:
            msg += f" (the inputs are disputed; the same for each: {note[1]})"
        out.append(_emit("check.sum", Status.PASS if ok else Status.FAIL, ids, msg, path, measure))
    return out


def _disputed_sum(
    ctx: Context, check: SumCheck, parts: list[Bounds | None], whole: Bounds
) -> tuple[bool | None, str] | None:
    """None when no input is disputed; else the verdict every candidate gives (None if
    they differ) and how each candidate fares."""
    ids = [*check.parts, check.total]
    if not any(i in ctx.disputes for i in ids):
        return None
    own = [*parts, whole]
    choices = [_choices(ctx, i, b, ids) for i, b in zip(ids, own, strict=True) if b is not None]
    runs = []
    for combo in itertools.islice(itertools.product(*choices), 64):
        ok = total(c.bounds for c in combo[:-1]).meets(combo[-1].bounds)
        runs.append((ok, " + ".join(c.label for c in combo[:-1]) + f" = {combo[-1].label}"))
    verdicts = {ok for ok, _ in runs}
    told = "; ".join(f"{'pass' if ok else 'fail'} with {t}" for ok, t in runs[:8])
    return (verdicts.pop() if len(verdicts) == 1 else None), told


@rule("check.before", "explicit")
def before_check(ctx: Context) -> list[Outcome]:
    """``before``: one dated claim precedes another.

    Each claim's time is its ``as_of``, ``date`` or whole ``period``, as a span of days.
    The check passes when the first span ends before the second starts, fails when the
    first cannot precede the second at all, and is ``unknown`` when precision leaves
    both orders open (``2022-09`` against ``2022-09-12``).
    """
    out: list[Outcome] = []
    claims = ctx.loaded.claims
    for check in ctx.loaded.ledger.checks:
        if not isinstance(check, BeforeCheck):
            continue
        ids = (check.first, check.then)
        path = ctx.check_paths[check.id]
        first, then = claims.get(check.first), claims.get(check.then)
        a = claim_span(first) if first else None
        b = claim_span(then) if then else None
        measure = (first.measure if first else None) or (then.measure if then else None)
        if a is None or b is None:
            lacking = check.first if a is None else check.then
            out.append(
                _emit(
                    "check.before",
                    Status.UNKNOWN,
                    ids,
                    f"{check.id}: {lacking} has no date to compare",
                    path,
                    measure,
                )
            )
            continue
        text = f"{check.id}: {check.first} ({a}) before {check.then} ({b})"
        if a.before(b):
            status, msg = Status.PASS, text
        elif a.start >= b.end:
            status, msg = Status.FAIL, f"{text}: {a} is not before {b}"
        else:
            status, msg = Status.UNKNOWN, f"{text}: the dates overlap at this precision"
        out.append(_emit("check.before", status, ids, msg, path, measure))
    return out


@rule("check.count_of", "explicit")
def count_of_check(ctx: Context) -> list[Outcome]:
    """``count_of``: a stated count equals the number of listed claims.

    "Five revelations" with five item claims passes; with four it fails. The count's
    bound applies: "at least three types" passes with three or more items.
    """
    out: list[Outcome] = []
    claims = ctx.loaded.claims
    for check in ctx.loaded.ledger.checks:
        if not isinstance(check, CountOfCheck):
            continue
        ids = (check.count, *check.items)
        path = ctx.check_paths[check.id]
        count = claims.get(check.count)
        measure = count.measure if count else None
        b = _bounds(ctx, count) if count else None
        if b is None:
            out.append(
                _emit(
                    "check.count_of",
                    Status.UNKNOWN,
                    ids,
                    f"{check.id}: {check.count} states no count",
                    path,
                    measure,
                )
            )
            continue
        n = len(dict.fromkeys(check.items))
        ok = b.contains(n)
        stated = _value(ctx, check.count)
        rel = "=" if ok else "≠"
        msg = f"{check.id}: {n} listed {rel} {stated} ({check.count})"
        out.append(
            _emit("check.count_of", Status.PASS if ok else Status.FAIL, ids, msg, path, measure)
        )
    return out


def _compare(ctx: Context, kind: str) -> list[Outcome]:
    out: list[Outcome] = []
    claims = ctx.loaded.claims
    name = f"check.{kind}"
    sign = {"at_most": "≤", "at_least": "≥", "equal": "="}[kind]
    for check in ctx.loaded.ledger.checks:
        if not isinstance(check, CompareCheck) or check.kind != kind:
            continue
        ids = (check.left, check.right)
        path = ctx.check_paths[check.id]
        left, right = claims.get(check.left), claims.get(check.right)
        measure = left.measure if left else None
        a = _bounds(ctx, left) if left else None
        b = _bounds(ctx, right) if right else None
        if a is None and b is None and left is not None and right is not None:
            dated = _compare_dates(check.id, kind, left, right)
            if dated is not None:
                status, msg = dated
                out.append(_emit(name, status, ids, msg, path, measure))
                continue
        if a is None or b is None:
            lacking = check.left if a is None else check.right
            out.append(
                _emit(
                    name, Status.UNKNOWN, ids, f"{check.id}: {lacking} has no figure", path, measure
                )
            )
            continue
        text = (
            f"{check.id}: {_value(ctx, check.left)} ({check.left}) {sign} "
            f"{_value(ctx, check.right)} ({check.right})"
        )
        runs = [
            (ca, cb, _compared(kind, ca.bounds, cb.bounds))
            for ca in _choices(ctx, check.left, a, ids)
            for cb in _choices(ctx, check.right, b, ids)
        ]
        statuses = {r[2] for r in runs}
        suffix = {
            Status.PASS: "",
            Status.FAIL: ": it does not hold",
            Status.UNKNOWN: ": the bounds allow it and its opposite",
        }
        if len(runs) == 1:
            status = runs[0][2]
            out.append(_emit(name, status, ids, text + suffix[status], path, measure))
            continue
        told = "; ".join(f"{r[2].value} with {r[0].label} {sign} {r[1].label}" for r in runs[:8])
        if len(statuses) == 1:
            status = statuses.pop()
            msg = f"{text}{suffix[status]} (the inputs are disputed; the same for each: {told})"
        else:
            status = Status.UNKNOWN
            msg = f"{text}: depends on which figure is right ({told})"
        out.append(_emit(name, status, ids, msg, path, measure))
    return out


def _choices(ctx: Context, cid: str, own: Bounds, named: Sequence[str] = ()) -> list[Candidate]:
    """The claim's own figure, then every other candidate of its disputed quantity.

    When the check names two claims of one disputed quantity, it is about those very
    figures: only their own are used.
    """
    mine = Candidate(own, (cid,))
    dispute = ctx.disputes.get(cid)
    if dispute is None or any(ctx.disputes.get(o) is dispute for o in named if o != cid):
        return [mine]
    return [mine, *(c for c in dispute if cid not in c.members)]


def _compared(kind: str, a: Bounds, b: Bounds) -> Status:
    if kind == "equal":
        return Status.PASS if a.meets(b) else Status.FAIL
    lo, hi = (a, b) if kind == "at_most" else (b, a)
    if lo.certainly_le(hi):
        return Status.PASS
    if not lo.possibly_le(hi):
        return Status.FAIL
    return Status.UNKNOWN


def _compare_dates(cid: str, kind: str, left: Claim, right: Claim) -> tuple[Status, str] | None:
    """``equal``, ``at_most``, ``at_least`` between two dated claims, as spans of days."""
    a, b = claim_span(left), claim_span(right)
    if a is None or b is None:
        return None
    sign = {"at_most": "no later than", "at_least": "no earlier than", "equal": "on the day of"}
    text = f"{cid}: {left.id} ({a}) {sign[kind]} {right.id} ({b})"
    if kind == "equal":
        if not a.overlaps(b):
            return Status.FAIL, f"{text}: the dates share no day"
        return Status.PASS, f"{text}: the dates share a day"
    early, late = (a, b) if kind == "at_most" else (b, a)
    if early.end <= late.start:
        return Status.PASS, text
    if early.start > late.end:
        return Status.FAIL, f"{text}: it does not hold"
    return Status.UNKNOWN, f"{text}: the dates overlap at this precision"


@rule("check.at_most", "explicit")
def at_most_check(ctx: Context) -> list[Outcome]:
    """``at_most``: the left claim's figure is no more than the right one's.

    ``pass`` when certain for every value the bounds allow, ``fail`` when impossible,
    ``unknown`` when the bounds allow both (``≥3`` against ``≥5``).
    """
    return _compare(ctx, "at_most")


@rule("check.at_least", "explicit")
def at_least_check(ctx: Context) -> list[Outcome]:
    """``at_least``: the left claim's figure is no less than the right one's.

    ``pass`` when certain for every value the bounds allow, ``fail`` when impossible,
    ``unknown`` when the bounds allow both.
    """
    return _compare(ctx, "at_least")


@rule("check.equal", "explicit")
def equal_check(ctx: Context) -> list[Outcome]:
    """``equal``: two claims state the same figure.

    Like agreement, the bounds must share a value: ``≥54`` equals ``54``.
    """
    return _compare(ctx, "equal")
