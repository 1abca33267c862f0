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

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from claimcheck.consistency.bounds import (
    INF,
    NON_NEGATIVE,
    Bounds,
    bounds_of,
    fmt_bounds,
    fmt_number,
    fmt_value,
    intersect_all,
    total,
)
from claimcheck.consistency.groups import (
    Context,
    Item,
    Outcome,
    Scope,
    candidates,
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
        self.ctx = ctx
        for it in self.items:
            if it.place is not None:
                self._node(it.place).items.append(it)
        for node in list(self.nodes.values()):
            if node.items:
                node.stated = intersect_all(it.bounds for it in node.items) & NON_NEGATIVE
                node.complete = any(it.claim.parts_complete for it in node.items)
        for node in self.nodes.values():
            # Complete parts that are not in this slice (another time or scope) say
            # nothing here: the place holds whatever its figure says, not zero.
            if node.complete and not self.parts(node):
                node.complete = False

    @cached_property
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
            node.why = None
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


Key = tuple[str, str]
Keyed = list[tuple[Key, Outcome]]
_MAX_COMBOS = 64


@dataclass(frozen=True, slots=True)
class _Share:
    """A share claim to judge in a slice."""

    pos: int
    claim: Claim


@rule(CHECK)
def containment(ctx: Context) -> list[Outcome]:
    """A place's figure is at least the sum of the disjoint places inside it.

    For one measure, scope and time, each place is compared with the outermost places
    with figures inside it (its parts): its figure must allow at least their sum, and
    exactly their sum when its claim says ``parts_complete``. Bounds then propagate
    through the place tree: a part is at most its place minus its siblings, and at
    least that when the parts are complete; a bound that becomes settled is reported.
    Share claims ("Europe is home to most of the stations", "60% of them are in
    Europe", "Italy has the most") are checked against the bounds the tree gives their
    places, and are ``unknown`` when those cannot settle them. Where a place's figures
    disagree, every candidate figure is tried: a verdict the same for each is given
    (with a note), and one that depends on the candidate is ``unknown`` and says so.
    """
    out: list[Outcome] = []
    pending: dict[tuple[str, Scope], list[_Share]] = {}
    for pos, claim in enumerate(ctx.loaded.ledger.claims):
        if _is_share(claim):
            assert claim.measure is not None
            pending.setdefault((claim.measure, scope_key(claim.scope)), []).append(
                _Share(pos, claim)
            )
    for (measure, scope), items in ctx.by_measure_scope.items():
        shares = pending.pop((measure, scope), [])
        if not shares and not _nested(ctx, items):
            continue  # no place holds another at any time: no slice can be nested
        groups = _groups(items)
        assigned: list[list[_Share]] = [[] for _ in groups]
        covers: dict[int, tuple[set[str], tuple[int, int] | None]] = {}
        for sh in shares:
            gi = _slice_for(ctx, sh.claim, groups, covers)
            if gi is None:
                out.append(_no_slice(ctx, sh.claim))
            else:
                assigned[gi].append(sh)
        for group, mine in zip(groups, assigned, strict=True):
            if mine or _nested(ctx, group):
                out.extend(_judge(Slice(ctx, measure, scope, group), mine))
    for shares in pending.values():
        out.extend(_no_slice(ctx, sh.claim) for sh in shares)
    return out


def _is_share(claim: Claim) -> bool:
    if claim.measure is None or claim.place is None:
        return False
    if claim.share == "plurality":
        return True
    return (claim.share is not None or claim.percent is not None) and claim.share_of is not None


def _slice_for(
    ctx: Context,
    claim: Claim,
    groups: list[list[Item]],
    covers: dict[int, tuple[set[str], tuple[int, int] | None]],
) -> int | None:
    """The first slice whose time overlaps the claim's and that holds what it compares."""
    span = claim_span(claim)
    assert claim.place is not None
    if claim.share == "plurality":
        parent = ctx.loaded.places[claim.place].within  # the loader checked the id
        needed = parent if parent is not None else claim.place
    else:
        assert claim.share_of is not None
        needed = claim.share_of
    for gi, group in enumerate(groups):
        cover = covers.get(gi)
        if cover is None:
            # Worked out once per slice, not once per share claim.
            dated = [it for it in group if it.span is not None]
            places = {a for it in group if it.place is not None for a in ctx.ancestors(it.place)}
            cover = covers[gi] = (places, common_span(dated) if dated else None)
        places, common = cover
        if span is not None and common is not None:
            first, last = common
            if not (first <= span.end.toordinal() and span.start.toordinal() <= last):
                continue
        if needed in places:
            return gi
    return None


def _no_slice(ctx: Context, claim: Claim) -> Outcome:
    assert claim.measure is not None
    scope = scope_key(claim.scope)
    whole = claim.share_of
    names = ctx.place_name(claim.place) + (f" or {ctx.place_name(whole)}" if whole else "")
    where = f" in scope {fmt_scope(scope)}" if scope else ""
    return Outcome(
        Finding(
            CHECK,
            Status.UNKNOWN,
            (claim.id,),
            f"{_head(ctx, claim)}: no {claim.measure} figure for {names}{where} at that time",
            measure=claim.measure,
        )
    )


def _judge(sl: Slice, shares: list[_Share]) -> list[Outcome]:
    """The slice's outcomes, judged for every candidate figure of its disputed places."""
    for sh in shares:
        assert sh.claim.place is not None
        sl.add_place(sh.claim.place)
        if sh.claim.share_of is not None:
            sl.add_place(sh.claim.share_of)
    disputed = [
        (node, candidates(node.items))
        for node in sl.nodes.values()
        if node.items and node.stated.empty
    ]
    if not disputed:
        return [o for _, o in _evaluate(sl, shares)]
    combos = list(itertools.islice(itertools.product(*(c for _, c in disputed)), _MAX_COMBOS + 1))
    if len(combos) > _MAX_COMBOS:
        names = ", ".join(n.name for n, _ in disputed[:_SHOWN])
        return [
            Outcome(
                Finding(
                    CHECK,
                    Status.UNKNOWN,
                    _ids(n for n, _ in disputed),
                    f"{_where(sl)}: not judged: the figures of {names} disagree in more than "
                    f"{_MAX_COMBOS} combinations",
                    detail="agreement reports each disagreement; settle them to judge this slice",
                    measure=sl.measure,
                )
            )
        ]
    runs: list[tuple[str, dict[Key, Outcome]]] = []
    for combo in combos:
        for (node, _), cand in zip(disputed, combo, strict=True):
            node.stated = cand.bounds & NON_NEGATIVE
        told = "; ".join(f"{n.name} {c.label}" for (n, _), c in zip(disputed, combo, strict=True))
        runs.append((told, dict(_evaluate(sl, shares))))
    dispute = "; ".join(
        f"{n.name}'s figures disagree ({', '.join(c.label for c in cands)})"
        for n, cands in disputed
    )
    return _merge(runs, dispute)


def _merge(runs: list[tuple[str, dict[Key, Outcome]]], dispute: str) -> list[Outcome]:
    """One outcome per key: the verdict every candidate gives, else ``unknown`` and why."""
    keys: dict[Key, None] = {}
    for _, res in runs:
        keys.update(dict.fromkeys(res))
    out: list[Outcome] = []
    for key in keys:
        found = [(told, res.get(key)) for told, res in runs]
        present = [o for _, o in found if o is not None]
        statuses = {o.finding.status for o in present}
        first = present[0]
        f = first.finding
        same = len({o.finding.message for o in present}) == 1
        if (
            len(present) == len(found)
            and len(statuses) == 1
            and (same or Status.UNKNOWN not in statuses)
        ):
            verb = {Status.PASS: "holds", Status.FAIL: "fails"}.get(f.status, "is the same")
            detail = f"{dispute}: this {verb} for each" + (f"; {f.detail}" if f.detail else "")
            out.append(
                Outcome(
                    Finding(f.check, f.status, f.claims, f.message, detail, None, f.measure),
                    first.path,
                    first.lead,
                )
            )
            continue
        if key[0] == "settled":
            continue  # a narrowing that only some candidates give is no finding
        # Show the failing candidate's arithmetic, else one that could be judged.
        shown = max(
            present,
            key=lambda o: (o.finding.status is Status.FAIL, "not judged" not in o.finding.message),
        )
        verdicts = "; ".join(
            f"{o.finding.status.value if o is not None else 'nothing to judge'} with {told}"
            for told, o in found
        )
        sf = shown.finding
        out.append(
            Outcome(
                Finding(
                    sf.check,
                    Status.UNKNOWN,
                    sf.claims,
                    sf.message
                    if sf.status is Status.UNKNOWN
                    else f"{sf.message}: depends on which figure is right",
                    f"{dispute}: {verdicts}",
                    None,
                    sf.measure,
                )
            )
        )
    return out


def _evaluate(sl: Slice, shares: list[_Share]) -> Keyed:
    """Every outcome of one slice with its figures as they stand, keyed across candidates."""
    out: Keyed = []
    failed = _parts(sl, out)
    sl.propagate()
    if not failed:
        _tree(sl, out)
    # A tree whose figures contradict each other bounds nothing: shares are not judged.
    broken = failed or any(n.bounds.empty for n in sl.nodes.values())
    for sh in shares:
        out.append((("share", sh.claim.id), _unjudged(sl, sh) if broken else _share(sl, sh)))
    return out


def _unjudged(sl: Slice, sh: _Share) -> Outcome:
    claim = sh.claim
    return Outcome(
        Finding(
            CHECK,
            Status.UNKNOWN,
            (claim.id,),
            f"{_head(sl.ctx, claim)}: not judged: the figures of {_where(sl)} contradict "
            "each other",
            detail="the containment failure of this slice says which",
            measure=claim.measure,
        )
    )


def _parts(sl: Slice, out: Keyed) -> bool:
    """Each figured place against the sum of its parts; True when one fails."""
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
            narrowed = mine & Bounds(s.lo, INF, s.lo_open)
            status, msg = Status.PASS, f"{lhs} ≥ {summed}"
            if narrowed != mine:  # say so only when it narrows: "holds 54 … 54" says nothing
                msg += (
                    f": {node.name} holds {fmt_bounds(narrowed)}, which agrees with "
                    f"{fmt_bounds(mine)}"
                )
            below[id(node)] = narrowed
        failed |= status is Status.FAIL
        outcome = Outcome(
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
        out.append((("parts", node.place), outcome))
    return failed


def _tree(sl: Slice, out: Keyed) -> None:
    """After propagation: a place the tree cannot fit fails; a settled figure is told."""
    for node in sl.preorder():
        if node.bounds.empty:
            up = _figured_parent(node)
            involved = [n for n in (up, node) if n is not None] + sl.parts(node)
            outcome = Outcome(
                Finding(
                    CHECK,
                    Status.FAIL,
                    _ids(involved),
                    f"{_where(sl)}: {node.name} would need ≥{fmt_number(node.lo)} "
                    f"and ≤{fmt_number(node.hi)}" + (f" ({node.why.text(sl)})" if node.why else ""),
                    measure=sl.measure,
                ),
                (node.items or (up.items if up else []) or sl.items)[0].path,
            )
            out.append((("tree", ""), outcome))
            return
    for node in sl.preorder():
        # ``why`` is set only by a narrowing beyond the figure's own bounds.
        if node.items and node.why:
            settled = node.bounds
            up = _figured_parent(node)
            claims = ", ".join(f"{it.id} {it.value}" for it in node.items)
            verb = "settled at" if settled.exact else "narrowed to"
            outcome = Outcome(
                Finding(
                    CHECK,
                    Status.PASS,
                    _ids([n for n in (node, up) if n is not None]),
                    f"{_where(sl)}: {node.name} is {verb} {fmt_bounds(settled)} by "
                    f"{node.why.text(sl)}, which agrees with {claims}",
                    measure=sl.measure,
                )
            )
            out.append((("settled", node.place), outcome))


def _figured_parent(node: Node) -> Node | None:
    up = node.parent
    while up is not None and not up.items:
        up = up.parent
    return up


def _head(ctx: Context, claim: Claim) -> str:
    name = ctx.place_name(claim.place)
    if claim.share == "plurality":
        return f"{claim.id}: {name} has the most {claim.measure}"
    what = f"{fmt_value(claim.percent, claim.bound)}%" if claim.percent is not None else claim.share
    return f"{claim.id}: {name} holds {what} of {claim.measure} in {ctx.place_name(claim.share_of)}"


def _share(sl: Slice, sh: _Share) -> Outcome:
    claim = sh.claim
    assert claim.measure is not None and claim.place is not None
    head = _head(sl.ctx, claim)
    node = sl.nodes[claim.place]
    if claim.share == "plurality":
        status, text, ids = _plurality(sl, node)
        whole_detail = None
    else:
        assert claim.share_of is not None
        of_node = sl.nodes[claim.share_of]
        part, of = node.bounds, of_node.bounds
        # The figures it rests on (a few of each place: 1,700 outlets may give the whole).
        ids = tuple(it.id for n in (node, of_node) for it in n.items[:_SHOWN])
        gap = ""
        if not of_node.items:
            gap = f" (no {of_node.name} total is given)"
        elif not node.items:
            gap = f" (no {node.name} total is given)"
        if claim.percent is not None:
            status, text = _percent(sl, claim, node, of_node)
        else:
            assert claim.share is not None
            status, text = _named_share(claim.share, node, of_node)
        text += gap if status is Status.UNKNOWN else ""
        whole_detail = (
            f"{of_node.name} {fmt_bounds(of)} and {node.name} {fmt_bounds(part)} after "
            f"propagating the figures of {_where(sl)} through the place tree"
        )
    return Outcome(
        Finding(
            CHECK,
            status,
            (claim.id, *(i for i in ids if i != claim.id)),
            f"{head}: {text}",
            detail=whole_detail,
            measure=claim.measure,
        ),
        ("claims", sh.pos, "share" if claim.share else "percent")
        if status is Status.FAIL
        else None,
    )


def _named_share(share: str, node: Node, of_node: Node) -> tuple[Status, str]:
    part, of = node.bounds, of_node.bounds
    name = node.name
    if share == "most":
        half = (
            f"more than half of {of_node.name}, which the figures bound only from below "
            f"({fmt_bounds(of)})"
            if math.isinf(of.hi)
            else f"> {fmt_number(of.hi / 2)} (half of {of_node.name} {fmt_bounds(of)})"
        )
        text = f"needs {name} {half}; the figures give {name} {fmt_bounds(part)}"
        if _point(of.hi / 2).certainly_lt(part) and not math.isinf(of.hi):
            return Status.PASS, text
        if not _point(of.lo / 2).possibly_lt(part):
            return Status.FAIL, text
        return Status.UNKNOWN, text
    target = of.scale(0.5) if share == "half" else of
    text = f"needs {name} = {fmt_bounds(target)}; the figures give {name} {fmt_bounds(part)}"
    if not target.meets(part):
        return Status.FAIL, text
    if target.exact and part.exact:
        return Status.PASS, text
    return Status.UNKNOWN, text


def _point(x: float) -> Bounds:
    return Bounds(x, x)


def _percent_bounds(claim: Claim, tolerance: float) -> Bounds:
    assert claim.percent is not None
    p = float(claim.percent)
    if claim.bound == "exact" and p.is_integer():
        return Bounds(max(0.0, p - 0.5), min(100.0, p + 0.5))  # a whole percentage is rounded
    return bounds_of(p, claim.bound, tolerance) & Bounds(0.0, 100.0)


def _percent(sl: Slice, claim: Claim, node: Node, of_node: Node) -> tuple[Status, str]:
    part, of = node.bounds, of_node.bounds
    # The loader checked that the measure is declared.
    want = _percent_bounds(claim, sl.ctx.measures[sl.measure].tolerance)
    # The share the figures allow: from the least part of the most whole to the most
    # part of the least whole.
    lo = 0.0 if math.isinf(of.hi) or of.hi <= 0 else 100 * part.lo / of.hi
    hi = INF if of.lo <= 0 else 100 * part.hi / of.lo
    got = Bounds(lo, min(hi, 100.0) if part.certainly_le(of) else hi)
    text = (
        f"needs {node.name} = {fmt_bounds(want)}% of {of_node.name} {fmt_bounds(of)}; "
        f"the figures give {node.name} {fmt_bounds(part)}, {_pct(got)}"
    )
    if not got.meets(want):
        return Status.FAIL, text
    if want.lo - 1e-9 <= got.lo and got.hi <= want.hi + 1e-9:
        return Status.PASS, text
    return Status.UNKNOWN, text


def _pct(b: Bounds) -> str:
    """A share in percent to one decimal: ``9.6 to 15.2%``."""
    lo, hi = round(b.lo, 1), round(b.hi, 1)
    if math.isinf(hi):
        return f"≥{lo:g}%"
    return f"{lo:g}%" if lo == hi else f"{lo:g} to {hi:g}%"


def _plurality(sl: Slice, node: Node) -> tuple[Status, str, tuple[str, ...]]:
    parent = node.parent
    siblings = [
        c
        for c in (parent.children if parent is not None else [])
        if c is not node and (c.items or sl.parts(c))
    ]
    mine = node.bounds
    ids = tuple(it.id for n in (node, *siblings) for it in n.items[:_SHOWN])
    if not siblings:
        where = f" within {parent.name}" if parent is not None else ""
        return (
            Status.UNKNOWN,
            f"no other place{where} has a figure to compare with {node.name} {fmt_bounds(mine)}",
            ids,
        )
    shown = ", ".join(f"{c.name} {fmt_bounds(c.bounds)}" for c in siblings[:_SHOWN])
    if len(siblings) > _SHOWN:
        shown += f", … {len(siblings) - _SHOWN} more"
    text = f"needs {node.name} {fmt_bounds(mine)} > each of {shown}"
    beaten = [c for c in siblings if not c.bounds.possibly_lt(mine)]
    if beaten:
        return Status.FAIL, f"{text}: {beaten[0].name} has at least as many", ids
    if all(c.bounds.certainly_lt(mine) for c in siblings):
        return Status.PASS, text, ids
    return Status.UNKNOWN, text, ids


def _where(sl: Slice) -> str:
    scope = f", {fmt_scope(sl.scope)}" if sl.scope else ""
    return f"{sl.measure} ({sl.when}{scope})"


def _ids(nodes: Iterable[Node]) -> tuple[str, ...]:
    return tuple(it.id for n in nodes for it in n.items)


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
