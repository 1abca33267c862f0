"""JSON: one object per run, for machines."""

from __future__ import annotations

import json
from typing import TextIO

from claimcheck.results import Listing, Report


def report_object(report: Report) -> dict[str, object]:
    """The report as the fixed JSON contract.

    ``verify``/``check``: ``{"ok", "findings", "links", ...}``; ``links`` alone:
    ``{"links", "summary"}``.
    """
    links = [link.to_json() for link in report.links] if report.links is not None else []
    if report.sections == ("links",):
        summary = report.link_summary.to_json() if report.link_summary else {}
        return {"links": links, "summary": summary | {"ok": report.ok}}
    out: dict[str, object] = {
        "ok": report.ok,
        "ledger": report.ledger,
        "exit_code": int(report.exit_code),
        "counts": report.counts(),
        "findings": [f.to_json() for f in report.findings],
        "links": links,
    }
    if report.link_summary is not None:
        out["link_summary"] = report.link_summary.to_json()
    if report.evidence is not None:
        out["evidence"] = [e.to_json() for e in report.evidence]
        by_verdict: dict[str, int] = {}
        for e in report.evidence:
            by_verdict[e.verdict.value] = by_verdict.get(e.verdict.value, 0) + 1
        out["evidence_summary"] = {"total": len(report.evidence), "by_verdict": by_verdict}
    return out


def render(report: Report, out: TextIO) -> None:
    """Write the report as one JSON object."""
    json.dump(report_object(report), out, indent=2, ensure_ascii=False)
    out.write("\n")


def render_listing(listing: Listing, out: TextIO) -> None:
    """Write the listing's records as a JSON array."""
    json.dump(listing.records, out, indent=2, ensure_ascii=False)
    out.write("\n")
