"""The published JSON Schema of ``--format json`` output: one document shape per command.

These models describe what ``claimcheck.reporters.jsonfmt`` writes; they are not used to
write it (the reporter stays a plain dict builder, fast on 100,000 findings). The
committed ``report.schema.json`` is :func:`report_schema_text`, kept fresh by a test, and
the tests validate real outputs of every command, succeeding and failing, against it.

Every document has ``command``, ``ok``, ``exit_code``, ``ledger`` and ``errors``, then the
keys of its command, always present. Objects may gain keys in later versions (consumers
should ignore what they do not know); the keys listed as required never go away.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from claimcheck.results import LinkStatus, LinkWarning, Status

REPORT_SCHEMA_ID = "https://claimcheck.invalid/report.schema.json"
REPORT_SCHEMA_FILE = "report.schema.json"

ExitCodeValue = Literal[0, 1, 2, 3]


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorRecord(_Out):
    """A problem that stopped the run: located in a ledger, or a usage error (no file)."""

    file: str | None
    line: int | None
    column: int | None
    path: str | None = Field(description="JSON path in the ledger, such as $.claims[3].value.")
    message: str


class Counts(_Out):
    """Findings per status."""

    pass_: int = Field(alias="pass")
    fail: int
    warn: int
    unknown: int


class FindingOut(_Out):
    """One outcome of one check."""

    check: str = Field(description="The rule's name: anchor.quote, consistency.sum …")
    status: Status
    claims: list[str]
    message: str
    detail: str | None = None
    location: str | None = Field(None, description="file:line:col in the ledger.")
    measure: str | None = None
    ledger: str = Field(description="The ledger this finding is about.")


class Hop(_Out):
    """One redirect hop."""

    url: str
    status: int


class History(_Out):
    """What the link store remembers of the URL."""

    failing_since: str | None
    consecutive_failures: int
    checks: int
    confirmed: bool


class LinkOut(_Out):
    """One distinct URL, with what cites it."""

    url: str
    status: LinkStatus
    http_status: int | None
    final_url: str | None
    redirects: list[Hop]
    sources: list[str]
    claims: list[str]
    elapsed_ms: int
    archive_url: str | None
    warnings: list[LinkWarning]
    detail: str | None
    kind: Literal["url", "archive_url"]
    cached: bool
    location: str | None = Field(description="file:line:col of the first field citing it.")
    rewritten_url: str | None = Field(
        default=None, description="The URL fetched when a configured rewrite applied."
    )
    rewrite_rules: list[str] = Field(
        default_factory=list, description="The rewrite rules applied, in order (old → new)."
    )
    history: History | None = None
    ledger: str


class LinkSummary(_Out):
    """The link run: how many of each status, and whether the network could be used."""

    total: int
    by_status: dict[str, int]
    checked: bool
    failing: int
    note: str | None


class LinksSummary(LinkSummary):
    """The summary of ``links``, with the run's verdict."""

    ok: bool


class LedgerEntry(_Out):
    """One ledger of the run."""

    ledger: str
    ok: bool
    exit_code: ExitCodeValue
    counts: Counts | None = None
    summary: LinkSummary | None = None


class _Head(_Out):
    ok: bool
    exit_code: ExitCodeValue
    ledger: str | None = Field(description="The ledger's path; null with several or none.")
    errors: list[ErrorRecord] = Field(description="Why the run stopped (exit 2); else empty.")


class FindingsReport(_Head):
    """``verify`` and ``check``."""

    command: Literal["verify", "check"]
    counts: Counts
    findings: list[FindingOut]
    links: list[LinkOut]
    link_summary: LinkSummary | None = Field(description="null for check.")
    ledgers: list[LedgerEntry]


class LinksReport(_Head):
    """``links``."""

    command: Literal["links"]
    links: list[LinkOut]
    summary: LinksSummary
    ledgers: list[LedgerEntry]


class ClaimsListing(_Head):
    """``claims``: each claim as the ledger has it, with its id."""

    command: Literal["claims"]
    claims: list[dict[str, Any]]


class SourcesListing(_Head):
    """``sources``: each source with the number of claims resting on it."""

    command: Literal["sources"]
    sources: list[dict[str, Any]]


class CoverageListing(_Head):
    """``coverage``: the figures and dates of the article and what tracks each."""

    command: Literal["coverage"]
    coverage: list[dict[str, Any]]


Document = Annotated[
    FindingsReport | LinksReport | ClaimsListing | SourcesListing | CoverageListing,
    Field(discriminator="command"),
]


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of every ``--format json`` document."""
    schema = TypeAdapter(Document).json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_ID,
        "title": "claimcheck JSON report",
        "description": (
            "What `claimcheck <command> --format json` prints (and `--report json=PATH` "
            "writes), for every command, whether the run succeeds or stops. "
            "Exported by `claimcheck schema --report`; see docs/ci.md."
        ),
    } | schema


def report_schema_text() -> str:
    """The schema as the committed ``report.schema.json`` holds it."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"
