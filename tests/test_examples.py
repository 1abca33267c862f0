"""The second example: it anchors, flags exactly its real disagreements, and its report is real."""

from __future__ import annotations

import re
from pathlib import Path

from claimcheck.anchor import check_anchors
from claimcheck.consistency import check_consistency
from claimcheck.loader import load_ledger
from claimcheck.results import Status

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "washington-crowds-2017" / "claims.json"
README = ROOT / "examples" / "README.md"


def test_every_quote_and_figure_is_anchored() -> None:
    loaded = load_ledger(EXAMPLE)
    findings = check_anchors(loaded, loaded.document_text())
    assert [f.message for f in findings if f.status is not Status.PASS] == []


def test_only_the_real_disagreements_fail() -> None:
    findings = check_consistency(load_ledger(EXAMPLE))
    failed = sorted((f.check, f.claims) for f in findings if f.status is Status.FAIL)
    assert failed == [
        ("consistency.agreement", ("trips-2013-day", "spicer-trips-2013")),
        ("consistency.agreement", ("trips-2017-day", "spicer-trips-2017")),
        ("consistency.fact", ("spicer-first-coverings", "coverings-in-2013")),
    ]
    unknown = sorted(f.claims[0] for f in findings if f.status is Status.UNKNOWN)
    assert unknown == [
        "conway-interview",
        "dc-share",
        "inauguration-date",
        "la-largest",
        "march-date",
    ]


def test_the_report_in_the_docs_is_the_real_output(cli) -> None:  # type: ignore[no-untyped-def]
    samples = re.findall(
        r"```text\n\$ claimcheck ([^\n]*)\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL
    )
    assert samples
    for args, sample in samples:
        real = cli(*args.split()).stdout
        real_lines = {ln.rstrip() for ln in real.splitlines()}
        lines = [ln.rstrip() for ln in sample.splitlines() if ln.strip()]
        missing = [ln for ln in lines if ln not in real_lines]
        assert not missing, f"claimcheck {args}: lines not in today's output: {missing[:3]}"
