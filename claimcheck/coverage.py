"""Coverage: which figures and dates of the article no claim tracks yet.

The article is scanned for every date (``12 September``, ``September 2022``, ``late
2016``, ``2022-09-12``) and every figure (``54``, ``230,000``, ``nine``, ``five``) it
states. An item is *covered* when it lies inside the quote of a claim, *left out* when
it lies inside a ``left_out`` passage of the ledger (which says why it is not tracked),
and *uncovered* otherwise: what a ledger's author has not looked at yet. Nothing here
prints.
"""

from __future__ import annotations

import calendar
import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from claimcheck.loader import LoadedLedger, display_path
from claimcheck.regexskip import nocase_chars, skipping, spans
from claimcheck.results import Finding, Listing, Status
from claimcheck.textmatch import PreparedText, find_quote, prepare
from claimcheck.wording import plural

CHECK = "coverage"

_MONTH_NAMES = [m for m in calendar.month_name if m] + [
    a for a in calendar.month_abbr if a and a != "May"
]
_MONTH = "(?:" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_QUALIFIERS = ("early", "mid", "late", "the end of", "the start of", "the beginning of")
_QUALIFIER = rf"(?:(?:{'|'.join(_QUALIFIERS)})[\s-]+)?"
_DATE = re.compile(
    rf"\b(?:"
    rf"\d{{4}}-\d\d(?:-\d\d)?"  # ISO
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"  # 12 September (2022)
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?!\d)"  # September 12(, 2022)
    rf"|{_QUALIFIER}{_MONTH}(?:\s+{_YEAR})?"  # (late) September (2022)
    rf"|{_QUALIFIER}{_YEAR}s?"  # (late) 2016, 1990s
    rf")\b"
)
_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|million|billion|dozen|half|dozens|hundreds|thousands|"
    "millions"
)
_FIGURE_DIGITS = r"(?<![\w.,])\d+(?:[,.]\d+)*(?:\s?(?:%|per cent|percent|k\b|m\b|bn\b))?"
_FIGURE_WORDS = rf"\b(?:a\s+)?(?:{_WORDS})(?:(?:[\s-]+|\s+and\s+)(?:{_WORDS}))*\b"
_NUMBER = re.compile(f"{_FIGURE_DIGITS}|{_FIGURE_WORDS}", re.IGNORECASE)
# The same patterns, found only where they can start (see claimcheck.regexskip): a date
# at a digit, a month's capital or a qualifier's first letter; a figure at a digit, a
# number word's first letter or the "a" of "a dozen".
_DATE_SCAN = skipping(_DATE, r"\d" + "".join({w[0]: 0 for w in _MONTH_NAMES + list(_QUALIFIERS)}))
_WORD_FIRSTS = "a" + "".join(w[0] for w in _WORDS.split("|"))
# _NUMBER's two alternatives never overlap (figures in digits hold no number word, number
# words no digit), so they can be found apart and merged. Number words are found fastest
# in the lower-cased text without IGNORECASE (plain letters let the engine rule out an
# offset at its first character): the same matches at the same offsets, unless the text
# holds one of the letters that lower-casing does not map as IGNORECASE does (checked
# against the regex engine for every character in tests/test_regexskip.py).
_DIGITS_SCAN = skipping(re.compile(_FIGURE_DIGITS, re.IGNORECASE), r"\d")
_WORDS_SCAN = skipping(re.compile(_FIGURE_WORDS, re.IGNORECASE), nocase_chars(_WORD_FIRSTS))
_WORDS_LOWER_SCAN = skipping(re.compile(_FIGURE_WORDS), "".join(dict.fromkeys(_WORD_FIRSTS)))
_NOT_LOWERED_ALIKE = "İıſ"
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n\s*\n|\n(?=\s*[•*-])")
_SHOWN = 160


@dataclass(frozen=True)
class Item:
    """One figure or date of the article and whether the ledger tracks it."""

    kind: str
    """``figure`` or ``date``."""
    text: str
    start: int
    end: int
    line: int
    column: int
    sentence: str
    status: str = "uncovered"
    """``covered`` (inside a claim's quote), ``left-out`` (inside a left_out passage) or
    ``uncovered``."""
    claims: tuple[str, ...] = ()
    reason: str | None = None


_STATUSES = ("uncovered", "covered", "left-out")
_KINDS = ("date", "figure")


@dataclass(frozen=True)
class Coverage:
    """Every figure and date of one article, each with its status."""

    document: str
    """The article's path as shown."""
    items: Sequence[Item]
    missing_passages: tuple[int, ...] = ()
    """Indexes of ``left_out`` passages not found in the article."""

    def count(self, status: str) -> int:
        """How many items have ``status``."""
        if isinstance(self.items, _Items):
            return self.items.count_status(status)
        return sum(1 for it in self.items if it.status == status)

    @property
    def share(self) -> float:
        """The share of items covered or left out on purpose (1.0 with no item)."""
        if not self.items:
            return 1.0
        return 1 - self.count("uncovered") / len(self.items)

    def first(self, status: str, n: int) -> list[tuple[str, int]]:
        """Text and line of the first ``n`` items with ``status`` (no sentence worked out)."""
        if isinstance(self.items, _Items):
            return self.items.first(status, n)
        return [(it.text, it.line) for it in self.items if it.status == status][:n]


class _Items(Sequence[Item]):
    """The items of a long article, kept as arrays; an :class:`Item` (with its line and
    sentence) is made only when asked for. A 30 MB article states about 840,000 figures
    and dates: as objects with their sentences they took hundreds of megabytes."""

    def __init__(
        self,
        text: str,
        found: tuple[bytes, array[int], array[int]],
        status: bytearray,
        claims: dict[int, tuple[str, ...]],
        reasons: dict[int, str],
    ) -> None:
        self._text = text
        self._kinds, self._starts, self._ends = found
        self._status = status
        self._claims = claims
        self._reasons = reasons
        self._lines: array[int] | None = None
        self._bounds: list[int] | None = None

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> Item: ...

    @overload
    def __getitem__(self, i: slice) -> list[Item]: ...

    def __getitem__(self, i: int | slice) -> Item | list[Item]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("item index out of range")
        start, end = self._starts[i], self._ends[i]
        line, col = self._line(start)
        if self._bounds is None:
            self._bounds = sorted({m.end() for m in _SENTENCE_END.finditer(self._text)})
        claims = self._claims.get(i, ())
        return Item(
            _KINDS[self._kinds[i]],
            self._text[start:end],
            start,
            end,
            line,
            col,
            _sentence(self._text, start, end, self._bounds),
            _STATUSES[self._status[i]],
            claims,
            self._reasons.get(i) if not claims else None,
        )

    def __iter__(self) -> Iterator[Item]:
        return (self[i] for i in range(len(self)))

    def _line(self, start: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = array("q", (m.end() for m in re.finditer(r"\n", self._text)))
        line = bisect_right(self._lines, start)
        return line + 1, start - (self._lines[line - 1] if line else 0) + 1

    def count_status(self, status: str) -> int:
        return self._status.count(_STATUSES.index(status))

    def first(self, status: str, n: int) -> list[tuple[str, int]]:
        code = _STATUSES.index(status)
        out: list[tuple[str, int]] = []
        at = self._status.find(code)
        while at >= 0 and len(out) < n:
            out.append(
                (self._text[self._starts[at] : self._ends[at]], self._line(self._starts[at])[0])
            )
            at = self._status.find(code, at + 1)
        return out


def scan(text: str) -> list[tuple[str, int, int]]:
    """Every ``(kind, start, end)`` of a date or figure in ``text``, in order.

    A number inside a date ("12" in "12 September") belongs to the date.
    """
    kinds, starts, ends = _found(text)
    return [(_KINDS[k], s, e) for k, s, e in zip(kinds, starts, ends, strict=True)]


def _found(text: str) -> tuple[bytes, array[int], array[int]]:
    """What :func:`scan` finds, as arrays (kind 0 a date, 1 a figure; starts; ends)."""
    date_starts, date_ends = array("q"), array("q")
    for start, end in spans(_DATE_SCAN, text):
        if not _bare_month_word(text[start:end]):
            date_starts.append(start)
            date_ends.append(end)
    # Dates and figures in order of start; a figure inside the date before it is that
    # date's (a figure never starts where a date does).
    kinds = bytearray()
    starts, ends = array("q"), array("q")
    d, dates = 0, len(date_starts)
    date_end = -1  # end of the last date starting at or before the figure
    for start, end in _figures(text):
        while d < dates and date_starts[d] <= start:
            kinds.append(0)
            starts.append(date_starts[d])
            ends.append(date_end := date_ends[d])
            d += 1
        if start < date_end:
            continue
        # "one" alone as a pronoun ("one of the", "Another one") and the police number
        # "110" inside a name are still figures a reader may want; keep them. Only drop
        # a bare "a" and list markers ("#3").
        if (end - start == 1 and text[start] in "aA") or (start and text[start - 1] == "#"):
            continue
        kinds.append(1)
        starts.append(start)
        ends.append(end)
    for k in range(d, dates):
        kinds.append(0)
        starts.append(date_starts[k])
        ends.append(date_ends[k])
    return bytes(kinds), starts, ends


def _figures(text: str) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each match of ``_NUMBER`` in ``text``, in order."""
    return heapq.merge(spans(_DIGITS_SCAN, text), _number_words(text))


_BLOCK = 1 << 16
"""Characters lower-cased at a time: ``str.lower`` needs 12 bytes a character of scratch
memory on text that is not ASCII, 360 MB for a 30 MB article at once."""
_WORDS_CUT = re.compile(r"[^\w\s-]")
"""A character no run of number words holds (not a letter, a space or a hyphen): the
text is cut there into blocks that are scanned apart, with the same matches."""


def _number_words(text: str) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each run of number words in ``text``, in order."""
    at = 0
    while at < len(text):
        cut = _WORDS_CUT.search(text, min(at + _BLOCK, len(text)))
        end = cut.start() + 1 if cut is not None else len(text)
        block = text[at:end]
        if any(c in block for c in _NOT_LOWERED_ALIKE):
            found = spans(_WORDS_SCAN, block)
        else:
            found = spans(_WORDS_LOWER_SCAN, block.lower())
        for start, stop in found:
            yield at + start, at + stop
        at = end


def _bare_month_word(found: str) -> bool:
    # "May", "March" or a bare abbreviation alone are too often ordinary words.
    word = found.strip().rstrip(".")
    return word in {"May", "March", "Mar", "Jun", "Jan", "Dec", "Sept", "Sep", "Oct", "Nov"}


def _sentence(text: str, start: int, end: int, bounds: list[int]) -> str:
    i = bisect_right(bounds, start) - 1
    lo = bounds[i] if i >= 0 else 0
    j = bisect_right(bounds, end - 1)
    hi = bounds[j] if j < len(bounds) else len(text)
    sentence = " ".join(text[lo:hi].split())
    if len(sentence) > _SHOWN:
        # Keep the item in view: cut around it.
        at = sentence.find(" ".join(text[start:end].split()))
        first = max(0, at - _SHOWN // 2)
        sentence = ("…" if first else "") + sentence[first : first + _SHOWN] + "…"
    return sentence


def holding(items: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[list[int]]:
    """For each ``(start, end)`` of ``items`` (in start order, start <= end), the indexes of the
    ``spans`` that hold it (``s <= start and end <= e``), in increasing order.

    A sweep: only the spans still open at an item can hold it, so the cost is items x
    overlapping spans, not items x spans (10,000 claims on a long article took seconds).
    """
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    out: list[list[int]] = []
    opened: list[int] = []
    nxt = 0
    for start, end in items:
        while nxt < len(order) and spans[order[nxt]][0] <= start:
            opened.append(order[nxt])
            nxt += 1
        opened = [i for i in opened if spans[i][1] >= start]  # the others end too soon
        out.append(sorted(i for i in opened if end <= spans[i][1]))
    return out


def check_coverage(loaded: LoadedLedger, document: str | PreparedText) -> Coverage:
    """Every figure and date of ``document`` (the ledger's article, as text or prepared
    with :func:`~claimcheck.textmatch.prepare`) and who tracks it."""
    prepared = document if isinstance(document, PreparedText) else prepare(document)
    text = prepared.original
    spans_: list[tuple[int, int, str]] = []
    quoted: dict[str, tuple[int, int] | None] = {}  # many claims quote one passage
    for c in loaded.ledger.claims:
        if c.quote not in quoted:
            m = find_quote(prepared, c.quote)
            quoted[c.quote] = None if m is None else (m.start, m.end)
        at = quoted[c.quote]
        if at is not None:
            spans_.append((*at, c.id))
    passages: list[tuple[int, int, str]] = []
    missing: list[int] = []
    for i, lo in enumerate(loaded.ledger.left_out):
        m = find_quote(prepared, lo.quote)
        if m is None:
            missing.append(i)
        else:
            passages.append((m.start, m.end, lo.reason))
    spans_.sort()
    found = _found(text)
    _kinds, starts, ends = found
    status = bytearray(len(starts))  # 0: uncovered
    # Only items inside some quote or passage can be held by one: find them by bisection.
    by_claims = _held(starts, ends, [(s, e) for s, e, _ in spans_])
    by_passages = _held(starts, ends, [(s, e) for s, e, _ in passages])
    claims: dict[int, tuple[str, ...]] = {}
    reasons: dict[int, str] = {}
    for i, held in by_claims.items():
        claims[i] = tuple(spans_[k][2] for k in held)
        status[i] = 1
    for i, left in by_passages.items():
        reasons[i] = passages[left[0]][2]
        if i not in claims:
            status[i] = 2
    doc = loaded.document_path()
    items = _Items(text, found, status, claims, reasons)
    return Coverage(display_path(doc) if doc else "", items, tuple(missing))


def _held(
    starts: array[int], ends: array[int], within: list[tuple[int, int]]
) -> dict[int, list[int]]:
    """For each item inside one of ``within`` (``s <= start and end <= e``), the indexes of
    the spans holding it, in increasing order; items held by none are left out."""
    candidates = sorted(
        {i for s, e in within for i in range(bisect_left(starts, s), bisect_left(starts, e))}
    )
    where = [(starts[i], ends[i]) for i in candidates]
    return {i: held for i, held in zip(candidates, holding(where, within), strict=True) if held}


def coverage_finding(cov: Coverage) -> Finding:
    """The share covered as one finding: a warning when anything is uncovered, never a
    failure (coverage is advice, not a rule)."""
    total = len(cov.items)
    covered, left, uncovered = cov.count("covered"), cov.count("left-out"), cov.count("uncovered")
    message = (
        f"{cov.share:.0%} of the figures and dates tracked: {covered} by claims, "
        f"{left} left out, {uncovered} not yet ({total:,} in all)"
    )
    detail = None
    if uncovered:
        first = cov.first("uncovered", 5)
        detail = "not covered: " + "; ".join(f"{text!r} (line {line})" for text, line in first)
        detail += " …" if uncovered > 5 else ""
        detail += " — `claimcheck coverage` lists them all"
    if cov.missing_passages:
        shown = ", ".join(f"left_out[{i}]" for i in cov.missing_passages)
        detail = (detail + "\n" if detail else "") + f"passages not found in the article: {shown}"
    status = Status.WARN if uncovered or cov.missing_passages else Status.PASS
    return Finding(CHECK, status, (), message, detail)


def coverage_listing(found: list[Coverage], every: bool = False) -> Listing:
    """The uncovered items (all of them with ``every``) of one or more articles, each with
    its article, line and sentence."""
    pairs = [(cov, it) for cov in found for it in cov.items if every or it.status == "uncovered"]
    rows = [
        [
            cov.document,
            str(it.line),
            it.kind,
            " ".join(it.text.split()),
            it.status,
            ", ".join(it.claims) or (it.reason or ""),
            it.sentence,
        ]
        for cov, it in pairs
    ]
    notes = [
        f"{cov.document}: {cov.share:.0%} tracked: {cov.count('covered')} covered, "
        f"{cov.count('left-out')} left out, {cov.count('uncovered')} not covered"
        for cov in found
    ]
    what = plural(len(pairs), "figure or date", "figures and dates")
    return Listing(
        title=what + ("" if every else " not covered by any claim"),
        columns=["document", "line", "kind", "text", "status", "claims / reason", "sentence"],
        rows=rows,
        make_records=lambda: [
            {
                "document": cov.document,
                "line": it.line,
                "column": it.column,
                "kind": it.kind,
                "text": it.text,
                "status": it.status,
                "claims": list(it.claims),
                "reason": it.reason,
                "sentence": it.sentence,
            }
            for cov, it in pairs
        ],
        note="; ".join(notes),
        name="coverage",
    )
