"""The library's entry points: one function per command, each doing the command's whole job.

Each returns data (a :class:`~claimcheck.results.Report`, a
:class:`~claimcheck.results.Listing` or the schema) and never prints; the CLI only parses
options and picks a reporter. Problems a user can cause raise exceptions that carry a
ready message:

- :class:`~claimcheck.loader.LedgerError`: a ledger cannot be used (every problem located);
- :class:`~claimcheck.links.LinkOptionsError`: a link option is unusable;
- :class:`~claimcheck.listing.FilterError`: a claims filter names something unknown.

Example::

    from claimcheck import api

    report = api.verify("data/claims.json", api.VerifyOptions(offline=True))
    print(report.exit_code, report.counts())
    report = api.verify(["ledgers/", "extra/*.json"])  # several: one report per ledger
    for part in report.ledger_reports():
        print(part.ledger, part.exit_code)

See docs/api.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

from claimcheck.claimreview import Reviewer
from claimcheck.evidence import DEFAULT_PAGE_CAP
from claimcheck.ledgers import (
    bundled_ledger,
    default_ledger,
    is_bundled,
    load_ledgers,
    load_path,
)
from claimcheck.links import LinkOptions, LinkOptionsError
from claimcheck.loader import LedgerError, LoadedLedger, Problem
from claimcheck.results import (
    ExitCode,
    LinkResult,
    LinkSummary,
    Listing,
    Report,
    gather,
    worst_exit_code,
)

if TYPE_CHECKING:
    from claimcheck.evidence.run import EvidenceReader
    from claimcheck.links.check import PageReader
    from claimcheck.listing import ClaimFilter

__all__ = [
    "LedgerError",
    "LedgerInput",
    "Ledgers",
    "LinkOptions",
    "LinkOptionsError",
    "Progress",
    "Reviewer",
    "VerifyOptions",
    "bundled_ledger",
    "check",
    "check_link_options",
    "claimreview",
    "claims",
    "coverage",
    "default_ledger",
    "evidence",
    "links",
    "load",
    "load_all",
    "report",
    "schema",
    "sources",
    "verify",
]

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as links finish (first with ``done == 0``)."""

LedgerInput = str | Path | LoadedLedger | None
"""A ledger path, an already loaded ledger, or None for the default ledger
(:func:`default_ledger`: ``claims.json`` or ``data/claims.json`` in the working folder,
else the bundled one)."""

Ledgers = LedgerInput | Sequence[str | Path | LoadedLedger]
"""One ledger, or several: files, folders (their ``*.json`` ledgers), glob patterns and
loaded ledgers; an empty sequence means the default ledger."""


def load(ledger: LedgerInput = None) -> LoadedLedger:
    """Read, parse and validate a ledger (the default one when ``ledger`` is None).

    Raises :class:`LedgerError` with every problem found, each located.
    """
    if isinstance(ledger, LoadedLedger):
        return ledger
    return load_path(Path(ledger) if ledger is not None else default_ledger())


def load_all(ledgers: Ledgers = None, dossier: bool = False) -> list[LoadedLedger]:
    """Every ledger ``ledgers`` names, loaded, each once, in the order given; with
    ``dossier``, all of them merged into one :class:`~claimcheck.dossier.Dossier`.

    Raises :class:`LedgerError` with the problems of every ledger that cannot be used
    (and of every folder or pattern that names none).
    """
    if ledgers is None or isinstance(ledgers, str | Path | LoadedLedger):
        loaded = [load(ledgers)]
    else:
        loaded = load_ledgers(list(ledgers))
    if dossier:
        from claimcheck.dossier import dossier_of

        return [dossier_of(loaded)]
    return loaded


def _warn_separate(loaded: list[LoadedLedger], reports: list[Report]) -> None:
    """Ledgers checked apart that count one measure: a warning in each one's report."""
    from claimcheck.dossier import separate_warnings

    for i, finding in separate_warnings(loaded).items():
        reports[i].findings.append(finding)


@dataclass
class VerifyOptions:
    """What tunes ``verify``: whether links are checked, and how."""

    offline: bool = False
    """Skip the link and evidence checks (no network use); the report says so."""
    dossier: bool = False
    """Check all the ledgers as one dossier (one story)."""
    links: LinkOptions = field(default_factory=LinkOptions)
    evidence: bool = True
    """Read the cited pages and check the claims' passages (with the same fetches)."""
    page_cap: int = DEFAULT_PAGE_CAP
    """Bytes read at most per cited page for the evidence check."""


def check_link_options(options: LinkOptions) -> None:
    """Check every link option at once, before any work and without the network.

    Raises :class:`LinkOptionsError` with the message for the first unusable one. A store
    path (``cache_path``) holding a file that is not a link store is refused here, never
    changed.
    """
    from claimcheck.links.cache import CacheLocationError, inspect_location, refusal
    from claimcheck.links.check import validate

    validate(options)
    if options.cache_path is not None and options.use_cache:
        try:
            kind = inspect_location(options.cache_path)
        except CacheLocationError as exc:
            raise LinkOptionsError(str(exc)) from None
        if kind == "not-sqlite":
            raise LinkOptionsError(refusal(f"--cache {options.cache_path}", kind))


def verify(
    ledgers: Ledgers = None,
    options: VerifyOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate each ledger, anchor quotes and figures, run the consistency rules and,
    unless ``options.offline``, check every cited link (each distinct URL once across
    all ledgers).

    The exit code is the worst outcome: a failing finding (1) outranks links that could
    not be checked (3). With several ledgers, ``report.parts`` holds one report per
    ledger. Link options are checked (even offline) before any ledger is read. Notes of
    the link run (a store set aside, snapshots written) are in ``report.notes``.
    """
    from claimcheck.pipeline import exit_code_for, run_verify

    options = options or VerifyOptions()
    check_link_options(options.links)
    loaded = load_all(ledgers, options.dossier)
    reports = _each(loaded, run_verify)  # LedgerError when a document cannot be read
    _warn_separate(loaded, reports)
    if options.offline:
        for report in reports:
            report.links = []
            report.link_summary = LinkSummary(checked=False, note="--offline")
        return gather(reports)
    reader = (
        _reader(loaded, options.page_cap, options.links.use_cache) if options.evidence else None
    )
    start = perf_counter()
    per_ledger, summaries, total, notes = _run_links(loaded, options.links, progress, reader)
    elapsed = perf_counter() - start  # one run for every ledger: each part shares it
    for i, (report, results, summary) in enumerate(
        zip(reports, per_ledger, summaries, strict=True)
    ):
        report.links, report.link_summary = results, summary
        report.timings["links"] = elapsed
        report.fail_on = options.links.fail_on
        if reader is not None:
            _add_evidence(report, reader, i, loaded[i], options.links)
        if exit_code_for(report.findings) == ExitCode.OK:
            report.exit_code = _links_code(report, options.links)
        else:
            report.exit_code = ExitCode.FINDINGS
    out = gather(reports, total)
    out.notes = notes
    return out


def check(ledgers: Ledgers = None, dossier: bool = False) -> Report:
    """The consistency rules, each result explained with its arithmetic, and per measure
    the table of its claims (with several ledgers, ``report.parts`` has one per ledger).

    With ``dossier``, the ledgers are checked as one story (their claims compared with
    each other); without, ledgers that count one measure each get a warning saying so."""
    from claimcheck.pipeline import run_check

    loaded = load_all(ledgers, dossier)
    reports = _each(loaded, run_check)
    _warn_separate(loaded, reports)
    return gather(reports)


def links(
    ledgers: Ledgers = None,
    options: LinkOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check every cited ``url`` and ``archive_url`` once (once across all ledgers); each
    result names the sources and claims that depend on it. Exit code 1 for a confirmed
    ``fail_on`` status, else 3 when the network is down, else 0."""
    options = options or LinkOptions()
    check_link_options(options)
    loaded = load_all(ledgers)
    start = perf_counter()
    per_ledger, summaries, total, notes = _run_links(loaded, options, progress)
    elapsed = perf_counter() - start
    reports = []
    for led, results, summary in zip(loaded, per_ledger, summaries, strict=True):
        report = Report(
            ledger=led.display,
            title="claimcheck links",
            links=results,
            link_summary=summary,
            sections=("links",),
            fail_on=options.fail_on,
            timings={"links": elapsed},
        )
        report.exit_code = _links_code(report, options)
        reports.append(report)
    out = gather(reports, total)
    out.notes = notes
    return out


def evidence(
    ledgers: Ledgers = None,
    options: LinkOptions | None = None,
    progress: Progress | None = None,
    page_cap: int = DEFAULT_PAGE_CAP,
) -> Report:
    """Read every cited page whole (once across all ledgers, within ``page_cap`` bytes)
    and judge every (claim, source) pair: ``supported``, ``changed``, ``unverifiable``,
    ``dead`` or ``not-checked``. The links are judged by the same fetches. Same options,
    cache, sharding and exit codes as :func:`links`: 1 for a confirmed ``changed`` or a
    failing link, else 3 when the network is down, else 0."""
    from claimcheck.pipeline import exit_code_for

    options = options or LinkOptions()
    check_link_options(options)
    if page_cap < 1:
        raise LinkOptionsError("--max-page-size must be at least 1 byte")
    loaded = load_all(ledgers)
    reader = _reader(loaded, page_cap, options.use_cache)
    per_ledger, summaries, total, notes = _run_links(loaded, options, progress, reader)
    reports = []
    for i, (led, results, summary) in enumerate(zip(loaded, per_ledger, summaries, strict=True)):
        report = Report(
            ledger=led.display,
            title="claimcheck evidence",
            links=results,
            link_summary=summary,
            fail_on=options.fail_on,
        )
        _add_evidence(report, reader, i, led, options)
        # Worst of the two: a changed passage or a dead link fails; else network down is 3.
        report.exit_code = exit_code_for(report.findings)
        if report.exit_code == ExitCode.OK:
            report.exit_code = _links_code(report, options)
        reports.append(report)
    out = gather(reports, total)
    out.notes = notes
    return out


def _reader(loaded: list[LoadedLedger], page_cap: int, store: bool) -> EvidenceReader:
    from claimcheck.evidence.run import EvidenceReader

    # Fingerprints are kept in the store only: without one they are not worked out.
    return EvidenceReader([led.ledger for led in loaded], page_cap, fingerprints=store)


def _add_evidence(
    report: Report, reader: EvidenceReader, index: int, led: LoadedLedger, options: LinkOptions
) -> None:
    """Ledger ``index``'s verdicts and their findings, into its report."""
    from claimcheck.evidence import evidence_findings

    report.findings.extend(
        evidence_findings(reader, index, led, report.links or [], options.fail_on)
    )
    report.evidence = reader.results_of(index)


def claims(
    ledger: LedgerInput = None,
    where: ClaimFilter | None = None,
    time_series: bool | None = None,
) -> Listing:
    """The claims that pass ``where`` (every given criterion must hold; a place includes
    the places inside it). ``time_series`` orders by place, scope and time; by default it
    does so when filtering on a measure. Raises :class:`~claimcheck.listing.FilterError`."""
    from claimcheck.listing import ClaimFilter, claims_listing, select_claims

    loaded = load(ledger)
    where = where or ClaimFilter()
    selected = select_claims(loaded, where)
    series = where.measure is not None if time_series is None else time_series
    listing = claims_listing(loaded, selected, time_series=series)
    listing.ledger = loaded.display
    from claimcheck.dossier import Dossier, with_ledger_column

    return with_ledger_column(listing, loaded) if isinstance(loaded, Dossier) else listing


def sources(ledger: LedgerInput = None) -> Listing:
    """The sources with how many claims rest on each and its URL."""
    from claimcheck.listing import sources_listing

    loaded = load(ledger)
    listing = sources_listing(loaded)
    listing.ledger = loaded.display
    return listing


def coverage(ledger: LedgerInput = None, every: bool = False) -> Listing:
    """The figures and dates of the article that no claim's quote covers (every one,
    with its status, when ``every``), each with its line and sentence; a dossier's
    articles one after the other. Raises :class:`LedgerError` when a ledger names no
    document or its text cannot be read."""
    from claimcheck.coverage import check_coverage, coverage_listing
    from claimcheck.dossier import Dossier
    from claimcheck.loader import Problem

    loaded = load(ledger)
    ledgers = [m.loaded for m in loaded.members] if isinstance(loaded, Dossier) else [loaded]
    found = []
    for ld in ledgers:
        document = ld.document_text()
        if document is None:
            raise LedgerError(
                [Problem(ld.display, "the ledger names no document: there is nothing to cover")]
            )
        found.append(check_coverage(ld, document))
    return coverage_listing(found, every)


def claimreview(
    ledgers: Ledgers = None, reviewer: Reviewer | None = None, dossier: bool = False
) -> list[dict[str, Any]]:
    """schema.org ``ClaimReview`` objects (JSON-LD), one per claim a finding settles, for
    every ledger (or the dossier): see :mod:`claimcheck.claimreview`. ``reviewer.url`` is
    the page that publishes the fact check (each review links ``#claim-ID`` on it).
    Raises ``ValueError`` when that URL is not an absolute http(s) URL."""
    import re

    from claimcheck.claimreview import claim_reviews
    from claimcheck.dossier import Dossier, qualify
    from claimcheck.pipeline import run_verify

    reviewer = reviewer or Reviewer(url="")
    if not re.fullmatch(r"https?://[^\s#]+", reviewer.url):
        raise ValueError(f"--url must be the fact check's absolute http(s) URL: {reviewer.url!r}")
    out: list[dict[str, Any]] = []
    for ld in load_all(ledgers, dossier):
        documents = None
        if isinstance(ld, Dossier):
            documents = {
                qualify(m.name, c.id): m.loaded.ledger.document
                for m in ld.members
                for c in m.loaded.ledger.claims
            }
        out += claim_reviews(ld, run_verify(ld).findings, reviewer, documents)
    return out


@dataclass
class HtmlReport:
    """The HTML report's text and the verify report it shows (whose exit code it keeps)."""

    html: str
    report: Report


def report(
    ledgers: Ledgers = None,
    dossier: bool = False,
    links: LinkOptions | None = None,
    title: str | None = None,
) -> HtmlReport:
    """One self-contained HTML page showing what ``verify`` finds, for people: the summary
    line, a timeline chart per measure, the place tree with its figures, every finding
    with its arithmetic and links to its claims, the article with each quote highlighted
    and linked to its claim, and the claims, filterable by status, measure, place and
    source. With ``links`` (options of the link check), the cited pages are read and the
    link and evidence verdicts, with archived copies, are shown too (network use)."""
    from claimcheck.htmlreport import book_of, render_page
    from claimcheck.pipeline import run_verify
    from claimcheck.reporters.common import verdict

    loaded = load_all(ledgers, dossier)
    reports = _each(loaded, run_verify)
    _warn_separate(loaded, reports)
    for r in reports:
        r.links = []
        r.link_summary = LinkSummary(checked=False, note="--offline")
    if links is not None:
        checked = evidence(loaded, links)
        for r, part in zip(reports, checked.ledger_reports(), strict=True):
            r.links, r.link_summary, r.evidence = part.links, part.link_summary, part.evidence
            r.findings += [f for f in part.findings if f.check.startswith("evidence")]
            r.exit_code = worst_exit_code([r.exit_code, part.exit_code])
    gathered = gather(reports)
    books = [book_of(ld, r) for ld, r in zip(loaded, reports, strict=True)]
    name = title or (books[0].title if len(books) == 1 else f"{len(books)} ledgers")
    return HtmlReport(render_page(books, f"claimcheck report: {name}", verdict(gathered)), gathered)


def schema() -> dict[str, Any]:
    """The ledger's JSON Schema (draft 2020-12); ``claims.schema.json`` is its text."""
    from claimcheck.schema import json_schema

    return json_schema()


def _each(loaded: list[LoadedLedger], run: Callable[[LoadedLedger], Report]) -> list[Report]:
    """``run`` on every ledger; the problems of all of them in one :class:`LedgerError`."""
    reports: list[Report] = []
    problems: list[Problem] = []
    for led in loaded:
        try:
            reports.append(run(led))
        except LedgerError as err:
            problems += err.problems
    if problems:
        raise LedgerError(problems)
    return reports


def _run_links(
    loaded: list[LoadedLedger],
    options: LinkOptions,
    progress: Progress | None,
    reader: PageReader | None = None,
) -> tuple[list[list[LinkResult]], list[LinkSummary], LinkSummary, list[str]]:
    """One link run for every ledger: per ledger its results and summary, the summary of
    the run, and its notes (full sentences) gathered instead of printed."""
    from claimcheck.dossier import Dossier
    from claimcheck.links import check_ledger_links
    from claimcheck.links.locate import locate_links
    from claimcheck.links.many import check_many_links

    if options.write_archive:
        if len(loaded) > 1:
            raise LinkOptionsError("--write-archive takes one ledger, not several")
        if isinstance(loaded[0], Dossier):
            raise LinkOptionsError(
                "--write-archive rewrites one ledger: give it a ledger, not a dossier"
            )
        if is_bundled(loaded[0].path):  # it may live inside site-packages
            raise LinkOptionsError(
                "--write-archive needs a LEDGER path; the bundled ledger is not rewritten"
            )
        from claimcheck.atomic import check_writable

        try:  # before any link is fetched: a read-only ledger is refused, never rewritten
            check_writable(loaded[0].path)
        except OSError as err:
            raise LinkOptionsError(
                f"--write-archive: cannot write {loaded[0].display}: {err.strerror or err}"
            ) from None
    notes: list[str] = []
    if options.on_note is None:
        options = replace(options, on_note=notes.append)
    if len(loaded) == 1:
        results, summary = check_ledger_links(
            loaded[0].ledger, options, progress=progress, ledger_path=loaded[0].path, reader=reader
        )
        return [locate_links(loaded[0], results)], [summary], summary, notes
    per_ledger, summaries, total = check_many_links(
        [led.ledger for led in loaded], options, progress, reader
    )
    located = [locate_links(led, res) for led, res in zip(loaded, per_ledger, strict=True)]
    return located, summaries, total, notes


def _links_code(report: Report, options: LinkOptions) -> ExitCode:
    from claimcheck.links import links_exit_code

    assert report.links is not None and report.link_summary is not None
    return links_exit_code(report.links, report.link_summary, options)
