"""Map JSON paths to line and column in the original text.

``json.loads`` throws positions away, so after it has parsed a file this module scans
the text once more, only when a message needs a location, and records where each value
starts. Paths are tuples of keys and indexes, as pydantic reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

PathPart = str | int
JsonPath = tuple[PathPart, ...]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)
_SPACE = re.compile(r"\s*")


def format_path(path: Sequence[PathPart]) -> str:
    """``("claims", 3, "value")`` → ``$.claims[3].value``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}"
        else:
            out += f"[{part!r}]"
    return out


class SourceMap:
    """Offsets of every value in a JSON text, looked up by path."""

    def __init__(self, text: str, wanted: Iterable[JsonPath] | None = None) -> None:
        self._text = text
        self._offsets: dict[JsonPath, int] = {}
        self._earlier: dict[JsonPath, int] = {}
        """First offset of a path a JSON object repeated (a duplicated key)."""
        self._wanted = None if wanted is None else set(wanted)
        self._scan()
        self._positions = self._line_columns(sorted(set(self._offsets.values())))

    def _line_columns(self, offsets: list[int]) -> dict[int, tuple[int, int]]:
        # Count newlines between consecutive wanted offsets (str.count runs at C speed), so
        # a 40 MB ledger is not split into lines for a handful of locations.
        out: dict[int, tuple[int, int]] = {}
        line, prev, start = 1, 0, 0
        text = self._text
        for off in offsets:
            line += text.count("\n", prev, off)
            # The last line break before ``off`` is searched back only to the previous
            # offset: from the top each time, a minified ledger costs offsets × size.
            last = text.rfind("\n", prev, off)
            if last >= 0:
                start = last + 1
            out[off] = (line, off - start + 1)
            prev = off
        return out

    def _scan(self) -> None:
        import json

        # Stack entries: [container kind, path, current key or index, expecting key]
        stack: list[list[object]] = []
        wanted = self._wanted
        offsets = self._offsets
        text = self._text
        decoder = json.JSONDecoder(parse_int=lambda d: 0)  # only positions matter here
        decode = decoder.decode
        match = _TOKEN.match
        skip_ws = _SPACE.match
        pos = 0
        end = len(text)
        while pos < end:
            pos = skip_ws(text, pos).end()  # type: ignore[union-attr]  # \s* always matches
            m = match(text, pos)
            if m is None:
                break
            tok = m.group()
            c = tok[0]
            pos = m.end()
            if c in ":,":
                if c == "," and stack:
                    top = stack[-1]
                    if top[0] == "list":
                        top[2] = int(top[2]) + 1  # type: ignore[call-overload]
                    else:
                        top[3] = True
                continue
            if c in "]}":
                if stack:
                    stack.pop()
                continue
            if stack and stack[-1][0] == "dict" and stack[-1][3]:
                # A key of an object; most keys have no escapes and need no decoding.
                stack[-1][2] = (tok[1:-1] if "\\" not in tok else decode(tok)) if c == '"' else tok
                stack[-1][3] = False
                continue
            # A value starts here.
            if stack:
                top = stack[-1]
                path: JsonPath = (*top[1], top[2])  # type: ignore[misc, arg-type]
            else:
                path = ()
            if wanted is None or path in wanted:
                if path in offsets:
                    self._earlier.setdefault(path, offsets[path])
                offsets[path] = m.start()
            elif c in "{[":
                # Nothing wanted inside: jump over the whole value at C speed.
                pos = decoder.raw_decode(text, m.start())[1]
                continue
            if c == "{":
                stack.append(["dict", path, None, True])
            elif c == "[":
                stack.append(["list", path, 0, False])

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        known = self._positions.get(offset)
        if known is not None:
            return known
        return self._line_columns([offset])[offset]

    def first(self, path: Sequence[PathPart]) -> tuple[int, int] | None:
        """Line and column of the first of several values at ``path`` (a key its object
        repeats), or None when the path occurs once."""
        off = self._earlier.get(tuple(path))
        return None if off is None else self.position(off)

    def locate(self, path: Sequence[PathPart]) -> tuple[int, int] | None:
        """Line and column of the value at ``path`` (the last, when its key is repeated), or
        of its nearest present ancestor."""
        p = tuple(path)
        while True:
            off = self._offsets.get(p)
            if off is not None:
                return self.position(off)
            if not p:
                return None
            p = p[:-1]


def prefixes(paths: Iterable[Sequence[PathPart]]) -> set[JsonPath]:
    """Every path and each of its ancestors: what a :class:`SourceMap` must record."""
    out: set[JsonPath] = set()
    for path in paths:
        t = tuple(path)
        for i in range(len(t) + 1):
            out.add(t[:i])
    return out
