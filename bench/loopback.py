"""What the link and evidence benchmarks share: loopback hosts with latency, the pages
they serve, a ledger citing them, and ``claimcheck`` run as a whole process.

A server process (``python bench/loopback.py --serve …``) answers on 127.0.0.2–127.0.0.9
(one port; 127.0.0.1 serves an index page for linkinator and the statistics) after
sleeping ``latency`` per request, keep-alive, and records how many requests each host had
in flight at once. Pages:

- ``small``: a tiny HTML document whose title and heading are "Document N";
- ``evidence``: WordPress-like articles of 50–300 KB (the shapes of
  ``tests/evidence/pages.py``) and, one page in ten, a PDF report of 8 or 20 pages, each
  holding the passage ``tests.evidence.pages.PASSAGE``.

``claimcheck`` is started from the shell as a user runs it (``--format json``, output to
a pipe); wall time, user and system CPU (its worker processes included) and peak RSS are
those of that process.

Nothing here leaves the machine: every address is on 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTS = [f"127.0.0.{i}" for i in range(2, 10)]
INDEX_HOST = "127.0.0.1"
PDF_EVERY = 10
"""One evidence page in this many is a PDF report."""


def floor_seconds(urls: int, latency: float, per_host: int) -> float:
    """What the per-host limit allows: URLs × latency ÷ (hosts × per-host limit)."""
    return urls * latency / (len(HOSTS) * per_host)


def load_line() -> str:
    """The machine's load, to print next to every figure."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def url_of(port: int, i: int) -> str:
    """The URL of page ``i``: hosts taken in turn."""
    return f"http://{HOSTS[i % len(HOSTS)]}:{port}/doc/{i}"


# --- pages ----------------------------------------------------------------------------


def small_page(n: str) -> bytes:
    """The ``small`` page: its title and first heading name the document."""
    return (
        f"<!doctype html><html><head><title>Document {n}</title></head>"
        f"<body><h1>Document {n}</h1><p>Text.</p></body></html>"
    ).encode()


def html_bodies() -> list[tuple[bytes, bytes]]:
    """(content type, body): WordPress-like articles of 50–300 KB holding the passage."""
    sys.path.insert(0, str(ROOT))
    from tests.evidence.pages import cms_article

    out: list[tuple[bytes, bytes]] = []
    for kb in range(50, 301, 25):  # 11 sizes
        paras = max(1, (kb * 1024 - 6000) // 250)
        out.append((b"text/html; charset=utf-8", cms_article(size=paras).encode()))
    return out


def pdf_bodies() -> list[tuple[bytes, bytes]]:
    """(content type, body): one-column 8-page and two-column 20-page PDF reports."""
    sys.path.insert(0, str(ROOT))
    from tests.evidence.pages import report_pdf

    return [(b"application/pdf", report_pdf(columns=c, pages=p)) for c, p in ((1, 8), (2, 20))]


class Pages:
    """The body served for each path, by kind of benchmark."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.html = html_bodies() if kind == "evidence" else []
        self.pdf = pdf_bodies() if kind == "evidence" else []

    def body(self, n: int, name: str) -> tuple[bytes, bytes]:
        """(content type, body) of page ``n`` (``name`` is the path's last segment)."""
        if self.kind == "small":
            return b"text/html; charset=utf-8", small_page(name)
        if n % PDF_EVERY == 0:
            return self.pdf[n % len(self.pdf)]
        return self.html[n % len(self.html)]


# --- the server (runs in its own process) ---------------------------------------------


def serve(port: int, latency: float, kind: str, urls: int) -> None:
    """Answer every GET/HEAD after ``latency`` seconds, keep-alive, keeping statistics."""
    pages = Pages(kind)
    inflight: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    served: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    links = "\n".join(f'<a href="{url_of(port, i)}">doc {i}</a>' for i in range(urls))
    head = "<!doctype html><html><head><title>index</title></head>"
    index_body = f"{head}<body>{links}</body></html>"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    break
                line = head.split(b"\r\n", 1)[0].decode("latin-1")
                method, path = line.split(" ")[:2]
                methods[method] += 1
                if path == "/__stats":
                    body = json.dumps(
                        {"peak": dict(peak), "served": dict(served), "methods": dict(methods)}
                    ).encode()
                    for c in (peak, served, methods):
                        c.clear()
                    ctype = b"application/json"
                elif path == "/index.html":
                    body, ctype = index_body.encode(), b"text/html; charset=utf-8"
                else:
                    inflight[host] += 1
                    peak[host] = max(peak[host], inflight[host])
                    try:
                        await asyncio.sleep(latency)
                    finally:
                        inflight[host] -= 1
                    served[host] += 1
                    name = path.rsplit("/", 1)[-1]
                    ctype, body = pages.body(int(name) if name.isdigit() else 0, name)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: "
                    + ctype
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\nConnection: keep-alive\r\n\r\n"
                )
                if method != "HEAD":
                    writer.write(body)
                await writer.drain()
                if path == "/__stats":
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [
            await asyncio.start_server(handle, h, port, backlog=2048, reuse_address=True)
            for h in [INDEX_HOST, *HOSTS]
        ]
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        # Stops by itself after 15 minutes whatever happens to the parent.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 900)
        for s in servers:
            s.close()

    asyncio.run(main())


def free_port() -> int:
    """A TCP port free on 127.0.0.1 (the server binds it on every host)."""
    with socket.socket() as s:
        s.bind((INDEX_HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(kind: str, latency: float, urls: int) -> Iterator[int]:
    """Run the server process for the block; yields its port."""
    port = free_port()
    cmd = [sys.executable, __file__, "--serve", "--port", str(port), "--kind", kind]
    cmd += ["--latency", str(latency), "--urls", str(urls)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "READY":
            raise SystemExit("benchmark server did not start")
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def stats(port: int) -> dict[str, dict[str, int]]:
    """The server's statistics since the last call: most in flight per host, served,
    methods."""
    with socket.create_connection((INDEX_HOST, port), timeout=5) as s:
        s.sendall(b"GET /__stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    result: dict[str, dict[str, int]] = json.loads(data.split(b"\r\n\r\n", 1)[1])
    return result


# --- the ledger -------------------------------------------------------------------------


def write_ledger(folder: Path, port: int, urls: int, passages: bool) -> Path:
    """A ledger of ``urls`` sources, each cited by one claim (with the passage its page
    holds when ``passages``); the sources' titles are those of the pages served."""
    sys.path.insert(0, str(ROOT))
    from tests.evidence.pages import PASSAGE

    title = "Report finds 54 stations" if passages else "Document {i}"
    sources = [
        {"id": f"s{i}", "title": title.format(i=i), "url": url_of(port, i)} for i in range(urls)
    ]
    claims = []
    for i in range(urls):
        claim: dict[str, object] = {
            "id": f"c{i}",
            "kind": "count",
            "text": "54 stations.",
            "quote": "54 stations",
            "sources": [f"s{i}"],
            "measure": "stations",
            "value": 54,
        }
        if passages:
            claim["passages"] = [{"source": f"s{i}", "text": PASSAGE}]
        claims.append(claim)
    data = {
        "sources": sources,
        "measures": [{"id": "stations", "name": "stations"}],
        "claims": claims,
    }
    path = folder / "ledger.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- claimcheck as a whole process ------------------------------------------------------


@dataclass
class Run:
    """One whole-process run of claimcheck."""

    wall: float
    user: float
    sys: float
    rss_mb: float
    """Peak memory of the process tree (claimcheck and its workers, proportional set
    sizes summed), or the largest single process's peak RSS if that is more, MB."""
    exit: int
    output: dict[str, object]

    def line(self, floor: float) -> str:
        """Its figures on one line."""
        return (
            f"wall {self.wall:.2f} s (×{self.wall / floor:.2f} of floor), user {self.user:.2f} s, "
            f"sys {self.sys:.2f} s, peak RSS {self.rss_mb:.0f} MB, exit {self.exit}"
        )


def claimcheck_command(
    command: str, ledger: Path, concurrency: int, per_host: int, extra: Sequence[str] = ()
) -> list[str]:
    """The command line a user would type (the bench prints it)."""
    exe = Path(sys.executable).parent / "claimcheck"
    cmd = [str(exe), command, str(ledger), "--allow-private", "--no-cache", "--no-archive"]
    cmd += ["--max-concurrency", str(concurrency), "--max-per-host", str(per_host)]
    return [*cmd, "--format", "json", *extra]


SAMPLE_EVERY = 0.1
"""How often the process tree's memory is sampled. Reading ``smaps_rollup`` costs about
2 ms of CPU per 100 MB process: every 20 ms, for three processes, it took a third of a
core from the two-core run it measured."""


def _memory_kib(pid: int) -> int:
    """Proportional set size of ``pid`` in KiB (pages shared with a forked parent count
    once across the tree), else its resident size."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii", errors="replace") as f:
                for ln in f:
                    if ln.startswith(field):
                        return int(ln.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def _tree_rss(pid: int) -> int:
    """Memory in KiB of ``pid`` and all its descendants (worker processes) together."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        total += _memory_kib(p)
        try:
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_claimcheck(cmd: Sequence[str]) -> Run:
    """Start ``cmd`` and measure it; its JSON report is parsed. Peak memory is that of
    the whole process tree (claimcheck and its worker processes together), sampled every
    :data:`SAMPLE_EVERY` seconds."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_EVERY):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read()
    done.set()
    sampler.join()
    # wait4: the child's own usage, its waited-for worker processes included.
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    proc.stdout.close()
    try:
        data: dict[str, object] = json.loads(out)
    except ValueError:
        data = {}
    return Run(
        wall,
        usage.ru_utime,
        usage.ru_stime,
        max(peak[0], usage.ru_maxrss) / 1024,  # Linux: KiB
        proc.returncode,
        data,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description="The benchmarks' loopback server.")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--kind", choices=["small", "evidence"], default="small")
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--urls", type=int, default=2000)
    args = ap.parse_args()
    serve(args.port, args.latency, args.kind, args.urls)


if __name__ == "__main__":
    main()
