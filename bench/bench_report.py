"""Measure the HTML report on a generated dossier: time to make it, its size, time to open.

    .venv/bin/python bench/bench_report.py [N_CLAIMS] [OPENS]

Writes a ledger of N claims (10,000 by default) with ``bench/generate_ledger.py`` (8
measures, 667 places), makes the report with :func:`claimcheck.api.report` (timing the
charts apart; wall and CPU time), then opens it OPENS times (3 by default), each in a
fresh headless Chromium (tests/browser.py), and prints the median of what the page's
own Performance API says: first contentful paint, DOM content loaded and the load
event, counted from the start of navigation. Also the load average, since the figures
are only comparable on a quiet machine.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate_ledger import write

from claimcheck import api
from claimcheck.htmlreport import charts, page

TIMINGS = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByType('paint')
    .find(p => p.name === 'first-contentful-paint');
  return [fcp ? fcp.startTime : null, nav.domContentLoadedEventEnd, nav.loadEventStart,
          document.getElementsByTagName('*').length];
})()"""


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make(path: Path) -> tuple[str, float, float, float]:
    """The report's HTML, wall seconds, CPU seconds, and seconds spent drawing charts."""
    spent = [0.0]
    draw = charts.timeline_svg

    def timed(*args: Any, **kwargs: Any) -> str:
        s = time.perf_counter()
        try:
            return draw(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - s

    page.timeline_svg = timed  # type: ignore[assignment]
    try:
        cpu, start = _cpu(), time.perf_counter()
        html = api.report(path).html
        return html, time.perf_counter() - start, _cpu() - cpu, spent[0]
    finally:
        page.timeline_svg = draw  # type: ignore[assignment]


def open_in_chromium(out: Path) -> tuple[list[float], int, int, int]:
    """(first paint ms, DOM content loaded ms, load event ms), elements, points, errors."""
    from tests.browser import Browser

    with Browser(timeout=120) as b:
        b.open(out)
        fcp, dcl, load, elements = b.js(TIMINGS)
        points = b.js("document.querySelectorAll('figure.chart svg a').length")
        return [fcp, dcl, load], elements, points, len(b.errors())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    opens = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = write(n, Path(tmp) / "claims.json")
        html, wall, cpu, chart_s = make(path)
        out = Path(tmp) / "report.html"
        out.write_text(html, encoding="utf-8")
        size = out.stat().st_size
        svg = sum(len(m) for m in re.findall(r"<svg.*?</svg>", html, re.DOTALL))
        print(f"claims: {n:,}; load average {os.getloadavg()[0]:.2f}")
        print(
            f"report made in {wall:.2f} s wall, {cpu:.2f} s CPU (user+sys); "
            f"charts {chart_s:.2f} s wall"
        )
        print(f"file: {size / 1e6:.2f} MB ({svg / 1e6:.2f} MB of it in the charts' SVG)")
        runs = [open_in_chromium(out) for _ in range(opens)]
        fcp, dcl, load = (statistics.median(r[0][k] for r in runs) for k in range(3))
        each = ", ".join(f"{r[0][2] / 1000:.2f}" for r in runs)
        print(
            f"Chromium (median of {opens} opens): first contentful paint {fcp / 1000:.2f} s; "
            f"DOM content loaded {dcl / 1000:.2f} s; load event {load / 1000:.2f} s "
            f"(each: {each} s)"
        )
        _, elements, points, errors = runs[-1]
        print(f"elements: {elements:,}; chart points drawn: {points:,}; console errors: {errors}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
