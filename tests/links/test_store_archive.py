"""Cache, history and --confirm; archive lookup; write-back; shards; citation dates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from claimcheck.links import LinkOptionsError, check_ledger_links, links_exit_code
from claimcheck.links.collect import latest_day
from claimcheck.links.shard import parse_shard, shard_items, site_of
from claimcheck.links.writeback import WritebackError, set_archive_urls
from claimcheck.results import ExitCode, LinkStatus

from .conftest import Clm, Ldg, LoopServer, Src, fast_options, ledger_of

DAY = 86400.0


class Clock:
    def __init__(self, t: float = 1_772_409_600.0) -> None:  # 2026-03-02T00:00:00Z
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_results_are_cached_within_ttl(server: LoopServer, tmp_cache: Path) -> None:
    clock = Clock()
    opts = fast_options(use_cache=True, cache_path=tmp_cache, clock=clock)
    url = server.url("/flaky?k=cache&fail=0")
    first, _ = check_ledger_links(ledger_of(url), opts)
    assert not first[0].cached and first[0].status is LinkStatus.OK
    second, _ = check_ledger_links(ledger_of(url), opts)
    assert second[0].cached and second[0].status is LinkStatus.OK
    assert second[0].sources == ("s0",)
    assert server.state.counts["flakycache"] == 1
    clock.t += 2 * DAY  # past the TTL: checked again
    third, _ = check_ledger_links(ledger_of(url), opts)
    assert not third[0].cached
    assert server.state.counts["flakycache"] == 2


def test_transient_failures_are_not_cached(server: LoopServer, tmp_cache: Path) -> None:
    opts = fast_options(use_cache=True, cache_path=tmp_cache, clock=Clock(), retries=0)
    url = server.url("/flaky?k=transient&fail=1")
    first, _ = check_ledger_links(ledger_of(url), opts)
    assert first[0].status is LinkStatus.SERVER_ERROR
    second, _ = check_ledger_links(ledger_of(url), opts)
    assert second[0].status is LinkStatus.OK and not second[0].cached


def test_history_and_confirm(server: LoopServer, tmp_cache: Path) -> None:
    clock = Clock()
    opts = fast_options(use_cache=True, cache_path=tmp_cache, clock=clock, confirm=2, ttl_seconds=0)
    ledger = ledger_of(server.url("/status/404"))
    results, summary = check_ledger_links(ledger, opts)
    h = results[0].history
    assert h is not None and h.consecutive_failures == 1 and not h.confirmed
    assert h.failing_since == "2026-03-02T00:00:00Z"
    assert links_exit_code(results, summary, opts) is ExitCode.OK  # reported, not failing
    assert "not yet confirmed" in (results[0].detail or "")
    assert summary.failing == 0
    clock.t += 3600  # a second failure the same day is not enough
    results, summary = check_ledger_links(ledger, opts)
    assert results[0].history is not None and results[0].history.consecutive_failures == 2
    assert not results[0].history.confirmed
    clock.t += DAY
    results, summary = check_ledger_links(ledger, opts)
    h = results[0].history
    assert h is not None and h.confirmed and h.consecutive_failures == 3 and h.checks == 3
    assert h.failing_since == "2026-03-02T00:00:00Z"
    assert "failing since 2026-03-02, 3 checks in a row" in (results[0].detail or "")
    assert "not yet confirmed" not in (results[0].detail or "")
    assert links_exit_code(results, summary, opts) is ExitCode.FINDINGS


def test_success_ends_the_failing_run(server: LoopServer, tmp_cache: Path) -> None:
    clock = Clock()
    opts = fast_options(use_cache=True, cache_path=tmp_cache, clock=clock, ttl_seconds=0)
    url = server.url("/flaky?k=hist&fail=1")
    r1, _ = check_ledger_links(ledger_of(url), fast_options(**{**opts.__dict__, "retries": 0}))
    assert r1[0].history is not None and r1[0].history.consecutive_failures == 1
    clock.t += 60
    r2, _ = check_ledger_links(ledger_of(url), opts)
    assert r2[0].status is LinkStatus.OK
    assert r2[0].history is not None and r2[0].history.failing_since is None
    assert r2[0].history.checks == 2


def test_corrupt_store_is_set_aside_and_rebuilt_with_a_note(
    server: LoopServer, tmp_cache: Path
) -> None:
    broken = b"SQLite format 3\x00" + b"\x10\x00 broken pages" * 100
    tmp_cache.write_bytes(broken)
    opts = fast_options(use_cache=True, cache_path=tmp_cache)
    results, summary = check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert results[0].status is LinkStatus.OK
    assert "rebuilt" in (summary.note or "")
    (backup,) = tmp_cache.parent.glob("links.sqlite3.corrupt-*")
    assert backup.read_bytes() == broken  # kept, byte for byte
    results, summary = check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert results[0].cached and summary.note is None


def archive_ledger(server: LoopServer) -> Ldg:
    return Ldg(
        sources=[
            Src(id="a", url=server.url("/status/404"), title=None, accessed="2022-09"),
            Src(id="b", url=server.url("/status/410"), published="2019"),
            Src(id="c", url=server.url("/ok")),
            Src(id="d", url=server.url("/status/403"), accessed="2020-01-01"),
        ],
        claims=[Clm(id="c1", sources=["a", "b"]), Clm(id="c2", sources=["c", "d"])],
    )


def test_archive_snapshot_chosen_like_the_archive_bot(server: LoopServer) -> None:
    st = server.state
    st.captures[server.url("/status/404")] = [
        ("20210101000000", "200"),
        ("20220915120000", "200"),  # newest good one at or before 2022-09-30: chosen
        ("20220920000000", "404"),  # not good
        ("20221001000000", "200"),  # after the citation date
    ]
    st.captures[server.url("/status/410")] = [("20200505000000", "200")]  # only after: nearest
    opts = fast_options(archive=True, archive_endpoint=server.base)
    results, _ = check_ledger_links(archive_ledger(server), opts)
    by = {r.url: r for r in results}
    assert by[server.url("/status/404")].archive_url == (
        f"{server.base}/web/20220915120000/{server.url('/status/404')}"
    )
    assert by[server.url("/status/410")].archive_url == (
        f"{server.base}/web/20200505000000/{server.url('/status/410')}"
    )
    assert by[server.url("/ok")].archive_url is None  # ok links are not looked up
    assert by[server.url("/status/403")].archive_url is None  # blocked, but never captured
    looked_up = {q["url"] for q in st.cdx_queries}
    assert server.url("/ok") not in looked_up


def test_archive_failure_is_a_note_not_a_crash(server: LoopServer, refused_port: int) -> None:
    opts = fast_options(archive=True, archive_endpoint=f"http://127.0.0.1:{refused_port}")
    results, summary = check_ledger_links(ledger_of(server.url("/status/404")), opts)
    assert results[0].status is LinkStatus.BROKEN and results[0].archive_url is None
    assert "archive lookup failed" in (summary.note or "")


def test_write_archive_edits_only_archive_url(server: LoopServer, tmp_path: Path) -> None:
    server.state.captures[server.url("/status/404")] = [("20220901000000", "200")]
    server.state.captures[server.url("/status/410")] = [("20190101000000", "200")]
    ledger = archive_ledger(server)
    ledger.sources[1].archive_url = "https://old.example/archived"
    data = {
        "version": 1,
        "sources": [
            {
                "id": s.id,
                "title": "T",
                "url": s.url,
                **({"archive_url": s.archive_url} if s.archive_url else {}),
                "notes": "é",
            }
            for s in ledger.sources
        ],
        "claims": [],
    }
    path = tmp_path / "claims.json"
    original = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(original, encoding="utf-8")
    opts = fast_options(archive=True, archive_endpoint=server.base, write_archive=True)
    _, summary = check_ledger_links(ledger, opts, ledger_path=path)
    assert "archive_url written for 1 source" in (summary.note or "")
    new = path.read_text(encoding="utf-8")
    snap = f"{server.base}/web/20220901000000/{server.url('/status/404')}"
    want = original.replace(
        f'"url": "{server.url("/status/404")}",',
        f'"url": "{server.url("/status/404")}",\n      "archive_url": "{snap}",',
    )
    assert new == want  # nothing else changed, in the file's own layout


def test_set_archive_urls_replaces_and_keeps_compact_layout() -> None:
    text = (
        '{"sources": [{"id": "a", "url": "https://x.org/1"}, '
        '{"id":"b","url":"u","archive_url":"old"}]}'
    )
    out = set_archive_urls(text, {"a": "https://web/1", "b": "https://web/2"})
    assert out == (
        '{"sources": [{"id": "a", "url": "https://x.org/1", "archive_url": "https://web/1"}, '
        '{"id":"b","url":"u","archive_url":"https://web/2"}]}'
    )
    with pytest.raises(WritebackError):
        set_archive_urls("not json", {"a": "x"})


def test_shards_are_disjoint_and_split_by_host() -> None:
    urls = [f"https://h{i % 7}.example/p{i}" for i in range(70)] + ["https://www.h0.example/x"]
    shards = [shard_items(urls, urls, k, 3) for k in (1, 2, 3)]
    assert sorted(u for s in shards for u in s) == sorted(urls)
    owners: dict[str, int] = {}
    for k, shard in enumerate(shards):
        for u in shard:
            assert owners.setdefault(site_of(u), k) == k  # one host, one shard
    assert all(shards)
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/3", "4/3", "x", "1/0"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_shard_option_checks_only_its_links(server: LoopServer) -> None:
    port = server.server_address[1]
    urls = [f"http://127.0.0.1:{port}/ok", f"http://localhost:{port}/ok"]
    got = [check_ledger_links(ledger_of(*urls), fast_options(shard=(k, 2)))[0] for k in (1, 2)]
    assert sorted(len(g) for g in got) == [1, 1]
    assert {g[0].url for g in got} == set(urls)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2022", date(2022, 12, 31)),
        ("2022-09", date(2022, 9, 30)),
        ("2024-02", date(2024, 2, 29)),
        ("2022-09-12", date(2022, 9, 12)),
        ("2016-09/2016-12", date(2016, 12, 31)),
        ("2022-09-12T10:00:00Z", date(2022, 9, 12)),
        ("nonsense", None),
        (None, None),
    ],
)
def test_latest_day(text: str | None, day: date | None) -> None:
    assert latest_day(text) == day


def test_one_check_per_distinct_url_with_all_citers(server: LoopServer) -> None:
    url = server.url("/ok")
    ledger = Ldg(
        sources=[
            Src(id="s1", url=url, archive_url=server.url("/web/2020/x")),
            Src(id="s2", url=url),
        ],
        claims=[Clm(id="c1", sources=["s1"]), Clm(id="c2", sources=["s2", "s1"])],
    )
    results, summary = check_ledger_links(ledger, fast_options())
    assert [(r.url, r.kind) for r in results] == [
        (url, "url"),
        (server.url("/web/2020/x"), "archive_url"),
    ]
    assert results[0].sources == ("s1", "s2") and results[0].claims == ("c1", "c2")
    assert results[1].sources == ("s1",)
    assert summary.total == 2


def test_archive_url_is_checked_against_the_cited_title(server: LoopServer) -> None:
    ledger = Ldg(
        sources=[
            Src(id="s1", url=None, archive_url=server.url("/drifted"), title="Climate report")
        ],
        claims=[Clm(id="c1", sources=["s1"])],
    )
    results, _ = check_ledger_links(ledger, fast_options())
    assert results[0].kind == "archive_url"
    from claimcheck.results import LinkWarning

    assert LinkWarning.TITLE_MISMATCH in results[0].warnings


def test_unusable_cache_location(
    server: LoopServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    # A path the user gave must work: the run stops with the reason.
    opts = fast_options(use_cache=True, cache_path=blocker / "links.sqlite3")
    with pytest.raises(LinkOptionsError, match="is a file, not a folder"):
        check_ledger_links(ledger_of(server.url("/ok")), opts)
    assert blocker.read_text() == "not a directory"
    # The default location may fail (a read-only home): the run goes on without a store.
    monkeypatch.setattr(
        "claimcheck.links.check.default_cache_path", lambda: blocker / "links.sqlite3"
    )
    results, summary = check_ledger_links(
        ledger_of(server.url("/ok")), fast_options(use_cache=True)
    )
    assert results[0].status is LinkStatus.OK
    assert summary.note == "link cache unusable so results were not kept"


def crlf_ledger(server: LoopServer) -> tuple[Ldg, str]:
    """A two-source ledger as text with tab indentation (line breaks: LF)."""
    ledger = Ldg(
        sources=[
            Src(id="a", url=server.url("/status/404?crlf")),
            Src(id="b", url=server.url("/ok"), archive_url="https://old.example/b"),
        ],
        claims=[Clm(id="c1", sources=["a", "b"])],
    )
    text = (
        "{\n"
        '\t"version": 1,\n'
        '\t"sources": [\n'
        "\t\t{\n"
        '\t\t\t"id": "a",\n'
        f'\t\t\t"url": "{ledger.sources[0].url}",\n'
        '\t\t\t"notes": "Zoë’s note"\n'
        "\t\t},\n"
        f'\t\t{{"id": "b", "url": "{ledger.sources[1].url}"}}\n'
        "\t],\n"
        '\t"claims": []\n'
        "}\n"
    )
    return ledger, text


@pytest.mark.parametrize(
    ("newline", "bom"),
    [("\r\n", b""), ("\r\n", b"\xef\xbb\xbf"), ("\n", b"\xef\xbb\xbf"), ("\r", b"")],
    ids=["crlf", "crlf-bom", "lf-bom", "cr"],
)
def test_write_archive_keeps_every_other_byte(
    server: LoopServer, tmp_path: Path, newline: str, bom: bytes
) -> None:
    ledger, text = crlf_ledger(server)
    dead = ledger.sources[0].url
    assert dead is not None
    server.state.captures[dead] = [("20220101000000", "200")]
    path = tmp_path / "claims.json"
    original = bom + text.replace("\n", newline).encode("utf-8")
    path.write_bytes(original)
    opts = fast_options(archive=True, archive_endpoint=server.base, write_archive=True)
    _, summary = check_ledger_links(ledger, opts, ledger_path=path)
    snap = f"{server.base}/web/20220101000000/{dead}"
    want = original.replace(
        f'"url": "{dead}",{newline}'.encode(),
        f'"url": "{dead}",{newline}\t\t\t"archive_url": "{snap}",{newline}'.encode(),
    )
    assert want != original
    assert path.read_bytes() == want
    assert summary.note == "archive_url written for 1 source"


def test_write_archive_refuses_a_ledger_that_is_not_utf8(
    server: LoopServer, tmp_path: Path
) -> None:
    ledger, text = crlf_ledger(server)
    server.state.captures[ledger.sources[0].url or ""] = [("20220101000000", "200")]
    path = tmp_path / "claims.json"
    original = text.encode("utf-16")
    path.write_bytes(original)
    opts = fast_options(archive=True, archive_endpoint=server.base, write_archive=True)
    _, summary = check_ledger_links(ledger, opts, ledger_path=path)
    assert summary.note == "archive URLs could not be written to the ledger"
    assert path.read_bytes() == original
