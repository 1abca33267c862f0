"""An archive that answers badly: malformed CDX rows, bombs, endless bodies (issue 7.2).

A loopback server plays the CDX endpoint; every answer it gives is hostile. Nothing it
says may reach the ledger unless it is a well-formed capture, and no answer may cost
more than the cap or crash the run.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from claimcheck.links import check_ledger_links
from claimcheck.links.writeback import WritebackError, write_archive_urls
from claimcheck.results import LinkStatus
from tests.conftest import DATA, copy_bundled
from tests.serving import serving

from .conftest import fast_options


class CdxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CdxServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not self.path.startswith("/cdx/"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        mode = self.server.mode
        if mode == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            deadline = time.monotonic() + 10
            chunk = b" " * 65536
            try:
                self.wfile.write(b'[["timestamp","original","statuscode"]')
                while time.monotonic() < deadline and not self.server.stop.is_set():
                    self.wfile.write(chunk)
                    self.server.sent += len(chunk)
            except OSError:
                pass
            self.close_connection = True
            return
        headers: dict[str, str] = {}
        if mode == "bomb":
            body = bomb_json()
            headers["Content-Encoding"] = "gzip"
        else:
            body = mode.encode() if isinstance(mode, str) else json.dumps(mode).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def bomb_json() -> bytes:
    """A CDX-looking JSON answer of 256 MiB of spaces, gzipped to about 256 KiB."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [z.compress(b'[["timestamp","original","statuscode"]')]
    spaces = b" " * (1 << 20)
    parts += [z.compress(spaces) for _ in range(256)]
    parts.append(z.compress(b"]"))
    parts.append(z.flush())
    return b"".join(parts)


class CdxServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), CdxHandler)
        self.mode: object = "[]"
        self.sent = 0
        self.stop = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def archive() -> Iterator[CdxServer]:
    srv = CdxServer()
    with serving(srv, release=srv.stop):
        yield srv


def dead_ledger(tmp_path: Path, archive: CdxServer) -> tuple[Path, str]:
    """The bundled ledger with one source pointing at a dead page of the archive server."""
    data = json.loads((DATA / "claims.json").read_text(encoding="utf-8"))
    dead = f"{archive.base}/gone"
    for src in data["sources"]:
        src.pop("archive_url", None)
        src.pop("url", None)
    data["sources"][0]["url"] = dead
    return copy_bundled(tmp_path, data), dead


def run(archive: CdxServer, tmp_path: Path, write: bool = True) -> tuple[str, str | None, Path]:
    from claimcheck.loader import load_ledger

    path, _dead = dead_ledger(tmp_path, archive)
    before = path.read_text(encoding="utf-8")
    loaded = load_ledger(path)
    opts = fast_options(
        archive=True, archive_endpoint=archive.base, write_archive=write, timeout=3.0
    )
    results, _summary = check_ledger_links(loaded.ledger, opts, ledger_path=path)
    (result,) = (r for r in results if r.url.endswith("/gone"))
    assert result.status is LinkStatus.BROKEN
    return before, result.archive_url, path


HEADER = ["timestamp", "original", "statuscode"]
URL = "http://example.org/a"


@pytest.mark.parametrize(
    "answer",
    [
        [HEADER, ["2022 01\n0100000", URL, "200"]],  # a timestamp with a space and a newline
        [HEADER, ["None", "None/None", "200"]],
        [HEADER, ["20220101000000"]],  # one field
        [HEADER, ["20220101000000", "javascript:alert(1)", "200"]],
        [HEADER, ["20220101000000", URL, "200", "extra"]],
        [HEADER, ["20220101000000", "http://a.example/\x1b[2J", "200"]],
        [HEADER, [20220101000000, URL, 200]],
        [HEADER, ["20220101000000", URL, "404"]],
        {"not": "a list"},
        [HEADER, "row"],
        "[" * 100_000,
        "garbage \x00",
    ],
    ids=[
        "spaces",
        "none",
        "one-field",
        "scheme",
        "four-fields",
        "escape",
        "numbers",
        "not-2xx",
        "object",
        "string-row",
        "deep",
        "garbage",
    ],
)
def test_a_malformed_answer_is_a_note_and_never_reaches_the_ledger(
    archive: CdxServer, tmp_path: Path, answer: object
) -> None:
    archive.mode = answer
    before, snap, path = run(archive, tmp_path)
    assert snap is None
    assert path.read_text(encoding="utf-8") == before


def test_the_one_well_formed_row_among_bad_ones_is_used(archive: CdxServer, tmp_path: Path) -> None:
    archive.mode = [HEADER, ["bad stamp", URL, "200"], ["20220101000000", URL, "200"]]
    _before, snap, path = run(archive, tmp_path)
    assert snap == f"{archive.base}/web/20220101000000/{URL}"
    assert snap in path.read_text(encoding="utf-8")
    from claimcheck.loader import load_ledger

    load_ledger(path)  # the rewritten ledger is still valid


def test_a_compressed_bomb_is_cut_at_the_cap(archive: CdxServer, tmp_path: Path) -> None:
    archive.mode = "bomb"
    notes: list[str] = []
    path, _dead = dead_ledger(tmp_path, archive)
    from claimcheck.loader import load_ledger

    opts = fast_options(
        archive=True, archive_endpoint=archive.base, timeout=10.0, on_note=notes.append
    )
    results, _summary = check_ledger_links(load_ledger(path).ledger, opts)
    assert all(r.archive_url is None for r in results)
    assert any("longer than 1024 KiB" in n for n in notes), notes


def test_an_endless_answer_is_cut_at_the_cap_not_at_the_timeout(
    archive: CdxServer, tmp_path: Path
) -> None:
    archive.mode = "endless"
    notes: list[str] = []
    path, _dead = dead_ledger(tmp_path, archive)
    from claimcheck.loader import load_ledger

    opts = fast_options(
        archive=True, archive_endpoint=archive.base, timeout=8.0, retries=0, on_note=notes.append
    )
    started = time.monotonic()
    check_ledger_links(load_ledger(path).ledger, opts)
    assert time.monotonic() - started < 6.0
    assert any("longer than 1024 KiB" in n for n in notes), notes


def test_write_back_refuses_an_edit_that_would_make_the_ledger_invalid(tmp_path: Path) -> None:
    path = copy_bundled(tmp_path)
    sid = json.loads(path.read_text(encoding="utf-8"))["sources"][0]["id"]
    before = path.read_bytes()
    with pytest.raises(WritebackError, match="would not be valid"):
        write_archive_urls(path, {sid: "https://web.archive.org/web/2022/" + "x" * 5000})
    with pytest.raises(WritebackError, match="not an http"):
        write_archive_urls(path, {sid: "https://web.archive.org/web/20 22/x"})
    assert path.read_bytes() == before
