"""JUnit XML: one test case per finding and per link, for CI test-result viewers.

Test history (GitLab, Jenkins, CircleCI …) follows a case by its class name and name, so
both are stable: the check, then the claim ids it is about, in full; a repeat gets
``#2``, ``#3`` in report order. Failing findings and links are ``<failure>``s. Warnings
and ``unknown`` findings ran and are not failures, so they are passing cases that say
what they found in a ``status`` property and in ``<system-out>``; only links that were
never requested (``--offline``, a network outage, ``--exclude``) are ``<skipped>``.
Every text is shown-escaped first, so the document is XML 1.0 whatever the ledger or a
server put in it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from claimcheck.reporters.common import failing_link, family, split_location
from claimcheck.reporters.escape import visible_report
from claimcheck.results import Finding, LinkResult, LinkStatus, Report, Status


def _seconds(value: float) -> str:
    return f"{value:.3f}"


class _Suites:
    """Test suites by name, and the case names already given (to keep them unique)."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.report = Report(ledger="")
        """The ledger's report whose cases are being added."""
        self.prefix = ""
        """``path · `` before each suite's name when the run has several ledgers."""
        self.suites: dict[str, ET.Element] = {}
        self.ledger_of: dict[str, Report] = {}
        self.names: dict[tuple[str, str, str], int] = {}

    def case(self, suite: str, classname: str, name: str) -> ET.Element:
        suite = self.prefix + suite
        if suite not in self.suites:
            self.suites[suite] = ET.SubElement(self.root, "testsuite", name=suite)
            self.ledger_of[suite] = self.report
        seen = self.names.get((suite, classname, name), 0) + 1
        self.names[(suite, classname, name)] = seen
        unique = name if seen == 1 else f"{name} #{seen}"
        return ET.SubElement(self.suites[suite], "testcase", classname=classname, name=unique)


def _locate(case: ET.Element, location: str | None, ledger: str) -> None:
    where = split_location(location, ledger)
    case.set("file", where.file)
    if where.line is not None:
        case.set("line", str(where.line))


def _status(case: ET.Element, status: str) -> None:
    props = ET.SubElement(case, "properties")
    ET.SubElement(props, "property", name="status", value=status)


def _finding(suites: _Suites, f: Finding) -> None:
    name = f"{f.check} {', '.join(f.claims)}" if f.claims else f.check
    if not f.claims and f.measure:
        name += f" ({f.measure})"
    case = suites.case(family(f.check), f.check, name)
    case.set("time", _seconds(0))
    _locate(case, f.location, suites.report.ledger)
    _status(case, f.status.value)
    text = f.message + (f"\n{f.detail}" if f.detail else "")
    if f.location:
        text += f"\nat {f.location}"
    if f.status == Status.FAIL:
        ET.SubElement(case, "failure", message=f.message, type=f.check).text = text
    elif f.status != Status.PASS:
        ET.SubElement(case, "system-out").text = f"{f.status.value}: {text}"


def _link(suites: _Suites, link: LinkResult, checked: bool) -> None:
    case = suites.case("links", "links", link.url)
    case.set("time", _seconds(link.elapsed_ms / 1000))
    _locate(case, link.location, suites.report.ledger)
    _status(case, link.status.value if checked else "not-checked")
    msg = f"{link.status.value}: {link.detail or ''}".strip(": ")
    cited = f"cited by {', '.join(link.sources)}; claims {', '.join(link.claims)}"
    if not checked or link.status in (LinkStatus.SKIPPED, LinkStatus.OFFLINE):
        ET.SubElement(case, "skipped", message=msg)
    elif failing_link(suites.report, link):
        ET.SubElement(case, "failure", message=msg, type=link.status.value).text = cited
    elif link.status != LinkStatus.OK or link.warnings:
        warned = ", ".join(w.value for w in link.warnings)
        ET.SubElement(case, "system-out").text = f"{msg} {warned}".strip() + f"\n{cited}"


def _tally(el: ET.Element, cases: list[ET.Element], time: float) -> None:
    el.set("tests", str(len(cases)))
    el.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    el.set("errors", "0")
    el.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    el.set("time", _seconds(time))


def render(report: Report, out: TextIO) -> None:
    """Write the report as a JUnit ``<testsuites>`` document (with several ledgers, each
    suite's name starts with its ledger's path)."""
    report = visible_report(report)
    root = ET.Element("testsuites", name=f"{report.title} {report.ledger}")
    suites = _Suites(root)
    for part in report.ledger_reports():
        suites.report = part
        suites.prefix = f"{part.ledger} · " if report.parts else ""
        for f in part.findings:
            _finding(suites, f)
        if part.links is not None:
            checked = part.link_summary is None or part.link_summary.checked
            for link in part.links:
                _link(suites, link, checked)
    every: list[ET.Element] = []
    for name, el in suites.suites.items():
        cases = el.findall("testcase")
        every += cases
        part = suites.ledger_of[name]
        el.set("file", part.ledger)
        stage = name.removeprefix(f"{part.ledger} · " if report.parts else "")
        _tally(el, cases, part.timings.get(stage, 0.0))
    _tally(root, every, _run_time(report))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def _run_time(report: Report) -> float:
    """Seconds of the whole run: every ledger's own stages, and the link run once."""
    parts = report.ledger_reports()
    own = sum(t for p in parts for stage, t in p.timings.items() if stage != "links")
    return own + max((p.timings.get("links", 0.0) for p in parts), default=0.0)
