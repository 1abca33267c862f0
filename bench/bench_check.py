"""Time the consistency engine on a generated ledger.

    .venv/bin/python bench/bench_check.py [N_CLAIMS]

Writes a ledger of N claims (100,000 by default) with ``bench/generate_ledger.py`` into
a temporary folder, loads it, then times :func:`check_consistency` and each rule alone.
The engine groups claims first and never compares all pairs, so the check should stay
well under 5 s for 100,000 claims.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_ledger import write

from claimcheck.consistency import RULES, check_consistency
from claimcheck.consistency.groups import Context
from claimcheck.loader import load_ledger

LIMIT_S = 5.0


def main(n: int = 100_000) -> int:
    """Generate, load and check; print the figures; exit 1 if over the limit."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write(n, Path(tmp) / "claims.json")
        t0 = time.perf_counter()
        loaded = load_ledger(path)
        t1 = time.perf_counter()
        findings = check_consistency(loaded)
        t2 = time.perf_counter()
        per_rule: dict[str, float] = {}
        for name, rule in RULES.items():
            ctx = Context.build(loaded)
            s = time.perf_counter()
            rule.run(ctx)
            per_rule[name] = time.perf_counter() - s
        s = time.perf_counter()
        Context.build(loaded)
        index_s = time.perf_counter() - s
    total = t2 - t1
    counts = Counter(f.status.value for f in findings)
    print(f"claims: {n:,}")
    print(f"load (not part of the check): {t1 - t0:.2f} s")
    print(f"check_consistency: {total:.2f} s  (limit {LIMIT_S:.0f} s)")
    print(f"  index of figures: {index_s:.2f} s")
    for name, secs in per_rule.items():
        print(f"  {name:24} {secs:.2f} s")
    print(
        f"findings: {len(findings):,}  "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    )
    return 0 if total < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
