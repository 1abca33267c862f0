"""Text-extraction benchmark: which library reads cited pages and PDFs as a reader does?

    .venv/bin/python bench/bench_extract.py [--repeat 20]

Each candidate reads the fixture pages of ``tests/evidence/pages.py`` (a CMS article, a
script-heavy page with JSON-LD, a Next.js page whose text is only in ``__NEXT_DATA__``, a
shell whose text is only in JSON-LD ``articleBody``, a findings list, a windows-1252 page
declared only in a ``<meta>``; one- and two-column hyphenated PDF reports, an image-only
PDF). Quality: is the passage recovered (found by claimcheck's tolerant matching) and is
the boilerplate (menu, footer, newsletter box) left out? Speed: milliseconds per page on a
~150 KB article and per page of a 20-page PDF report. Candidates missing from the
environment are skipped (``pip install trafilatura readability-lxml justext resiliparse
selectolax pypdf pdfminer.six``; pypdfium2 is a dependency).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimcheck.evidence.extract import decode_html, dehyphenate, html_text, pdf_text
from claimcheck.textmatch import find_quote
from tests.evidence.pages import (
    BOILERPLATE,
    cms_article,
    html_cases,
    pdf_cases,
    report_pdf,
)

HtmlFn = Callable[[str], str]
PdfFn = Callable[[bytes], str]


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_tables=True) or ""


def _readability(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary()
    return str(lxml.html.fromstring(summary).text_content())


def _justext(html: str) -> str:
    import justext

    paras = justext.justext(html.encode(), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


def _resiliparse(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return str(extract_plain_text(html, main_content=True))


def _selectolax(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "nav", "header", "footer", "aside"])
    return tree.body.text(separator=" ") if tree.body else ""


def _claimcheck(html: str) -> str:
    page = html_text(html)
    # The main text is what is fingerprinted and shown; a passage missing from it is
    # looked for in the rest of the page (after a \f, which the boilerplate test skips).
    return f"{page.main}\f{page.extra}"


HTML: dict[str, HtmlFn] = {
    "trafilatura": _trafilatura,
    "readability-lxml": _readability,
    "justext": _justext,
    "resiliparse": _resiliparse,
    "selectolax (strip tags)": _selectolax,
    "claimcheck (resiliparse, JSON, page)": _claimcheck,
}


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(data)))


def _pypdfium2(data: bytes) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def _claimcheck_pdf(data: bytes) -> str:
    return pdf_text(data).main


PDF: dict[str, PdfFn] = {
    "pypdf": _pypdf,
    "pdfminer.six": _pdfminer,
    "pypdfium2": _pypdfium2,
    "claimcheck (pypdfium2 + dehyphenation)": _claimcheck_pdf,
}


def _timed(fn: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def bench_html(repeat: int) -> None:
    cases = html_cases()
    big = cms_article(size=300)
    print(f"HTML: passage recovered, boilerplate left out; ms per {len(big) // 1024} KB page")
    print(f"{'extractor':34} " + " ".join(f"{c.name[:13]:>13}" for c in cases) + "   ms/page")
    for name, fn in HTML.items():
        cells = []
        try:
            for case in cases:
                text = fn(decode_html(case.body, case.declared))
                found = find_quote(text, case.passage) is not None
                main = text.split("\f")[0]
                clean = BOILERPLATE not in main and "Section 17" not in main
                cells.append(("found" if found else "MISSED") + ("" if clean else "+bp"))
            ms = _timed(lambda fn=fn: fn(big), repeat)
        except ImportError:
            print(f"{name:34} (not installed)")
            continue
        print(f"{name:34} " + " ".join(f"{c:>13}" for c in cells) + f"   {ms:7.1f}")


def bench_pdf(repeat: int) -> None:
    cases = pdf_cases()
    big = report_pdf(columns=2, pages=20)
    print("\nPDF: passage recovered; ms per page of a 20-page two-column report")
    print(f"{'extractor':40} " + " ".join(f"{c.name[:22]:>22}" for c in cases) + "   ms/page")
    for name, fn in PDF.items():
        cells = []
        try:
            for case in cases:
                text = fn(case.body)
                found = find_quote(text, case.passage) is not None
                if not case.has_text:
                    cells.append("no text" if not text.strip() else "TEXT?")
                else:
                    joined = find_quote(dehyphenate(text), case.passage) is not None
                    cells.append("found" if found else "found if joined" if joined else "MISSED")
            ms = _timed(lambda fn=fn: fn(big), max(1, repeat // 4)) / 20
        except ImportError:
            print(f"{name:40} (not installed)")
            continue
        print(f"{name:40} " + " ".join(f"{c:>22}" for c in cells) + f"   {ms:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    bench_html(args.repeat)
    bench_pdf(args.repeat)


if __name__ == "__main__":
    main()
