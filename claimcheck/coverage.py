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
import re
from bisect import bisect_right
from dataclasses import dataclass

from claimcheck.loader import LoadedLedger, display_path
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
_QUALIFIER = r"(?:(?:early|mid|late|the end of|the start of|the beginning of)[\s-]+)?"
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
_NUMBER = re.compile(
    rf"(?<![\w.,])\d+(?:[,.]\d+)*(?:\s?(?:%|per cent|percent|k\b|m\b|bn\b))?"
    rf"|\b(?:a\s+)?(?:{_WORDS})(?:(?:[\s-]+|\s+and\s+)(?:{_WORDS}))*\b",
    re.IGNORECASE,
)
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


@dataclass(frozen=True)
class Coverage:
    """Every figure and date of one article, each with its status."""

    document: str
    """The article's path as shown."""
    items: list[Item]
    missing_passages: tuple[int, ...] = ()
    """Indexes of ``left_out`` passages not found in the article."""

    def count(self, status: str) -> int:
        """How many items have ``status``."""
        return sum(1 for it in self.items if it.status == status)

    @property
    def share(self) -> float:
        """The share of items covered or left out on purpose (1.0 with no item)."""
        if not self.items:
            return 1.0
        return 1 - self.count("uncovered") / len(self.items)


def scan(text: str) -> list[tuple[str, int, int]]:
    """Every ``(kind, start, end)`` of a date or figure in ``text``, in order.

    A number inside a date ("12" in "12 September") belongs to the date.
    """
    out: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE.finditer(text):
        if _bare_month_word(m.group()):
            continue
        out.append(("date", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    starts = [s for s, _ in taken]
    for m in _NUMBER.finditer(text):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < taken[i][1]:
            continue
        if _not_a_figure(text, m.start(), m.group()):
            continue
        out.append(("figure", m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out


def _bare_month_word(found: str) -> bool:
    # "May", "March" or a bare abbreviation alone are too often ordinary words.
    word = found.strip().rstrip(".")
    return word in {"May", "March", "Mar", "Jun", "Jan", "Dec", "Sept", "Sep", "Oct", "Nov"}


def _not_a_figure(text: str, start: int, found: str) -> bool:
    low = found.lower()
    # "one" alone as a pronoun ("one of the", "Another one") and the police number
    # "110" inside a name are still figures a reader may want; keep them. Only drop
    # a bare "a" run and list markers.
    if low in {"a"}:
        return True
    before = text[max(0, start - 1) : start]
    return before in {"#"}


def _lines(text: str) -> list[int]:
    return [m.end() for m in re.finditer(r"\n", text)]


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
    document = prepared.original
    spans: list[tuple[int, int, str]] = []
    for c in loaded.ledger.claims:
        m = find_quote(prepared, c.quote)
        if m is not None:
            spans.append((m.start, m.end, c.id))
    passages: list[tuple[int, int, str]] = []
    missing: list[int] = []
    for i, lo in enumerate(loaded.ledger.left_out):
        m = find_quote(prepared, lo.quote)
        if m is None:
            missing.append(i)
        else:
            passages.append((m.start, m.end, lo.reason))
    spans.sort()
    line_starts = _lines(document)
    bounds = sorted({m.end() for m in _SENTENCE_END.finditer(document)})
    items = []
    found = scan(document)
    where = [(start, end) for _, start, end in found]
    by_claims = holding(where, [(s, e) for s, e, _ in spans])
    by_passages = holding(where, [(s, e) for s, e, _ in passages])
    for (kind, start, end), held, left in zip(found, by_claims, by_passages, strict=True):
        claims = tuple(spans[i][2] for i in held)
        reason = passages[left[0]][2] if left else None
        status = "covered" if claims else "left-out" if reason is not None else "uncovered"
        line = bisect_right(line_starts, start)
        col = start - (line_starts[line - 1] if line else 0) + 1
        items.append(
            Item(
                kind,
                document[start:end],
                start,
                end,
                line + 1,
                col,
                _sentence(document, start, end, bounds),
                status,
                claims,
                reason if not claims else None,
            )
        )
    doc = loaded.document_path()
    return Coverage(display_path(doc) if doc else "", items, tuple(missing))


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
        first = [it for it in cov.items if it.status == "uncovered"][:5]
        detail = "not covered: " + "; ".join(f"{it.text!r} (line {it.line})" for it in first)
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
