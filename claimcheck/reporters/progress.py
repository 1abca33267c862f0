"""A transient progress bar on stderr while links are checked (only on a terminal)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

REFRESH_SECONDS = 0.1


class _Bar:
    """Started by the first call, gone when the last link is done.

    Redrawn by the calls themselves (at most every :data:`REFRESH_SECONDS`), not by a
    refresh thread: a process with no other thread may fork its link workers, which is
    much faster than spawning them (:func:`claimcheck.links.workers.start_method`)."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if self._progress is None:
            self._progress = Progress(
                TextColumn("checking links"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
                auto_refresh=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("links", total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)
        now = time.monotonic()
        if now - self._drawn >= REFRESH_SECONDS:
            self._drawn = now
            self._progress.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        """Remove the bar (also safe when it never started)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def stderr_progress(force: bool = False) -> Callable[[int, int], None] | None:
    """A ``progress(done, total)`` callback drawing on stderr, or None when stderr is not
    a terminal (CI logs get no bar)."""
    if not force and not sys.stderr.isatty():
        return None
    return _Bar()
