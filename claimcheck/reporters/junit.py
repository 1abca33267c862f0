"""JUnit XML: one test case per finding and per link, for CI test-result viewers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TextIO

from claimcheck.reporters.common import family
from claimcheck.results import Report, Status


def render(report: Report, out: TextIO) -> None:
    """Write the report as a JUnit ``<testsuites>`` document (with several ledgers, each
    suite's name starts with its ledger's path)."""
    root = ET.Element("testsuites", name=f"claimcheck {report.ledger}")
    suites: dict[str, ET.Element] = {}
    for part in report.ledger_reports():
        prefix = f"{part.ledger} · " if report.parts else ""

        def suite(name: str, prefix: str = prefix) -> ET.Element:
            name = prefix + name
            if name not in suites:
                suites[name] = ET.SubElement(root, "testsuite", name=name)
            return suites[name]

        _cases(part, suite)
    for el in suites.values():
        cases = el.findall("testcase")
        el.set("tests", str(len(cases)))
        el.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        el.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        el.set("errors", "0")
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def _cases(report: Report, suite: Callable[[str], ET.Element]) -> None:
    """One test case per finding and per link of one ledger's report."""
    for f in report.findings:
        case = ET.SubElement(
            suite(family(f.check)),
            "testcase",
            classname=f.check,
            name=(",".join(f.claims) or f.check)[:200],
        )
        text = f.message + (f"\n{f.detail}" if f.detail else "")
        if f.status == Status.FAIL:
            ET.SubElement(case, "failure", message=f.message, type=f.check).text = text
        elif f.status in (Status.UNKNOWN, Status.WARN):
            ET.SubElement(case, "skipped", message=f"{f.status.value}: {f.message}")
        if f.location:
            ET.SubElement(case, "system-out").text = f.location
    if report.links is not None:
        links = suite("links")
        checked = report.link_summary is None or report.link_summary.checked
        for link in report.links:
            case = ET.SubElement(links, "testcase", classname="links", name=link.url)
            msg = f"{link.status.value}: {link.detail or ''}".strip(": ")
            if not checked or link.status.value in ("skipped", "offline"):
                ET.SubElement(case, "skipped", message=msg)
            elif link.status in report.fail_on and (link.history is None or link.history.confirmed):
                ET.SubElement(
                    case, "failure", message=msg, type=link.status.value
                ).text = f"cited by {', '.join(link.sources)}; claims {', '.join(link.claims)}"
