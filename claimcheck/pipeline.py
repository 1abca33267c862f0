"""The verification pipeline: validate → anchor → consistency → links, gathered in a Report.

Each stage returns findings; none prints. The CLI picks a reporter for the result.
"""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING

from claimcheck.loader import LoadedLedger
from claimcheck.models import Claim
from claimcheck.results import ExitCode, Finding, Listing, Report, Status
from claimcheck.wording import plural

if TYPE_CHECKING:
    from claimcheck.textmatch import PreparedText


def ledger_findings(loaded: LoadedLedger) -> list[Finding]:
    """What loading established: the ledger is valid; which sources have no URL."""
    led = loaded.ledger
    out = [
        Finding(
            "schema",
            Status.PASS,
            (),
            f"valid ledger: {plural(len(led.claims), 'claim')}, "
            f"{plural(len(led.sources), 'source')}, {plural(len(led.places), 'place')}, "
            f"{plural(len(led.measures), 'measure')}, {plural(len(led.checks), 'check')}",
        )
    ]
    unlinked = [s.id for s in led.sources if not s.url]
    if unlinked:
        linked = {s.id for s in led.sources if s.url}
        alone = tuple(c.id for c in led.claims if not any(s in linked for s in c.sources))
        shown = ", ".join(unlinked[:8]) + (" …" if len(unlinked) > 8 else "")
        out.append(
            Finding(
                "sources.url",
                Status.WARN,
                alone,
                f"{plural(len(unlinked), 'source')} without an established URL, so no link "
                f"can be checked: {shown}",
                detail=(
                    f"{plural(len(alone), 'claim')} rest only on sources without a URL"
                    if alone
                    else "every claim also rests on a source with a URL"
                ),
            )
        )
    return out


def prepared_document(loaded: LoadedLedger) -> PreparedText | None:
    """The ledger's document, read and normalised once for anchoring and coverage (None
    when the ledger names no document)."""
    from claimcheck.textmatch import prepare

    text = loaded.document_text()
    return None if text is None else prepare(text)


def anchor_findings(loaded: LoadedLedger, document: PreparedText | None) -> list[Finding]:
    """Quotes in the document (from :func:`prepared_document`), figures in their quotes."""
    from claimcheck.anchor import check_anchors

    return check_anchors(loaded, document)


def coverage_findings(loaded: LoadedLedger, document: PreparedText | None) -> list[Finding]:
    """The share of the article's figures and dates that the ledger tracks (a warning
    when some are not, never a failure); nothing when the ledger names no document."""
    from claimcheck.coverage import check_coverage, coverage_finding

    if document is None:
        return []
    return [coverage_finding(check_coverage(loaded, document))]


def consistency_findings(loaded: LoadedLedger) -> tuple[list[Finding], list[Listing]]:
    """The consistency rules' findings and, per measure, the table of its claims."""
    from claimcheck.consistency import check_consistency
    from claimcheck.dossier import Dossier, locate_claims
    from claimcheck.listing import claims_listing

    findings = check_consistency(loaded)
    if isinstance(loaded, Dossier):
        findings = locate_claims(loaded, findings)
    listings = []
    measures = {f.measure for f in findings if f.measure}
    by_measure: dict[str, list[Claim]] = {m: [] for m in measures}
    for c in loaded.ledger.claims:
        if c.measure in by_measure:
            by_measure[c.measure].append(c)
    for m in loaded.ledger.measures:
        if m.id not in measures:
            continue
        claims = by_measure[m.id]
        lst = claims_listing(loaded, claims, time_series=True)
        # The section is already about this measure: its column would repeat it.
        keep = [i for i, col in enumerate(lst.columns) if col not in ("measure", "kind")]
        lst.columns = [lst.columns[i] for i in keep]
        lst.rows = [[row[i] for i in keep] for row in lst.rows]
        lst.key = m.id
        lst.title = f"{m.name} ({m.id})"
        listings.append(lst)
    return findings, listings


def exit_code_for(findings: list[Finding]) -> ExitCode:
    """1 when any finding failed, else 0."""
    return ExitCode.FINDINGS if any(f.status == Status.FAIL for f in findings) else ExitCode.OK


def run_check(loaded: LoadedLedger) -> Report:
    """The consistency report alone (``claimcheck check``)."""
    start = perf_counter()
    findings, listings = consistency_findings(loaded)
    return Report(
        ledger=loaded.display,
        title="claimcheck check",
        findings=findings,
        listings=listings,
        exit_code=exit_code_for(findings),
        timings={"consistency": perf_counter() - start},
    )


def run_verify(loaded: LoadedLedger) -> Report:
    """Validation, anchoring and consistency; the CLI adds links unless ``--offline``.

    A dossier is validated and anchored ledger by ledger, and checked for consistency
    as one.
    """
    from claimcheck.dossier import Dossier, member_findings

    timings: dict[str, float] = {}
    start = perf_counter()
    if isinstance(loaded, Dossier):
        findings = member_findings(loaded)
        timings["anchor"] = (now := perf_counter()) - start
    else:
        findings = ledger_findings(loaded)
        timings["ledger"] = (now := perf_counter()) - start
        document = prepared_document(loaded)
        findings += anchor_findings(loaded, document)
        timings["anchor"] = (mid := perf_counter()) - now
        findings += coverage_findings(loaded, document)
        timings["other"] = perf_counter() - mid
    start = perf_counter()
    cons, listings = consistency_findings(loaded)
    findings += cons
    timings["consistency"] = perf_counter() - start
    return Report(
        ledger=loaded.display,
        title="claimcheck verify",
        findings=findings,
        listings=listings,
        sections=("findings", "links"),
        exit_code=exit_code_for(findings),
        timings=timings,
    )
