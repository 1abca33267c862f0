"""Find quotes in a document and figures or dates in a quote, despite typography.

Articles are typeset: curly quotes, non-breaking and thin spaces, en dashes, words
that lost the space between them ("The National Postreported"), numbers written as
words ("nine") or with separators ("230,000"). A ledger is typed by a person. These
pure functions compare the two on a *key* from which typography has been folded away:

* quotation marks and apostrophes (straight, curly, primes, guillemets) are dropped,
  so a quote with or without its quotation marks, curly or straight, matches;
* every dash and minus becomes ``-``; ``…`` becomes ``...``;
* every kind of space, line break, soft hyphen and zero-width character is dropped,
  so differences of spacing, including a missing space between words, never matter;
* letters are case-folded.

The document's key keeps, for each of its characters, the offset of the original
character it came from, so a match or a near miss can be shown as the original text.
Normalise a document once with :func:`prepare` and search it for many quotes: a search
is one ``str.find`` on the key.
"""

from __future__ import annotations

import calendar
import math
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import chain, compress
from typing import overload

__all__ = [
    "KeyIndex",
    "Match",
    "NumberSpans",
    "PreparedText",
    "date_forms",
    "date_in_text",
    "find_quote",
    "fold",
    "key",
    "nearest_passage",
    "number_forms",
    "number_to_words",
    "numbers_in_text",
    "prepare",
    "value_in_text",
]

# --- normalisation -------------------------------------------------------------------

_QUOTE_MARKS = "\"'`´‘’‚‛“”„‟′″‴‵‶‷«»‹›「」『』＂＇"
_DASHES = "‐‑‒–—―⁃−﹘﹣－"
# Spaces that are not ASCII whitespace: NBSP, the typographic spaces, narrow NBSP …
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u2028\u2029\u202f\u205f\u3000\u0085"
# Invisible characters that typesetting inserts inside words.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_FOLD_TABLE: dict[int, str | None] = {
    **{ord(c): "'" for c in "‘’‚‛′‵`´＇"},
    **{ord(c): '"' for c in "“”„‟″‶«»‹›＂"},
    **{ord(c): "-" for c in _DASHES},
    **{ord(c): " " for c in _SPACES + "\t\n\r\f\v"},
    **{ord(c): None for c in _INVISIBLE},
    ord("…"): "...",
}
_KEY_TABLE: dict[int, str | None] = {
    **{ord(c): None for c in _QUOTE_MARKS},
    **{ord(c): "-" for c in _DASHES},
    **{ord(c): None for c in _SPACES + _INVISIBLE + " \t\n\r\f\v\x1c\x1d\x1e\x1f"},
    ord("…"): "...",
}
_SPACE_RUN = re.compile(r"\s+")
_ELISION = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[…\]|\.\s*\.\s*\.|…)\s*")


# The article's own typography. Replacing these first (``str.replace`` is fast) usually
# leaves ASCII, which the fast paths below handle many times faster than other text.
_TYPOGRAPHY = "“”‘’–—\u00a0…"


def _ascii_first(text: str, table: dict[int, str | None]) -> str:
    if not text.isascii():
        for ch in _TYPOGRAPHY:
            if ch in text:
                text = text.replace(ch, table[ord(ch)] or "")
    return text


# The key of ASCII text through ``bytes.translate``: ``str.translate`` leaves its fast
# path at the first deleted character, and a key deletes every space.
_ASCII_DROP = bytes(c for c in range(128) if _KEY_TABLE.get(c, chr(c)) is None)
# The table maps no ASCII character to another one; case-folding ASCII is lowering it.
_ASCII_KEY = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
# 1 for an ASCII character the key keeps, 0 for one it drops.
_ASCII_KEPT = bytes(0 if c in _ASCII_DROP else 1 for c in range(256))


def fold(text: str) -> str:
    """Fold typography for display and word-level matching.

    Curly quotes and primes become straight, every dash ``-``, every space or run of
    whitespace one space; letters are case-folded.
    """
    folded = _ascii_first(text, _FOLD_TABLE).translate(_FOLD_TABLE)
    return _SPACE_RUN.sub(" ", folded).strip().casefold()


def key(text: str) -> str:
    """The comparison key of ``text``: folded, without whitespace or quotation marks."""
    text = _ascii_first(text, _KEY_TABLE)
    if text.isascii():
        return text.encode().translate(_ASCII_KEY, _ASCII_DROP).decode()  # ASCII is UTF-8
    # The table drops every str.isspace() character, and no case-folding makes one.
    return text.translate(_KEY_TABLE).casefold()


@dataclass(frozen=True)
class Match:
    """Where a quote was found: ``text[start:end]`` of the original document."""

    start: int
    end: int
    text: str


_CHUNK = 4096
"""Characters of the document normalised together; the offsets of one chunk's key are
worked out when a match first needs them."""
_CHUNK_MAPS = 256
"""Chunks whose offsets are kept at once (about 8 KiB each)."""


class KeyIndex(Sequence[int]):
    """``index[i]``: the offset in the original text of the character that made ``key[i]``.

    Only where each chunk of the key begins is stored; the offsets inside a chunk are
    worked out when first asked for and a few hundred chunks are kept. An offset per
    character (even 8 bytes in a typed array) would cost 240 MB for a 30 MB article.
    """

    def __init__(self, original: str, starts: array[int]) -> None:
        self._original = original
        self._starts = starts  # key offset where chunk c begins; one more at the end
        self._maps: dict[int, array[int]] = {}

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> list[int]: ...

    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("key offset out of range")
        # The last chunk starting at or before i; an empty chunk never is (the next
        # one starts at the same offset).
        c = bisect_right(self._starts, i) - 1
        offsets = self._maps.get(c)
        if offsets is None:
            if len(self._maps) >= _CHUNK_MAPS:
                self._maps.clear()
            lo = c * _CHUNK
            offsets = self._maps[c] = _chunk_offsets(self._original[lo : lo + _CHUNK])
        return c * _CHUNK + offsets[i - self._starts[c]]


def _chunk_offsets(chunk: str) -> array[int]:
    """For each character of ``key(chunk)``, the offset in ``chunk`` it came from."""
    if chunk.isascii():
        # Every ASCII character is kept as one character or dropped.
        kept = chunk.encode().translate(_ASCII_KEPT)
        return array("H", compress(range(len(chunk)), kept))
    offsets = array("H")
    made: dict[str, int] = {}
    for i, ch in enumerate(chunk):
        n = made.get(ch)
        if n is None:
            n = made[ch] = len(key(ch))
        for _ in range(n):
            offsets.append(i)
    return offsets


class NumberSpans(Container[int]):
    """Offsets strictly inside a number of the text ("2|4", "nine|ty").

    A match's two ends are all that is ever asked about, so the numbers are found only
    around the offset asked: between the nearest characters on either side that no
    number can hold (see :data:`_OUTSIDE`), which prose has every few words. When there
    is none within :data:`_WINDOW` characters, every number of the text is found once
    and kept as sorted spans, tested by bisection.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans: tuple[array[int], array[int]] | None = None  # starts, ends

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int):
            return False
        if self._spans is None:
            near = self._near(offset)
            if near is not None:
                return near
            flat = array("q", chain.from_iterable(map(_span, _NUMBER_SCAN.finditer(self._text))))
            self._spans = flat[0::2], flat[1::2]
        starts, ends = self._spans
        i = bisect_left(starts, offset) - 1
        return i >= 0 and offset < ends[i]

    def _near(self, p: int) -> bool | None:
        """Whether ``p`` is inside a number, from the text around it; None when no
        character outside every number is near enough on both sides."""
        text = self._text
        if not 0 < p < len(text):
            return False
        lo = max(0, p - _WINDOW)
        hi = min(len(text), p + _WINDOW)
        # Characters outside every number around p (each pattern looks one character on).
        outside = [m.start() for m in _OUTSIDE.finditer(text, lo, min(len(text), hi + 2))]
        before = [i for i in outside if i < p]
        after = [i for i in outside if i >= p - 1 and i <= hi]
        if after and after[0] <= p:
            return False  # p - 1 or p is in no number
        if (not before and lo > 0) or (not after and hi < len(text)):
            return None
        start = before[-1] + 1 if before else 0
        end = after[0] if after else len(text)
        # No number straddles either cut, so the numbers between are the text's own.
        for m in _NUMBER_SCAN.finditer(text, start, end):
            if m.start() >= p:
                break
            if p < m.end():
                return True
        return False


_WINDOW = 256
"""How far from an offset a character outside every number is looked for."""


def _span(m: re.Match[str]) -> tuple[int, int]:
    return m.span()


@dataclass
class PreparedText:
    """A document normalised once for many searches.

    ``key`` is the comparison key of ``original``; ``index[i]`` is the offset in
    ``original`` of the character that produced ``key[i]``.
    """

    original: str
    key: str
    index: Sequence[int]
    inside_numbers: Container[int] = frozenset()
    """Offsets strictly inside a number ("2|4", "nine|ty"): no match may start or end there."""
    _grams: dict[int, dict[str, list[int]]] = field(default_factory=dict, repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``key[start:end]`` (``end > start``)."""
        return self.index[start], self.index[end - 1] + 1

    def grams(self, q: int) -> dict[str, list[int]]:
        """Offsets in ``key`` of each ``q``-character substring (built on first use), at
        most the first ``_COMMON + 1`` of each."""
        table = self._grams.get(q)
        if table is None:
            table = {}
            k = self.key
            for i in range(len(k) - q + 1):
                piece = k[i : i + q]
                hits = table.get(piece)
                if hits is None:
                    table[piece] = [i]
                elif len(hits) <= _COMMON:
                    # More than _COMMON say nothing about where a quote is: keeping them
                    # all took hundreds of megabytes on a long, repetitive article.
                    hits.append(i)
            self._grams[q] = table
        return table


def prepare(document: str) -> PreparedText:
    """Normalise ``document`` once; pass the result to :func:`find_quote` for each quote.

    The cost is a few passes of C code over the text, whatever its length: the key is
    made a chunk at a time (the key of a text is the keys of its characters, one after
    the other), the offsets back into the text only for the chunks a match lands in.
    """
    keys: list[str] = []
    starts = array("q", [0])
    for lo in range(0, len(document), _CHUNK):
        part = key(document[lo : lo + _CHUNK])
        keys.append(part)
        starts.append(starts[-1] + len(part))
    return PreparedText(document, "".join(keys), KeyIndex(document, starts), NumberSpans(document))


def _fragments(quote: str) -> list[str]:
    """The quote's keys, split at elisions ("…", "...", "[...]"), empty ones dropped."""
    if "…" not in quote and quote.count(".") < 3:
        whole = key(quote)  # the common case, without a regex split
        return [whole] if whole else []
    return [k for k in (key(part) for part in _ELISION.split(quote)) if k]


def find_quote(document: str | PreparedText, quote: str) -> Match | None:
    """Find ``quote`` in ``document`` despite typography; None when it is not there.

    An elision in the quote ("…" or "...") stands for omitted words: the parts around it
    must appear in order. A quote with no words at all is never found.
    """
    doc = document if isinstance(document, PreparedText) else prepare(document)
    parts = _fragments(quote)
    if not parts:
        return None
    first = _find(doc, parts[0])
    if first is None:
        return None
    end = first + len(parts[0])
    for part in parts[1:]:
        at = _find(doc, part, end)
        if at is None:
            return None
        end = at + len(part)
    start, stop = doc.span(first, end)
    return Match(start, stop, doc.original[start:stop])


def _find(doc: PreparedText, part: str, pos: int = 0) -> int | None:
    """Offset in ``doc.key`` of ``part`` from ``pos``, not cutting a number; None if none.

    Without this, "a further 2" would be found in "a further 24" and a wrong figure
    would pass both anchoring checks.
    """
    at = doc.key.find(part, pos)
    while at >= 0:
        start, end = doc.span(at, at + len(part))
        if start not in doc.inside_numbers and end not in doc.inside_numbers:
            return at
        at = doc.key.find(part, at + 1)
    return None


# --- nearest passage -----------------------------------------------------------------

_GRAM = 4
_COMMON = 64  # a gram found more often than this says nothing about where the quote is
_BUCKET = 8
_CANDIDATES = 3


def nearest_passage(document: str | PreparedText, quote: str) -> tuple[str, float]:
    """The passage of ``document`` most like ``quote``, and their similarity (0 to 1).

    Candidates are the alignments most 4-character pieces of the quote agree on (one
    pass over the quote with an index of the document), refined with difflib; so the
    cost grows with the quote, not with the document. Returns ``("", 0.0)`` when the
    document shares nothing with the quote.
    """
    doc = document if isinstance(document, PreparedText) else prepare(document)
    q = "".join(_fragments(quote))
    m = len(q)
    if not m or not doc.key:
        return "", 0.0
    gram = min(_GRAM, m)
    table = doc.grams(gram)
    votes: Counter[int] = Counter()
    stride = max(1, m // 200)  # very long quotes: sample their pieces
    for j in range(0, m - gram + 1, stride):
        hits = table.get(q[j : j + gram])
        if hits and len(hits) <= _COMMON:
            for p in hits:
                votes[(p - j) // _BUCKET] += 1
    if not votes:
        return "", 0.0
    # A few slips shift the alignment by a character or two: let neighbours add up.
    scored = Counter(
        {b: votes[b] + (votes.get(b - 1, 0) + votes.get(b + 1, 0)) // 2 for b in votes}
    )
    tried: list[int] = []
    ranked = scored.most_common()
    for bucket, score in ranked:
        # Only alignments about as well supported as the best deserve a costly diff.
        if len(tried) == _CANDIDATES or score * 2 < ranked[0][1]:
            break
        if any(abs(bucket - t) <= 2 for t in tried):
            continue  # the same alignment, give or take a slip
        tried.append(bucket)
    # The closest alignment; of equally close ones, the best supported.
    _, lo, hi = max((_align(q, doc.key, b * _BUCKET) for b in tried), key=_closeness)
    start, end = doc.span(lo, hi)
    passage = _widen(doc.original, start, end)
    # Measured on the passage as shown: "a further 2" is not all of "a further 24".
    return passage, _similarity(q, passage)


def _closeness(aligned: tuple[float, int, int]) -> float:
    return aligned[0]


def _align(q: str, k: str, at: int) -> tuple[float, int, int]:
    """Best span of ``k`` near offset ``at`` for ``q``: (similarity, start, end)."""
    m = len(q)
    slack = m // 4 + _BUCKET
    lo = max(0, at - slack)
    hi = min(len(k), at + m + slack)
    window = k[lo:hi]
    minimum = min(3, m)
    # Never empty: a piece of q voted for this alignment, and the window holds it.
    blocks = [
        b
        for b in SequenceMatcher(None, q, window, autojunk=False).get_matching_blocks()
        if b.size >= minimum
    ]
    sizes = [0]
    for b in blocks:
        sizes.append(sizes[-1] + b.size)

    def score(first: int, last: int) -> float:
        # difflib's ratio, 2*M/T, with M the characters the kept blocks match.
        matched = sizes[last + 1] - sizes[first]
        span = blocks[last].b + blocks[last].size - blocks[first].b
        return 2.0 * matched / (m + span)

    # Stray short matches at either end stretch the span: drop them while that helps.
    first, last = 0, len(blocks) - 1
    current = score(first, last)
    improved = True
    while improved and first < last:
        improved = False
        for f, la in ((first + 1, last), (first, last - 1)):
            s = score(f, la)
            if s > current:
                first, last, current, improved = f, la, s, True
                break
    # Show the stretch of text that stands where the quote's unmatched ends would be,
    # so a changed word at either end is part of the passage.
    head = blocks[first].a
    tail = m - blocks[last].a - blocks[last].size
    start = max(0, lo + blocks[first].b - head)
    end = min(len(k), lo + blocks[last].b + blocks[last].size + tail)
    matched = sizes[last + 1] - sizes[first]
    return 2.0 * matched / (m + end - start), start, end


def _widen(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole words, whitespace collapsed."""
    # Only as far as a nearby space: text without spaces (Chinese script, a long URL)
    # has no words to complete.
    # The ends of the text are word boundaries too.
    if start > 0 and not text[start - 1].isspace():
        before = max(text.rfind(c, max(0, start - 40), start) for c in _WORD_ENDS)
        if before >= 0 or start <= 40:
            start = before + 1  # 0 when the text's start is near and no space is
    if end < len(text) and not text[end].isspace():
        after = _WORD_END.search(text, end, end + 40)
        if after:
            end = after.start()
        elif len(text) - end <= 40:
            end = len(text)
    return _SPACE_RUN.sub(" ", text[start:end]).strip()


_WORD_ENDS = " \n\t\u00a0"
_WORD_END = re.compile(f"[{_WORD_ENDS}]")


def _similarity(q: str, passage: str) -> float:
    """difflib's ratio of the quote's key to the passage's.

    Punctuation that the passage has at either end and the quote has not (the full stop
    after its last word) is left out.
    """
    k = key(passage)
    while k and not k[-1].isalnum() and not q.endswith(k[-1]):
        k = k[:-1]
    while k and not k[0].isalnum() and not q.startswith(k[0]):
        k = k[1:]
    return SequenceMatcher(None, q, k, autojunk=False).ratio()


# --- numbers -------------------------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_VOCAB: dict[str, tuple[str, int]] = {
    **{w: ("unit", i) for i, w in enumerate(_UNITS)},
    **{w: ("teen", 10 + i) for i, w in enumerate(_TEENS)},
    **{w: ("ten", 20 + 10 * i) for i, w in enumerate(_TENS)},
    "hundred": ("hundred", 100),
    "dozen": ("dozen", 12),
    **{w: ("scale", v) for w, v in _SCALES.items()},
}
_WORD_ALT = "|".join(sorted(_VOCAB, key=len, reverse=True))
_WORD_RUN = re.compile(
    rf"\b(?:a[\s-]+(?=(?:hundred|thousand|million|billion|dozen)\b))?(?:{_WORD_ALT})"
    rf"(?:(?:[\s-]+|\s+and\s+)(?:{_WORD_ALT}))*\b"
)
_WORD_TOKEN = re.compile(r"[a-z]+")
# A number as a whole in raw text: digits with their separators, or a run of number words,
# case-insensitive: ``\d(?:[\d,.]*\d)?|\b(?:WORD)(?:[\s<dashes>-]+(?:WORD))*\b`` under
# re.IGNORECASE. Written so that it starts with one character class (each letter spelled
# out with the characters that IGNORECASE matches it to): the regex engine then skips
# every other character in C instead of trying both alternatives at each offset, three
# times faster on a long article. tests/test_textmatch_prepare.py holds it to the plain form.
_CASE_EXTRA = {"i": "İı", "k": "\u212a", "s": "ſ"}


def _nocase(word: str) -> str:
    return "".join(f"[{c}{c.upper()}{_CASE_EXTRA.get(c, '')}]" for c in word)


def _number_scan() -> re.Pattern[str]:
    # In any order: a word is followed by a separator or \b, so only the alternative
    # that is all of a run of letters can match at an offset.
    words = list(_VOCAB)
    any_word = "|".join(_nocase(w) for w in words)
    firsts = sorted({w[0] for w in words})
    # After the first letter (a word start: no word character before it), the rest of a
    # word that begins with it.
    rests = "|".join(
        f"(?<={_nocase(f)})(?:" + "|".join(_nocase(w[1:]) for w in words if w[0] == f) + ")"
        for f in firsts
    )
    first_chars = "".join(_nocase(f)[1:-1] for f in firsts)  # "[sSſ]" without brackets
    return re.compile(
        rf"[\d{first_chars}]"
        rf"(?:(?<=\d)(?:[\d,.]*\d)?"
        rf"|(?<!\w.)(?:{rests})(?:[\s{_DASHES}-]+(?:{any_word}))*\b)"
    )


_NUMBER_SCAN = _number_scan()
# A character no number (a match of _NUMBER_SCAN) can hold: one that is neither a word
# character, a space, a dash nor a separator of digits; or a separator at either end of
# its run of digits and separators (a number begins and ends with a digit).
_OUTSIDE = re.compile(rf"[^\w\s,.{_DASHES}-]|(?<![\d,.])[,.]|[,.](?![\d,.])")
# Digits grouped by commas are one number (the 230 in "230,000" is not a figure);
# grouped by spaces (NBSP and thin spaces fold to spaces) they are ambiguous ("230 000"
# or "in 25 300 ..."), so they are read both whole and as parts. A multiplier may follow
# ("230k", "1.5 million").
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<int>\d{1,3}(?:(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*)|\d+)"
    r"(?P<frac>\.\d+)?"
    r"(?:\s?(?P<mult>k|m|bn|thousand|million|billion)\b)?(?!\w|[.,]\d)"
)
_MULT = {"k": 10**3, "m": 10**6, "bn": 10**9, **_SCALES}


def _parse_words(tokens: list[str]) -> list[int]:
    """Values of a run of number words; an invalid sequence starts a new number.

    "thirty-three" is 33 (never 3), "two hundred and thirty thousand" 230000, "one two"
    is 1 and 2.
    """
    values: list[int] = []
    total = current = 0
    last: str | None = None
    last_scale = sys.maxsize

    def flush() -> None:
        nonlocal total, current, last, last_scale
        # Never right after "a": the word run has a scale word after it.
        if last is not None:
            values.append(total + current)
        total = current = 0
        last, last_scale = None, sys.maxsize

    pending_and = False
    for tok in tokens:
        if tok == "a":
            flush()
            current, last = 1, "a"
            continue
        if tok == "and":
            pending_and = last in ("hundred", "scale")
            if not pending_and:
                flush()
            continue
        kind, val = _VOCAB[tok]
        ok: bool
        if kind == "unit":
            ok = last in (None, "hundred", "scale") or (last == "ten" and val > 0)
            ok = ok and not (pending_and and val == 0)
        elif kind in ("teen", "ten"):
            ok = last in (None, "hundred", "scale")
        elif kind == "hundred":
            ok = last in ("unit", "teen", "a") and 0 < current < 100 and not pending_and
        elif kind == "dozen":
            ok = last in ("unit", "a") and not pending_and
        else:
            ok = (
                last in ("unit", "teen", "ten", "hundred", "a")
                and current > 0
                and val < last_scale
                and not pending_and
            )
        if not ok:
            flush()
            if kind in ("hundred", "scale"):
                continue  # a bare "hundred" is no number; a bare "dozen" makes none below
        pending_and = False
        if kind in ("unit", "teen", "ten"):
            current += val
            last = kind
        elif kind == "hundred":
            current *= 100
            last = "hundred"
        elif kind == "dozen":
            current *= 12
            flush()  # "two dozen" is a whole number
        else:
            total += current * val
            current, last, last_scale = 0, "scale", val
    flush()
    return values


def numbers_in_text(text: str) -> list[float]:
    """Every number ``text`` states, in digits or in words, in order of appearance.

    Thousands separators and multipliers are understood ("230,000", "230k", "1.5
    million"); a digit never counts inside a longer number (no 3 in "30" or "3.5").
    Digits grouped by plain spaces ("230 000") are read both whole and as parts.
    """
    folded = fold(text)
    found = [(m.start(), v) for m in _NUMBER.finditer(folded) for v in _digit_values(m)]
    found += [(m.start(), v) for m in _word_runs(folded) for v in _word_values(m)]
    found.sort(key=lambda t: t[0])
    return [v for _, v in found]


def _digit_values(m: re.Match[str]) -> list[float]:
    digits = m["int"]
    whole = float(digits.replace(",", "").replace(" ", "") + (m["frac"] or ""))
    out = [whole * _MULT[m["mult"]], whole] if m["mult"] else [whole]
    if m["sep"] == " ":
        out.extend(float(g) for g in digits.split())
    return out


def _word_runs(folded: str) -> list[re.Match[str]]:
    # Most quotes have no number word: a set lookup is cheaper than the big regex.
    if _VOCAB.keys().isdisjoint(_WORD_TOKEN.findall(folded)):
        return []
    return list(_WORD_RUN.finditer(folded))


def _word_values(m: re.Match[str]) -> list[float]:
    return [float(v) for v in _parse_words(_WORD_TOKEN.findall(m[0]))]


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b)  # within 10⁻⁹ of each other, relatively


def value_in_text(value: float, text: str) -> bool:
    """True when ``text`` states the number ``value`` in any of its usual forms."""
    folded = fold(text)
    for m in _NUMBER.finditer(folded):
        if any(_same(value, v) for v in _digit_values(m)):
            return True
    return any(_same(value, v) for m in _word_runs(folded) for v in _word_values(m))


def number_to_words(n: int) -> str:
    """English words for a non-negative integer below 10**12 ("two hundred and thirty").

    Raises ValueError outside that range.
    """
    if not 0 <= n < 10**12:
        raise ValueError(f"{n} is outside 0 … 10**12")
    if n == 0:
        return "zero"
    parts: list[str] = []
    for word, scale in (("billion", 10**9), ("million", 10**6), ("thousand", 10**3)):
        if n >= scale:
            parts.append(f"{_below_thousand(n // scale, bool(parts))} {word}")
            n %= scale
    if n:
        parts.append(_below_thousand(n, bool(parts)))
    return " ".join(parts)


def _below_thousand(n: int, after: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if not rest:
        return f"{_UNITS[hundreds]} hundred"
    if rest < 10:
        tail = _UNITS[rest]
    elif rest < 20:
        tail = _TEENS[rest - 10]
    else:
        tens, unit = divmod(rest, 10)
        tail = _TENS[tens - 2] + (f"-{_UNITS[unit]}" if unit else "")
    # British usage: "two hundred and five", "one thousand and five".
    if hundreds:
        return f"{_UNITS[hundreds]} hundred and {tail}"
    return f"and {tail}" if after else tail


def number_forms(value: float) -> set[str]:
    """Ways an article may write ``value``: digits, separators, words, ``k``/million.

    ``number_forms(230000)`` includes "230000", "230,000", "230 000", "230k" and
    "two hundred and thirty thousand"; ``number_forms(3)`` is {"3", "three"}.
    """
    if isinstance(value, float) and not value.is_integer():
        return {repr(value)}
    n = int(value)
    if n < 0:
        return {str(n)}
    forms = {str(n)}
    if n >= 1000:
        grouped = f"{n:,}"
        forms |= {grouped, grouped.replace(",", " "), grouped.replace(",", "\u202f")}
    if n < 10**12:
        words = number_to_words(n)
        forms |= {words, words.replace(" and ", " "), words.replace("-", " ")}
    if n == 12:
        forms.add("a dozen")
    if 1000 <= n < 10**6 and n % 1000 == 0:
        forms.add(f"{n // 1000}k")
    for word, short, scale in (("million", "m", 10**6), ("billion", "bn", 10**9)):
        if n >= scale and n % (scale // 10) == 0:
            whole, tenths = divmod(n // (scale // 10), 10)
            shown = f"{whole}.{tenths}" if tenths else str(whole)
            forms |= {f"{shown} {word}", f"{shown}{short}"}
    return forms


# --- dates ---------------------------------------------------------------------------

_MONTH_WORDS: dict[int, list[str]] = {
    i: [calendar.month_name[i].lower(), calendar.month_abbr[i].lower()] for i in range(1, 13)
}
_MONTH_WORDS[9].append("sept")


def _month_re(month: int) -> str:
    # In any order: the name is followed by (?!\w), so each alternative is tried.
    words = sorted(set(_MONTH_WORDS[month]))
    alts = [rf"{w}\.?" if len(w) <= 4 else w for w in words]
    if month in (3, 5):
        # "may" and "mar" are also verbs: only capitalised ones are months.
        alts = [rf"(?-i:{a.capitalize()}|{a.upper()})" for a in alts]
        if month == 3:
            alts.append("march")  # the full name, in any case
    return "(?:" + "|".join(alts) + ")"


def _day_re(day: int) -> str:
    return rf"0?{day}(?:st|nd|rd|th)?"


_YEAR_AFTER = r"(?:,?\s+(?:of\s+|in\s+)?(?P<year>\d{4})(?!\d))?"
_QUALIFIERS: dict[str, tuple[int, ...]] = {
    "early": (1, 2, 3, 4),
    "start": (1, 2, 3),
    "beginning": (1, 2, 3),
    "first half": (1, 2, 3, 4, 5, 6),
    "mid": (4, 5, 6, 7, 8, 9),
    "middle": (4, 5, 6, 7, 8, 9),
    "second half": (7, 8, 9, 10, 11, 12),
    "late": (9, 10, 11, 12),
    "end": (10, 11, 12),
    "spring": (3, 4, 5),
    "summer": (6, 7, 8),
    "autumn": (9, 10, 11),
    "fall": (9, 10, 11),
    "winter": (12, 1, 2),
}
_QUALIFIER_ALT = "|".join(sorted(_QUALIFIERS, key=len, reverse=True)).replace(" ", r"\s+")


def _date_text(text: str) -> str:
    return _SPACE_RUN.sub(" ", text.translate(_FOLD_TABLE))


def _year_ok(m: re.Match[str], year: int) -> bool:
    return m["year"] is None or int(m["year"]) == year


def _part_in_text(part: str, text: str) -> bool:
    pieces = [int(p) for p in part.split("-")]
    year = pieces[0]
    if len(pieces) == 1:
        return re.search(rf"(?<![\d.,]){year}(?!\d|[.,]\d)", text) is not None
    month = pieces[1]
    mon = _month_re(month)
    if len(pieces) == 2:
        if re.search(rf"(?<!\d){year}-{month:02d}(?!\d)", text):
            return True
        return any(
            _year_ok(m, year) for m in re.finditer(rf"\b{mon}(?!\w){_YEAR_AFTER}", text, re.I)
        )
    day = pieces[2]
    dd = _day_re(day)
    if re.search(rf"(?<!\d){year}-{month:02d}-{day:02d}(?!\d)", text):
        return True
    if re.search(rf"(?<![\d/])0?{day}/0?{month}/{year}(?!\d)", text):
        return True
    patterns = (
        rf"(?<![\d.,]){dd}\s+(?:of\s+)?{mon}(?!\w){_YEAR_AFTER}",
        rf"\b{mon}\s+(?:the\s+)?{dd}(?![\d\w]){_YEAR_AFTER}",
    )
    return any(_year_ok(m, year) for p in patterns for m in re.finditer(p, text, re.I))


def date_in_text(date: str, text: str) -> bool:
    """True when ``text`` states the ledger date ``date`` at its precision.

    A day needs day and month in English prose ("22 January 2022", "22nd of January",
    "January 22, 2022", "2 September") or ISO; a month needs its name ("September
    2022", "Sept."); a year its digits. A year written beside a day or month must be
    the right one. An interval (``2016-09/2016-12``) is found when both ends are, or
    when its year appears with a qualifier that overlaps it ("late 2016", "mid-2016").
    """
    folded = _date_text(text)
    if "/" not in date:
        return _part_in_text(date, folded)
    first, _, second = date.partition("/")
    if _part_in_text(first, folded) and _part_in_text(second, folded):
        return True
    start = [int(p) for p in first.split("-")]
    end = [int(p) for p in second.split("-")]
    if start[0] != end[0]:
        return False
    year = start[0]
    months = set(range(start[1] if len(start) > 1 else 1, (end[1] if len(end) > 1 else 12) + 1))
    pattern = (
        rf"\b(?P<q>{_QUALIFIER_ALT})(?:\s+of)?(?:\s+the\s+year)?[\s-]+(?:of\s+|in\s+)?"
        rf"{year}(?!\d)"
    )
    for m in re.finditer(pattern, folded, re.I):
        q = m["q"].lower()  # the text's spaces are single ones already
        if months & set(_QUALIFIERS[q]):
            return True
    return False


def date_forms(date: str) -> list[str]:
    """A few ways to write ``date`` that :func:`date_in_text` accepts, for messages."""
    if "/" in date:
        first, _, second = date.partition("/")
        return [f"{date_forms(first)[0]} … {date_forms(second)[0]}"]
    pieces = [int(p) for p in date.split("-")]
    if len(pieces) == 1:
        return [str(pieces[0])]
    month = calendar.month_name[pieces[1]]
    if len(pieces) == 2:
        return [f"{month} {pieces[0]}", month]
    day = pieces[2]
    return [f"{day} {month} {pieces[0]}", f"{day} {month}", f"{month} {day}, {pieces[0]}"]
