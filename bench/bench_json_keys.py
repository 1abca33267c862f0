"""Benchmark: the cost of finding repeated JSON keys when a ledger is loaded.

    .venv/bin/python bench/bench_json_keys.py [N_CLAIMS]

pydantic's one-pass parser (``model_validate_json``) drops a repeated key silently; the
loader keeps it and adds a lean second parse with Python's parser, whose hook counts
each object's members and drops the object (:func:`claimcheck.jsontext.has_repeated_keys`).
The alternatives measured before choosing are timed too, in alternation on the same
generated ledger (medians of 5), so a busy machine slows them alike;
bench/bench_load.py gives the whole load's figure.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_ledger import write

from claimcheck.jsontext import decode, has_repeated_keys
from claimcheck.models import Ledger


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        text = write(n, Path(tmp) / "claims.json").read_text(encoding="utf-8")
    print(f"ledger: {n:,} claims, {len(text) / 1e6:.1f} MB")
    ways: dict[str, Callable[[], object]] = {
        "pydantic parse + validate (drops repeats)": lambda: Ledger.model_validate_json(text),
        "lean repeat check alone (loader adds it)": lambda: has_repeated_keys(text),
        "json.loads building dicts, then validate": lambda: Ledger.model_validate(decode(text)[0]),
    }
    times: dict[str, list[float]] = {k: [] for k in ways}
    for _ in range(5):
        for name, run in ways.items():
            t = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t)
    base = statistics.median(times["pydantic parse + validate (drops repeats)"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<44} {med:7.3f} s  ({med / base:5.0%} of pydantic's one pass)")


if __name__ == "__main__":
    main()
