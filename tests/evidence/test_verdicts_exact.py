"""Each verdict's exact wording and each finding a user sees, against the loopback site:
the summary line, the detail of every reason a page was not judged, what a found passage
says about the claim's figure, the nearest passage of a changed one, the archive's word,
and ``--confirm`` over several days."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimcheck import api
from claimcheck.evidence.verdict import EvidenceResult, Verdict
from claimcheck.results import ExitCode, LinkStatus
from tests.evidence.conftest import Site, count_claim, ledger, options
from tests.evidence.pages import PASSAGE, cms_article, list_and_table_article

CHANGED = PASSAGE.replace("54", "48")
DAY = 86400.0


def source(sid: str, url: str | None, **kw: str) -> dict[str, str]:
    out = {"id": sid, "title": "Report finds 54 stations", **kw}
    if url is not None:
        out["url"] = url
    return out


def results(report: api.Report) -> dict[str, EvidenceResult]:
    return {e.claim: e for e in report.evidence or []}


def findings(report: api.Report) -> list[tuple[str, str, tuple[str, ...], str, str | None]]:
    return [(f.check, f.status.value, f.claims, f.message, f.detail) for f in report.findings]


def passage_line(path: Path, claim: str) -> int:
    """The line of the first passage of ``claim`` in the ledger at ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if f'"id": "{claim}"' in ln)
    at = next(i for i in range(start, len(lines)) if '"passages"' in lines[i])
    return at + 2  # the object opening on the line after the key


# --- the summary line and the findings --------------------------------------------------


def test_summary_counts_found_passages_and_pairs_without_one(site: Site, tmp_path: Path) -> None:
    good = site.serve("/a", cms_article())
    moved = site.serve("/b", cms_article(CHANGED))
    sources = [source("a", good), source("b", moved)]
    claims = [
        count_claim("c1", "a", PASSAGE),
        count_claim("c2", "a", PASSAGE),
        count_claim("c3", "b", PASSAGE),
        count_claim("c4", "b", None),
        count_claim("c5", "a", None),
    ]
    path = ledger(tmp_path, sources, claims)
    report = api.evidence(path, options(site, archive=False))
    assert findings(report)[0] == (
        "evidence.supported",
        "pass",
        (),
        "2 of 3 passages found on their sources; 2 claim–source pairs without a passage "
        "(liveness only)",
        None,
    )
    changed = report.findings[1]
    assert (changed.check, changed.status.value, changed.claims, changed.message) == (
        "evidence.changed",
        "fail",
        ("c3",),
        "claim 'c3': source 'b' no longer says the cited passage",
    )
    assert changed.detail == results(report)["c3"].detail
    assert (changed.location or "").startswith(f"{path}:{passage_line(path, 'c3')}:")
    assert len(report.findings) == 2


def test_one_passage_and_one_bare_pair_are_told_in_the_singular(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article())
    claims = [count_claim("c1", "a", PASSAGE), count_claim("c2", "a", None)]
    report = api.evidence(ledger(tmp_path, [source("a", url)], claims), options(site))
    assert report.findings[0].message == (
        "1 of 1 passage found on their sources; 1 claim–source pair without a passage "
        "(liveness only)"
    )


def test_no_passage_at_all_is_said(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article())
    claims = [count_claim("c1", "a", None), count_claim("c2", "a", None)]
    report = api.evidence(ledger(tmp_path, [source("a", url)], claims), options(site))
    assert findings(report) == [
        (
            "evidence.supported",
            "pass",
            (),
            "no claim gives a source passage to check; 2 claim–source pairs without a "
            "passage (liveness only)",
            None,
        )
    ]


def test_no_summary_when_no_passage_was_found(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article(CHANGED))
    path = ledger(tmp_path, [source("a", url)], [count_claim("c", "a", PASSAGE)])
    report = api.evidence(path, options(site, archive=False))
    assert [f.check for f in report.findings] == ["evidence.changed"]


def test_unread_and_unchecked_passages_are_unknown(site: Site, tmp_path: Path) -> None:
    blocked = site.serve("/blocked", "<html><title>Forbidden</title></html>", status=403)
    sources = [source("b", blocked), source("none", None)]
    claims = [count_claim("c1", "b", PASSAGE), count_claim("c2", "none", PASSAGE)]
    report = api.evidence(ledger(tmp_path, sources, claims), options(site))
    assert findings(report) == [
        (
            "evidence.unverifiable",
            "unknown",
            ("c1",),
            "claim 'c1': source 'b' could not be read",
            "the page could not be read (blocked: HTTP 403: access denied to robots (unverifiable, "
            "not dead))",
        ),
        (
            "evidence.not-checked",
            "unknown",
            ("c2",),
            "claim 'c2': source 'none' was not checked",
            "the source has no url",
        ),
    ]
    assert all(f.location is not None for f in report.findings)
    assert report.exit_code == ExitCode.OK


def test_dead_link_fails_only_when_its_status_fails_the_run(site: Site, tmp_path: Path) -> None:
    url = site.url("/removed")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site, archive=False))
    dead = next(f for f in report.findings if f.check == "evidence.dead")
    assert (dead.status.value, dead.message, dead.detail) == (
        "fail",
        "claim 'c': source 's' is dead",
        "the link is broken: HTTP 404",
    )
    lenient = api.evidence(path, options(site, archive=False, fail_on=frozenset({LinkStatus.GONE})))
    dead = next(f for f in lenient.findings if f.check == "evidence.dead")
    assert dead.status.value == "warn"
    assert lenient.exit_code == ExitCode.OK


def test_dead_link_not_yet_confirmed_warns(site: Site, tmp_path: Path) -> None:
    url = site.url("/removed")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    opts = options(
        site, archive=False, use_cache=True, cache_path=tmp_path / "s.sqlite3", confirm=2
    )
    report = api.evidence(path, opts)
    dead = next(f for f in report.findings if f.check == "evidence.dead")
    assert dead.status.value == "warn"


# --- why a page was not judged -----------------------------------------------------------


def test_each_reason_a_page_was_not_judged(site: Site, tmp_path: Path) -> None:
    gone = site.serve("/gone", "<html><title>Gone</title></html>", status=410)
    broken = site.serve("/oops", "<html><title>Error</title></html>", status=500)
    image = site.serve("/chart.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ctype="image/png")
    empty = site.serve("/empty", "<html><head><title>x</title></head><body></body></html>")
    skipped = site.serve("/skip/me", cms_article())
    urls = [gone, broken, image, empty, skipped]
    sources = [source(f"s{i}", u) for i, u in enumerate(urls)]
    claims = [count_claim(f"c{i}", f"s{i}", PASSAGE) for i in range(len(urls))]
    report = api.evidence(
        ledger(tmp_path, sources, claims), options(site, archive=False, exclude=["/skip/"])
    )
    got = {c: (r.verdict.value, r.detail) for c, r in results(report).items()}
    assert got == {
        "c0": ("dead", "the link is gone: HTTP 410: removed for good"),
        "c1": (
            "unverifiable",
            "the page could not be read (server-error: HTTP 500 after 1 attempt)",
        ),
        "c2": ("unverifiable", "the page is not text (image/png)"),
        "c3": ("unverifiable", "the page has no text"),
        "c4": ("not-checked", "not checked: excluded by --exclude"),
    }


def test_no_archive_for_a_page_that_is_not_dead_or_changed(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article())
    site.archive("/a", "20220915093000", cms_article())
    blocked = site.serve("/b", "<html><title>Forbidden</title></html>", status=403)
    site.archive("/b", "20220915093000", cms_article())
    claims = [count_claim("c1", "a", PASSAGE), count_claim("c2", "b", PASSAGE)]
    path = ledger(tmp_path, [source("a", url), source("b", blocked)], claims)
    report = api.evidence(path, options(site))
    assert all(r.archive is None for r in results(report).values())
    assert not [p for p in site.state.hits if p.startswith("/web/")]


# --- what a found passage says about the claim's figure ---------------------------------


def claim_of(cid: str, src: str, passage: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cid,
        "kind": "fact",
        "text": "A claim.",
        "quote": "A claim",
        "sources": [src],
        "passages": [{"source": src, "text": passage}],
    }
    out.update(fields)
    return out


def test_found_passage_and_the_claims_figure(site: Site, tmp_path: Path) -> None:
    page = cms_article("The report was published on 12 September 2022, naming 54 stations.")
    url = site.serve("/a", page)
    passage = "The report was published on 12 September 2022, naming 54 stations."
    claims = [
        claim_of("states", "s", passage, kind="count", measure="stations", value=54),
        claim_of("wrong", "s", passage, kind="count", measure="stations", value=55),
        claim_of("date", "s", passage, kind="date", date="2022-09-12"),
        claim_of("other-date", "s", passage, kind="date", date="2022-09-13"),
        claim_of("no-figure", "s", passage),
    ]
    report = api.evidence(ledger(tmp_path, [source("s", url)], claims), options(site))
    got = {c: (r.verdict.value, r.detail, r.figure) for c, r in results(report).items()}
    assert got == {
        "states": ("supported", "the passage is on the page and states 54", "54"),
        "wrong": (
            "not-checked",
            "the passage is on the page but does not state the claim's figure 55: give the "
            "words that do",
            "55",
        ),
        "date": ("supported", "the passage is on the page and states 2022-09-12", "2022-09-12"),
        "other-date": (
            "not-checked",
            "the passage is on the page but does not state the claim's figure 2022-09-13: "
            "give the words that do",
            "2022-09-13",
        ),
        "no-figure": ("supported", "the passage is on the page", None),
    }


def test_a_period_claim_needs_both_ends_in_its_passage(site: Site, tmp_path: Path) -> None:
    text = "Returns were counted from March 2014 to June 2021 in the survey."
    url = site.serve("/a", cms_article(text))
    claims = [
        claim_of("both", "s", text, kind="period", period={"start": "2014-03", "end": "2021-06"}),
        claim_of("end", "s", text, kind="period", period={"start": "2014-03", "end": "2021-07"}),
        claim_of("start", "s", text, kind="period", period={"start": "2014-04", "end": "2021-06"}),
    ]
    report = api.evidence(ledger(tmp_path, [source("s", url)], claims), options(site))
    got = {c: (r.verdict.value, r.figure) for c, r in results(report).items()}
    assert got == {
        "both": ("supported", "2014-03/2021-06"),
        "end": ("not-checked", "2014-03/2021-07"),
        "start": ("not-checked", "2014-04/2021-06"),
    }
    assert results(report)["both"].detail == "the passage is on the page and states 2014-03/2021-06"


def test_a_passage_outside_the_main_text_is_found_and_said_so(site: Site, tmp_path: Path) -> None:
    url = site.serve("/findings", list_and_table_article())
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site)))["c"]
    assert r.verdict is Verdict.SUPPORTED
    assert r.detail in (
        "the passage is on the page and states 54",
        "the passage is on the page (outside the page's main text) and states 54",
    )


# --- the nearest passage of a changed one ------------------------------------------------


LONG = (
    "In their second report the researchers describe in detail how the network of 54 "
    "physical service stations was set up across 30 countries on five continents, which "
    "local associations ran them, how the premises were rented, and which officials from "
    "the home province visited them during the years covered by the investigation."
)


def test_a_long_nearest_passage_is_cut_at_a_word(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article(LONG.replace("54", "48")))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", LONG)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.verdict is Verdict.CHANGED
    assert r.nearest == LONG.replace("54", "48")
    cut = LONG.replace("54", "48")[:240].rsplit(" ", 1)[0]
    assert r.detail == (
        f"the passage is no longer on the page; nearest ({r.similarity:.0%} similar): "
        f"“{cut} …”; figures: cited 54, now 48"
    )
    assert r.similarity is not None and 0.9 < r.similarity < 1
    assert r.figures_cited == ("54", "30", "5") and r.figures_now == ("48", "30", "5")


def test_a_short_nearest_passage_is_shown_whole(site: Site, tmp_path: Path) -> None:
    live = "Researchers found 48 stations in 30 countries."
    url = site.serve("/a", cms_article(live))
    cited = "Researchers found 54 stations in 30 countries."
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", cited)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.detail.startswith("the passage is no longer on the page; nearest (")
    assert r.detail.endswith(f"similar): “{live}”; figures: cited 54, now 48")


def test_figures_are_not_compared_with_an_unlike_passage(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article("Weather: 12 degrees and rain."))
    cited = "Researchers found 54 stations in 30 countries."
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", cited)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.verdict is Verdict.CHANGED
    assert r.similarity is not None and r.similarity < 0.5
    assert "figures:" not in r.detail
    assert r.detail.startswith("the passage is no longer on the page; nearest (")


def test_same_figures_in_another_order_are_all_listed(site: Site, tmp_path: Path) -> None:
    live = "Researchers found 30 stations in 54 countries."
    url = site.serve("/a", cms_article(live))
    cited = "Researchers found 54 stations in 30 countries."
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", cited)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.detail.endswith("; figures: cited 54, 30, now 30, 54")


def test_a_figure_dropped_from_the_passage_is_none_now(site: Site, tmp_path: Path) -> None:
    live = "Researchers found several stations in 30 countries."
    url = site.serve("/a", cms_article(live))
    cited = "Researchers found 54 stations in 30 countries."
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", cited)])
    r = results(api.evidence(path, options(site, archive=False)))["c"]
    assert r.detail.endswith("; figures: cited 54, now none")


# --- the archive's word ------------------------------------------------------------------


def test_archive_copy_without_the_passage_either(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article(CHANGED))
    site.archive("/a", "20220915093000", cms_article(PASSAGE.replace("54", "50")))
    src = source("s", url, accessed="2022-09-20")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site)))["c"]
    assert r.detail.endswith(
        "; never found: neither the page nor its archived copy of 2022-09-15 has the "
        "passage; check the citation"
    )
    assert r.archive is not None
    assert (r.archive.found, r.archive.date, r.archive.figures) == (
        False,
        "2022-09-15",
        ("50", "30", "5"),
    )
    assert r.archive.timestamp == "20220915093000"


def test_archive_copy_that_cannot_be_read(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article(CHANGED))
    site.archive("/a", "20220915093000", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ctype="image/png")
    src = source("s", url, accessed="2022-09-20")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site)))["c"]
    assert r.archive is not None and r.archive.found is None
    assert r.archive.detail is not None and r.detail.endswith(f"; {r.archive.detail}")
    assert r.archive.to_json()["found"] is None


def test_dead_pages_sharing_a_capture_read_it_once(site: Site, tmp_path: Path) -> None:
    url = site.url("/removed")
    site.archive("/removed", "20220913120000", cms_article())
    src = source("s", url, published="2022-09-12")
    claims = [count_claim("c1", "s", PASSAGE), count_claim("c2", "s", PASSAGE, value=30)]
    report = api.evidence(ledger(tmp_path, [src], claims), options(site))
    assert all("still has the passage" in r.detail for r in results(report).values())
    assert site.state.hits["/web/20220913120000id_/" + url] == 1


def test_archived_copy_answering_an_error_is_said(site: Site, tmp_path: Path) -> None:
    url = site.serve("/a", cms_article(CHANGED))
    site.archive("/a", "20220915093000", cms_article())
    site.state.failing["20220915093000"] = 503  # listed in the index, not served
    src = source("s", url, accessed="2022-09-20")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    r = results(api.evidence(path, options(site)))["c"]
    assert r.archive is not None and r.archive.found is None
    assert r.archive.detail == "the archived copy answered HTTP 503"
    assert r.detail.endswith("; the archived copy answered HTTP 503")


# --- --confirm over several days ---------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0  # 2023-11-14

    def __call__(self) -> float:
        return self.now


def test_confirm_two_needs_two_checks_a_day_apart(site: Site, tmp_path: Path) -> None:
    url = site.serve("/c", cms_article(CHANGED))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    clock = Clock()
    opts = options(
        site,
        archive=False,
        use_cache=True,
        cache_path=tmp_path / "s.sqlite3",
        confirm=2,
        clock=clock,
        ttl_seconds=1.0,
    )
    first = results(api.evidence(path, opts))["c"]
    assert first.confirmed is False
    assert first.detail.endswith("48")  # no note on a first sighting
    clock.now += DAY - 60
    second = api.evidence(path, opts)
    r = results(second)["c"]
    assert r.confirmed is False
    assert r.detail.endswith(
        "; changed since 2023-11-14, 2 checks in a row; not yet confirmed (--confirm 2)"
    )
    assert second.exit_code == ExitCode.OK
    assert next(f for f in second.findings if f.check == "evidence.changed").status.value == "warn"
    clock.now += 60
    third = api.evidence(path, opts)
    r = results(third)["c"]
    assert r.confirmed is True
    assert r.detail.endswith("; changed since 2023-11-14, 3 checks in a row")
    assert third.exit_code == ExitCode.FINDINGS


def test_confirm_one_fails_at_once_and_a_recovery_restarts_the_count(
    site: Site, tmp_path: Path
) -> None:
    url = site.serve("/c", cms_article(CHANGED))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    clock = Clock()
    opts = options(
        site, archive=False, use_cache=True, cache_path=tmp_path / "s.sqlite3", clock=clock
    )
    assert results(api.evidence(path, opts))["c"].confirmed is True
    clock.now += 3600
    site.serve("/c", cms_article())
    assert results(api.evidence(path, opts))["c"].verdict is Verdict.SUPPORTED
    clock.now += 3600
    site.serve("/c", cms_article(CHANGED))
    r = results(api.evidence(path, opts))["c"]
    assert r.confirmed is True and "checks in a row" not in r.detail
    clock.now += 3600
    r = results(api.evidence(path, opts))["c"]
    assert r.detail.endswith(f"; changed since {_day(clock.now - 3600)}, 2 checks in a row")


def _day(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def test_page_changed_warning_names_its_sources_and_claims(site: Site, tmp_path: Path) -> None:
    url = site.serve("/p", cms_article("First version, 54 stations."))
    other = site.serve("/q", cms_article("Unchanged page, 30 countries."))
    sources = [source("s2", url), source("s1", url), source("o", other)]
    claims = [
        count_claim("b", "s2", None),
        count_claim("a", "s1", None),
        count_claim("z", "o", None),
    ]
    path = ledger(tmp_path, sources, claims)
    clock = Clock()
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3", clock=clock)
    api.evidence(path, opts)
    clock.now += 2 * DAY
    site.serve("/p", cms_article("Second version, 48 stations."))
    report = api.evidence(path, opts)
    changed = [f for f in report.findings if f.check == "evidence.page-changed"]
    assert [(f.status.value, f.claims, f.message, f.detail) for f in changed] == [
        (
            "warn",
            ("a", "b"),
            f"the text of {url} changed since the last check on 2023-11-14",
            "cited by s1, s2: re-read it against the claims",
        )
    ]
    assert results(report)["a"].text_changed_since == "2023-11-14"
    assert results(report)["z"].text_changed_since is None


def test_several_ledgers_each_get_their_own_verdicts(site: Site, tmp_path: Path) -> None:
    good = site.serve("/a", cms_article())
    moved = site.serve("/b", cms_article(CHANGED))
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = ledger(tmp_path / "one", [source("a", good)], [count_claim("c1", "a", PASSAGE)])
    two = ledger(tmp_path / "two", [source("b", moved)], [count_claim("c2", "b", PASSAGE)])
    report = api.evidence([one, two], options(site, archive=False))
    first, second = report.ledger_reports()
    assert [e.claim for e in first.evidence or []] == ["c1"]
    assert [e.claim for e in second.evidence or []] == ["c2"]
    assert [f.check for f in first.findings if f.check.startswith("evidence.")] == [
        "evidence.supported"
    ]
    assert [f.check for f in second.findings if f.check.startswith("evidence.")] == [
        "evidence.changed"
    ]
    assert first.exit_code == ExitCode.OK and second.exit_code == ExitCode.FINDINGS
