"""Link-checker benchmark on loopback: 2,000 URLs over 8 hosts, 50 ms latency each.

    .venv/bin/python bench/bench_links.py [--urls 2000] [--latency 0.05] [--runs 3]
                                          [--concurrency 64] [--per-host 4]
                                          [--no-burst] [--no-linkinator]

A server process (``bench/loopback.py``) answers on 127.0.0.2–127.0.0.9 after sleeping
``latency`` per request with a small page, and records how many requests each host had
in flight at once. A ledger citing the ``urls`` pages is written to a temporary folder
and ``claimcheck links`` is started from the shell as a user runs it (``--no-cache
--no-archive --allow-private``, JSON to a pipe): wall time, user and system CPU (worker
processes included) and peak memory are those of that whole process. The floor is
what the per-host limit allows: URLs × latency ÷ (hosts × per-host limit). linkinator
(npm) gets the same URLs from an index page on 127.0.0.1, with its global
``--concurrency`` set to the same total parallelism (hosts × per-host limit) and again
at its default of 100.

Nothing here leaves the machine: every address is on 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loopback as lb

LINKBENCH = Path(os.environ.get("LINKBENCH_DIR", "/tmp/linkbench"))


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
    url = f"http://{lb.INDEX_HOST}:{port}/index.html"
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


def statuses(run: lb.Run) -> str:
    summary = run.output.get("summary")
    by_status = summary.get("by_status", {}) if isinstance(summary, dict) else {}
    return json.dumps(by_status, sort_keys=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--no-burst", action="store_true", help="skip the unlimited run")
    ap.add_argument("--no-linkinator", action="store_true")
    args = ap.parse_args()

    floor = lb.floor_seconds(args.urls, args.latency, args.per_host)
    print(
        f"{args.urls} URLs over {len(lb.HOSTS)} hosts, {args.latency * 1000:.0f} ms latency, "
        f"per-host limit {args.per_host}, global limit {args.concurrency}"
    )
    print(
        f"floor = {args.urls} × {args.latency} s ÷ ({len(lb.HOSTS)} × {args.per_host}) "
        f"= {floor:.3f} s; target ≤ ×1.30 = {1.3 * floor:.3f} s"
    )
    with (
        lb.server("small", args.latency, args.urls) as port,
        tempfile.TemporaryDirectory() as tmp,
    ):
        ledger = lb.write_ledger(Path(tmp), port, args.urls, passages=False)
        cmd = lb.claimcheck_command("links", ledger, args.concurrency, args.per_host)
        print(f"$ {shlex.join(cmd)}")
        runs = []
        for n in range(1, args.runs + 1):
            print(f"  ({lb.load_line()})")
            run = lb.run_claimcheck(cmd)
            runs.append(run)
            st = lb.stats(port)
            print(
                f"claimcheck links run {n}: {run.line(floor)}, statuses {statuses(run)}, "
                f"max in flight per host {max(st['peak'].values(), default=0)}"
            )
        walls = sorted(r.wall for r in runs)
        cpu = sorted(r.user + r.sys for r in runs)
        print(
            f"claimcheck links: best {walls[0]:.3f} s (×{walls[0] / floor:.2f}), median "
            f"{walls[len(walls) // 2]:.3f} s (×{walls[len(walls) // 2] / floor:.2f}); "
            f"CPU (user+sys) median {cpu[len(cpu) // 2]:.2f} s "
            f"= {cpu[len(cpu) // 2] / args.urls * 1000:.2f} ms per URL"
        )
        if not args.no_burst:
            # Raw throughput, for comparison with tools that do not limit requests per host.
            burst = lb.run_claimcheck(lb.claimcheck_command("links", ledger, 512, 64))
            st = lb.stats(port)
            print(
                f"claimcheck links --max-per-host 64 --max-concurrency 512 (no politeness, "
                f"like linkinator): wall {burst.wall:.3f} s, user {burst.user:.2f} s, "
                f"peak RSS {burst.rss_mb:.0f} MB, max in flight per host "
                f"{max(st['peak'].values(), default=0)}"
            )
        if args.no_linkinator:
            return
        for conc in (len(lb.HOSTS) * args.per_host, 100):
            res = linkinator(port, conc)
            if res is None:
                print("linkinator: could not be installed (npm install linkinator failed)")
                break
            st = lb.stats(port)
            wall, line = res
            print(
                f"linkinator --concurrency {conc}: {wall:.3f} s (×{wall / floor:.2f} of floor) "
                f"[{line}; requests {st['methods']}; max in flight per host "
                f"{max(st['peak'].values(), default=0)}]"
            )


if __name__ == "__main__":
    main()
