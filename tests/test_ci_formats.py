"""The CI formats as a CI job reads them: several reports from one run, SARIF checked
against the official schema, GitHub's annotation limits, JUnit for test history, and a
JSON error document whatever stopped the run."""

from __future__ import annotations

import json
import re
import socket
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from claimcheck.reporters import REPORTERS
from tests.conftest import minimal_ledger
from tests.serving import serving

# --- a loopback server that counts what it is asked ------------------------------------------


class Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[Counter[str]] = Counter()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        Counting.hits[self.path] += 1
        code = 404 if self.path.startswith("/dead") else 200
        body = b"<html><head><title>Three stations</title></head><body>x</body></html>"
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    srv.daemon_threads = True
    with serving(srv):
        yield f"http://127.0.0.1:{srv.server_address[1]}"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolve(host: object, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.startswith("127.") or name == "localhost":
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        raise socket.gaierror(socket.EAI_NONAME, f"tests resolve loopback only, not {name}")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


LINK_ARGS = ["--allow-private", "--no-cache", "--no-archive", "--retries", "0"]


def _with_document(data: dict[str, Any]) -> dict[str, Any]:
    """The ledger names doc.txt (which ``write_ledger(document=…)`` writes) as its article."""
    return data | {"document": {"title": "An article", "text": "doc.txt"}}


def _linked_ledger(site: str, tag: str) -> dict[str, Any]:
    data = _with_document(minimal_ledger())
    data["sources"] = [
        {"id": "s", "title": "Three stations", "url": f"{site}/ok-{tag}"},
        {"id": "t", "title": "Three stations", "url": f"{site}/dead-{tag}"},
    ]
    data["claims"][0]["sources"] = ["s", "t"]
    return data


# --- several reports, one run ------------------------------------------------------------------


def test_every_report_comes_from_one_run_and_nothing_is_fetched_twice(
    cli, write_ledger, site: str, tmp_path: Path
) -> None:
    path = write_ledger(_linked_ledger(site, "one"), document="There were three stations.")
    files = {fmt: tmp_path / f"report.{fmt}" for fmt in REPORTERS}
    args = [a for fmt, p in files.items() for a in ("--report", f"{fmt}={p}")]
    result = cli("verify", path, "-f", "json", *args, *LINK_ARGS)
    assert result.exit_code == 1, result.stderr  # the dead link fails the run
    assert Counting.hits["/ok-one"] == 1 and Counting.hits["/dead-one"] == 1
    # The JSON file is the very report printed on stdout: same run, same timings.
    assert files["json"].read_text(encoding="utf-8") == result.stdout
    ET.fromstring(files["junit"].read_text(encoding="utf-8"))
    sarif = json.loads(files["sarif"].read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"links.broken"}
    assert "::error " in files["github"].read_text(encoding="utf-8")
    assert files["markdown"].read_text(encoding="utf-8").startswith("## claimcheck verify")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("xml=out.xml", "unknown format 'xml'"),
        ("junit", "'junit' is not FORMAT=PATH"),
        ("junit=", "'junit=' is not FORMAT=PATH"),
        ("junit=nowhere/out.xml", "no folder nowhere"),
        ("junit=.", "is a folder"),
    ],
)
def test_a_bad_report_option_stops_before_any_work(
    cli, write_ledger, site: str, value: str, says: str, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_ledger(_linked_ledger(site, "bad"), document="There were three stations.")
    result = cli("links", path, "-f", "json", "--report", value, *LINK_ARGS)
    assert result.exit_code == 2
    assert says in result.stderr
    assert Counting.hits["/ok-bad"] == 0  # refused before any link was fetched
    data = json.loads(result.stdout)
    assert data["command"] == "links" and says in data["errors"][0]["message"]


def test_a_report_to_a_device_or_a_fifo_is_streamed_never_replaced(
    cli, write_ledger, tmp_path: Path
) -> None:
    import os
    import stat

    path = write_ledger(minimal_ledger(), document="There were three stations.")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli("check", path, "--report", "json=/dev/null", "--report", f"junit={fifo}")
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    ET.fromstring(received[0])  # the whole JUnit document came through the pipe


def test_a_read_only_report_file_is_refused_before_any_work(
    cli, write_ledger, tmp_path: Path
) -> None:
    path = write_ledger(minimal_ledger(), document="There were three stations.")
    target = tmp_path / "locked.xml"
    target.write_text("keep me", encoding="utf-8")
    target.chmod(0o444)
    result = cli("check", path, "--report", f"junit={target}")
    assert result.exit_code == 2 and "--report" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def test_a_report_that_cannot_be_written_fails_the_run(
    cli, write_ledger, tmp_path: Path, monkeypatch
) -> None:
    import errno

    import claimcheck.atomic

    def disk_full(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(claimcheck.atomic, "write_atomic", disk_full)
    path = write_ledger(minimal_ledger(), document="There were three stations.")
    target = tmp_path / "out.xml"
    result = cli("check", path, "-f", "json", "--report", f"junit={target}")
    assert result.exit_code == 2
    assert f"cannot write the junit report to {target}: No space left" in result.stderr
    assert json.loads(result.stdout)["ok"] is True  # stdout still has the report


def test_ledger_errors_reach_every_report_file(cli, write_ledger, tmp_path: Path) -> None:
    path = write_ledger({"sources": [], "claims": [{"id": "c"}]})
    junit, sarif = tmp_path / "r.xml", tmp_path / "r.sarif"
    result = cli("verify", path, "--offline", "--report", f"junit={junit}",
                 "--report", f"sarif={sarif}")  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""  # table on stdout: the problems are on stderr
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    assert root.find(".//failure") is not None
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert log["runs"][0]["results"][0]["level"] == "error"


# --- JSON: one shape per command, whatever happened ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (["verify", "--offline", "--timeout", "soon"], {"counts", "findings", "link_summary"}),
        (["check", "--no-such-option"], {"counts", "findings", "link_summary"}),
        (["links", "--fail-on", "nonsense"], {"links", "summary"}),
        (["claims", "--place", "atlantis"], {"claims"}),
        (["sources", "/no/such/ledger.json"], {"sources"}),
    ],
)
def test_usage_errors_under_json_are_a_json_document(cli, args: list[str], keys: set[str]) -> None:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["command"] == args[0] and data["ok"] is False and data["exit_code"] == 2
    assert data["errors"] and all(e["message"] for e in data["errors"])
    assert keys <= set(data)


def test_success_and_failure_have_the_same_keys(cli, write_ledger) -> None:
    good = cli("verify", "--offline", "-f", "json")
    bad = cli("verify", "--offline", "-f", "json", write_ledger({"claims": []}))
    assert good.exit_code == 0 and bad.exit_code == 2
    assert set(json.loads(good.stdout)) == set(json.loads(bad.stdout))
    claims_ok = json.loads(cli("claims", "-f", "json").stdout)
    claims_bad = json.loads(cli("claims", "-f", "json", "--kind", "count", "--source", "x").stdout)
    assert set(claims_ok) == set(claims_bad) and type(claims_ok["claims"]) is list


# --- SARIF ----------------------------------------------------------------------------------------


def _sarif_errors(log: dict[str, Any]) -> list[str]:
    from sarif_kit.validate import validation_errors

    return validation_errors(log)


def test_sarif_is_valid_and_located_with_a_rule_for_every_kind(cli, write_ledger, site) -> None:
    path = write_ledger(_linked_ledger(site, "sarif"), document="Nothing here.")
    result = cli("verify", path, "-f", "sarif", *LINK_ARGS)
    log = json.loads(result.stdout)
    assert _sarif_errors(log) == []
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    # One rule per check and per link status and warning, each with help text.
    for rule_id in ("anchor.quote", "consistency.containment", "check.sum", "links.broken",
                    "links.soft-404", "links.title-mismatch", "schema"):  # fmt: skip
        assert rules[rule_id]["help"]["text"], rule_id
    by_rule = {r["ruleId"]: r for r in run["results"]}
    quote = by_rule["anchor.quote"]["locations"][0]["physicalLocation"]
    assert quote["artifactLocation"]["uri"].endswith("ledger.json")
    assert quote["region"]["startLine"] > 1 and quote["region"]["startColumn"] >= 1
    broken = by_rule["links.broken"]
    assert broken["level"] == "error"
    line = broken["locations"][0]["physicalLocation"]["region"]["startLine"]
    text = path.read_text(encoding="utf-8").splitlines()
    assert "/dead-sarif" in text[line - 1]  # the line of the URL in the ledger
    assert all(r["ruleIndex"] == list(rules).index(r["ruleId"]) for r in run["results"])
    from claimcheck.evidence.verdict import Verdict
    from claimcheck.results import LinkStatus, LinkWarning

    # Every link status and warning and every evidence verdict has its rule.
    for name in [*LinkStatus, *LinkWarning]:
        assert rules[f"links.{name.value}"]["help"]["text"]
    for verdict in Verdict:
        assert rules[f"evidence.{verdict.value}"]["help"]["text"]


def test_sarif_of_the_bundled_ledger_validates(cli) -> None:
    log = json.loads(cli("verify", "--offline", "-f", "sarif").stdout)
    assert _sarif_errors(log) == []
    assert log["runs"][0]["invocations"][0]["exitCode"] == 0


# --- GitHub annotations ---------------------------------------------------------------------


def _many_problems() -> dict[str, Any]:
    """A ledger with 12 failing quotes (errors) and a source without a URL (a warning)."""
    data = _with_document(minimal_ledger())
    claims = []
    for i in range(12):
        claims.append(dict(data["claims"][0], id=f"c{i}", quote=f"missing quote {i}"))
    data["claims"] = claims
    data["sources"] = [{"id": "s", "title": "S"}]  # no URL: one warning
    return data


def _annotations(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^::(error|warning|notice) ([^:]*)::", text, re.MULTILINE)


def test_github_shows_ten_of_a_kind_most_severe_first_then_counts_the_rest(
    cli, write_ledger
) -> None:
    path = write_ledger(_many_problems(), document="There were three stations.")
    out = cli("verify", path, "--offline", "-f", "github").stdout
    found = _annotations(out)
    levels = [lv for lv, _ in found]
    assert levels.count("error") == 10 and levels.count("warning") <= 10
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)
    assert levels.count("notice") <= 10
    more = [ln for ln in out.splitlines() if ln.startswith("::notice title=more findings::")]
    # 12 quotes not found and 11 figures not in their quote ("quote 3" has its 3): 23.
    assert len(more) == 1 and "::13 errors more, not annotated" in more[0]
    # The errors beyond the limit are still in the log, as plain lines.
    assert sum(1 for ln in out.splitlines() if ln.startswith("  error: ")) == 13


def test_github_paths_are_relative_to_the_workspace(cli, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "repo" / "ledgers").mkdir(parents=True)
    ledger = tmp_path / "repo" / "ledgers" / "news.json"
    ledger.write_text(json.dumps(_many_problems(), indent=2), encoding="utf-8")
    (tmp_path / "repo" / "ledgers" / "doc.txt").write_text("Three.", encoding="utf-8")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    monkeypatch.chdir(tmp_path / "repo" / "ledgers")  # the step runs in a subfolder
    out = cli("verify", "news.json", "--offline", "-f", "github").stdout
    files = {re.search(r"file=([^,]*)", props).group(1) for _, props in _annotations(out)  # type: ignore[union-attr]
             if "file=" in props}  # fmt: skip
    assert files == {"ledgers/news.json"}


def test_github_link_annotations_carry_the_line_of_their_url(cli, write_ledger, site) -> None:
    path = write_ledger(_linked_ledger(site, "gh"), document="There were three stations.")
    out = cli("verify", path, "-f", "github", *LINK_ARGS).stdout
    line = re.search(r"^::error file=[^,]*,line=(\d+),col=\d+,title=link broken::", out, re.M)
    assert line is not None, out
    assert "/dead-gh" in path.read_text(encoding="utf-8").splitlines()[int(line.group(1)) - 1]


def test_no_annotation_for_a_plain_offline_run(cli, write_ledger) -> None:
    path = write_ledger(_with_document(minimal_ledger()), document="There were three stations.")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sources"][0]["url"] = "https://example.org/three"
    data["sources"][0]["published"] = "2022"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    out = cli("verify", path, "--offline", "-f", "github").stdout
    assert _annotations(out) == [], out


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_has_times_files_lines_and_stable_unique_names(cli, write_ledger, site) -> None:
    path = write_ledger(_linked_ledger(site, "junit"), document="Nothing.")
    runs = [cli("verify", path, "-f", "junit", *LINK_ARGS).stdout for _ in range(2)]
    roots = [ET.fromstring(r) for r in runs]
    for root in roots:
        assert float(root.get("time", "x")) >= 0
        for suite in root.iter("testsuite"):
            assert float(suite.get("time", "x")) >= 0 and suite.get("file")
        cases = list(root.iter("testcase"))
        names = [(c.get("classname"), c.get("name")) for c in cases]
        assert len(set(names)) == len(names)  # unique
        assert all(c.get("time") is not None and c.get("file") for c in cases)
        assert any(c.get("line") for c in cases if c.get("classname") == "anchor.quote")
        assert all(len(c.get("name", "")) <= 1000 for c in cases)
        assert not [c for c in cases if c.find("skipped") is not None]
    # Stable: the same cases by name in both runs (test history follows them).
    assert [(c.get("classname"), c.get("name")) for c in roots[0].iter("testcase")] == [
        (c.get("classname"), c.get("name")) for c in roots[1].iter("testcase")
    ]


def test_junit_names_are_never_cut(cli, write_ledger) -> None:
    data = minimal_ledger()
    ids = [f"claim-with-a-long-id-{i:03d}" for i in range(12)]
    data["claims"] = [dict(data["claims"][0], id=cid) for cid in ids]
    path = write_ledger(data, document="There were three stations.")
    root = ET.fromstring(cli("verify", path, "--offline", "-f", "junit").stdout)
    names = [c.get("name", "") for c in root.iter("testcase")]
    longest = max(names, key=len)
    assert len(longest) > 200 and all(cid in longest for cid in ids)
