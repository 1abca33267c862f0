"""The fast scans find exactly what the plain patterns find.

Coverage scans an article with its date and figure patterns wrapped by
``regexskip.skipping`` (so that the regex engine skips offsets where they cannot start)
and keeps its items in arrays. Each is held here to the plain form: ``finditer`` over
the original patterns, and the coverage of every item computed over all items.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import coverage
from claimcheck.coverage import _DATE, _NUMBER, _bare_month_word, _held, holding
from claimcheck.regexskip import CASE_EXTRA, nocase_chars, skipping, spans


def test_case_extra_is_what_ignorecase_matches() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        matched = set(re.findall(letter, everything, re.IGNORECASE))
        assert matched == set(nocase_chars(letter)), letter
    assert set(CASE_EXTRA) <= set("abcdefghijklmnopqrstuvwxyz")


def _not_a_figure(text: str, start: int, found: str) -> bool:
    return found.lower() in {"a"} or text[max(0, start - 1) : start] in {"#"}


def plain_scan(text: str) -> list[tuple[str, int, int]]:
    """Coverage's scan as first written: finditer over the plain patterns."""
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


PIECES = [
    *"0123456789 ,.-–\n#%/()",
    "September",
    "Sept.",
    "May",
    "March",
    "Mar",
    "Dec",
    "june",
    "early",
    "mid-",
    "late ",
    "the end of ",
    "the beginning of",
    "12",
    "1st",
    "22nd",
    "2016",
    "1990s",
    "2022-09-12",
    "230,000",
    "1.5",
    "nine",
    "Thirty",
    "FORTY",
    "a ",
    "a dozen",
    " and ",
    "hundred",
    "thousands",
    "half",
    "per cent",
    "percent",
    "k",
    "m",
    "bn",
    "ſix",
    "ſeven",
    "nİne",
    "fıve",
    "\u212a",
    "someone",
    "x",
    "é",
    "٣",
]
texts = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@given(texts)
@settings(max_examples=400, deadline=None)
def test_scan_is_the_plain_scan(text: str) -> None:
    assert coverage.scan(text) == plain_scan(text)


@given(texts, st.integers(1, 12))
@settings(max_examples=300, deadline=None)
def test_skipping_finds_what_finditer_finds(text: str, block: int) -> None:
    assert list(spans(coverage._DATE_SCAN, text)) == [m.span() for m in _DATE.finditer(text)]
    # Figures: digits and words found apart, words in the lower-cased text (in blocks of
    # a few characters here) unless it holds a letter lower-casing does not map as
    # IGNORECASE does.
    with patch.object(coverage, "_BLOCK", block):
        assert list(coverage._figures(text)) == [m.span() for m in _NUMBER.finditer(text)]


def test_lower_casing_keeps_what_the_number_words_pattern_sees() -> None:
    # Every character but those set apart lower-cases to one character of the same
    # kind (word, space, digit), and to an ASCII letter only if IGNORECASE matches it to
    # that letter: so the lower-cased text matches the plain pattern where the original
    # matches the IGNORECASE one.
    for c in map(chr, range(sys.maxunicode + 1)):
        if 0xD800 <= ord(c) < 0xE000 or c in coverage._NOT_LOWERED_ALIKE:
            continue
        low = c.lower()
        assert len(low) == 1, c
        for kind in (r"\w", r"\s", r"\d", r"[\s-]"):
            assert bool(re.match(kind, c)) == bool(re.match(kind, low)), (c, kind)
        if "a" <= low <= "z":
            assert c in nocase_chars(low), c
    for c in coverage._NOT_LOWERED_ALIKE:
        assert len(c.lower()) != 1 or not "a" <= c.lower() <= "z"


def test_a_first_class_that_misses_a_start_misses_matches() -> None:
    # The class is what lets the engine skip: a start outside it is never tried.
    digits = re.compile(r"\d+")
    assert list(spans(skipping(digits, "1"), "12 21 3")) == [(0, 2), (4, 5)]
    assert list(spans(skipping(digits, r"\d"), "12 21 3")) == [(0, 2), (3, 5), (6, 7)]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 6)), max_size=30),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=6),
)
@settings(max_examples=300, deadline=None)
def test_held_items_are_those_holding_finds(
    items: list[tuple[int, int]], within: list[tuple[int, int]]
) -> None:
    where = sorted((s, s + n) for s, n in items)
    spans_ = [(s, s + n) for s, n in within]
    starts = array("q", [s for s, _ in where])
    ends = array("q", [e for _, e in where])
    everything = holding(where, spans_)
    assert _held(starts, ends, spans_) == {i: h for i, h in enumerate(everything) if h}
