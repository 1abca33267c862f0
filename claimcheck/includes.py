"""Shared definitions: a ledger's ``includes`` merged into it, confined and conflict-free.

A ledger may name files (a *gazetteer*, or another ledger) whose ``sources``,
``parties``, ``places`` and ``measures`` it uses as its own. Included files may include
others. Every path stays inside the *root* folder (the ledger's, or the dossier's when
the ledger is loaded as part of one): no absolute path, no ``..`` that climbs out, no
symbolic link that leads out, no cycle. One id defined twice must be defined
identically; otherwise it is an error located at the second definition, naming the
first. Nothing here prints; problems are returned as data for the loader to locate.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel

from claimcheck.models import Gazetteer, Ledger
from claimcheck.sourcemap import JsonPath, SourceMap, prefixes

SECTIONS = ("sources", "parties", "places", "measures")
"""The parts of a file that an include brings in."""

MAX_INCLUDES = 200
"""More files than this in one ledger's includes is an error (a bound on the work)."""


@dataclass(frozen=True)
class Origin:
    """Where a definition was written: its file (as shown and its text) and JSON path."""

    shown: str
    text: str
    path: JsonPath

    def where(self) -> str:
        """``file:line`` of the definition."""
        pos = SourceMap(self.text, prefixes([self.path])).locate(self.path)
        return f"{self.shown}:{pos[0]}" if pos else self.shown


@dataclass(frozen=True)
class IncludeProblem:
    """A problem in some file of the include graph, at a JSON path of that file."""

    origin: Origin
    message: str


class IncludeError(Exception):
    """The includes cannot be used; ``problems`` says why, each in its own file."""

    def __init__(self, problems: list[IncludeProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


Reader = Callable[[Path], str]
"""Reads a file's text (raising the loader's error when it cannot)."""
Validator = Callable[[str, str, type[BaseModel]], BaseModel]
"""Validates text against a model, ``(text, shown, model)`` (raising on schema errors)."""


def unsafe_include(text: str) -> str | None:
    """Why an include path may never be used, whatever the folders; None when it may."""
    if not text.strip():
        return "the include path is empty"
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute():
        return f"the include path {text!r} is absolute; give it relative to this file"
    if PureWindowsPath(text).drive or "\\" in text:
        return f"the include path {text!r} must use '/' between folders"
    return None


def climbs_out(folder: Path, rel: str, root: Path) -> bool:
    """True when ``folder/rel`` written out (without following links) leaves ``root``."""
    inside = os.path.relpath(folder.absolute(), root.absolute())
    norm = os.path.normpath(os.path.join(inside, rel))
    return norm == ".." or norm.startswith("../") or os.path.isabs(norm)


@dataclass
class _Walk:
    root: Path
    read: Reader
    validate: Validator
    shown: Callable[[Path], str]
    definitions: dict[str, dict[str, tuple[BaseModel, Origin]]] = field(
        default_factory=lambda: {s: {} for s in SECTIONS}
    )
    merged: dict[str, list[Any]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict)
    done: set[Path] = field(default_factory=set)
    problems: list[IncludeProblem] = field(default_factory=list)

    def add(self, section: str, item: Any, origin: Origin, own: bool) -> None:
        known = self.definitions[section]
        first = known.get(item.id)
        if own or first is None:
            # The ledger's own items all keep their places (its duplicates are the
            # integrity check's to report, at their own paths).
            known.setdefault(item.id, (item, origin))
            if not own:
                self.origins[(section, len(self.merged[section]))] = origin
            self.merged[section].append(item)
        elif first[0] != item:
            self.problems.append(
                IncludeProblem(
                    origin,
                    f"{section[:-1]} {item.id!r} is defined differently in {first[1].where()} "
                    f"({_fmt(first[1].path)}); an id shared through includes must be "
                    "defined identically",
                )
            )
        # The same definition from two files (or one file included twice) is fine.

    def follow(self, path: Path, text: str, model: Gazetteer | Ledger, chain: list[Path]) -> None:
        shown = self.shown(path)
        for j, rel in enumerate(model.includes):
            here = Origin(shown, text, ("includes", j))
            target = self._target(path, rel, here, chain)
            if target is None or target in self.done:
                continue
            if len(self.done) >= MAX_INCLUDES:
                self.problems.append(IncludeProblem(here, f"more than {MAX_INCLUDES} includes"))
                return
            self.done.add(target)
            sub_text, sub = self._load(path.parent / rel, here)
            if sub is None:
                continue
            self.follow(path.parent / rel, sub_text, sub, [*chain, target])
            sub_shown = self.shown(path.parent / rel)
            for section in SECTIONS:
                for i, item in enumerate(getattr(sub, section)):
                    self.add(section, item, Origin(sub_shown, sub_text, (section, i)), own=False)

    def _target(self, path: Path, rel: str, here: Origin, chain: list[Path]) -> Path | None:
        why = unsafe_include(rel)
        if why is None and climbs_out(path.parent, rel, self.root):
            why = f"the include path {rel!r} climbs out of the folder {self.shown(self.root)!r}"
        target = path.parent / rel
        if why is None:
            try:
                if not target.is_file():
                    why = f"cannot include {rel!r}: no such file"
                elif not target.resolve().is_relative_to(self.root.resolve()):
                    why = f"the include path {rel!r} resolves outside {self.shown(self.root)!r}"
            except OSError as err:
                why = f"cannot include {rel!r}: {err.strerror or err}"
        if why is None and target.resolve() in chain:
            names = " → ".join(self.shown(p) for p in [*chain, target.resolve()])
            why = f"include cycle: {names}"
        if why is not None:
            self.problems.append(IncludeProblem(here, why))
            return None
        return target.resolve()

    def _load(self, path: Path, here: Origin) -> tuple[str, Gazetteer | Ledger | None]:
        text = self.read(path)
        shown = self.shown(path)
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            data = None
        # A ledger may be included for its definitions; anything else is a gazetteer.
        model: type[BaseModel] = (
            Ledger if isinstance(data, dict) and "claims" in data else Gazetteer
        )
        out = self.validate(text, shown, model)
        assert isinstance(out, Gazetteer | Ledger)
        return text, out


def _fmt(path: JsonPath) -> str:
    from claimcheck.sourcemap import format_path

    return format_path(path)


def resolve_includes(
    ledger: Ledger,
    path: Path,
    text: str,
    *,
    root: Path,
    read: Reader,
    validate: Validator,
    shown: Callable[[Path], str],
) -> tuple[Ledger, dict[tuple[str, int], Origin]]:
    """The ledger with its includes' definitions appended, and where each of those is from.

    The ledger's own definitions keep their places (so paths into it stay right); each
    included one is listed in the returned map by ``(section, index)`` in the merged
    ledger. Raises :class:`IncludeError` with every problem found.
    """
    walk = _Walk(root=root, read=read, validate=validate, shown=shown)
    me = shown(path)
    for section in SECTIONS:
        for i, item in enumerate(getattr(ledger, section)):
            walk.add(section, item, Origin(me, text, (section, i)), own=True)
    walk.done.add(path.resolve())
    walk.follow(path, text, ledger, [path.resolve()])
    if walk.problems:
        raise IncludeError(walk.problems)
    merged = ledger.model_copy(update={s: walk.merged[s] for s in SECTIONS})
    return merged, walk.origins
