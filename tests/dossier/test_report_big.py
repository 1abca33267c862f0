"""The report of 10,000 claims works as the small one does, in a real headless Chromium.

Not timed (bench/bench_report.py measures how fast it opens): these tests check that
what makes the page open fast (blocks laid out only when in view, sampled charts) takes
nothing away: charts say what they leave out, every link reaches its target however
far down, filters, keyboard and print.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimcheck import api
from claimcheck.htmlreport.charts import MAX_POINTS
from tests.browser import Browser, chromium_path

BENCH = Path(__file__).resolve().parents[2] / "bench"
N = 10_000

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The report of a generated ledger of 10,000 claims, and that ledger."""
    sys.path.insert(0, str(BENCH))
    try:
        from generate_ledger import write
    finally:
        sys.path.remove(str(BENCH))
    folder = tmp_path_factory.mktemp("big")
    ledger = write(N, folder / "claims.json")
    out = folder / "report.html"
    out.write_text(api.report(ledger).html, encoding="utf-8")
    return out, json.loads(ledger.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser(big: tuple[Path, dict[str, Any]]) -> Iterator[Browser]:
    with Browser(timeout=120) as b:
        b.open(big[0])
        yield b


def test_each_chart_draws_a_sample_and_says_so(
    browser: Browser, big: tuple[Path, dict[str, Any]]
) -> None:
    dated = Counter(c["measure"] for c in big[1]["claims"])
    charts = browser.js(
        "Array.from(document.querySelectorAll('figure.chart')).map(f => [f.dataset.measureChart,"
        " f.querySelectorAll('svg a').length, +f.dataset.points, +f.dataset.figures,"
        " f.querySelector('svg').textContent, f.querySelector('figcaption').textContent])"
    )
    assert sorted(m for m, *_ in charts) == sorted(dated)
    for measure, links, points, figures, svg_text, caption in charts:
        assert links == points == MAX_POINTS < figures == dated[measure]
        assert f"{MAX_POINTS} of {figures:,} figures drawn" in svg_text  # said in the chart
        assert "Sampled" in caption and "claims table" in caption
    # Every point links to a claim that is on the page.
    dangling = browser.js(
        "Array.from(document.querySelectorAll('figure.chart svg a')).map(a =>"
        " (a.getAttribute('xlink:href') || a.getAttribute('href')).slice(1))"
        ".filter(id => !document.getElementById(id))"
    )
    assert dangling == []
    assert browser.errors() == []


def test_every_claim_is_listed_and_every_quote_highlighted(
    browser: Browser, big: tuple[Path, dict[str, Any]]
) -> None:
    ids = {"claim-" + c["id"] for c in big[1]["claims"]}
    rows = browser.js("Array.from(document.querySelectorAll('tr[data-filter]')).map(r => r.id)")
    assert len(rows) == N and set(rows) == ids
    marked = browser.js(
        "Array.from(new Set(Array.from(document.querySelectorAll('mark'))"
        ".flatMap(m => m.dataset.claims.split(' '))))"
    )
    assert {"claim-" + m for m in marked} == ids


def test_a_finding_far_down_reaches_its_claim_and_its_quote_and_back(browser: Browser) -> None:
    browser.js("location.hash = ''")
    # The finding's link to the claim that is furthest down the claims table (in a block
    # never laid out so far), from a block of findings not yet laid out either.
    href = browser.js(
        "(() => { const row = {}; document.querySelectorAll('tr[data-filter]')"
        ".forEach((r, i) => { row['#' + r.id] = i; });"
        " const links = Array.from(document.querySelectorAll('li.finding .claims a'));"
        " const a = links.reduce((x, y) => row[y.getAttribute('href')] >"
        " row[x.getAttribute('href')] ? y : x);"
        " a.id = 'far-link'; return a.getAttribute('href'); })()"
    )
    assert int(href.rsplit("-", 1)[1]) > N - 100  # in the last block of rows
    browser.click("#far-link")
    assert browser.js("location.hash") == href
    target = browser.js(
        "(() => { const el = document.querySelector(':target');"
        " const r = el.getBoundingClientRect();"
        " return [el.tagName, el.id, r.top >= -1 && r.top < innerHeight, r.height > 0,"
        " getComputedStyle(el).backgroundColor]; })()"
    )
    assert target[0] == "TR" and "#" + target[1] == href
    assert target[2] is True and target[3] is True  # laid out and scrolled into view
    assert target[4] == "rgb(255, 224, 138)"  # marked as the target
    browser.click(f"[id='{href[1:]}'] a[href^='#quote-']")
    quote = browser.js("location.hash")[1:]
    assert quote == "quote-" + href[len("#claim-") :]
    in_view = browser.js(
        f"(() => {{ const m = document.getElementById({json.dumps(quote)}).nextElementSibling;"
        " const r = m.getBoundingClientRect(); return r.height > 0 && r.top < innerHeight; })()"
    )
    assert in_view is True
    browser.click(f"[id='{quote}'] ~ mark a")
    assert browser.js("location.hash").startswith("#claim-")


def test_a_place_filter_keeps_the_places_inside_it(
    browser: Browser, big: tuple[Path, dict[str, Any]]
) -> None:
    within = {p["id"]: p.get("within") for p in big[1]["places"]}

    def inside(place: str, top: str) -> bool:
        cur: str | None = place
        while cur is not None:
            if cur == top:
                return True
            cur = within.get(cur)
        return False

    expected = {"claim-" + c["id"] for c in big[1]["claims"] if inside(c["place"], "continent-2")}
    browser.js(
        "(() => { const p = document.querySelector('select[name=place]'); p.value = 'continent-2';"
        " p.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    try:
        shown = browser.js(
            "Array.from(document.querySelectorAll('tr[data-filter]')).filter(e => !e.hidden)"
            ".map(e => e.id)"
        )
        assert set(shown) == expected
        count = browser.js("document.getElementById('filter-count').textContent")
        assert count.startswith("showing ") and " of " in count
    finally:
        browser.js("document.getElementById('filters').reset()")


def test_keyboard_and_print_reach_every_block(
    browser: Browser, big: tuple[Path, dict[str, Any]]
) -> None:
    browser.open(big[0])  # afresh: the first Tab starts from the top
    browser.press("Tab", "Tab", 9)
    assert browser.js("document.activeElement.className") == "skip"
    browser.press("Enter", "Enter", 13)
    assert browser.js("location.hash") == "#main"
    browser.call("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        # In print every block is laid out (nothing is left blank on paper).
        modes = browser.js(
            "Array.from(new Set(Array.from(document.querySelectorAll('.lazy'))"
            ".map(el => getComputedStyle(el).contentVisibility)))"
        )
        assert modes == ["visible"]
    finally:
        browser.call("Emulation.setEmulatedMedia", session=True, media="")
