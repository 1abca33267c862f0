"""Finding a ledger's passage in a source's text, and the claim's figure in the passage.

The same tolerant matching as the article's quotes (:mod:`claimcheck.textmatch`:
typography, spacing, dashes), plus words hyphenated across PDF lines (joined by the
extractor; a compound's own hyphen lost in the join is forgiven here). The common case,
a passage that is there, costs one ``str.find`` on the folded text; only a passage that
is not there pays for the nearest-passage search.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from claimcheck.evidence.extract import PageText
from claimcheck.models import Claim
from claimcheck.textmatch import (
    date_in_text,
    key,
    nearest_passage,
    numbers_in_text,
    value_in_text,
)

__all__ = ["Search", "claim_figure_in", "search"]

_COMPOUND = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
NEAREST_CHARS = 400_000
"""Text beyond this is not searched for a nearest passage (the passage was not found)."""


@dataclass(frozen=True)
class Search:
    """Where the passage is on the page, or what on the page is nearest to it."""

    found: bool
    nearest: str = ""
    """The closest passage of the page when the passage was not found."""
    similarity: float = 0.0
    page: int | None = None
    """The PDF page it was found on."""
    in_main: bool = True
    """Found in the main text (False: elsewhere on the page, e.g. a list the main-text
    extractor dropped)."""
    figures_now: tuple[str, ...] = ()
    """Numbers in the nearest passage, as the page writes them (when not found)."""


_DROPPED = "\"'`´‘’‚‛“”„‟′″‴‵‶‷«»‹›「」『』＂＇\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DASH = re.compile("[‐‑‒–—―⁃−﹘﹣－]")


def page_key(text: str) -> str:
    """:func:`claimcheck.textmatch.key` of a whole page, the same result, faster on long
    texts: whitespace is split away and marks replaced only when present."""
    text = "".join(text.split())
    for ch in _DROPPED:
        if ch in text:
            text = text.replace(ch, "")
    if not text.isascii():
        text = _DASH.sub("-", text).replace("…", "...")
    return text.casefold()


def _keys(passage: str) -> list[str]:
    """The passage's key, and its key with compound hyphens dropped when that differs."""
    return list(dict.fromkeys((key(passage), key(_COMPOUND.sub("", passage)))))


def _has(text_key: str, wanted: str) -> bool:
    """Whether ``wanted`` is in ``text_key``, not inside a longer number."""
    at = text_key.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        cut_before = at > 0 and wanted[0].isdigit() and text_key[at - 1].isdigit()
        cut_after = end < len(text_key) and wanted[-1].isdigit() and text_key[end].isdigit()
        if not (cut_before or cut_after):
            return True
        at = text_key.find(wanted, at + 1)
    return False


def _as_written(main: str, passage: str, wanted: str) -> bool:
    """Whether ``passage`` is in ``main`` exactly as written, not inside a longer number
    (``wanted`` is its key): then the folded search finds it too, so the page need not
    be folded (the common case, a passage copied from the page). False says nothing.

    Folding maps each character on its own (whitespace and marks to nothing), so an
    occurrence in the text is an occurrence in the key; the characters around it in the
    key are the nearest ones that fold to something."""
    if not passage or page_key(passage) != wanted:
        return False
    at = main.find(passage)
    while at >= 0:
        end = at + len(passage)
        before = next((k for c in reversed(main[max(0, at - 64) : at]) if (k := page_key(c))), "")
        after = next((k for c in main[end : end + 64] if (k := page_key(c))), "")
        cut_before = wanted[0].isdigit() and (before[-1:].isdigit() or len(before) == 0 < at)
        cut_after = wanted[-1].isdigit() and (
            after[:1].isdigit() or (not after and end < len(main))
        )
        if not (cut_before or cut_after):
            return True
        at = main.find(passage, at + 1)
    return False


def search(page: PageText, passage: str, main_key: str | None = None) -> Search:
    """Look for ``passage`` in ``page``: the article it marks as its own, its main text,
    then the rest of the page. ``main_key`` is :func:`page_key` of the main text, when
    already known (the marked article is still read first: with or without a store, the
    same verdict)."""
    wanted = [k for k in _keys(passage) if k]
    if not wanted:
        return Search(False)
    if _in_marked(page, passage, wanted):
        return Search(True)
    if main_key is None and not page.page_starts and _as_written(page.main, passage, wanted[0]):
        return Search(True)
    if page.page_starts:
        pages = _pdf_pages(page)
        for n, text in enumerate(pages, 1):
            k = page_key(text)
            if any(_has(k, w) for w in wanted):
                return Search(True, page=n)
    if main_key is None:
        main_key = page_key(page.main)
    if any(_has(main_key, w) for w in wanted):
        return Search(True)
    if page.extra and any(_has(page_key(page.extra), w) for w in wanted):
        return Search(True, in_main=False)
    haystack = page.main if page.main.strip() else page.extra
    nearest, similarity = nearest_passage(haystack[:NEAREST_CHARS], passage)
    return Search(False, nearest=nearest, similarity=similarity, figures_now=figures_of(nearest))


def _in_marked(page: PageText, passage: str, wanted: list[str]) -> bool:
    """Whether the passage is in the article the page marks as its own: then it is in
    what a reader reads, and the main-text extraction is spared."""
    marked = page.marked if page.kind == "html" else None
    if not marked:
        return False
    return _as_written(marked, passage, wanted[0]) or any(_has(page_key(marked), w) for w in wanted)


def _pdf_pages(page: PageText) -> list[str]:
    starts = [*page.page_starts, len(page.main) + 1]
    return [page.main[a : b - 1] for a, b in itertools.pairwise(starts)]


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def figures_of(text: str) -> tuple[str, ...]:
    """The numbers ``text`` states, as digits, in order, without repeats."""
    return tuple(dict.fromkeys(_shown(v) for v in numbers_in_text(text)))


def claim_figure_in(claim: Claim, text: str) -> bool | None:
    """Whether ``text`` states the claim's figure (its value, its date for a date claim,
    both ends of its period); None when the claim has no figure."""
    wanted: list[bool] = []
    if claim.value is not None:
        wanted.append(value_in_text(claim.value, text))
    if claim.kind == "date" and claim.date is not None:
        wanted.append(date_in_text(claim.date, text))
    if claim.kind == "period" and claim.period is not None:
        wanted.append(date_in_text(claim.period.start, text))
        wanted.append(date_in_text(claim.period.end, text))
    return all(wanted) if wanted else None


def claim_figure(claim: Claim) -> str | None:
    """The claim's figure as a person reads it, or None."""
    if claim.value is not None:
        return _shown(claim.value)
    if claim.kind == "date" and claim.date is not None:
        return claim.date
    if claim.kind == "period" and claim.period is not None:
        return f"{claim.period.start}/{claim.period.end}"
    return None
