"""Reading an input file that may be hostile: only a regular file, and only so much of it.

A ledger or a document named by a pull request may be a FIFO (reading it would wait
forever), a device (``/dev/zero`` never ends), a loop of symbolic links, or simply far
larger than any article. Each is refused with a reason before any byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""The largest ledger or document read (256 MiB): ten times the longest book-length
article, far below what would exhaust a CI runner."""


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
        cap = MAX_INPUT_BYTES
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
