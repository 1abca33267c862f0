"""JSON: one object per run, for machines."""

from __future__ import annotations

import json
from typing import TextIO

from claimcheck.results import Listing, Report


def report_object(report: Report) -> dict[str, object]:
    """The report as the fixed JSON contract, one shape for one ledger or several.

    ``verify``/``check``: ``{"ok", "ledger", "exit_code", "counts", "findings", "links",
    "link_summary"?, "ledgers"}``; ``links`` alone: ``{"links", "summary", "ledgers"}``.
    Every finding and link names its ``ledger``; ``ledgers`` has one entry per ledger
    (its path, ``ok``, ``exit_code`` and counts or link summary); the top-level
    ``ledger`` is the path when the run had one ledger, else null. A link cited by
    several ledgers is listed once per ledger; the top-level summary counts it once.
    """
    parts = report.ledger_reports()
    findings = [f.to_json() | {"ledger": p.ledger} for p in parts for f in p.findings]
    links = [link.to_json() | {"ledger": p.ledger} for p in parts for link in p.links or []]
    if report.sections == ("links",):
        return {
            "links": links,
            "summary": _summary(report) | {"ok": report.ok},
            "ledgers": [_entry(p) | {"summary": _summary(p)} for p in parts],
        }
    out: dict[str, object] = {
        "ok": report.ok,
        "ledger": None if report.parts else report.ledger,
        "exit_code": int(report.exit_code),
        "counts": report.counts(),
        "findings": findings,
        "links": links,
    }
    if report.link_summary is not None:
        out["link_summary"] = report.link_summary.to_json()
    out["ledgers"] = [_entry(p) | {"counts": p.counts()} for p in parts]
    return out


def _summary(report: Report) -> dict[str, object]:
    return report.link_summary.to_json() if report.link_summary else {}


def _entry(report: Report) -> dict[str, object]:
    return {"ledger": report.ledger, "ok": report.ok, "exit_code": int(report.exit_code)}


def render(report: Report, out: TextIO) -> None:
    """Write the report as one JSON object."""
    json.dump(report_object(report), out, indent=2, ensure_ascii=False)
    out.write("\n")


def render_listing(listing: Listing, out: TextIO) -> None:
    """Write the listing's records as a JSON array."""
    json.dump(listing.records, out, indent=2, ensure_ascii=False)
    out.write("\n")
