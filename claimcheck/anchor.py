"""Anchoring: every quote is in the document, every figure is in its quote.

Two checks, each reported once when everything passes (a ledger may hold 100,000
claims) and once per miss otherwise:

``anchor.quote``
    The claim's ``quote`` is found in the document's text (see
    :mod:`claimcheck.textmatch` for what typography is forgiven). A miss shows the
    nearest passage of the document and how similar it is.
``anchor.figure``
    The claim's ``value`` is stated in its quote, and so is its ``date`` for a ``date``
    claim and both ends of its ``period`` for a ``period`` claim. A claim with none of
    these gets no figure check.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.datewords import date_in_words, date_words
from claimcheck.loader import LoadedLedger, display_path
from claimcheck.models import Claim
from claimcheck.numberwords import base_language, word_forms, words_in_text
from claimcheck.results import Finding, Status
from claimcheck.sourcemap import JsonPath
from claimcheck.textmatch import (
    PreparedText,
    date_forms,
    date_in_text,
    find_quote,
    nearest_passage,
    number_forms,
    prepare,
    value_in_text,
)
from claimcheck.wording import plural

QUOTE_CHECK = "anchor.quote"
FIGURE_CHECK = "anchor.figure"

PASSAGE_CHARS = 200
"""Longest passage or quote shown in a finding's detail."""
MAX_NEAREST = 1000
"""Misses beyond this many are reported without a nearest passage, which costs a search."""


@dataclass(frozen=True)
class _Miss:
    check: str
    claim: str
    path: JsonPath
    message: str
    detail: str


def check_anchors(loaded: LoadedLedger, document: str | PreparedText | None) -> list[Finding]:
    """Check that quotes are in ``document`` and figures in their quotes.

    ``document`` is the text of the ledger's document (``loaded.document_text()``, or
    already prepared with :func:`~claimcheck.textmatch.prepare`), or None when the ledger
    names none: then quotes get one ``unknown`` finding, while figures, which need only
    the quotes, are still checked.
    """
    claims = loaded.ledger.claims
    misses: list[_Miss] = []
    findings: list[Finding] = []

    if document is None:
        reason = (
            "the ledger names no document"
            if loaded.ledger.document is None
            else "the document's text was not read"
        )
        findings.append(
            Finding(QUOTE_CHECK, Status.UNKNOWN, (), f"quotes could not be anchored: {reason}")
        )
    else:
        shown = _document_name(loaded)
        doc = document if isinstance(document, PreparedText) else prepare(document)
        quote_misses = _quote_misses(claims, doc, shown)
        misses.extend(quote_misses)
        if not quote_misses:
            findings.append(
                Finding(
                    QUOTE_CHECK,
                    Status.PASS,
                    (),
                    f"{plural(len(claims), 'quote')} found in {shown}",
                )
            )

    language = loaded.ledger.document.language if loaded.ledger.document else "en"
    figure_misses, figures = _figure_misses(claims, language)
    misses.extend(figure_misses)
    if not figure_misses:
        message = (
            f"{plural(figures, 'figure')} found in "
            + ("its quote" if figures == 1 else "their quotes")
            if figures
            else "no claim has a figure to find in its quote"
        )
        findings.append(Finding(FIGURE_CHECK, Status.PASS, (), message))

    if misses:
        # One scan of the ledger's text locates every miss.
        locations = loaded.locate([m.path for m in misses])
        findings.extend(
            Finding(m.check, Status.FAIL, (m.claim,), m.message, m.detail, where)
            for m, where in zip(misses, locations, strict=True)
        )
    return findings


def _document_name(loaded: LoadedLedger) -> str:
    path = loaded.document_path()
    return display_path(path) if path is not None else "the document"


def _quote_misses(claims: list[Claim], doc: PreparedText, shown: str) -> list[_Miss]:
    misses: list[_Miss] = []
    seen: dict[str, bool] = {}  # generated ledgers repeat quotes
    nearest: dict[str, str] = {}
    for i, claim in enumerate(claims):
        found = seen.get(claim.quote)
        if found is None:
            found = seen[claim.quote] = find_quote(doc, claim.quote) is not None
        if found:
            continue
        detail = nearest.get(claim.quote)
        if detail is None:
            if len(nearest) < MAX_NEAREST:
                detail = nearest[claim.quote] = _nearest_detail(doc, claim.quote)
            else:
                detail = f"nearest passage not searched (more than {MAX_NEAREST} quotes missing)"
        misses.append(
            _Miss(
                QUOTE_CHECK,
                claim.id,
                ("claims", i, "quote"),
                f"claim '{claim.id}': quote not found in the document ({shown})",
                detail,
            )
        )
    return misses


def _nearest_detail(doc: PreparedText, quote: str) -> str:
    passage, similarity = nearest_passage(doc, quote)
    if not passage:
        return "nothing in the document resembles the quote"
    return f"nearest passage ({similarity:.0%} similar): “{_trim(passage)}”"


def _figure_misses(claims: list[Claim], language: str = "en") -> tuple[list[_Miss], int]:
    """Misses of figures in quotes, and how many figures were looked for.

    Numbers in words, and month names in dates, are found in English and in the
    document's ``language``.
    """
    misses: list[_Miss] = []
    figures = 0
    # Outlets repeat one another: a figure is looked for once per distinct quote.
    seen: dict[tuple[float, str], bool] = {}
    seen_dates: dict[tuple[str, str], bool] = {}
    for i, claim in enumerate(claims):
        quote = claim.quote
        if claim.value is not None:
            figures += 1
            key = (claim.value, quote)
            found = seen.get(key)
            if found is None:
                found = seen[key] = value_in_text(claim.value, quote) or words_in_text(
                    claim.value, quote, language
                )
            if not found:
                shown = _number(claim.value)
                forms = " or ".join(_shown_forms(claim.value, language))
                misses.append(
                    _Miss(
                        FIGURE_CHECK,
                        claim.id,
                        ("claims", i, "value"),
                        f"claim '{claim.id}': figure {shown} not found in its quote",
                        f"looked for {forms} in “{_trim(quote)}”",
                    )
                )
        dated: list[tuple[str, str, JsonPath]] = []
        if claim.kind == "date" and claim.date is not None:
            dated.append(("date", claim.date, ("claims", i, "date")))
        if claim.kind == "period" and claim.period is not None:
            dated.append(("period start", claim.period.start, ("claims", i, "period", "start")))
            dated.append(("period end", claim.period.end, ("claims", i, "period", "end")))
        for label, date, path in dated:
            figures += 1
            dkey = (date, quote)
            dfound = seen_dates.get(dkey)
            if dfound is None:
                dfound = seen_dates[dkey] = date_in_text(date, quote) or date_in_words(
                    date, quote, language
                )
            if not dfound:
                written = [date_words(date, language), *date_forms(date)]
                forms = ", ".join(f"“{f}”" for f in written if f)
                misses.append(
                    _Miss(
                        FIGURE_CHECK,
                        claim.id,
                        path,
                        f"claim '{claim.id}': {label} {date} not found in its quote",
                        f"looked for {forms} in “{_trim(quote)}”",
                    )
                )
    return misses, figures


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown_forms(value: float, language: str = "en") -> list[str]:
    """The forms of ``value`` worth naming in a message: digits, separators, words."""
    forms = number_forms(value)
    shown = [_number(value)]
    shown += [f for f in sorted(forms) if "," in f]
    words = [f for f in forms if f.isascii() and f.replace("-", " ").replace(" ", "").isalpha()]
    shown += sorted(words, key=lambda f: ("-" not in f and " and " not in f, len(f)))[:1]
    if base_language(language) != "en":
        shown += list(word_forms(value, language))[:1]
    return list(dict.fromkeys(shown))


def _trim(text: str, limit: int = PASSAGE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary to about ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"
