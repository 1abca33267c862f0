"""Dates of reduced precision and intervals, as the ledger writes them.

A ledger date is ISO 8601 with the precision the source gives: ``2016`` (a year),
``2022-09`` (a month), ``2022-09-12`` (a day), or an interval of two such dates
``2016-09/2016-12`` ("late 2016"). Every date stands for the span of days it covers,
so comparisons respect precision: ``2022-09`` overlaps ``2022-09-12``, it is neither
before nor after it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_PART = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
DATE_PATTERN = rf"^{_PART}(?:/{_PART})?$"
"""JSON Schema pattern of a ledger date (the schema exports it)."""

_PART_RE = re.compile(rf"^{_PART}$")


class DateError(ValueError):
    """A string that is not a ledger date."""


@dataclass(frozen=True, order=True)
class Span:
    """The closed range of days ``[start, end]`` that a ledger date covers."""

    start: date
    end: date
    text: str = ""

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def before(self, other: Span) -> bool:
        """True when every day of this span is earlier than every day of ``other``."""
        return self.end < other.start

    def not_after(self, other: Span) -> bool:
        """True when this span can lie no later than ``other``: it starts by ``other``'s end."""
        return self.start <= other.end

    def __str__(self) -> str:
        return self.text or f"{self.start.isoformat()}/{self.end.isoformat()}"


def _part(text: str) -> tuple[date, date]:
    if not _PART_RE.match(text):
        raise DateError(f"{text!r} is not a date like 2022, 2022-09 or 2022-09-12")
    pieces = [int(p) for p in text.split("-")]
    year = pieces[0]
    if year < 1:
        raise DateError(f"{text!r}: there is no year 0")
    if len(pieces) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    month = pieces[1]
    last = calendar.monthrange(year, month)[1]
    if len(pieces) == 2:
        return date(year, month, 1), date(year, month, last)
    day = pieces[2]
    if day > last:
        raise DateError(f"{text!r} is not a real day ({calendar.month_name[month]} has {last})")
    d = date(year, month, day)
    return d, d


@lru_cache(maxsize=65536)
def parse_span(text: str) -> Span:
    """Parse a ledger date into the span of days it covers.

    Raises :class:`DateError` with a message fit for a user when ``text`` is not a
    ledger date or when an interval ends before it starts.
    """
    if not isinstance(text, str):
        raise DateError('a date must be a string such as "2022-09-12"')
    if "/" in text:
        first, _, second = text.partition("/")
        start, _ = _part(first)
        _, end = _part(second)
        if end < start:
            raise DateError(f"the interval {text!r} ends before it starts")
        return Span(start, end, text)
    start, end = _part(text)
    return Span(start, end, text)


def validate_date(text: str) -> str:
    """Pydantic validator: accept a ledger date unchanged or raise ``ValueError``."""
    parse_span(text)
    return text


def hull(a: Span, b: Span) -> Span:
    """The smallest span covering both: a period from ``a`` to ``b``."""
    return Span(min(a.start, b.start), max(a.end, b.end), f"{a.text}/{b.text}")
