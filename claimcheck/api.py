"""The library's entry points: one function per command, each doing the command's whole job.

Each returns data (a :class:`~claimcheck.results.Report`, a
:class:`~claimcheck.results.Listing` or text) and never prints; the CLI only parses options
and picks a reporter. Problems a user can cause raise exceptions that carry a ready message:

- :class:`~claimcheck.loader.LedgerError`: the ledger cannot be used (every problem located);
- :class:`~claimcheck.links.LinkOptionsError`: a link option is unusable;
- :class:`~claimcheck.listing.FilterError`: a claims filter names something unknown.

Example::

    from claimcheck import api

    report = api.verify("data/claims.json", api.VerifyOptions(offline=True))
    print(report.exit_code, report.counts())

See docs/api.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.links import LinkOptions, LinkOptionsError
from claimcheck.loader import LedgerError, LoadedLedger, load_ledger
from claimcheck.results import ExitCode, LinkResult, LinkSummary, Listing, Report

if TYPE_CHECKING:
    from claimcheck.listing import ClaimFilter

__all__ = [
    "LedgerError",
    "LedgerInput",
    "LinkOptions",
    "LinkOptionsError",
    "Progress",
    "VerifyOptions",
    "bundled_ledger",
    "check",
    "check_link_options",
    "claims",
    "links",
    "load",
    "schema",
    "sources",
    "verify",
]

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as links finish (first with ``done == 0``)."""

LedgerInput = str | Path | LoadedLedger | None
"""A ledger path, an already loaded ledger, or None for the bundled ledger."""

_PACKAGE = Path(__file__).resolve().parent


def bundled_ledger() -> Path:
    """The ledger shipped with claimcheck: in the wheel, or in the source tree."""
    installed = _PACKAGE / "_data" / "claims.json"
    if installed.exists():
        return installed
    return _PACKAGE.parent / "data" / "claims.json"


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is the bundled ledger (which is never rewritten)."""
    try:
        return path.resolve() == bundled_ledger().resolve()
    except OSError:
        return False


def load(ledger: LedgerInput = None) -> LoadedLedger:
    """Read, parse and validate a ledger (the bundled one when ``ledger`` is None).

    Raises :class:`LedgerError` with every problem found, each located.
    """
    if isinstance(ledger, LoadedLedger):
        return ledger
    path = Path(ledger) if ledger is not None else bundled_ledger()
    from claimcheck.dossier import is_dossier_file, load_dossier_file

    if is_dossier_file(path):
        return load_dossier_file(path)
    return load_ledger(path)


@dataclass
class VerifyOptions:
    """What tunes ``verify``: whether links are checked, and how."""

    offline: bool = False
    """Skip the link check (no network use); the report says links were not checked."""
    links: LinkOptions = field(default_factory=LinkOptions)


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
    ledger: LedgerInput = None,
    options: VerifyOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate the ledger, anchor quotes and figures, run the consistency rules and,
    unless ``options.offline``, check every cited link.

    The exit code is the worst outcome: a failing finding (1) outranks links that could
    not be checked (3). Link options are checked (even offline) before the ledger is read.
    Notes of the link run (a store set aside, snapshots written) are in ``report.notes``.
    """
    from claimcheck.pipeline import exit_code_for, run_verify

    options = options or VerifyOptions()
    check_link_options(options.links)
    loaded = load(ledger)
    report = run_verify(loaded)  # LedgerError when the document's text cannot be read
    if options.offline:
        report.links = []
        report.link_summary = LinkSummary(checked=False, note="--offline")
        return report
    _refuse_bundled_writes(loaded, options.links)
    report.links, report.link_summary, report.notes = _run_links(loaded, options.links, progress)
    report.fail_on = options.links.fail_on
    if exit_code_for(report.findings) == ExitCode.OK:
        report.exit_code = _links_code(report, options.links)
    return report


def check(ledger: LedgerInput = None) -> Report:
    """The consistency rules, each result explained with its arithmetic, and per measure
    the table of its claims."""
    from claimcheck.pipeline import run_check

    return run_check(load(ledger))


def links(
    ledger: LedgerInput = None,
    options: LinkOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check every cited ``url`` and ``archive_url`` once; each result names the sources
    and claims that depend on it. Exit code 1 for a confirmed ``fail_on`` status, else 3
    when the network is down, else 0."""
    options = options or LinkOptions()
    check_link_options(options)
    loaded = load(ledger)
    _refuse_bundled_writes(loaded, options)
    results, summary, notes = _run_links(loaded, options, progress)
    report = Report(
        ledger=loaded.display,
        title="claimcheck links",
        links=results,
        link_summary=summary,
        sections=("links",),
        fail_on=options.fail_on,
        notes=notes,
    )
    report.exit_code = _links_code(report, options)
    return report


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
    from claimcheck.dossier import Dossier, with_ledger_column

    return with_ledger_column(listing, loaded) if isinstance(loaded, Dossier) else listing


def sources(ledger: LedgerInput = None) -> Listing:
    """The sources with how many claims rest on each and its URL."""
    from claimcheck.listing import sources_listing

    return sources_listing(load(ledger))


def schema() -> dict[str, Any]:
    """The ledger's JSON Schema (draft 2020-12); ``claims.schema.json`` is its text."""
    from claimcheck.schema import json_schema

    return json_schema()


def _refuse_bundled_writes(loaded: LoadedLedger, options: LinkOptions) -> None:
    from claimcheck.dossier import Dossier

    if options.write_archive and isinstance(loaded, Dossier):
        raise LinkOptionsError(
            "--write-archive rewrites one ledger: give it a ledger, not a dossier"
        )
    # The bundled ledger may live inside site-packages: never rewrite it.
    if options.write_archive and is_bundled(loaded.path):
        raise LinkOptionsError(
            "--write-archive needs a LEDGER path; the bundled ledger is not rewritten"
        )


def _run_links(
    loaded: LoadedLedger, options: LinkOptions, progress: Progress | None
) -> tuple[list[LinkResult], LinkSummary, list[str]]:
    """The link run, with its notes (full sentences) gathered instead of printed."""
    from claimcheck.links import check_ledger_links

    notes: list[str] = []
    if options.on_note is None:
        options = replace(options, on_note=notes.append)
    results, summary = check_ledger_links(
        loaded.ledger, options, progress=progress, ledger_path=loaded.path
    )
    return results, summary, notes


def _links_code(report: Report, options: LinkOptions) -> ExitCode:
    from claimcheck.links import links_exit_code

    assert report.links is not None and report.link_summary is not None
    return links_exit_code(report.links, report.link_summary, options)
