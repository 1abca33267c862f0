"""A link store raced by concurrent first runs, or holding rows of the wrong types (7.10)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimcheck.links.cache import LinkStore, payload_to_result

OPEN = """
import sys, time
from pathlib import Path
from claimcheck.links.cache import LinkStore
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
LinkStore(Path(sys.argv[1])).close()
"""


def test_concurrent_first_runs_create_the_store_once(tmp_path: Path) -> None:
    for round_ in range(3):
        store = tmp_path / f"round{round_}" / "links.sqlite3"
        go = tmp_path / f"go{round_}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN, str(store), str(go)],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(16)
        ]
        time.sleep(0.5)  # let every process reach the starting line
        go.touch()
        errors = []
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            if proc.returncode != 0:
                errors.append(err.strip().splitlines()[-1])
        assert errors == []
        with sqlite3.connect(store) as db:
            assert db.execute("SELECT value FROM meta WHERE key = 'version'").fetchall() == [("1",)]


def bad_store(tmp_path: Path, sql: str, args: tuple[object, ...]) -> Path:
    path = tmp_path / "links.sqlite3"
    LinkStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute(sql, args)
    return path


def test_history_rows_of_the_wrong_types_are_a_damaged_store(tmp_path: Path) -> None:
    path = bad_store(tmp_path, "INSERT INTO history VALUES (?, ?, ?)", ("http://x/", "soon", 5))
    store = LinkStore(path)
    history = store.history("http://x/")
    store.close()
    assert history.checks == 0
    assert any("rebuilt" in short for short, _full in store.notes)
    assert list(tmp_path.glob("links.sqlite3.corrupt-*"))  # set aside, never deleted


def test_result_rows_of_the_wrong_types_are_a_damaged_store(tmp_path: Path) -> None:
    path = bad_store(
        tmp_path, "INSERT INTO results VALUES (?, ?, ?, ?)", ("k", "http://x/", "soon", b"\x00")
    )
    store = LinkStore(path)
    assert store.get("k", time.time(), 86400) is None
    store.close()
    assert any("rebuilt" in short for short, _full in store.notes)


@pytest.mark.parametrize(
    "change",
    [
        {"detail": 5},
        {"http_status": "200"},
        {"redirects": [["http://a/", "301"]]},
        {"redirects": "x"},
        {"warnings": [7]},
        {"elapsed_ms": None},
        {"final_url": ["x"]},
    ],
)
def test_a_cached_payload_of_the_wrong_types_is_not_served(change: dict[str, object]) -> None:
    payload = {
        "status": "ok",
        "http_status": 200,
        "final_url": None,
        "redirects": [],
        "elapsed_ms": 3,
        "archive_url": None,
        "warnings": [],
        "detail": None,
    }
    payload_to_result("http://x/", "url", json.dumps(payload))  # the good one is served
    with pytest.raises(ValueError):
        payload_to_result("http://x/", "url", json.dumps(payload | change))
