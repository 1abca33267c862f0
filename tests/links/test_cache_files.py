"""``--cache PATH``: nothing a user wrote is ever lost, and a bad path is one clear error."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.links import LinkOptionsError, check_ledger_links
from claimcheck.links.cache import APPLICATION_ID, CacheLocationError, LinkStore
from claimcheck.results import LinkStatus

from .conftest import LoopServer, fast_options, ledger_of
from .test_cli import ledger_with


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["links", *args])
    return result.exit_code, result.stdout, result.stderr


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def make_store(path: Path, server: LoopServer) -> None:
    """A real store with one cached result, written by a run."""
    opts = fast_options(use_cache=True, cache_path=path)
    check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert path.read_bytes().startswith(b"SQLite format 3\0")


def test_a_ledger_given_as_cache_is_refused_and_untouched(
    server: LoopServer, tmp_path: Path
) -> None:
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    victim = tmp_path / "victim.json"
    victim.write_bytes(ledger.read_bytes())
    before, names = victim.read_bytes(), siblings(victim)
    code, out, err = run(str(ledger), "--allow-private", "--cache", str(victim))
    assert code == 2
    assert "not a SQLite database" in err and "untouched" in err
    assert "Traceback" not in err and out == ""
    assert victim.read_bytes() == before
    assert siblings(victim) == names  # no -wal, no backup, nothing
    # The library refuses too (it never relies on the CLI's early check).
    opts = fast_options(use_cache=True, cache_path=victim)
    with pytest.raises(LinkOptionsError, match="not a SQLite database"):
        check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert victim.read_bytes() == before and siblings(victim) == names


@pytest.mark.parametrize(
    "content", [b"x", b"SQLite format", b"\0" * 100], ids=["one-byte", "half-header", "zeros"]
)
def test_short_or_binary_non_sqlite_files_are_refused(
    server: LoopServer, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(content)
    opts = fast_options(use_cache=True, cache_path=path)
    with pytest.raises(LinkOptionsError, match="not a SQLite database"):
        check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert path.read_bytes() == content


def test_another_programs_database_is_refused_and_untouched(
    server: LoopServer, tmp_path: Path
) -> None:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("INSERT INTO notes (body) VALUES ('keep me')")
    db.commit()
    db.close()
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    before, names = path.read_bytes(), siblings(path)
    code, _, err = run(str(ledger), "--allow-private", "--cache", str(path))
    assert code == 2 and "another program's SQLite database" in err
    with pytest.raises(CacheLocationError, match="another program"):
        LinkStore(path)
    assert path.read_bytes() == before and siblings(path) == names


def test_an_empty_file_is_used(server: LoopServer, tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    opts = fast_options(use_cache=True, cache_path=path)
    check_ledger_links(ledger_of(server.url("/ok")), opts)
    results, summary = check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert results[0].cached and summary.note is None


def test_a_corrupt_store_is_moved_aside_with_a_warning(server: LoopServer, tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    # SQLite-shaped (a rollback-journal header with a 4 KiB page size), broken beyond it.
    broken = b"SQLite format 3\0\x10\x00\x01\x01" + b"\xff" * 4076
    path.write_bytes(broken)
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    args = [str(ledger), "--allow-private", "--no-archive", "-f", "json", "--cache", str(path)]
    code, out, err = run(*args)
    assert code == 0
    (backup,) = tmp_path.glob("links.sqlite3.corrupt-*[0-9TZ]")
    assert backup.read_bytes() == broken
    assert err.startswith(f"claimcheck: warning: link cache {path} was corrupt (")
    assert f"moved it to {backup}" in err and "rebuilt it empty" in err
    assert json.loads(out)["summary"]["note"] == "link cache was corrupt so it was rebuilt"
    code, out, err = run(*args)  # the rebuilt store works
    assert code == 0 and err == ""
    assert all(link["cached"] for link in json.loads(out)["links"])


def damage_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("DROP TABLE results")
    db.execute("CREATE TABLE results (key TEXT, something_else TEXT)")
    db.commit()
    db.close()


def set_version(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("damage", "why"),
    [(damage_schema, "table results has columns"), (set_version, "store version 99")],
)
def test_a_store_with_damaged_schema_is_moved_aside(
    server: LoopServer, tmp_path: Path, damage: object, why: str
) -> None:
    path = tmp_path / "links.sqlite3"
    make_store(path, server)
    damage(path)  # type: ignore[operator]
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists()  # checkpointed on close
    before = path.read_bytes()
    opts = fast_options(use_cache=True, cache_path=path)
    notes: list[str] = []
    opts.on_note = notes.append
    results, summary = check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert results[0].status is LinkStatus.OK and not results[0].cached
    assert summary.note == "link cache was corrupt so it was rebuilt"
    (backup,) = tmp_path.glob("links.sqlite3.corrupt-*[0-9TZ]")
    assert backup.read_bytes() == before  # the old store was not written to
    assert len(notes) == 1 and why in notes[0] and str(backup) in notes[0]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()


def test_backups_never_overwrite_each_other(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    for n in range(3):
        path.write_bytes(b"SQLite format 3\0" + bytes([n]) * 2000)
        store = LinkStore(path)
        store.close()
    backups = [
        b for b in tmp_path.glob("links.sqlite3.corrupt-*") if not b.name.endswith(("-wal", "-shm"))
    ]
    assert len(backups) == 3
    assert {b.read_bytes()[16] for b in backups} == {0, 1, 2}


def test_at_the_default_location_a_foreign_file_is_moved_aside(
    server: LoopServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "cache" / "claimcheck" / "links.sqlite3"
    default.parent.mkdir(parents=True)
    default.write_text("something that is not ours")
    monkeypatch.setattr("claimcheck.links.check.default_cache_path", lambda: default)
    results, summary = check_ledger_links(
        ledger_of(server.url("/ok")), fast_options(use_cache=True)
    )
    assert results[0].status is LinkStatus.OK
    assert summary.note == "link cache was not a link store so it was rebuilt"
    (backup,) = default.parent.glob("links.sqlite3.corrupt-*")
    assert backup.read_text() == "something that is not ours"


def test_a_folder_as_cache_is_one_clear_error(server: LoopServer, tmp_path: Path) -> None:
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    folder = tmp_path / "store-dir"
    folder.mkdir()
    code, out, err = run(str(ledger), "--allow-private", "--cache", str(folder))
    assert code == 2 and out == ""
    assert err.strip() == (
        f"claimcheck: error: --cache {folder}: is a folder; "
        f"give a file path such as {folder / 'links.sqlite3'}"
    )
    assert list(folder.iterdir()) == []


def test_a_file_in_the_way_of_the_cache_folder_is_one_clear_error(
    server: LoopServer, tmp_path: Path
) -> None:
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    code, _, err = run(
        str(ledger), "--allow-private", "--cache", str(blocker / "sub" / "links.sqlite3")
    )
    assert code == 2 and "Traceback" not in err
    assert f"{blocker} is a file, not a folder" in err
    assert blocker.read_text() == "a file"


def test_missing_folders_of_an_explicit_cache_are_created(
    server: LoopServer, tmp_path: Path
) -> None:
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    store = tmp_path / "new" / "deeper" / "links.sqlite3"
    code, _, err = run(str(ledger), "--allow-private", "--no-archive", "--cache", str(store))
    assert code == 0 and err == ""
    assert store.read_bytes().startswith(b"SQLite format 3\0")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_an_unwritable_cache_location_is_one_clear_error(
    server: LoopServer, tmp_path: Path
) -> None:
    # /proc refuses new files even to root, unlike a chmod-ed folder.
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    for where in ("/proc/links.sqlite3", "/proc/claimcheck-test/links.sqlite3"):
        code, out, err = run(str(ledger), "--allow-private", "--cache", where)
        assert code == 2 and out == "", where
        assert err.startswith(f"claimcheck: error: --cache {where}: cannot create")
        assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_one_clear_error(server: LoopServer, tmp_path: Path) -> None:
    ledger = ledger_with(tmp_path, [server.url("/ok")])
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = run(str(ledger), "--allow-private", "--cache", str(folder / "c.sqlite3"))
    finally:
        folder.chmod(0o700)
    assert code == 2 and "is not writable" in err


def real_error(tmp_path: Path, sql: str, content: bytes) -> sqlite3.DatabaseError:
    """An error exactly as sqlite3 raises it (with its ``sqlite_errorname``)."""
    path = tmp_path / "probe.db"
    path.write_bytes(content)
    db = sqlite3.connect(path)
    try:
        db.execute(sql).fetchall()
    except sqlite3.DatabaseError as exc:
        return exc
    finally:
        db.close()
        path.unlink()
    raise AssertionError("no error")


class Failing:
    """Stands in for the store's connection: every statement fails with ``error``."""

    def __init__(self, error: sqlite3.DatabaseError) -> None:
        self.error = error

    def execute(self, *args: object) -> None:
        raise self.error

    def close(self) -> None:
        pass

    def __enter__(self) -> Failing:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_corruption_found_mid_run_sets_the_store_aside(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    store = LinkStore(path)
    garbage = b"SQLite format 3\0" + b"\xff" * 200
    error = real_error(tmp_path, "SELECT 1 FROM sqlite_master", garbage)
    assert error.sqlite_errorname == "SQLITE_NOTADB"
    store._db.close()
    store._db = Failing(error)  # type: ignore[assignment]
    assert store.get("k", 0.0, 1.0) is None
    backups = list(tmp_path.glob("links.sqlite3.corrupt-*"))
    assert len(backups) == 1
    assert store.notes[-1][0] == "link cache was corrupt so it was rebuilt"
    store.put_many([("k", "u", 1.0, "{}")])  # the rebuilt store works
    assert store.get("k", 1.0, 10.0) == ("{}", 1.0)
    store.close()


def test_a_busy_store_mid_run_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    store = LinkStore(path)
    store.put_many([("k", "u", 1.0, "{}")])
    store._db.close()
    busy = sqlite3.OperationalError("database is locked")
    store._db = Failing(busy)  # type: ignore[assignment]
    store.record("u", LinkStatus.OK, 2.0)
    assert not list(tmp_path.glob("*.corrupt-*"))  # a locked store is not corrupt
    assert store.notes[-1][0] == "link cache unusable so results were not kept"
    assert store.path is None  # the rest of the run is in memory
    store.close()
    assert LinkStore(path).get("k", 1.0, 10.0) == ("{}", 1.0)  # still intact
