"""Terminal layout helpers: lines without trailing padding, and tables that fall back to
one record per block when the terminal is too narrow for their columns."""

from __future__ import annotations

import io
import textwrap
from typing import TextIO

MIN_CELL = 30
"""A word longer than this may wrap inside its column (URLs, long titles)."""


class TrimmedLines(io.TextIOBase):
    """Writes to ``out`` with each line's trailing spaces removed.

    Rich pads every cell of a grid or table to its width; in a file or a pipe that padding
    is noise (diffs, ``grep $``, CI logs), so it is cut, line by line, as lines complete.
    """

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self._out = out
        self._partial = ""

    def write(self, text: str) -> int:
        """Buffer ``text`` and pass on its complete lines, trimmed."""
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if lines:
            self._out.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        """Pass on a last, unfinished line as it is, and flush ``out``."""
        if self._partial:
            self._out.write(self._partial)
            self._partial = ""
        self._out.flush()

    def isatty(self) -> bool:
        """Whatever ``out`` says: colour and width are decided by the real stream."""
        return bool(getattr(self._out, "isatty", lambda: False)())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The encoding of ``out`` (Rich asks, to choose its box characters)."""
        return str(getattr(self._out, "encoding", None) or "utf-8")


def wrapped(text: str, width: int) -> str:
    """``text`` as lines of at most ``width`` characters (words kept whole), newline-ended."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False) or [""]) + "\n"


def fits(columns: list[str], rows: list[list[str]], width: int) -> bool:
    """Whether a table of these columns keeps every header and every word whole (up to
    :data:`MIN_CELL` characters) within ``width`` characters."""
    need = 0
    for i, name in enumerate(columns):
        longest = max((len(w) for row in rows for w in row[i].split()), default=0)
        need += max(len(name), min(longest, MIN_CELL)) + 3  # padding and a separator
    return need <= width


def write_records(columns: list[str], rows: list[list[str]], width: int, out: TextIO) -> None:
    """Each row as a block: its first cell, then ``column  value`` lines, values wrapped
    under themselves; empty values are left out."""
    label = max((len(c) for c in columns[1:]), default=0)
    room = max(width - label - 4, 20)
    for row in rows:
        out.write("\n" + row[0] + "\n")
        for name, cell in zip(columns[1:], row[1:], strict=True):
            if not cell:
                continue
            lines = textwrap.wrap(cell, room, break_on_hyphens=False) or [""]
            out.write(f"  {name:<{label}}  {lines[0]}\n")
            for more in lines[1:]:
                out.write(f"  {'':<{label}}  {more}\n")
