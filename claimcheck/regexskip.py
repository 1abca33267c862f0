"""Scan a long text with a regex that can only start at a few characters, fast.

Python's regex engine tries a pattern at every offset of the text, unless the pattern
begins with a literal or one character class: then it skips, in C, every offset whose
character cannot start a match. Patterns like ``\\b(?:September|…|\\d{4}-…)`` begin with
neither, and on a 30 MB article that costs seconds.

:func:`skipping` wraps such a pattern, unchanged, behind a class of the characters it can
start with: ``[FIRST](?<=(?=(?P<found>PATTERN)).)``. The class lets the engine skip; the
lookbehind steps back onto that character and the lookahead matches the original pattern
there. :func:`spans` then walks the text as ``finditer`` does (leftmost match, the next
search from its end), so the matches are exactly the original pattern's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["CASE_EXTRA", "nocase_chars", "skipping", "spans"]

CASE_EXTRA = {"i": "İı", "k": "\u212a", "s": "ſ"}
"""Characters other than the upper-case letter that re.IGNORECASE matches to an ASCII
letter (checked against the regex engine in tests/test_regexskip.py)."""


def nocase_chars(letters: str) -> str:
    """``letters`` with every character re.IGNORECASE matches to them, for a class."""
    return "".join(f"{c}{c.upper()}{CASE_EXTRA.get(c, '')}" for c in dict.fromkeys(letters))


def skipping(pattern: re.Pattern[str], first: str) -> re.Pattern[str]:
    """``pattern``, found only at characters of the class body ``first`` (which must
    hold every character a match can start with; ``pattern`` must never match empty)."""
    inner = pattern.pattern
    if pattern.flags & re.IGNORECASE:
        inner = f"(?i:{inner})"
    return re.compile(rf"[{first}](?<=(?=(?P<found>{inner})).)")


def spans(skip: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each match of the pattern behind ``skip`` in ``text``,
    as ``finditer`` would find them."""
    search = skip.search
    pos = 0
    while (m := search(text, pos)) is not None:
        start, end = m.span("found")
        yield start, end
        pos = end if end > start else start + 1  # never stuck on an empty match
