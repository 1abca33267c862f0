"""Make the screenshot of the bundled dossier's report shown in docs/report.md.

    .venv/bin/python bench/screenshot_report.py [OUT.png]

Writes the report of data/dossier.json, opens it in headless Chromium (tests/browser.py)
at 1280 px wide, and captures the top of the page (summary, filters, the stations chart).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimcheck import api
from tests.browser import Browser

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report.png"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(api.report(ROOT / "data" / "dossier.json").html, encoding="utf-8")
        with Browser(width=1280, height=1500) as b:
            b.open(page)
            b.screenshot(out, full_page=False)
    print(out)


if __name__ == "__main__":
    main()
