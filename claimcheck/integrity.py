"""Checks across objects of a schema-valid ledger: ids, references, containment, paths.

Each problem is returned as a ``(json_path, message)`` pair so that the loader can
point at the offending value's line. All problems are collected, none stops the pass.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, cast, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from claimcheck.models import Claim, Ledger
from claimcheck.sourcemap import JsonPath

Problem = tuple[JsonPath, str]


def _ids(items: Sequence[object], section: str, problems: list[Problem]) -> set[str]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        ident: str = item.id  # type: ignore[attr-defined]
        if ident in seen:
            problems.append(
                (
                    (section, i, "id"),
                    f"duplicate id {ident!r} (first used at {section}[{seen[ident]}])",
                )
            )
        else:
            seen[ident] = i
    return set(seen)


def _refs(
    refs: Iterable[tuple[JsonPath, str | None]],
    known: set[str],
    what: str,
    problems: list[Problem],
) -> None:
    for path, ref in refs:
        if ref is not None and ref not in known:
            problems.append((path, f"unknown {what} id {ref!r}{suggest(ref, known)}"))


def suggest(wrong: str, known: Iterable[str]) -> str:
    """``; did you mean 'stations-total' or 'stations-further'?`` (the nearest ids), or ``''``."""
    close = difflib.get_close_matches(wrong, sorted(known), n=3, cutoff=0.6)
    if not close:
        return ""
    quoted = [repr(c) for c in close]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {listed}?"


def unsafe_document_path(text: str) -> str | None:
    """Why a document path may not be used, or None when it stays inside the ledger's folder."""
    if not text.strip():
        return "the document's text path is empty"
    if (
        PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute()
        or (PureWindowsPath(text).drive)
    ):
        return f"the document's text path {text!r} is absolute; give it relative to the ledger"
    parts = PurePosixPath(text.replace("\\", "/")).parts
    if ".." in parts:
        return f"the document's text path {text!r} climbs out of the ledger's folder with '..'"
    return None


def _passage_refs(claim: Claim, base: JsonPath, problems: list[Problem]) -> None:
    """A passage belongs to one of the claim's own sources, at most one passage each."""
    seen: set[str] = set()
    for j, p in enumerate(claim.passages):
        source = p.source
        path: JsonPath = (*base, "passages", j, "source")
        if source not in claim.sources:
            problems.append(
                (path, f"passage of source {source!r} but claim {claim.id!r} does not cite it")
            )
        elif source in seen:
            problems.append((path, f"a second passage for source {source!r}"))
        seen.add(source)


def check_integrity(ledger: Ledger) -> list[Problem]:
    """Every cross-object problem of ``ledger``: duplicates, dangling ids, cycles, paths."""
    problems: list[Problem] = []
    sources = _ids(ledger.sources, "sources", problems)
    claims = _ids(ledger.claims, "claims", problems)
    parties = _ids(ledger.parties, "parties", problems)
    places = _ids(ledger.places, "places", problems)
    measures = _ids(ledger.measures, "measures", problems)
    _ids(ledger.checks, "checks", problems)
    # A scope may sit within a declared scope or any scope a claim uses.
    scopes = _ids(ledger.scopes, "scopes", problems) | {s for c in ledger.claims for s in c.scope}
    _refs(
        ((("scopes", i, "within"), s.within) for i, s in enumerate(ledger.scopes)),
        scopes,
        "scope",
        problems,
    )

    _refs(
        ((("sources", i, "via"), s.via) for i, s in enumerate(ledger.sources)),
        sources,
        "source",
        problems,
    )
    _refs(
        ((("parties", i, "affiliation"), p.affiliation) for i, p in enumerate(ledger.parties)),
        parties,
        "party",
        problems,
    )
    _refs(
        ((("places", i, "within"), p.within) for i, p in enumerate(ledger.places)),
        places,
        "place",
        problems,
    )
    for i, m in enumerate(ledger.measures):
        _refs(
            ((("measures", i, "at_most", j), r) for j, r in enumerate(m.at_most)),
            measures,
            "measure",
            problems,
        )
        if m.id in m.at_most:
            problems.append(
                ((("measures", i, "at_most")), f"measure {m.id!r} is related to itself")
            )

    # A ledger may hold a million claims: each reference is looked up first, and only a
    # problem builds its path.
    for i, c in enumerate(ledger.claims):
        base: JsonPath = ("claims", i)
        if not sources.issuperset(c.sources):
            _refs(
                (((*base, "sources", j), r) for j, r in enumerate(c.sources)),
                sources,
                "source",
                problems,
            )
        if not parties.issuperset(c.said_by):
            _refs(
                (((*base, "said_by", j), r) for j, r in enumerate(c.said_by)),
                parties,
                "party",
                problems,
            )
        if c.measure is not None and c.measure not in measures:
            _refs([((*base, "measure"), c.measure)], measures, "measure", problems)
        for field in ("sources", "said_by", "scope"):
            items: list[str] = getattr(c, field)
            if len(items) > 1 and len(set(items)) != len(items):
                j = next(j for j, r in enumerate(items) if items.index(r) < j)
                problems.append(((*base, field, j), f"{items[j]!r} is listed twice"))
        if c.passages:
            _passage_refs(c, base, problems)
        if c.place is not None and c.place not in places:
            _refs([((*base, "place"), c.place)], places, "place", problems)
        if c.share_of is not None and c.share_of not in places:
            _refs([((*base, "share_of"), c.share_of)], places, "place", problems)
        if c.share == "plurality":
            if c.measure is None or c.place is None:
                problems.append(((*base, "share"), "a plurality needs 'measure' and 'place'"))
        elif (c.share is not None or c.percent is not None) and (
            c.measure is None or c.place is None or c.share_of is None
        ):
            field = "share" if c.share is not None else "percent"
            problems.append(((*base, field), "a share needs 'measure', 'place' and 'share_of'"))
        if c.share is not None and c.percent is not None:
            problems.append(((*base, "percent"), "give either 'share' or 'percent', not both"))
        if c.kind == "count":
            if c.value is None:
                problems.append((base, f"claim {c.id!r} is a count but has no 'value'"))
            if c.measure is None:
                problems.append((base, f"claim {c.id!r} is a count but has no 'measure'"))
        if c.value is not None and c.measure is None and c.kind != "count":
            problems.append(((*base, "value"), f"claim {c.id!r} has a value but no 'measure'"))
        if c.bound != "exact" and c.value is None and c.percent is None:
            problems.append(((*base, "bound"), f"claim {c.id!r} has a bound but no 'value'"))
        if c.kind == "date" and c.date is None:
            problems.append((base, f"claim {c.id!r} is a date but has no 'date'"))
        if c.kind == "period" and c.period is None:
            problems.append((base, f"claim {c.id!r} is a period but has no 'period'"))

    for i, chk in enumerate(ledger.checks):
        base = ("checks", i)
        refs: list[tuple[JsonPath, str | None]] = []
        if chk.kind == "sum":
            refs.append(((*base, "total"), chk.total))
            refs += [((*base, "parts", j), r) for j, r in enumerate(chk.parts)]
            listed = [chk.total, *chk.parts]
            for j, r in enumerate(chk.parts):
                if listed.index(r) <= j:
                    problems.append(((*base, "parts", j), f"claim {r!r} is listed twice"))
        elif chk.kind == "before":
            refs += [((*base, "first"), chk.first), ((*base, "then"), chk.then)]
        elif chk.kind == "count_of":
            refs.append(((*base, "count"), chk.count))
            refs += [((*base, "items", j), r) for j, r in enumerate(chk.items)]
            for j, r in enumerate(chk.items):
                if chk.items.index(r) < j:
                    problems.append(((*base, "items", j), f"claim {r!r} is listed twice"))
        else:
            refs += [((*base, "left"), chk.left), ((*base, "right"), chk.right)]
        _refs(refs, claims, "claim", problems)

    # Scopes nest as a tree too.
    wider = {s.id: s.within for s in ledger.scopes}
    for i, sc in enumerate(ledger.scopes):
        seen = {sc.id}
        cur = sc.within
        while cur is not None and cur in wider:
            if cur in seen:
                problems.append((("scopes", i, "within"), f"scope {sc.id!r} ends up inside itself"))
                break
            seen.add(cur)
            cur = wider[cur]

    # Containment must be a tree: a place inside itself, however far up, is an error.
    parent = {p.id: p.within for p in ledger.places}
    for i, p in enumerate(ledger.places):
        seen = {p.id}
        cur = p.within
        while cur is not None and cur in parent:
            if cur in seen:
                problems.append((("places", i, "within"), f"place {p.id!r} ends up inside itself"))
                break
            seen.add(cur)
            cur = parent[cur]

    if ledger.document is not None:
        why = unsafe_document_path(ledger.document.text)
        if why:
            problems.append((("document", "text"), why))
    return problems


@functools.cache
def _adapter(item_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(item_type)


def salvaged_references(data: Any) -> list[Problem]:
    """The reference problems of a ledger that fails its schema, so that one run reports
    both: the items that validate are checked as :func:`check_integrity` checks a valid
    ledger; a reference to an id defined by an item that does not validate is not called
    unknown (that item's own errors are reported). Paths are those of ``data``.

    A ledger with ``includes`` is not checked here: its references may point into the
    included files, which are only read once the ledger itself is valid.
    """
    if not isinstance(data, dict) or data.get("includes"):
        return []
    kept: dict[str, Any] = {}
    where: dict[str, list[int]] = {}
    defined: set[str] = set()  # ids of every item, valid or not
    for name, info in Ledger.model_fields.items():
        key = info.alias or name
        value = data.get(key)
        if key not in data:
            continue
        if get_origin(info.annotation) is not list or not isinstance(value, list):
            # A field of its own (the document): kept when it is valid.
            with contextlib.suppress(ValidationError):
                kept[key] = _adapter(cast(Any, info.annotation)).validate_python(value)
            continue
        adapter = _adapter(get_args(info.annotation)[0])
        kept[key], where[key] = [], []
        for i, item in enumerate(value):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                defined.add(item["id"])
            try:
                # As JSON, like the ledger itself: strict validation of Python data
                # takes only instances for a dataclass (a claim).
                kept[key].append(adapter.validate_json(json.dumps(item)))
            except ValidationError:
                continue
            where[key].append(i)
    try:
        ledger = Ledger.model_validate({"sources": [], "claims": []} | kept)
    except ValidationError:
        return []
    known = {
        ident
        for items in kept.values()
        if isinstance(items, list)
        for ident in (getattr(item, "id", None) for item in items)
        if isinstance(ident, str)
    }
    out: list[Problem] = []
    for path, message in check_integrity(ledger):
        section, index = path[0], path[1] if len(path) > 1 else None
        if isinstance(section, str) and isinstance(index, int) and section in where:
            path = (section, where[section][index], *path[2:])
        value = _value_at(data, path)
        if isinstance(value, str) and value in defined and value not in known:
            continue  # names an item whose own errors are reported
        out.append((path, message))
    return out


def _value_at(data: Any, path: JsonPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
