"""SARIF 2.1.0: results for code scanning (GitHub's upload-sarif, GitLab, IDE viewers).

One run of the ``claimcheck`` tool; its rules are every kind of result (see
:mod:`claimcheck.reporters.rules`); a result for each finding that is not a pass and for
each link with a problem or a warning, located at the ledger's file, line and column
(a link at its first ``url``/``archive_url`` field). Paths are relative to the repository
root (``$GITHUB_WORKSPACE``) when inside it, percent-encoded as URIs. Messages are
shown-escaped; the file is written by ``escape.json_text``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

from claimcheck import __version__
from claimcheck.reporters.common import failing_link, split_location
from claimcheck.reporters.escape import json_text, visible, visible_report
from claimcheck.reporters.github import repo_path
from claimcheck.reporters.rules import RuleInfo, catalogue, link_rule_id, unknown_rule
from claimcheck.results import LinkStatus, Report, Status

if TYPE_CHECKING:
    from claimcheck.loader import Problem

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Status.FAIL: "error", Status.WARN: "warning", Status.UNKNOWN: "note"}


def artifact_uri(file: str) -> str:
    """A ledger path as a SARIF URI: relative to the repository root when inside it."""
    path = repo_path(file)
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(Path(path).as_posix(), safe="/")


def _location(location: str | None, ledger: str) -> dict[str, object]:
    where = split_location(location, ledger)
    physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(where.file)}}
    if where.line is not None and where.line >= 1:
        physical["region"] = {"startLine": where.line, "startColumn": max(where.column or 1, 1)}
    return {"physicalLocation": physical}


def _fingerprint(*parts: str) -> dict[str, str]:
    # Stable across runs and line moves, so code scanning tracks one alert per finding.
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return {"claimcheck/v1": digest[:32]}


class _Rules:
    """The driver's rules, and each rule's index for results."""

    def __init__(self) -> None:
        self.rules: list[RuleInfo] = catalogue()
        self.index = {r.id: i for i, r in enumerate(self.rules)}

    def ref(self, rule_id: str) -> dict[str, object]:
        if rule_id not in self.index:
            self.index[rule_id] = len(self.rules)
            self.rules.append(unknown_rule(rule_id))
        return {"ruleId": rule_id, "ruleIndex": self.index[rule_id]}

    def descriptors(self) -> list[dict[str, object]]:
        return [
            {
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.help},
                "help": {"text": r.help},
            }
            for r in self.rules
        ]


def _results(report: Report, rules: _Rules) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in report.findings:
        if f.status not in _LEVEL:
            continue
        text = f.message + (f" [{', '.join(f.claims)}]" if f.claims else "")
        text += f" — {f.detail}" if f.detail else ""
        out.append(
            rules.ref(f.check)
            | {
                "level": _LEVEL[f.status],
                "message": {"text": text},
                "locations": [_location(f.location, report.ledger)],
                "partialFingerprints": _fingerprint(f.check, *f.claims, f.measure or ""),
            }
        )
    summary = report.link_summary
    if summary is not None and not summary.checked:
        return out  # not judged: said once, in the invocation's notifications
    for link in report.links or []:
        kinds = [link.status.value] if link.status != LinkStatus.OK else []
        kinds += [w.value for w in link.warnings]
        for kind in kinds:
            level = (
                "error" if kind == link.status.value and failing_link(report, link) else "warning"
            )
            if link.status in (LinkStatus.SKIPPED, LinkStatus.OFFLINE):
                level = "note"
            text = f"{link.url}: {kind}" + (f" – {link.detail}" if link.detail else "")
            if link.archive_url:
                text += f"; archived copy: {link.archive_url}"
            text += f"; cited by {', '.join(link.sources)}"
            out.append(
                rules.ref(link_rule_id(kind))
                | {
                    "level": level,
                    "message": {"text": text},
                    "locations": [_location(link.location, report.ledger)],
                    "partialFingerprints": _fingerprint(link_rule_id(kind), link.url),
                }
            )
    return out


def _log(
    rules: _Rules, results: list[dict[str, object]], invocation: dict[str, object]
) -> dict[str, object]:
    driver = {
        "name": "claimcheck",
        "version": __version__,
        "rules": rules.descriptors(),
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "invocations": [invocation], "results": results}],
    }


def sarif_log(report: Report) -> dict[str, object]:
    """The report as a SARIF 2.1.0 log (a dict ready for JSON)."""
    report = visible_report(report)
    rules = _Rules()
    results = _results(report, rules)
    invocation: dict[str, object] = {
        "executionSuccessful": int(report.exit_code) in (0, 1),
        "exitCode": int(report.exit_code),
    }
    summary = report.link_summary
    if summary is not None and not summary.checked:
        note = summary.note or "the network is unavailable"
        invocation["toolExecutionNotifications"] = [
            {"level": "note" if note == "--offline" else "warning",
             "message": {"text": f"links not checked: {note}"}}
        ]  # fmt: skip
    return _log(rules, results, invocation)


def problems_log(problems: Sequence[Problem]) -> dict[str, object]:
    """Problems that stopped the run (exit 2) as a SARIF log: one ``schema`` error each."""
    rules = _Rules()
    results: list[dict[str, object]] = []
    for p in problems:
        where = f"{p.file}:{p.line}:{p.column or 1}" if p.file and p.line is not None else None
        text = f"{p.path}: {p.message}" if p.path else p.message
        result: dict[str, object] = rules.ref("schema") | {
            "level": "error",
            "message": {"text": visible(text)},
        }
        if p.file:
            result["locations"] = [_location(where, p.file)]
        results.append(result)
    invocation: dict[str, object] = {"executionSuccessful": False, "exitCode": 2}
    return _log(rules, results, invocation)


def render(report: Report, out: TextIO) -> None:
    """Write the report as a SARIF 2.1.0 log."""
    out.write(json_text(sarif_log(report)) + "\n")
