"""Benchmark: loading a 100,000-claim ledger, listing it, and the CLI's start-up.

    .venv/bin/python bench/bench_load.py [N_CLAIMS]

Prints wall-clock figures next to the targets (load + validate < 3 s, ``claimcheck
claims`` < 5 s, ``claimcheck --help`` < 0.3 s). Run it on a quiet machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_ledger import write

from claimcheck.loader import load_ledger

CLI = [sys.executable, "-m", "claimcheck"]
EXE = Path(sys.executable).with_name("claimcheck")


def timed(cmd: list[str], runs: int = 1) -> float:
    """Median wall time of ``cmd`` over ``runs`` runs; its output is discarded."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = write(n, Path(tmp) / "claims.json")
        size = path.stat().st_size / 1e6
        print(f"ledger: {n:,} claims, {size:.1f} MB")
        loads = []
        for _ in range(3):
            t = time.perf_counter()
            load_ledger(path)
            loads.append(time.perf_counter() - t)
        show("load + validate (library, median of 3)", statistics.median(loads), "< 3 s")
        exe = [str(EXE)] if EXE.exists() else CLI
        show("claimcheck claims (table, whole run)", timed([*exe, "claims", str(path)]), "< 5 s")
        show("claimcheck claims --format json", timed([*exe, "claims", str(path), "-f", "json"]))
        show("claimcheck check", timed([*exe, "check", str(path)]), "< 5 s")
        show("claimcheck verify --offline", timed([*exe, "verify", "--offline", str(path)]))
    show("claimcheck --help (median of 10)", timed([*exe, "--help"], 10), "< 0.3 s")


def show(what: str, seconds: float, target: str = "") -> None:
    """One figure per line, with its target when there is one."""
    print(f"{what:<42} {seconds:7.3f} s" + (f"   (target {target})" if target else ""))


if __name__ == "__main__":
    main()
