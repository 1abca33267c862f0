"""The link store: cached results with a TTL, and each URL's check history.

One SQLite file (stdlib ``sqlite3``). Nothing a user wrote is ever deleted:

- a file that is not a SQLite database at all (its first 16 bytes are not
  ``SQLite format 3\\0``; an empty file is fine), or a SQLite database of another
  application, is refused with :class:`CacheLocationError`, and left untouched;
- a store of ours that is corrupt, of another version or with a damaged schema is
  renamed to ``NAME.corrupt-<UTC timestamp>`` (with its ``-wal``/``-shm``/``-journal``
  files, if SQLite left any) and rebuilt empty, with a note.

At claimcheck's own default location (``ours=True``) a file that is not a store is
moved aside the same way instead of refused: nobody asked for that path.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import stat
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from claimcheck.results import Hop, LinkHistory, LinkResult, LinkStatus, LinkWarning

SCHEMA_VERSION = 1
HISTORY_KEEP = 50
"""Checks remembered per URL: plenty for ``--confirm`` and "failing since"."""

FAILURES = frozenset(
    {
        LinkStatus.BROKEN,
        LinkStatus.GONE,
        LinkStatus.UNREACHABLE,
        LinkStatus.REDIRECT_LOOP,
        LinkStatus.SOFT_404,
        LinkStatus.SERVER_ERROR,
        LinkStatus.TIMEOUT,
    }
)
"""Statuses that extend a run of failures in the history."""
NEUTRAL = frozenset({LinkStatus.BLOCKED, LinkStatus.SKIPPED, LinkStatus.OFFLINE})
"""Statuses that say nothing about the link: they neither extend nor end a run."""
TRANSIENT = frozenset(
    {LinkStatus.TIMEOUT, LinkStatus.SERVER_ERROR, LinkStatus.UNREACHABLE, LinkStatus.OFFLINE}
)
"""Statuses never served from the cache: the next run must look again."""
DAY = 86400.0
BUSY_WAIT = 10.0
"""Seconds a run waits for another run that holds the store."""


def default_cache_path() -> Path:
    """``<user cache dir>/claimcheck/links.sqlite3``."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("claimcheck")) / "links.sqlite3"


def iso(ts: float) -> str:
    """A UTC timestamp as ``2026-03-02T10:00:00Z``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def result_to_payload(result: LinkResult) -> str:
    """What is stored of a result (not who cites it: that comes from the ledger)."""
    return json.dumps(
        {
            "status": result.status.value,
            "http_status": result.http_status,
            "final_url": result.final_url,
            "redirects": [[h.url, h.status] for h in result.redirects],
            "elapsed_ms": result.elapsed_ms,
            "archive_url": result.archive_url,
            "warnings": [w.value for w in result.warnings],
            "detail": result.detail,
        }
    )


def payload_to_result(url: str, kind: str, payload: str) -> LinkResult:
    """Rebuild a cached result; raises ``ValueError``/``KeyError`` on a bad payload."""
    d = json.loads(payload)
    _check_payload(d)
    return LinkResult(
        url=url,
        kind=kind,
        status=LinkStatus(d["status"]),
        http_status=d["http_status"],
        final_url=d["final_url"],
        redirects=tuple(Hop(url=u, status=int(s)) for u, s in d["redirects"]),
        elapsed_ms=int(d["elapsed_ms"]),
        archive_url=d["archive_url"],
        warnings=tuple(LinkWarning(w) for w in d["warnings"]),
        detail=d["detail"],
        cached=True,
    )


_PAYLOAD_TYPES: dict[str, tuple[type, ...]] = {
    "status": (str,),
    "http_status": (int, type(None)),
    "final_url": (str, type(None)),
    "redirects": (list,),
    "elapsed_ms": (int,),
    "archive_url": (str, type(None)),
    "warnings": (list,),
    "detail": (str, type(None)),
}


def _check_payload(d: object) -> None:
    """``ValueError`` unless a stored payload has every field with its type: a store is a
    file anyone could have written, and its values reach every reporter."""
    if not isinstance(d, dict):
        raise ValueError("a cached payload is not an object")
    for key, types in _PAYLOAD_TYPES.items():
        if not isinstance(d.get(key), types) or isinstance(d.get(key), bool):
            raise ValueError(f"cached field {key} has the wrong type")
    if not all(
        isinstance(h, list) and len(h) == 2 and isinstance(h[0], str) and type(h[1]) is int
        for h in d["redirects"]
    ) or not all(isinstance(w, str) for w in d["warnings"]):
        raise ValueError("cached redirects or warnings have the wrong types")


SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite 3 database."""
APPLICATION_ID = 0x636C6B31
"""``PRAGMA application_id`` of our stores ("clk1"), so a foreign database is recognised."""
_TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "results": ("key", "url", "checked_at", "payload"),
    "history": ("url", "checked_at", "status"),
    "evidence": ("key", "checked_at", "verdict", "digest"),
}
_SIDECARS = ("-wal", "-shm", "-journal")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, url TEXT NOT NULL, checked_at REAL NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (
    url TEXT NOT NULL, checked_at REAL NOT NULL, status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_url ON history (url, checked_at);
CREATE TABLE IF NOT EXISTS evidence (
    key TEXT NOT NULL, checked_at REAL NOT NULL, verdict TEXT NOT NULL, digest TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS evidence_key ON evidence (key, checked_at);
"""

UNKEPT = "link cache unusable so results were not kept"
Note = tuple[str, str]
"""A note of the run: (one short clause for the summary, the full text for stderr)."""


class CacheLocationError(ValueError):
    """The store's path cannot be used; the message says why (exit 2 on the command line)."""


class _Damaged(Exception):
    """Our store, but not usable as it is: set it aside and rebuild."""


class _Foreign(Exception):
    """Another program's SQLite database: never ours to change."""


def _corruption(exc: BaseException) -> bool:
    """Whether an error means the file is damaged (not locked, full or unreadable)."""
    if isinstance(exc, _Damaged):
        return True
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _identify(db: sqlite3.Connection) -> str:
    """``store`` (ours, or an empty database), or ``foreign`` (another program's)."""
    app_id = int(db.execute("PRAGMA application_id").fetchone()[0])
    tables = {
        str(r[0])
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(r[0]).startswith("sqlite_")
    }
    if app_id == APPLICATION_ID:
        return "store"
    if app_id != 0 or not tables <= set(_TABLES):
        return "foreign"
    return "store"  # no table yet, or ours from before the application id


def _setup(db: sqlite3.Connection) -> None:
    """Check, then create our schema; ``_Damaged`` or ``sqlite3.Error`` when it is broken.

    A store of another version or with changed tables is reported before anything is
    written to it. Checking and creating happen in one ``IMMEDIATE`` transaction, so
    runs that open a new store at the same moment create it once (the others wait).
    """
    _switch_to_wal(db)
    db.execute("BEGIN IMMEDIATE")
    try:
        _check_schema(db)
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(SCHEMA_VERSION),))
        if int(db.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.commit()
    except BaseException:
        db.rollback()
        raise
    db.execute("SELECT count(*) FROM results").fetchone()
    db.execute("SELECT count(*) FROM history").fetchone()


def _switch_to_wal(db: sqlite3.Connection, wait: float = BUSY_WAIT) -> None:
    """Put the store in WAL mode, waiting while another run holds the file.

    SQLite answers ``database is locked`` at once, without calling the busy handler,
    when two connections switch a new file to WAL together; so the switch is retried
    here for up to ``wait`` seconds (the same wait as every other statement).
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY")
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(random.uniform(0.005, 0.05))  # jitter: racing runs do not retry in step


def _check_schema(db: sqlite3.Connection) -> None:
    tables = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" in tables:
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is not None and row[0] != str(SCHEMA_VERSION):
            raise _Damaged(f"store version {row[0]}, expected {SCHEMA_VERSION}")
    for table, columns in _TABLES.items():
        if table in tables:
            got = tuple(str(r[1]) for r in db.execute(f"PRAGMA table_info({table})"))
            if got != columns:
                raise _Damaged(f"table {table} has columns {', '.join(got) or 'none'}")


def inspect_location(path: Path, label: str | None = None) -> str:
    """What is at ``path``, from its first 16 bytes only (SQLite is not even opened, so no
    side file appears): ``new`` (no file yet, or an empty one), ``sqlite`` (SQLite-shaped:
    ours, another program's or broken, which opening it tells) or ``not-sqlite``.
    Raises :class:`CacheLocationError` for a path that can never hold the store: a
    folder, a special file, an unreadable or unwritable file, a folder in the way that
    is a file, a folder that cannot be created.
    """
    label = label or f"--cache {path}"
    try:
        st: os.stat_result | None = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as exc:
        raise CacheLocationError(f"{label}: cannot use it ({_why(exc)})") from None
    if st is None:
        for folder in path.parents:
            try:
                fst = folder.stat()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                raise CacheLocationError(f"{label}: cannot use {folder} ({_why(exc)})") from None
            if not stat.S_ISDIR(fst.st_mode):
                raise CacheLocationError(f"{label}: {folder} is a file, not a folder")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise CacheLocationError(f"{label}: folder {folder} is not writable")
            return "new"
        raise CacheLocationError(f"{label}: no folder to create it in")  # pragma: no cover
    if stat.S_ISDIR(st.st_mode):
        raise CacheLocationError(
            f"{label}: is a folder; give a file path such as {path / 'links.sqlite3'}"
        )
    if not stat.S_ISREG(st.st_mode):
        raise CacheLocationError(f"{label}: is not a regular file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CacheLocationError(f"{label}: cannot read it ({_why(exc)})") from None
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise CacheLocationError(f"{label}: is not writable (the file and its folder must be)")
    if not head:
        return "new"
    if not head.startswith(SQLITE_HEADER):
        return "not-sqlite"
    return "sqlite"


def refusal(label: str, kind: str) -> str:
    """Why a file that is not a store is refused, and that it was left alone."""
    what = (
        "is not a SQLite database"
        if kind == "not-sqlite"
        else "is another program's SQLite database, not a claimcheck link store"
    )
    return f"{label}: {what}; left it untouched (give a new file or an existing link store)"


class LinkStore:
    """Results and history in one SQLite file (or in memory).

    ``ours`` says ``path`` is claimcheck's default location: a file there that is not a
    store is set aside (renamed, never deleted) instead of refused. Raises
    :class:`CacheLocationError` when ``path`` cannot be used.
    """

    def __init__(self, path: Path | None, *, ours: bool = False) -> None:
        self.path = path
        self.ours = ours
        self.label = f"link cache {path}" if ours else f"--cache {path}"
        self.notes: list[Note] = []
        """What happened to the store (set aside, rebuilt, given up): for the summary."""
        self._db = self._open()

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            db = sqlite3.connect(":memory:")
            _setup(db)
            return db
        db = sqlite3.connect(str(self.path), timeout=BUSY_WAIT)
        try:
            if _identify(db) == "foreign":
                raise _Foreign
            _setup(db)
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._connect()
        kind = inspect_location(self.path, self.label)
        if kind in ("not-sqlite", "foreign"):
            self._refuse_or_set_aside(kind)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheLocationError(
                f"{self.label}: cannot create folder {self.path.parent} ({_why(exc)})"
            ) from None
        for attempt in (1, 2):
            try:
                return self._connect()
            except _Foreign:
                if attempt == 2:
                    break
                self._refuse_or_set_aside("foreign")
            except (sqlite3.Error, _Damaged) as exc:
                if attempt == 2:
                    raise CacheLocationError(f"{self.label}: cannot rebuild it ({exc})") from None
                if not _corruption(exc):
                    raise CacheLocationError(
                        f"{self.label}: cannot create or open it ({exc})"
                    ) from None
                self._set_aside("corrupt", f"corrupt ({exc})")
        raise CacheLocationError(refusal(self.label, "foreign"))

    def _refuse_or_set_aside(self, kind: str) -> None:
        """A file that is not a store: refused where the user named it, else set aside."""
        if not self.ours:
            raise CacheLocationError(refusal(self.label, kind))
        what = "not a SQLite database" if kind == "not-sqlite" else "another program's database"
        self._set_aside("not a link store", what)

    def _move_aside(self) -> Path:
        """Rename the store and its side files to ``NAME.corrupt-<UTC time>``; never delete."""
        assert self.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        base = f"{self.path}.corrupt-{stamp}"
        backup, n = Path(base), 1
        while any(os.path.lexists(f"{backup}{s}") for s in ("", *_SIDECARS)):
            n += 1
            backup = Path(f"{base}-{n}")
        for suffix in ("", *_SIDECARS):
            with contextlib.suppress(FileNotFoundError):
                os.rename(f"{self.path}{suffix}", f"{backup}{suffix}")
        return backup

    def _set_aside(self, short: str, why: str) -> None:
        """Move a store that cannot be used out of the way, with a note saying where."""
        try:
            backup = self._move_aside()
        except OSError as exc:
            raise CacheLocationError(
                f"{self.label}: {why}, and it cannot be moved aside ({_why(exc)})"
            ) from None
        self.notes.append(
            (
                f"link cache was {short} so it was rebuilt",
                f"link cache {self.path} was {why}; moved it to {backup} and rebuilt it empty",
            )
        )

    def _guard(self, exc: sqlite3.Error | _Damaged) -> None:
        """An error mid-run: a corrupt store is set aside and rebuilt; anything else (locked,
        disk full) finishes the run in memory."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        reason: BaseException = exc
        if self.path is not None and _corruption(exc):
            try:
                self._set_aside("corrupt", f"corrupt ({exc})")
                self._db = self._connect()
                return
            except (CacheLocationError, sqlite3.Error, _Damaged) as again:
                reason = again
        if self.path is not None:
            self.notes.append(
                (
                    UNKEPT,
                    f"link cache {self.path} became unusable ({reason}); this run's results "
                    "are not kept",
                )
            )
        self.path = None
        self._db = self._connect()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def get(self, key: str, now: float, ttl: float) -> tuple[str, float] | None:
        """The payload cached under ``key`` and its time, if younger than ``ttl`` seconds."""
        try:
            row = self._db.execute(
                "SELECT payload, checked_at FROM results WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._guard(exc)
            return None
        if row is None:
            return None
        payload, checked_at = row
        if not isinstance(payload, str) or not isinstance(checked_at, float | int):
            self._damaged_rows("results")
            return None
        if now - float(checked_at) > ttl or float(checked_at) > now + 60:
            return None
        return payload, float(checked_at)

    def put_many(self, rows: Iterable[tuple[str, str, float, str]]) -> None:
        """Store ``(key, url, checked_at, payload)`` rows."""
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as exc:
            self._guard(exc)

    def record(self, url: str, status: LinkStatus, now: float) -> None:
        """Append one check to ``url``'s history (keeping the last :data:`HISTORY_KEEP`)."""
        try:
            with self._db:
                self._db.execute("INSERT INTO history VALUES (?, ?, ?)", (url, now, status.value))
                self._db.execute(
                    """DELETE FROM history WHERE url = ? AND checked_at < (
                        SELECT min(checked_at) FROM (SELECT checked_at FROM history
                        WHERE url = ? ORDER BY checked_at DESC LIMIT ?))""",
                    (url, url, HISTORY_KEEP),
                )
        except sqlite3.DatabaseError as exc:
            self._guard(exc)

    def history(self, url: str, confirm: int = 1) -> LinkHistory:
        """The URL's current run of failures; ``confirmed`` applies the ``--confirm`` rule."""
        try:
            rows = self._db.execute(
                "SELECT checked_at, status FROM history WHERE url = ? ORDER BY checked_at DESC",
                (url,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._guard(exc)
            rows = []
        if not all(isinstance(t, float | int) and isinstance(st, str) for t, st in rows):
            self._damaged_rows("history")
            rows = []
        return history_from_rows([(float(t), st) for t, st in rows], confirm)

    def _damaged_rows(self, table: str) -> None:
        """Rows of the wrong types (written by something else): a damaged store, set aside
        and rebuilt like a truncated one."""
        self._guard(_Damaged(f"table {table} holds values of the wrong types"))

    def record_evidence(self, rows: Iterable[tuple[str, float, str, str]]) -> None:
        """Append ``(key, checked_at, verdict, digest)`` evidence checks (the last
        :data:`HISTORY_KEEP` of each key are kept)."""
        rows = list(rows)
        try:
            with self._db:
                self._db.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?)", rows)
                for key in {r[0] for r in rows}:
                    self._db.execute(
                        """DELETE FROM evidence WHERE key = ? AND checked_at < (
                            SELECT min(checked_at) FROM (SELECT checked_at FROM evidence
                            WHERE key = ? ORDER BY checked_at DESC LIMIT ?))""",
                        (key, key, HISTORY_KEEP),
                    )
        except sqlite3.DatabaseError as exc:
            self._guard(exc)

    def evidence_rows(self, key: str) -> list[tuple[float, str, str]]:
        """``(checked_at, verdict, digest)`` of earlier evidence checks, newest first."""
        try:
            rows = self._db.execute(
                "SELECT checked_at, verdict, digest FROM evidence WHERE key = ? "
                "ORDER BY checked_at DESC",
                (key,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._guard(exc)
            return []
        return [(float(t), str(v), str(d)) for t, v, d in rows]


def history_from_rows(rows: list[tuple[float, str]], confirm: int = 1) -> LinkHistory:
    """Summarise checks given newest first.

    The archive bot's rule: a link is dead only after ``confirm`` consecutive failed
    checks that span at least a day (one failure is always enough when ``confirm`` ≤ 1).
    """
    run: list[float] = []
    for ts, status in rows:
        try:
            st = LinkStatus(status)
        except ValueError:
            continue
        if st in NEUTRAL:
            continue
        if st in FAILURES:
            run.append(ts)
        else:
            break
    if not run:
        return LinkHistory(failing_since=None, consecutive_failures=0, checks=len(rows))
    first, last = min(run), max(run)
    confirmed = len(run) >= confirm and (confirm <= 1 or last - first >= DAY)
    return LinkHistory(
        failing_since=iso(first),
        consecutive_failures=len(run),
        checks=len(rows),
        confirmed=confirmed,
    )
