"""Interval arithmetic of bounded values.

A figure in the ledger is rarely a single number: "at least 54" is every count from 54
up, "about 230,000" is a band around it. Each claim's figure becomes an interval
``[lo, hi]`` (``hi`` may be infinite; either end may be open) and the rules compare
intervals:

* ``exact v`` → ``[v, v]``
* ``at_least v`` → ``[v, ∞)``; ``more_than v`` → ``(v, ∞)``
* ``at_most v`` → ``[0, v]`` (counts are never negative); ``fewer_than v`` → ``[0, v)``
* ``approx v`` → ``[v(1 − t), v(1 + t)]`` with the measure's relative tolerance ``t``
* ``nearly v`` (just under) → ``[v(1 − t), v)``

Two statements of one quantity *agree* when their intervals intersect; an ordering
``a ≤ b`` is *certain* when ``a.hi ≤ b.lo`` and *impossible* when ``a.lo > b.hi``.
"More than 54" and "54" do not agree; "nearly 10,000" and "more than 10,000" do not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

INF = math.inf
_EPS = 1e-9
_MAX_SLACK = 0.01
"""Slack never reaches a whole unit: 8,000,000,000 is not 8,000,000,005."""


def _tol(x: float) -> float:
    # Relative slack for float sums; none at infinity (∞ − ∞ would be nan).
    return 0.0 if math.isinf(x) else min(_EPS * max(1.0, abs(x)), _MAX_SLACK)


@dataclass(frozen=True, slots=True)
class Bounds:
    """The interval of values a figure allows, ``[lo, hi]``; an end may be open.

    ``lo_open`` excludes ``lo`` itself ("more than 54"), ``hi_open`` excludes ``hi``
    ("fewer than 10", "nearly 10,000"). Empty when no value is allowed.
    """

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    @property
    def empty(self) -> bool:
        """True when no value is allowed (contradictory constraints)."""
        if self.lo > self.hi + _tol(self.hi):
            return True
        return (self.lo_open or self.hi_open) and abs(self.hi - self.lo) <= _tol(self.lo)

    @property
    def exact(self) -> bool:
        """True when exactly one value is allowed."""
        return not self.empty and abs(self.hi - self.lo) <= _tol(self.lo)

    def __and__(self, other: Bounds) -> Bounds:
        """Intersection: the values both allow (may be empty)."""
        if self.lo > other.lo:
            lo, lo_open = self.lo, self.lo_open
        elif other.lo > self.lo:
            lo, lo_open = other.lo, other.lo_open
        else:
            lo, lo_open = self.lo, self.lo_open or other.lo_open
        if self.hi < other.hi:
            hi, hi_open = self.hi, self.hi_open
        elif other.hi < self.hi:
            hi, hi_open = other.hi, other.hi_open
        else:
            hi, hi_open = self.hi, self.hi_open or other.hi_open
        return Bounds(lo, hi, lo_open, hi_open)

    def __sub__(self, other: Bounds) -> Bounds:
        """The values a difference of one value from each can take."""
        return Bounds(
            self.lo - other.hi,
            self.hi - other.lo,
            self.lo_open or other.hi_open,
            self.hi_open or other.lo_open,
        )

    def scale(self, factor: float) -> Bounds:
        """Every value multiplied by a non-negative ``factor``."""
        if factor == 0:
            return Bounds(0.0, 0.0)
        return Bounds(self.lo * factor, self.hi * factor, self.lo_open, self.hi_open)

    def hull(self, other: Bounds) -> Bounds:
        """The smallest interval holding both: every value either allows, and between."""
        if self.empty:
            return other
        if other.empty:
            return self
        if self.lo < other.lo:
            lo, lo_open = self.lo, self.lo_open
        elif other.lo < self.lo:
            lo, lo_open = other.lo, other.lo_open
        else:
            lo, lo_open = self.lo, self.lo_open and other.lo_open
        if self.hi > other.hi:
            hi, hi_open = self.hi, self.hi_open
        elif other.hi > self.hi:
            hi, hi_open = other.hi, other.hi_open
        else:
            hi, hi_open = self.hi, self.hi_open and other.hi_open
        return Bounds(lo, hi, lo_open, hi_open)

    def meets(self, other: Bounds) -> bool:
        """True when some value is allowed by both: the two figures agree."""
        return not (self & other).empty

    def contains(self, value: float) -> bool:
        """True when ``value`` is allowed."""
        return self.meets(Bounds(value, value))

    def certainly_le(self, other: Bounds) -> bool:
        """True when every value of this interval is ≤ every value of ``other``."""
        return self.hi <= other.lo + _tol(other.lo)

    def possibly_le(self, other: Bounds) -> bool:
        """True when some value of this interval is ≤ some value of ``other``."""
        if self.lo < other.hi - _tol(other.hi):
            return True
        if self.lo > other.hi + _tol(other.hi):
            return False
        return not (self.lo_open or other.hi_open)

    def certainly_lt(self, other: Bounds) -> bool:
        """True when every value of this interval is < every value of ``other``."""
        if self.hi < other.lo - _tol(other.lo):
            return True
        if self.hi > other.lo + _tol(other.lo):
            return False
        return self.hi_open or other.lo_open

    def possibly_lt(self, other: Bounds) -> bool:
        """True when some value of this interval is < some value of ``other``."""
        return self.lo < other.hi - _tol(other.hi)

    def __str__(self) -> str:
        return fmt_bounds(self)


ANY = Bounds(-INF, INF)
NON_NEGATIVE = Bounds(0.0, INF)

BOUNDS = ("exact", "at_least", "at_most", "approx", "more_than", "fewer_than", "nearly")
"""Every ``bound`` a figure may have, in the order the docs list them."""


def bounds_of(value: float, bound: str = "exact", tolerance: float = 0.1) -> Bounds:
    """The interval a figure with its bound allows (see the module's table)."""
    v = float(value)
    if bound == "at_least":
        return Bounds(v, INF)
    if bound == "more_than":
        return Bounds(v, INF, lo_open=True)
    if bound in ("at_most", "fewer_than"):
        # Counts are never negative; a negative ceiling keeps the line open below.
        return Bounds(0.0 if v >= 0 else -INF, v, hi_open=bound == "fewer_than")
    if bound == "approx":
        spread = abs(v) * tolerance
        return Bounds(v - spread, v + spread)
    if bound == "nearly":
        return Bounds(v - abs(v) * tolerance, v, hi_open=True)
    return Bounds(v, v)


def total(items: Iterable[Bounds]) -> Bounds:
    """The interval of a sum of one value from each interval (``[0, 0]`` when none)."""
    lo = hi = 0.0
    lo_open = hi_open = False
    for b in items:
        lo += b.lo
        hi += b.hi
        lo_open |= b.lo_open
        hi_open |= b.hi_open
    return Bounds(lo, hi, lo_open, hi_open)


def intersect_all(items: Iterable[Bounds]) -> Bounds:
    """The values every interval allows (``ANY`` when none)."""
    lo, hi = -INF, INF
    lo_open = hi_open = False
    for b in items:  # one pass, no interval built per item (groups hold 1,000s)
        if b.lo > lo:
            lo, lo_open = b.lo, b.lo_open
        elif b.lo == lo and b.lo_open:
            lo_open = True
        if b.hi < hi:
            hi, hi_open = b.hi, b.hi_open
        elif b.hi == hi and b.hi_open:
            hi_open = True
    return Bounds(lo, hi, lo_open, hi_open)


def fmt_number(x: float) -> str:
    """``54.0`` → ``54``, ``0.5`` → ``0.5``, infinities as ``∞``."""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


_PREFIX = {
    "exact": "",
    "at_least": "≥",
    "at_most": "≤",
    "approx": "~",
    "more_than": ">",
    "fewer_than": "<",
    "nearly": "nearly ",
}


@lru_cache(maxsize=65536)  # ledgers repeat their figures: each is worded once
def fmt_value(value: float, bound: str = "exact") -> str:
    """A claim's figure as the ledger states it: ``54``, ``≥54``, ``>54``, ``~230000``."""
    return _PREFIX.get(bound, "") + fmt_number(value)


def fmt_bounds(b: Bounds) -> str:
    """An interval in words a reader follows: ``3``, ``≥3``, ``>3``, ``≤50``, ``3 to 50``."""
    if b.empty:
        return f"nothing (needs ≥{fmt_number(b.lo)} and ≤{fmt_number(b.hi)})"
    if b.exact:
        return fmt_number(b.lo)
    low = (">" if b.lo_open else "≥") + fmt_number(b.lo)
    high = ("<" if b.hi_open else "≤") + fmt_number(b.hi)
    if math.isinf(b.hi):
        return "any value" if math.isinf(b.lo) else low
    if (b.lo <= 0 and not b.lo_open) or math.isinf(b.lo):
        return high
    shown_lo = f">{fmt_number(b.lo)}" if b.lo_open else fmt_number(b.lo)
    shown_hi = f"<{fmt_number(b.hi)}" if b.hi_open else fmt_number(b.hi)
    return f"{shown_lo} to {shown_hi}"
