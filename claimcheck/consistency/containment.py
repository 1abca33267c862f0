"""Rule 3, containment: a place holds at least what the places inside it hold.

For one measure, scope and time (a *slice*), the places with figures and the places
containing them form a tree. Each place's count is an interval; a place is at least the
sum of the nearest places with figures inside it (they are disjoint), and exactly that
sum when its claim says ``parts_complete``. Bounds then propagate both ways: up (a
place is at least its parts) and down (a part is at most its place minus its siblings,
and, when the parts are complete, at least its place minus the most its siblings can
hold). North America 4 (complete) = Canada + the United States; New York City 1 puts
the United States at 1, so Canada is at most 3; Toronto 3 puts Canada at least 3:
Canada is settled at 3, which agrees with "at least three".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claimcheck.consistency.bounds import (
    INF,
    NON_NEGATIVE,
    Bounds,
    fmt_bounds,
    fmt_number,
    intersect_all,
    total,
)
from claimcheck.consistency.groups import (
    Context,
    Item,
    Outcome,
    Scope,
    claim_span,
    common_span,
    fmt_scope,
    scope_key,
    time_cliques,
)
from claimcheck.consistency.registry import rule
from claimcheck.models import Claim
from claimcheck.results import Finding, Status

CHECK = "consistency.containment"
_SHOWN = 8
_RULE = "a place holds at least the sum of the disjoint places inside it"
_RULE_COMPLETE = _RULE + ", and exactly that sum when its parts are complete"


@dataclass(eq=False)
class Node:
    """A place in one slice: its own figures and what the tree implies."""

    place: str
    name: str
    """The place's name, for messages."""
    items: list[Item] = field(default_factory=list)
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    complete: bool = False
    stated: Bounds = NON_NEGATIVE
    lo: float = 0.0
    hi: float = INF
    why: Reason | None = None
    """How the down pass last narrowed this place."""

    @property
    def bounds(self) -> Bounds:
        """What the tree allows for this place."""
        return Bounds(self.lo, self.hi)

    @property
    def claimed(self) -> bool:
        """True when the slice has figures for this place."""
        return bool(self.items)


@dataclass(frozen=True, slots=True)
class Reason:
    """How the down pass narrowed a part, kept as numbers and worded only if reported.

    ``ceiling``: the part is at most its place's ceiling minus its siblings' floors;
    ``floor`` (complete parts): at least its place's floor minus its siblings' ceilings.
    """

    side: str
    place: Node
    value: float
    exact: bool
    """True when the place was settled at ``value`` then."""
    others: tuple[tuple[Node, float, bool], ...]
    """Each sibling with the bound of it used and whether it was settled then."""

    def text(self, sl: Slice) -> str:
        """``North America 4 (parts complete) − United States 1 (New York City 1)``."""
        ceiling = self.side == "ceiling"
        tag = " (parts complete)" if self.place.complete else ""
        out = f"{self.place.name} {_bound(self.value, self.exact, ceiling)}{tag}"
        for sib, v, exact in self.others:
            if v:
                out += (
                    f" − {sib.name} {_bound(v, exact, not ceiling)}{_origin(sl, sib, v, ceiling)}"
                )
        return out


def _bound(value: float, exact: bool, ceiling: bool) -> str:
    """A bound used in arithmetic: ``3`` when settled, else ``≤3`` or ``≥3``."""
    if exact:
        return fmt_number(value)
    return ("≤" if ceiling else "≥") + fmt_number(value)


def _origin(sl: Slice, sib: Node, value: float, ceiling: bool) -> str:
    """`` (New York City 1)``: the figures a place without its own figure was bounded by.

    Said only when the bound used is exactly what the place's parts add up to.
    """
    if sib.items:
        return ""
    parts = sl.parts(sib)
    if not parts:
        return ""
    # The part's floor was used for a ceiling, its ceiling for a floor.
    used = [p.lo if ceiling else p.hi for p in parts]
    if abs(sum(used) - value) > 1e-9 * max(1.0, abs(value)):
        return ""
    shown = " + ".join(f"{p.name} {fmt_bounds(p.bounds)}" for p in parts[:_SHOWN])
    more = f" + … {len(parts) - _SHOWN} more" if len(parts) > _SHOWN else ""
    return f" ({shown}{more})"


class Slice:
    """One measure, scope and time: the place tree with its figures."""

    def __init__(self, ctx: Context, measure: str, scope: Scope, items: Sequence[Item]) -> None:
        self.measure = measure
        self.scope = scope
        self.items = list(items)
        self.nodes: dict[str, Node] = {}
        self._ctx = ctx
        for it in self.items:
            if it.place is not None:
                self._node(it.place).items.append(it)
        for node in list(self.nodes.values()):
            if node.items:
                node.stated = intersect_all(it.bounds for it in node.items) & NON_NEGATIVE
                node.complete = any(it.claim.parts_complete for it in node.items)

    @property
    def when(self) -> str:
        """The time the slice's figures share, as written by its finest figure."""
        dated = [it for it in self.items if it.span is not None]
        if not dated:
            return "undated"
        return min(dated, key=lambda it: it.end - it.start).when

    def _node(self, place: str) -> Node:
        node = self.nodes.get(place)
        if node is not None:
            return node
        chain = self._ctx.ancestors(place)
        child: Node | None = None
        for pid in chain:
            existing = self.nodes.get(pid)
            cur = existing if existing is not None else Node(pid, self._ctx.place_name(pid))
            self.nodes[pid] = cur
            if child is not None and child.parent is None:
                child.parent = cur
                cur.children.append(child)
            if existing is not None:
                break
            child = cur
        return self.nodes[place]

    def add_place(self, place: str) -> Node:
        """Make sure ``place`` is in the tree (for a share claim about it)."""
        return self._node(place)

    def nested(self) -> bool:
        """True when some place with figures lies inside another place with figures."""
        for node in self.nodes.values():
            if node.items:
                up = node.parent
                while up is not None:
                    if up.items:
                        return True
                    up = up.parent
        return False

    def parts(self, node: Node) -> list[Node]:
        """The nearest places with figures inside ``node``: its disjoint parts."""
        out: list[Node] = []
        stack = list(reversed(node.children))
        while stack:
            cur = stack.pop()
            if cur.items:
                out.append(cur)
            else:
                stack.extend(reversed(cur.children))
        return out

    def roots(self) -> list[Node]:
        """Places not inside any other place of the tree."""
        return [n for n in self.nodes.values() if n.parent is None]

    def propagate(self) -> None:
        """Narrow every place's interval by the tree, up and down, to a fixed point."""
        order = self.preorder()
        for node in order:
            # An unfigured place under a complete one holds only its figured parts.
            if not node.items:
                up = node.parent
                while up is not None and not up.items:
                    up = up.parent
                node.complete = up is not None and up.complete
            node.lo, node.hi = node.stated.lo, node.stated.hi
        for _ in range(3):
            changed = False
            for node in reversed(order):
                changed |= _up(node)
            for node in order:
                changed |= _down(node)
            if not changed:
                break

    def preorder(self) -> list[Node]:
        """Every place of the tree, each before the places inside it."""
        out: list[Node] = []
        stack = self.roots()
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out


def _up(node: Node) -> bool:
    if not node.children:
        if node.complete and not node.items:
            # An unfigured place under complete parts with nothing inside holds none.
            changed = node.hi > 0
            node.hi = min(node.hi, 0.0)
            return changed
        return False
    s = total(c.bounds for c in node.children)
    lo = max(node.lo, s.lo)
    hi = min(node.hi, s.hi) if node.complete else node.hi
    changed = lo > node.lo or hi < node.hi
    node.lo, node.hi = lo, hi
    return changed


def _down(node: Node) -> bool:
    kids = node.children
    if not kids:
        return False
    sum_lo = sum(c.lo for c in kids)
    finite_hi = sum(c.hi for c in kids if not math.isinf(c.hi))
    infinite = sum(1 for c in kids if math.isinf(c.hi))
    changed = False
    for c in kids:
        # The sums were taken before this pass narrowed anything: subtract the values
        # they hold for ``c`` (using older, wider bounds of siblings is only cautious).
        lo_in_sum, hi_in_sum = c.lo, c.hi
        others_lo = sum_lo - lo_in_sum
        hi = node.hi - others_lo
        if hi < c.hi - 1e-9:
            c.hi = hi
            c.why = _why(node, c, kids, "ceiling")
            changed = True
        if node.complete:
            others_inf = infinite - (1 if math.isinf(hi_in_sum) else 0)
            if others_inf == 0:
                others_hi = finite_hi - (0.0 if math.isinf(hi_in_sum) else hi_in_sum)
                lo = node.lo - others_hi
                if lo > c.lo + 1e-9:
                    c.lo = lo
                    c.why = _why(node, c, kids, "floor")
                    changed = True
    return changed


def _why(node: Node, child: Node, kids: list[Node], side: str) -> Reason:
    """How ``child`` was narrowed by ``node`` and its siblings, with the bounds used."""
    if side == "ceiling":  # the part is at most its place minus its siblings' floors
        value = node.hi
        others = tuple((k, k.lo, k.bounds.exact) for k in kids if k is not child)
    else:  # complete parts: at least its place minus its siblings' ceilings
        value = node.lo
        others = tuple((k, k.hi, k.bounds.exact) for k in kids if k is not child)
    return Reason(side, node, value, node.bounds.exact, others)


def _groups(items: Sequence[Item]) -> list[list[Item]]:
    """The figures of each slice: sets sharing a day, then the undated ones."""
    groups = time_cliques(items)
    undated = [it for it in items if it.span is None]
    if undated:
        groups.append(undated)
    return groups


def slices(ctx: Context, measure: str, scope: Scope) -> list[Slice]:
    """The slices of one measure and scope: one per set of figures sharing a day."""
    items = ctx.by_measure_scope.get((measure, scope), [])
    return [Slice(ctx, measure, scope, g) for g in _groups(items)]


def _nested(ctx: Context, items: Iterable[Item]) -> bool:
    """True when some figure's place lies inside another figure's place.

    The same answer as :meth:`Slice.nested`, without building the tree: most slices of
    a large ledger are flat and need no tree at all.
    """
    places = {it.place for it in items if it.place is not None}
    if len(places) < 2:
        return False
    for place in places:
        for outer in ctx.ancestors(place)[1:]:
            if outer in places:
                return True
    return False


@rule(CHECK)
def containment(ctx: Context) -> list[Outcome]:
    """A place's figure is at least the sum of the disjoint places inside it.

    For one measure, scope and time, each place is compared with the outermost places
    with figures inside it (its parts): its figure must allow at least their sum, and
    exactly their sum when its claim says ``parts_complete``. Bounds then propagate
    through the place tree: a part is at most its place minus its siblings, and at
    least that when the parts are complete; a bound that becomes settled is reported.
    A ``share`` claim ("Europe is home to most of the stations") is checked against
    the bounds the tree gives its place and the place it is a share of, and is
    ``unknown`` when they cannot settle it.
    """
    out: list[Outcome] = []
    for (measure, scope), items in ctx.by_measure_scope.items():
        if not _nested(ctx, items):
            continue  # no place holds another at any time: no slice can be nested
        for group in _groups(items):
            if _nested(ctx, group):
                out.extend(_check_slice(Slice(ctx, measure, scope, group)))
    out.extend(_shares(ctx))
    return out


def _where(sl: Slice) -> str:
    scope = f", {fmt_scope(sl.scope)}" if sl.scope else ""
    return f"{sl.measure} ({sl.when}{scope})"


def _ids(nodes: Iterable[Node]) -> tuple[str, ...]:
    return tuple(it.id for n in nodes for it in n.items)


def _check_slice(sl: Slice) -> list[Outcome]:
    out: list[Outcome] = []
    if any(n.items and n.stated.empty for n in sl.nodes.values()):
        return out  # figures for one place disagree: agreement reports it
    # Bottom-up bounds of figured places from their figured parts only.
    below: dict[int, Bounds] = {}
    failed = False
    for node in reversed(sl.preorder()):
        if not node.items:
            continue
        parts = sl.parts(node)
        if not parts:
            below[id(node)] = node.stated
            continue
        sub = [_usable(below[id(p)], p) for p in parts]
        s = total(sub)
        mine = node.stated
        terms = " + ".join(
            f"{p.name} {fmt_bounds(b)}" for p, b in zip(parts[:_SHOWN], sub[:_SHOWN], strict=True)
        )
        if len(parts) > _SHOWN:
            terms += f" + … {len(parts) - _SHOWN} more"
        # One part is its own sum: "= sum" would only repeat it.
        summed = f"{terms} = {fmt_bounds(s)}" if len(parts) > 1 else terms
        lhs = f"{_where(sl)}: {node.name} {fmt_bounds(mine)}"
        ids = _ids([node, *parts])
        at = node.items[0].path
        if node.complete:
            ok = s.meets(mine)
            status = Status.PASS if ok else Status.FAIL
            rel = "=" if ok else "≠"
            msg = f"{lhs} {rel} {summed} (parts complete)"
            below[id(node)] = mine & s if ok else mine
        elif s.certainly_le(mine):
            status, msg = Status.PASS, f"{lhs} ≥ {summed}"
            below[id(node)] = mine
        elif not s.possibly_le(mine):
            status, msg = Status.FAIL, f"{lhs} < {summed}"
            below[id(node)] = mine
        else:
            # Consistent: the place's figure allows holding its parts (a place is
            # always at least its parts), which narrows it.
            narrowed = mine & Bounds(s.lo, INF)
            status, msg = Status.PASS, f"{lhs} ≥ {summed}"
            if narrowed != mine:  # say so only when it narrows: "holds 54 … 54" says nothing
                msg += (
                    f": {node.name} holds {fmt_bounds(narrowed)}, which agrees with "
                    f"{fmt_bounds(mine)}"
                )
            below[id(node)] = narrowed
        failed |= status is Status.FAIL
        out.append(
            Outcome(
                Finding(
                    CHECK,
                    status,
                    ids if status is not Status.FAIL else _ids([node, *_figured_below(node)]),
                    msg,
                    detail=(_RULE_COMPLETE if node.complete else _RULE)
                    if status is Status.FAIL
                    else None,
                    measure=sl.measure,
                ),
                at if status is Status.FAIL else None,
            )
        )
    if failed:
        return out
    sl.propagate()
    for node in sl.preorder():
        if node.lo > node.hi + 1e-9 * max(1.0, abs(node.hi)):
            up = node.parent
            while up is not None and not up.items:
                up = up.parent
            involved = [n for n in (up, node) if n is not None] + sl.parts(node)
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.FAIL,
                        _ids(involved),
                        f"{_where(sl)}: {node.name} would need ≥{fmt_number(node.lo)} "
                        f"and ≤{fmt_number(node.hi)}"
                        + (f" ({node.why.text(sl)})" if node.why else ""),
                        measure=sl.measure,
                    ),
                    (node.items or (up.items if up else []) or sl.items)[0].path,
                )
            )
            return out
    for node in sl.preorder():
        if node.items and node.why and node.bounds != node.stated:
            settled = node.bounds
            if not (settled.lo > node.stated.lo or settled.hi < node.stated.hi):
                continue
            up = node.parent
            while up is not None and not up.items:
                up = up.parent
            claims = ", ".join(f"{it.id} {it.value}" for it in node.items)
            verb = "settled at" if settled.exact else "narrowed to"
            out.append(
                Outcome(
                    Finding(
                        CHECK,
                        Status.PASS,
                        _ids([n for n in (node, up) if n is not None]),
                        f"{_where(sl)}: {node.name} is {verb} {fmt_bounds(settled)} by "
                        f"{node.why.text(sl)}, which agrees with {claims}",
                        measure=sl.measure,
                    )
                )
            )
    return out


def _figured_below(node: Node) -> list[Node]:
    """Every place with figures inside ``node``, at any depth: all a failure involves."""
    out: list[Node] = []
    stack = list(node.children)
    while stack:
        cur = stack.pop()
        if cur.items:
            out.append(cur)
        stack.extend(cur.children)
    return out


def _usable(b: Bounds, node: Node) -> Bounds:
    # A part whose own parts already failed is taken at its stated figure.
    return node.stated if b.empty else b


def _shares(ctx: Context) -> list[Outcome]:
    out: list[Outcome] = []
    cache: dict[tuple[str, Scope], list[Slice]] = {}
    for pos, claim in enumerate(ctx.loaded.ledger.claims):
        if claim.share is None or claim.measure is None or claim.place is None:
            continue
        if claim.share_of is None:
            continue
        out.append(_share(ctx, claim, pos, cache))
    return out


def _share(
    ctx: Context, claim: Claim, pos: int, cache: dict[tuple[str, Scope], list[Slice]]
) -> Outcome:
    assert claim.measure is not None and claim.place is not None and claim.share_of is not None
    measure, place, whole = claim.measure, claim.place, claim.share_of
    scope = scope_key(claim.scope)
    key = (measure, scope)
    if key not in cache:
        cache[key] = slices(ctx, measure, scope)
    span = claim_span(claim)
    chosen: Slice | None = None
    for sl in cache[key]:
        dated = [it for it in sl.items if it.span is not None]
        if span is not None and dated:
            first, last = common_span(dated)
            if not (first <= span.end.toordinal() and span.start.toordinal() <= last):
                continue
        if whole in sl.nodes:
            # A fresh tree: propagation with the extra places must not touch the cache.
            chosen = Slice(ctx, sl.measure, sl.scope, sl.items)
            break
    share = claim.share
    name, whole_name = ctx.place_name(place), ctx.place_name(whole)
    head = f"{claim.id}: {name} holds {share} of {measure} in {whole_name}"
    path = ("claims", pos, "share")
    if chosen is None:
        return Outcome(
            Finding(
                CHECK,
                Status.UNKNOWN,
                (claim.id,),
                f"{head}: no {measure} figure for {whole_name} or {name} "
                f"in scope {fmt_scope(scope)} at that time",
                measure=measure,
            )
        )
    chosen.add_place(place)
    chosen.add_place(whole)
    chosen.propagate()
    part, of = chosen.nodes[place].bounds, chosen.nodes[whole].bounds
    ids = (claim.id, *(it.id for it in chosen.items if it.place in (place, whole)))
    missing = [p for p in (place, whole) if not chosen.nodes[p].items]
    gap = f" (no {name} total is given)" if place in missing else ""
    if whole in missing:
        gap = f" (no {whole_name} total is given)"
    if share == "most":
        need = of.hi / 2
        arithmetic = (
            f"needs {name} > {fmt_number(need)} (half of {whole_name} {fmt_bounds(of)}); "
            f"the figures give {name} {fmt_bounds(part)}"
        )
        if part.lo > need and not math.isinf(need):
            status = Status.PASS
        elif part.hi <= of.lo / 2:
            status = Status.FAIL
        else:
            status = Status.UNKNOWN
    else:
        target = of.scale(0.5) if share == "half" else of
        arithmetic = (
            f"needs {name} = {fmt_bounds(target)}; the figures give {name} {fmt_bounds(part)}"
        )
        if not target.meets(part):
            status = Status.FAIL
        elif target.exact and part.exact:
            status = Status.PASS
        else:
            status = Status.UNKNOWN
    return Outcome(
        Finding(
            CHECK,
            status,
            ids,
            f"{head}: {arithmetic}{gap if status is Status.UNKNOWN else ''}",
            detail=f"{whole_name} {fmt_bounds(of)} and {name} {fmt_bounds(part)} after propagating "
            f"the figures of {_where(chosen)} through the place tree",
            measure=measure,
        ),
        path if status is Status.FAIL else None,
    )
