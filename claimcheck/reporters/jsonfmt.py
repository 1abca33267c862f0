"""JSON: one object per run, for machines, of one shape per command whatever happened.

Every document has ``command``, ``ok``, ``exit_code``, ``ledger`` and ``errors`` (empty
unless the run stopped: a usage error or a ledger that cannot be used), then the
command's own keys, always present: ``counts``, ``findings``, ``links``,
``link_summary`` and ``ledgers`` for ``verify`` and ``check``; ``links``, ``summary``
and ``ledgers`` for ``links``; an array named for the listing (``claims``,
``sources``, ``coverage``) for the listings.
``report.schema.json`` describes them all. Text is exact; unsafe characters are ``\\u``
escapes (``escape.json_text``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from claimcheck.reporters.escape import json_line, json_text
from claimcheck.results import ExitCode, Finding, Listing, Report, Status

if TYPE_CHECKING:
    from claimcheck.loader import Problem

LISTING_COMMANDS = ("claims", "sources", "coverage")


def command_of(report: Report) -> str:
    """``verify``, ``check`` or ``links``: the command that made ``report``."""
    if report.sections == ("links",):
        return "links"
    return report.title.rsplit(" ", 1)[-1] if " " in report.title else "verify"


def error_record(p: Problem) -> dict[str, object]:
    """A located problem (or a usage error, with no file) as JSON."""
    return {
        "file": p.file or None,
        "line": p.line,
        "column": p.column,
        "path": p.path,
        "message": p.message,
    }


def _summary(summary: dict[str, object], ok: bool) -> dict[str, object]:
    return summary | {"ok": ok}


def _empty_summary(note: str) -> dict[str, object]:
    return {"total": 0, "by_status": {}, "checked": False, "failing": 0, "note": note}


def _head(command: str, ok: bool, code: int, ledger: str | None) -> dict[str, object]:
    return {"command": command, "ok": ok, "exit_code": code, "ledger": ledger, "errors": []}


def report_object(report: Report) -> dict[str, object]:
    """The report as the fixed JSON contract of its command, one shape for one ledger or
    several.

    Every finding and link names its ``ledger``; ``ledgers`` has one entry per ledger
    (its path, ``ok``, ``exit_code`` and counts or link summary); the top-level
    ``ledger`` is the path when the run had one ledger, else null. A link cited by
    several ledgers is listed once per ledger; the top-level summary counts it once.
    """
    command = command_of(report)
    out = _head(command, report.ok, int(report.exit_code), None if report.parts else report.ledger)
    parts = report.ledger_reports()
    links = [link.to_json() | {"ledger": p.ledger} for p in parts for link in p.links or []]
    if command == "links":
        out["links"] = links
        out["summary"] = _summary(_link_summary(report), report.ok)
        out["ledgers"] = [_entry(p) | {"summary": _link_summary(p)} for p in parts]
        return out
    out["counts"] = report.counts()
    out["findings"] = [_finding(f, p.ledger) for p in parts for f in p.findings]
    out["links"] = links
    summary = report.link_summary
    out["link_summary"] = summary.to_json() if summary is not None else None
    out["ledgers"] = [_entry(p) | {"counts": p.counts()} for p in parts]
    if any(p.evidence is not None for p in parts):
        evidence = [e.to_json() | {"ledger": p.ledger} for p in parts for e in p.evidence or []]
        by_verdict: dict[str, int] = {}
        for e in evidence:
            verdict = str(e["verdict"])
            by_verdict[verdict] = by_verdict.get(verdict, 0) + 1
        out["evidence"] = evidence
        out["evidence_summary"] = {"total": len(evidence), "by_verdict": by_verdict}
    return out


_STATUS = {s: s.value for s in Status}  # a dict look-up, not the enum's descriptor


def _finding(f: Finding, ledger: str) -> dict[str, object]:
    """``f.to_json()`` with its ledger, built in one go: a report may hold 100,000."""
    out: dict[str, object] = {
        "check": f.check,
        "status": _STATUS[f.status],
        "claims": list(f.claims),
        "message": f.message,
    }
    if f.detail is not None:
        out["detail"] = f.detail
    if f.location is not None:
        out["location"] = f.location
    if f.measure is not None:
        out["measure"] = f.measure
    out["ledger"] = ledger
    return out


def _link_summary(report: Report) -> dict[str, object]:
    summary = report.link_summary
    return summary.to_json() if summary is not None else _empty_summary("no link run")


def _entry(report: Report) -> dict[str, object]:
    return {"ledger": report.ledger, "ok": report.ok, "exit_code": int(report.exit_code)}


def error_object(
    command: str, problems: Sequence[Problem], ledger: str | None = None
) -> dict[str, object]:
    """The document of a run that stopped before any check (exit 2): the same keys as a
    report of ``command``, with nothing checked and every problem in ``errors``."""
    out = _head(command, False, int(ExitCode.USAGE), ledger)
    out["errors"] = [error_record(p) for p in problems]
    if command == "links":
        out["links"] = []
        out["summary"] = _summary(_empty_summary("the run stopped before any link"), False)
    elif command in LISTING_COMMANDS:
        out[command] = []
        return out
    else:
        out["counts"] = {"pass": 0, "fail": 0, "warn": 0, "unknown": 0}
        out["findings"] = []
        out["links"] = []
        out["link_summary"] = (
            _empty_summary("the run stopped before any link") if command == "verify" else None
        )
    out["ledgers"] = []
    return out


def listing_object(listing: Listing) -> dict[str, object]:
    """A listing (``claims``, ``sources``) as its command's JSON document."""
    out = _head(listing.name, True, int(ExitCode.OK), listing.ledger)
    out[listing.name] = listing.records
    return out


def render(report: Report, out: TextIO) -> None:
    """Write the report as one JSON object."""
    out.write(framed_json(report_object(report)))


def framed_json(obj: dict[str, object]) -> str:
    """``obj`` indented, each item of a list of objects on one line.

    ``json.dumps(indent=2)`` runs the pure-Python encoder and takes seconds over 100,000
    findings; the C encoder writes each finding and only the frame is indented here.
    The text is escaped as :func:`json_text` escapes it.
    """
    parts = []
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every item
    for key, value in obj.items():
        head = f"  {json_text(key)}: "
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = [encode(v) for v in value]
            # An item is one line (json escapes line breaks): printable, the common case
            # checked at C speed for all at once, it has nothing to escape.
            if not "".join(items).isprintable():
                items = [json_line(item) for item in items]
            body = ",\n    ".join(items)
            parts.append(f"{head}[\n    {body}\n  ]")
        else:
            parts.append(head + json_text(value).replace("\n", "\n  "))
    return "{\n" + ",\n".join(parts) + "\n}\n" if parts else "{}\n"


def render_listing(listing: Listing, out: TextIO) -> None:
    """Write the listing as one JSON object holding its records."""
    out.write(json_text(listing_object(listing)) + "\n")
