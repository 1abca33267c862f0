"""The link run's progress bar, drawn on a terminal's stderr for the table format only."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from claimcheck.formats import ReportFormat


@contextmanager
def link_progress(
    fmt: ReportFormat, enabled: bool = True
) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback for the library (None when no bar is wanted),
    removed on the way out so that notes and the report print below it."""
    if enabled:
        gc.enable()  # main() turns it off for one-shot work; an event loop makes cycles
    bar = None
    if enabled and fmt is ReportFormat.table:
        from claimcheck.reporters.progress import stderr_progress

        bar = stderr_progress()
    try:
        yield bar
    finally:
        close = getattr(bar, "close", None)
        if close is not None:
            close()
