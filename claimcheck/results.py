"""Results as data: findings of the checks, link results and the report that gathers them.

Nothing here prints. Reporters (``claimcheck.reporters``) render a :class:`Report`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimcheck.evidence.verdict import EvidenceResult


class ExitCode(IntEnum):
    """Documented exit codes of every command."""

    OK = 0
    """Everything checked is fine."""
    FINDINGS = 1
    """At least one finding failed (or a link has a status listed in ``--fail-on``)."""
    USAGE = 2
    """Bad usage or an unusable ledger (unreadable, invalid JSON, schema errors)."""
    NOT_CHECKED = 3
    """Something could not be checked (the network is down)."""


class Status(StrEnum):
    """Outcome of one finding."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Finding:
    """One outcome of one check, naming the claims involved.

    ``check`` is the rule's name (``anchor.quote``, ``consistency.sum`` …); ``message``
    is one line a person reads; ``detail`` may carry arithmetic or the nearest passage.
    ``location`` is ``file:line:col`` where the finding can be pointed at.
    """

    check: str
    status: Status
    claims: tuple[str, ...]
    message: str
    detail: str | None = None
    location: str | None = None
    measure: str | None = None

    def to_json(self) -> dict[str, object]:
        """The finding as the JSON object fixed by the ``verify --format json`` contract."""
        out: dict[str, object] = {
            "check": self.check,
            "status": self.status.value,
            "claims": list(self.claims),
            "message": self.message,
        }
        if self.detail is not None:
            out["detail"] = self.detail
        if self.location is not None:
            out["location"] = self.location
        if self.measure is not None:
            out["measure"] = self.measure
        return out


class LinkStatus(StrEnum):
    """Exactly one status per checked link."""

    OK = "ok"
    MOVED = "moved"
    BROKEN = "broken"
    GONE = "gone"
    BLOCKED = "blocked"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    REDIRECT_LOOP = "redirect-loop"
    SOFT_404 = "soft-404"
    OFFLINE = "offline"
    SKIPPED = "skipped"
    INSECURE = "insecure"
    """Cited with plain ``http`` while ``insecure`` is in ``--fail-on`` (``--fail-on-http``);
    never given otherwise (the ``insecure`` warning says it then)."""


DEFAULT_FAIL_ON: frozenset[LinkStatus] = frozenset(
    {
        LinkStatus.BROKEN,
        LinkStatus.GONE,
        LinkStatus.UNREACHABLE,
        LinkStatus.REDIRECT_LOOP,
        LinkStatus.SOFT_404,
    }
)


class LinkWarning(StrEnum):
    """Warnings a link can carry besides its status."""

    FRAGMENT_MISSING = "fragment-missing"
    TITLE_MISMATCH = "title-mismatch"
    TEMPORARY_REDIRECT = "temporary-redirect"
    INSECURE = "insecure"


@dataclass(frozen=True)
class Hop:
    """One redirect hop: the URL that answered and its HTTP status."""

    url: str
    status: int


@dataclass(frozen=True)
class LinkHistory:
    """What the cache remembers of a URL's earlier checks."""

    failing_since: str | None = None
    """ISO timestamp of the first failure in the current run of failures."""
    consecutive_failures: int = 0
    checks: int = 0
    confirmed: bool = True
    """False while a failure is not yet confirmed under ``--confirm N``."""


@dataclass(frozen=True)
class LinkResult:
    """The outcome of checking one distinct URL, with everything that cites it."""

    url: str
    status: LinkStatus
    kind: str = "url"
    """``url`` or ``archive_url``: which field of the sources holds it."""
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    sources: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    elapsed_ms: int = 0
    archive_url: str | None = None
    warnings: tuple[LinkWarning, ...] = ()
    detail: str | None = None
    history: LinkHistory | None = None
    cached: bool = False
    rewritten_url: str | None = None
    """The URL actually fetched when a configured rewrite applied (``url`` stays the
    cited one)."""
    rewrite_rules: tuple[str, ...] = ()
    """The rewrite rules applied, in order (``old → new``)."""
    location: str | None = None
    """``file:line:col`` of the first source field that cites the URL, once located."""

    def to_json(self) -> dict[str, object]:
        """The link as the JSON object fixed by the ``links --format json`` contract."""
        out: dict[str, object] = {
            "url": self.url,
            "status": self.status.value,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirects": [{"url": h.url, "status": h.status} for h in self.redirects],
            "sources": list(self.sources),
            "claims": list(self.claims),
            "elapsed_ms": self.elapsed_ms,
            "archive_url": self.archive_url,
            "warnings": [w.value for w in self.warnings],
            "detail": self.detail,
            "kind": self.kind,
            "cached": self.cached,
            "rewritten_url": self.rewritten_url,
            "rewrite_rules": list(self.rewrite_rules),
            "location": self.location,
        }
        if self.history is not None:
            out["history"] = {
                "failing_since": self.history.failing_since,
                "consecutive_failures": self.history.consecutive_failures,
                "checks": self.history.checks,
                "confirmed": self.history.confirmed,
            }
        return out


@dataclass
class LinkSummary:
    """Counts of link statuses and whether the network could be used at all."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    checked: bool = True
    """False when the network was down (or ``--offline``): no link was judged."""
    note: str | None = None
    failing: int = 0
    """Links whose status is in ``--fail-on`` (and confirmed)."""

    def to_json(self) -> dict[str, object]:
        """The summary as JSON."""
        return {
            "total": self.total,
            "by_status": dict(sorted(self.by_status.items())),
            "checked": self.checked,
            "failing": self.failing,
            "note": self.note,
        }


@dataclass
class Listing:
    """A table of records: rows of text for people, records for machines."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    make_records: Callable[[], list[dict[str, object]]] = field(repr=False, default=list)
    """Builds the records for JSON; only a JSON reporter pays for it."""
    key: str | None = None
    """What the listing is about (a measure id), to pair it with findings."""
    note: str | None = None
    name: str = "claims"
    """What the rows are (``claims``, ``sources``, ``coverage``): the key of the JSON
    array, and the command's name in the JSON document."""
    ledger: str | None = None
    """The ledger listed (its display path), shown with the title by people-facing formats."""

    @property
    def heading(self) -> str:
        """The title, with the ledger's path when the listing names it."""
        return f"{self.title} · {self.ledger}" if self.ledger else self.title

    @property
    def records(self) -> list[dict[str, object]]:
        """One JSON object per row."""
        return self.make_records()


@dataclass
class Report:
    """Everything one command found, handed once to a reporter."""

    ledger: str
    """Display path of the ledger."""
    title: str = "claimcheck"
    findings: list[Finding] = field(default_factory=list)
    links: list[LinkResult] | None = None
    """None when links were not part of the run."""
    link_summary: LinkSummary | None = None
    listings: list[Listing] = field(default_factory=list)
    """Tables shown with the findings (a consistency report's claims per measure)."""
    exit_code: ExitCode = ExitCode.OK
    sections: tuple[str, ...] = ("findings",)
    """Which parts a reporter shows: ``findings`` and/or ``links``."""
    fail_on: frozenset[LinkStatus] = DEFAULT_FAIL_ON
    """Link statuses that fail the run, so machine reporters mark the same links failed."""
    brief: bool = False
    """People-facing reporters show one line per section and only what needs attention."""
    evidence: list[EvidenceResult] | None = None
    """Verdicts per (claim, source) when the evidence check ran."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds each stage took (``ledger``, ``anchor``, ``consistency``, ``links``), for
    the formats that record time (JUnit)."""
    notes: list[str] = field(default_factory=list)
    """Notes of the run in full sentences (a link store set aside, snapshots written):
    about the run, not findings; the command line prints them on stderr."""
    parts: list[Report] = field(default_factory=list)
    """With several ledgers, one report per ledger; this report then gathers them (every
    finding and link of every part, the worst exit code). Empty for one ledger."""

    def ledger_reports(self) -> list[Report]:
        """One report per ledger: the parts, or this report when it covers one ledger."""
        return self.parts or [self]

    @property
    def ok(self) -> bool:
        """True when nothing failed and everything could be checked."""
        return self.exit_code == ExitCode.OK

    def counts(self) -> dict[str, int]:
        """Number of findings per status, every status present."""
        # list.count compares by identity first, at C speed: a report may hold 100,000.
        statuses = [f.status for f in self.findings]
        return {s.value: statuses.count(s) for s in Status}


_SEVERITY = {ExitCode.OK: 0, ExitCode.NOT_CHECKED: 1, ExitCode.FINDINGS: 2, ExitCode.USAGE: 3}


def worst_exit_code(codes: list[ExitCode]) -> ExitCode:
    """The run's exit code: a failure outranks what could not be checked, which outranks ok."""
    return max(codes, key=_SEVERITY.__getitem__, default=ExitCode.OK)


def gather(reports: list[Report], summary: LinkSummary | None = None) -> Report:
    """One report for a run over several ledgers (the report itself for one).

    ``summary`` describes the whole link run, each distinct URL counted once.
    """
    if len(reports) == 1:
        return reports[0]
    first = reports[0]
    links = None
    if any(r.links is not None for r in reports):
        links = [link for r in reports for link in (r.links or [])]
    return Report(
        ledger=f"{len(reports)} ledgers",
        title=first.title,
        findings=[f for r in reports for f in r.findings],
        links=links,
        link_summary=summary if summary is not None else first.link_summary,
        sections=first.sections,
        exit_code=worst_exit_code([r.exit_code for r in reports]),
        fail_on=first.fail_on,
        brief=first.brief,
        parts=reports,
    )
