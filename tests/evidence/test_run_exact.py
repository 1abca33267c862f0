"""The evidence run's edges, each as the verdict a user reads: pages that are not read,
charsets, empty pages, the archive's copy (encodings, size cap, a stall, errors, its
politeness) and the history kept between runs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from claimcheck import api
from claimcheck.evidence.run import _trim
from claimcheck.evidence.verdict import Verdict
from claimcheck.results import ExitCode
from tests.evidence.conftest import Site, count_claim, ledger, network_down, options
from tests.evidence.pages import PASSAGE, cms_article, next_data_article, report_pdf
from tests.evidence.test_verdicts_exact import CHANGED, DAY, Clock, claim_of, results, source

STAMP = "20220915093000"


def changed_with_capture(
    site: Site, tmp_path: Path, capture: bytes | str, path: str = "/a", **kw: object
) -> object:
    """The verdict on a changed page whose archived copy of 15 September 2022 is
    ``capture``."""
    url = site.serve(path, cms_article(CHANGED))
    site.archive(path, STAMP, capture, ctype=str(kw.pop("ctype", "text/html")))
    src = source("s", url, accessed="2022-09-20")
    led = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    cap = int(kw.pop("page_cap", 16 * 1024 * 1024))  # type: ignore[call-overload]
    return results(api.evidence(led, options(site, **kw), page_cap=cap))["c"]


# --- what is read ------------------------------------------------------------------------


def test_offline_detail(site: Site, tmp_path: Path) -> None:
    path = ledger(tmp_path, [source("s", "https://x.example/r")], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site, network_probe=network_down))
    assert results(report)["c"].detail == "not checked: the network is unreachable"


def test_a_page_with_only_a_header_charset_is_decoded_by_it(site: Site, tmp_path: Path) -> None:
    text = "Исследователи насчитали 54 станции в 30 странах."
    body = f"<html><body><main><p>{text}</p></main></body></html>".encode("koi8-r")
    url = site.serve("/ru", body, ctype="text/html; charset=koi8-r")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", text)])
    assert results(api.evidence(path, options(site)))["c"].verdict is Verdict.SUPPORTED


def test_json_prose_with_a_lone_surrogate_is_read(site: Site, tmp_path: Path) -> None:
    page = next_data_article(PASSAGE + " \\ud800")
    url = site.serve("/app", page.replace("\\\\ud800", "\\ud800"))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3")
    assert results(api.evidence(path, opts))["c"].verdict is Verdict.SUPPORTED


def test_error_pages_are_not_fingerprinted(site: Site, tmp_path: Path) -> None:
    # A dead page's error body changes between runs: no "page changed" warning.
    missing = site.serve("/missing", "<html><title>Not found</title>one</html>", status=404)
    choice = site.serve("/choice", "<html><title>Pick one</title>one</html>", status=300)
    sources = [source("m", missing), source("c", choice)]
    claims = [count_claim("c1", "m", None), count_claim("c2", "c", None)]
    path = ledger(tmp_path, sources, claims)
    clock = Clock()
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3", clock=clock)
    api.evidence(path, opts)
    site.serve("/missing", "<html><title>Not found</title>two</html>", status=404)
    site.serve("/choice", "<html><title>Pick one</title>two</html>", status=300)
    clock.now += DAY
    report = api.evidence(path, opts)
    assert [f for f in report.findings if f.check == "evidence.page-changed"] == []


def test_a_changed_page_after_an_unreadable_one_is_noticed(site: Site, tmp_path: Path) -> None:
    scan = site.serve("/scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ctype="image/png")
    page = site.serve("/p", cms_article("First version, 54 stations."))
    sources = [source("a", scan), source("b", page)]
    claims = [count_claim("c1", "a", None), count_claim("c2", "b", None)]
    path = ledger(tmp_path, sources, claims)
    clock = Clock()
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3", clock=clock)
    api.evidence(path, opts)
    site.serve("/p", cms_article("Second version, 48 stations."))
    clock.now += DAY
    report = api.evidence(path, opts)
    (f,) = [f for f in report.findings if f.check == "evidence.page-changed"]
    assert f.claims == ("c2",)


def test_verdicts_after_an_unchecked_pair_are_kept_in_history(site: Site, tmp_path: Path) -> None:
    url = site.serve("/c", cms_article(CHANGED))
    sources = [source("none", None), source("s", url)]
    claims = [count_claim("c1", "none", PASSAGE), count_claim("c2", "s", PASSAGE)]
    path = ledger(tmp_path, sources, claims)
    clock = Clock()
    opts = options(
        site,
        archive=False,
        use_cache=True,
        cache_path=tmp_path / "s.sqlite3",
        clock=clock,
        confirm=2,
    )
    api.evidence(path, opts)
    clock.now += DAY
    got = results(api.evidence(path, opts))
    assert list(got) == ["c1", "c2"]
    assert got["c2"].confirmed is True
    assert got["c2"].detail.endswith("; changed since 2023-11-14, 2 checks in a row")


def test_a_figure_missing_from_a_pdf_passage_names_its_page(site: Site, tmp_path: Path) -> None:
    url = site.serve("/r.pdf", report_pdf(pages=3), ctype="application/pdf")
    claims = [claim_of("c", "s", PASSAGE, kind="count", measure="stations", value=55)]
    path = ledger(tmp_path, [source("s", url)], claims)
    r = results(api.evidence(path, options(site)))["c"]
    assert (r.verdict, r.page) == (Verdict.NOT_CHECKED, 3)
    assert r.detail == (
        "the passage is on the page (page 3) but does not state the claim's figure 55: "
        "give the words that do"
    )


def test_figures_added_to_a_passage_are_told(site: Site, tmp_path: Path) -> None:
    cited = "Researchers found 54 stations in many countries."
    live = "Researchers found 54 stations in 12 countries."
    url = site.serve("/a", cms_article(live))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", cited)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.detail.endswith("; figures: cited none, now 12")
    live = "Researchers found 48 stations in 31 countries."
    url = site.serve("/b", cms_article(live))
    cited = "Researchers found 54 stations in 30 countries."
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", cited)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.detail.endswith("; figures: cited 54, 30, now 48, 31")


def test_trimming_a_nearest_passage() -> None:
    assert _trim("a  b\nc", 10) == "a b c"
    assert _trim("x" * 10, 10) == "x" * 10
    assert _trim("x" * 11, 10) == "x" * 10 + " …"
    # The last word break within the limit is kept when in the second half.
    assert _trim("abcdef ghij klm", 12) == "abcdef ghij …"
    assert _trim("abcdefg hijklm", 12) == "abcdefg …"
    # At exactly half or before, the text is cut at the limit instead.
    assert _trim("abcdef ghijklm", 12) == "abcdef ghijk …"
    assert _trim("abcd efghijklm", 12) == "abcd efghijk …"


# --- the archived copy -------------------------------------------------------------------


def test_a_dead_page_without_capture_says_so_exactly(site: Site, tmp_path: Path) -> None:
    url = site.url("/removed")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site)))["c"]
    assert r.detail == "the link is broken: HTTP 404; the archive has no capture of the page"
    assert r.archive is not None and r.archive.to_json() == {
        "url": None,
        "date": None,
        "found": None,
        "figures": [],
        "detail": "the archive has no capture of the page",
    }


def test_an_archive_index_that_fails_is_said(site: Site, tmp_path: Path) -> None:
    site.state.cdx_status = 500
    r = changed_with_capture(site, tmp_path, cms_article())
    assert r.archive.url is None  # type: ignore[attr-defined]
    assert r.archive.detail.startswith("archive lookup failed: ")  # type: ignore[attr-defined]
    assert r.detail.endswith(f"; {r.archive.detail}")  # type: ignore[attr-defined]


def test_an_unreadable_capture_is_named_with_its_date(site: Site, tmp_path: Path) -> None:
    r = changed_with_capture(site, tmp_path, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ctype="image/png")
    assert r.archive.to_json() == {  # type: ignore[attr-defined]
        "url": f"{site.base}/web/{STAMP}/{site.url('/a')}",
        "date": "2022-09-15",
        "found": None,
        "figures": [],
        "detail": "the page is not text (image/png)",
    }


def test_a_capture_answering_an_error_is_named_with_its_date(site: Site, tmp_path: Path) -> None:
    site.state.failing[STAMP] = 300
    r = changed_with_capture(site, tmp_path, cms_article())
    assert r.archive.to_json() == {  # type: ignore[attr-defined]
        "url": f"{site.base}/web/{STAMP}/{site.url('/a')}",
        "date": "2022-09-15",
        "found": None,
        "figures": [],
        "detail": "the archived copy answered HTTP 300",
    }


def test_a_cited_url_with_web_and_digits_in_its_path(site: Site, tmp_path: Path) -> None:
    r = changed_with_capture(site, tmp_path, cms_article(), path="/archive/web/2022/report")
    assert r.archive.found is True  # type: ignore[attr-defined]


def test_a_compressed_capture_is_read(site: Site, tmp_path: Path) -> None:
    site.state.capture_headers[STAMP] = {"Content-Encoding": "gzip"}
    r = changed_with_capture(site, tmp_path, gzip.compress(cms_article().encode()))
    assert r.archive.found is True  # type: ignore[attr-defined]


def test_a_capture_in_an_unknown_encoding_is_said(site: Site, tmp_path: Path) -> None:
    site.state.capture_headers[STAMP] = {"Content-Encoding": "Compress"}
    r = changed_with_capture(site, tmp_path, cms_article())
    assert r.archive.detail == "the archived copy is encoded as 'compress'"  # type: ignore[attr-defined]


def test_a_capture_without_a_content_type_is_sniffed(site: Site, tmp_path: Path) -> None:
    r = changed_with_capture(site, tmp_path, cms_article(), ctype="")
    assert r.archive.found is True  # type: ignore[attr-defined]


def test_a_capture_is_read_up_to_the_page_cap(site: Site, tmp_path: Path) -> None:
    cap = 64 * 1024
    body = cms_article().encode()
    fits = body + b" " * (cap - 1 - len(body))
    r = changed_with_capture(site, tmp_path, fits, page_cap=cap)
    assert r.archive.found is True  # type: ignore[attr-defined]
    (tmp_path / "2").mkdir()
    r = changed_with_capture(site, tmp_path / "2", fits + b" ", path="/b", page_cap=cap)
    assert r.archive.detail == "the archived copy is over the size cap"  # type: ignore[attr-defined]


def test_a_large_capture_arriving_in_pieces_is_capped(site: Site, tmp_path: Path) -> None:
    big = cms_article(size=1500).encode()  # about 600 KiB, sent in many pieces
    r = changed_with_capture(site, tmp_path, big, page_cap=256 * 1024)
    assert r.archive.detail == "the archived copy is over the size cap"  # type: ignore[attr-defined]


def test_a_capture_that_stalls_past_the_timeout_is_cut(site: Site, tmp_path: Path) -> None:
    site.state.drip.add(STAMP)  # ten pieces 0.2 s apart: 2 s in all, each within 1 s
    r = changed_with_capture(site, tmp_path, cms_article(), timeout=1.0)
    assert r.archive.detail == (  # type: ignore[attr-defined]
        "the archived copy could not be read (TimeoutError)"
    )


def test_the_archive_is_asked_two_requests_at_a_time(site: Site, tmp_path: Path) -> None:
    site.state.archive_delay = 0.1
    sources, claims = [], []
    for i in range(6):
        url = site.serve(f"/p{i}", cms_article(CHANGED))
        site.archive(f"/p{i}", STAMP, cms_article())
        sources.append(source(f"s{i}", url, accessed="2022-09-20"))
        claims.append(count_claim(f"c{i}", f"s{i}", PASSAGE))
    report = api.evidence(
        ledger(tmp_path, sources, claims), options(site, max_concurrency=8, max_per_host=8)
    )
    assert all(r.archive and r.archive.found for r in report.evidence or [])
    assert site.state.most_in_flight <= 2
    assert report.exit_code == ExitCode.FINDINGS


def test_json_of_a_witness_that_has_the_passage(site: Site, tmp_path: Path) -> None:
    r = changed_with_capture(site, tmp_path, cms_article())
    assert json.loads(json.dumps(r.archive.to_json()))["figures"] == ["54", "30", "5"]  # type: ignore[attr-defined]


def test_offline_run_says_so_in_one_finding(site: Site, tmp_path: Path) -> None:
    path = ledger(tmp_path, [source("s", "https://x.example/r")], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site, network_probe=network_down))
    assert [(f.check, f.status.value, f.claims, f.message) for f in report.findings] == [
        ("evidence.not-checked", "unknown", (), "sources not read: the network is unreachable")
    ]


def test_a_changed_page_is_told_only_to_the_ledgers_citing_it(site: Site, tmp_path: Path) -> None:
    page = site.serve("/p", cms_article("First version, 54 stations."))
    other = site.serve("/q", cms_article("Another page, 30 countries."))
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = ledger(tmp_path / "one", [source("s", page)], [count_claim("c1", "s", None)])
    two = ledger(tmp_path / "two", [source("t", other)], [count_claim("c2", "t", None)])
    clock = Clock()
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3", clock=clock)
    api.evidence([one, two], opts)
    site.serve("/p", cms_article("Second version, 48 stations."))
    clock.now += DAY
    first, second = api.evidence([one, two], opts).ledger_reports()
    (f,) = [f for f in first.findings if f.check == "evidence.page-changed"]
    assert f.location is None and f.claims == ("c1",)
    assert [f for f in second.findings if f.check == "evidence.page-changed"] == []


def test_a_pair_without_passage_says_it_is_checked_for_liveness(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article())
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", None)])
    r = results(api.evidence(path, options(site)))["c"]
    assert (r.verdict, r.detail) == (
        Verdict.NOT_CHECKED,
        "no passage given: the link is checked for liveness only",
    )


def test_an_archived_copy_with_the_same_figures_as_the_live_page(
    site: Site, tmp_path: Path
) -> None:
    cited = "The network of service stations spans several continents and many countries."
    live = "The network of police stations spans several continents and many countries."
    url = site.serve("/a", cms_article(live))
    site.archive("/a", STAMP, cms_article(cited))
    src = source("s", url, accessed="2022-09-20")
    path = ledger(tmp_path, [src], [claim_of("c", "s", cited)])
    r = results(api.evidence(path, options(site)))["c"]
    assert r.detail.endswith(
        f"; the archived copy of 2022-09-15 says none; the live page now says none: "
        f"cite {site.base}/web/{STAMP}/{url}"
    )


def test_a_link_status_without_detail_is_told_alone() -> None:
    from claimcheck.evidence.run import _said
    from claimcheck.results import LinkResult, LinkStatus

    bare = LinkResult(url="https://x.example/", status=LinkStatus.TIMEOUT)
    assert _said(bare) == "timeout"
    told = LinkResult(url="https://x.example/", status=LinkStatus.TIMEOUT, detail="after 2 s")
    assert _said(told) == "timeout: after 2 s"


def test_a_capture_arriving_in_pieces_is_read_whole(site: Site, tmp_path: Path) -> None:
    body = report_pdf(pages=200)  # a PDF of about 130 KB: a corrupt join would not open
    r = changed_with_capture(site, tmp_path, body, ctype="application/pdf")
    assert r.archive.found is True  # type: ignore[attr-defined]


def test_a_page_whose_passages_are_all_there_is_fingerprinted_too(
    site: Site, tmp_path: Path
) -> None:
    # The passage is found on both days; the rest of the page changed in between.
    url = site.serve("/p", cms_article(PASSAGE + " First version."))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    clock = Clock()
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3", clock=clock)
    api.evidence(path, opts)
    site.serve("/p", cms_article(PASSAGE + " Second version, rewritten."))
    clock.now += DAY
    report = api.evidence(path, opts)
    assert results(report)["c"].verdict is Verdict.SUPPORTED
    (f,) = [f for f in report.findings if f.check == "evidence.page-changed"]
    assert f.claims == ("c",)


def test_an_empty_page_cited_without_a_passage_has_no_text(site: Site, tmp_path: Path) -> None:
    empty = site.serve("/empty", "<html><head><title>x</title></head><body></body></html>")
    path = ledger(tmp_path, [source("s", empty)], [count_claim("c", "s", None)])
    got = results(api.evidence(path, options(site, archive=False)))["c"]
    assert (got.verdict.value, got.detail) == ("unverifiable", "the page has no text")
