"""Untrusted text made safe for each output: the one place every reporter escapes through.

Ledgers come from pull requests and pages from servers nobody here controls, so any
string in a report may hold an escape sequence, a line break that starts a workflow
command, a bidi override, or a character XML forbids. The rule is the same in every
format: such a character is *shown*, as a Python-style escape (``\\n``, ``\\x1b``,
``\\u202e``, ``\\U000e0041``), never passed through. Each format then adds its own quoting on top:

- terminal tables: :func:`visible` (and Rich with markup off, so ``[red]`` stays text);
- JSON and SARIF: :func:`json_text` keeps the data exact but writes every such character
  as a ``\\uXXXX`` escape, so the file is valid JSON and safe to ``cat``;
- GitHub workflow commands: :func:`gh_data` and :func:`gh_property`;
- JUnit XML: :func:`visible` leaves nothing XML 1.0 forbids (ElementTree quotes the rest);
- Markdown: :func:`md_text` and :func:`md_code` (no HTML, emphasis, links or mentions).

A backslash is left as it is: the text ``\\x1b`` typed in a ledger is harmless and reads
the same as the escaped character, which is as much as a reader needs to know.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from claimcheck.results import Finding, Hop, LinkResult, Listing, Report

if TYPE_CHECKING:  # the loader imports the models (pydantic): not needed to escape
    from claimcheck.loader import Problem

# Characters never written raw: C0 and C1 controls and DEL (escape sequences, line
# breaks, bells), the Unicode format characters (bidi overrides and isolates, zero-width
# spaces, the byte-order mark, interlinear annotations, invisible tags) except ZWNJ and
# ZWJ, which writing systems and emoji need; line and paragraph separators; surrogates
# (a lone one cannot even be encoded as UTF-8); and the noncharacters (U+FFFE, U+FFFF,
# U+FDD0-U+FDEF and the last two of every plane), which XML 1.0 forbids. The format
# characters are the Unicode 15.1 list; a test keeps it a superset of what this
# Python's ``unicodedata`` calls Cf.
_UNSAFE_RANGES = (
    "\x00-\x1f\x7f-\x9f\xad"
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ud800-\udfff\ufdd0-\ufdef\ufeff\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
)
UNSAFE = re.compile(f"[{_UNSAFE_RANGES}]")
"""One character that must never reach an output raw."""


def _chars(ranges: str) -> frozenset[str]:
    out: set[str] = set()
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            out.update(chr(c) for c in range(ord(ranges[i]), ord(ranges[i + 2]) + 1))
            i += 3
        else:
            out.add(ranges[i])
            i += 1
    return frozenset(out)


UNSAFE_CHARS = _chars(_UNSAFE_RANGES)
"""The characters :data:`UNSAFE` matches, as a set: ``isdisjoint`` scans megabytes fast."""


_SHORT = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _escape(cp: int) -> str:
    if cp in _SHORT:
        return _SHORT[cp]
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def _clean(text: str) -> bool:
    """True when ``text`` holds nothing unsafe. ``str.isprintable`` (C, one pass) is False
    for every unsafe character, so a True settles it; the regular expression, far slower
    over many ranges, only looks at the rest (a no-break space is not printable either)."""
    return text.isprintable() or UNSAFE.search(text) is None


def visible(text: str) -> str:
    """``text`` with every unsafe character shown as an escape (``\\x1b``, ``\\u202e``)."""
    if _clean(text):  # the common case: no copy
        return text
    return UNSAFE.sub(lambda m: _escape(ord(m.group())), text)


def any_unsafe(texts: list[str]) -> bool:
    """Whether any of ``texts`` holds an unsafe character (one scan for them all)."""
    return not _clean("".join(texts))


def _opt(text: str | None) -> str | None:
    return None if text is None else visible(text)


def _lines(text: str) -> str:
    """A detail: the tool writes it in lines (a dossier adds where each claim is), so
    line breaks stay; everything else unsafe is shown."""
    return "\n".join(visible(line) for line in text.split("\n"))


def _finding(f: Finding) -> Finding:
    return replace(
        f,
        check=visible(f.check),
        claims=tuple(visible(c) for c in f.claims),
        message=visible(f.message),
        detail=None if f.detail is None else _lines(f.detail),
        location=_opt(f.location),
        measure=_opt(f.measure),
    )


def _link(link: LinkResult) -> LinkResult:
    history = link.history
    if history is not None and history.failing_since is not None:
        history = replace(history, failing_since=visible(history.failing_since))
    return replace(
        link,
        url=visible(link.url),
        kind=visible(link.kind),
        final_url=_opt(link.final_url),
        redirects=tuple(Hop(visible(h.url), h.status) for h in link.redirects),
        sources=tuple(visible(s) for s in link.sources),
        claims=tuple(visible(c) for c in link.claims),
        archive_url=_opt(link.archive_url),
        detail=_opt(link.detail),
        location=_opt(link.location),
        history=history,
    )


def visible_listing(listing: Listing) -> Listing:
    """The listing with every title, column and cell shown-escaped (records untouched)."""
    cells = [c for row in listing.rows for c in row]
    texts = [listing.title, listing.note or "", listing.key or "", listing.ledger or ""]
    texts += [*listing.columns, *cells]
    if not any_unsafe(texts):
        return listing
    return replace(
        listing,
        title=visible(listing.title),
        columns=[visible(c) for c in listing.columns],
        rows=[[visible(c) for c in row] for row in listing.rows],
        note=_opt(listing.note),
        key=_opt(listing.key),
        ledger=_opt(listing.ledger),
    )


def visible_report(report: Report) -> Report:
    """A copy of ``report`` whose every text is :func:`visible`, for the formats people read.

    Only the parts that hold an unsafe character are copied.
    """
    summary = report.link_summary
    if summary is not None and summary.note is not None:
        summary = replace(summary, note=visible(summary.note))
    return replace(
        report,
        ledger=visible(report.ledger),
        title=visible(report.title),
        findings=_findings(report.findings),
        links=None if report.links is None else [_link(link) for link in report.links],
        link_summary=summary,
        listings=[visible_listing(lst) for lst in report.listings],
        parts=[visible_report(p) for p in report.parts],
    )


def _findings(findings: list[Finding]) -> list[Finding]:
    # One scan of every text for the common case of nothing to escape; then per finding.
    texts = (
        t
        for f in findings
        for t in (f.check, f.message, f.detail or "", f.location or "", f.measure or "", *f.claims)
    )
    if _clean("".join(texts)):
        return list(findings)
    return [_finding(f) if _finding_unsafe(f) else f for f in findings]


def _finding_unsafe(f: Finding) -> bool:
    texts = [f.check, f.message, f.detail or "", f.location or "", f.measure or "", *f.claims]
    return any_unsafe(texts)


def visible_problem(p: Problem) -> Problem:
    """A ledger problem with its file, path and message shown-escaped."""
    return replace(p, file=visible(p.file), message=visible(p.message), path=_opt(p.path))


# --- JSON --------------------------------------------------------------------------------


def _json_escape(m: re.Match[str]) -> str:
    cp = ord(m.group())
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    # Outside the BMP JSON spells a character as its UTF-16 surrogate pair.
    cp -= 0x10000
    return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"


def json_text(obj: Any, indent: int | None = 2) -> str:
    """``obj`` as JSON text: readable UTF-8, every unsafe character a ``\\u`` escape.

    ``json.dumps`` already escapes C0 controls; this also covers C1 controls (a raw
    U+009B starts an escape sequence on many terminals), bidi controls, line separators,
    noncharacters and lone surrogates (which UTF-8 cannot even encode). Inside JSON
    strings only: the document's own whitespace is kept.
    """
    raw = json.dumps(obj, indent=indent, ensure_ascii=False)
    # Every unsafe character json.dumps leaves raw sits inside a string (the structure
    # is ASCII with spaces and newlines only, which json.dumps writes itself), so
    # replacing it by its escape keeps the document valid and the value exact. Line by
    # line, so that only the rare line with something to escape meets the slow regex.
    return "\n".join(json_line(line) for line in raw.split("\n"))


def json_line(line: str) -> str:
    """One line of JSON text as ``json.dumps`` wrote it, every unsafe character inside
    its strings made a ``\\u`` escape (``json.dumps`` already escapes line breaks)."""
    return line if line.isprintable() else _JSON_UNSAFE.sub(_json_escape, line)


# json.dumps writes "\n" between items when indenting: those stay; anything else goes.
# (A class without "\n", rather than a lookahead before every character.)
_JSON_UNSAFE = re.compile("[" + _UNSAFE_RANGES.replace("\x00-\x1f", "\x00-\t\x0b-\x1f", 1) + "]")


# --- GitHub workflow commands -------------------------------------------------------------


def gh_data(text: str) -> str:
    """The message of a workflow command (``::error …::MESSAGE``).

    Shown-escaped first, so no line break survives; then GitHub's own escapes for ``%``,
    CR and LF, so ``%0A`` typed in a ledger stays text.
    """
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``): also ``:`` and ``,``."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")


# --- Markdown -----------------------------------------------------------------------------

# Every ASCII punctuation character CommonMark or GitHub gives a meaning to inside a
# line: emphasis, code, links and images, raw HTML and entities, table cells,
# strikethrough and math ($). Backslash escapes are defined for all of them. (Reporters
# never start a line with untrusted text, so the line-start markers - + = > # need no
# escape; an emoji :shortcode: is harmless.)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~&$^])")
# What GitHub and GitLab link or ping even when backslash-escaped, because they look for
# it again in the rendered text: addresses (``https://…``, ``www.…``), ``@name`` mentions
# and ``#12`` issue references. A code span is the one place neither looks.
_LINKED = re.compile(r"(?:\b[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.)[^\s`]*|[@#]")


def md_text(text: str) -> str:
    """Untrusted text as literal Markdown prose, safe inside a table cell or list item.

    Markup characters are backslash-escaped; addresses, ``@`` and ``#`` become code spans
    (a ``|`` in an address is percent-encoded, which keeps a table cell whole).
    """
    text = visible(text)
    out: list[str] = []
    last = 0
    for m in _LINKED.finditer(text):
        out.append(_MD_SPECIAL.sub(r"\\\1", text[last : m.start()]))
        out.append(md_code(m.group().replace("|", "%7C")))
        last = m.end()
    out.append(_MD_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(out)


def md_code(text: str, in_table: bool = False) -> str:
    """Untrusted text as a Markdown code span (ids, URLs, paths): literal, never a link.

    The fence is one backtick longer than the longest run inside. In a table ``|`` is
    escaped so the cell stays one cell (GitHub splits cells before it reads code spans,
    and drops the backslash); elsewhere a backslash in a code span would show.
    """
    text = visible(text)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or text.strip(" ") == "" else ""
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"
