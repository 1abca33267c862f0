"""Recording link results in the store as they come, so an interrupted run loses little.

Results are written in batches (every :data:`BATCH` results or :data:`EVERY` seconds),
each batch one transaction. A run stopped by Ctrl-C, SIGTERM or a crash keeps every
batch already written, and the rest is written by the ``finally`` that closes the store
where the process lives on to run it; the next run serves those results from the store
(within ``--ttl``) and checks only the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from claimcheck.links.cache import TRANSIENT, LinkStore, result_to_payload
from claimcheck.results import LinkResult, LinkStatus

BATCH = 32
EVERY = 1.0
_UNRECORDED = frozenset({LinkStatus.SKIPPED, LinkStatus.OFFLINE})


class Recorder:
    """Buffers ``(key, result)`` pairs and writes them to the store in batches."""

    def __init__(self, store: LinkStore, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock
        self.recorded: set[int] = set()
        """Indexes whose check is in the history already (not to be counted twice)."""
        self._buffer: list[tuple[int, str, LinkResult]] = []
        self._last = time.monotonic()

    def add(self, index: int, key: str, result: LinkResult) -> None:
        """Keep one fresh result; write the batch when it is full or old enough."""
        if result.status in _UNRECORDED:
            return
        self._buffer.append((index, key, result))
        if len(self._buffer) >= BATCH or time.monotonic() - self._last >= EVERY:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered: each check into the history, each lasting result into
        the results table."""
        if not self._buffer:
            return
        now = self.clock()
        rows = []
        for index, key, result in self._buffer:
            self.store.record(result.url, result.status, now)
            self.recorded.add(index)
            if result.status not in TRANSIENT:
                rows.append((key, result.url, now, result_to_payload(result)))
        self.store.put_many(rows)
        self._buffer.clear()
        self._last = time.monotonic()
