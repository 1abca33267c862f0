"""Writing files safely: the one helper every writer of claimcheck uses.

What is at the path decides how it is written (docs/security.md):

- a regular file (or nothing yet) is replaced atomically: a reader sees the old file or
  the new one, never half of either; its permission bits (and, as root, its owner) are
  kept. A file that is not writable (no write bit at all, even for root, or not writable
  by this user) is refused, never rewritten behind its owner's back;
- a symbolic link is written through: its target is replaced, the link stays a link
  (a link loop or a link into a missing folder is refused);
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written as a
  stream, never replaced by a regular file;
- a folder, a block device or a socket is refused.

The temporary file is created unnamed where the system allows it (Linux ``O_TMPFILE``),
so a kill in the middle of a write leaves nothing behind; it is given a name only for
the instant before the rename. Names of temporary files left by a process that no longer
exists (a kill in that instant, or a system without ``O_TMPFILE``) are removed by the
next write to the same folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import secrets
import stat
from pathlib import Path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_AT_FDCWD = -100
_TMP = re.compile(r"^\.(?P<name>.+)\.claimcheck-(?P<pid>\d+)-[0-9a-f]{16}\.tmp$")


class UnsafeWriteError(OSError):
    """The path holds something claimcheck will not write to; ``strerror`` says why."""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` by the rules of this module.

    Raises :class:`UnsafeWriteError` (an ``OSError``) for a path it refuses, and
    ``OSError`` when the system fails the write; on any error a regular file at ``path``
    is untouched.
    """
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """:func:`write_atomic` for bytes."""
    stream, target, st = _plan(Path(path))
    if stream:
        _write_stream(target, data)
    else:
        _replace(target, st, data)


def check_writable(path: Path) -> None:
    """Raise :class:`UnsafeWriteError` now if :func:`write_atomic` would refuse ``path``
    (so a long run does not end in a refusal); nothing is written."""
    stream, target, _st = _plan(Path(path))
    folder = target.parent
    if not stream and not os.access(folder, os.W_OK | os.X_OK):
        raise UnsafeWriteError(errno.EACCES, f"its folder {folder} is not writable")


def _plan(path: Path) -> tuple[bool, Path, os.stat_result | None]:
    """(written as a stream?, the path to write, what is there now); refusals raised."""
    try:
        st: os.stat_result | None = os.stat(path)  # through links
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeWriteError(errno.ELOOP, "a loop of symbolic links") from None
        raise
    if _is_stream_path(path) or (st is not None and not stat.S_ISREG(st.st_mode)):
        _check_special(st)
        # Opened by its own name: /dev/stdout must reach this process's stdout.
        return True, path, st
    target = _target(path)
    if st is not None and (st.st_mode & 0o222 == 0 or not os.access(target, os.W_OK)):
        raise UnsafeWriteError(errno.EACCES, "the file is read-only; it was not rewritten")
    return False, target, st


def _is_stream_path(path: Path) -> bool:
    """``/dev/…`` and ``/proc/…`` name streams (``/dev/stdout`` may resolve to a file the
    shell opened: replacing that file would cut the shell's output off)."""
    parts = Path(os.path.abspath(path)).parts
    return len(parts) > 2 and parts[1] in ("dev", "proc")


def _target(path: Path) -> Path:
    """The path to write: a symbolic link's final target, or ``path`` itself."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        # A dangling link: its target is created, as a shell's ``>`` would, when the
        # folder it points into exists.
        real = Path(os.path.realpath(path))
        if not real.parent.is_dir():
            raise UnsafeWriteError(
                errno.ENOENT, f"the link points into a missing folder ({real.parent})"
            ) from None
        return real


def _check_special(st: os.stat_result | None) -> None:
    """A device or a FIFO is written as a stream; anything else that is not a file refused."""
    if st is None:
        raise UnsafeWriteError(errno.ENOENT, "no such device")
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise UnsafeWriteError(errno.EISDIR, "is a folder, not a file")
    # A regular file here is /dev/stdout redirected by the shell: write where it points.
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISREG(mode)):
        kind = "a block device" if stat.S_ISBLK(mode) else "a socket or special file"
        raise UnsafeWriteError(errno.EINVAL, f"is {kind}; claimcheck writes only files")


def _write_stream(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _replace(path: Path, st: os.stat_result | None, data: bytes) -> None:
    """Write a temporary file in ``path``'s folder, then rename it over ``path``."""
    folder = path.parent
    _sweep(folder)
    # A new file gets the mode the umask gives any new file; an old one keeps its own.
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    fd = _open_unnamed(folder)
    tmp: Path | None = None
    if fd is not None:
        try:
            _fill(fd, data, mode, st)
            tmp = _link_unnamed(fd, folder, path.name)
        finally:
            os.close(fd)
    try:
        if tmp is None:  # no unnamed files here: a named one, swept if we are killed
            tmp = _temp_name(folder, path.name)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600)
            try:
                _fill(fd, data, mode, st)
            finally:
                os.close(fd)
        _rename_over(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _rename_over(tmp: Path, path: Path) -> None:
    """Rename, keeping the old file open meanwhile: its blocks are then freed at the close,
    not inside the rename, which keeps the instant a kill could leave ``tmp`` short."""
    try:
        old = os.open(path, os.O_RDONLY | _CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        old = None
    try:
        os.replace(tmp, path)
    finally:
        if old is not None:
            os.close(old)


def _fill(fd: int, data: bytes, mode: int, st: os.stat_result | None) -> None:
    _write_all(fd, data)
    os.fchmod(fd, mode)
    if st is not None and os.geteuid() == 0:
        with contextlib.suppress(OSError):  # as root, the file keeps its owner
            os.fchown(fd, st.st_uid, st.st_gid)
    os.fsync(fd)


def _temp_name(folder: Path, name: str) -> Path:
    return folder / f".{name}.claimcheck-{os.getpid()}-{secrets.token_hex(8)}.tmp"


def _open_unnamed(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where there is none."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    if not tmpfile:
        return None
    try:
        return os.open(folder, os.O_WRONLY | _CLOEXEC | tmpfile, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def _link_unnamed(fd: int, folder: Path, name: str) -> Path | None:
    """Give the unnamed file a name for the rename (None if the system will not)."""
    tmp = _temp_name(folder, name)
    # linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH (root, as in CI); the
    # /proc/self/fd route works for everyone where /proc is the same mount namespace.
    libc = _libc()
    if libc is not None and libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(tmp), 0x1000) == 0:
        return tmp
    try:
        os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
    except OSError:
        return None
    return tmp


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _sweep(folder: Path) -> None:
    """Remove temporary files of ours whose process no longer exists."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for entry in names:
        m = _TMP.match(entry)
        if m is None or _alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(folder / entry)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
