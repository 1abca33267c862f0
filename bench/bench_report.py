"""Measure the HTML report on a generated dossier: time to make it, its size, time to load.

    .venv/bin/python bench/bench_report.py [N_CLAIMS]

Writes a ledger of N claims (10,000 by default) with ``bench/generate_ledger.py`` (8
measures, 661 places), makes the report with :func:`claimcheck.api.report` (timing the
charts apart), and opens it in headless Chromium (tests/browser.py), timing the load
event and the first contentful paint. Prints the figures.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate_ledger import write

from claimcheck import api
from claimcheck.htmlreport import charts

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = write(n, Path(tmp) / "claims.json")
        spent = {"charts": 0.0}
        draw = charts.timeline_svg

        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            s = time.perf_counter()
            try:
                return draw(*args, **kwargs)
            finally:
                spent["charts"] += time.perf_counter() - s

        charts.timeline_svg = timed
        import claimcheck.htmlreport.page as page

        page.timeline_svg = timed
        start = time.perf_counter()
        made = api.report(path)
        total = time.perf_counter() - start
        out = Path(tmp) / "report.html"
        out.write_text(made.html, encoding="utf-8")
        size = out.stat().st_size
        svg = sum(len(m) for m in re.findall(r"<svg.*?</svg>", made.html, re.DOTALL))
        print(f"claims: {n:,}")
        print(f"report made in {total:.2f} s (charts {spent['charts']:.2f} s)")
        print(f"file: {size / 1e6:.2f} MB ({svg / 1e6:.2f} MB of it in the charts' SVG)")
        from tests.browser import Browser

        with Browser() as b:
            loaded = b.open(out)
            fcp = b.js(
                "performance.getEntriesByType('paint')"
                ".filter(p => p.name === 'first-contentful-paint').map(p => p.startTime)[0]"
            )
            points = b.js("document.querySelectorAll('figure.chart svg a').length")
            errors = b.errors()
        print(f"Chromium: load event after {loaded:.2f} s; first contentful paint {fcp:.0f} ms")
        print(f"points drawn: {points:,}; console errors: {len(errors)}")


if __name__ == "__main__":
    main()
