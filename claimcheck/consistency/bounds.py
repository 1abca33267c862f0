"""Interval arithmetic of bounded values.

A figure in the ledger is rarely a single number: "at least 54" is every count from 54
up, "about 230,000" is a band around it. Each claim's figure becomes a closed interval
``[lo, hi]`` (``hi`` may be infinite) and the rules compare intervals:

* ``exact v`` → ``[v, v]``
* ``at_least v`` → ``[v, ∞)``
* ``at_most v`` → ``[0, v]`` (counts are never negative)
* ``approx v`` → ``[v(1 − t), v(1 + t)]`` with the measure's relative tolerance ``t``

Two statements of one quantity *agree* when their intervals intersect; an ordering
``a ≤ b`` is *certain* when ``a.hi ≤ b.lo`` and *impossible* when ``a.lo > b.hi``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

INF = math.inf
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Bounds:
    """The closed interval ``[lo, hi]`` of values a figure allows; empty when lo > hi."""

    lo: float
    hi: float

    @property
    def empty(self) -> bool:
        """True when no value is allowed (contradictory constraints)."""
        return self.lo > self.hi + _EPS * max(1.0, abs(self.hi))

    @property
    def exact(self) -> bool:
        """True when exactly one value is allowed."""
        return not self.empty and abs(self.hi - self.lo) <= _EPS * max(1.0, abs(self.lo))

    def __and__(self, other: Bounds) -> Bounds:
        """Intersection: the values both allow (may be empty)."""
        return Bounds(max(self.lo, other.lo), min(self.hi, other.hi))

    def __add__(self, other: Bounds) -> Bounds:
        """The values a sum of one value from each can take."""
        return Bounds(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Bounds) -> Bounds:
        """The values a difference of one value from each can take."""
        return Bounds(self.lo - other.hi, self.hi - other.lo)

    def scale(self, factor: float) -> Bounds:
        """Every value multiplied by a non-negative ``factor``."""
        return Bounds(self.lo * factor, self.hi * factor)

    def meets(self, other: Bounds) -> bool:
        """True when some value is allowed by both: the two figures agree."""
        return not (self & other).empty

    def contains(self, value: float) -> bool:
        """True when ``value`` is allowed."""
        return self.meets(Bounds(value, value))

    def certainly_le(self, other: Bounds) -> bool:
        """True when every value of this interval is ≤ every value of ``other``."""
        return self.hi <= other.lo + _EPS * max(1.0, abs(other.lo))

    def possibly_le(self, other: Bounds) -> bool:
        """True when some value of this interval is ≤ some value of ``other``."""
        return self.lo <= other.hi + _EPS * max(1.0, abs(other.hi))

    def __str__(self) -> str:
        return fmt_bounds(self)


ANY = Bounds(-INF, INF)
NON_NEGATIVE = Bounds(0.0, INF)


def bounds_of(value: float, bound: str = "exact", tolerance: float = 0.1) -> Bounds:
    """The interval a figure with its bound allows (see the module's table)."""
    v = float(value)
    if bound == "at_least":
        return Bounds(v, INF)
    if bound == "at_most":
        # Counts are never negative; a negative ceiling keeps the line open below.
        return Bounds(0.0 if v >= 0 else -INF, v)
    if bound == "approx":
        spread = abs(v) * tolerance
        return Bounds(v - spread, v + spread)
    return Bounds(v, v)


def total(items: Iterable[Bounds]) -> Bounds:
    """The interval of a sum of one value from each interval (``[0, 0]`` when none)."""
    lo = hi = 0.0
    for b in items:
        lo += b.lo
        hi += b.hi
    return Bounds(lo, hi)


def intersect_all(items: Iterable[Bounds]) -> Bounds:
    """The values every interval allows (``ANY`` when none)."""
    lo, hi = -INF, INF
    for b in items:
        lo = max(lo, b.lo)
        hi = min(hi, b.hi)
    return Bounds(lo, hi)


def fmt_number(x: float) -> str:
    """``54.0`` → ``54``, ``0.5`` → ``0.5``, infinities as ``∞``."""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


_PREFIX = {"exact": "", "at_least": "≥", "at_most": "≤", "approx": "~"}


@lru_cache(maxsize=65536)  # ledgers repeat their figures: each is worded once
def fmt_value(value: float, bound: str = "exact") -> str:
    """A claim's figure as the ledger states it: ``54``, ``≥54``, ``≤3``, ``~230000``."""
    return _PREFIX.get(bound, "") + fmt_number(value)


def fmt_bounds(b: Bounds) -> str:
    """An interval in words a reader follows: ``3``, ``≥3``, ``≤50``, ``3 to 50``."""
    if b.empty:
        return f"nothing (needs ≥{fmt_number(b.lo)} and ≤{fmt_number(b.hi)})"
    if b.exact:
        return fmt_number(b.lo)
    if math.isinf(b.hi):
        return "any value" if math.isinf(b.lo) else f"≥{fmt_number(b.lo)}"
    if b.lo <= 0 or math.isinf(b.lo):
        return f"≤{fmt_number(b.hi)}"
    return f"{fmt_number(b.lo)} to {fmt_number(b.hi)}"
