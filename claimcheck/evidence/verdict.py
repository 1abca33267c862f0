"""Verdicts per (claim, source): does the source still say what the ledger cites?

Pure data and pure judgement: :func:`judge` turns a link result and a search of the page
into one :class:`EvidenceResult`; nothing here fetches.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from claimcheck.results import LinkStatus

__all__ = ["DEAD_STATUSES", "ArchiveWitness", "EvidenceResult", "PageRead", "Verdict"]


class Verdict(StrEnum):
    """One verdict per (claim, source) pair."""

    SUPPORTED = "supported"
    CHANGED = "changed"
    UNVERIFIABLE = "unverifiable"
    DEAD = "dead"
    NOT_CHECKED = "not-checked"


DEAD_STATUSES = frozenset(
    {
        LinkStatus.BROKEN,
        LinkStatus.GONE,
        LinkStatus.UNREACHABLE,
        LinkStatus.REDIRECT_LOOP,
        LinkStatus.SOFT_404,
    }
)
"""Link statuses that mean the cited page is no longer there."""
UNREADABLE_STATUSES = frozenset({LinkStatus.BLOCKED, LinkStatus.TIMEOUT, LinkStatus.SERVER_ERROR})
"""The page may exist but could not be read: blocked, a challenge, a login wall, too slow."""


@dataclass(frozen=True)
class PageRead:
    """What was learnt from reading one URL whole (kept small: no page text)."""

    unreadable: str | None = None
    """Why the page gave no text to search, or None."""
    digest: str | None = None
    """Fingerprint of the main text (typography, spacing and case folded away)."""


@dataclass(frozen=True)
class ArchiveWitness:
    """What the archived capture closest before the citation's date says."""

    url: str | None
    """The snapshot to cite; None when the archive has no capture."""
    timestamp: str | None = None
    found: bool | None = None
    """Whether the passage is in the capture (None: it could not be read)."""
    figures: tuple[str, ...] = ()
    """Numbers of the passage as the capture has it (its own words, when found)."""
    detail: str | None = None

    @property
    def date(self) -> str | None:
        """The capture's day, ``YYYY-MM-DD``."""
        ts = self.timestamp
        return f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}" if ts and len(ts) >= 8 else None

    def to_json(self) -> dict[str, object]:
        """The witness as JSON."""
        return {
            "url": self.url,
            "date": self.date,
            "found": self.found,
            "figures": list(self.figures),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class EvidenceResult:
    """The verdict on one (claim, source) pair, with what it rests on."""

    claim: str
    source: str
    verdict: Verdict
    detail: str
    url: str | None = None
    passage: str | None = None
    """The ledger's passage (None: no passage given)."""
    nearest: str | None = None
    """For ``changed``: the page's passage nearest to the ledger's."""
    similarity: float | None = None
    figure: str | None = None
    """The claim's figure or date."""
    figures_cited: tuple[str, ...] = ()
    """Numbers in the ledger's passage."""
    figures_now: tuple[str, ...] = ()
    """Numbers in the nearest passage of the live page."""
    page: int | None = None
    link_status: LinkStatus | None = None
    archive: ArchiveWitness | None = None
    text_changed_since: str | None = None
    """The day of the previous check when the page's text has changed since."""
    confirmed: bool = True
    """False while a ``changed`` is not yet confirmed under ``--confirm N``."""
    location: str | None = None

    def to_json(self) -> dict[str, object]:
        """The verdict as the JSON object of ``evidence --format json``."""
        return {
            "claim": self.claim,
            "source": self.source,
            "verdict": self.verdict.value,
            "detail": self.detail,
            "url": self.url,
            "passage": self.passage,
            "page": self.page,
            "figure": self.figure,
            "nearest": self.nearest,
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "figures_cited": list(self.figures_cited),
            "figures_now": list(self.figures_now),
            "link_status": self.link_status.value if self.link_status else None,
            "archive": self.archive.to_json() if self.archive else None,
            "text_changed_since": self.text_changed_since,
            "confirmed": self.confirmed,
            "location": self.location,
        }
