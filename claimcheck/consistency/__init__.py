"""The consistency engine: which claims agree, which contradict, which cannot be settled.

:func:`check_consistency` runs every rule of :data:`RULES` over a loaded ledger and
returns :class:`~claimcheck.results.Finding` objects grouped by measure. Rules compare
figures as intervals (:mod:`.bounds`) within groups of the same measure, place, scope
and overlapping time (:mod:`.groups`), never all pairs of the ledger.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

from claimcheck.consistency import (  # noqa: F401  (importing registers the rules)
    agreement,
    containment,
    events,
    evolution,
    explicit,
    facts,
    flows,
    nesting,
    relations,
    timing,
)
from claimcheck.consistency.bounds import Bounds, bounds_of
from claimcheck.consistency.groups import Context, Outcome
from claimcheck.consistency.registry import RULES, Rule
from claimcheck.consistency.series import Series, time_series
from claimcheck.loader import LoadedLedger
from claimcheck.results import Finding, Status

__all__ = [
    "RULES",
    "Bounds",
    "Rule",
    "Series",
    "bounds_of",
    "check_consistency",
    "time_series",
]

# The order rules are reported in within a measure.
_ORDER = (
    "consistency.evolution",
    "consistency.agreement",
    "consistency.containment",
    "consistency.flow",
    "consistency.scope",
    "consistency.relation",
    "check.sum",
    "check.count_of",
    "check.at_most",
    "check.at_least",
    "check.equal",
    "check.before",
    "consistency.event",
    "consistency.fact",
    "consistency.time",
)

# Run and list the rules in report order, whatever order their modules were imported in.
for _name in sorted(RULES, key=lambda n: _ORDER.index(n) if n in _ORDER else len(_ORDER)):
    RULES[_name] = RULES.pop(_name)


def check_consistency(loaded: LoadedLedger, rules: Iterable[str] | None = None) -> list[Finding]:
    """Run the consistency rules (all, or those named in ``rules``) over a ledger.

    Findings come grouped by measure: measures whose growth a sum check explains first
    (the explanation leading), then the others in the order the ledger declares them,
    then findings about no measure (dates, sources). Within a measure, findings follow
    the order of :data:`RULES`. Failed and warned findings carry the ``file:line:col``
    of the claim or check at fault.

    Raises ``KeyError`` for an unknown rule name.
    """
    names = list(RULES) if rules is None else list(rules)
    for name in names:
        if name not in RULES:
            raise KeyError(f"unknown consistency rule {name!r}; known: {', '.join(RULES)}")
    # The engine allocates many small objects that live until it returns; the cyclic
    # garbage collector would rescan the ledger's 100,000s of objects again and again
    # (half the time on a large ledger) while finding nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        ctx = Context.build(loaded)
        outcomes: list[Outcome] = []
        for name in names:
            outcomes.extend(RULES[name].run(ctx))
        return _locate(loaded, _ordered(ctx, outcomes))
    finally:
        if collecting:
            gc.enable()


def _ordered(ctx: Context, outcomes: list[Outcome]) -> list[Outcome]:
    rank = {name: i for i, name in enumerate(_ORDER)}
    measure_rank = ctx.measure_order
    leading = {o.finding.measure for o in outcomes if o.lead}
    none_rank = len(measure_rank) + 1

    def key(pair: tuple[int, Outcome]) -> tuple[int, int, int, int, int]:
        i, o = pair
        m = o.finding.measure
        base = measure_rank.get(m, none_rank - 1) if m is not None else none_rank
        return (
            0 if m in leading else 1,
            base,
            0 if o.lead else 1,
            rank.get(o.finding.check, len(rank)),
            i,
        )

    return [o for _, o in sorted(enumerate(outcomes), key=key)]


def _locate(loaded: LoadedLedger, outcomes: list[Outcome]) -> list[Finding]:
    # One scan of the ledger's text for every location needed, and only for findings
    # someone must act on.
    wanted = [
        (i, o.path)
        for i, o in enumerate(outcomes)
        if o.path is not None and o.finding.status in (Status.FAIL, Status.WARN)
    ]
    found = loaded.locate([p for _, p in wanted]) if wanted else []
    where = {i: loc for (i, _), loc in zip(wanted, found, strict=True)}
    out: list[Finding] = []
    for i, o in enumerate(outcomes):
        f = o.finding
        if i in where:
            f = Finding(f.check, f.status, f.claims, f.message, f.detail, where[i], f.measure)
        out.append(f)
    return out
