"""Every verdict, produced against a real loopback site with an archive of its own."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from claimcheck import api
from claimcheck.evidence.verdict import Verdict
from claimcheck.results import ExitCode, LinkStatus
from tests.evidence.conftest import Site, count_claim, ledger, network_down, options
from tests.evidence.pages import (
    PASSAGE,
    cms_article,
    image_only_pdf,
    next_data_article,
    report_pdf,
)

CHANGED = PASSAGE.replace("54", "48")


def one(report: api.Report, claim: str = "c"):  # type: ignore[no-untyped-def]
    assert report.evidence is not None
    (result,) = [e for e in report.evidence if e.claim == claim]
    return result


def source(sid: str, url: str | None, **kw: str) -> dict[str, str]:
    out = {"id": sid, "title": "Report finds 54 stations", **kw}
    if url is not None:
        out["url"] = url
    return out


def test_supported_html_article(site: Site, tmp_path: Path) -> None:
    url = site.serve("/news/2022/09/stations", cms_article())
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site))
    r = one(report)
    assert r.verdict is Verdict.SUPPORTED
    assert "states 54" in r.detail
    assert report.exit_code == ExitCode.OK
    assert "1 of 1 passage found on their sources" in report.findings[0].message


def test_supported_two_column_hyphenated_pdf_names_the_page(site: Site, tmp_path: Path) -> None:
    url = site.serve("/files/report.pdf", report_pdf(columns=2), ctype="application/pdf")
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    r = one(api.evidence(path, options(site)))
    assert r.verdict is Verdict.SUPPORTED
    assert r.page == 2
    assert "(page 2)" in r.detail


def test_supported_when_text_is_only_in_next_data(site: Site, tmp_path: Path) -> None:
    url = site.serve("/app/story", next_data_article())
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    assert one(api.evidence(path, options(site))).verdict is Verdict.SUPPORTED


def test_changed_figure_with_the_archive_as_witness(site: Site, tmp_path: Path) -> None:
    url = site.serve("/news/2022/09/stations", cms_article(CHANGED))
    site.archive("/news/2022/09/stations", "20220915093000", cms_article())
    site.archive("/news/2022/09/stations", "20230301000000", cms_article(CHANGED))
    src = source("s", url, published="2022-09-12", accessed="2022-09-20")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site))
    r = one(report)
    assert r.verdict is Verdict.CHANGED
    assert r.similarity is not None and r.similarity > 0.9
    assert r.nearest is not None and "48 physical" in r.nearest
    assert "figures: cited 54, now 48" in r.detail
    assert "the archived copy of 2022-09-15 says 54; the live page now says 48" in r.detail
    assert r.archive is not None and r.archive.found is True
    assert r.archive.url == f"{site.base}/web/20220915093000/{url}"
    assert report.exit_code == ExitCode.FINDINGS
    finding = next(f for f in report.findings if f.check == "evidence.changed")
    assert finding.status.value == "fail"
    assert finding.location is not None and finding.location.startswith(str(path))


def test_passage_in_neither_live_page_nor_archive_is_never_found(
    site: Site, tmp_path: Path
) -> None:
    url = site.serve("/news/other", cms_article("Nothing about stations here at all."))
    site.archive("/news/other", "20220915000000", cms_article("Nothing here either, sorry."))
    src = source("s", url, published="2022-09-12")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    r = one(api.evidence(path, options(site)))
    assert r.verdict is Verdict.CHANGED
    assert "never found" in r.detail and "check the citation" in r.detail


def test_dead_link_with_an_archived_copy_to_cite(site: Site, tmp_path: Path) -> None:
    url = site.url("/news/2022/09/removed")
    site.archive("/news/2022/09/removed", "20220913120000", cms_article())
    src = source("s", url, published="2022-09-12")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site))
    r = one(report)
    assert r.verdict is Verdict.DEAD
    assert r.link_status is LinkStatus.BROKEN
    assert "the link is broken: HTTP 404" in r.detail
    assert f"still has the passage: cite {site.base}/web/20220913120000/{url}" in r.detail
    assert report.exit_code == ExitCode.FINDINGS


def test_dead_link_without_capture_says_so(site: Site, tmp_path: Path) -> None:
    url = site.serve("/gone", b"<html><title>Gone</title></html>", status=410)
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    r = one(api.evidence(path, options(site)))
    assert r.verdict is Verdict.DEAD
    assert r.link_status is LinkStatus.GONE
    assert "the archive has no capture" in r.detail


def test_unverifiable_pages_do_not_fail_the_run(site: Site, tmp_path: Path) -> None:
    scan = site.serve("/scan.pdf", image_only_pdf(), ctype="application/pdf")
    challenge = site.serve(
        "/challenge",
        b"<html><head><title>Just a moment...</title></head><body>"
        b'<script src="https://challenges.cloudflare.com/x.js"></script></body></html>',
        status=403,
    )
    site.serve("/account/login", "<html><title>Sign in</title><body>Log in</body></html>")
    paywall = site.serve(
        "/premium/2022/story", b"", status=302, headers={"Location": "/account/login"}
    )
    big = site.serve("/huge", cms_article(size=400))
    sources = [source(f"s{i}", u) for i, u in enumerate([scan, challenge, paywall, big])]
    claims = [count_claim(f"c{i}", f"s{i}", PASSAGE) for i in range(4)]
    path = ledger(tmp_path, sources, claims)
    report = api.evidence(path, options(site), page_cap=64 * 1024)
    details = {e.claim: (e.verdict, e.detail) for e in report.evidence or []}
    assert all(v is Verdict.UNVERIFIABLE for v, _ in details.values()), details
    assert "no text layer" in details["c0"][1]
    assert "blocked" in details["c1"][1] and "challenge" in details["c1"][1]
    assert "login" in details["c2"][1]
    assert "over the size cap (64 KiB)" in details["c3"][1]
    assert report.exit_code == ExitCode.OK
    assert {f.status.value for f in report.findings if f.check == "evidence.unverifiable"} == {
        "unknown"
    }


def test_not_checked_without_url_excluded_or_without_passage(site: Site, tmp_path: Path) -> None:
    url = site.serve("/news/a", cms_article())
    excluded = site.serve("/news/b", cms_article())
    sources = [source("nourl", None), source("ex", excluded), source("live", url)]
    claims = [
        count_claim("c1", "nourl", PASSAGE),
        count_claim("c2", "ex", PASSAGE),
        count_claim("c3", "live", None),
    ]
    path = ledger(tmp_path, sources, claims)
    report = api.evidence(path, options(site, exclude=["/news/b"]))
    got = {e.claim: e for e in report.evidence or []}
    assert {e.verdict for e in got.values()} == {Verdict.NOT_CHECKED}
    assert got["c1"].detail == "the source has no url"
    assert "excluded by --exclude" in got["c2"].detail
    assert "no passage given" in got["c3"].detail
    assert report.exit_code == ExitCode.OK
    assert "1 claim–source pair without a passage" in report.findings[0].message


def test_offline_nothing_is_judged_and_exit_3(site: Site, tmp_path: Path) -> None:
    async def nowhere(host: str, port: int) -> list[str]:
        from claimcheck.links.safety import NameNotResolved

        raise NameNotResolved(host)

    src = source("s", "https://stations.example/report")
    path = ledger(tmp_path, [src], [count_claim("c", "s", PASSAGE)])
    report = api.evidence(path, options(site, resolver=nowhere, network_probe=network_down))
    assert one(report).verdict is Verdict.NOT_CHECKED
    assert "network is unreachable" in one(report).detail
    assert report.exit_code == ExitCode.NOT_CHECKED
    assert [f.status.value for f in report.findings] == ["unknown"]


def test_page_text_change_is_noticed_on_the_next_run(site: Site, tmp_path: Path) -> None:
    url = site.serve("/news/bare", cms_article("First version of the findings, 54 stations."))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", None)])
    opts = options(site, use_cache=True, cache_path=tmp_path / "store.sqlite3")
    first = api.evidence(path, opts)
    assert not [f for f in first.findings if f.check == "evidence.page-changed"]
    again = api.evidence(path, opts)  # same text, typography aside: nothing to say
    assert not [f for f in again.findings if f.check == "evidence.page-changed"]
    site.serve("/news/bare", cms_article("Second version of the findings, 48 stations."))
    later = api.evidence(path, opts)
    (finding,) = [f for f in later.findings if f.check == "evidence.page-changed"]
    assert finding.status.value == "warn"
    assert f"the text of {url} changed since the last check on" in finding.message
    assert one(later).text_changed_since is not None


def test_confirm_holds_back_a_first_changed(site: Site, tmp_path: Path) -> None:
    url = site.serve("/news/c", cms_article(CHANGED))
    path = ledger(tmp_path, [source("s", url)], [count_claim("c", "s", PASSAGE)])
    opts = options(site, use_cache=True, cache_path=tmp_path / "s.sqlite3", confirm=2)
    report = api.evidence(path, opts)
    assert one(report).verdict is Verdict.CHANGED
    assert one(report).confirmed is False
    assert report.exit_code == ExitCode.OK
    again = api.evidence(path, opts)  # the same day: still not a day apart
    assert "2 checks in a row; not yet confirmed" in one(again).detail
    assert again.exit_code == ExitCode.OK


def test_verify_fetches_each_url_once_for_links_and_evidence(site: Site, tmp_path: Path) -> None:
    url = site.serve("/news/once", cms_article())
    src = source("s", url)
    claims = [count_claim("c", "s", PASSAGE), count_claim("d", "s", None, value=30)]
    path = ledger(tmp_path, [src], claims)
    report = api.verify(path, api.VerifyOptions(links=options(site)))
    assert site.state.hits["/news/once"] == 1
    assert report.links is not None and report.links[0].status is LinkStatus.OK
    assert one(report).verdict is Verdict.SUPPORTED


def test_worker_processes_give_the_same_verdicts(site: Site, tmp_path: Path) -> None:
    # Two worker processes share the hosts (here one host, so one worker gets it all,
    # the other none); each URL is still fetched once and judged the same way.
    good = site.serve("/w/good", cms_article())
    changed = site.serve("/w/changed", cms_article(CHANGED))
    scan = site.serve("/w/scan.pdf", image_only_pdf(), ctype="application/pdf")
    sources = [source("a", good), source("b", changed), source("c", scan)]
    claims = [count_claim(f"c{i}", s, PASSAGE) for i, s in enumerate("abc")]
    path = ledger(tmp_path, sources, claims)
    report = api.evidence(path, options(site, workers=2, archive=False))
    verdicts = [e.verdict for e in report.evidence or []]
    assert verdicts == [Verdict.SUPPORTED, Verdict.CHANGED, Verdict.UNVERIFIABLE]
    assert all(site.state.hits[p] == 1 for p in ("/w/good", "/w/changed", "/w/scan.pdf"))
    assert report.exit_code == ExitCode.FINDINGS


FORKED_RUN = textwrap.dedent(
    """
    import json, sys
    from claimcheck import api
    from claimcheck.links import LinkOptions
    from claimcheck.links.workers import start_method

    method = start_method()  # before the run: this process has no other thread
    opts = LinkOptions(
        timeout=5, retries=0, allow_private=True, use_cache=False, archive=False, workers=2
    )
    report = api.evidence([sys.argv[1]], opts)
    verdicts = [e.verdict.value for e in report.evidence or []]
    print(json.dumps({"method": method, "verdicts": verdicts, "exit": int(report.exit_code)}))
    """
)


def test_forked_worker_processes_give_the_same_verdicts(site: Site, tmp_path: Path) -> None:
    # pytest's process runs the site's threads, so the test above spawns its workers; a
    # process of its own (as the command line runs) forks them: the same verdicts.
    good = site.serve("/f/good", cms_article())
    changed = site.serve("/f/changed", cms_article(CHANGED))
    scan = site.serve("/f/scan.pdf", image_only_pdf(), ctype="application/pdf")
    other = site.serve("/f/other", cms_article())
    sources = [source("a", good), source("b", changed), source("c", scan), source("d", other)]
    claims = [count_claim(f"c{i}", s, PASSAGE) for i, s in enumerate("abcd")]
    path = ledger(tmp_path, sources, claims)
    run = subprocess.run(
        [sys.executable, "-c", FORKED_RUN, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "Traceback" not in run.stderr  # no worker died (its links refetched here)
    out = json.loads(run.stdout)
    if sys.platform == "linux":
        assert out["method"] == "fork"
    assert out["verdicts"] == ["supported", "changed", "unverifiable", "supported"]
    assert out["exit"] == int(ExitCode.FINDINGS)
    assert all(site.state.hits[p] == 1 for p in ("/f/good", "/f/changed", "/f/scan.pdf"))
