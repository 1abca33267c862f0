"""Every way out has its documented code: closed pipes, full disks, absurd shards (7.12)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import minimal_ledger


def big_ledger(tmp_path: Path, n: int = 3000) -> Path:
    """A valid ledger whose listing is far larger than a pipe's buffer."""
    data = minimal_ledger()
    claim = data["claims"][0]
    data["claims"] = [dict(claim, id=f"claim-{i}") for i in range(n)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "claimcheck", *map(str, args)]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_closed_pipe_exits_141_quietly(tmp_path: Path, fmt: str) -> None:
    # What `claimcheck claims | head -1` does: read a little, then close the pipe.
    with subprocess.Popen(
        cmd("claims", big_ledger(tmp_path), "--format", fmt),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(100)
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 141
    assert err == b""


def test_a_full_disk_on_stdout_is_one_line_and_exit_4(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            cmd("claims", big_ledger(tmp_path)), stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    assert result.returncode == 4
    lines = result.stderr.decode().splitlines()
    assert lines == [
        "claimcheck: error: cannot write the report to stdout: No space left on device"
    ]


def test_a_full_disk_under_a_short_report_is_caught_at_the_last_flush() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            cmd("schema"), stdout=full, stderr=subprocess.PIPE, timeout=60, text=True
        )
    assert result.returncode == 4
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("shard", ["1/200000000", "1/" + "9" * 30, "1/" + "9" * 5000])
def test_a_huge_shard_count_is_a_usage_error(shard: str) -> None:
    result = subprocess.run(
        cmd("links", "--shard", shard, "--no-cache"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "--shard" in result.stderr
