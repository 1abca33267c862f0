"""Includes: shared definitions merged into a ledger, confined to its folder, without conflicts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from claimcheck.loader import LedgerError, load_ledger

PLACES = [
    {"id": "world", "name": "World", "kind": "world"},
    {"id": "europe", "name": "Europe", "kind": "continent", "within": "world"},
]
MEASURES = [{"id": "stations", "name": "stations", "cumulative": True}]


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def _ledger(includes: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "includes": includes,
        "sources": [{"id": "s", "title": "S"}],
        "claims": [
            {
                "id": "c",
                "kind": "count",
                "text": "t",
                "quote": "q",
                "sources": ["s"],
                "measure": "stations",
                "value": 3,
                "place": "europe",
            }
        ],
        **extra,
    }


def _errors(path: Path, root: Path | None = None) -> list[str]:
    with pytest.raises(LedgerError) as err:
        load_ledger(path, root)
    return [str(p) for p in err.value.problems]


def test_included_definitions_are_the_ledgers_own(tmp_path: Path) -> None:
    _write(tmp_path / "gaz.json", {"places": PLACES, "measures": MEASURES})
    loaded = load_ledger(_write(tmp_path / "a.json", _ledger(["gaz.json"])))
    assert [p.id for p in loaded.ledger.places] == ["world", "europe"]
    assert loaded.ancestors("europe") == ["europe", "world"]


def test_without_the_include_the_references_dangle(tmp_path: Path) -> None:
    errors = _errors(_write(tmp_path / "a.json", _ledger([])))
    assert any("$.claims[0].measure: unknown measure id 'stations'" in e for e in errors)


def test_nested_includes_and_a_file_included_twice(tmp_path: Path) -> None:
    _write(tmp_path / "shared" / "places.json", {"places": PLACES})
    _write(tmp_path / "shared" / "gaz.json", {"includes": ["places.json"], "measures": MEASURES})
    led = _ledger(["shared/gaz.json", "shared/places.json"])
    loaded = load_ledger(_write(tmp_path / "a.json", led))
    assert len(loaded.ledger.places) == 2


def test_a_ledger_can_be_included_for_its_definitions(tmp_path: Path) -> None:
    other = _ledger([], places=PLACES, measures=MEASURES)
    other["claims"][0]["id"] = "other-claim"
    _write(tmp_path / "other.json", other)
    loaded = load_ledger(_write(tmp_path / "a.json", _ledger(["other.json"])))
    assert [c.id for c in loaded.ledger.claims] == ["c"]
    assert [s.id for s in loaded.ledger.sources] == ["s"]  # identical: listed once


def test_conflicting_definitions_are_located_in_both_files(tmp_path: Path) -> None:
    _write(tmp_path / "gaz.json", {"places": PLACES, "measures": MEASURES})
    led = _ledger(["gaz.json"], places=[{"id": "world", "name": "Earth", "kind": "world"}])
    errors = _errors(_write(tmp_path / "a.json", led))
    assert len(errors) == 1
    # At the included definition (gaz.json line 3), naming the ledger's own (line of $.places[0]).
    assert errors[0].startswith(f"{tmp_path / 'gaz.json'}:3:5: $.places[0]: place 'world'")
    lines = (tmp_path / "a.json").read_text().splitlines()
    own = next(i for i, ln in enumerate(lines, 1) if '"places"' in ln) + 1
    assert f"defined differently in {tmp_path / 'a.json'}:{own} ($.places[0])" in errors[0]


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/etc/passwd", "is absolute"),
        ("../outside.json", "climbs out of the folder"),
        ("sub/../../outside.json", "climbs out of the folder"),
        ("C:/x.json", "is absolute"),
        ("sub\\x.json", "must use '/'"),
        ("", "must not be empty"),
        ("missing.json", "no such file"),
    ],
)
def test_include_paths_stay_inside_the_folder(tmp_path: Path, path: str, why: str) -> None:
    _write(tmp_path / "outside.json", {"places": PLACES, "measures": MEASURES})
    errors = _errors(_write(tmp_path / "in" / "a.json", _ledger([path])))
    assert any("$.includes[0]: " in e and why in e for e in errors), errors
    assert errors[0].startswith(f"{tmp_path / 'in' / 'a.json'}:")


def test_dotdot_inside_the_folder_is_fine(tmp_path: Path) -> None:
    _write(tmp_path / "gaz.json", {"places": PLACES, "measures": MEASURES})
    (tmp_path / "sub").mkdir()
    load_ledger(_write(tmp_path / "a.json", _ledger(["sub/../gaz.json"])))


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "secret" / "gaz.json", {"places": PLACES, "measures": MEASURES})
    (tmp_path / "in").mkdir()
    os.symlink(tmp_path / "secret" / "gaz.json", tmp_path / "in" / "gaz.json")
    errors = _errors(_write(tmp_path / "in" / "a.json", _ledger(["gaz.json"])))
    assert any("resolves outside" in e for e in errors)


def test_the_root_can_be_wider_for_a_dossier(tmp_path: Path) -> None:
    _write(tmp_path / "gaz.json", {"places": PLACES, "measures": MEASURES})
    path = _write(tmp_path / "in" / "a.json", _ledger(["../gaz.json"]))
    assert any("climbs out" in e for e in _errors(path))
    load_ledger(path, root=tmp_path)


def test_include_cycles_are_errors(tmp_path: Path) -> None:
    _write(tmp_path / "b.json", {"includes": ["c.json"], "places": PLACES})
    _write(tmp_path / "c.json", {"includes": ["b.json"], "measures": MEASURES})
    errors = _errors(_write(tmp_path / "a.json", _ledger(["b.json"])))
    assert any("include cycle: " in e and "b.json → " in e for e in errors), errors
    assert any(e.startswith(f"{tmp_path / 'c.json'}:3:") for e in errors), errors


def test_schema_errors_in_an_included_file_are_located_there(tmp_path: Path) -> None:
    _write(tmp_path / "gaz.json", {"places": [{"id": "World", "name": "W"}]})
    errors = _errors(_write(tmp_path / "a.json", _ledger(["gaz.json"])))
    assert errors[0].startswith(f"{tmp_path / 'gaz.json'}:4:")
    assert "$.places[0].id: must be a lowercase slug" in errors[0]


def test_dangling_reference_inside_an_included_file_is_located_there(tmp_path: Path) -> None:
    places = [*PLACES, {"id": "paris", "name": "Paris", "within": "france"}]
    _write(tmp_path / "gaz.json", {"places": places, "measures": MEASURES})
    errors = _errors(_write(tmp_path / "a.json", _ledger(["gaz.json"])))
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path / 'gaz.json'}:")
    assert "$.places[2].within: unknown place id 'france'" in errors[0]


def test_the_bundled_story_defines_each_shared_thing_once() -> None:
    """Both bundled ledgers include the gazetteer and define again nothing it defines."""
    data = Path(__file__).resolve().parents[2] / "data"
    gaz = json.loads((data / "gazetteer.json").read_text(encoding="utf-8"))
    shared = {(s, x["id"]) for s in ("sources", "parties", "places", "measures") for x in gaz[s]}
    for name in ("claims.json", "patrolling.json"):
        ledger = json.loads((data / name).read_text(encoding="utf-8"))
        assert ledger["includes"] == ["gazetteer.json"], name
        own = {(s, x["id"]) for s in ("sources", "parties", "places", "measures")
               for x in ledger.get(s, [])}  # fmt: skip
        assert not own & shared, (name, sorted(own & shared))
    # Every place and measure the bundled ledger's claims name comes from the gazetteer.
    claims = json.loads((data / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert {("places", c["place"]) for c in claims if "place" in c} <= shared
    assert {("measures", c["measure"]) for c in claims if "measure" in c} <= shared
