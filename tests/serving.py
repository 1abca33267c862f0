"""Run a loopback server in a thread for the length of a ``with`` block."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(
    server: socketserver.BaseServer, release: threading.Event | None = None
) -> Iterator[None]:
    """Serve on a thread; on leaving, set ``release`` (so handlers still waiting give up
    before the shutdown waits for them), stop, close the socket and join the thread."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield
    finally:
        if release is not None:
            release.set()
        server.shutdown()
        server.server_close()
        thread.join()
