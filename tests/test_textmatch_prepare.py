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
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import textmatch
from claimcheck.textmatch import _DASHES, _KEY_TABLE, _VOCAB, find_quote, key, prepare


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
