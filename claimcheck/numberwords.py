"""Numbers written in words in the languages a document may be written in.

English words are parsed by :mod:`claimcheck.textmatch`. For other languages the
figure's words are generated with `num2words` (a kept library that writes numbers in
dozens of languages) and looked for in the quote: generating the few forms of one
known figure and searching for them fits the tolerant matching of quotes better than
parsing every run of words of seven grammars (see docs/ledger-format.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimcheck.textmatch import fold

LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl")
"""Languages whose number words are found in quotes."""

# Forms num2words does not write: the other genders of one and two, and the bare
# hundred and thousand ("tausend" for "eintausend", "cent" for "un cent").
_EXTRA: dict[str, dict[int, tuple[str, ...]]] = {
    "fr": {1: ("une",)},
    "es": {1: ("una", "un"), 21: ("veintiuna", "veintiún")},
    "de": {1: ("ein", "eine", "einen", "einem", "einer", "eins")},
    "it": {1: ("una", "un")},
    "pt": {1: ("uma",), 2: ("duas",)},
    "nl": {1: ("één",)},
}
_SPLIT = re.compile(r"[\s\-]+")


def base_language(tag: str | None) -> str:
    """``pt`` for ``pt-BR``; ``en`` when none is given."""
    return (tag or "en").split("-", 1)[0].lower()


@lru_cache(maxsize=65536)
def word_forms(value: float, language: str) -> tuple[str, ...]:
    """The words ``value`` may be written in, in ``language`` (empty if none known)."""
    lang = base_language(language)
    if lang not in LANGUAGES or not float(value).is_integer() or not 0 <= value < 10**12:
        return ()
    from num2words import num2words  # only when a figure is not in digits: 0.1 s to import

    n = int(value)
    forms = [num2words(n, lang=lang)]
    forms += _EXTRA.get(lang, {}).get(n, ())
    if lang == "de" and forms[0].startswith("ein") and n >= 100:
        forms.append(forms[0][3:])  # "tausend" as well as "eintausend"
    if lang == "en":
        forms.append(forms[0].replace(",", "").replace(" and ", " "))
    return tuple(dict.fromkeys(f.replace(",", "") for f in forms))


@lru_cache(maxsize=65536)
def _pattern(form: str) -> re.Pattern[str]:
    # Words may be joined by spaces, hyphens or nothing ("vingt-et-un", "vingt et un").
    words = [re.escape(fold(w)) for w in _SPLIT.split(form) if w]
    return re.compile(r"(?<!\w)" + r"[\s\-]*".join(words) + r"(?!\w)")


def words_in_text(value: float, text: str, language: str | None) -> bool:
    """True when ``text`` writes ``value`` in words of ``language``."""
    forms = word_forms(value, base_language(language))
    if not forms:
        return False
    folded = fold(text)
    return any(_pattern(f).search(folded) for f in forms)
