"""Writing files: what is at the path decides how it is written (docs/security.md)."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from claimcheck.atomic import write_atomic
from claimcheck.schema import schema_text
from tests.conftest import copy_bundled


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_schema_to_a_device_writes_to_it_and_keeps_it_a_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("cannot make a device node here")
    result = run_cli("schema", "-o", null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert os.listdir(tmp_path) == ["null"]


def test_schema_to_stdout_through_a_proc_link_reaches_stdout(tmp_path: Path) -> None:
    # What /dev/stdout is: a link to /proc/self/fd/1 (here a pipe to this test).
    out = tmp_path / "out"
    out.symlink_to("/proc/self/fd/1")
    result = run_cli("schema", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema_text()
    assert out.is_symlink()


def test_schema_to_dev_stdout_is_a_stream() -> None:
    result = run_cli("schema", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema_text()
    assert Path("/dev/stdout").is_symlink()


def test_schema_to_a_fifo_streams_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read)
    reader.start()
    result = run_cli("schema", "-o", fifo)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert got == [schema_text().encode()]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_schema_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    result = run_cli("schema", "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text() == schema_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real.json"]


def test_a_symlink_loop_and_a_folder_are_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    result = run_cli("schema", "-o", loop)
    assert result.returncode == 2
    assert "loop of symbolic links" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("schema", "-o", tmp_path)
    assert result.returncode == 2 and "is a folder" in result.stderr


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("keep me")
    target.chmod(0o444)
    result = run_cli("schema", "-o", target)
    assert result.returncode == 2
    assert "read-only" in result.stderr
    assert target.read_text() == "keep me"


def test_write_archive_refuses_a_read_only_ledger_before_any_work(tmp_path: Path) -> None:
    ledger = copy_bundled(tmp_path)
    ledger.chmod(0o444)
    before = ledger.read_bytes()
    result = run_cli("links", ledger, "--write-archive", "--no-cache")
    assert result.returncode == 2
    assert "--write-archive" in result.stderr and "read-only" in result.stderr
    assert ledger.read_bytes() == before


def test_write_archive_through_a_symlinked_ledger_edits_the_real_one(tmp_path: Path) -> None:
    from claimcheck.links.writeback import write_archive_urls

    real = tmp_path / "real.json"
    real.write_text(json.dumps({"sources": [{"id": "s", "url": "https://a.example/x"}]}))
    link = tmp_path / "claims.json"
    link.symlink_to(real)
    snap = "https://web.archive.org/web/20220101000000/https://a.example/x"
    write_archive_urls(link, {"s": snap})
    assert link.is_symlink()
    assert json.loads(real.read_text())["sources"][0]["archive_url"] == snap


def test_mode_is_kept_and_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text("x")
    old.chmod(0o604)
    write_atomic(old, "y")
    assert stat.S_IMODE(old.stat().st_mode) == 0o604 and old.read_text() == "y"
    umask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", "z")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_a_block_device_is_refused(tmp_path: Path) -> None:
    dev = tmp_path / "blk"
    try:
        os.mknod(dev, stat.S_IFBLK | 0o600, os.makedev(7, 200))
    except PermissionError:
        pytest.skip("cannot make a device node here")
    with pytest.raises(OSError, match="block device"):
        write_atomic(dev, "x")


WRITER = """
import sys
from pathlib import Path
from claimcheck.atomic import write_atomic
path = Path(sys.argv[1])
body = "x" * 8_000_000
print("ready", flush=True)
n = 0
while True:
    n += 1
    write_atomic(path, f"{n}\\n{body}")
"""


def test_sigkill_mid_write_leaves_no_temporary_file_and_no_torn_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    rng = random.Random(7)
    strays = 0
    for _round in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.02, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        left = sorted(os.listdir(tmp_path))
        # Only a kill in the instant between naming and renaming (microseconds) may leave
        # a temporary file, and then a whole one, named for the dead process.
        for name in left:
            assert name == "out.txt" or name.startswith(f".out.txt.claimcheck-{proc.pid}-")
            head, _, body = (tmp_path / name).read_text().partition("\n")
            assert head.isdigit() and len(body) == 8_000_000
        strays += len(left) - ("out.txt" in left)
    assert strays <= 2
    write_atomic(target, "last")  # the next write sweeps what a dead writer left
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_stale_temporary_file_of_a_dead_process_is_swept(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(proc.stdout)
    stale = tmp_path / f".out.txt.claimcheck-{dead}-0123456789abcdef.tmp"
    stale.write_text("half")
    mine = tmp_path / f".out.txt.claimcheck-{os.getpid()}-0123456789abcdef.tmp"
    mine.write_text("in progress")
    write_atomic(tmp_path / "out.txt", "whole")
    assert sorted(os.listdir(tmp_path)) == [mine.name, "out.txt"]
