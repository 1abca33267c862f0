"""Pages and PDFs in the shapes real sites serve, each hiding one known passage.

Used by the evidence tests and by ``bench/bench_extract.py`` to measure extractors: a
page is read well when its passage is recovered and its boilerplate is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

PASSAGE = (
    "Based on open-source information the researchers have so far identified 54 physical "
    "service stations in 30 countries across five continents."
)
BOILERPLATE = "Subscribe to our newsletter"

_NAV = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
_FOOTER = (
    f"<footer><p>{BOILERPLATE} for the latest updates.</p><p>© 2022 Example Media Ltd. "
    "All rights reserved. Privacy policy · Cookie settings · Terms of use</p></footer>"
)
_FILLER = (
    "The investigation drew on public records, court filings and interviews conducted over "
    "several months with people in six countries, who asked not to be named."
)


def _paragraphs(n: int, passage: str) -> str:
    paras = [f"<p>{_FILLER} Paragraph {i} adds context to the findings.</p>" for i in range(n)]
    paras.insert(n // 2, f"<p>{passage}</p>")
    return "\n".join(paras)


def cms_article(passage: str = PASSAGE, size: int = 12) -> str:
    """A WordPress-like article: menu, sidebar, related links, comments, cookie banner."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Report finds 54 stations | Example Media</title>
<link rel="stylesheet" href="/wp-content/themes/x/style.css">
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body class="post-template-default single">
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<header class="site-header"><nav class="main-menu"><ul>{_NAV}</ul></nav></header>
<div class="wrap"><main id="main"><article class="post">
<h1 class="entry-title">Report finds 54 stations</h1>
<div class="entry-meta">By A. Writer · 12 September 2022</div>
<div class="entry-content">{_paragraphs(size, passage)}</div>
</article>
<section class="comments"><h3>3 comments</h3><p>Great article!</p></section></main>
<aside class="sidebar"><h3>Related</h3><ul>{_NAV}</ul><p>{BOILERPLATE}</p></aside></div>
{_FOOTER}<script src="/wp-includes/js/jquery.min.js"></script></body></html>"""


def scripted_article(passage: str = PASSAGE) -> str:
    """A news page with analytics, inline JSON-LD and the text among ad slots."""
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Report finds 54 stations",
            "datePublished": "2022-09-12",
        }
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Report | News</title>
<script type="application/ld+json">{ld}</script>
<script>var ads = {{"slot":"top","text":"Buy now, limited offer"}};</script></head>
<body><nav>{_NAV}</nav><div class="ad-slot">Advertisement</div>
<div class="article-body" itemprop="articleBody">
<h1>Report finds 54 stations</h1>
{_paragraphs(8, passage.replace("54 physical", "<strong>54</strong> physical"))}
<div class="ad-slot">Advertisement</div></div>
<script>document.querySelectorAll('.ad-slot').forEach(function(e){{e.remove()}})</script>
{_FOOTER}</body></html>"""


def next_data_article(passage: str = PASSAGE) -> str:
    """A client-rendered page: the text exists only in the ``__NEXT_DATA__`` JSON blob."""
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "headline": "Report finds 54 stations",
                    "body": [
                        {"type": "paragraph", "text": _FILLER},
                        {"type": "paragraph", "text": passage},
                        {"type": "paragraph", "text": _FILLER},
                    ],
                }
            }
        },
        "page": "/news/[slug]",
        "buildId": "a1b2c3",
    }
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Report finds 54 stations</title></head><body><div id="__next"></div>
<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>
<script src="/_next/static/chunks/main.js" defer></script></body></html>"""


def json_ld_article(passage: str = PASSAGE) -> str:
    """A thin shell whose body text is only in JSON-LD ``articleBody``."""
    ld = json.dumps({"@type": "NewsArticle", "articleBody": f"{_FILLER} {passage} {_FILLER}"})
    return f"""<html><head><title>Report</title>
<script type="application/ld+json">{ld}</script></head>
<body><div id="app">Loading…</div>{_FOOTER}</body></html>"""


def list_and_table_article(passage: str = PASSAGE) -> str:
    """The passage as a list item of the article's findings (often dropped as boilerplate)."""
    items = "".join(f"<li>{_FILLER}</li>" for _ in range(3))
    return f"""<html><head><meta charset="utf-8"><title>Key findings</title></head><body>
<nav>{_NAV}</nav><article><h1>Key findings</h1><p>{_FILLER}</p>
<ul class="findings">{items}<li>{passage}</li></ul>
<table><tr><td>Stations</td><td>54</td></tr></table><p>{_FILLER}</p></article>
{_FOOTER}</body></html>"""


def legacy_charset_article(passage: str = PASSAGE) -> bytes:
    """windows-1252 bytes declared only in a ``<meta>``, with curly quotes and a dash."""
    text = passage.replace("service stations", "\u201cservice stations\u201d")
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    html = f"""<html><head>{meta}<title>Rapport \u2013 stations</title></head><body>
<nav>{_NAV}</nav><div id="content"><h1>Report \u2013 stations</h1>{_paragraphs(6, text)}
</div>{_FOOTER}</body></html>"""
    return html.encode("cp1252")


@dataclass(frozen=True)
class HtmlCase:
    """One fixture page: its name, its bytes and the charset a server would declare."""

    name: str
    body: bytes
    passage: str = PASSAGE
    declared: str | None = "utf-8"


def html_cases() -> list[HtmlCase]:
    """Every HTML fixture shape."""
    return [
        HtmlCase("cms", cms_article().encode()),
        HtmlCase("scripts-json-ld", scripted_article().encode()),
        HtmlCase("next-data", next_data_article().encode()),
        HtmlCase("json-ld-body", json_ld_article().encode()),
        HtmlCase("list-item", list_and_table_article().encode()),
        HtmlCase("cp1252-meta", legacy_charset_article(), declared=None),
    ]


# --- PDF ------------------------------------------------------------------------------


def _hyphenated_lines(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of about ``width`` characters, hyphenating long words."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if len(line) + 1 + len(word) <= width:
            line = f"{line} {word}".strip()
            continue
        room = width - len(line) - 2
        if len(word) >= 6 and room >= 2 and "-" not in word:
            lines.append(f"{line} {word[:room]}-".strip())
            line = word[room:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _break_inside(lines: list[str], words: tuple[str, ...]) -> list[str]:
    """Hyphenate each of ``words`` across a line break, as typesetting does."""
    out: list[str] = []
    for line in lines:
        for word in words:
            at = line.find(word)
            if at >= 0:
                cut = at + len(word) // 2
                out.append(line[:cut] + "-")
                line = line[cut:]
        out.append(line)
    return out


def report_pdf(passage: str = PASSAGE, columns: int = 1, pages: int = 2) -> bytes:
    """A report typeset in ``columns`` columns with words hyphenated across lines; the
    passage sits on the last page (needs fpdf2, a test dependency)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    col_w = (190 - 10 * (columns - 1)) / columns
    width = int(col_w / 1.9)
    body = " ".join([_FILLER] * 6)
    for n in range(pages):
        pdf.add_page()
        pdf.set_xy(10, 10)
        pdf.cell(0, 8, f"Annual report - page {n + 1}")
        for c in range(columns):
            last = n == pages - 1 and c == columns - 1
            text = f"{_FILLER} {_FILLER} {passage} {body}" if last else body
            y = 22.0
            lines = _hyphenated_lines(text, width)
            if last:
                lines = _break_inside(lines, ("information", "continents"))
            for line in lines[:60]:
                pdf.set_xy(10 + c * (col_w + 10), y)
                pdf.cell(col_w, 4.5, line)
                y += 4.5
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A scanned report: pages of drawn shapes and no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for _ in range(2):
        pdf.add_page()
        for i in range(30):
            pdf.rect(10, 10 + i * 9, 150 - i * 3, 5, style="F")
    return bytes(pdf.output())


@dataclass(frozen=True)
class PdfCase:
    """One fixture PDF and whether its passage can be recovered at all."""

    name: str
    body: bytes
    has_text: bool = True
    passage: str = PASSAGE


def pdf_cases() -> list[PdfCase]:
    """Every PDF fixture shape."""
    return [
        PdfCase("one-column-hyphenated", report_pdf(columns=1)),
        PdfCase("two-column-hyphenated", report_pdf(columns=2)),
        PdfCase("image-only", image_only_pdf(), has_text=False),
    ]
