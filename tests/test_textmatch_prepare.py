"""The prepared document is exactly the plain per-character definition, made faster.

``prepare`` builds the key a chunk at a time through fast paths, works out offsets back
into the text only for the chunks a match needs, and finds numbers with a regex written
for speed. Each is held here to the plain definition it replaces, on texts full of what
the fast paths treat differently: typography, characters whose case-folding is longer
(``ß``, ``İ``), invisible characters, control characters, letters that IGNORECASE
matches to ASCII ones (``ſ``, ``K``, ``ı``), and chunk boundaries anywhere.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import textmatch
from claimcheck.textmatch import (
    _DASHES,
    _KEY_TABLE,
    _VOCAB,
    NumberSpans,
    find_quote,
    key,
    prepare,
)


def plain_key(text: str) -> str:
    """The key as specified: the table, case-folding, no whitespace."""
    out = text.translate(_KEY_TABLE).casefold()
    return out if out.isprintable() else "".join(out.split())


def plain_prepare(document: str) -> tuple[str, list[int]]:
    """Key and offsets character by character, as prepare once did."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(document):
        for c in plain_key(ch):
            chars.append(c)
            index.append(i)
    return "".join(chars), index


_WORDS = sorted(_VOCAB, key=len, reverse=True)
PLAIN_NUMBER = re.compile(
    rf"\d(?:[\d,.]*\d)?|\b(?:{'|'.join(_WORDS)})(?:[\s{_DASHES}-]+(?:{'|'.join(_WORDS)}))*\b",
    re.I,
)


def plain_inside(document: str) -> frozenset[int]:
    return frozenset(
        i for m in PLAIN_NUMBER.finditer(document) for i in range(m.start() + 1, m.end())
    )


PIECES = [
    *"aZ09 .,-'\"`\t\n\r\x0b\x0c\x1c\x01\x7f",
    *"“”‘’–—…\u00a0\u202f\u2009\u00ad\u200b\ufeff\u2028ßİıſ\u212aÉé中😀\u0301",
    "word",
    "Nine",
    "THIRTY-three",
    "230,000",
    "1.5",
    "ſix",
    "\u212aeep",
    "eİght",
]
texts = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@contextmanager
def small_chunks(size: int, kept: int) -> Iterator[None]:
    """Chunks of ``size`` characters, ``kept`` chunk offsets cached: every boundary and
    every eviction is reached by short texts."""
    with patch.object(textmatch, "_CHUNK", size), patch.object(textmatch, "_CHUNK_MAPS", kept):
        yield


@given(texts)
@settings(max_examples=300, deadline=None)
def test_key_is_the_plain_key(text: str) -> None:
    assert key(text) == plain_key(text)


@given(texts, st.integers(1, 9), st.integers(1, 3))
@settings(max_examples=300, deadline=None)
def test_prepared_key_and_offsets_are_the_plain_ones(text: str, size: int, kept: int) -> None:
    want_key, want_index = plain_prepare(text)
    with small_chunks(size, kept):
        doc = prepare(text)
        assert doc.key == want_key
        assert len(doc.index) == len(want_index)
        # Backwards as well: chunks are evicted and worked out again.
        assert [doc.index[i] for i in range(len(want_index))] == want_index
        assert [doc.index[i] for i in reversed(range(len(want_index)))] == want_index[::-1]
        assert list(doc.index[1::2]) == want_index[1::2]


def test_offsets_of_a_long_article_with_typography() -> None:
    text = ("“Nine” of the 230,000 — ſix İ… ß\u00a0" * 40 + "plain ascii, words 12 " * 400) * 3
    want_key, want_index = plain_prepare(text)
    doc = prepare(text)
    assert doc.key == want_key
    assert [doc.index[i] for i in range(len(want_index))] == want_index
    found = find_quote(doc, "words 12 plain")
    assert found is not None and text[found.start : found.end] == "words 12 plain"


NUMBER_PIECES = [
    *_WORDS,
    *(w.upper() for w in _WORDS),
    "ſix",
    "ſeven",
    "\u212a",
    "thİrty",
    "thırty",
    "eİght",
    *"0123456789,.- \n\u00a0–—−xaé_",
    "a",
    "and",
    "someone",
    "nineteenth",
]


NUMBER_PIECES += [*";:!?()\"'/", "x.", ".5", "5,", ",,", "1..2"]


@given(st.lists(st.sampled_from(NUMBER_PIECES), max_size=60).map("".join), st.integers(1, 12))
@settings(max_examples=500, deadline=None)
def test_numbers_are_the_plain_regex_ones(text: str, window: int) -> None:
    # Small windows: numbers found around the offset asked, and, when no character
    # outside every number is near enough, all of them at once.
    want = plain_inside(text)
    with patch.object(textmatch, "_WINDOW", window):
        inside = prepare(text).inside_numbers
        assert {i for i in range(-1, len(text) + 2) if i in inside} == want
        assert all(i in inside for i in want)  # asked once more, after the fallback


def test_numbers_of_a_long_text_are_found_near_each_offset() -> None:
    text = "Filler that says 12, 30 and nine hundred, then 230,000 more. " * 2000
    doc = prepare(text)
    inside = doc.inside_numbers
    at = text.index("230,000", 60_000)
    assert at + 3 in inside and at not in inside and at + 7 not in inside
    nine = text.index("nine hundred", 60_000)
    assert nine + 6 in inside  # between the words


@given(st.lists(st.sampled_from(NUMBER_PIECES), max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_the_number_regex_as_built_finds_the_plain_numbers(text: str) -> None:
    # Built here rather than taken from the module (built once at import): what the
    # builder makes, not only what it made.
    scan = textmatch._number_scan()
    got = frozenset(i for m in scan.finditer(text) for i in range(m.start() + 1, m.end()))
    assert got == plain_inside(text)


def test_the_number_regex_as_built_on_each_word_and_case() -> None:
    scan = textmatch._number_scan()
    for word in _WORDS:
        for text in (word, word.upper(), word.title(), f"x {word}-{word} y", f"{word}s"):
            spans = [m.span() for m in scan.finditer(text)]
            assert spans == [m.span() for m in PLAIN_NUMBER.finditer(text)], text
    for odd in ("ſix", "ſeven", "\u212a", "thİrty", "thırty", "eİght", "ſeventy-ſix"):
        assert [m.span() for m in scan.finditer(odd)] == [
            m.span() for m in PLAIN_NUMBER.finditer(odd)
        ], odd


# --- what is asked of the prepared text, beyond the plain definition --------------------


def test_key_drops_every_kind_of_space() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert key("a" + "".join(spaces) + "b") == "ab"
    assert all(key(f"é{s}b") == "éb" for s in spaces)


def test_offsets_from_the_end_and_out_of_range() -> None:
    text = "“Nine” of the 230,000 — ſix"
    _, want_index = plain_prepare(text)
    with small_chunks(4, 2):
        doc = prepare(text)
        n = len(want_index)
        assert [doc.index[i] for i in range(-n, 0)] == want_index
        for i in (n, n + 5, -n - 1):
            with pytest.raises(IndexError, match=r"^key offset out of range$"):
                doc.index[i]


def test_offsets_of_a_chunk_are_worked_out_once_while_kept() -> None:
    text = "abcd efgh ijkl mnop"  # chunks of 5: four of them
    calls: list[str] = []

    def counted(chunk: str) -> array[int]:
        calls.append(chunk)
        return chunk_offsets(chunk)

    chunk_offsets = textmatch._chunk_offsets
    with small_chunks(5, 2), patch.object(textmatch, "_chunk_offsets", counted):
        doc = prepare(text)
        for i in [0, 1, 4, 5, 0, 4]:  # chunks 0 and 1, asked again while both are kept
            doc.index[i]
        assert calls == ["abcd ", "efgh "]
        doc.index[8]  # a third chunk: at most two are kept, so both others are dropped
        doc.index[0]
        doc.index[4]
        assert calls == ["abcd ", "efgh ", "ijkl ", "abcd ", "efgh "]


def test_pieces_of_the_key_and_where_they_are() -> None:
    doc = prepare("Ab cab")
    assert doc.grams(2) == {"ab": [0, 3], "bc": [1], "ca": [2]}
    assert doc.grams(5) == {"abcab": [0]}
    assert doc.grams(6) == {}
    assert doc.grams(2) is doc.grams(2)  # made once
    # A piece found more than 64 times: only the first 65 offsets are kept.
    assert prepare("ab" * 100).grams(2)["ab"] == list(range(0, 130, 2))


def test_only_whole_numbers_are_offsets() -> None:
    inside = prepare("30 stations").inside_numbers
    assert 1 in inside
    assert 1.0 not in inside
    assert "1" not in inside
    assert None not in inside


@pytest.mark.parametrize(
    ("text", "offset", "window", "answer"),
    [
        # Characters no number holds ("(", ")") within the window on both sides: answered.
        ("(1111)", 3, 3, True),
        ("xx(1111)", 5, 3, True),
        ("(1111)xx", 2, 3, True),
        # The text's ends count as such characters.
        ("1111)", 2, 3, True),
        ("(1111", 2, 3, True),
        # The window reaches one exactly.
        ("xx(1111111111)xx", 8, 6, True),
        ("(1111111111)", 5, 6, True),
        # One side has none within the window: not answered here.
        ("xx(1111111111)xx", 8, 5, None),
        ("(1111111111)", 5, 5, None),
        ("11111)", 3, 2, None),
        # Right after or at such a character, or at a number's start: never inside.
        ("(" + "1" * 20, 1, 5, False),
        ("11(11111111111", 2, 3, False),
        ("1111(111", 4, 2, False),
        ("(ab 11)", 4, 4, False),
        # The text's ends are inside nothing.
        ("1111111", 0, 2, False),
        ("1111111", 7, 2, False),
    ],
)
def test_numbers_around_an_offset(text: str, offset: int, window: int, answer: bool | None) -> None:
    # What a long article needs: the answer from the text near the offset, when the
    # window holds what it takes (otherwise every number of the text is found, once).
    with patch.object(textmatch, "_WINDOW", window):
        assert NumberSpans(text)._near(offset) is answer
    if answer is not None:
        assert (offset in NumberSpans(text)) is answer is (offset in plain_inside(text))


class Recorded:
    """A compiled pattern whose searches are recorded as (start, end) of the text."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.searched: list[tuple[int, int]] = []

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        self.searched.append((pos, min(endpos, len(text))))
        return self.pattern.finditer(text, pos, endpos)


def test_a_long_text_is_searched_only_near_the_offsets_asked() -> None:
    window = 32
    unit = "words (" + "1" * 40 + ") more 230,000 and nine hundred; "
    text = unit * 2000
    numbers, outside = Recorded(textmatch._NUMBER_SCAN), Recorded(textmatch._OUTSIDE)
    with (
        patch.object(textmatch, "_WINDOW", window),
        patch.object(textmatch, "_NUMBER_SCAN", numbers),
        patch.object(textmatch, "_OUTSIDE", outside),
    ):
        inside = prepare(text).inside_numbers
        base = len(unit) * 1000
        paren = base + unit.index("(")
        for offset, answer in [
            (paren + window, True),  # "(" exactly a window back
            (paren + 41, False),  # at ")"
            (base + unit.index("230,000") + 3, True),
            (base + unit.index("nine") + 6, True),
            (base + unit.index("more"), False),
        ]:
            numbers.searched.clear()
            outside.searched.clear()
            assert (offset in inside) is answer
            assert numbers.searched or outside.searched
            for start, end in numbers.searched + outside.searched:
                assert offset - window <= start and end <= offset + window + 2, (offset, start, end)


def test_the_number_regex_as_built_rejects_a_word_off_by_one_letter() -> None:
    scan = textmatch._number_scan()
    for word in _WORDS:
        for i, c in enumerate(word):
            for other in "xXoNe":
                if other.lower() != c:
                    text = f"{word[:i]}{other}{word[i + 1 :]}"
                    spans = [m.span() for m in scan.finditer(text)]
                    assert spans == [m.span() for m in PLAIN_NUMBER.finditer(text)], text
