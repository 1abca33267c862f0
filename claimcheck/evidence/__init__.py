"""The evidence check: does each cited source still say what the ledger says it says?

Run it through :func:`claimcheck.api.evidence` (or ``verify``): an
:class:`~claimcheck.evidence.run.EvidenceReader` rides along the link run, reading each
cited page whole from the same fetch, and :func:`evidence_findings` turns its verdicts
into findings located at the ledger's lines. See docs/evidence.md.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from claimcheck.results import Finding, LinkResult, LinkStatus, Status

if TYPE_CHECKING:
    from claimcheck.evidence.run import EvidenceReader
    from claimcheck.evidence.verdict import EvidenceResult
    from claimcheck.loader import LoadedLedger
    from claimcheck.sourcemap import JsonPath

__all__ = ["DEFAULT_PAGE_CAP", "evidence_findings"]

DEFAULT_PAGE_CAP = 16 * 1024 * 1024
"""Bytes read at most per cited page (reports are PDFs of several MiB)."""


def evidence_findings(
    reader: EvidenceReader,
    index: int,
    loaded: LoadedLedger,
    links: list[LinkResult],
    fail_on: frozenset[LinkStatus],
) -> list[Finding]:
    """The verdicts as findings: ``changed`` fails (once confirmed), ``dead`` fails when
    its link status does, ``unverifiable`` and ``not-checked`` passages are unknown,
    supported passages are counted in one finding."""
    from claimcheck.evidence.verdict import Verdict
    from claimcheck.wording import plural

    if not reader.checked:
        return [
            Finding(
                "evidence.not-checked",
                Status.UNKNOWN,
                (),
                "sources not read: the network is unreachable",
            )
        ]
    by_url: dict[str | None, LinkResult] = {r.url: r for r in links if r.kind == "url"}
    pending: list[tuple[Finding, JsonPath]] = []
    supported = 0
    bare = 0
    mine = [(p, r) for p, r in reader.judged if p.ledger == index]
    for pair, r in mine:
        if r.verdict is Verdict.SUPPORTED:
            supported += 1
            continue
        if pair.passage_index is None:
            bare += 1
            continue
        path: JsonPath = ("claims", pair.claim_index, "passages", pair.passage_index)
        status, what = _status_of(r, by_url, fail_on)
        message = f"claim '{r.claim}': source '{r.source}' {what}"
        pending.append(
            (Finding(f"evidence.{r.verdict.value}", status, (r.claim,), message, r.detail), path)
        )
    own = [p for p in reader.pairs if p.ledger == index]
    for url, day in sorted(reader.changed_pages.items()):
        sources = sorted({p.source.id for p in own if p.source.url == url})
        if not sources:
            continue
        claims = tuple(sorted({p.claim.id for p in own if p.source.url == url}))
        message = f"the text of {url} changed since the last check on {day}"
        detail = f"cited by {', '.join(sources)}: re-read it against the claims"
        pending.append((Finding("evidence.page-changed", Status.WARN, claims, message, detail), ()))
    located = loaded.locate([p for _, p in pending if p])
    out: list[Finding] = []
    it = iter(located)
    for finding, path in pending:
        out.append(replace(finding, location=next(it)) if path else finding)
    total = sum(1 for _, r in mine if r.passage is not None)
    parts: list[str] = []
    if supported:
        parts.append(f"{supported} of {plural(total, 'passage')} found on their sources")
    elif not total:
        parts.append("no claim gives a source passage to check")
    if bare:
        parts.append(f"{plural(bare, 'claim–source pair')} without a passage (liveness only)")
    if parts:  # never "0 found": the verdicts below say what went wrong with each
        out.insert(0, Finding("evidence.supported", Status.PASS, (), "; ".join(parts)))
    return out


def _status_of(
    r: EvidenceResult, by_url: dict[str | None, LinkResult], fail_on: frozenset[LinkStatus]
) -> tuple[Status, str]:
    from claimcheck.evidence.verdict import Verdict

    if r.verdict is Verdict.CHANGED:
        what = "no longer says the cited passage"
        return (Status.FAIL if r.confirmed else Status.WARN), what
    if r.verdict is Verdict.DEAD:
        link = by_url.get(r.url)
        confirmed = link is None or link.history is None or link.history.confirmed
        failing = r.link_status in fail_on and confirmed
        return (Status.FAIL if failing else Status.WARN), "is dead"
    if r.verdict is Verdict.UNVERIFIABLE:
        return Status.UNKNOWN, "could not be read"
    return Status.UNKNOWN, "was not checked"
