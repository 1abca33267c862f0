"""Pages and PDFs read as a reader sees them: the passage is there, the boilerplate not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.evidence.extract import PageText, decode_html, dehyphenate, extract, sniff_charset
from claimcheck.evidence.locate import page_key, search
from claimcheck.textmatch import find_quote, key
from tests.evidence.pages import BOILERPLATE, PASSAGE, html_cases, pdf_cases


@pytest.mark.parametrize("case", html_cases(), ids=lambda c: c.name)
def test_every_html_shape_yields_its_passage(case) -> None:
    ctype = f"text/html; charset={case.declared}" if case.declared else "text/html"
    page = extract(case.body, ctype)
    assert page.kind == "html" and page.unreadable is None
    assert find_quote(f"{page.main}\n{page.extra}", case.passage) is not None
    assert BOILERPLATE not in page.main
    assert "Section 17" not in page.main  # the menu


def test_main_text_holds_the_article_not_the_menu() -> None:
    case = next(c for c in html_cases() if c.name == "cms")
    page = extract(case.body, "text/html")
    assert find_quote(page.main, PASSAGE) is not None
    assert "Accept all cookies" not in page.main


def test_text_only_in_next_data_becomes_the_main_text() -> None:
    case = next(c for c in html_cases() if c.name == "next-data")
    page = extract(case.body, "text/html")
    assert find_quote(page.main, PASSAGE) is not None
    assert "buildId" not in page.main and "a1b2c3" not in page.main


def test_charset_declared_only_in_meta_is_honoured() -> None:
    case = next(c for c in html_cases() if c.name == "cp1252-meta")
    assert sniff_charset(case.body, None) == "cp1252"
    text = decode_html(case.body, None)
    assert "\u201cservice stations\u201d" in text and "\ufffd" not in text


def test_header_charset_wins_over_meta_and_bom_over_both() -> None:
    body = '<meta charset="utf-8"><p>caf\u00e9</p>'.encode("latin-1")
    assert "caf\u00e9" in decode_html(body, "iso-8859-1")
    assert sniff_charset(b"\xef\xbb\xbf<p>x</p>", "iso-8859-1") == "utf-8-sig"
    # Undeclared bytes that are not UTF-8 are read as browsers read them.
    assert decode_html(b"<p>\x93quoted\x94</p>", None) == "<p>\u201cquoted\u201d</p>"


@pytest.mark.parametrize("case", pdf_cases(), ids=lambda c: c.name)
def test_pdf_text_or_why_not(case) -> None:
    page = extract(case.body, "application/pdf")
    assert page.kind == "pdf"
    if case.has_text:
        match = find_quote(page.main, case.passage)
        assert match is not None, page.main[:500]
        assert search(page, case.passage).page == 2  # the passage is on the second page
    else:
        assert page.main == ""
        assert "no text layer" in (page.unreadable or "")
        assert "scan" in (page.unreadable or "")


def test_dehyphenation_joins_split_words_only() -> None:
    assert dehyphenate("infor-\nmation and open-source") == "information and open-source"
    assert dehyphenate("years 2021-\n2022") == "years 2021-\n2022"  # a range, not a word


def test_broken_pdf_and_binary_are_unreadable_not_errors() -> None:
    assert "cannot be read" in (extract(b"%PDF-1.4 garbage", "application/pdf").unreadable or "")
    assert "not text" in (extract(b"\x89PNG\r\n\x1a\n\x00", "image/png").unreadable or "")
    assert extract(b"plain words", "text/plain").main == "plain words"


@given(
    st.text(alphabet=st.sampled_from(list("ab1 \t\n\u00a0\u2009“”‘’\"'`–—…\u200bÉßé«»\x1c-.")))
    | st.text()
)
def test_page_key_is_the_quote_key(text: str) -> None:
    # The fast key of whole pages must agree with the key quotes are matched with.
    assert page_key(text) == key(text)


_PIECES = st.sampled_from(
    ["54", "5", "4", " ", "\n", "\u00a0", "“", "”", "’", "–", "…", "stations", "Stations", "x"]
)


@given(st.lists(_PIECES, max_size=12), st.lists(_PIECES, min_size=1, max_size=5))
def test_a_passage_found_as_written_is_what_the_folded_search_finds(
    around: list[str], words: list[str]
) -> None:
    # Without a fingerprint the page is not folded when the passage is there as written;
    # the verdict must be the one the folded search gives, numbers' edges included.
    passage = "".join(words)
    cut = len(around) // 2
    main = "".join(around[:cut]) + passage + "".join(around[cut:])
    for text in (main, main.replace(passage, "54 stations"), "9" + main + "1"):
        page = PageText("html", text)
        assert search(page, passage) == search(page, passage, page_key(text))
