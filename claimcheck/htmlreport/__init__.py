"""The self-contained HTML report of ledgers and dossiers (``claimcheck report``)."""

from __future__ import annotations

from claimcheck.htmlreport.page import Book, book_of, render_page

__all__ = ["Book", "book_of", "render_page"]
