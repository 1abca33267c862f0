"""Scale benchmark: the worst realistic shape, built by replicating the bundled ledger.

    .venv/bin/python bench/bench_scale.py [N_CLAIMS ...]      (default: 10000 100000)

A ledger that gathers many outlets has many claims on one measure, place, time and
scope, and many share claims. Replicating ``data/claims.json`` N/59 times (each copy's
ids suffixed, every copy on the same places, measures, times and scopes, quoting the
same article) gives ~1,700 claims in each group and ~1,700 share claims at 100,000
claims. For each size this prints, each in a fresh process (wall time and peak
resident memory of that process):

* ``verify --offline`` (goal < 8 s at 100,000 claims) and ``check`` (goal < 5 s);
* ``check --format json``;
* the JSON report of 100,000 findings rendered alone (goal < 1 s);

so that growth from 10k to 100k to 1M claims can be read off (goal: 1M under 4 GB).
Figures are noisy on a shared machine: say the conditions when quoting them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXE = Path(sys.executable).with_name("claimcheck")


def replicate(n_claims: int, folder: Path) -> Path:
    """Write a ledger of about ``n_claims`` claims: copies of the bundled one."""
    base: dict[str, Any] = json.loads((DATA / "claims.json").read_text(encoding="utf-8"))
    claims, checks = base["claims"], base["checks"]
    copies = max(1, round(n_claims / len(claims)))
    out_claims: list[dict[str, Any]] = []
    out_checks: list[dict[str, Any]] = []
    for k in range(copies):
        suffix = f"-r{k}" if k else ""
        for c in claims:
            out_claims.append({**c, "id": c["id"] + suffix})
        for chk in checks:
            new = {**chk, "id": chk["id"] + suffix}
            for key in ("total", "first", "then", "count", "left", "right"):
                if key in new:
                    new[key] += suffix
            for key in ("parts", "items"):
                if key in new:
                    new[key] = [x + suffix for x in new[key]]
            out_checks.append(new)
    ledger = {**base, "claims": out_claims, "checks": out_checks}
    ledger.pop("$schema", None)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "claims.json"
    path.write_text(json.dumps(ledger, ensure_ascii=False), encoding="utf-8")
    shutil.copy(DATA / "article.txt", folder / "article.txt")
    return path


def run(args: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak resident MB and exit code of one process.

    CPU time (user + system) is what the run costs; on a machine shared with other
    work, wall time also counts the waiting.
    """
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(args, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def json_findings(n: int) -> tuple[float, float]:
    """Wall and CPU seconds to render the JSON report of ``n`` findings (the reporter alone)."""
    from claimcheck.reporters.jsonfmt import render
    from claimcheck.results import Finding, Report, Status

    findings = [
        Finding(
            "consistency.agreement",
            Status.PASS,
            (f"claim-{i}", f"claim-{i + 1}"),
            f"stations in World, fuzhou-and-qingtian: 54 (claim-{i}) and ≥54 agree on 54",
            measure="stations",
        )
        for i in range(n)
    ]
    report = Report(ledger="bench.json", findings=findings)
    start, cpu = time.perf_counter(), time.process_time()
    render(report, io.StringIO())
    return time.perf_counter() - start, time.process_time() - cpu


def main(sizes: list[int]) -> None:
    """Print the figures for each size."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = replicate(n, Path(tmp))
            count = len(json.loads(path.read_text(encoding="utf-8"))["claims"])
            mb = path.stat().st_size / 1e6
            print(f"\n{count:,} claims ({mb:.0f} MB ledger)")
            for label, args, goal in (
                ("verify --offline", [str(EXE), "verify", "--offline", str(path)], 8.0),
                ("check", [str(EXE), "check", str(path)], 5.0),
                ("check --format json", [str(EXE), "check", "--format", "json", str(path)], None),
            ):
                wall, cpu, peak, code = run(args)
                near = goal is not None and 90_000 <= count <= 110_000
                scaled = f" (goal < {goal:.0f} s)" if near else ""
                print(
                    f"  {label:22} {wall:6.2f} s  (cpu {cpu:6.2f} s)  peak {peak:7.0f} MB  "
                    f"exit {code}{scaled}"
                )
    wall, cpu = json_findings(100_000)
    print(f"\nJSON report of 100,000 findings: {wall:.2f} s (cpu {cpu:.2f} s; goal < 1 s)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
