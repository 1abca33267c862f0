"""Problems that stopped a run (exit 2) in the machine formats, for CI jobs that read them.

A ledger that cannot be used, or a usage error, still gives each format a well-formed
document: the JSON object of the command's usual shape with ``errors``, SARIF results,
JUnit failures, ``::error`` annotations, a Markdown list.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from claimcheck.reporters.escape import (
    gh_data,
    gh_property,
    json_text,
    md_code,
    md_text,
    visible,
    visible_problem,
)

if TYPE_CHECKING:
    from claimcheck.loader import Problem


def _github(problems: Sequence[Problem], out: TextIO) -> None:
    from claimcheck.reporters.github import repo_path

    for p in problems:
        where = f"file={gh_property(repo_path(p.file))}," if p.file else ""
        if p.file and p.line is not None:
            where += f"line={p.line},col={p.column or 1},"
        text = f"{p.path}: {p.message}" if p.path else p.message
        title = "ledger error" if p.file else "usage error"
        out.write(f"::error {where}title={title}::{gh_data(text)}\n")


def _junit(problems: Sequence[Problem], out: TextIO) -> None:
    n = str(len(problems))
    tally = {"tests": n, "failures": n, "errors": "0", "skipped": "0", "time": "0.000"}
    root = ET.Element("testsuites", {"name": "claimcheck"} | tally)
    suite = ET.SubElement(root, "testsuite", {"name": "ledger"} | tally)
    for raw in problems:
        p = visible_problem(raw)
        name = p.path or p.file or "usage"
        case = ET.SubElement(suite, "testcase", classname="ledger", name=name, time="0.000")
        if p.file:
            case.set("file", p.file)
        if p.line is not None:
            case.set("line", str(p.line))
        ET.SubElement(case, "failure", message=p.message, type="ledger").text = str(p)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n")


def _markdown(problems: Sequence[Problem], out: TextIO) -> None:
    out.write("## claimcheck · ERROR: the ledger cannot be used\n\n")
    for p in problems:
        where = p.file + (f":{p.line}:{p.column or 1}" if p.line is not None else "")
        path = f" {md_code(p.path)}" if p.path else ""
        head = f"{md_code(where)}{path}: " if p.file else ""
        out.write(f"- {head}{md_text(p.message)}\n")


def render_problems(
    problems: Sequence[Problem],
    fmt: str,
    out: TextIO,
    command: str = "verify",
    ledger: str | None = None,
) -> None:
    """Write ``problems`` (which stopped ``command``, exit 2) in format ``fmt``."""
    if fmt == "json":
        from claimcheck.reporters.jsonfmt import error_object

        out.write(json_text(error_object(command, problems, ledger)) + "\n")
    elif fmt == "sarif":
        from claimcheck.reporters.sarif import problems_log

        out.write(json_text(problems_log(problems)) + "\n")
    elif fmt == "github":
        _github(problems, out)
    elif fmt == "junit":
        _junit(problems, out)
    elif fmt == "markdown":
        _markdown(problems, out)
    else:  # people: one located line each
        for p in problems:
            out.write(visible(str(p)) + "\n")
