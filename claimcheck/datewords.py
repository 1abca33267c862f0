"""Dates written with month names in the language a document declares.

English dates are read by :mod:`claimcheck.textmatch`. For French, Spanish, German,
Italian, Portuguese and Dutch (the languages whose number words are found, see
:mod:`claimcheck.numberwords`) the month names come from the Unicode CLDR through
Babel, a kept library made for this, rather than tables written here; the forms of one
known date are then looked for in the quote: "12 septembre 2022", "1er septembre",
"12. September 2022", "12 de septiembre de 2022", "setembro de 2022".
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimcheck.numberwords import LANGUAGES, base_language

# How a day is written before its month: "12.", "1er", "1º", "1°"; "de" between day and
# month, and between month and year, in Spanish and Portuguese ("del" too in Spanish).
_DAY_MARK = r"(?:\.|er|º|°|ª)?"
_OF = r"(?:de\s+|del\s+)?"


@lru_cache(maxsize=16)
def month_names(language: str) -> dict[int, tuple[str, ...]]:
    """Each month's names and abbreviations in ``language``, lower case, longest first;
    empty for English (``textmatch`` reads those) and for a language not supported."""
    lang = base_language(language)
    if lang == "en" or lang not in LANGUAGES:
        return {}
    from babel.dates import get_month_names  # imported only for a document in another language

    out: dict[int, set[str]] = {m: set() for m in range(1, 13)}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, lang).items():
                word = name.lower().rstrip(".")
                if len(word) >= 3:
                    out[month].add(word)
    return {m: tuple(sorted(words, key=len, reverse=True)) for m, words in out.items()}


@lru_cache(maxsize=4096)
def _pattern(part: str, language: str) -> re.Pattern[str] | None:
    pieces = [int(p) for p in part.split("-")]
    names = month_names(language)
    if len(pieces) < 2 or not names:
        return None
    words = "|".join(re.escape(w) + (r"\.?" if len(w) <= 5 else "") for w in names[pieces[1]])
    month = rf"(?:{words})(?!\w)"
    year = rf"(?:,?\s+{_OF}(?P<year>\d{{4}})(?!\d))?"
    if len(pieces) == 2:
        return re.compile(rf"(?<!\w){month}{year}", re.I)
    day = rf"(?<![\d.,])0?{pieces[2]}{_DAY_MARK}"
    return re.compile(rf"{day}\s+{_OF}{month}{year}", re.I)


def date_in_words(date: str, text: str, language: str | None) -> bool:
    """True when ``text`` writes the ledger date ``date`` (a day or a month; each end of an
    interval) with a month name of ``language``; a year written beside it must be right."""
    lang = base_language(language)
    if lang == "en":
        return False
    folded = " ".join(text.split())
    parts = date.split("/")
    return all(_part_in_words(p, folded, lang) for p in parts)


def _part_in_words(part: str, text: str, language: str) -> bool:
    pattern = _pattern(part, language)
    if pattern is None:
        return False
    year = int(part[:4])
    return any(m["year"] is None or int(m["year"]) == year for m in pattern.finditer(text))


def date_words(date: str, language: str | None) -> str | None:
    """One way to write ``date`` in ``language`` (``12 septembre 2022``), for messages;
    None for English, a year alone or a language not supported."""
    lang = base_language(language)
    if "/" in date:
        first, _, second = date.partition("/")
        a, b = date_words(first, lang), date_words(second, lang)
        return f"{a} … {b}" if a and b else None
    pieces = [int(p) for p in date.split("-")]
    names = month_names(lang)
    if len(pieces) < 2 or not names:
        return None
    from babel.dates import get_month_names  # there: month_names found it

    month = get_month_names("wide", "format", lang)[pieces[1]]
    of = " de " if lang in ("es", "pt") else " "
    if len(pieces) == 2:
        return f"{month}{of}{pieces[0]}"
    day = f"{pieces[2]}." if lang == "de" else str(pieces[2])
    return f"{day}{of}{month}{of}{pieces[0]}"
