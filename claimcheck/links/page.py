"""Incremental reading of a page: title, first heading, anchors and a text prefix.

The scanner is fed decoded text chunk by chunk so the fetcher can stop reading as soon
as every check has what it needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

PREFIX_CHARS = 32 * 1024
"""How much leading text is kept for bot-challenge and parked-domain detection."""


def fragment_candidates(fragment: str) -> set[str]:
    """The id spellings a ``#fragment`` may match (raw and percent-decoded)."""
    return {fragment, unquote(fragment)}


def meta_fields(attrs: Iterable[tuple[str, str | None]]) -> tuple[str | None, str | None]:
    """What one ``<meta>`` tells the checks: its ``og:title`` (whitespace collapsed) and
    its refresh instruction, each None when it is not that kind of tag."""
    amap = {k.lower(): (v or "") for k, v in attrs}
    og = None
    if amap.get("property", "").lower() == "og:title":
        og = " ".join(amap.get("content", "").split()) or None
    refresh = amap.get("content", "") if amap.get("http-equiv", "").lower() == "refresh" else None
    return og, refresh


class PageScanner(HTMLParser):
    """Collects what the checks look at while HTML is fed in pieces."""

    def __init__(self, fragment: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self._wanted = fragment_candidates(fragment) if fragment else set()
        self.fragment_found = False
        self._title: list[str] = []
        self._in_title = False
        self.title_done = False
        self.head_done = False
        self._h1: list[str] = []
        self._in_h1 = False
        self.h1_done = False
        self.og_title: str | None = None
        self.meta_refresh: str | None = None
        self.prefix_parts: list[str] = []
        self._prefix_len = 0

    def feed(self, data: str) -> None:
        """Feed decoded text, keeping the leading part for text heuristics."""
        if self._prefix_len < PREFIX_CHARS:
            piece = data[: PREFIX_CHARS - self._prefix_len]
            self.prefix_parts.append(piece)
            self._prefix_len += len(piece)
        super().feed(data)

    def remember(self, data: str) -> None:
        """Keep ``data`` in the text prefix without parsing it."""
        if self._prefix_len < PREFIX_CHARS:
            piece = data[: PREFIX_CHARS - self._prefix_len]
            self.prefix_parts.append(piece)
            self._prefix_len += len(piece)

    @property
    def prefix(self) -> str:
        """The first :data:`PREFIX_CHARS` characters of the document."""
        return "".join(self.prefix_parts)

    @property
    def title(self) -> str | None:
        """The ``<title>`` text, whitespace collapsed, or None."""
        text = " ".join("".join(self._title).split())
        return text or None

    @property
    def h1(self) -> str | None:
        """The first ``<h1>`` text, whitespace collapsed, or None."""
        text = " ".join("".join(self._h1).split())
        return text or None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Track title/h1/meta and look for the wanted anchor."""
        if tag == "title" and not self.title_done:
            self._in_title = True
        elif tag == "body":
            self.head_done = True
            self.title_done = True
        elif tag == "h1" and not self.h1_done:
            self._in_h1 = True
            self.head_done = True
            self.title_done = True
        elif tag == "meta":
            og, refresh = meta_fields(attrs)
            self.og_title = self.og_title or og
            if self.meta_refresh is None:
                self.meta_refresh = refresh
        if self._wanted and not self.fragment_found:
            for key, value in attrs:
                if key in ("id", "name") and value is not None and value in self._wanted:
                    self.fragment_found = True
                    break

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Self-closing tags carry ids too."""
        self.handle_starttag(tag, attrs)
        if tag in ("title", "h1"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close title/h1/head."""
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title_done = True
        elif tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.h1_done = True
        elif tag == "head":
            self.head_done = True
            self.title_done = True

    def handle_data(self, data: str) -> None:
        """Accumulate title and h1 text (bounded)."""
        if self._in_title and sum(map(len, self._title)) < 2000:
            self._title.append(data)
        elif self._in_h1 and sum(map(len, self._h1)) < 2000:
            self._h1.append(data)


_TEXT_CAP = 2000
"""Characters of a title or heading kept (as :class:`PageScanner` keeps them)."""


@dataclass
class Parsed:
    """A page's lexbor tree and the charset its bytes were decoded with."""

    tree: Any
    charset: str


class WholePage:
    """What :class:`PageScanner` collects, from a page read whole, by one parse in C
    (lexbor, through selectolax): a few times cheaper than feeding the pure-Python parser
    the head and the menus before the first heading, and the page is complete anyway."""

    title_done = True

    def __init__(self, text: str, fragment: str | None = None) -> None:
        from selectolax.lexbor import LexborHTMLParser

        tree = self.tree = LexborHTMLParser(text)
        self.prefix = text[:PREFIX_CHARS]
        self.fragment = fragment
        self.title = _collapsed(tree.css_first("head > title"))
        self.h1 = _collapsed(tree.css_first("h1"))
        self.og_title: str | None = None
        self.meta_refresh: str | None = None
        for meta in tree.css("meta"):
            og, refresh = meta_fields(meta.attributes.items())
            self.og_title = self.og_title or og
            if self.meta_refresh is None:
                self.meta_refresh = refresh
        self.fragment_found = False
        if fragment:
            wanted = fragment_candidates(fragment)
            self.fragment_found = any(
                node.attributes.get(name) in wanted
                for node in tree.css("[id], [name]")
                for name in ("id", "name")
            )


def _collapsed(node: object) -> str | None:
    """A node's text, whitespace collapsed and bounded, or None."""
    if node is None:
        return None
    text = str(node.text(deep=True, separator="", strip=False))  # type: ignore[attr-defined]
    return " ".join(text[:_TEXT_CAP].split()) or None
