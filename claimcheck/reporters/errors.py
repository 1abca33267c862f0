"""Ledger errors in the machine formats, for CI jobs that read stdout."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TextIO

from claimcheck.loader import Problem
from claimcheck.reporters.github import escape_data, escape_property


def _record(p: Problem) -> dict[str, object]:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "path": p.path,
        "message": p.message,
    }


def render_problems(problems: list[Problem], fmt: str, out: TextIO) -> None:
    """Write ``problems`` (which stopped the run, exit 2) in format ``fmt``."""
    if fmt == "json":
        obj = {"ok": False, "exit_code": 2, "errors": [_record(p) for p in problems],
               "findings": [], "links": []}  # fmt: skip
        json.dump(obj, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "github":
        for p in problems:
            where = f"file={escape_property(p.file)}"
            if p.line is not None:
                where += f",line={p.line},col={p.column or 1}"
            text = f"{p.path}: {p.message}" if p.path else p.message
            out.write(f"::error {where},title=ledger error::{escape_data(text)}\n")
    elif fmt == "junit":
        root = ET.Element("testsuites", name="claimcheck")
        suite = ET.SubElement(
            root, "testsuite", name="ledger", tests=str(len(problems)),
            failures=str(len(problems)), errors="0", skipped="0",
        )  # fmt: skip
        for p in problems:
            case = ET.SubElement(suite, "testcase", classname="ledger", name=p.path or p.file)
            ET.SubElement(case, "failure", message=p.message, type="ledger").text = str(p)
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n")
    elif fmt == "markdown":
        out.write("## claimcheck · ERROR: the ledger cannot be used\n\n")
        for p in problems:
            out.write(f"- `{p}`\n")
