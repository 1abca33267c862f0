"""Scale benchmark: the worst realistic shape, built by replicating the bundled ledger.

    .venv/bin/python bench/bench_scale.py [N_CLAIMS ...] [--shape agreeing|disputed|both]

(default: 10000 100000, both shapes; the issue's growth figures are
``10000 100000 1000000``.)

A ledger that gathers many outlets has many claims on one measure, place, time and
scope, and many share claims. Replicating ``data/claims.json`` N/59 times (each copy's
ids suffixed, every copy on the same places, measures, times and scopes, quoting the
same article) gives ~1,700 claims in each group and ~1,700 share claims at 100,000
claims. Two shapes:

* ``agreeing``: every copy gives the same figures;
* ``disputed``: outlets disagree, as they do: every third copy gives each count one
  more, so every quantity is disputed and every rule judges each candidate figure.

For each shape and size this prints, each in a fresh process started by a small one
(wall time, CPU time and peak resident memory of that process):

* ``verify --offline`` (goal < 8 s at 100,000 claims) and ``check`` (goal < 5 s);
* ``check --format json``;
* the CPU time of each consistency rule alone (and of indexing the figures), with its
  growth from one size to the next: near-linear rules grow about as the claims do;

and, once, the JSON report of 100,000 findings rendered alone (goal < 1 s).

A ledger over the 256 MiB input cap (``claimcheck/readfile.py``; the 1,000,000-claim
ledger is 418 MiB) is refused by ``claimcheck``; for such a size the processes run
``claimcheck`` with the cap raised to the file's size, and say so.
Figures are noisy on a shared machine: say the conditions when quoting them.
"""

from __future__ import annotations

import io
import itertools
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
SHAPES = ("agreeing", "disputed")

# ``claimcheck`` itself; a ledger over the input cap is run with the cap raised, as a
# user would raise it (docs/security.md).
CLAIMCHECK = [sys.executable, "-m", "claimcheck"]


def replicate(n_claims: int, folder: Path, shape: str = "agreeing") -> Path:
    """Write a ledger of about ``n_claims`` claims: copies of the bundled one."""
    base: dict[str, Any] = json.loads((DATA / "claims.json").read_text(encoding="utf-8"))
    claims, checks = base["claims"], base["checks"]
    copies = max(1, round(n_claims / len(claims)))
    out_claims: list[dict[str, Any]] = []
    out_checks: list[dict[str, Any]] = []
    for k in range(copies):
        suffix = f"-r{k}" if k else ""
        off = shape == "disputed" and k % 3 == 1
        for c in claims:
            new = {**c, "id": c["id"] + suffix}
            if off and c.get("kind") == "count" and isinstance(c.get("value"), int):
                new["value"] = c["value"] + 1
            out_claims.append(new)
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
    for name in ["article.txt", *base.get("includes", [])]:  # the gazetteer it includes
        shutil.copy(DATA / name, folder / name)
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


def rule_times(path: Path) -> dict[str, float]:
    """CPU seconds of indexing the figures and of each rule alone (run in this process)."""
    import gc

    _raise_cap(path.stat().st_size)
    from claimcheck.consistency import RULES
    from claimcheck.consistency.groups import Context
    from claimcheck.loader import load_ledger

    gc.disable()  # as the command line and check_consistency do
    loaded = load_ledger(path)
    out: dict[str, float] = {}
    start = time.process_time()
    ctx = Context.build(loaded)
    out["index of figures"] = time.process_time() - start
    for name, rule in RULES.items():
        start = time.process_time()
        list(rule.run(ctx))
        out[name] = time.process_time() - start
    return out


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


def _raise_cap(size: int) -> None:
    """Let this process and the commands it starts read a ledger of ``size`` bytes."""
    from claimcheck.readfile import MAX_INPUT_BYTES, MAX_INPUT_ENV

    os.environ[MAX_INPUT_ENV] = str(max(size, MAX_INPUT_BYTES))


def _commands(path: Path) -> list[tuple[str, list[str], float | None]]:
    exe = CLAIMCHECK
    return [
        ("verify --offline", [*exe, "verify", "--offline", str(path)], 8.0),
        ("check", [*exe, "check", str(path)], 5.0),
        ("check --format json", [*exe, "check", "--format", "json", str(path)], None),
    ]


def _size(n: int, shape: str, rules: dict[str, dict[int, float]]) -> None:
    """Print the commands' figures for one size and shape; record its rule times."""
    from claimcheck.readfile import MAX_INPUT_BYTES

    with tempfile.TemporaryDirectory() as tmp:
        # Written by another process: Linux counts the memory of the process that starts
        # a command in the command's peak, so this one stays small.
        made = subprocess.run(
            [sys.executable, __file__, "--write", str(n), shape, tmp],
            capture_output=True,
            text=True,
            check=True,
        )
        path, count = Path(tmp) / "claims.json", int(made.stdout)
        size = path.stat().st_size
        over = size > MAX_INPUT_BYTES
        note = f"; over the {MAX_INPUT_BYTES >> 20} MiB input cap, raised for it" if over else ""
        print(f"\n{count:,} claims, {shape} ({size / 1e6:.0f} MB ledger{note})", flush=True)
        _raise_cap(size)
        for label, args, goal in _commands(path):
            wall, cpu, peak, code = run(args)
            near = goal is not None and 90_000 <= count <= 110_000
            scaled = f" (goal < {goal:.0f} s)" if near else ""
            print(
                f"  {label:22} {wall:6.2f} s  (cpu {cpu:6.2f} s)  peak {peak:7.0f} MB  "
                f"exit {code}{scaled}",
                flush=True,
            )
        probe = subprocess.run(
            [sys.executable, __file__, "--rules", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        for name, secs in json.loads(probe.stdout).items():
            rules.setdefault(name, {})[count] = secs


def _growth(shape: str, rules: dict[str, dict[int, float]]) -> None:
    """Each rule's CPU time per size, and its growth from one size to the next."""
    sizes = sorted({n for by in rules.values() for n in by})
    print(f"\nrules alone, {shape} (CPU seconds; growth × against claims ×):")
    head = "".join(f"{n:>12,}" for n in sizes)
    print(f"  {'':26}{head}   growth")
    for name, by in rules.items():
        cells = "".join(f"{by.get(n, float('nan')):12.3f}" for n in sizes)
        steps = [
            f"{by[b] / by[a]:.1f}× / {b / a:.0f}×"
            for a, b in itertools.pairwise(sizes)
            if by.get(a, 0) >= 0.005
        ]
        print(f"  {name:26}{cells}   {', '.join(steps)}")


def main(sizes: list[int], shapes: tuple[str, ...]) -> None:
    """Print the figures for each shape and size."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")
    for shape in shapes:
        rules: dict[str, dict[int, float]] = {}
        for n in sizes:
            _size(n, shape, rules)
        _growth(shape, rules)
    wall, cpu = json_findings(100_000)
    print(f"\nJSON report of 100,000 findings: {wall:.2f} s (cpu {cpu:.2f} s; goal < 1 s)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rules"]:
        print(json.dumps(rule_times(Path(sys.argv[2]))))
        raise SystemExit(0)
    if sys.argv[1:2] == ["--write"]:
        written = replicate(int(sys.argv[2]), Path(sys.argv[4]), sys.argv[3])
        print(len(json.loads(written.read_text(encoding="utf-8"))["claims"]))
        raise SystemExit(0)
    argv = sys.argv[1:]
    chosen: tuple[str, ...] = SHAPES
    if "--shape" in argv:
        i = argv.index("--shape")
        value = argv[i + 1]
        chosen = SHAPES if value == "both" else (value,)
        del argv[i : i + 2]
    main([int(a) for a in argv] or [10_000, 100_000], chosen)
