"""The evidence run: read each cited page once, judge every (claim, source) pair.

:class:`EvidenceReader` plugs into the link run (:mod:`claimcheck.links.check`): the
pages it wants are fetched whole by the same request that judges the link, extracted as
soon as they arrive (bodies are not kept: memory stays bounded by what is in flight), and
searched for their passages. After the link run it judges each pair, asks the archive
to witness the ``changed`` and ``dead`` ones, and keeps each page's fingerprint and each
pair's verdict in the link store.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from claimcheck.evidence import DEFAULT_PAGE_CAP
from claimcheck.evidence.extract import PageText, extract
from claimcheck.evidence.locate import (
    Search,
    claim_figure,
    claim_figure_in,
    figures_of,
    page_key,
    search,
)
from claimcheck.evidence.verdict import (
    DEAD_STATUSES,
    UNREADABLE_STATUSES,
    ArchiveWitness,
    EvidenceResult,
    PageRead,
    Verdict,
)
from claimcheck.links.check import RunContext
from claimcheck.links.collect import latest_day
from claimcheck.links.fetch import FetchOutcome
from claimcheck.models import Claim, Ledger, Passage, Source
from claimcheck.results import LinkResult, LinkStatus

__all__ = ["EvidenceReader", "Pair", "pairs_of"]

DAY = 86400.0
_SNAPSHOT = re.compile(r"/web/(\d{4,14})/")
SHOWN_CHARS = 240
_NOT_READ = PageRead("the page was not read")


@dataclass(frozen=True)
class Pair:
    """One (claim, source) pair of the ledger, with its passage if one is given."""

    claim: Claim
    claim_index: int
    source: Source
    passage: Passage | None
    passage_index: int | None
    ledger: int = 0
    """Index of the ledger in the run."""

    @property
    def key(self) -> str:
        """The pair's key in the store's evidence history."""
        return f"pair\x00{self.claim.id}\x00{self.source.id}\x00{self.source.url or ''}"

    @property
    def when(self) -> date | None:
        """The date the passage vouches for: read, else the source read, else published."""
        accessed = self.passage.accessed if self.passage else None
        return (
            latest_day(accessed)
            or latest_day(self.source.accessed)
            or latest_day(self.source.published)
        )


def pairs_of(ledger: Ledger, index: int) -> list[Pair]:
    """Every (claim, source) pair, in ledger order."""
    sources = {s.id: s for s in ledger.sources}
    out: list[Pair] = []
    for ci, claim in enumerate(ledger.claims):
        given = {p.source: (j, p) for j, p in enumerate(claim.passages)}
        for sid in claim.sources:
            source = sources[sid]  # the loader refused unknown source ids
            j, passage = given.get(sid, (None, None))
            out.append(Pair(claim, ci, source, passage, j, index))
    return out


def _digest(folded: str) -> str:
    """A digest of a page's folded main text (:func:`page_key`): typography, spacing and
    case do not change it. JSON prose may hold lone surrogates: they are kept."""
    return hashlib.sha256(folded.encode(errors="surrogatepass")).hexdigest()[:32]


def _day(ts: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ts))


def _trim(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` on one line, cut after at most ``limit`` characters at a word when a word
    ends in the second half, else at ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rfind(" ")
    return text[: cut if cut > limit // 2 else limit] + " …"


@dataclass(frozen=True)
class PageLearnt:
    """What reading one page left: its fingerprint and the searches of its passages."""

    read: PageRead
    searches: tuple[tuple[str, Search], ...] = ()


@dataclass(frozen=True)
class PassageTaker:
    """Reads a fetched page into :class:`PageLearnt` (runs where the page was fetched)."""

    page_cap: int
    passages: dict[str, tuple[str, ...]]
    fingerprints: bool = True
    """Fingerprint each page (folding its whole text): only a run with a store keeps
    them; without one, a passage found as written spares the folding."""

    def take(self, url: str, outcome: FetchOutcome) -> PageLearnt | None:
        """Extract the page's text and search it for its passages; the body is let go.
        A page an extractor fails on is ``unverifiable`` with the reason, never the end of
        the run."""
        try:
            return self._read(url, outcome)
        except Exception as exc:  # a library's bug on one odd page must not sink the run
            why = f"{type(exc).__name__}: {exc}"[:200]
            return PageLearnt(PageRead(f"the page could not be read as text ({why})"))

    def _read(self, url: str, outcome: FetchOutcome) -> PageLearnt | None:
        page = outcome.page
        if page is None or page.body is None:
            return None  # the fetcher keeps the body of a 2xx answer only
        if page.truncated:
            cap = f"the page is over the size cap ({self.page_cap // 1024} KiB)"
            return PageLearnt(PageRead(cap))
        ctype = (
            f"{page.content_type}; charset={page.charset}" if page.charset else page.content_type
        )
        text = extract(page.body, ctype, page.parsed)
        if text.unreadable is not None:
            return PageLearnt(PageRead(text.unreadable))
        wanted = self.passages.get(url, ())
        if not self.fingerprints and wanted:
            # Every passage found in the page's marked article: nothing more to read.
            searches = tuple((p, search(text, p)) for p in wanted)
            if all(found.found for _, found in searches):
                return PageLearnt(PageRead(None, None), searches)
        if _blank(text.main) and _blank(text.extra):
            # An empty body or a page drawn by scripts: nothing to judge, not a change.
            return PageLearnt(PageRead("the page has no text"))
        # One fold of the text for the digest and the searches, when a digest is kept.
        main_key = page_key(text.main) if self.fingerprints else None
        digest = None if main_key is None else _digest(main_key)
        searches = tuple((p, search(text, p, main_key)) for p in wanted)
        return PageLearnt(PageRead(None, digest), searches)


def _blank(text: str) -> bool:
    return not text or text.isspace()


class EvidenceReader:
    """Reads the cited pages during the link run and judges every pair after it."""

    def __init__(
        self, ledgers: list[Ledger], page_cap: int = DEFAULT_PAGE_CAP, *, fingerprints: bool
    ) -> None:
        self.page_cap = page_cap
        self.fingerprints = fingerprints
        """Whether pages are fingerprinted (the run keeps a store)."""
        self.pairs = [p for i, led in enumerate(ledgers) for p in pairs_of(led, i)]
        self._by_url: dict[str, list[Pair]] = defaultdict(list)
        for pair in self.pairs:
            if pair.source.url is not None:
                self._by_url[pair.source.url].append(pair)
        self._early: dict[str, tuple[tuple[LinkStatus, str | None], dict[int, EvidenceResult]]]
        self._early = {}
        self.passages: dict[str, set[str]] = defaultdict(set)
        self.urls: set[str] = set()
        for pair in self.pairs:
            url = pair.source.url
            if url is not None:
                self.urls.add(url)
                if pair.passage is not None:
                    self.passages[url].add(pair.passage.text)
        self.reads: dict[str, PageRead] = {}
        self.searches: dict[tuple[str, str], Search] = {}
        self.judged: list[tuple[Pair, EvidenceResult]] = []
        """Every pair of this run (shard) with its verdict, in ledger order."""
        self.changed_pages: dict[str, str] = {}
        """URL → day of the previous check, for pages whose text changed since."""
        self.checked = True

    # --- during the link run ---------------------------------------------------------

    def wants(self, url: str) -> bool:
        """Every cited ``url`` is read whole: its text is fingerprinted even without a
        passage."""
        return url in self.urls

    @property
    def taker(self) -> PassageTaker:
        """What reads each page as it arrives (picklable: it may run in a worker)."""
        passages = {u: tuple(p) for u, p in self.passages.items()}
        return PassageTaker(self.page_cap, passages, self.fingerprints)

    def absorb(self, url: str, kept: object, link: LinkResult) -> None:
        """Keep what the taker learnt of ``url``'s page, and judge its pairs at once on
        the link as fetched (while the run waits for other pages): :meth:`after` keeps
        those verdicts when the link's final result says the same."""
        if isinstance(kept, PageLearnt):
            self.reads[url] = kept.read
            for passage, found in kept.searches:
                self.searches[(url, passage)] = found
        pairs = self._by_url.get(url, ())
        judged = {id(p): self._judge(p, {url: link}) for p in pairs}
        self._early[url] = ((link.status, link.detail), judged)

    # --- after the link run ----------------------------------------------------------

    async def after(self, link_results: list[LinkResult], context: RunContext) -> None:
        """Judge every pair whose URL was in this run, ask the archive, keep history."""
        self.checked = context.checked
        links = {r.url: r for r in link_results if r.kind == "url"}
        # A pair whose URL is not in this run belongs to another shard.
        kept = [
            (pair, self._judged_early(pair, links) or self._judge(pair, links))
            for pair in self.pairs
            if pair.source.url is None or pair.source.url in links
        ]
        if context.checked and context.options.archive:
            kept = await self._witness(kept, context)
        if context.store is not None:
            kept = self._history(kept, context)
        self.judged = kept

    def _judged_early(self, pair: Pair, links: dict[str, LinkResult]) -> EvidenceResult | None:
        """The verdict given when the page arrived, if its link ended the run as it was
        then (the verdict reads nothing else of it)."""
        url = pair.source.url
        early = self._early.get(url) if url is not None else None
        if early is None or url is None:
            return None
        (status, detail), judged = early
        link = links[url]
        return judged.get(id(pair)) if (link.status, link.detail) == (status, detail) else None

    def results_of(self, ledger: int) -> list[EvidenceResult]:
        """The verdicts of one ledger of the run."""
        return [r for p, r in self.judged if p.ledger == ledger]

    def _judge(self, pair: Pair, links: dict[str, LinkResult]) -> EvidenceResult:
        url = pair.source.url
        base = EvidenceResult(
            claim=pair.claim.id,
            source=pair.source.id,
            verdict=Verdict.NOT_CHECKED,
            detail="",
            url=url,
            passage=pair.passage.text if pair.passage else None,
            figure=claim_figure(pair.claim),
            figures_cited=figures_of(pair.passage.text) if pair.passage else (),
        )
        if url is None:
            return replace(base, detail="the source has no url")
        link = links[url]
        base = replace(base, link_status=link.status)
        status = link.status
        if status is LinkStatus.OFFLINE:
            return replace(base, detail="not checked: the network is unreachable")
        if status is LinkStatus.SKIPPED:
            return replace(base, detail=f"not checked: {link.detail or status.value}")
        if status in DEAD_STATUSES:
            return replace(base, verdict=Verdict.DEAD, detail=f"the link is {_said(link)}")
        if status in UNREADABLE_STATUSES:
            detail = f"the page could not be read ({_said(link)})"
            return replace(base, verdict=Verdict.UNVERIFIABLE, detail=detail)
        read = self.reads.get(url, _NOT_READ)
        if read.unreadable is not None:
            return replace(base, verdict=Verdict.UNVERIFIABLE, detail=read.unreadable)
        if pair.passage is None:
            return replace(base, detail="no passage given: the link is checked for liveness only")
        # A readable page was searched for every passage cited from it.
        return _verdict_on_text(base, pair, self.searches[(url, pair.passage.text)])

    async def _witness(
        self, kept: list[tuple[Pair, EvidenceResult]], context: RunContext
    ) -> list[tuple[Pair, EvidenceResult]]:
        """For ``changed`` and ``dead`` pairs, what the archived copy closest before the
        citation's date says."""
        from claimcheck.links.archive import ArchiveClient, ArchiveError
        from claimcheck.links.fetch import make_client

        wanted = [
            i
            for i, (p, r) in enumerate(kept)
            if r.verdict in (Verdict.CHANGED, Verdict.DEAD) and p.passage is not None
        ]
        if not wanted:
            return kept
        # A pool of two connections: at most two requests to the archive at a time.
        settings = replace(context.settings, max_concurrency=2)
        out = list(kept)
        async with make_client(settings) as client:
            archive = ArchiveClient(client, context.options.archive_endpoint, settings)
            captures: dict[str, asyncio.Future[PageText | str]] = {}

            async def read(snapshot: str) -> PageText | str:
                fut = captures.get(snapshot)
                if fut is None:
                    fut = asyncio.ensure_future(
                        _read_capture(client, snapshot, self.page_cap, settings.timeout)
                    )
                    captures[snapshot] = fut
                return await fut

            async def one(i: int) -> None:
                pair, result = out[i]
                assert pair.passage is not None and pair.source.url is not None
                try:
                    snapshot = await archive.find(pair.source.url, pair.when)
                except ArchiveError as exc:
                    witness = ArchiveWitness(None, detail=f"archive lookup failed: {exc}")
                else:
                    witness = await _witness_of(snapshot, read, pair.passage.text)
                out[i] = (pair, _with_witness(result, witness))

            await asyncio.gather(*(one(i) for i in wanted))
        return out

    def _history(
        self, kept: list[tuple[Pair, EvidenceResult]], context: RunContext
    ) -> list[tuple[Pair, EvidenceResult]]:
        """Fingerprints per page and verdicts per pair, kept in the store; a page whose
        text changed since the last check says so, and ``--confirm`` holds back a
        ``changed`` until it has been seen on N checks a day apart."""
        store = context.store
        assert store is not None
        now = (context.options.clock or time.time)()
        rows: list[tuple[str, float, str, str]] = []
        for url, read in self.reads.items():
            if read.digest is None:
                continue
            page_key = f"page\x00{url}"
            previous = store.evidence_rows(page_key)
            if previous and previous[0][2] != read.digest:
                self.changed_pages[url] = _day(previous[0][0])
            rows.append((page_key, now, "read", read.digest))
        out: list[tuple[Pair, EvidenceResult]] = []
        confirm = context.options.confirm
        for pair, result in kept:
            if result.url in self.changed_pages:
                result = replace(result, text_changed_since=self.changed_pages[result.url])
            if result.verdict in (Verdict.NOT_CHECKED,):
                out.append((pair, result))
                continue
            earlier = store.evidence_rows(pair.key)
            rows.append((pair.key, now, result.verdict.value, ""))
            if result.verdict is Verdict.CHANGED:
                run = [now] + [t for t, v, _ in _run_of(earlier, Verdict.CHANGED)]
                ok = len(run) >= confirm and (confirm <= 1 or run[0] - run[-1] >= DAY)
                if len(run) > 1:
                    note = f"changed since {_day(run[-1])}, {len(run)} checks in a row"
                    if not ok:
                        note += f"; not yet confirmed (--confirm {confirm})"
                    result = replace(result, detail=f"{result.detail}; {note}")
                result = replace(result, confirmed=ok)
            out.append((pair, result))
        store.record_evidence(rows)
        return out


def _said(link: LinkResult) -> str:
    """``broken: HTTP 404``: the link's status and what the link check said of it."""
    return f"{link.status.value}: {link.detail}" if link.detail else link.status.value


def _run_of(rows: list[tuple[float, str, str]], verdict: Verdict) -> list[tuple[float, str, str]]:
    """The newest rows that all have ``verdict`` (the current run)."""
    run = []
    for row in rows:
        if row[1] != verdict.value:
            break
        run.append(row)
    return run


def _verdict_on_text(base: EvidenceResult, pair: Pair, found: Search) -> EvidenceResult:
    assert pair.passage is not None
    if found.page:
        where = f" (page {found.page})"
    elif not found.in_main:
        where = " (outside the page's main text)"
    else:
        where = ""
    if found.found:
        held = claim_figure_in(pair.claim, pair.passage.text)
        if held is False:
            return replace(
                base,
                page=found.page,
                detail=(
                    f"the passage is on the page{where} but does not state the claim's "
                    f"figure {base.figure}: give the words that do"
                ),
            )
        says = f" and states {base.figure}" if held else ""
        return replace(
            base,
            verdict=Verdict.SUPPORTED,
            page=found.page,
            detail=f"the passage is on the page{where}{says}",
        )
    detail = "the passage is no longer on the page"
    if found.nearest:
        detail += f"; nearest ({found.similarity:.0%} similar): “{_trim(found.nearest)}”"
        if base.figures_cited != found.figures_now and found.similarity >= 0.5:
            cited, now = _differing(base.figures_cited, found.figures_now)
            detail += f"; figures: cited {cited}, now {now}"
    else:
        detail += "; nothing on the page resembles it"
    return replace(
        base,
        verdict=Verdict.CHANGED,
        detail=detail,
        nearest=found.nearest or None,
        similarity=found.similarity,
        figures_now=found.figures_now,
    )


async def _witness_of(
    snapshot: str | None,
    read: object,
    passage: str,
) -> ArchiveWitness:
    if snapshot is None:
        return ArchiveWitness(None, detail="the archive has no capture of the page")
    m = _SNAPSHOT.search(snapshot)
    stamp = m.group(1) if m else None
    text = await read(snapshot)  # type: ignore[operator]
    if isinstance(text, str):
        return ArchiveWitness(snapshot, stamp, detail=text)
    if text.unreadable is not None:
        return ArchiveWitness(snapshot, stamp, detail=text.unreadable)
    found = search(text, passage)
    if found.found:
        return ArchiveWitness(snapshot, stamp, True, figures_of(passage))
    return ArchiveWitness(snapshot, stamp, False, found.figures_now)


def _differing(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, str]:
    """The figures that differ between two passages (all of them if none differ)."""
    gone = [f for f in old if f not in new]
    came = [f for f in new if f not in old]
    if gone or came:
        return ", ".join(gone) or "none", ", ".join(came) or "none"
    return ", ".join(old) or "none", ", ".join(new) or "none"


def _with_witness(result: EvidenceResult, witness: ArchiveWitness) -> EvidenceResult:
    """Add what the archive says to a ``changed`` or ``dead`` verdict's detail."""
    day = witness.date
    if witness.url is None or witness.found is None:
        # Every witness without a verdict says why (no capture, lookup or read failed).
        return replace(result, archive=witness, detail=f"{result.detail}; {witness.detail}")
    if not witness.found:
        text = (
            f"never found: neither the page nor its archived copy of {day} has the passage; "
            "check the citation"
        )
        return replace(result, archive=witness, detail=f"{result.detail}; {text}")
    if result.verdict is Verdict.CHANGED:
        then, now = _differing(witness.figures, result.figures_now)
        text = (
            f"the archived copy of {day} says {then}; the live page now says {now}: "
            f"cite {witness.url}"
        )
    else:
        text = f"the archived copy of {day} still has the passage: cite {witness.url}"
    return replace(result, archive=witness, detail=f"{result.detail}; {text}")


async def _read_capture(client: object, snapshot: str, cap: int, timeout: float) -> PageText | str:
    """The archived page as text (the raw capture, without the archive's banner), or why
    it could not be read."""
    import zlib

    import httpx

    from claimcheck.links.fetch import _Decoder

    assert isinstance(client, httpx.AsyncClient)
    raw = _SNAPSHOT.sub(lambda m: f"/web/{m.group(1)}id_/", snapshot, count=1)
    try:
        async with asyncio.timeout(timeout), client.stream("GET", raw) as response:
            if not 200 <= response.status_code < 300:
                return f"the archived copy answered HTTP {response.status_code}"
            encoding = response.headers.get("content-encoding", "").strip().lower()
            decoder = _Decoder(encoding)
            if not decoder.supported:
                return f"the archived copy is encoded as {encoding!r}"
            chunks: list[bytes] = []
            size = 0
            # Raw bytes, undone with a hard limit: a decompression bomb costs the cap.
            async for chunk in response.aiter_raw():
                data, cut = decoder.decode(chunk, cap - size)
                size += len(data)
                if cut or size >= cap:
                    return "the archived copy is over the size cap"
                chunks.append(data)
            ctype = response.headers.get("content-type", "")
    except (httpx.HTTPError, TimeoutError, zlib.error) as exc:
        return f"the archived copy could not be read ({type(exc).__name__})"
    with contextlib.suppress(Exception):
        return extract(b"".join(chunks), ctype)
    return "the archived copy could not be read as text"
