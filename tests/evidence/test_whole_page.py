"""A page read whole for the evidence check is judged as a link exactly as ``links``
judges it (``links`` parses the head as it streams in; the evidence check parses the
complete page once): same status, warnings and details, shape by shape."""

from __future__ import annotations

from pathlib import Path

from claimcheck import api
from tests.evidence.conftest import Site, count_claim, ledger, options
from tests.evidence.pages import PASSAGE, cms_article
from tests.evidence.test_verdicts_exact import source

_BODY = f"<p>{PASSAGE}</p>" + "<p>More text of the report.</p>" * 40

PAGES: dict[str, tuple[str, str]] = {
    # name: (page, title cited in the ledger)
    "matching title": (cms_article(), "Report finds 54 stations"),
    "other title": (cms_article(), "Budget vote delayed again in parliament"),
    "og title only": (
        '<html><head><title>Home</title><META PROPERTY="OG:TITLE" '
        'CONTENT="  Report   finds 54 stations "></head>'
        f"<body>{_BODY}</body></html>",
        "Report finds 54 stations",
    ),
    "heading only": (
        f"<html><head></head><body><nav>{'<a href=/x>x</a>' * 50}</nav>"
        f"<h1>Report &amp; findings:\n 54 stations</h1>{_BODY}</body></html>",
        "Report & findings: 54 stations",
    ),
    "entities in the title": (
        "<html><head><title>Report &amp; findings &#8212; 54\n stations</title></head>"
        f"<body>{_BODY}</body></html>",
        "Report & findings — 54 stations",
    ),
    "no title at all": (f"<html><body>{_BODY}</body></html>", "Report finds 54 stations"),
}


def _links_by_url(report: api.Report) -> dict[str, tuple[object, ...]]:
    return {
        r.url: (r.status, r.http_status, r.final_url, r.warnings, r.detail)
        for r in report.links or []
    }


def test_every_page_shape_is_judged_alike_by_links_and_evidence(site: Site, tmp_path: Path) -> None:
    sources, claims = [], []
    for n, (page, title) in enumerate(PAGES.values()):
        url = site.serve(f"/p{n}", page)
        sources.append(source(f"s{n}", url, title=title))
        claims.append(count_claim(f"c{n}", f"s{n}", PASSAGE))
    anchored = site.serve("/anchored", cms_article().replace('id="main"', 'id="findings"'))
    named = site.serve("/named", f'<html><body><a name="table-2"></a>{_BODY}</body></html>')
    for n, url in enumerate(
        (f"{anchored}#findings", f"{anchored}#missing", f"{named}#table-2"), len(PAGES)
    ):
        sources.append(source(f"s{n}", url))
        claims.append(count_claim(f"c{n}", f"s{n}", PASSAGE))
    path = ledger(tmp_path, sources, claims)
    opts = options(site, archive=False)
    links = _links_by_url(api.links(path, opts))
    evidence = _links_by_url(api.evidence(path, opts))
    assert evidence == links
    # What each shape gets (plain HTTP on loopback: every link is "insecure").
    warned = {
        url.rsplit("/", 1)[1]: {w.value for w in row[3]} - {"insecure"}
        for url, row in links.items()
    }  # type: ignore[attr-defined]
    assert {u: row[0].value for u, row in links.items()} == dict.fromkeys(links, "ok")  # type: ignore[attr-defined]
    assert warned == {
        "p0": set(),
        "p1": {"title-mismatch"},
        "p2": set(),
        "p3": set(),
        "p4": set(),
        "p5": set(),
        "anchored#findings": set(),
        "anchored#missing": {"fragment-missing"},
        "named#table-2": set(),
    }
