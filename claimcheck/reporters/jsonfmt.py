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
    return out


def render(report: Report, out: TextIO) -> None:
    """Write the report as one JSON object."""
    write_object(report_object(report), out)


def write_object(obj: dict[str, object], out: TextIO) -> None:
    """``obj`` indented, each item of a list of objects on one line.

    ``json.dump(indent=2)`` runs the pure-Python encoder and takes seconds over 100,000
    findings; the C encoder writes each finding, and only the frame is indented by hand.
    """
    compact = json.JSONEncoder(ensure_ascii=False).encode
    parts = []
    for key, value in obj.items():
        head = f"  {compact(key)}: "
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            body = ",\n    ".join(compact(v) for v in value)
            parts.append(f"{head}[\n    {body}\n  ]")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
            parts.append(head + text.replace("\n", "\n  "))
    out.write("{\n" + ",\n".join(parts) + "\n}\n" if parts else "{}\n")


def render_listing(listing: Listing, out: TextIO) -> None:
    """Write the listing's records as a JSON array."""
    json.dump(listing.records, out, indent=2, ensure_ascii=False)
    out.write("\n")
