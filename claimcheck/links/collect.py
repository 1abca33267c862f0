"""Which distinct URLs a ledger cites, and who depends on each."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


class SourceLike(Protocol):
    """The attributes of a ledger source the link checker reads."""

    @property
    def id(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def archive_url(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def published(self) -> str | None: ...
    @property
    def accessed(self) -> str | None: ...


class ClaimLike(Protocol):
    """The attributes of a ledger claim the link checker reads."""

    @property
    def id(self) -> str: ...
    @property
    def sources(self) -> Sequence[str]: ...


class LedgerLike(Protocol):
    """A ledger as the link checker sees it."""

    @property
    def sources(self) -> Sequence[SourceLike]: ...
    @property
    def claims(self) -> Sequence[ClaimLike]: ...


_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T\s].*)?\s*$")


def latest_day(value: str | None) -> date | None:
    """The latest day a reduced-precision ISO 8601 date allows.

    ``2022`` → 2022-12-31, ``2022-09`` → 2022-09-30, ``2022-09-12`` → itself, and an
    interval ``2016-09/2016-12`` → its end (2016-12-31). None when it does not parse.
    """
    if not value:
        return None
    if "/" in value:
        start, _, end = value.partition("/")
        return latest_day(end) or latest_day(start)
    m = _DATE.match(value)
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else 12
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(m.group(3)) if m.group(3) else last
    if not 1 <= day <= last:
        return None
    return date(year, month, day)


def citation_date(source: SourceLike) -> date | None:
    """The date a citation vouches for: ``accessed`` where given, else ``published``."""
    return latest_day(source.accessed) or latest_day(source.published)


@dataclass
class LinkTarget:
    """One distinct URL to check, with every source and claim that cites it."""

    url: str
    kind: str
    """``url`` or ``archive_url``."""
    sources: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    dates: dict[str, date | None] = field(default_factory=dict)
    """Citation date per source id (``url`` targets only)."""
    archived: dict[str, str] = field(default_factory=dict)
    """Existing ``archive_url`` per source id."""


def collect_targets(ledger: LedgerLike) -> list[LinkTarget]:
    """Every distinct ``url`` and ``archive_url`` once, in ledger order.

    A URL cited both as a source and as an archive is checked once, as a ``url``.
    """
    claims_of: dict[str, list[str]] = {}
    for claim in ledger.claims:
        for sid in claim.sources:
            ids = claims_of.setdefault(sid, [])
            if claim.id not in ids:
                ids.append(claim.id)
    by_url: dict[str, LinkTarget] = {}
    order: list[LinkTarget] = []

    def add(url: str, kind: str, source: SourceLike) -> LinkTarget:
        target = by_url.get(url)
        if target is None:
            target = by_url[url] = LinkTarget(url=url, kind=kind)
            order.append(target)
        if source.id not in target.sources:
            target.sources.append(source.id)
        for cid in claims_of.get(source.id, []):
            if cid not in target.claims:
                target.claims.append(cid)
        return target

    for source in ledger.sources:
        if source.url and source.url.strip():
            t = add(source.url.strip(), "url", source)
            t.kind = "url"
            if source.title and source.title not in t.titles:
                t.titles.append(source.title)
            t.dates[source.id] = citation_date(source)
            if source.archive_url and source.archive_url.strip():
                t.archived[source.id] = source.archive_url.strip()
    for source in ledger.sources:
        if source.archive_url and source.archive_url.strip():
            t = add(source.archive_url.strip(), "archive_url", source)
            # A snapshot should show the cited page too: a capture of a parked domain won't.
            if t.kind == "archive_url" and source.title and source.title not in t.titles:
                t.titles.append(source.title)
    return order
