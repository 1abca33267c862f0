"""Read a ledger file: decode, parse, validate, check integrity.

Everything a user can get wrong raises :class:`LedgerError`, which carries every
problem found, each with the file, line, column and JSON path, ready to print. Nothing
here prints.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from claimcheck.includes import IncludeError, Origin, resolve_includes
from claimcheck.integrity import check_integrity, salvaged_references
from claimcheck.jsontext import (
    bounded_int,
    decode,
    duplicate_problems,
    has_repeated_keys,
    repeated_keys,
)
from claimcheck.models import Claim, Ledger, Place, Source
from claimcheck.readfile import ReadRefused, read_regular
from claimcheck.schema_errors import explain
from claimcheck.sourcemap import JsonPath, PathPart, SourceMap, format_path, prefixes


@dataclass(frozen=True)
class Problem:
    """One located problem in a ledger file."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class LedgerError(Exception):
    """The ledger cannot be used; ``problems`` says every reason found, located."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside, or a loop of links
        return str(path)


def _resolve_loc(data: Any, loc: tuple[PathPart, ...]) -> JsonPath:
    """Drop the parts of a pydantic location that are not in the data (union tags)."""
    out: list[PathPart] = []
    cur = data
    for part in loc:
        present = (isinstance(cur, dict) and isinstance(part, str) and part in cur) or (
            isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        )
        if present:
            cur = cur[part]
            out.append(part)
        elif isinstance(cur, dict) and isinstance(part, str) and _is_tag(cur, part):
            continue
        elif isinstance(cur, dict) and isinstance(part, str):
            out.append(part)  # a missing field: say its name, point at its object
            break
        else:
            break
    return tuple(out)


def _is_tag(obj: dict[str, Any], part: str) -> bool:
    return obj.get("kind") == part or part in {"float", "int", "str", "bool", "none"}


@dataclass
class LoadedLedger:
    """A valid ledger with its file, its text and indexes by id."""

    ledger: Ledger
    path: Path
    text: str
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict)
    """Where each included definition was written, by ``(section, index)``."""

    @property
    def display(self) -> str:
        """The ledger's path for messages."""
        return display_path(self.path)

    @cached_property
    def claims(self) -> dict[str, Claim]:
        """Claims by id."""
        return {c.id: c for c in self.ledger.claims}

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.ledger.sources}

    @cached_property
    def places(self) -> dict[str, Place]:
        """Places by id."""
        return {p.id: p for p in self.ledger.places}

    def ancestors(self, place: str) -> list[str]:
        """The place and every place that contains it, innermost first."""
        out: list[str] = []
        cur: str | None = place
        while cur is not None and cur not in out:
            out.append(cur)
            p = self.places.get(cur)
            cur = p.within if p else None
        return out

    def locate(self, paths: list[JsonPath]) -> list[str]:
        """``file:line:col`` for each path (one scan of the text for all of them)."""
        if not paths:
            return []  # nothing to locate: no scan of a large ledger's text
        smap = SourceMap(self.text, prefixes(paths))
        shown = self.display  # resolves paths: once, not per finding
        out = []
        for p in paths:
            pos = smap.locate(p)
            out.append(f"{shown}:{pos[0]}:{pos[1]}" if pos else shown)
        return out

    def document_path(self) -> Path | None:
        """Where the document's text is, or None when the ledger names no document."""
        if self.ledger.document is None:
            return None
        return self.path.parent / self.ledger.document.text

    def document_text(self) -> str | None:
        """The document's text, or None when the ledger names none.

        Raises :class:`LedgerError` (located at ``$.document.text``) when it cannot be read,
        or when it resolves outside the ledger's folder (through a symbolic link): a ledger
        from an untrusted pull request must not get another file into a report.
        """
        doc = self.document_path()
        if doc is None:
            return None
        base = self.path.parent.resolve()
        try:
            if _resolves_outside(doc, base):
                raise LedgerError(
                    [Problem(display_path(doc), "resolves outside the ledger's folder (a link?)")]
                )
            text = _read_text(doc)
        except LedgerError as err:
            path = ("document", "text")
            line, col = SourceMap(self.text, prefixes([path])).locate(path) or (None, None)
            raise LedgerError(
                [
                    Problem(
                        self.display,
                        f"cannot use the document's text: {err.problems[0].message}",
                        line,
                        col,
                        "$.document.text",
                    )
                ]
            ) from None
        return text


def _resolves_outside(path: Path, base: Path) -> bool:
    try:
        return path.exists() and not path.resolve().is_relative_to(base)
    except OSError as err:
        raise LedgerError([Problem(display_path(path), f"cannot read: {err.strerror}")]) from None
    except RuntimeError:  # a loop of links (Python 3.11 resolves them so)
        raise LedgerError([Problem(display_path(path), "a loop of symbolic links")]) from None


def _read_text(path: Path) -> str:
    return _read_both(path)[1]


def _read_both(path: Path) -> tuple[bytes, str]:
    """The file's bytes (without a byte-order mark) and its text."""
    shown = display_path(path)
    try:
        # Only a regular file, bounded: a FIFO would hang, /dev/zero never ends.
        raw = read_regular(path)
    except ReadRefused as err:
        raise LedgerError([Problem(shown, str(err))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = err.start - (before.rfind(b"\n") + 1) + 1
        raise LedgerError(
            [Problem(shown, f"not UTF-8 text (byte 0x{raw[err.start]:02x})", line, col)]
        ) from None
    return (raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw), text


def parse_ledger(
    text: str, shown: str, path: Path | None = None, root: Path | None = None
) -> Ledger:
    """Parse and validate ledger text; ``shown`` names the file in messages.

    With ``path`` (the ledger's file), its ``includes`` are merged in, confined to
    ``root`` (the ledger's folder by default); see :mod:`claimcheck.includes`.
    """
    return _parse(text, shown, path, root)[0]


def _parse(
    text: str,
    shown: str,
    path: Path | None,
    root: Path | None,
    raw: bytes | None = None,
) -> tuple[Ledger, dict[tuple[str, int], Origin]]:
    ledger = _validated(text, shown, Ledger, raw)
    assert isinstance(ledger, Ledger)
    origins: dict[tuple[str, int], Origin] = {}
    if ledger.includes and path is not None:
        try:
            ledger, origins = resolve_includes(
                ledger,
                path,
                text,
                root=root if root is not None else path.parent,
                read=_read_text,
                validate=_validated,
                shown=display_path,
            )
        except IncludeError as err:
            raise LedgerError(_include_problems(err)) from None
    problems = check_integrity(ledger)
    if problems:
        raise LedgerError(_located_with_origins(text, shown, problems, origins))
    return ledger, origins


def _validated(
    text: str, shown: str, model: type[BaseModel], raw: bytes | None = None
) -> BaseModel:
    """The text as ``model``; every problem located: repeated keys, schema errors and (for
    a ledger) the reference errors of its valid parts, all at once. ``raw``: the text's
    UTF-8 bytes, when at hand."""
    if not text.strip():
        raise LedgerError([Problem(shown, "the file is empty; a ledger is a JSON object")])
    # Validating a str that is not ASCII makes Python attach a UTF-8 copy to it for as
    # long as it lives (the text lives as long as the ledger: half a gigabyte for a
    # million claims); the file's own bytes are that copy, dropped after the load.
    source: str | bytes = raw if raw is not None and not text.isascii() else text
    try:
        # pydantic parses and validates in one pass, but keeps the last of two equal
        # keys silently; a lean second parse finds them (bench/bench_json_keys.py).
        result = model.model_validate_json(source)
    except ValidationError as err:
        raise LedgerError(_invalid(text, shown, model, err)) from None
    try:
        repeated = has_repeated_keys(text)
    except (ValueError, RecursionError):
        repeated = False  # JSON pydantic reads and Python does not: no object to check
    if repeated:
        raise LedgerError(_repeated(text, shown, decode(text)[0]))
    return result


def _invalid(text: str, shown: str, model: type[BaseModel], err: ValidationError) -> list[Problem]:
    """Why ``text`` is not a ``model``: its repeated keys, its schema errors and, for a
    ledger, the reference errors of the parts that validate, in the order of the text."""
    try:
        data, repeated = decode(text)
    except (ValueError, RecursionError):
        return _explain(text, shown, err)  # not JSON: the one syntax error
    problems = _repeated(text, shown, data) if repeated else []
    problems += _explain(text, shown, err, data, model)
    if model is Ledger:
        problems += _located(text, shown, salvaged_references(data))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _repeated(text: str, shown: str, data: object) -> list[Problem]:
    found = duplicate_problems(text, repeated_keys(data))
    return [
        Problem(shown, message, line or None, col or None, format_path(path))
        for path, message, line, col in sorted(found, key=lambda f: (f[2], f[3]))
    ]


def _include_problems(err: IncludeError) -> list[Problem]:
    out: list[Problem] = []
    for p in err.problems:
        out += _located(p.origin.text, p.origin.shown, [(p.origin.path, p.message)])
    return out


def _located_with_origins(
    text: str,
    shown: str,
    items: list[tuple[JsonPath, str]],
    origins: dict[tuple[str, int], Origin],
) -> list[Problem]:
    """Locate problems of a merged ledger: included definitions in their own files."""
    own: list[tuple[JsonPath, str]] = []
    out: list[Problem] = []
    for path, message in items:
        origin = origins.get(path[:2]) if len(path) >= 2 else None  # type: ignore[arg-type]
        if origin is None:
            own.append((path, message))
        else:
            out += _located(origin.text, origin.shown, [((*origin.path, *path[2:]), message)])
    return _located(text, shown, own) + out


MAX_PROBLEMS = 200
"""Schema errors located and reported at most: a ledger with 400,000 errors is reported
by its first ones and a count, in bounded time and memory."""
_UNREAD = object()


def _explain(
    text: str,
    shown: str,
    err: ValidationError,
    data: Any = _UNREAD,
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    """The schema errors of ``text`` (``data``: its value, when already read; ``model``:
    what it failed to be), the first :data:`MAX_PROBLEMS` located; or the one JSON
    syntax error."""
    if data is _UNREAD:
        try:
            data = json.loads(text, parse_int=bounded_int)
        except json.JSONDecodeError as jerr:
            return [Problem(shown, f"invalid JSON: {jerr.msg}", jerr.lineno, jerr.colno)]
        except RecursionError:
            return [Problem(shown, "invalid JSON: nested too deeply")]
    if not isinstance(data, dict):
        return [Problem(shown, "a ledger is a JSON object with 'sources' and 'claims'", 1, 1)]
    total = err.error_count()
    errors = _first_errors(err, data, model)
    for e in errors:
        if e["type"] == "json_invalid":
            # JSON that Python reads but pydantic does not (a number out of range).
            msg = str(e.get("ctx", {}).get("error", e["msg"]))
            at = re.search(r" at line (\d+) column (\d+)$", msg)
            line, col = (int(at.group(1)), int(at.group(2))) if at else (None, None)
            return [Problem(shown, f"invalid JSON: {msg[: at.start()] if at else msg}", line, col)]
    items: dict[JsonPath, str] = {}
    left = 0
    for i, e in enumerate(errors):
        loc = _resolve_loc(data, tuple(e["loc"]))
        if loc in items:
            continue  # a union (int | float) fails once per member: one message is enough
        if len(items) == MAX_PROBLEMS:
            left = total - i
            break
        items[loc] = explain(dict(e), loc)
    located = _located(text, shown, list(items.items()))
    if left:
        located.append(
            Problem(
                shown,
                f"… and {left:,} more schema error(s) not shown (only the first "
                f"{MAX_PROBLEMS} are located: fix them and run again)",
            )
        )
    return located


def _first_errors(err: ValidationError, data: Any, model: type[BaseModel] | None) -> list[Any]:
    """The errors of ``err``, or, when there are many, the first ones: those of ``data``
    with every list cut to its first items (more items until some fail), validated again
    the same way. All of a ledger's 400,000 errors as dicts took half a gigabyte."""
    if err.error_count() <= 4 * MAX_PROBLEMS or model is None:
        return err.errors(include_url=False)
    keep = MAX_PROBLEMS
    while True:
        cut, whole = _cut(data, keep)
        try:
            model.model_validate_json(json.dumps(cut))
        except ValidationError as first:
            return first.errors(include_url=False)
        if whole:  # cannot happen: the whole data failed; all errors, then
            return err.errors(include_url=False)
        keep *= 10


def _cut(data: Any, keep: int) -> tuple[Any, bool]:
    """``data`` with every list (at any depth) cut to its first ``keep`` items, and
    whether nothing was cut."""
    if isinstance(data, list):
        parts = [_cut(v, keep) for v in data[:keep]]
        return [v for v, _ in parts], len(data) <= keep and all(w for _, w in parts)
    if isinstance(data, dict):
        parts_d = {k: _cut(v, keep) for k, v in data.items()}
        return {k: v for k, (v, _) in parts_d.items()}, all(w for _, w in parts_d.values())
    return data, True


def _located(text: str, shown: str, items: list[tuple[JsonPath, str]]) -> list[Problem]:
    smap = SourceMap(text, prefixes(p for p, _ in items))
    out = []
    for path, message in items:
        pos = smap.locate(path)
        line, col = pos if pos else (None, None)
        out.append(Problem(shown, message, line, col, format_path(path)))
    out.sort(key=lambda p: (p.line or 0, p.column or 0))
    return out


def load_ledger(path: Path, root: Path | None = None) -> LoadedLedger:
    """Read, parse and validate the ledger at ``path``, its includes merged in.

    Includes must stay inside ``root`` (default: the ledger's folder). Raises
    :class:`LedgerError` listing every problem (all schema errors at once).
    """
    path = Path(path)
    raw, text = _read_both(path)
    ledger, origins = _parse(text, display_path(path), path, root, raw)
    del raw
    return LoadedLedger(ledger=ledger, path=path, text=text, origins=origins)
