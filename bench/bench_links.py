"""Link-checker benchmark on loopback: 2,000 URLs over 8 hosts, 50 ms latency each.

    .venv/bin/python bench/bench_links.py [--urls 2000] [--latency 0.05] [--runs 3]
                                          [--no-linkinator]

A server process answers on 127.0.0.2–127.0.0.9 (one port) after sleeping ``latency`` per
request, and records how many requests each host had in flight at once. claimcheck runs in
a child process (library API, no cache, no archive lookups) so its wall time and peak RSS
are its own. The floor is what the per-host limit allows:
URLs × latency ÷ (hosts × per-host limit). linkinator (npm) gets the same URLs from an
index page on 127.0.0.1, with its global ``--concurrency`` set to the same total
parallelism (hosts × per-host limit) and again at its default of 100.

Nothing here leaves the machine: every address is on 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HOSTS = [f"127.0.0.{i}" for i in range(2, 10)]
INDEX_HOST = "127.0.0.1"
LINKBENCH = Path(os.environ.get("LINKBENCH_DIR", "/tmp/linkbench"))


# --- the server (runs in its own process) -------------------------------------------------


def serve(port: int, latency: float, urls: int) -> None:
    """Answer every GET/HEAD after ``latency`` seconds, keep-alive, and keep statistics."""
    inflight: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    served: Counter[str] = Counter()
    methods: Counter[str] = Counter()

    def index() -> bytes:
        links = "\n".join(
            f'<a href="http://{HOSTS[i % len(HOSTS)]}:{port}/doc/{i}">doc {i}</a>'
            for i in range(urls)
        )
        head = "<!doctype html><html><head><title>index</title></head><body>"
        return f"{head}{links}</body></html>".encode()

    index_body = index()

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
                    peak.clear()
                    served.clear()
                    methods.clear()
                    ctype = b"application/json"
                elif path == "/index.html":
                    body, ctype = index_body, b"text/html; charset=utf-8"
                else:
                    inflight[host] += 1
                    peak[host] = max(peak[host], inflight[host])
                    try:
                        await asyncio.sleep(latency)
                    finally:
                        inflight[host] -= 1
                    served[host] += 1
                    n = path.rsplit("/", 1)[-1]
                    body = (
                        f"<!doctype html><html><head><title>Document {n}</title></head>"
                        f"<body><h1>Document {n}</h1><p>Text.</p></body></html>"
                    ).encode()
                    ctype = b"text/html; charset=utf-8"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: "
                    + ctype
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\nConnection: keep-alive\r\n\r\n"
                    + (b"" if method == "HEAD" else body)
                )
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
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        # Stops by itself after 15 minutes whatever happens to the parent.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 900)
        for s in servers:
            s.close()

    asyncio.run(main())


# --- claimcheck in a child process --------------------------------------------------------


def child(port: int, urls: int, per_host: int, concurrency: int) -> None:
    """Run the library check and print its figures as JSON."""
    from dataclasses import dataclass

    from claimcheck.links import LinkOptions, check_ledger_links

    @dataclass
    class Src:
        id: str
        url: str
        title: str
        archive_url: str | None = None
        published: str | None = None
        accessed: str | None = None

    @dataclass
    class Clm:
        id: str
        sources: list[str]

    @dataclass
    class Ldg:
        sources: list[Src]
        claims: list[Clm]

    sources = [
        Src(id=f"s{i}", url=f"http://{HOSTS[i % len(HOSTS)]}:{port}/doc/{i}", title=f"Document {i}")
        for i in range(urls)
    ]
    ledger = Ldg(sources=sources, claims=[Clm(id=f"c{i}", sources=[f"s{i}"]) for i in range(urls)])
    options = LinkOptions(
        allow_private=True,
        use_cache=False,
        archive=False,
        max_per_host=per_host,
        max_concurrency=concurrency,
        timeout=20,
    )
    started = time.perf_counter()
    _results, summary = check_ledger_links(ledger, options)
    wall = time.perf_counter() - started
    sys.stdout.write(json.dumps({"wall": wall, "by_status": summary.by_status}) + "\n")


def run_child(port: int, urls: int, per_host: int, concurrency: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", "--port", str(port), "--urls", str(urls)]
    cmd += ["--per-host", str(per_host), "--concurrency", str(concurrency)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    total = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"claimcheck child failed with {proc.returncode}")
    data: dict[str, object] = json.loads(out)
    data["process_wall"] = total
    data["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
    return data


def stats(port: int) -> dict[str, dict[str, int]]:
    with socket.create_connection((INDEX_HOST, port), timeout=5) as s:
        s.sendall(b"GET /__stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    result: dict[str, dict[str, int]] = json.loads(data.split(b"\r\n\r\n", 1)[1])
    return result


def linkinator(port: int, concurrency: int) -> tuple[float, str] | None:
    """Run linkinator on the index page; (wall seconds, its summary line) or None."""
    exe = LINKBENCH / "node_modules" / ".bin" / "linkinator"
    if not exe.exists():
        if shutil.which("npm") is None:
            return None
        LINKBENCH.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=LINKBENCH, capture_output=True, timeout=120)
        install = subprocess.run(
            ["npm", "install", "linkinator"], cwd=LINKBENCH, capture_output=True, timeout=300
        )
        if install.returncode != 0 or not exe.exists():
            return None
    url = f"http://{INDEX_HOST}:{port}/index.html"
    cmd = [str(exe), url, "--concurrency", str(concurrency), "--timeout", "20000"]
    cmd += ["--format", "json"]
    started = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, timeout=600, text=True)
    wall = time.perf_counter() - started
    try:
        doc = json.loads(r.stdout)
        links = doc.get("links", [])
        states = Counter(link.get("state") for link in links)
        line = f"{len(links)} links, " + ", ".join(f"{n} {s}" for s, n in states.items())
    except json.JSONDecodeError:
        # Some versions print log lines around the JSON: count the states instead.
        states = Counter(re.findall(r'"state":\s*"(\w+)"', r.stdout))
        line = ", ".join(f"{n} {s}" for s, n in states.items()) or r.stderr[-200:]
    return wall, line


def free_port() -> int:
    with socket.socket() as s:
        s.bind((INDEX_HOST, 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--no-linkinator", action="store_true")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.port, args.latency, args.urls)
        return
    if args.child:
        child(args.port, args.urls, args.per_host, args.concurrency)
        return

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--port",
            str(port),
            "--urls",
            str(args.urls),
            "--latency",
            str(args.latency),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "READY":
            raise SystemExit("benchmark server did not start")
        floor = args.urls * args.latency / (len(HOSTS) * args.per_host)
        print(
            f"{args.urls} URLs over {len(HOSTS)} hosts, {args.latency * 1000:.0f} ms latency, "
            f"per-host limit {args.per_host}, global limit {args.concurrency}"
        )
        print(
            f"floor = {args.urls} × {args.latency} s ÷ ({len(HOSTS)} × {args.per_host}) "
            f"= {floor:.3f} s"
        )
        walls = []
        for run in range(1, args.runs + 1):
            data = run_child(port, args.urls, args.per_host, args.concurrency)
            st = stats(port)
            wall = float(data["wall"])  # type: ignore[arg-type]
            walls.append(wall)
            print(
                f"claimcheck run {run}: {wall:.3f} s (×{wall / floor:.2f} of floor; process "
                f"{float(data['process_wall']):.2f} s), peak RSS "  # type: ignore[arg-type]
                f"{float(data['peak_rss_mb']):.1f} MB, statuses {data['by_status']}, "  # type: ignore[arg-type]
                f"max in flight per host {max(st['peak'].values(), default=0)}"
            )
        best = min(walls)
        median = sorted(walls)[len(walls) // 2]
        print(
            f"claimcheck: best {best:.3f} s (×{best / floor:.2f}), median {median:.3f} s "
            f"(×{median / floor:.2f}); target ≤ ×1.30 = {1.3 * floor:.3f} s"
        )
        # Raw throughput, for comparison with tools that do not limit requests per host.
        burst = run_child(port, args.urls, 64, 512)
        st = stats(port)
        print(
            f"claimcheck --max-per-host 64 --max-concurrency 512 (no politeness, like "
            f"linkinator): {float(burst['wall']):.3f} s, peak RSS "  # type: ignore[arg-type]
            f"{float(burst['peak_rss_mb']):.1f} MB, "  # type: ignore[arg-type]
            f"max in flight per host {max(st['peak'].values(), default=0)}"
        )
        if args.no_linkinator:
            return
        for conc in (len(HOSTS) * args.per_host, 100):
            res = linkinator(port, conc)
            if res is None:
                print("linkinator: could not be installed (npm install linkinator failed)")
                break
            st = stats(port)
            wall, line = res
            print(
                f"linkinator --concurrency {conc}: {wall:.3f} s (×{wall / floor:.2f} of floor) "
                f"[{line}; requests {st['methods']}; max in flight per host "
                f"{max(st['peak'].values(), default=0)}]"
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
