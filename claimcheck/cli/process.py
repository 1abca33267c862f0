"""How the process ends when the world around it fails: a closed pipe, a full disk, a signal.

- stdout closed by its reader (``claimcheck claims | head -1``): exit quietly with
  :data:`PIPE_CLOSED` (141, what a shell reports for a program killed by ``SIGPIPE``),
  never the findings code 1 and never a traceback;
- stdout cannot be written (a full disk, an I/O error): one line on stderr and exit
  :data:`OUTPUT_FAILED` (4);
- ``SIGINT`` (Ctrl-C) exits 130 and ``SIGTERM`` 143 (128 + the signal), after the
  command has printed what it had (the link check keeps every result already obtained:
  see docs/security.md).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any, NoReturn

PIPE_CLOSED = 141
"""Exit code when stdout's reader went away (128 + SIGPIPE)."""
OUTPUT_FAILED = 4
"""Exit code when the report could not be written to stdout (disk full, I/O error)."""
INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT)."""
TERMINATED = 143
"""Exit code after SIGTERM (128 + SIGTERM)."""


class OutputClosed(Exception):
    """stdout's reader went away (EPIPE)."""


class OutputFailed(Exception):
    """stdout could not be written; the message says why."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, delivered like Ctrl-C so that the same code paths keep partial results."""


class GuardedStdout:
    """``sys.stdout`` with write failures turned into :class:`OutputClosed` or
    :class:`OutputFailed` (not ``OSError``: nothing on the way may mistake them for a
    failure of another file)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        """Write, or raise one of this module's exceptions."""
        try:
            return int(self._inner.write(text))
        except OSError as exc:
            raise _converted(exc) from None

    def writelines(self, lines: Iterable[str]) -> None:
        """Write each line."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush, or raise one of this module's exceptions."""
        try:
            self._inner.flush()
        except OSError as exc:
            raise _converted(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _converted(exc: OSError) -> Exception:
    if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
        return OutputClosed()
    return OutputFailed(exc.strerror or str(exc))


_signalled: list[int] = []


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _signalled.append(signum)
    raise Terminated()


def run(app: Callable[[], Any]) -> NoReturn:
    """Run the command-line app and exit with the documented code whatever happens."""
    sys.stdout = GuardedStdout(sys.stdout)
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, _on_sigterm)
    code: int
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except OutputClosed:
        code = PIPE_CLOSED
    except OutputFailed as exc:
        code = _output_failed(str(exc))
    except Terminated:
        code = TERMINATED
    except KeyboardInterrupt:
        code = INTERRUPTED
    if code == INTERRUPTED and _signalled:  # typer reports every interrupt as 130
        code = TERMINATED
    code = _final_flush(code)
    _leave(code)


def _leave(code: int) -> NoReturn:
    """Exit with ``code`` once the exit handlers have run, without the interpreter's
    teardown: freeing every object of a large run one by one (and a last full garbage
    collection) took a tenth of a second of a 2,000-link check, after its report was
    out. Every file the command writes is closed (and synced) before this point. Under a
    profiler or a tracer (which write their data once the program returns) the process
    ends the ordinary way."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stderr, sys.__stdout__):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()  # type: ignore[union-attr]
    os._exit(code)


def _final_flush(code: int) -> int:
    """Flush stdout now, so that a failure is reported here and not as a traceback
    when the interpreter exits."""
    try:
        if code != PIPE_CLOSED:
            sys.stdout.flush()
    except OutputClosed:
        code = PIPE_CLOSED
    except OutputFailed as exc:
        code = _output_failed(str(exc))
    if code in (PIPE_CLOSED, OUTPUT_FAILED):
        # What is left in the buffer can never be written: drop it quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
    return code


def _output_failed(why: str) -> int:
    with contextlib.suppress(OSError):
        sys.stderr.write(f"claimcheck: error: cannot write the report to stdout: {why}\n")
        sys.stderr.flush()
    return OUTPUT_FAILED
