"""Where a passage is found on a page, and the JSON of each verdict, as a user sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck import api
from claimcheck.evidence.verdict import Verdict
from tests.evidence.conftest import Site, count_claim, ledger, options
from tests.evidence.pages import PASSAGE, cms_article, report_pdf
from tests.evidence.test_verdicts_exact import CHANGED, claim_of, results, source


def verdict_of(site: Site, tmp_path: Path, page: str, passage: str, **kw: object) -> object:
    url = site.serve("/p", page)
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", passage)])
    return results(api.evidence(path, options(site, archive=False, **kw)))["c"]


def test_a_figure_is_never_found_inside_a_longer_number(site: Site, tmp_path: Path) -> None:
    cited = "They found 54 stations in 30 countries."
    for live in (
        "They found 154 stations in 30 countries.",
        "They found 540 stations in 30 countries.",
    ):
        r = verdict_of(site, tmp_path, cms_article(live), cited)
        assert r.verdict is Verdict.CHANGED, live  # type: ignore[attr-defined]
    r = verdict_of(site, tmp_path, cms_article("In all, 54 stations were listed."), "54 stations")
    assert r.verdict is Verdict.SUPPORTED  # type: ignore[attr-defined]


def test_a_passage_is_found_after_a_near_miss(site: Site, tmp_path: Path) -> None:
    live = "Of 154 stations, 54 stations were confirmed."
    r = verdict_of(site, tmp_path, cms_article(live), "54 stations")
    assert r.verdict is Verdict.SUPPORTED  # type: ignore[attr-defined]
    live = "54 stations in 300 places, and 54 stations in 30 countries."
    r = verdict_of(site, tmp_path, cms_article(live), "54 stations in 30")
    assert r.verdict is Verdict.SUPPORTED  # type: ignore[attr-defined]


def test_a_compound_hyphen_lost_in_a_join_is_forgiven(site: Site, tmp_path: Path) -> None:
    live = "A wellknown network of 54 stations."
    r = verdict_of(site, tmp_path, cms_article(live), "A well-known network of 54 stations.")
    assert r.verdict is Verdict.SUPPORTED  # type: ignore[attr-defined]
    live = "A well-known network of 54 stations."
    r = verdict_of(site, tmp_path, cms_article(live), "A well-known network of 54 stations.")
    assert r.verdict is Verdict.SUPPORTED  # type: ignore[attr-defined]


def test_a_passage_of_only_marks_is_not_found(site: Site, tmp_path: Path) -> None:
    r = verdict_of(site, tmp_path, cms_article(), "“ ”")
    assert r.verdict is Verdict.CHANGED  # type: ignore[attr-defined]
    assert r.detail == (  # type: ignore[attr-defined]
        "the passage is no longer on the page; nothing on the page resembles it"
    )


def test_text_outside_the_main_text_is_searched_and_said(site: Site, tmp_path: Path) -> None:
    page = f"<html><body><footer><p>{PASSAGE}</p></footer></body></html>"
    r = verdict_of(site, tmp_path, page, PASSAGE)
    assert r.verdict is Verdict.SUPPORTED  # type: ignore[attr-defined]
    assert r.detail == (  # type: ignore[attr-defined]
        "the passage is on the page (outside the page's main text) and states 54"
    )


def test_the_nearest_passage_comes_from_the_rest_when_there_is_no_main_text(
    site: Site, tmp_path: Path
) -> None:
    page = f"<html><body><footer><p>{CHANGED}</p></footer></body></html>"
    r = verdict_of(site, tmp_path, page, PASSAGE)
    assert r.verdict is Verdict.CHANGED  # type: ignore[attr-defined]
    assert r.nearest == CHANGED  # type: ignore[attr-defined]
    assert r.figures_now == ("48", "30", "5")  # type: ignore[attr-defined]


def test_a_pdf_passage_is_found_on_its_page(site: Site, tmp_path: Path) -> None:
    url = site.serve("/r.pdf", report_pdf(pages=3), ctype="application/pdf")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site)))["c"]
    assert (r.verdict, r.page, r.detail) == (
        Verdict.SUPPORTED,
        3,
        "the passage is on the page (page 3) and states 54",
    )


def test_a_changed_pdf_passage_has_no_page(site: Site, tmp_path: Path) -> None:
    url = site.serve("/r.pdf", report_pdf(CHANGED), ctype="application/pdf")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert (r.verdict, r.page) == (Verdict.CHANGED, None)
    assert r.figures_now[:1] == ("48",)


def test_decimal_and_repeated_figures(site: Site, tmp_path: Path) -> None:
    cited = "About 2.5 million people use 54 stations; 54 of them are new."
    url = site.serve("/p", cms_article(cited.replace("54 stations", "60 stations")))
    claims = [claim_of("c", "s", cited, kind="count", measure="stations", value=2.5)]
    path = ledger(tmp_path, [source("s", url)], claims)
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.figure == "2.5"
    assert r.figures_cited == ("2500000", "2.5", "54")
    assert r.figures_now == ("2500000", "2.5", "60", "54")
    assert r.detail.endswith("; figures: cited none, now 60")


def test_json_of_a_changed_verdict_with_its_archived_copy(cli, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = site.serve("/news", cms_article(CHANGED))
    site.archive("/news", "20220915093000", cms_article())
    src = source("s", url, accessed="2022-09-20")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    args = ["--allow-private", "--no-cache", "--retries", "0", "--archive-endpoint", site.base]
    result = cli("evidence", path, *args, "--format", "json")
    (got,) = json.loads(result.stdout)["evidence"]
    snapshot = f"{site.base}/web/20220915093000/{url}"
    assert got["similarity"] == round(got["similarity"], 3) and 0.9 < got["similarity"] < 1
    assert got == {
        "ledger": str(path),
        "claim": "c",
        "source": "s",
        "verdict": "changed",
        "detail": got["detail"],
        "url": url,
        "passage": PASSAGE,
        "page": None,
        "figure": "54",
        "nearest": CHANGED,
        "similarity": got["similarity"],
        "figures_cited": ["54", "30", "5"],
        "figures_now": ["48", "30", "5"],
        "link_status": "ok",
        "archive": {
            "url": snapshot,
            "date": "2022-09-15",
            "found": True,
            "figures": ["54", "30", "5"],
            "detail": None,
        },
        "text_changed_since": None,
        "confirmed": True,
        "location": None,
    }
    assert got["detail"].endswith(
        f"; the archived copy of 2022-09-15 says 54; the live page now says 48: cite {snapshot}"
    )


def test_json_of_verdicts_without_an_archive(cli, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = site.serve("/news", cms_article())
    sources = [source("s", url), source("n", None)]
    claims = [count_claim("c", "s", PASSAGE), count_claim("d", "n", PASSAGE)]
    path = ledger(tmp_path, sources, claims)
    result = cli("evidence", path, "--allow-private", "--no-cache", "--format", "json")
    supported, unchecked = json.loads(result.stdout)["evidence"]
    assert supported == {
        "ledger": str(path),
        "claim": "c",
        "source": "s",
        "verdict": "supported",
        "detail": "the passage is on the page and states 54",
        "url": url,
        "passage": PASSAGE,
        "page": None,
        "figure": "54",
        "nearest": None,
        "similarity": None,
        "figures_cited": ["54", "30", "5"],
        "figures_now": [],
        "link_status": "ok",
        "archive": None,
        "text_changed_since": None,
        "confirmed": True,
        "location": None,
    }
    assert (unchecked["verdict"], unchecked["url"], unchecked["link_status"]) == (
        "not-checked",
        None,
        None,
    )


def test_archive_witness_dates(site: Site, tmp_path: Path) -> None:
    from claimcheck.evidence.verdict import ArchiveWitness

    assert ArchiveWitness("u", "20220915093000").date == "2022-09-15"
    assert ArchiveWitness("u", "20220915").date == "2022-09-15"
    assert ArchiveWitness("u", "2022091").date is None
    assert ArchiveWitness("u", None).date is None


# Each page is plain text, so its main text is exactly what is served.
BOUNDARIES = [
    ("154 stations were listed.", "54 stations", False),
    ("54 stations were counted in 2022", "54 stations", True),
    ("The count: 54 stations in 300 places.", "54 stations in 30", False),
    ("They counted 54 stations in 30", "54 stations in 30", True),
    ("a1 54 stations", "54 stations", False),
    ("15 stations", "5 stations", False),
    ("Stations: 54, 30", "Stations: 54, 3", False),
    ("154 stations, 54 stations, 254 stations", "54 stations", True),
    ("a well-known 54", "a well-known 54", True),
    ("well known 54", "well-known 54", True),
    # A digit beyond 64 spaces still joins the number (the folded text has no spaces).
    ("1" + " " * 70 + "54 stations", "54 stations", False),
    ("They counted 54 stations in 30" + " " * 70 + "0 more", "54 stations in 30", False),
]


def test_passages_at_number_boundaries(site: Site, tmp_path: Path) -> None:
    sources, claims = [], []
    for i, (text, passage, _) in enumerate(BOUNDARIES):
        url = site.serve(f"/t{i}", text, ctype="text/plain; charset=utf-8")
        sources.append(source(f"s{i}", url))
        claims.append(claim_of(f"c{i}", f"s{i}", passage))
    path = ledger(tmp_path, sources, claims)
    expected = {f"c{i}": found for i, (_, _, found) in enumerate(BOUNDARIES)}
    # Without a store the page is searched as written first; with one, as folded.
    for opts in (
        options(site, archive=False),
        options(site, archive=False, use_cache=True, cache_path=tmp_path / "s.sqlite3"),
    ):
        got = {
            c: r.verdict is Verdict.SUPPORTED for c, r in results(api.evidence(path, opts)).items()
        }
        assert got == expected


def _pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=10)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


def test_a_passage_ending_a_pdf_page_is_on_that_page(site: Site, tmp_path: Path) -> None:
    filler = "Background on the survey and its methods."
    pages = [filler, f"{filler} They found 54 stations", f"{filler} Summary of 30 countries"]
    url = site.serve("/r.pdf", _pdf(pages), ctype="application/pdf")
    claims = [
        claim_of("end-of-page", "s", "They found 54 stations"),
        claim_of("end-of-file", "s", "Summary of 30 countries"),
        claim_of("across", "s", "54 stations Background"),
    ]
    path = ledger(tmp_path, [source("s", url)], claims)
    got = {c: (r.verdict, r.page) for c, r in results(api.evidence(path, options(site))).items()}
    assert got == {
        "end-of-page": (Verdict.SUPPORTED, 2),
        "end-of-file": (Verdict.SUPPORTED, 3),
        "across": (Verdict.SUPPORTED, None),
    }


def test_a_fact_claim_with_a_date_has_no_figure(site: Site, tmp_path: Path) -> None:
    url = site.serve("/p", cms_article())
    claims = [
        claim_of("dated", "s", PASSAGE, date="2021-03-04"),
        claim_of("period", "s", PASSAGE, period={"start": "2019", "end": "2021"}),
    ]
    path = ledger(tmp_path, [source("s", url)], claims)
    got = {
        c: (r.verdict, r.figure, r.detail)
        for c, r in results(api.evidence(path, options(site))).items()
    }
    assert got == {
        "dated": (Verdict.SUPPORTED, None, "the passage is on the page"),
        "period": (Verdict.SUPPORTED, None, "the passage is on the page"),
    }


# --- the article a page marks as its own ---------------------------------------------------

_MARKED_SHAPES = {
    "in <main>": f"<html><body><nav>Menu</nav><main><p>{PASSAGE}</p></main></body></html>",
    "in the one <article>": f"<html><body><article><p>{PASSAGE}</p></article></body></html>",
    "split by inline tags": (
        "<html><body><main><p>"
        + PASSAGE.replace("54 physical", "<strong>54</strong> <em>phys</em>ical")
        + "</p></main></body></html>"
    ),
    "in an aside of <main>": (
        f"<html><body><main><p>{'Other news. ' * 30}</p><aside><p>{PASSAGE}</p></aside>"
        "</main></body></html>"
    ),
    # The main-text extraction leaves out a list after a long text; the marked article
    # has it.
    "in a list of <main>": (
        f"<html><body><div>{'<p>Other news, at length, about other things.</p>' * 30}</div>"
        f"<main><ul><li>{PASSAGE}</li></ul></main></body></html>"
    ),
    "in a list of <main>, retyped": (
        f"<html><body><div>{'<p>Other news, at length, about other things.</p>' * 30}</div>"
        "<main><ul><li>" + PASSAGE.replace("open-source", "open\u2011source") + "</li></ul>"
        "</main></body></html>"
    ),
    "in a menu of <main>": (
        f"<html><body><main><p>{'Other news. ' * 30}</p><nav><p>{PASSAGE}</p></nav>"
        "</main></body></html>"
    ),
    "in one of two <article> teasers": (
        f"<html><body><article><p>{PASSAGE}</p></article>"
        f"<article><p>{'Other news. ' * 30}</p></article></body></html>"
    ),
    "in a script of <main>": (
        f'<html><body><main><p>{"Other news. " * 30}</p><script>var s = "{PASSAGE}";</script>'
        "</main></body></html>"
    ),
    # Read by a reader, though the main-text extraction leaves them out (a caption) or
    # counts them out of the main text (a box of related stories).
    "in a figure caption of <main>": (
        f"<html><body><main><p>{'Other news. ' * 30}</p><figure><img src=x alt=a>"
        f"<figcaption>{PASSAGE}</figcaption></figure></main></body></html>"
    ),
    "in a related-stories box of <main>": (
        f"<html><body><main><p>{'Other news. ' * 30}</p>"
        f'<div class="related-articles"><p>{PASSAGE}</p></div></main></body></html>'
    ),
}


def _verdicts_with_and_without_a_store(site: Site, tmp_path: Path, page: str) -> list[object]:
    url = site.serve("/p", page)
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    out = []
    for store in (False, True):
        opts = options(site, archive=False, use_cache=store, cache_path=tmp_path / "s.sqlite3")
        r = results(api.evidence(path, opts))["c"]
        out.append((r.verdict, r.detail))
    return out


def test_the_marked_article_is_read_as_the_main_text(site: Site, tmp_path: Path) -> None:
    # Without a store the page's marked article is searched first (a cheap parse), with
    # one the main text is extracted for the fingerprint: the verdict must not differ.
    supported = (Verdict.SUPPORTED, "the passage is on the page and states 54")
    outside = (
        Verdict.SUPPORTED,
        "the passage is on the page (outside the page's main text) and states 54",
    )
    expected = {
        "in <main>": supported,
        "in the one <article>": supported,
        "split by inline tags": supported,
        "in a list of <main>": supported,
        "in a list of <main>, retyped": supported,
        "in an aside of <main>": outside,
        "in a menu of <main>": outside,
        "in one of two <article> teasers": supported,
        # A script is not read: its text is not on the page.
        "in a script of <main>": (Verdict.CHANGED, "the passage is no longer on the page"),
        "in a figure caption of <main>": supported,
        "in a related-stories box of <main>": supported,
    }
    got = {}
    for name, page in _MARKED_SHAPES.items():
        without, with_store = _verdicts_with_and_without_a_store(site, tmp_path, page)
        assert without == with_store, name
        verdict, detail = without
        got[name] = (verdict, detail.split(";")[0])
    assert got == expected


def test_a_charset_naming_no_text_codec_is_not_trusted(site: Site, tmp_path: Path) -> None:
    # A server's label naming a codec that does not make text (bytes to bytes, or
    # "undefined") is ignored as the link check ignores it: the page is still read.
    page = f"<html><head><title>t</title></head><body><main><p>{PASSAGE}</p></main></body></html>"
    got = {}
    for label in ("hex", "rot13", "undefined", "base64"):
        url = site.serve(f"/{label}", page, ctype=f"text/html; charset={label}")
        path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
        r = results(api.evidence(path, options(site, archive=False)))["c"]
        got[label] = (r.verdict, r.detail)
    expected = (Verdict.SUPPORTED, "the passage is on the page and states 54")
    assert got == dict.fromkeys(("hex", "rot13", "undefined", "base64"), expected)


def test_a_page_an_extractor_fails_on_is_unverifiable_and_the_run_goes_on(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands for a bug of an extraction library on one odd page (none is known): that
    # page is unverifiable with the reason, the others are judged as usual.
    import claimcheck.evidence.run as run

    real = run.extract

    def extract(body: bytes, *args: object) -> object:
        if b"odd page" in body:
            raise IndexError("list index out of range")
        return real(body, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "extract", extract)
    odd = site.serve("/odd", cms_article(PASSAGE + " An odd page."))
    fine = site.serve("/fine", cms_article())
    sources = [source("a", odd), source("b", fine)]
    claims = [count_claim("c1", "a", PASSAGE), count_claim("c2", "b", PASSAGE)]
    report = api.evidence(ledger(tmp_path, sources, claims), options(site, archive=False))
    got = {c: (r.verdict, r.detail) for c, r in results(report).items()}
    assert got == {
        "c1": (
            Verdict.UNVERIFIABLE,
            "the page could not be read as text (IndexError: list index out of range)",
        ),
        "c2": (Verdict.SUPPORTED, "the passage is on the page and states 54"),
    }
