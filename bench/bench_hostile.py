"""Cost bounds of issue 7.13, measured in child processes: wall time and peak RSS.

    .venv/bin/python bench/bench_hostile.py [--quick]

1. ``verify --offline`` on the bundled ledger whose article is padded to 30 MB (goal:
   under 300 MB and 5 s);
2. ``check`` on a ~6 MB ledger with ~400,000 schema errors (bounded: the first 200 are
   located, then a count);
3. the same errors in the ledger minified and indented (locating must be linear: the
   two should cost about the same);
4. ``links`` and ``evidence`` with 1, 64 and 128 requests in flight on loopback pages of
   2 MiB each that must be read to the cap (no end of head, a fragment that is not
   there): memory per request in flight is the growth of peak RSS over one request in
   flight, divided by the extra requests. ``links`` streams bodies; ``evidence`` keeps
   each page (up to ``--max-page-size``) until its text is extracted.

Each figure: wall time, user+sys CPU time, peak RSS of the child process.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


# The child is started by a small launcher that reports its rusage: a child exec'd
# straight from this process would count this process's own peak (Linux carries the
# parent's high-water mark across fork and exec) once this process has grown.
LAUNCHER = """
import resource, subprocess, sys, time
started = time.monotonic()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.monotonic() - started
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, u.ru_maxrss, code, u.ru_utime + u.ru_stime)
"""


def measure(args: list[str], cwd: Path | None = None) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS (MB), exit code and user+sys CPU seconds of one child."""
    out = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args], cwd=cwd, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2]), float(out[3])


def claimcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimcheck", *args]


def big_article(tmp: Path, megabytes: int) -> Path:
    shutil.copy(DATA / "claims.json", tmp / "claims.json")
    for name in json.loads((DATA / "claims.json").read_text(encoding="utf-8")).get("includes", []):
        shutil.copy(DATA / name, tmp / name)  # the gazetteer the ledger includes
    text = (DATA / "article.txt").read_text(encoding="utf-8")
    filler = (
        "Filler paragraph that repeats so the article reaches the size under test, "
        "with numbers such as 12, 30 and 54 and dates like 12 September 2022.\n"
    )
    with open(tmp / "article.txt", "w", encoding="utf-8") as fh:
        fh.write(text)
        written = len(text.encode())
        block = filler * 1000
        while written < megabytes * 1_000_000:
            fh.write(block)
            written += len(block)
    return tmp / "claims.json"


def error_ledger(tmp: Path, claims: int, indent: int | None) -> Path:
    bad = {"id": 1, "kind": "count", "text": 2, "quote": 3, "sources": "s", "value": "x"}
    data = {"sources": [{"id": "s", "title": "S"}], "claims": [bad] * claims}
    path = tmp / f"errors-{indent}.json"
    path.write_text(json.dumps(data, indent=indent), encoding="utf-8")
    return path


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # No closing head and no element with the id asked for: the checker must read it all,
    # up to the 2 MiB cap.
    body = b"<html><head><title>T</title><body>" + b"x" * (2 * 1024 * 1024)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        half = len(self.body) // 2
        self.wfile.write(self.body[:half])
        self.wfile.flush()
        time.sleep(1.0)  # every request is in flight at once, half read
        self.wfile.write(self.body[half:])


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the checker hangs up once it has read the cap: expected


def pages_memory(tmp: Path, command: str, in_flight: int) -> tuple[float, float, int, float]:
    """``links`` (bodies streamed) or ``evidence`` (bodies kept) with ``in_flight``
    requests at once, each on a 2 MiB page."""
    srv = PageServer(("0.0.0.0", 0), Pages)  # 127.0.0.2+ are the hosts
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    # One host per request so the per-host limit does not hold them back.
    urls = [f"http://127.0.0.{2 + i % 250}:{port}/p{i}#frag" for i in range(in_flight)]
    claims = [
        {
            "id": f"c{i}",
            "kind": "count",
            "text": "A claim",
            "quote": "54 stations",
            "sources": [f"s{i}"],
            "measure": "m",
            "value": 54,
            "passages": [{"source": f"s{i}", "text": "54 stations were found"}],
        }
        for i in range(in_flight)
    ]
    data = {
        "sources": [{"id": f"s{i}", "title": "T", "url": u} for i, u in enumerate(urls)],
        "measures": [{"id": "m", "name": "m"}],
        "claims": claims if command == "evidence" else [],
    }
    path = tmp / f"{command}-{in_flight}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        return measure(
            claimcheck(
                command, str(path), "--no-cache", "--no-archive", "--allow-private",
                "--max-concurrency", str(in_flight), "--max-per-host", "4",
                "--timeout", "30", "--format", "json",
            )
        )  # fmt: skip
    finally:
        srv.shutdown()
        srv.server_close()


def main() -> None:
    quick = "--quick" in sys.argv
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    print(f"load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        base = measure(claimcheck("verify", "--offline", str(DATA / "claims.json")))
        print(f"baseline verify --offline, bundled ledger: {_figures(base)}")
        for mb in (10,) if quick else (10, 30):
            ledger = big_article(tmp, mb)
            got = measure(claimcheck("verify", "--offline", str(ledger)))
            print(f"verify --offline, {mb} MB article: {_figures(got)}")
        claims = 20_000 if quick else 70_000
        for indent in (None, 2):
            ledger = error_ledger(tmp, claims, indent)
            size = ledger.stat().st_size / 1e6
            got = measure(claimcheck("check", str(ledger)))
            shape = "minified" if indent is None else "indented"
            what = f"check, {size:.1f} MB {shape} ledger, ~{claims * 6:,} schema errors"
            print(f"{what}: {_figures(got)}")
        for command in ("links", "evidence"):
            one = pages_memory(tmp, command, 1)
            print(f"{command}, 1 request in flight on 2 MiB pages: {_figures(one)}")
            for n in (64, 128):
                got = pages_memory(tmp, command, n)
                each = (got[1] - one[1]) / (n - 1)
                print(
                    f"{command}, {n} requests in flight on 2 MiB pages: {_figures(got)}, "
                    f"{each:.2f} MB per request in flight beyond the first"
                )


def _figures(got: tuple[float, float, int, float]) -> str:
    wall, rss, code, cpu = got
    return f"{wall:.2f} s wall, {cpu:.2f} s user+sys, {rss:.0f} MB peak RSS (exit {code})"


if __name__ == "__main__":
    main()
