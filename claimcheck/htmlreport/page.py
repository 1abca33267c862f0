"""The HTML report: one self-contained page for a ledger or a dossier.

Nothing is loaded from elsewhere (a Content-Security-Policy meta tag says so to the
browser: no network, the one inline script allowed by its hash). Every text that comes
from a ledger, an article or a server is escaped with :func:`html.escape`. The page is
plain HTML that reads without its script; the script only filters rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from claimcheck.htmlreport.assets import CSS, JS, csp_hash
from claimcheck.htmlreport.charts import Step, points_of, sample, timeline_svg
from claimcheck.listing import format_value
from claimcheck.loader import LoadedLedger
from claimcheck.models import Claim
from claimcheck.results import Finding, Report, Status
from claimcheck.textmatch import find_quote, prepare

_RANK = {"fail": 4, "warn": 3, "unknown": 2, "pass": 1, "none": 0}
_SYMBOL = {"pass": "✓", "fail": "✗", "warn": "!", "unknown": "?", "none": "·"}


def e(text: object) -> str:
    """Escape for HTML text and attribute values."""
    return escape(str(text), quote=True)


@dataclass
class Article:
    """A document with the claims whose quotes it holds."""

    name: str
    text: str
    claims: list[Claim]


@dataclass
class Book:
    """Everything one section of the report shows: one ledger or one dossier."""

    title: str
    loaded: LoadedLedger
    report: Report
    articles: list[Article]
    ledger_of: dict[str, str] = field(default_factory=dict)
    """Each claim's ledger file and line (``file:line``)."""


def book_of(loaded: LoadedLedger, report: Report) -> Book:
    """A ledger (or dossier) and its verify report, gathered for the page."""
    from claimcheck.dossier import Dossier

    articles: list[Article] = []
    if isinstance(loaded, Dossier):
        for m in loaded.members:
            text = m.loaded.document_text()
            if text is not None:
                ids = {f"{m.name}:{c.id}" for c in m.loaded.ledger.claims}
                mine = [c for c in loaded.ledger.claims if c.id in ids]
                articles.append(Article(m.loaded.display, text, mine))
        where = loaded.claim_locations([c.id for c in loaded.ledger.claims])
        title = loaded.title or loaded.display
    else:
        text = loaded.document_text()
        if text is not None:
            doc = loaded.document_path()
            articles.append(Article(str(doc) if doc else "", text, list(loaded.ledger.claims)))
        found = loaded.locate([("claims", i) for i in range(len(loaded.ledger.claims))])
        where = {
            c.id: loc.rsplit(":", 1)[0] for c, loc in zip(loaded.ledger.claims, found, strict=True)
        }
        doc_title = loaded.ledger.document.title if loaded.ledger.document else None
        title = doc_title or loaded.display
    return Book(title, loaded, report, articles, where)


def render_page(books: list[Book], title: str, summary: str) -> str:
    """The whole page as text."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"img-src data:; style-src 'unsafe-inline'; script-src {csp_hash(JS)}; "
        "base-uri 'none'; form-action 'none'\">",
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        f'<header><h1>{e(title)}</h1><p class="summary" id="summary">{e(summary)}</p></header>',
        '<main id="main">',
    ]
    multi = len(books) > 1
    for n, book in enumerate(books):
        prefix = f"l{n + 1}-" if multi else ""
        parts.append(_Section(book, prefix, n).html(heading=multi))
    parts.append(f"</main><script>{JS}</script></body></html>")
    return "\n".join(parts)


class _Section:
    """One ledger's or dossier's part of the page; ids carry ``prefix`` to stay unique."""

    def __init__(self, book: Book, prefix: str, index: int) -> None:
        self.book = book
        self.p = prefix
        self.index = index
        self.led = book.loaded
        self.claims = book.loaded.ledger.claims
        self.findings = book.report.findings
        self.named: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(self.findings):
            for c in f.claims:
                self.named[c].append(i)
        self.status = {c.id: self._worst(self.named.get(c.id, [])) for c in self.claims}
        self.by_id = {c.id: c for c in self.claims}

    def _worst(self, indexes: list[int]) -> str:
        found = [self.findings[i].status.value for i in indexes]
        return max(found, key=lambda s: _RANK[s]) if found else "none"

    def cid(self, claim_id: str) -> str:
        return f"{self.p}claim-{claim_id}"

    def html(self, heading: bool) -> str:
        out = ["<section>"]
        if heading:
            from claimcheck.reporters.common import verdict

            out.append(f'<h2 id="{self.p}title">{e(self.book.title)}</h2>')
            out.append(f'<p class="summary">{e(verdict(self.book.report))}</p>')
        out.append(self._nav())
        out.append(self._filters())
        out.append(self._charts())
        out.append(self._findings())
        out.append(self._tree())
        out.append(self._articles())
        out.append(self._claims_table())
        out.append(self._links())
        out.append(self._evidence())
        out.append("</section>")
        return "\n".join(out)

    def _nav(self) -> str:
        items = [
            ("charts", "Timelines"),
            ("findings", "Findings"),
            ("places", "Places"),
            ("article", "Article"),
            ("claims", "Claims"),
        ]
        if self.book.report.links:
            items.append(("links", "Links"))
        if self.book.report.evidence:
            items.append(("evidence", "Evidence"))
        links = "".join(f'<li><a href="#{self.p}{k}">{e(v)}</a></li>' for k, v in items)
        return f'<nav aria-label="Sections"><ul>{links}</ul></nav>'

    # --- filters ---------------------------------------------------------------------

    def _filters(self) -> str:
        measures = sorted({c.measure for c in self.claims if c.measure})
        used_places = {p for c in self.claims if c.place for p in self.led.ancestors(c.place)}
        places = [p for p in self.led.ledger.places if p.id in used_places]
        sources = sorted({s for c in self.claims for s in c.sources})
        statuses = [s.value for s in Status] + ["none"]

        def select(name: str, label: str, options: Iterable[tuple[str, str, str]]) -> str:
            opts = "".join(
                f'<option value="{e(v)}"{f" data-within={_q(w)}" if w else ""}>{e(t)}</option>'
                for v, t, w in options
            )
            return (
                f'<label>{e(label)}<select name="{name}">'
                f'<option value="">all</option>{opts}</select></label>'
            )

        if self.index:
            return ""  # one filter form per page: it filters every section
        return (
            '<form class="filters" id="filters" aria-label="Filter findings and claims">'
            + select("status", "Status", [(s, s, "") for s in statuses])
            + select("measure", "Measure", [(m, m, "") for m in measures])
            + select("place", "Place", [(p.id, p.name, p.within or "") for p in places])
            + select("source", "Source", [(s, s, "") for s in sources])
            + '<button type="reset">Show everything</button>'
            + '<output id="filter-count" aria-live="polite">showing everything</output></form>'
        )

    def _data(self, claim_ids: Iterable[str], status: str) -> str:
        ids = [c for c in claim_ids if c in self.by_id]
        measures = " ".join(sorted({m for c in ids if (m := self.by_id[c].measure)}))
        # Each claim's own place: the script widens a chosen place to the places inside it.
        places = " ".join(sorted({p for c in ids if (p := self.by_id[c].place)}))
        sources = " ".join(sorted({s for c in ids for s in self.by_id[c].sources}))
        return (
            f'data-filter data-status="{e(status)}" data-measure="{e(measures)}" '
            f'data-place="{e(places)}" data-source="{e(sources)}"'
        )

    # --- charts ----------------------------------------------------------------------

    def _charts(self) -> str:
        out = [f'<h2 id="{self.p}charts">Timelines</h2>']
        contradicted = {c for f in self.findings if f.status is Status.FAIL for c in f.claims}
        names = {p.id: p.name for p in self.led.ledger.places}
        by_measure: dict[str, list[Claim]] = defaultdict(list)
        for c in self.claims:
            if c.measure is not None and c.value is not None:
                by_measure[c.measure].append(c)
        for m in self.led.ledger.measures:
            claims = by_measure.get(m.id)
            if not claims:
                continue
            points, skipped = points_of(claims, names, m.tolerance, contradicted, self.cid(""))
            steps = self._steps(m.id)
            drawn = sample(points, {s.total for s in steps})
            note = ""
            if len(drawn) < len(points):
                note = (
                    f"{len(drawn):,} of {len(points):,} figures drawn: contradicted figures "
                    "and sum totals first, the others an even sample by date"
                )
            svg = timeline_svg(f"{m.name} ({m.id})", m.unit, drawn, steps, note)
            caption = (
                f"{len(points)} figures of {e(m.name)}: ● exact, ▲ at least, ▼ at most, "
                "◆ approximate (bar: its tolerance); a horizontal bar spans a date's precision; "
                "red circles mark contradicted figures; labels show the sums that explain growth."
            )
            if note:
                caption += (
                    f" <strong>Sampled:</strong> {e(note)} (a chart of every one would be a blot "
                    f'that opens slowly); the <a href="#{self.p}claims">claims table</a> lists '
                    "them all."
                )
            if skipped:
                caption += f" {skipped} figures without a date are not drawn."
            out.append(
                f'<figure id="{self.p}chart-{e(m.id)}" class="chart" data-measure-chart="{e(m.id)}"'
                f' data-points="{len(drawn)}" data-figures="{len(points)}">{svg}'
                f"<figcaption>{caption}</figcaption></figure>"
            )
        return "\n".join(out)

    def _steps(self, measure: str) -> list[Step]:
        steps = []
        for f in self.findings:
            if f.check != "check.sum" or f.status is not Status.PASS or len(f.claims) < 3:
                continue
            claims = [self.by_id.get(c) for c in f.claims]
            if any(c is None or c.value is None or c.measure != measure for c in claims):
                continue
            *parts, total = [c for c in claims if c is not None]
            label = " + ".join(format_value(c) for c in parts) + f" = {format_value(total)}"
            steps.append(Step(self.cid(total.id), label))
        return steps

    # --- findings --------------------------------------------------------------------

    def _findings(self) -> str:
        out = [f'<h2 id="{self.p}findings">Findings</h2>']
        for start in range(0, len(self.findings), CHUNK):
            part = self.findings[start : start + CHUNK]
            out.append(f'<ol class="findings lazy" start="{start + 1}" {_guess(len(part), 80)}>')
            out.extend(self._finding(start + k, f) for k, f in enumerate(part))
            out.append("</ol>")
        return "\n".join(out)

    def _finding(self, i: int, f: Finding) -> str:
        s = f.status.value
        links = ", ".join(
            f'<a href="#{self.cid(c)}">{e(c)}</a>' if c in self.by_id else e(c) for c in f.claims
        )
        bits = [
            f'<li id="{self.p}finding-{i}" class="finding status-{s}" {self._data(f.claims, s)}>',
            f'<span class="status status-{s}">{_SYMBOL[s]} {s}</span> ',
            f'<span class="check">{e(f.check)}</span> ',
            f'<span class="message">{e(f.message)}</span>',
        ]
        if f.detail:
            bits.append(f'<div class="detail">{e(f.detail)}</div>')
        if f.location:
            bits.append(f'<div class="detail">at {e(f.location)}</div>')
        if links:
            bits.append(f'<div class="claims">claims: {links}</div>')
        bits.append("</li>")
        return "".join(bits)

    # --- place tree ------------------------------------------------------------------

    def _tree(self) -> str:
        places = self.led.ledger.places
        children: dict[str | None, list[str]] = defaultdict(list)
        known = {p.id for p in places}
        for p in places:
            children[p.within if p.within in known else None].append(p.id)
        figures: dict[str, list[Claim]] = defaultdict(list)
        for c in self.claims:
            if c.place is not None and (c.value is not None or c.share):
                figures[c.place].append(c)
        names = {p.id: p.name for p in places}
        out = [f'<h2 id="{self.p}places">Places</h2>']

        def node(pid: str, depth: int) -> str:
            mine = figures.get(pid, [])
            figs = "; ".join(
                f'<a href="#{self.cid(c.id)}">{e(format_value(c))} {e(c.measure or "")}'
                f"{' (' + e(c.when()) + ')' if c.when() else ''}</a>"
                for c in mine[:50]
            )
            more = f" … and {len(mine) - 50} more" if len(mine) > 50 else ""
            kids = "".join(node(k, depth + 1) for k in children.get(pid, []))
            sub = f'<ul class="tree">{kids}</ul>' if kids and depth < 12 else ""
            fig_html = f' <span class="figures">{figs}{more}</span>' if figs else ""
            return f"<li><strong>{e(names[pid])}</strong>{fig_html}{sub}</li>"

        out.append(
            '<ul class="tree lazy">' + "".join(node(r, 0) for r in children.get(None, [])) + "</ul>"
        )
        return "\n".join(out)

    # --- the article -----------------------------------------------------------------

    def _articles(self) -> str:
        out = [f'<h2 id="{self.p}article">Article</h2>']
        for n, art in enumerate(self.book.articles):
            if len(self.book.articles) > 1:
                out.append(f"<h3>{e(art.name)}</h3>")
            out.append(
                f'<div class="article lazy" id="{self.p}article-{n}">{self._marked(art)}</div>'
            )
        if not self.book.articles:
            out.append("<p>The ledger names no article: no quote to show.</p>")
        return "\n".join(out)

    def _marked(self, art: Article) -> str:
        prepared = prepare(art.text)
        spans: list[tuple[int, int, str]] = []
        for c in art.claims:
            m = find_quote(prepared, c.quote)
            if m is not None and m.end > m.start:
                spans.append((m.start, m.end, c.id))
        self.found_quotes = getattr(self, "found_quotes", set()) | {cid for _, _, cid in spans}
        cuts = sorted({0, len(art.text)} | {s for s, _, _ in spans} | {t for _, t, _ in spans})
        starts: dict[int, list[str]] = defaultdict(list)
        for s, _, cid in spans:
            starts[s].append(cid)
        spans.sort()
        out: list[str] = []
        active: list[tuple[int, int, str]] = []
        j = 0
        for a, b in pairwise(cuts):
            while j < len(spans) and spans[j][0] <= a:
                active.append(spans[j])
                j += 1
            active = [sp for sp in active if sp[1] > a]
            anchors = "".join(f'<span id="{self.p}quote-{e(c)}"></span>' for c in starts.get(a, []))
            chunk = e(art.text[a:b])
            if active:
                ids = [cid for _, _, cid in active]
                out.append(
                    f'{anchors}<mark data-claims="{e(" ".join(ids))}" title="{e(", ".join(ids))}">'
                    f'<a href="#{self.cid(ids[0])}">{chunk}</a></mark>'
                )
            else:
                out.append(anchors + chunk)
        return "".join(out)

    # --- claims ----------------------------------------------------------------------

    def _claims_table(self) -> str:
        found: set[str] = getattr(self, "found_quotes", set())
        places = {p.id: p.name for p in self.led.ledger.places}
        from claimcheck.dossier import Dossier

        dossier = isinstance(self.led, Dossier)
        head = ["claim", "status", "value", "measure", "place", "when", "sources", "quote"]
        if dossier:
            head.insert(1, "ledger")
        cols = "".join(f'<th scope="col">{e(h)}</th>' for h in head)
        out = [f'<h2 id="{self.p}claims">Claims</h2>']
        for start in range(0, len(self.claims), CHUNK):
            part = self.claims[start : start + CHUNK]
            # A table per block of rows, each with its header, in a block that the browser
            # lays out only when in view (Chromium skips no table, nor a table's rows).
            out.append(
                f'<div class="lazy" {_guess(len(part), 90)}><table class="claims">'
                f"<thead><tr>{cols}</tr></thead><tbody>"
            )
            out.extend(self._claim_row(c, found, places, dossier) for c in part)
            out.append("</tbody></table></div>")
        return "\n".join(out)

    def _claim_row(self, c: Claim, found: set[str], places: dict[str, str], dossier: bool) -> str:
        s = self.status[c.id]
        back = " ".join(
            f'<a href="#{self.p}finding-{i}">{_SYMBOL[self.findings[i].status.value]}{i + 1}</a>'
            for i in self.named.get(c.id, [])[:20]
        )
        quote = (
            f'<a href="#{self.p}quote-{e(c.id)}">in the article</a>'
            if c.id in found
            else "not found"
        )
        cells = [
            f'<th scope="row"><code>{e(c.id)}</code></th>',
            f'<td class="status status-{s}">{_SYMBOL[s]} {s} {back}</td>',
            f"<td>{e(format_value(c))}</td>",
            f"<td>{e(c.measure or '')}</td>",
            f"<td>{e(places.get(c.place or '', c.place or ''))}</td>",
            f"<td>{e(c.when() or '')}</td>",
            f"<td>{e(', '.join(c.sources))}</td>",
            f'<td>{quote}<div class="detail">{e(c.text)}</div></td>',
        ]
        if dossier:
            cells.insert(1, f"<td>{e(self.book.ledger_of.get(c.id, ''))}</td>")
        return f'<tr id="{self.cid(c.id)}" {self._data([c.id], s)}>{"".join(cells)}</tr>'

    # --- links and evidence ----------------------------------------------------------

    def _links(self) -> str:
        links = self.book.report.links
        if not links:
            return ""
        out = [
            f'<h2 id="{self.p}links">Links</h2><table><thead><tr><th scope="col">status</th>'
            '<th scope="col">URL</th><th scope="col">HTTP</th><th scope="col">sources</th>'
            '<th scope="col">archived copy</th><th scope="col">detail</th></tr></thead><tbody>'
        ]
        for link in links:
            out.append(
                f"<tr><td>{e(link.status.value)}</td><td>{_url(link.url)}</td>"
                f"<td>{e(link.http_status or '')}</td><td>{e(', '.join(link.sources))}</td>"
                f"<td>{_url(link.archive_url) if link.archive_url else ''}</td>"
                f"<td>{e(link.detail or '')}</td></tr>"
            )
        out.append("</tbody></table>")
        return "\n".join(out)

    def _evidence(self) -> str:
        results = self.book.report.evidence
        if not results:
            return ""
        out = [
            f'<h2 id="{self.p}evidence">Evidence</h2><table><thead><tr><th scope="col">claim</th>'
            '<th scope="col">source</th><th scope="col">verdict</th><th scope="col">detail</th>'
            '<th scope="col">archived copy</th></tr></thead><tbody>'
        ]
        for r in results:
            archive = getattr(r.archive, "url", None) if r.archive is not None else None
            out.append(
                f'<tr><td><a href="#{self.cid(r.claim)}">{e(r.claim)}</a></td>'
                f"<td>{e(r.source)}</td><td>{e(r.verdict)}</td><td>{e(r.detail)}</td>"
                f"<td>{_url(archive) if archive else ''}</td></tr>"
            )
        out.append("</tbody></table>")
        return "\n".join(out)


CHUNK = 100
"""Rows (findings, claims) per block that the browser lays out only when it comes into
view (``content-visibility: auto``): on 10,000 claims, the page opens in a second, not ten."""


def _guess(rows: int, px: int) -> str:
    # The height a block is taken to have until it is first laid out (then it is known).
    return f'style="contain-intrinsic-size: auto {rows * px}px"'


def _q(text: str) -> str:
    """An attribute value, quoted and escaped."""
    return f'"{e(text)}"'


def _url(url: str | None) -> str:
    """A link to an http(s) URL (anything else is shown as text, never made a link)."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>'
    return e(url)
