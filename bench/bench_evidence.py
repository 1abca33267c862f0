"""Whole-process benchmark of ``claimcheck evidence`` (and ``links``) on loopback.

    .venv/bin/python bench/bench_evidence.py [--urls 2000] [--latency 0.05] [--runs 2]
                                             [--mode evidence|links|both]

A server process (``bench/loopback.py``) answers on 127.0.0.2–127.0.0.9 after sleeping
``latency`` per request with article pages of 50–300 KB (the shapes of
``tests/evidence/pages.py``) and, one page in ten, a PDF report. A ledger of ``urls``
sources, each cited by one claim with its passage, is written to a temporary folder and
``claimcheck`` is started as a whole process from the shell (as a user runs it: ``--no-cache
--no-archive --allow-private --max-concurrency 32 --max-per-host 4``). Wall time, user
and system CPU (worker processes included) and peak memory are those of that process
tree. The floor is what the per-host limit allows: URLs × latency ÷ (hosts × per-host
limit) = 3.125 s for the defaults; the target is 1.5 × the floor.

Extraction cost is measured apart, in this process, on the same bodies: milliseconds of
CPU per HTML page and per PDF, for reading the page as the run does (extraction and
passage search).

Nothing here leaves the machine: every address is on 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loopback as lb

sys.path.insert(0, str(lb.ROOT))

HOSTS = lb.HOSTS
PER_HOST = 4
CONCURRENCY = 32


def extraction_costs() -> None:
    """CPU per page of what the run does with a fetched page once it is in: the link
    check's parse of an HTML page (title, heading, anchors) and ``PassageTaker.take``
    (the marked article or the main text, the passage search), without a store (as the
    runs below, ``--no-cache``) and with one (each page's main text fingerprinted too)."""
    from claimcheck.evidence.run import PassageTaker
    from claimcheck.links.fetch import FetchOutcome, PageInfo
    from claimcheck.links.page import Parsed, WholePage
    from tests.evidence.pages import PASSAGE

    def outcome(ctype: bytes, body: bytes) -> FetchOutcome:
        out = FetchOutcome("u", "u", http_status=200)
        kind, _, charset = ctype.decode().partition("; charset=")
        out.page = PageInfo(content_type=kind, charset=charset or None, body=body)
        if kind == "text/html":
            page = WholePage(body.decode(charset or "utf-8", errors="replace"))
            out.page.parsed = Parsed(page.tree, charset or "utf-8")
        return out

    for label, items in (
        ("HTML 50–300 KB", lb.html_bodies()),
        ("PDF reports of 8 and 20 pages", lb.pdf_bodies()),
    ):
        size = sum(len(b) for _, b in items) / len(items) / 1024
        figures = []
        for store in (False, True):
            taker = PassageTaker(16 * 1024 * 1024, {"u": (PASSAGE,)}, fingerprints=store)
            reps = 5
            started = time.process_time()  # CPU time: less sensitive to a busy machine
            for _ in range(reps):
                for ctype, body in items:
                    learnt = taker.take("u", outcome(ctype, body))
                    assert learnt is not None and learnt.searches[0][1].found
            ms = (time.process_time() - started) / (reps * len(items)) * 1000
            figures.append(f"{ms:.2f} ms {'with a store' if store else 'without a store'}")
        shown = ", ".join(figures)
        print(f"reading a page, {label} (mean {size:.0f} KB), CPU per document: {shown}")


def summary_of(mode: str, run: lb.Run) -> str:
    if mode == "evidence":
        part = run.output.get("evidence_summary")
        by = part.get("by_verdict", {}) if isinstance(part, dict) else {}
    else:
        part = run.output.get("summary")
        by = part.get("by_status", {}) if isinstance(part, dict) else {}
    return json.dumps(by, sort_keys=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--mode", choices=["evidence", "links", "both"], default="both")
    ap.add_argument("--no-extraction", action="store_true", help="skip the per-page costs")
    args = ap.parse_args()
    floor = lb.floor_seconds(args.urls, args.latency, PER_HOST)
    print(
        f"{args.urls} URLs over {len(HOSTS)} hosts, {args.latency * 1000:.0f} ms latency, "
        f"{CONCURRENCY} in flight, {PER_HOST} per host: floor {floor:.3f} s, "
        f"target ≤ ×1.5 = {1.5 * floor:.3f} s; {lb.load_line()}"
    )
    if not args.no_extraction:
        extraction_costs()
    with (
        lb.server("evidence", args.latency, args.urls) as port,
        tempfile.TemporaryDirectory() as tmp,
    ):
        ledger = lb.write_ledger(Path(tmp), port, args.urls, passages=True)
        modes = ["links", "evidence"] if args.mode == "both" else [args.mode]
        for mode in modes:
            cmd = lb.claimcheck_command(mode, ledger, CONCURRENCY, PER_HOST)
            print(f"$ {shlex.join(cmd)}")
            for n in range(1, args.runs + 1):
                print(f"  ({lb.load_line()})")
                run = lb.run_claimcheck(cmd)
                print(
                    f"claimcheck {mode} run {n}: {run.line(floor)}, "
                    f"CPU {(run.user + run.sys) / args.urls * 1000:.2f} ms per page, "
                    f"{summary_of(mode, run)}"
                )


if __name__ == "__main__":
    main()
