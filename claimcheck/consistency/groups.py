"""Index the ledger's figures once so that every rule compares claims within small groups.

No rule compares every claim with every other: claims are first grouped by measure,
place and scope, and within a group by time. Two claims are compared only when they
share a group and their times overlap. Times are spans of days (:mod:`claimcheck.dates`),
so a month overlaps each of its days.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from claimcheck.consistency.bounds import Bounds, bounds_of, fmt_bounds, fmt_value, intersect_all
from claimcheck.dates import Span
from claimcheck.loader import LoadedLedger
from claimcheck.models import Claim, Measure
from claimcheck.results import Finding
from claimcheck.sourcemap import JsonPath

Scope = tuple[str, ...]


def claim_span(claim: Claim) -> Span | None:
    """When a claim holds: its ``as_of``, else its ``date``, else its whole ``period``."""
    return claim.span()


def scope_key(scope: Iterable[str]) -> Scope:
    """A scope as a canonical key: the set of its slugs, sorted."""
    return tuple(sorted(set(scope)))


def fmt_scope(scope: Scope) -> str:
    """``first-batch`` or ``a+b``; ``no scope`` for the empty set."""
    return "+".join(scope) if scope else "no scope"


@dataclass(slots=True, eq=False)
class Item:
    """A claim with a figure, prepared for comparison."""

    id: str
    pos: int
    """Index of the claim in the ledger's ``claims`` list."""
    claim: Claim
    measure: str
    place: str | None
    scope: Scope
    span: Span | None
    start: int
    """First day of ``span`` as an ordinal (0 when undated)."""
    end: int
    bounds: Bounds
    flow: bool = False
    """A total over its ``period`` (a flow), not a count at a moment (a stock)."""

    @property
    def value(self) -> str:
        """The figure as the ledger states it: ``54``, ``≥54``."""
        assert self.claim.value is not None
        return fmt_value(self.claim.value, self.claim.bound)

    @property
    def when(self) -> str:
        """The claim's time as written, or ``undated``."""
        return self.span.text if self.span is not None else "undated"

    def label(self, *, scope: bool = True) -> str:
        """``30 (stations-first-batch, 2022-01-22, first-batch)`` for one-line arithmetic."""
        bits = [self.id, self.when]
        if scope and self.scope:
            bits.append(fmt_scope(self.scope))
        return f"{self.value} ({', '.join(bits)})"

    @property
    def path(self) -> JsonPath:
        """JSON path of the claim's figure, where a fault in it is pointed at."""
        return ("claims", self.pos, "value")


@dataclass(slots=True)
class Outcome:
    """A finding and where in the ledger it points (only fail and warn get located)."""

    finding: Finding
    path: JsonPath | None = None
    lead: bool = False
    """Shown first within its measure (the explanation of a measure's growth)."""


@dataclass
class Context:
    """The ledger and its figures indexed for the rules."""

    loaded: LoadedLedger
    items: list[Item] = field(default_factory=list)
    by_id: dict[str, Item] = field(default_factory=dict)
    _ancestors: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, loaded: LoadedLedger) -> Context:
        """Prepare every claim that has a measure and a figure."""
        ctx = cls(loaded)
        tolerance = {m.id: m.tolerance for m in ctx.measures.values()}
        # Many claims share a time and a scope: work each out once.
        times: dict[tuple[str | None, ...], tuple[Span | None, int, int]] = {}
        scopes: dict[tuple[str, ...], Scope] = {}
        items, by_id = ctx.items, ctx.by_id
        for pos, claim in enumerate(loaded.ledger.claims):
            if claim.measure is None or claim.value is None:
                continue
            period = claim.period
            key = (
                claim.as_of,
                claim.date,
                period.start if period is not None else None,
                period.end if period is not None else None,
            )
            when = times.get(key)
            if when is None:
                span = claim_span(claim)
                when = times[key] = (
                    (span, span.start.toordinal(), span.end.toordinal()) if span else (None, 0, 0)
                )
            written = tuple(claim.scope)
            scope = scopes.get(written)
            if scope is None:
                scope = scopes[written] = scope_key(written)
            item = Item(
                claim.id,
                pos,
                claim,
                claim.measure,
                claim.place,
                scope,
                when[0],
                when[1],
                when[2],
                bounds_of(claim.value, claim.bound, tolerance.get(claim.measure, 0.1)),
                period is not None and claim.as_of is None and claim.date is None,
            )
            items.append(item)
            by_id[claim.id] = item
        return ctx

    @cached_property
    def measures(self) -> dict[str, Measure]:
        """Measures by id."""
        return {m.id: m for m in self.loaded.ledger.measures}

    @cached_property
    def measure_order(self) -> dict[str, int]:
        """Position of each measure: declared ones first, then in order of first use."""
        order = {m: i for i, m in enumerate(self.measures)}
        for claim in self.loaded.ledger.claims:
            if claim.measure is not None and claim.measure not in order:
                order[claim.measure] = len(order)
        return order

    @cached_property
    def by_measure_place_scope(self) -> dict[tuple[str, str | None, Scope], list[Item]]:
        """Figures of one quantity: same measure, place and scope."""
        out: dict[tuple[str, str | None, Scope], list[Item]] = defaultdict(list)
        for it in self.items:
            out[(it.measure, it.place, it.scope)].append(it)
        return dict(out)

    @cached_property
    def by_measure_place(self) -> dict[tuple[str, str | None], list[Item]]:
        """A measure's figures for one place, whatever their scope: its time series."""
        out: dict[tuple[str, str | None], list[Item]] = defaultdict(list)
        for it in self.items:
            out[(it.measure, it.place)].append(it)
        return dict(out)

    @cached_property
    def by_measure_scope(self) -> dict[tuple[str, Scope], list[Item]]:
        """A measure's figures in one scope, over every place."""
        out: dict[tuple[str, Scope], list[Item]] = defaultdict(list)
        for it in self.items:
            out[(it.measure, it.scope)].append(it)
        return dict(out)

    @cached_property
    def check_paths(self) -> dict[str, JsonPath]:
        """JSON path of each explicit check, by id."""
        return {c.id: ("checks", i) for i, c in enumerate(self.loaded.ledger.checks)}

    @cached_property
    def place_names(self) -> dict[str, str]:
        """Each place's name for messages, as the tables show it.

        Two places sharing a name (``Springfield``) are told apart by their ids:
        ``Springfield (springfield-il)``.
        """
        places = self.loaded.ledger.places
        uses = Counter(p.name.casefold() for p in places)
        return {
            p.id: p.name if uses[p.name.casefold()] == 1 else f"{p.name} ({p.id})" for p in places
        }

    def place_name(self, place: str | None) -> str:
        """The name of a place for messages; ``no place`` for none, the id if unknown."""
        if place is None:
            return "no place"
        return self.place_names.get(place, place)

    @cached_property
    def scope_parents(self) -> dict[str, str | None]:
        """Each declared scope's wider scope."""
        return {s.id: s.within for s in self.loaded.ledger.scopes}

    def narrower(self, small: Scope, wide: Scope) -> bool:
        """True when every figure in scope ``small`` is also counted in scope ``wide``.

        Each qualifier of ``wide`` must be in ``small`` or declared wider than one of
        its qualifiers; an empty ``wide`` (no qualifier written) is never compared.
        """
        if small == wide or not wide:
            return False
        covered: set[str] = set()
        for slug in small:
            cur: str | None = slug
            seen = 0
            while cur is not None and seen < 64:
                covered.add(cur)
                cur = self.scope_parents.get(cur)
                seen += 1
        return all(w in covered for w in wide)

    @cached_property
    def disputes(self) -> dict[str, list[Candidate]]:
        """For each figure whose quantity is disputed, the candidates for that quantity.

        Figures of one measure, place, scope and time that share no value are in
        dispute; the agreement rule reports them, and every other rule judges each
        candidate (see :func:`candidates`).
        """
        out: dict[str, list[Candidate]] = {}
        for items in self.by_measure_place_scope.values():
            if len(items) < 2:
                continue
            for group in time_cliques(items):
                cands = candidates(group)
                if len(cands) > 1:
                    for it in group:
                        out.setdefault(it.id, cands)
        return out

    def ancestors(self, place: str) -> list[str]:
        """The place and the places containing it, innermost first (cached)."""
        found = self._ancestors.get(place)
        if found is None:
            found = self._ancestors[place] = self.loaded.ancestors(place)
        return found


_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One figure a disputed quantity may have, and the claims that give it."""

    bounds: Bounds
    ids: tuple[str, ...]
    label: str = field(init=False, compare=False)
    """``54 (stations-total)``."""
    members: frozenset[str] = field(init=False, compare=False, repr=False)
    """The ids as a set: every check naming a disputed claim asks whether a candidate
    gives it, and a candidate may gather thousands of claims."""

    def __post_init__(self) -> None:
        more = "…" if len(self.ids) > 3 else ""
        label = f"{fmt_bounds(self.bounds)} ({', '.join(self.ids[:3])}{more})"
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "members", frozenset(self.ids))


def candidates(items: Sequence[Item]) -> list[Candidate]:
    """The values a quantity may have, given its figures: one when they agree.

    When the figures share values, that is the one candidate. When they do not, each
    largest set of figures that agree with each other is a candidate, taking the values
    they share: 54, "at least 54" and 53 give two candidates, 54 (the first two) and 53.
    """
    shared = intersect_all(it.bounds for it in items)
    if not shared.empty:
        return [Candidate(shared, tuple(it.id for it in items))]
    distinct: dict[Bounds, list[str]] = {}
    for it in items:
        distinct.setdefault(it.bounds, []).append(it.id)
    keys = sorted(distinct, key=lambda b: (b.lo, b.lo_open, b.hi, b.hi_open))
    if len(keys) > 64:  # bounded cost: the widest spread of figures stands for all
        keys = [*keys[:32], *keys[-32:]]
    # For each figure, the largest set around it that shares a value, added to in
    # order (a figure left out could not share a value with those already in, and
    # adding more only narrows what they share): every figure is in some candidate.
    found: dict[frozenset[int], Bounds] = {}
    for k, first in enumerate(keys):
        members, common = {k}, first
        for j, b in enumerate(keys):
            if j != k and common.meets(b):
                members.add(j)
                common = common & b
        found.setdefault(frozenset(members), common)
    out: list[Candidate] = []
    for clique, common in found.items():
        if any(clique < other for other in found):
            continue
        ids = tuple(x for i in sorted(clique) for x in distinct[keys[i]])
        out.append(Candidate(common, ids))
    return out


def time_cliques(items: Sequence[Item]) -> list[list[Item]]:
    """Split dated figures into the largest sets whose times all share a day.

    Every two figures whose times overlap end up together in at least one set (their
    overlap contains the earlier of their two last days, and a set is formed at every
    such day). A figure may belong to several sets when its time is coarse. Undated
    figures are left out. Sorting makes this ``O(n log n + total size of the sets)``.
    """
    dated = [it for it in items if it.span is not None]
    if any(it.flow for it in dated):
        # A total over a period is another quantity than one over another period and
        # than a count at a moment: flows are grouped by their exact period.
        periods: dict[tuple[int, int], list[Item]] = {}
        stocks = []
        for it in dated:
            if it.flow:
                periods.setdefault((it.start, it.end), []).append(it)
            else:
                stocks.append(it)
        return [*time_cliques(stocks), *periods.values()]
    if len(dated) <= 1:
        return [dated] if dated else []
    first = dated[0]
    if all(it.start == first.start and it.end == first.end for it in dated):
        return [dated]  # one time for all (the common case): one set
    by_start = sorted(dated, key=_START)
    ends = sorted({it.end for it in dated})
    active: list[tuple[int, int, Item]] = []
    out: list[list[Item]] = []
    j = 0
    n = len(by_start)
    for day in ends:
        added = False
        while j < n and by_start[j].start <= day:
            heapq.heappush(active, (by_start[j].end, j, by_start[j]))
            j += 1
            added = True
        while active and active[0][0] < day:
            heapq.heappop(active)
        # The set at this day is maximal iff a figure joined since the previous day:
        # otherwise it is contained in the previous day's set.
        if added:
            out.append([entry[2] for entry in sorted(active, key=lambda e: e[1])])
    return out


def common_span(items: Sequence[Item]) -> tuple[int, int]:
    """The days every figure's time covers, as ordinals ``(first, last)``."""
    return max(it.start for it in items), min(it.end for it in items)
