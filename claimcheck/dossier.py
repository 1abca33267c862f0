"""A dossier: several ledgers of one story, merged into one view the engine checks as one.

Each member ledger is loaded on its own (its includes confined to the dossier's folder);
the merged view then holds every claim under a qualified id, ``ledger:claim-id``
(``patrolling:september-stations``), so that ledgers may reuse claim ids, and every
definition (source, party, place, measure) once. An id defined by several ledgers must
be defined identically (sharing a gazetteer through ``includes`` does that), or the
dossier is refused with an error located at the second definition, naming the first.

The merged view is a :class:`~claimcheck.loader.LoadedLedger`, so every rule, listing
and report that takes one takes a dossier too; locations of its findings point into
the member ledger that holds the claim or check. Nothing here prints.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimcheck.includes import SECTIONS, Origin, climbs_out, unsafe_include
from claimcheck.loader import (
    LedgerError,
    LoadedLedger,
    Problem,
    display_path,
    load_ledger,
)
from claimcheck.models import Check, Claim, DossierFile, Ledger, renamed
from claimcheck.results import Finding, Listing, Status
from claimcheck.sourcemap import JsonPath, SourceMap, format_path, prefixes

SEPARATOR = ":"
"""Between a ledger's name and a claim id: slugs never contain it."""
MAX_LEDGERS = 10_000
"""A bound on the work of one dossier."""


@dataclass
class Member:
    """One ledger of a dossier, with its name and where its claims and checks start."""

    loaded: LoadedLedger
    name: str
    """The qualifier of its claim ids: the file's stem, made unique in the dossier."""
    first_claim: int = 0
    first_check: int = 0


@dataclass
class Dossier(LoadedLedger):
    """The merged view of several ledgers (see the module's docs)."""

    members: list[Member] = field(default_factory=list)
    title: str | None = None
    file: Path | None = None
    """The dossier file, when the dossier was read from one."""

    @property
    def display(self) -> str:
        """The dossier file, or its ledgers joined with ``+``."""
        if self.file is not None:
            return display_path(self.file)
        return " + ".join(m.loaded.display for m in self.members)

    def member_of_claim(self, pos: int) -> tuple[Member, int]:
        """The member holding merged claim ``pos`` and its index there."""
        return self._member(pos, "first_claim")

    def _member(self, pos: int, attr: str) -> tuple[Member, int]:
        found = self.members[0]
        for m in self.members:
            if getattr(m, attr) <= pos:
                found = m
        return found, pos - int(getattr(found, attr))

    def locate(self, paths: list[JsonPath]) -> list[str]:
        """``file:line:col`` of each path, in the member ledger that holds it."""
        wanted: dict[int, list[tuple[int, JsonPath]]] = defaultdict(list)
        out = [self.display] * len(paths)
        for i, path in enumerate(paths):
            if len(path) >= 2 and path[0] in ("claims", "checks") and isinstance(path[1], int):
                attr = "first_claim" if path[0] == "claims" else "first_check"
                member, local = self._member(path[1], attr)
                wanted[self.members.index(member)].append((i, (path[0], local, *path[2:])))
        for k, items in wanted.items():
            found = self.members[k].loaded.locate([p for _, p in items])
            for (i, _), loc in zip(items, found, strict=True):
                out[i] = loc
        return out

    def document_text(self) -> str | None:
        """A dossier has no one document: each member is anchored in its own."""
        return None

    def claim_locations(self, qualified: list[str]) -> dict[str, str]:
        """``file:line`` of each claim (by qualified id) in its own ledger."""
        index = {c.id: i for i, c in enumerate(self.ledger.claims)}
        known = [q for q in qualified if q in index]
        found = self.locate([("claims", index[q]) for q in known])
        return {q: loc.rsplit(":", 1)[0] for q, loc in zip(known, found, strict=True)}


def qualify(name: str, claim_id: str) -> str:
    """``ledger:claim-id``."""
    return f"{name}{SEPARATOR}{claim_id}"


def _names(paths: list[Path]) -> list[str]:
    # The file's stem; two ledgers with one stem get their folder's name too, then a number.
    stems = [p.stem for p in paths]
    out = []
    for p, stem in zip(paths, stems, strict=True):
        name = stem if stems.count(stem) == 1 else f"{p.parent.name}/{stem}"
        n, base = 2, name
        while name in out:
            name, n = f"{base}-{n}", n + 1
        out.append(name)
    return out


def load_dossier(
    paths: list[Path],
    root: Path | None = None,
    title: str | None = None,
    file: Path | None = None,
) -> Dossier:
    """Load every ledger of ``paths`` and merge them into one :class:`Dossier`.

    Each ledger's includes stay inside ``root`` (by default each ledger's own folder).
    Raises :class:`LedgerError` with every problem of every ledger, and every id that
    two ledgers define differently.
    """
    if not paths:
        raise LedgerError([Problem("dossier", "a dossier needs at least one ledger")])
    if len(paths) > MAX_LEDGERS:
        raise LedgerError([Problem("dossier", f"more than {MAX_LEDGERS:,} ledgers")])
    problems: list[Problem] = []
    loaded: list[LoadedLedger] = []
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key in seen:
            continue  # one ledger named twice (a file and its folder) is checked once
        seen.add(key)
        try:
            loaded.append(load_ledger(path, root))
        except LedgerError as err:
            problems += err.problems
    if problems:
        raise LedgerError(problems)
    return dossier_of(loaded, title, file)


def dossier_of(
    loaded: list[LoadedLedger], title: str | None = None, file: Path | None = None
) -> Dossier:
    """One dossier of ledgers already loaded (a dossier among them gives its members).

    Raises :class:`LedgerError` for every id that two ledgers define differently.
    """
    flat: list[LoadedLedger] = []
    seen: set[Path] = set()
    for ld in loaded:
        for one in [m.loaded for m in ld.members] if isinstance(ld, Dossier) else [ld]:
            # A folder holds a dossier file and its ledgers: each ledger counts once.
            key = one.path.resolve()
            if key not in seen:
                seen.add(key)
                flat.append(one)
    members = [
        Member(ld, name) for ld, name in zip(flat, _names([ld.path for ld in flat]), strict=True)
    ]
    ledger = _merge(members)
    return Dossier(
        ledger=ledger,
        path=file or members[0].loaded.path,
        text="",
        members=members,
        title=title,
        file=file,
    )


def _merge(members: list[Member]) -> Ledger:
    problems: list[Problem] = []
    defs: dict[str, dict[str, tuple[Any, Member, Origin]]] = {s: {} for s in SECTIONS}
    merged: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    claims: list[Claim] = []
    checks: list[Check] = []
    for m in members:
        led = m.loaded.ledger
        for section in SECTIONS:
            for i, item in enumerate(getattr(led, section)):
                origin = m.loaded.origins.get((section, i)) or Origin(
                    m.loaded.display, m.loaded.text, (section, i)
                )
                first = defs[section].get(item.id)
                if first is None:
                    defs[section][item.id] = (item, m, origin)
                    merged[section].append(item)
                elif first[0] != item:
                    problems.append(_conflict(section, item.id, origin, first[2], first[1], m))
        m.first_claim, m.first_check = len(claims), len(checks)
        claims += [renamed(c, qualify(m.name, c.id)) for c in led.claims]
        checks += [_qualified_check(m.name, c) for c in led.checks]
    if problems:
        raise LedgerError(problems)
    return Ledger.model_construct(
        schema_ref=None,
        version=1,
        includes=[],
        document=None,
        claims=claims,
        checks=checks,
        sources=merged["sources"],
        parties=merged["parties"],
        places=merged["places"],
        measures=merged["measures"],
    )


def _conflict(
    section: str, ident: str, here: Origin, there: Origin, first: Member, second: Member
) -> Problem:
    pos = SourceMap(here.text, prefixes([here.path])).locate(here.path)
    line, col = pos if pos else (None, None)
    return Problem(
        here.shown,
        f"{section[:-1]} {ident!r} of ledger {second.name!r} is defined differently by ledger "
        f"{first.name!r} at {there.where()} ({format_path(there.path)}); ledgers of one "
        "dossier must define a shared id identically (share a gazetteer through 'includes')",
        line,
        col,
        format_path(here.path),
    )


_CLAIM_REFS = ("total", "first", "then", "count", "left", "right")
_CLAIM_LISTS = ("parts", "items")


def _qualified_check(name: str, check: Check) -> Check:
    update: dict[str, Any] = {"id": qualify(name, check.id)}
    for attr in _CLAIM_REFS:
        if hasattr(check, attr):
            update[attr] = qualify(name, getattr(check, attr))
    for attr in _CLAIM_LISTS:
        if hasattr(check, attr):
            update[attr] = [qualify(name, r) for r in getattr(check, attr)]
    return check.model_copy(update=update)


def read_dossier_file(path: Path) -> tuple[DossierFile, list[Path]]:
    """Read a dossier file: its model and its ledgers' paths, each inside its folder.

    Raises :class:`LedgerError`, located, for a bad file or a path that leaves the folder.
    """
    from claimcheck.loader import _explain, _read_text

    text = _read_text(path)
    shown = display_path(path)
    try:
        model = DossierFile.model_validate_json(text)
    except ValidationError as err:
        raise LedgerError(_explain(text, shown, err)) from None
    root = path.parent
    problems: list[Problem] = []
    out: list[Path] = []
    for j, rel in enumerate(model.ledgers):
        why = unsafe_include(rel)
        if why is None and climbs_out(root, rel, root):
            why = f"the ledger path {rel!r} climbs out of the dossier's folder"
        target = root / rel
        if why is None and target.exists() and not target.resolve().is_relative_to(root.resolve()):
            why = f"the ledger path {rel!r} resolves outside the dossier's folder"
        if why is not None:
            at: JsonPath = ("ledgers", j)
            pos = SourceMap(text, prefixes([at])).locate(at)
            line, col = pos if pos else (None, None)
            problems.append(
                Problem(shown, why.replace("include", "ledger"), line, col, format_path(at))
            )
        out.append(target)
    if problems:
        raise LedgerError(problems)
    return model, out


def is_dossier_file(path: Path) -> bool:
    """Whether ``path`` is a JSON object with ``ledgers`` and no ``claims``: a dossier file."""
    try:
        if not path.is_file() or path.stat().st_size > 10_000_000:
            return False
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "ledgers" in data and "claims" not in data


def load_dossier_file(path: Path) -> Dossier:
    """Load the dossier a dossier file names; every path stays inside its folder."""
    model, paths = read_dossier_file(path)
    return load_dossier(paths, root=path.parent, title=model.title, file=path)


def locate_claims(dossier: Dossier, findings: list[Finding]) -> list[Finding]:
    """Each finding with the ledger file and line of each claim it names, in its detail."""
    wanted = sorted({c for f in findings for c in f.claims})
    where = dossier.claim_locations(wanted)
    out = []
    for f in findings:
        named = [f"{c} at {where[c]}" for c in f.claims if c in where]
        if not named:
            out.append(f)
            continue
        line = "claims: " + "; ".join(named)
        detail = f"{f.detail}\n{line}" if f.detail else line
        out.append(Finding(f.check, f.status, f.claims, f.message, detail, f.location, f.measure))
    return out


def separate_warnings(loaded: list[LoadedLedger]) -> dict[int, Finding]:
    """For each ledger (by index) checked apart from others that count a measure it counts,
    a warning: one story split by mistake would otherwise pass in silence."""
    shared = shared_measures(loaded)
    out: dict[int, Finding] = {}
    for i, ld in enumerate(loaded):
        mine = {m: lds for m, lds in shared.items() if any(x is ld for x in lds)}
        if not mine:
            continue
        others = sorted({x.display for lds in mine.values() for x in lds if x is not ld})
        measures = ", ".join(sorted(mine))
        out[i] = Finding(
            "dossier.separate",
            Status.WARN,
            (),
            f"{', '.join(others)} also {'has' if len(others) == 1 else 'have'} figures of "
            f"{measures}, but the ledgers were checked separately: no claim of one was "
            "compared with a claim of another",
            detail=(
                "if they tell one story, check them as one dossier (--dossier, or a dossier "
                "file listing them: docs/dossier.md); if not, ignore this warning"
            ),
        )
    return out


def shared_measures(ledgers: list[LoadedLedger]) -> dict[str, list[LoadedLedger]]:
    """Measures that claims of more than one of ``ledgers`` count, with those ledgers.

    Ledgers checked separately that count one measure may be one story split by mistake.
    """
    users: dict[str, list[LoadedLedger]] = defaultdict(list)
    for ld in ledgers:
        for m in sorted({c.measure for c in ld.ledger.claims if c.measure is not None}):
            users[m].append(ld)
    return {m: lds for m, lds in users.items() if len(lds) > 1}


def member_findings(dossier: Dossier) -> list[Finding]:
    """What loading established and the anchoring of each member in its own document,
    with claim ids qualified: a dossier's quotes are found in their own articles."""
    from claimcheck.pipeline import (
        anchor_findings,
        coverage_findings,
        ledger_findings,
        prepared_document,
    )

    out: list[Finding] = []
    for m in dossier.members:
        document = prepared_document(m.loaded)
        own = (
            ledger_findings(m.loaded)
            + anchor_findings(m.loaded, document)
            + coverage_findings(m.loaded, document)
        )
        for f in own:
            claims = tuple(qualify(m.name, c) for c in f.claims)
            message = f"{m.name}: {f.message}"
            out.append(Finding(f.check, f.status, claims, message, f.detail, f.location, f.measure))
    return out


def with_ledger_column(listing: Listing, dossier: Dossier) -> Listing:
    """A claims listing of a dossier with the ledger file of each row (after the id)."""
    files = {m.name: m.loaded.display for m in dossier.members}

    def ledger_of(claim_id: str) -> str:
        return files.get(claim_id.split(SEPARATOR, 1)[0], "")

    make = listing.make_records
    listing.columns = [listing.columns[0], "ledger", *listing.columns[1:]]
    listing.rows = [[row[0], ledger_of(row[0]), *row[1:]] for row in listing.rows]
    listing.make_records = lambda: [r | {"ledger": ledger_of(str(r.get("id", "")))} for r in make()]
    return listing
