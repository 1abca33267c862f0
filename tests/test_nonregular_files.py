"""Ledgers and documents that are not regular files: refused, located, exit 2 (7.9)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.readfile import ReadRefused, read_regular
from tests.conftest import minimal_ledger


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,  # a FIFO read would hang: the timeout makes that a failure
        cwd=cwd,
    )


def ledger_with_document(tmp_path: Path) -> Path:
    data = minimal_ledger()
    data["document"] = {"title": "Doc", "text": "doc.txt"}
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_a_symlink_loop_as_the_ledger(tmp_path: Path) -> None:
    (tmp_path / "loop.json").symlink_to("loop.json")
    assert_refused(run("verify", "loop.json", "--offline", cwd=tmp_path), "loop.json", "loop")


def test_a_symlink_loop_as_the_document(tmp_path: Path) -> None:
    ledger = ledger_with_document(tmp_path)
    (tmp_path / "doc.txt").symlink_to("doc.txt")
    result = run("verify", ledger, "--offline", cwd=tmp_path)
    assert_refused(result, "$.document.text", "loop")


def test_a_fifo_as_the_document_does_not_hang(tmp_path: Path) -> None:
    ledger = ledger_with_document(tmp_path)
    os.mkfifo(tmp_path / "doc.txt")
    assert_refused(run("verify", ledger, "--offline", cwd=tmp_path), "$.document.text", "FIFO")


def test_a_fifo_as_the_ledger_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ledger.json")
    assert_refused(run("verify", "ledger.json", "--offline", cwd=tmp_path), "FIFO")


def test_a_device_as_the_ledger_is_refused_unread() -> None:
    assert_refused(run("check", "/dev/zero", cwd=Path("/")), "dev/zero", "device")


def test_a_device_as_the_document_is_refused_unread(tmp_path: Path) -> None:
    ledger = ledger_with_document(tmp_path)
    try:
        os.mknod(tmp_path / "doc.txt", stat.S_IFCHR | 0o444, os.makedev(1, 5))  # a /dev/zero
    except PermissionError:
        pytest.skip("cannot make a device node here")
    result = run("verify", ledger, "--offline", cwd=tmp_path)
    assert_refused(result, "$.document.text", "device")


def test_reading_is_bounded_by_the_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    assert read_regular(big, cap=5000) == b"x" * 5000
    with pytest.raises(ReadRefused, match="too large"):
        read_regular(big, cap=4999)


def run_with_cap(tmp_path: Path, cap: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAIMCHECK_MAX_INPUT_SIZE": cap}
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env=env,
    )


@pytest.mark.parametrize("cap", ["1KiB", "1000", "1kb"])
def test_the_environment_lowers_the_cap_for_one_run(tmp_path: Path, cap: str) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(minimal_ledger(), indent=2) + " " * 2000, encoding="utf-8")
    result = run_with_cap(tmp_path, cap, "check", ledger)
    assert_refused(result, "ledger.json", "too large")
    assert run_with_cap(tmp_path, "", "check", ledger).returncode == 0  # unset: the default


def test_the_environment_raises_the_cap_for_one_run(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(minimal_ledger(), indent=2), encoding="utf-8")
    size = ledger.stat().st_size
    assert_refused(run_with_cap(tmp_path, str(size - 1), "check", ledger), "too large")
    assert run_with_cap(tmp_path, str(size), "check", ledger).returncode == 0
    assert run_with_cap(tmp_path, "1GiB", "check", ledger).returncode == 0


@pytest.mark.parametrize("cap", ["lots", "-5", "0", "1.5GiB", "1 TB", "\x1b[2Jhuge"])
def test_a_cap_that_is_not_a_size_is_refused_not_ignored(tmp_path: Path, cap: str) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(minimal_ledger(), indent=2), encoding="utf-8")
    result = run_with_cap(tmp_path, cap, "check", ledger)
    assert_refused(result, "CLAIMCHECK_MAX_INPUT_SIZE", "not a size")
    assert "\x1b" not in result.stderr
