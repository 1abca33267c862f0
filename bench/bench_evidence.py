"""Whole-process benchmark of ``claimcheck evidence`` and ``claimcheck links`` on loopback.

    .venv/bin/python bench/bench_evidence.py [--urls 2000] [--latency 0.05] [--runs 2]
                                             [--mode evidence|links|both]

A server process answers on 127.0.0.2–127.0.0.9 after sleeping ``latency`` per request:
for ``evidence``, article pages of 50–300 KB (the shapes of ``tests/evidence/pages.py``)
and one PDF report in ten; for ``links``, the same pages. A ledger of ``urls`` sources,
each cited by one claim with its passage, is written to a temporary folder and
``claimcheck`` is started as a whole process from the shell (as a user runs it: ``--no-cache
--no-archive --allow-private --max-concurrency 32 --max-per-host 4``). Wall time, user and
system CPU and peak RSS are those of that process. The floor is what the per-host limit
allows: URLs × latency ÷ (hosts × per-host limit) = 3.125 s for the defaults.

Extraction cost is measured apart, in this process, on the same bodies: milliseconds per
HTML page and per PDF.

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
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOSTS = [f"127.0.0.{i}" for i in range(2, 10)]
PDF_EVERY = 10


def bodies() -> list[tuple[bytes, bytes]]:
    """(content type, body) variants: HTML of 50–300 KB and PDF reports, each holding
    the passage."""
    from tests.evidence.pages import cms_article

    out: list[tuple[bytes, bytes]] = []
    for kb in range(50, 301, 25):  # 11 sizes
        paras = max(1, (kb * 1024 - 6000) // 250)
        out.append((b"text/html; charset=utf-8", cms_article(size=paras).encode()))
    return out


def pdfs() -> list[tuple[bytes, bytes]]:
    from tests.evidence.pages import report_pdf

    return [(b"application/pdf", report_pdf(columns=c, pages=p)) for c, p in ((1, 8), (2, 20))]


def serve(port: int, latency: float) -> None:
    """Answer every GET after ``latency`` seconds with page number ``n``'s body."""
    html = bodies()
    pdf = pdfs()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    break
                path = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
                n = int(path.rsplit("/", 1)[-1] or 0)
                await asyncio.sleep(latency)
                ctype, body = pdf[n % 2] if n % PDF_EVERY == 0 else html[n % len(html)]
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: "
                    + ctype
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\nConnection: keep-alive\r\n\r\n"
                    + body
                )
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [
            await asyncio.start_server(handle, h, port, backlog=2048, reuse_address=True)
            for h in HOSTS
        ]
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 900)
        for s in servers:
            s.close()

    asyncio.run(main())


def write_ledger(folder: Path, port: int, urls: int) -> Path:
    from tests.evidence.pages import PASSAGE

    sources = [
        {
            "id": f"s{i}",
            "title": "Report finds 54 stations",
            "url": f"http://{HOSTS[i % 8]}:{port}/doc/{i}",
        }
        for i in range(urls)
    ]
    claims = [
        {
            "id": f"c{i}",
            "kind": "count",
            "text": "54 stations.",
            "quote": "54 stations",
            "sources": [f"s{i}"],
            "measure": "stations",
            "value": 54,
            "passages": [{"source": f"s{i}", "text": PASSAGE}],
        }
        for i in range(urls)
    ]
    data = {
        "sources": sources,
        "measures": [{"id": "stations", "name": "stations"}],
        "claims": claims,
    }
    path = folder / "ledger.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_cli(command: str, ledger: Path) -> dict[str, float | str]:
    exe = Path(sys.executable).parent / "claimcheck"
    cmd = [str(exe), command, str(ledger), "--allow-private", "--no-cache", "--no-archive"]
    cmd += ["--max-concurrency", "32", "--max-per-host", "4", "--format", "json"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.stdout.close()
    data = json.loads(out)
    if command == "evidence":
        summary = data.get("evidence_summary", {}).get("by_verdict", {})
    else:
        summary = data.get("summary", {}).get("by_status", {})
    return {
        "wall": wall,
        "user": usage.ru_utime,
        "sys": usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "exit": os.waitstatus_to_exitcode(status),
        "summary": json.dumps(summary, sort_keys=True),
    }


def extraction_costs() -> None:
    from claimcheck.evidence.extract import extract
    from claimcheck.evidence.locate import search
    from tests.evidence.pages import PASSAGE

    for label, items in (("HTML 50–300 KB", bodies()), ("PDF 8 and 20 pages", pdfs())):
        reps = 5
        started = time.process_time()  # CPU time: less sensitive to a busy machine
        for _ in range(reps):
            for ctype, body in items:
                assert search(extract(body, ctype.decode()), PASSAGE).found
        ms = (time.process_time() - started) / (reps * len(items)) * 1000
        size = sum(len(b) for _, b in items) / len(items) / 1024
        print(f"extraction + search, {label} (mean {size:.0f} KB): {ms:.2f} ms CPU per page")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--mode", choices=["evidence", "links", "both"], default="both")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.port, args.latency)
        return
    floor = args.urls * args.latency / (len(HOSTS) * 4)
    print(
        f"{args.urls} URLs over {len(HOSTS)} hosts, {args.latency * 1000:.0f} ms latency, "
        f"32 in flight, 4 per host: floor {floor:.3f} s; load {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    extraction_costs()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--port", str(port), "--latency", str(args.latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "READY":
            raise SystemExit("benchmark server did not start")
        with tempfile.TemporaryDirectory() as tmp:
            ledger = write_ledger(Path(tmp), port, args.urls)
            modes = ["links", "evidence"] if args.mode == "both" else [args.mode]
            for mode in modes:
                for run in range(1, args.runs + 1):
                    r = run_cli(mode, ledger)
                    wall = float(r["wall"])
                    print(
                        f"claimcheck {mode} run {run}: wall {wall:.2f} s (×{wall / floor:.2f} "
                        f"of floor), user {float(r['user']):.2f} s, sys {float(r['sys']):.2f} s, "
                        f"peak RSS {float(r['rss']):.0f} MB, exit {r['exit']}, {r['summary']}"
                    )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout is not None:
            server.stdout.close()


if __name__ == "__main__":
    main()
