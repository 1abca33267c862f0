"""Where each key of a TOML document sits: ``tomllib`` returns values without lines.

A configuration error must say ``file:line``, so the document is scanned once more for
its structure only (tables, arrays of tables, keys, inline tables, arrays, strings).
The text has already been parsed by ``tomllib``, so it is known to be valid TOML; the
scanner only has to skip values correctly, above all multi-line strings and arrays
whose content may look like keys or tables.
"""

from __future__ import annotations

import bisect
import re
import tomllib

KeyPath = tuple[str | int, ...]
"""A path into the document: table and key names, array indexes."""

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _Scanner:
    """A structure-only TOML reader that records the line of every key and element."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.lines: dict[KeyPath, int] = {}
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._aot: dict[KeyPath, int] = {}

    def line(self, at: int | None = None) -> int:
        """1-based line of offset ``at`` (default: the current position)."""
        return bisect.bisect_right(self._starts, self.i if at is None else at)

    def record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    def record_all(self, path: KeyPath, line: int) -> None:
        """Record ``path`` and every table above it (first definitions win)."""
        for n in range(1, len(path) + 1):
            self.record(path[:n], line)

    def peek(self, s: str) -> bool:
        return self.text.startswith(s, self.i)

    def skip_space(self, newlines: bool = False) -> None:
        """Skip blanks (and newlines and comments when ``newlines``)."""
        text = self.text
        while self.i < len(text):
            c = text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif newlines and c == "#":
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end
            else:
                return

    def skip_line(self) -> None:
        """Skip the rest of the line (a trailing comment)."""
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_space(newlines=True)
            if self.i >= len(self.text):
                return
            line = self.line()
            if self.peek("[["):
                self.i += 2
                name = self.key()
                self.i = self.text.index("]]", self.i) + 2
                index = self._aot.get(name, -1) + 1
                self._aot[name] = index
                self.record_all(name, line)
                table = (*name, index)
                self.record(table, line)
                self.skip_line()
            elif self.peek("["):
                self.i += 1
                table = self.key()
                self.i = self.text.index("]", self.i) + 1
                self.record_all(table, line)
                self.skip_line()
            else:
                self.pair(table)

    def pair(self, base: KeyPath) -> None:
        """``key = value`` inside table ``base``."""
        line = self.line()
        name = self.key()
        self.record_all((*base, *name), line)
        self.skip_space()
        self.i += 1  # "="
        self.value((*base, *name))

    def key(self) -> KeyPath:
        """A dotted key: bare or quoted parts separated by dots."""
        parts: list[str] = []
        while True:
            self.skip_space()
            parts.append(self.simple_key())
            self.skip_space()
            if not self.peek("."):
                return tuple(parts)
            self.i += 1

    def simple_key(self) -> str:
        if self.peek('"') or self.peek("'"):
            start = self.i
            self.string()
            # tomllib already accepted this string: let it undo the escapes.
            return str(tomllib.loads("k = " + self.text[start : self.i])["k"])
        m = _BARE.match(self.text, self.i)
        if m is None:  # pragma: no cover - tomllib accepted the document
            raise ValueError(f"unexpected character at line {self.line()}")
        self.i = m.end()
        return m.group()

    def string(self) -> None:
        """Skip one string of any of the four kinds."""
        text = self.text
        for delim in ('"""', "'''"):
            if self.peek(delim):
                self.i += 3
                while True:
                    if delim == '"""' and text[self.i] == "\\":
                        self.i += 2
                    elif text.startswith(delim, self.i):
                        self.i += 3
                        # Up to two quotes may end the content right before the delimiter.
                        while self.i < len(text) and text[self.i] == delim[0]:
                            self.i += 1
                        return
                    else:
                        self.i += 1
        quote = text[self.i]
        self.i += 1
        while text[self.i] != quote:
            self.i += 2 if quote == '"' and text[self.i] == "\\" else 1
        self.i += 1

    def value(self, path: KeyPath) -> None:
        self.skip_space()
        c = self.text[self.i]
        if c in "\"'":
            self.string()
        elif c == "[":
            self.array(path)
        elif c == "{":
            self.inline_table(path)
        else:
            m = _SCALAR_END.search(self.text, self.i)
            self.i = len(self.text) if m is None else m.start()

    def array(self, path: KeyPath) -> None:
        self.i += 1
        index = 0
        while True:
            self.skip_space(newlines=True)
            if self.peek("]"):
                self.i += 1
                return
            self.record((*path, index), self.line())
            self.value((*path, index))
            self.skip_space(newlines=True)
            if self.peek(","):
                self.i += 1
                index += 1

    def inline_table(self, path: KeyPath) -> None:
        self.i += 1
        while True:
            self.skip_space(newlines=True)
            if self.peek("}"):
                self.i += 1
                return
            self.pair(path)
            self.skip_space(newlines=True)
            if self.peek(","):
                self.i += 1


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line where each key, table and array element of ``text`` is defined.

    ``text`` must be valid TOML (parse it with ``tomllib`` first).
    """
    scanner = _Scanner(text)
    scanner.document()
    return scanner.lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of ``path``, or of its nearest recorded ancestor (1 if none)."""
    for n in range(len(path), 0, -1):
        line = lines.get(path[:n])
        if line is not None:
            return line
    return 1
