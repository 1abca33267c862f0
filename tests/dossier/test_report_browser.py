"""The HTML report as a person sees it, in a real headless Chromium (Debian's package)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimcheck import api
from tests.browser import Browser, chromium_path

DATA = Path(__file__).resolve().parents[2] / "data"

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory, bundled_html: str) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    out.write_text(bundled_html, encoding="utf-8")
    return out


def _open(browser: Browser, path: Path) -> None:
    browser.events.clear()
    browser.open(path)


def _claims() -> list[tuple[str, Any]]:
    """(qualified id, claim) of every claim of the bundled dossier."""
    dossier = api.load(DATA / "dossier.json")
    return [(c.id, c) for c in dossier.ledger.claims]


def test_every_quote_is_highlighted_and_linked(browser: Browser, bundled: Path) -> None:
    _open(browser, bundled)
    ids = [cid for cid, _ in _claims()]
    marked = browser.js(
        "Array.from(new Set(Array.from(document.querySelectorAll('mark'))"
        ".flatMap(m => m.dataset.claims.split(' '))))"
    )
    assert sorted(marked) == sorted(ids)
    # Each quote starts at its anchor, is painted as a highlight, and links to its claim.
    seen = browser.js(
        "Array.from(document.querySelectorAll('span[id^=\"quote-\"]')).map(s => {"
        " let m = s.nextElementSibling; while (m.tagName !== 'MARK') { m = m.nextElementSibling; }"
        " const bg = getComputedStyle(m).backgroundColor;"
        " return [s.id.slice(6), m.tagName, bg, m.querySelector('a').getAttribute('href')]; })"
    )
    assert {row[0] for row in seen} == set(ids)
    assert all(tag == "MARK" and bg == "rgb(255, 241, 168)" for _, tag, bg, _ in seen)
    assert all(href.startswith("#claim-") for *_, href in seen)
    assert browser.errors() == []


def test_clicking_a_finding_reaches_its_claims(browser: Browser, bundled: Path) -> None:
    _open(browser, bundled)
    first = browser.js("document.querySelector('li.finding .claims a').getAttribute('href')")
    browser.click("li.finding .claims a")
    assert browser.js("location.hash") == first
    target = browser.js(
        "(() => { const el = document.querySelector(':target');"
        " const r = el.getBoundingClientRect();"
        " return [el.tagName, el.id, r.top >= -1 && r.top < innerHeight / 2,"
        " getComputedStyle(el).backgroundColor]; })()"
    )
    assert target[0] == "TR" and "#" + target[1] == first
    assert target[2] is True  # scrolled into view
    assert target[3] == "rgb(255, 224, 138)"  # and marked as the target
    # From the claim to its quote in the article, and back.
    row = first[1:]
    browser.click(f"[id='{row}'] a[href^='#quote-']")
    assert browser.js("location.hash").startswith("#quote-")
    quote = browser.js("location.hash")[1:]
    browser.click(f"[id='{quote}'] ~ mark a")
    assert browser.js("location.hash") == first


def test_a_chart_per_measure_with_a_point_per_dated_figure(browser: Browser, bundled: Path) -> None:
    _open(browser, bundled)
    expected: dict[str, int] = {}
    for _, c in _claims():
        if c.measure and c.value is not None and c.span() is not None:
            expected[c.measure] = expected.get(c.measure, 0) + 1
    charts = browser.js(
        "Object.fromEntries(Array.from(document.querySelectorAll('figure.chart')).map(f =>"
        " [f.dataset.measureChart, f.querySelectorAll('svg a').length]))"
    )
    assert charts == expected
    # Every point links to a claim that is on the page.
    dangling = browser.js(
        "Array.from(document.querySelectorAll('figure.chart svg a')).map(a =>"
        " (a.getAttribute('xlink:href') || a.getAttribute('href')).slice(1))"
        ".filter(id => !document.getElementById(id))"
    )
    assert dangling == []
    label = browser.js("document.querySelector('#chart-stations svg').textContent")
    assert "30 + 24 = 54" in label and "54 + 48 = 102" in label


def test_filters_show_only_what_is_chosen(browser: Browser, bundled: Path) -> None:
    _open(browser, bundled)
    browser.js(
        "(() => { const s = document.querySelector('select[name=status]'); s.value = 'unknown';"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    shown = browser.js(
        "Array.from(document.querySelectorAll('[data-filter]')).filter(e => !e.hidden)"
        ".map(e => e.dataset.status)"
    )
    assert shown and set(shown) == {"unknown"}
    browser.js(
        "(() => { const s = document.querySelector('select[name=status]'); s.value = '';"
        " s.dispatchEvent(new Event('change', {bubbles: true}));"
        " const p = document.querySelector('select[name=place]'); p.value = 'united-kingdom';"
        " p.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    rows = browser.js(
        "Array.from(document.querySelectorAll('tr[data-filter]')).filter(e => !e.hidden)"
        ".map(e => e.id)"
    )
    assert set(rows) >= {"claim-claims:uk-stations", "claim-claims:london-stations"}
    assert "claim-claims:toronto-stations" not in rows
    assert "of" in browser.js("document.getElementById('filter-count').textContent")


def test_keyboard_and_print(browser: Browser, bundled: Path) -> None:
    _open(browser, bundled)
    browser.press("Tab", "Tab", 9)
    assert browser.js("document.activeElement.className") == "skip"
    browser.press("Enter", "Enter", 13)
    assert browser.js("location.hash") == "#main"
    browser.call("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        assert browser.js("getComputedStyle(document.getElementById('filters')).display") == (
            "none"
        )
    finally:
        browser.call("Emulation.setEmulatedMedia", session=True, media="")


def test_text_colours_meet_contrast_guidance(browser: Browser, bundled: Path) -> None:
    """WCAG 2 contrast of 4.5:1 for text, on the page's white background."""
    _open(browser, bundled)
    ratios = browser.js(
        """(() => {
        const lum = c => { const v = c.match(/\\d+/g).slice(0, 3).map(n => {
            n = n / 255; return n <= 0.03928 ? n / 12.92 : Math.pow((n + 0.055) / 1.055, 2.4);});
          return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
        const sel = '.status, .detail, .check, a, figcaption, mark, th, td, .summary';
        return Array.from(document.querySelectorAll(sel)).slice(0, 400).map(el => {
          let bg = 'rgb(255, 255, 255)';
          for (let p = el; p; p = p.parentElement) { const b = getComputedStyle(p).backgroundColor;
            if (b !== 'rgba(0, 0, 0, 0)') { bg = b; break; } }
          const a = lum(getComputedStyle(el).color), b = lum(bg);
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); });
        })()"""
    )
    assert ratios and min(ratios) >= 4.5


def test_a_contradiction_is_marked_on_its_chart(browser: Browser, tmp_path: Path) -> None:
    for name in ("claims.json", "article.txt", "patrolling.json", "patrolling.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    shutil.copy(DATA / "gazetteer.json", tmp_path / "gazetteer.json")
    shutil.copy(DATA / "dossier.json", tmp_path / "dossier.json")
    path = tmp_path / "patrolling.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for c in data["claims"]:
        if c["id"] == "september-stations":
            c["value"] = 53
        if c["id"] == "december-further":
            c["value"] = 49
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    made = api.report(tmp_path / "dossier.json")
    assert made.report.exit_code == 1
    out = tmp_path / "r.html"
    out.write_text(made.html, encoding="utf-8")
    _open(browser, out)
    assert "contradicted" in browser.js("document.querySelector('#chart-stations svg').textContent")
    failing = browser.js(
        "Array.from(document.querySelectorAll('li.finding.status-fail .claims a'))"
        ".map(a => a.textContent)"
    )
    assert "patrolling:september-stations" in failing and "claims:stations-total" in failing
    assert browser.errors() == []


HOSTILE = '</script><script>window.pwned=1</script>"><img src=x onerror="window.pwned=2">'


def test_hostile_text_is_shown_never_run(
    browser: Browser, write_ledger: Any, tmp_path: Path
) -> None:
    document = f"Intro. {HOSTILE} counted 3 stations. <b>bold?</b>\n"
    ledger = {
        "document": {"title": HOSTILE, "text": "doc.txt"},
        "sources": [
            {
                "id": "s",
                "title": HOSTILE,
                "url": 'https://example.org/"><script>window.pwned=3</script>',
            }
        ],
        "places": [{"id": "p", "name": HOSTILE}],
        "measures": [{"id": "m", "name": HOSTILE, "unit": HOSTILE}],
        "claims": [
            {
                "id": "c",
                "kind": "count",
                "text": HOSTILE,
                "quote": f"{HOSTILE} counted 3 stations",
                "sources": ["s"],
                "measure": "m",
                "value": 3,
                "place": "p",
                "as_of": "2022-09",
            }
        ],
    }
    path = write_ledger(ledger, document=document)
    html = api.report(path).html
    assert "<script>window.pwned" not in html and "<img" not in html
    out = tmp_path / "hostile.html"
    out.write_text(html, encoding="utf-8")
    _open(browser, out)
    assert browser.js("window.pwned === undefined")
    assert browser.js("document.querySelectorAll('img').length") == 0
    assert browser.js("document.querySelectorAll('script').length") == 1
    assert HOSTILE in browser.js("document.querySelector('h1').textContent")
    assert HOSTILE in browser.js("document.querySelector('mark').textContent")
    assert browser.errors() == []
