"""Reading a ledger's JSON text strictly: a key repeated in one object is an error.

JSON parsers keep the last of two equal keys and drop the first without a word (``"value":
99, "value": 54`` reads as 54), and pydantic's one-pass parser does the same. Python's
``json`` parser hands each object's members to a hook before building it, so the hook sees
a repeated key at C speed; only when one is found is the data walked and the text scanned
again to say where.
"""

from __future__ import annotations

import json
from typing import Any

from claimcheck.sourcemap import JsonPath, SourceMap, prefixes


class Repeated(dict[str, Any]):
    """A JSON object that repeated a key: its members as JSON keeps them (the last wins),
    and which keys were repeated."""

    __slots__ = ("keys_repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for key, _ in pairs:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        self.keys_repeated = list(repeated)


def bounded_int(digits: str) -> int | float:
    """An integer, or infinity past 4,000 digits (Python refuses to convert integers of
    over 4,300 digits; the schema rejects such values anyway)."""
    return int(digits) if len(digits) < 4000 else float("inf")


def decode(text: str) -> tuple[Any, bool]:
    """The JSON value of ``text`` and whether an object in it repeated a key.

    Raises ``ValueError`` (``json.JSONDecodeError``) or ``RecursionError`` when Python's
    parser refuses the text.
    """
    repeated = False

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        repeated = True
        return Repeated(pairs)

    return json.loads(text, object_pairs_hook=members, parse_int=bounded_int), repeated


def _flag_repeats(pairs: list[tuple[str, Any]]) -> None:
    if len(dict(pairs)) != len(pairs):
        raise _RepeatedKey


class _RepeatedKey(Exception):
    pass


def has_repeated_keys(text: str) -> bool:
    """Whether an object of the JSON ``text`` repeats a key: a parse that builds no
    objects (each is counted and dropped) and stops at the first repeat. ``text`` must
    be JSON that Python's parser reads."""
    try:
        json.loads(text, object_pairs_hook=_flag_repeats, parse_int=len, parse_float=len)
    except _RepeatedKey:
        return True
    return False


def repeated_keys(data: Any) -> list[JsonPath]:
    """The path of every repeated key in ``data`` (as :func:`decode` built it), in order."""
    out: list[JsonPath] = []
    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Repeated):
            out += [(*path, key) for key in value.keys_repeated]
        if isinstance(value, dict):
            stack += [((*path, k), v) for k, v in value.items() if isinstance(v, dict | list)]
        elif isinstance(value, list):
            stack += [((*path, i), v) for i, v in enumerate(value) if isinstance(v, dict | list)]
    return sorted(out, key=str)


def duplicate_problems(text: str, paths: list[JsonPath]) -> list[tuple[JsonPath, str, int, int]]:
    """Each repeated key at its last occurrence: ``(path, message, line, column)``."""
    smap = SourceMap(text, prefixes(paths))
    out = []
    for path in paths:
        last = smap.locate(path) or (0, 0)
        first = smap.first(path)
        where = f" (first at line {first[0]})" if first else ""
        out.append(
            (
                path,
                f"key {path[-1]!r} given twice in one object{where}: JSON keeps only the "
                "last value and silently drops the other; keep one",
                last[0],
                last[1],
            )
        )
    return out
