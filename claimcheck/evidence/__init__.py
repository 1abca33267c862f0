"""The evidence check: does each cited source still say what the ledger says it says?

Public API (cheap to import; the network and the extractors load only when it runs)::

    run = check_evidence(loaded, LinkOptions(), page_cap=DEFAULT_PAGE_CAP)
    run.results          # one EvidenceResult per (claim, source) pair
    run.findings         # the same as findings, located at the ledger's lines
    run.links, run.link_summary   # the link check done by the same fetches

See docs/evidence.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from claimcheck.results import Finding, LinkResult, LinkStatus, LinkSummary, Status

if TYPE_CHECKING:
    from claimcheck.evidence.run import EvidenceReader
    from claimcheck.evidence.verdict import EvidenceResult
    from claimcheck.links import LinkOptions
    from claimcheck.loader import LoadedLedger
    from claimcheck.sourcemap import JsonPath

__all__ = ["DEFAULT_PAGE_CAP", "EvidenceRun", "check_evidence", "evidence_findings"]

DEFAULT_PAGE_CAP = 16 * 1024 * 1024
"""Bytes read at most per cited page (reports are PDFs of several MiB)."""


@dataclass
class EvidenceRun:
    """Everything one evidence run found."""

    results: list[EvidenceResult]
    findings: list[Finding]
    links: list[LinkResult]
    link_summary: LinkSummary
    notes: list[str] = field(default_factory=list)
    extract_seconds: dict[str, float] = field(default_factory=dict)
    extract_counts: dict[str, int] = field(default_factory=dict)


def new_reader(loaded: LoadedLedger, page_cap: int = DEFAULT_PAGE_CAP) -> EvidenceReader:
    """A page reader for one link run over ``loaded``'s ledger."""
    from claimcheck.evidence.run import EvidenceReader

    return EvidenceReader(loaded.ledger, page_cap)


def check_evidence(
    loaded: LoadedLedger,
    options: LinkOptions,
    page_cap: int = DEFAULT_PAGE_CAP,
    progress: Callable[[int, int], None] | None = None,
) -> EvidenceRun:
    """Fetch every cited ``url`` once, whole; judge every (claim, source) pair.

    The link check runs on the same fetches (its results are returned too), with the
    same options: limits, cache and history, ``--confirm``, sharding, archive endpoint.
    Raises :class:`~claimcheck.links.LinkOptionsError` for unusable options.
    """
    from claimcheck.links import check_ledger_links

    notes: list[str] = []
    if options.on_note is None:
        options = replace(options, on_note=notes.append)
    reader = new_reader(loaded, page_cap)
    links, summary = check_ledger_links(
        loaded.ledger, options, progress=progress, ledger_path=loaded.path, reader=reader
    )
    findings = evidence_findings(reader, loaded, links, options.fail_on)
    return EvidenceRun(
        reader.results,
        findings,
        links,
        summary,
        notes,
        dict(reader.extract_seconds),
        dict(reader.extract_counts),
    )


def evidence_findings(
    reader: EvidenceReader,
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
    pairs = {(p.claim.id, p.source.id): p for p in reader.pairs}
    for r in reader.results:
        pair = pairs[(r.claim, r.source)]
        path: JsonPath = (
            ("claims", pair.claim_index, "passages", pair.passage_index)
            if pair.passage_index is not None
            else ("claims", pair.claim_index, "sources", pair.claim.sources.index(r.source))
        )
        if r.verdict is Verdict.SUPPORTED:
            supported += 1
            continue
        if r.passage is None:
            bare += 1
            continue
        status, what = _status_of(r, by_url, fail_on)
        message = f"claim '{r.claim}': source '{r.source}' {what}"
        pending.append(
            (Finding(f"evidence.{r.verdict.value}", status, (r.claim,), message, r.detail), path)
        )
    for url, day in sorted(reader.changed_pages.items()):
        sources = sorted({p.source.id for p in reader.pairs if p.source.url == url})
        claims = tuple(sorted({p.claim.id for p in reader.pairs if p.source.url == url}))
        message = f"the text of {url} changed since the last check on {day}"
        detail = f"cited by {', '.join(sources)}: re-read it against the claims"
        pending.append((Finding("evidence.page-changed", Status.WARN, claims, message, detail), ()))
    located = loaded.locate([p for _, p in pending if p])
    out: list[Finding] = []
    it = iter(located)
    for finding, path in pending:
        out.append(replace(finding, location=next(it)) if path else finding)
    total = sum(1 for r in reader.results if r.passage is not None)
    message = (
        f"{plural(supported, 'passage')} of {total} found on their sources"
        if total
        else "no claim gives a source passage to check"
    )
    if bare:
        message += f"; {plural(bare, 'claim–source pair')} without a passage (liveness only)"
    out.insert(0, Finding("evidence.supported", Status.PASS, (), message))
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
