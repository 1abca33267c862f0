"""What escaping untrusted text costs each format, on a large report.

    .venv/bin/python bench/bench_escape.py [N]

Builds a report of N findings (100,000 by default) and a listing of N rows, clean, then
again with one hostile character in one finding in a hundred, and times the shared
escaping (``visible_report``, ``visible_listing``, ``json_text``) against rendering
each format. Escaping should stay a small share of a render: a clean text is scanned
once and never copied.
"""

from __future__ import annotations

import io
import json
import sys
import time

from claimcheck.reporters import get_reporter
from claimcheck.reporters.escape import json_text, visible_listing, visible_report
from claimcheck.results import Finding, Listing, Report, Status


def _report(n: int, hostile: bool) -> Report:
    findings = []
    for i in range(n):
        bad = "\x1b[2J\u202e" if hostile and i % 100 == 0 else ""
        findings.append(
            Finding(
                "consistency.containment",
                Status.FAIL if i % 10 == 0 else Status.PASS,
                (f"claim-{i}", f"claim-{i + 1}"),
                f"stations (2022-09-12): Place {i}{bad} 3 ≥ Town {i} 2 + Village {i} 1",
                detail=f"after propagating the figures of stations through place-{i}",
                location=f"ledger.json:{i + 1}:7",
                measure="stations",
            )
        )
    rows = [[f"claim-{i}", "count", str(i), "stations", f"Place {i}", "2022-09", "", "s"]
            for i in range(n)]  # fmt: skip
    listing = Listing(title=f"{n} claims", columns=["id", "kind", "value", "measure", "place",
                      "when", "scope", "sources"], rows=rows)  # fmt: skip
    return Report(ledger="ledger.json", findings=findings, listings=[listing], brief=True)


def _time(label: str, job: object) -> float:
    start = time.perf_counter()
    job()  # type: ignore[operator]
    took = time.perf_counter() - start
    print(f"  {label:<34} {took * 1000:8.0f} ms")
    return took


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for hostile in (False, True):
        report = _report(n, hostile)
        print(f"{n:,} findings and listing rows, {'1% hostile' if hostile else 'clean'}:")
        _time("visible_report", lambda r=report: visible_report(r))
        _time("visible_listing", lambda r=report: visible_listing(r.listings[0]))
        data = {"findings": [f.to_json() for f in report.findings]}
        esc = _time("json_text (escaping encoder)", lambda d=data: json_text(d))
        raw = _time("json.dumps (no escaping)", lambda d=data: json.dumps(d, indent=2))
        print(f"  {'json escaping overhead':<34} {(esc / raw - 1) * 100:8.0f} %")
        for fmt in ("junit", "sarif", "github", "markdown"):
            _time(f"render {fmt}", lambda r=report, f=fmt: get_reporter(f)(r, io.StringIO()))


if __name__ == "__main__":
    main()
