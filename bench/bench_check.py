"""Time the consistency engine on a generated ledger.

    .venv/bin/python bench/bench_check.py [N_CLAIMS]

Writes a ledger of N claims (100,000 by default) with ``bench/generate_ledger.py`` into
a temporary folder, loads it, then times :func:`check_consistency`, and apart from it
the index, each rule, and the one scan of the ledger's text that locates the failed
findings. The engine groups claims first and never compares all pairs, so the check
should stay under 5 s for 100,000 claims.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_ledger import write

from claimcheck.consistency import RULES, check_consistency
from claimcheck.consistency.groups import Context
from claimcheck.loader import LoadedLedger, load_ledger
from claimcheck.results import Status

LIMIT_S = 5.0


def _phases(loaded: LoadedLedger, n_failed: int) -> dict[str, float]:
    """Seconds spent indexing, in each rule, and locating ``n_failed`` claims."""
    out: dict[str, float] = {}
    gc.disable()  # as check_consistency does
    try:
        s = time.perf_counter()
        ctx = Context.build(loaded)
        out["index of figures"] = time.perf_counter() - s
        for name, rule in RULES.items():
            s = time.perf_counter()
            rule.run(ctx)
            out[name] = time.perf_counter() - s
        n = len(loaded.ledger.claims)
        paths = [("claims", (i * 7919) % n, "value") for i in range(n_failed)]
        s = time.perf_counter()
        loaded.locate(paths)  # type: ignore[arg-type]
        out[f"locating {n_failed:,} failures"] = time.perf_counter() - s
    finally:
        gc.enable()
    return out


def main(n: int = 100_000) -> int:
    """Generate, load and check; print the figures; exit 1 if over the limit."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write(n, Path(tmp) / "claims.json")
        t0 = time.perf_counter()
        loaded = load_ledger(path)
        t1 = time.perf_counter()
        findings = check_consistency(loaded)
        t2 = time.perf_counter()
        failed = sum(1 for f in findings if f.status is Status.FAIL)
        phases = _phases(loaded, failed)
    total = t2 - t1
    counts = Counter(f.status.value for f in findings)
    print(f"claims: {n:,}")
    print(f"load (not part of the check): {t1 - t0:.2f} s")
    print(f"check_consistency: {total:.2f} s  (limit {LIMIT_S:.0f} s)")
    for name, secs in phases.items():
        print(f"  {name:28} {secs:.2f} s")
    by_status = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    print(f"findings: {len(findings):,}  {by_status}")
    return 0 if total < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
