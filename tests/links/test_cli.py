"""``claimcheck links`` end to end, in-process, against the loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from tests.conftest import copy_bundled

from .conftest import LoopServer

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "claims.json"


def ledger_with(tmp_path: Path, urls: list[str]) -> Path:
    """The bundled ledger with its source URLs replaced by ``urls`` (cycled)."""
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    with_url = [s for s in data["sources"] if s.get("url")]
    for i, src in enumerate(with_url):
        src["url"] = urls[i % len(urls)]
        src.pop("archive_url", None)
    # With its article and the gazetteer it includes, both named relative to it.
    return copy_bundled(tmp_path, data)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["links", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_output_and_exit_1(server: LoopServer, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, [server.url("/ok"), server.url("/status/404")])
    code, out, _ = run(
        str(path),
        "--format",
        "json",
        "--allow-private",
        "--no-cache",
        "--archive-endpoint",
        server.base,
    )
    assert code == 1
    doc = json.loads(out)
    link = doc["links"][0]
    for key in ("url", "status", "http_status", "final_url", "redirects", "sources", "claims"):
        assert key in link
    for key in ("elapsed_ms", "archive_url", "warnings", "detail"):
        assert key in link
    assert {entry["status"] for entry in doc["links"]} == {"ok", "broken"}


def test_fail_on_none_exits_0(server: LoopServer, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, [server.url("/status/404")])
    args = [str(path), "-f", "json", "--allow-private", "--no-cache", "--no-archive"]
    assert run(*args, "--fail-on", "none")[0] == 0
    assert run(*args, "--fail-on", "gone,timeout")[0] == 0
    assert run(*args, "--fail-on", "broken")[0] == 1


def test_loopback_refused_without_allow_private(server: LoopServer, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, [server.url("/ok")])
    code, out, _ = run(str(path), "-f", "json", "--no-cache")
    assert code == 0
    assert {entry["status"] for entry in json.loads(out)["links"]} == {"skipped"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "dead"], "unknown status 'dead'"),
        (["--shard", "3/2"], "1 ≤ K ≤ N"),
        (["--shard", "half"], "K/N"),
        (["--exclude", "("], "not a valid regular expression"),
        (["--ttl", "soon"], "duration"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, ["https://a.invalid/"])
    code, _, err = run(str(path), "--no-cache", *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_offline_exits_3_and_calls_nothing_dead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down() -> bool:
        return False

    monkeypatch.setattr("claimcheck.links.check.default_network_probe", down)
    # Names that fail to resolve (the test guard resolves loopback only), not .invalid
    # ones: those never resolve anywhere, so they are unreachable even offline.
    path = ledger_with(tmp_path, ["https://one.example/a", "https://two.example/b"])
    code, out, _ = run(str(path), "-f", "json", "--no-cache")
    assert code == 3
    doc = json.loads(out)
    assert {entry["status"] for entry in doc["links"]} == {"offline"}
    assert doc["summary"]["checked"] is False
    code, out, _ = run(str(path), "--no-cache")
    assert code == 3
    assert "not checked" in out


def test_markdown_junit_github_formats(server: LoopServer, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, [server.url("/ok"), server.url("/status/410")])
    base = [str(path), "--allow-private", "--no-cache", "--no-archive"]
    for fmt in ("markdown", "junit", "github", "table"):
        code, out, _ = run(*base, "-f", fmt)
        assert code == 1, fmt
        assert ("1 gone" if fmt == "table" else "status/410") in out, fmt


def test_write_archive_from_the_cli(server: LoopServer, tmp_path: Path) -> None:
    dead = server.url("/status/404?cli")
    server.state.captures[dead] = [("20220101000000", "200")]
    path = ledger_with(tmp_path, [dead])
    before = json.loads(path.read_text(encoding="utf-8"))
    code, _, err = run(
        str(path),
        "--allow-private",
        "--no-cache",
        "--archive-endpoint",
        server.base,
        "--write-archive",
        "-f",
        "json",
    )
    assert code == 1
    assert "archive_url written" in err
    after = json.loads(path.read_text(encoding="utf-8"))
    changed = [s for s in after["sources"] if s.get("archive_url")]
    assert changed and all(s["url"] == dead for s in changed)
    for src in after["sources"]:
        src.pop("archive_url", None)
    for src in before["sources"]:
        src.pop("archive_url", None)
    assert after == before


def test_cache_file_option(server: LoopServer, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, [server.url("/ok")])
    store = tmp_path / "ci-cache" / "links.sqlite3"
    args = [str(path), "-f", "json", "--allow-private", "--cache", str(store)]
    assert run(*args)[0] == 0
    code, out, _ = run(*args)
    assert code == 0 and store.exists()
    assert all(entry["cached"] for entry in json.loads(out)["links"])


@pytest.mark.parametrize(
    "endpoint",
    ["notaurl", "web.archive.org", "/relative/path", "ftp://web.archive.org", "https://", ""],
)
def test_archive_endpoint_must_be_an_absolute_http_url(endpoint: str, tmp_path: Path) -> None:
    path = ledger_with(tmp_path, ["https://a.invalid/"])
    code, out, err = run(str(path), "--no-cache", "--archive-endpoint", endpoint)
    assert code == 2 and out == ""
    assert "--archive-endpoint must be an absolute http(s) URL" in err
    assert "Traceback" not in err


def test_archive_endpoint_is_checked_by_the_library_too() -> None:
    from claimcheck.links import LinkOptions, LinkOptionsError, check_ledger_links

    from .conftest import ledger_of

    with pytest.raises(LinkOptionsError, match="archive-endpoint"):
        check_ledger_links(ledger_of("https://a.invalid/"), LinkOptions(archive_endpoint="x"))


@pytest.mark.parametrize("columns", ["40", "60", "80", "100", "200"])
def test_help_keeps_the_default_fail_on_list_whole(columns: str) -> None:
    import re

    from claimcheck.results import DEFAULT_FAIL_ON

    result = CliRunner().invoke(app, ["links", "--help"], env={"COLUMNS": columns})
    assert result.exit_code == 0
    text = result.stdout
    block = text[text.index("--fail-on") : text.index("--timeout")]
    flat = re.sub(r"\s+", " ", block)
    names = ", ".join(sorted(s.value for s in DEFAULT_FAIL_ON))
    assert f"Default: {names}." in flat  # no "redirect- loop"
    assert not re.search(r"-\n", block)


def test_the_cache_does_not_change_the_verdict(
    server: LoopServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """7 good links, a refused port and a .invalid name, checked twice with a cache: the
    second run (good links served from the cache) must still call the two unreachable,
    not offline, even though the network probe fails as on a machine without internet."""
    probes: list[int] = []

    async def down() -> bool:
        probes.append(1)
        return False

    monkeypatch.setattr("claimcheck.links.check.default_network_probe", down)
    urls = [server.url(f"/ok?n={i}") for i in range(7)]
    urls += ["http://127.0.0.1:1/", "http://x.invalid/"]
    path = ledger_with(tmp_path, urls[:7])
    # The bundled ledger has 7 sources with a url: the other two links are archive_urls.
    data = json.loads(path.read_text(encoding="utf-8"))
    with_url = [src for src in data["sources"] if src.get("url")]
    assert len(with_url) == 7
    with_url[0]["archive_url"], with_url[1]["archive_url"] = urls[7:]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    args = [str(path), "--allow-private", "--no-archive", "--cache", str(tmp_path / "c.sqlite")]
    verdicts = []
    for _ in range(2):
        code, out, _ = run(*args, "-f", "json")
        doc = json.loads(out)
        by_url = {link["url"]: link for link in doc["links"]}
        verdicts.append((code, {u: by_url[u]["status"] for u in urls}, doc["summary"]))
    (code1, first, summary1), (code2, second, summary2) = verdicts
    assert first == second
    assert [first[u] for u in urls] == ["ok"] * 7 + ["unreachable", "unreachable"]
    assert code1 == code2 == 1
    assert summary1["checked"] is summary2["checked"] is True
    assert summary2["note"] is None
    assert all(by_url[u]["cached"] for u in urls[:7])  # the second run used the cache
    assert probes == []  # a refusal is an answer: no need to ask whether the network is up


def test_bundled_ledger_on_a_machine_without_network_is_offline_exit_3(tmp_path: Path) -> None:
    # The test guard fails every non-loopback name, as on this offline machine: the real
    # probe runs and fails, so nothing is called dead.
    code, out, _ = run("-f", "json", "--cache", str(tmp_path / "c.sqlite"))
    assert code == 3
    doc = json.loads(out)
    assert {entry["status"] for entry in doc["links"]} == {"offline"}
    assert doc["summary"]["note"] == "the network is unreachable"
    code, out, _ = run("--cache", str(tmp_path / "c.sqlite"))
    assert code == 3 and "not checked" in out
