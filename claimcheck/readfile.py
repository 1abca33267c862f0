"""Reading an input file that may be hostile: only a regular file, and only so much of it.

A ledger or a document named by a pull request may be a FIFO (reading it would wait
forever), a device (``/dev/zero`` never ends), a loop of symbolic links, or simply far
larger than any article. Each is refused with a reason before any byte is read.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""The largest ledger or document read (256 MiB): ten times the longest book-length
article, far below what would exhaust a CI runner. ``CLAIMCHECK_MAX_INPUT_SIZE`` raises
or lowers it for one run (a dossier of a million claims is about 440 MiB)."""

MAX_INPUT_ENV = "CLAIMCHECK_MAX_INPUT_SIZE"
_SIZE = re.compile(r"^\s*(\d{1,15})\s*(|b|kib|mib|gib|kb|mb|gb|k|m|g)\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30}
_UNITS |= {"gib": 1 << 30, "kb": 1000, "mb": 1000**2, "gb": 1000**3}


class ReadRefused(Exception):
    """The file cannot or may not be read; the message says why, for the user."""


def read_regular(path: Path, cap: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (through symbolic links), at most ``cap``
    (default :data:`MAX_INPUT_BYTES`, read at each call).

    Raises :class:`ReadRefused` for a missing file, a folder, a loop of links, a FIFO,
    a device or a socket, a file over ``cap`` bytes, or a read error. The file is
    opened without blocking (a FIFO with no writer would block ``open`` itself) and
    checked on the open descriptor, so it cannot be swapped between check and read.
    """
    if cap is None:
        cap = input_cap()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadRefused(_why(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadRefused(_kind(st.st_mode))
        if st.st_size > cap:
            raise ReadRefused(f"too large ({_mib(st.st_size)}; at most {_mib(cap)} is read)")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > cap:  # it grew while being read
                raise ReadRefused(f"too large (over {_mib(cap)})")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ReadRefused(_why(exc)) from None
    finally:
        os.close(fd)


def input_cap() -> int:
    """The largest input read: ``CLAIMCHECK_MAX_INPUT_SIZE`` (``600MiB``, ``1GiB``,
    ``500000000``) when set, else :data:`MAX_INPUT_BYTES`; :class:`ReadRefused` when the
    variable is not a size, so a typo never lifts the cap silently."""
    raw = os.environ.get(MAX_INPUT_ENV)
    if raw is None or not raw.strip():
        return MAX_INPUT_BYTES
    m = _SIZE.match(raw)
    if m is None or int(m.group(1)) == 0:
        shown = raw.encode("unicode_escape").decode("ascii")[:40]
        raise ReadRefused(
            f"{MAX_INPUT_ENV}={shown!r} is not a size: write bytes or a size such as 600MiB or 1GiB"
        )
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if exc.errno == errno.EISDIR:
        return "is a directory, not a file"
    return f"cannot read: {exc.strerror or exc}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file; refused"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file; refused"
    return "is not a regular file; refused"


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MiB" if n >= 1024 * 1024 else f"{n} bytes"
