"""Which ledgers a run checks: files, folders and glob patterns, or the one found by default.

Nothing here prints; every problem (no such file, a pattern matching nothing, an unusable
ledger) is a located :class:`~claimcheck.loader.Problem`, all gathered in one
:class:`~claimcheck.loader.LedgerError`.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Sequence
from pathlib import Path

from claimcheck.loader import LedgerError, LoadedLedger, Problem, display_path, load_ledger

_PACKAGE = Path(__file__).resolve().parent
_GLOB = frozenset("*?[")

DEFAULT_NAMES = ("claims.json", "data/claims.json")
"""Where a command looks, in the working folder, for a ledger when none is named."""


def bundled_ledger() -> Path:
    """The ledger shipped with claimcheck: in the wheel, or in the source tree."""
    installed = _PACKAGE / "_data" / "claims.json"
    if installed.exists():
        return installed
    return _PACKAGE.parent / "data" / "claims.json"


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is the bundled ledger (which is never rewritten)."""
    try:
        return path.resolve() == bundled_ledger().resolve()
    except OSError:
        return False


def default_ledger(cwd: Path | None = None) -> Path:
    """The ledger a command uses when none is named: ``claims.json`` or
    ``data/claims.json`` in the working folder (the first that is a file), else the
    bundled ledger."""
    folder = cwd if cwd is not None else Path.cwd()
    for name in DEFAULT_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return bundled_ledger()


_MEMBER = re.compile(rb'"(?:claims|ledgers)"\s*:')


def _is_ledger_file(path: Path) -> bool:
    """Whether a file a folder or pattern holds is a ledger or a dossier file: JSON with a
    ``claims`` (or ``ledgers``) member. A folder also holds the schema, shared definitions
    that ledgers include, other tools' JSON: those are not checked on their own."""
    if path.suffix != ".json" or path.name.endswith(".schema.json"):
        return False
    try:
        return path.is_file() and _MEMBER.search(path.read_bytes()) is not None
    except OSError:
        return True  # unreadable: loading it says why


def expand(args: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The ledger files that ``args`` name, each once, in the order given.

    An existing folder stands for its ledgers (``*.json`` files with a ``claims`` or
    ``ledgers`` member; not ``*.schema.json``, not its subfolders), sorted by name; an
    argument that is not an existing path and holds ``*``, ``?`` or ``[`` is a glob
    pattern (``**`` spans folders) whose matching ledgers are taken the same way, sorted;
    anything else is a file, taken as given (a missing one fails when loaded). A folder
    or pattern that yields no ledger is a problem.
    """
    paths: list[Path] = []
    problems: list[Problem] = []
    for arg in args:
        path = Path(arg)
        text = str(arg)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if _is_ledger_file(p))
            if not found:
                problems.append(Problem(display_path(path), "folder holds no *.json ledger"))
            paths += found
        elif not path.exists() and _GLOB & set(text):
            found = sorted(
                Path(m) for m in glob.glob(text, recursive=True) if _is_ledger_file(Path(m))
            )
            if not found:
                problems.append(Problem(text, "no ledger file matches this pattern"))
            paths += found
        else:
            paths.append(path)
    return _unique(paths), problems


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links (RuntimeError in 3.11): loading says why
        return path.absolute()


def _unique(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    out: list[Path] = []
    for p in paths:
        if _key(p) not in seen:
            seen.add(_key(p))
            out.append(p)
    return out


def load_path(path: Path) -> LoadedLedger:
    """The ledger at ``path``, or the dossier a dossier file names."""
    from claimcheck.dossier import is_dossier_file, load_dossier_file

    if is_dossier_file(path):
        return load_dossier_file(path)
    return load_ledger(path)


def load_ledgers(args: Sequence[str | Path | LoadedLedger]) -> list[LoadedLedger]:
    """Load every ledger ``args`` names (files, folders, globs; a ledger already loaded
    is kept as it is), each once, in the order given; none given: the default ledger.

    Raises :class:`LedgerError` with the problems of every ledger that cannot be used
    (all ledgers are read, so one run shows all of them).
    """
    items: list[Path | LoadedLedger] = []
    problems: list[Problem] = []
    for arg in args or [default_ledger()]:
        if isinstance(arg, LoadedLedger):
            items.append(arg)
        else:
            paths, missing = expand([arg])
            items += paths
            problems += missing
    loaded: list[LoadedLedger] = []
    seen: set[Path] = set()
    for item in items:
        key = _key(item.path if isinstance(item, LoadedLedger) else item)
        if key in seen:
            continue
        seen.add(key)
        try:
            loaded.append(item if isinstance(item, LoadedLedger) else load_path(item))
        except LedgerError as err:
            problems += err.problems
    if problems:
        raise LedgerError(problems)
    return loaded
