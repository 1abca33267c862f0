"""The link store: cached results with a TTL, and each URL's check history.

One SQLite file (stdlib ``sqlite3``). A corrupt or foreign file is moved aside and rebuilt;
the caller gets a note to show, never an exception.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
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


class LinkStore:
    """Results and history in one SQLite file (or in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.note: str | None = None
        """Set when the store had to be rebuilt: the caller shows it as a warning."""
        self._db = self._open()

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self.path is None else str(self.path)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(target, timeout=10.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS results (
                    key TEXT PRIMARY KEY, url TEXT NOT NULL,
                    checked_at REAL NOT NULL, payload TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS history (
                    url TEXT NOT NULL, checked_at REAL NOT NULL, status TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS history_url ON history (url, checked_at);
                """
            )
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('version', ?)", (str(SCHEMA_VERSION),))
                db.commit()
            elif row[0] != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"store version {row[0]}, expected {SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM results").fetchone()
            db.execute("SELECT count(*) FROM history").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.Error as exc:
            if self.path is None:
                raise
            self._discard()
            self.note = f"link cache {self.path} was unreadable ({exc}); rebuilt it empty"
            return self._connect()

    def _discard(self) -> None:
        assert self.path is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def _guard(self, exc: sqlite3.Error) -> None:
        """Corruption found mid-run: start over with an empty store."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        if self.path is None:
            self._db = self._connect()
            return
        self.note = f"link cache {self.path} was corrupt ({exc}); rebuilt it empty"
        try:
            self._discard()
            self._db = self._connect()
        except (OSError, sqlite3.Error) as again:
            # Cannot rebuild on disk either: finish the run in memory.
            self.note = f"link cache {self.path} unusable ({again}); results not kept"
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
        if row is None or now - float(row[1]) > ttl or float(row[1]) > now + 60:
            return None
        return str(row[0]), float(row[1])

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
        return history_from_rows([(float(t), s) for t, s in rows], confirm)


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
