"""One link run for several ledgers: each distinct URL fetched once, results told per ledger.

The ledgers are merged into one ledger-like view whose ids carry the ledger's index, so
the runner sees every URL once (with every source and claim of every ledger that cites
it); each result is then split back into one result per ledger citing it, with that
ledger's own source and claim ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from claimcheck.links import LinkOptions, check_ledger_links
from claimcheck.links.collect import LedgerLike
from claimcheck.results import LinkResult, LinkSummary

if TYPE_CHECKING:
    from claimcheck.links.check import PageReader

_SEP = "\x1f"  # never in an id (ids are slugs)


@dataclass(frozen=True)
class _Source:
    id: str
    url: str | None
    archive_url: str | None
    title: str | None
    published: str | None
    accessed: str | None


@dataclass(frozen=True)
class _Claim:
    id: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Merged:
    sources: tuple[_Source, ...]
    claims: tuple[_Claim, ...]


def _tag(index: int, ident: str) -> str:
    return f"{index}{_SEP}{ident}"


def merge(ledgers: Sequence[LedgerLike]) -> _Merged:
    """Every ledger's sources and claims in one view, ids prefixed with the ledger's index."""
    sources: list[_Source] = []
    claims: list[_Claim] = []
    for i, led in enumerate(ledgers):
        for s in led.sources:
            sources.append(
                _Source(_tag(i, s.id), s.url, s.archive_url, s.title, s.published, s.accessed)
            )
        for c in led.claims:
            claims.append(_Claim(_tag(i, c.id), tuple(_tag(i, sid) for sid in c.sources)))
    return _Merged(tuple(sources), tuple(claims))


def split(results: list[LinkResult], count: int) -> list[list[LinkResult]]:
    """Each merged result as one result per ledger citing it, with that ledger's ids."""
    out: list[list[LinkResult]] = [[] for _ in range(count)]
    for r in results:
        sources: dict[int, list[str]] = {}
        claims: dict[int, list[str]] = {}
        for tagged in r.sources:
            index, _, sid = tagged.partition(_SEP)
            sources.setdefault(int(index), []).append(sid)
        for tagged in r.claims:
            index, _, cid = tagged.partition(_SEP)
            claims.setdefault(int(index), []).append(cid)
        for i, sids in sources.items():
            out[i].append(replace(r, sources=tuple(sids), claims=tuple(claims.get(i, []))))
    return out


def check_many_links(
    ledgers: Sequence[LedgerLike],
    options: LinkOptions,
    progress: Callable[[int, int], None] | None = None,
    reader: PageReader | None = None,
) -> tuple[list[list[LinkResult]], list[LinkSummary], LinkSummary]:
    """Check the links of every ledger in one run: per ledger its results and summary,
    and the summary of the whole run (each distinct URL counted once).

    ``options.write_archive`` needs one ledger's path: it is not supported here.
    """
    from claimcheck.links.check import summarize

    results, total = check_ledger_links(merge(ledgers), options, progress=progress, reader=reader)
    per_ledger = split(results, len(ledgers))
    summaries = []
    for res in per_ledger:
        summary = summarize(res, options, total.checked, [])
        summary.note = total.note
        summaries.append(summary)
    return per_ledger, summaries, total
