"""A fetched page turned into the text a reader sees.

HTML: the main text (resiliparse's main-content extraction: no menus, scripts, footers
or cookie banners), the text of the article the page marks as its own (a lexbor parse
through selectolax, seven times cheaper: a passage found there needs nothing more), plus
the prose of embedded JSON (``__NEXT_DATA__`` and other JSON script blobs, JSON-LD
``articleBody``) that client-rendered pages show only after their scripts run. PDF: the
text layer of every page (pypdfium2), words hyphenated across line breaks joined again.
Plain text as is. Chosen by measuring: ``bench/bench_extract.py`` and docs/evidence.md.

Nothing here does I/O; every function is bounded by its input's size.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimcheck.links.page import Parsed

__all__ = [
    "PageText",
    "decode_html",
    "extract",
    "html_text",
    "marked_text",
    "pdf_text",
]

MIN_PROSE = 40
"""Shortest JSON string taken as prose (shorter ones are labels, ids, class names)."""
MAX_JSON = 4 * 1024 * 1024
"""Script blobs larger than this are not parsed."""
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w\-:.]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# pdfium marks a hyphen it saw at a line's end with U+FFFE; other extractors keep "-\n".
_PDF_SOFT_HYPHEN = "\ufffe"
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_])")


@dataclass
class PageText:
    """A page as text: ``main`` is what a reader reads, ``extra`` the rest worth searching
    (the whole visible page and the prose of its JSON) when the passage is not in ``main``.
    Both are worked out on first use: a passage found in ``marked`` needs neither.

    ``unreadable`` says why there is no text (an image-only PDF, an unknown format).
    ``page_starts`` holds the offset in ``main`` where each PDF page begins.
    """

    kind: str
    """``html``, ``pdf``, ``text`` or ``other``."""
    body: str | Callable[[], str]
    """The main text, or how to work it out."""
    rest: str | Callable[[], str] = ""
    unreadable: str | None = None
    page_starts: tuple[int, ...] = field(default=())
    marking: str | Callable[[], str | None] | None = None
    """The marked article's text, or how to work it out (see :attr:`marked`)."""

    @property
    def main(self) -> str:
        """The main text (computed once, on first use)."""
        if callable(self.body):
            self.body = self.body()
        return self.body

    @property
    def marked(self) -> str | None:
        """The text of the article the page marks as its own (``<main>``, ``<article>``,
        ``role="main"``, ``itemprop="articleBody"``) without its menus, asides and
        scripts, from a parse that costs a seventh of the main-text extraction; None when
        the page marks none (computed once, on first use)."""
        if callable(self.marking):
            self.marking = self.marking()
        return self.marking

    @property
    def extra(self) -> str:
        """The rest of the page worth searching (computed once, on first use)."""
        if callable(self.rest):
            self.rest = self.rest()
        return self.rest


def sniff_charset(body: bytes, declared: str | None) -> str:
    """The charset to decode ``body`` with: a byte-order mark, else the ``Content-Type``
    charset, else a ``<meta>`` charset in the first 4 KiB, else UTF-8 if it decodes, else
    windows-1252 (what browsers assume for undeclared legacy pages)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    for candidate in (declared, _meta_charset(body)):
        if candidate:
            try:
                info = codecs.lookup(candidate)
            except LookupError:
                continue
            # A label naming no text codec (``hex``, ``rot13``, ``undefined``…) is ignored.
            if getattr(info, "_is_text_encoding", True) and info.name != "undefined":
                return info.name
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def decode_html(body: bytes, declared: str | None) -> str:
    """``body`` as text under :func:`sniff_charset`; undecodable bytes become U+FFFD."""
    return body.decode(_html_charset(body, declared), errors="replace")


def _html_charset(body: bytes, declared: str | None) -> str:
    name = sniff_charset(body, declared)
    # Browsers read latin-1 and ascii labels as windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _same_codec(label: str, name: str) -> bool:
    try:
        return codecs.lookup(label).name == codecs.lookup(name).name
    except LookupError:
        return False


def html_text(html: str, tree: Any = None) -> PageText:
    """The main text of an HTML page, its whole visible text and JSON prose (both worked
    out on first use), and the text of the article it marks as its own (from ``tree``,
    the page's lexbor tree, when already parsed)."""
    reading = _Reading(html)
    return PageText("html", reading.main, reading.rest, marking=lambda: marked_text(html, tree))


class _Reading:
    """resiliparse's reading of a page, parsed once when first asked for."""

    def __init__(self, html: str) -> None:
        self.html = html
        self._tree: Any = None
        self._main: str | None = None
        self._shell = False

    def tree(self) -> Any:
        if self._tree is None:
            from resiliparse.parse.html import HTMLTree

            self._tree = HTMLTree.parse(self.html)
        return self._tree

    def visible(self) -> str:
        from resiliparse.extract.html2text import extract_plain_text

        return str(extract_plain_text(self.tree(), main_content=False, alt_texts=False))

    def main(self) -> str:
        if self._main is None:
            from resiliparse.extract.html2text import extract_plain_text

            main = str(extract_plain_text(self.tree(), main_content=True, alt_texts=False))
            blobs = _json_prose(self.tree()) if len(main.strip()) < 2 * MIN_PROSE else ""
            # A client-rendered shell: its text is the JSON's prose.
            self._shell = bool(blobs)
            self._main = blobs or main
        return self._main

    def rest(self) -> str:
        self.main()
        if self._shell:
            return self.visible()
        blobs = _json_prose(self.tree())
        return f"{self.visible()}\n{blobs}" if blobs else self.visible()


_MARKED = ('[itemprop="articleBody"]', '[role="main"]', "main")
_NOT_READ = (
    "script, style, noscript, template, nav, aside, footer, form, dialog, "
    '[hidden], [aria-hidden="true"]'
)


def marked_text(html: str, tree: Any = None) -> str | None:
    """The text of the article ``html`` marks as its own, without what a reader skips
    (menus, asides, footers, forms, scripts, hidden elements); None when it marks none
    (no ``articleBody``, ``role="main"`` or ``<main>``, and not exactly one
    ``<article>``: a list of teasers is not an article). ``tree`` is ``html`` parsed by
    lexbor, when it already is (it is changed: what a reader skips is taken out)."""
    if tree is None:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(html)
    node = next((n for sel in _MARKED if (n := tree.css_first(sel)) is not None), None)
    if node is None:
        articles = tree.css("article")
        node = articles[0] if len(articles) == 1 else None
    if node is None:
        return None
    for skipped in node.css(_NOT_READ):
        skipped.decompose()
    return str(node.text(deep=True, separator="", strip=False))


def _json_prose(tree: object) -> str:
    """Prose strings of the page's JSON script blobs, in document order."""
    out: list[str] = []
    for script in tree.document.query_selector_all("script"):  # type: ignore[attr-defined]
        kind = (script.getattr("type") or "").lower()
        if "json" not in kind:
            continue
        text = script.text
        if not text or len(text) > MAX_JSON:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        _strings(data, out)
    return "\n".join(out)


def _strings(data: object, out: list[str]) -> None:
    """Collect prose-like strings (long, with spaces, not markup) without recursion."""
    stack = [data]
    found: list[str] = []
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) >= MIN_PROSE and " " in item and not item.lstrip().startswith("<"):
                found.append(item)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    out.extend(found)


def pdf_text(data: bytes) -> PageText:
    """The text layer of a PDF, page by page; ``unreadable`` when it has none (scanned)."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        return PageText("pdf", "", unreadable=f"the PDF cannot be read ({exc})")
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    try:
        for page in doc:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            text = dehyphenate(text)
            starts.append(at)
            parts.append(text)
            at += len(text) + 1
    finally:
        doc.close()
    main = "\n".join(parts)
    if not main.strip():
        pages = len(starts)
        return PageText(
            "pdf",
            "",
            unreadable=f"the PDF has no text layer ({pages} page{'s' if pages != 1 else ''} "
            "of images: a scan)",
            page_starts=tuple(starts),
        )
    return PageText("pdf", main, page_starts=tuple(starts))


def dehyphenate(text: str) -> str:
    """Join words split across line breaks ("infor-⏎mation" → "information").

    Only a hyphen between two letters at a line's end is removed; a compound that really
    has a hyphen ("open-⏎source") loses it too, which the tolerant matching forgives
    (the ledger's passage is searched both ways).
    """
    if _PDF_SOFT_HYPHEN in text:
        text = text.replace(_PDF_SOFT_HYPHEN + "\r\n", "").replace(_PDF_SOFT_HYPHEN, "")
    return _LINE_END_HYPHEN.sub("", text)


def extract(body: bytes, content_type: str, parsed: Parsed | None = None) -> PageText:
    """Any fetched body as :class:`PageText`, by its type (declared, else sniffed).
    ``parsed`` is the page's tree from the link check, reused when its bytes were
    decoded as this reading decodes them."""
    ctype = content_type.split(";")[0].strip().lower()
    m = _HEADER_CHARSET.search(content_type)
    declared = m.group(1) if m else None
    if ctype == "application/pdf" or body[:5] == b"%PDF-":
        return pdf_text(body)
    if "html" in ctype or (not ctype and _looks_html(body)):
        name = _html_charset(body, declared)
        tree = parsed.tree if parsed is not None and _same_codec(parsed.charset, name) else None
        return html_text(body.decode(name, errors="replace"), tree)
    if ctype.startswith("text/") or (not ctype and _looks_text(body)):
        return PageText("text", decode_html(body, declared))
    shown = ctype or "unknown"
    return PageText("other", "", unreadable=f"the page is not text ({shown})")


def _looks_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<title", b"<body", b"<meta"))


def _looks_text(body: bytes) -> bool:
    sample = body[:2048]
    return b"\x00" not in sample
