"""Recording found snapshots as ``archive_url`` in the ledger text, touching nothing else.

The ledger is JSON edited as text: a small parser keeps the position of every value, the
new member is inserted after the source's ``url`` (or an existing ``archive_url`` value is
replaced) in the file's own indentation, and the result is parsed back and compared with
the intended data before it is written atomically.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimcheck.atomic import write_atomic

_WS = " \t\r\n"
_URL = re.compile(r"https?://[!-~]+", re.IGNORECASE)
"""What may be written as an ``archive_url``: an absolute http(s) URL of printable ASCII."""
BOM = b"\xef\xbb\xbf"
_DECODER = json.JSONDecoder()


class WritebackError(Exception):
    """The ledger text could not be edited safely."""


@dataclass
class _Node:
    start: int
    end: int
    value: Any = None
    members: list[tuple[str, int, int, _Node]] = field(default_factory=list)
    """Object members: (key, start and end of the key's string, value node)."""
    items: list[_Node] = field(default_factory=list)


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _parse(text: str, i: int) -> _Node:
    i = _skip(text, i)
    if i >= len(text):
        raise WritebackError("unexpected end of JSON")
    ch = text[i]
    if ch == "{":
        node = _Node(start=i, end=i)
        j = _skip(text, i + 1)
        if text[j : j + 1] == "}":
            node.end = j + 1
            return node
        while True:
            j = _skip(text, j)
            key_start = j
            try:
                key, j = _DECODER.raw_decode(text, j)
            except json.JSONDecodeError as exc:
                raise WritebackError(str(exc)) from None
            if not isinstance(key, str):
                raise WritebackError("object key is not a string")
            key_end = j
            j = _skip(text, j)
            if text[j : j + 1] != ":":
                raise WritebackError("expected ':'")
            value = _parse(text, j + 1)
            node.members.append((key, key_start, key_end, value))
            j = _skip(text, value.end)
            if text[j : j + 1] == ",":
                j += 1
                continue
            if text[j : j + 1] == "}":
                node.end = j + 1
                return node
            raise WritebackError("expected ',' or '}'")
    if ch == "[":
        node = _Node(start=i, end=i)
        j = _skip(text, i + 1)
        if text[j : j + 1] == "]":
            node.end = j + 1
            return node
        while True:
            item = _parse(text, j)
            node.items.append(item)
            j = _skip(text, item.end)
            if text[j : j + 1] == ",":
                j += 1
                continue
            if text[j : j + 1] == "]":
                node.end = j + 1
                return node
            raise WritebackError("expected ',' or ']'")
    try:
        value, end = _DECODER.raw_decode(text, i)
    except json.JSONDecodeError as exc:
        raise WritebackError(str(exc)) from None
    return _Node(start=i, end=end, value=value)


def _line_before(text: str, pos: int) -> tuple[int, str]:
    """Where the line holding ``pos`` starts, and the line break that ends the line before
    it (``\r\n``, ``\n`` or ``\r``) — the file's own, so a CRLF file stays CRLF."""
    lf, cr = text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)
    if lf < 0 and cr < 0:
        return 0, "\n"
    if lf > cr:
        return lf + 1, "\r\n" if cr == lf - 1 else "\n"
    return cr + 1, "\r"


def _member(node: _Node, key: str) -> tuple[str, int, int, _Node] | None:
    for m in node.members:
        if m[0] == key:
            return m
    return None


def set_archive_urls(text: str, archive: Mapping[str, str]) -> str:
    """Return ``text`` with ``archive_url`` set for each source id in ``archive``.

    Raises :class:`WritebackError` when the text is not a JSON ledger with those sources.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WritebackError(f"the ledger is not JSON: {exc}") from None
    root = _parse(text, 0)
    sources = _member(root, "sources")
    if sources is None or not sources[3].items:
        raise WritebackError("the ledger has no sources array")
    edits: list[tuple[int, int, str]] = []
    for sid, snap in archive.items():
        if not isinstance(snap, str) or _URL.fullmatch(snap) is None:
            raise WritebackError(f"not an http(s) URL for source {sid!r}: {snap!r}")
    for src in sources[3].items:
        id_member = _member(src, "id")
        if id_member is None or id_member[3].value not in archive:
            continue
        new = json.dumps(archive[id_member[3].value], ensure_ascii=False)
        existing = _member(src, "archive_url")
        if existing is not None:
            edits.append((existing[3].start, existing[3].end, new))
            continue
        anchor = _member(src, "url") or src.members[-1]
        _key, key_start, key_end, value = anchor
        sep = text[key_end : value.start]  # the file's own ": " spelling
        line_start, newline = _line_before(text, key_start)
        indent = text[line_start:key_start]
        if indent.strip() == "" and line_start > src.start:
            insert = f',{newline}{indent}"archive_url"{sep}{new}'
        else:
            insert = f', "archive_url"{sep}{new}'
        edits.append((value.end, value.end, insert))
    out = text
    for start, end, new_text in sorted(edits, reverse=True):
        out = out[:start] + new_text + out[end:]
    expected = data
    for src in expected.get("sources", []):
        if isinstance(src, dict) and src.get("id") in archive:
            src["archive_url"] = archive[src["id"]]
    if json.loads(out) != expected:
        raise WritebackError("editing the ledger would change more than archive_url")
    return out


def _still_valid(old: str, new: str, path: Path) -> None:
    """Refuse an edit that would turn a valid ledger into one the next run rejects."""
    from claimcheck.loader import LedgerError, parse_ledger

    try:
        parse_ledger(new, str(path), path)
    except LedgerError as err:
        try:
            parse_ledger(old, str(path), path)
        except LedgerError:
            return  # it was not a valid ledger before the edit either: none made worse
        raise WritebackError(
            f"the edited ledger would not be valid ({err.problems[0]}); it was not written"
        ) from None


def write_archive_urls(path: Path, archive: Mapping[str, str]) -> int:
    """Edit the ledger file in place, atomically; returns how many sources were updated.

    The file is read as bytes and written back byte for byte except the inserted or
    replaced ``archive_url`` members: line endings (LF, CRLF or CR), indentation and a
    UTF-8 byte order mark are kept.
    """
    if not archive:
        return 0
    raw = path.read_bytes()
    bom = raw.startswith(BOM)
    try:
        text = raw[len(BOM) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WritebackError(f"the ledger is not UTF-8: {exc}") from None
    new = set_archive_urls(text, archive)
    _still_valid(text, new, path)
    if new != text:
        write_atomic(path, ("\ufeff" if bom else "") + new)
    return len(archive)
