"""Fixtures for the consistency engine: the bundled ledger to mutate, small ledgers to build."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimcheck.consistency import check_consistency
from claimcheck.includes import SECTIONS
from claimcheck.loader import load_ledger
from claimcheck.results import Finding, Status
from tests.conftest import copy_bundled

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

Mutator = Callable[[dict[str, Any]], None]


def by_id(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    """The object with ``id`` == ``ident`` in a ledger list."""
    return next(x for x in items if x["id"] == ident)


def failures(findings: list[Finding], check: str | None = None) -> list[Finding]:
    """Failed findings, of one check when given."""
    return [f for f in findings if f.status is Status.FAIL and (check is None or f.check == check)]


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of ``data/claims.json``, its article and gazetteer in a temporary folder."""
    return copy_bundled(tmp_path)


@pytest.fixture
def mutate(bundled: Path) -> Callable[[Mutator], list[Finding]]:
    """Apply one change to the copy of the bundled ledger and run the engine on it.

    The change sees the ledger with the gazetteer's definitions among its own (as the
    engine does); a changed shared definition is written back to the gazetteer."""

    def run(change: Mutator) -> list[Finding]:
        gazetteer = bundled.parent / "gazetteer.json"
        data = json.loads(bundled.read_text(encoding="utf-8"))
        shared = json.loads(gazetteer.read_text(encoding="utf-8"))
        ids = {s: {x["id"] for x in shared.get(s, [])} for s in SECTIONS}
        for s in SECTIONS:
            data[s] = data.get(s, []) + shared.get(s, [])
        change(data)
        for s in SECTIONS:
            items = data.pop(s)
            shared[s] = [x for x in items if x["id"] in ids[s]]
            if own := [x for x in items if x["id"] not in ids[s]]:
                data[s] = own
        for path, content in ((bundled, data), (gazetteer, shared)):
            path.write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")
        return check_consistency(load_ledger(bundled))

    return run


def _claim(ident: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "kind": "count" if "value" in fields else "fact",
        "text": f"Claim {ident}.",
        "quote": f"quote of {ident}",
        "sources": ["s"],
    }
    out.update(fields)
    return out


@pytest.fixture
def small(tmp_path: Path) -> Callable[..., list[Finding]]:
    """Build a small ledger from claims given as ``id -> fields`` and run the engine.

    Places are given as ``id -> parent`` (``world`` is always there), named by their
    titled id unless ``names`` gives a name; measures as ``id -> fields``.
    """

    def run(
        claims: dict[str, dict[str, Any]],
        places: dict[str, str | None] | None = None,
        measures: dict[str, dict[str, Any]] | None = None,
        checks: list[dict[str, Any]] | None = None,
        sources: list[dict[str, Any]] | None = None,
        names: dict[str, str] | None = None,
        scopes: list[dict[str, Any]] | None = None,
    ) -> list[Finding]:
        used = {c.get("measure") for c in claims.values()} - {None}
        measures = dict(measures or {})
        for m in used:
            measures.setdefault(m, {})
        data = {
            "sources": sources or [{"id": "s", "title": "Source"}],
            "places": [
                {
                    "id": p,
                    "name": (names or {}).get(p, p.title()),
                    **({"within": parent} if parent else {}),
                }
                for p, parent in {"world": None, **(places or {})}.items()
            ],
            "measures": [{"id": m, "name": m.title(), **f} for m, f in measures.items()],
            "claims": [_claim(i, **f) for i, f in claims.items()],
            "checks": checks or [],
            **({"scopes": scopes} if scopes else {}),
        }
        path = tmp_path / "small.json"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return check_consistency(load_ledger(path))

    return run
