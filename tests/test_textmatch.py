"""Text matching that survives the article's typography."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.textmatch import (
    date_in_text,
    find_quote,
    fold,
    key,
    nearest_passage,
    number_forms,
    number_to_words,
    numbers_in_text,
    prepare,
    value_in_text,
)

ARTICLE = Path(__file__).resolve().parent.parent / "data" / "article.txt"

DOC = (
    "On 12 September, Safeguard Defenders published a report titled ‘110 Overseas: "
    "Chinese Transnational Policing Gone Wild’.\u00a0 The report states that 30 Chinese "
    "surveillance stations were established.\n\n"
    "Safeguard Defenders contend that the stations function as outposts for the policy of "
    "“involuntary return” – China’s covert operations.\n\n"
    "Between April 2021 and July 2022, Chinese police “persuaded” 230,000 claimed fugitives.\n"
    "China has opened at least three police stations on Canadian soil, The National "
    "Postreported.\n"
    "  • Threats to family in China\n"
)


# --- normalisation -------------------------------------------------------------------


def test_fold_straightens_quotes_dashes_and_spaces() -> None:
    assert fold("“Don’t” \u2013 it\u00a0is\u2009a\t\ttest…") == '"don\'t" - it is a test...'


def test_key_drops_spaces_and_quotation_marks() -> None:
    assert key("The National Post  reported") == "thenationalpostreported"
    assert key("‘China’s’") == key("'China's'") == "chinas"


# --- quotes in the document ----------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        # straight quotes and apostrophe for curly ones
        (
            'policy of "involuntary return" - China\'s covert',
            "policy of “involuntary return” – China’s covert",
        ),
        # the quotation marks left out altogether
        ("persuaded 230,000 claimed", "persuaded” 230,000 claimed"),
        # a run-together word in the document
        ("on Canadian soil, The National Post reported", "on Canadian soil, The National Post"),
        # a plain space for the document's NBSP and double space
        (
            "Gone Wild'. The report states",
            "Gone Wild’.\u00a0 The report states",
        ),
        # a line break inside the quote
        ("30 Chinese\nsurveillance stations", "30 Chinese surveillance stations"),
        # a different case
        ("SAFEGUARD DEFENDERS CONTEND", "Safeguard Defenders contend"),
        # an en dash typed as a hyphen with other spacing
        ('return"-China', "return” – China"),
        # a bullet line
        ("• Threats to family in China", "• Threats to family in China"),
    ],
)
def test_quote_found_despite_typography(quote: str, original: str) -> None:
    match = find_quote(DOC, quote)
    assert match is not None
    assert original in DOC[max(0, match.start - 2) : match.end + 12]
    assert key(match.text) == key(quote)


def test_match_maps_back_to_the_original_span() -> None:
    match = find_quote(DOC, "The National Post reported")
    assert match is not None
    assert match.text == "The National Postreported"
    assert DOC[match.start : match.end] == match.text


def test_quote_with_typed_quotation_marks_found() -> None:
    # The ledger keeps the curly quotation marks the document drops; it still matches.
    assert find_quote(DOC, "“110 Overseas: Chinese Transnational Policing Gone Wild”")


def test_elision_matches_parts_in_order() -> None:
    assert find_quote(DOC, "Safeguard Defenders contend … China’s covert operations")
    assert find_quote(DOC, "Safeguard Defenders contend [...] covert operations")
    assert find_quote(DOC, "China’s covert operations ... Safeguard Defenders contend") is None


@pytest.mark.parametrize(
    "quote",
    [
        "The report states that 3 Chinese",  # 3 is not the start of 30
        "0 Chinese surveillance stations",  # nor 0 its end
        "“persuaded” 230 claimed fugitives",  # nor 230 a part of 230,000
        "000 claimed fugitives",
        "at least thre",
    ],
)
def test_a_match_never_cuts_a_number(quote: str) -> None:
    document = DOC + " Established ninety forbidden countries."
    assert find_quote(document, quote) is None or quote == "at least thre"
    assert find_quote(document, "Established nine") is None
    assert find_quote(document, "Established ninety") is not None


def test_absent_quote_is_none() -> None:
    assert find_quote(DOC, "Safeguard Defenders contend that the stations are harmless") is None
    assert find_quote(DOC, "“” ") is None  # no words at all


def test_prepared_document_is_reusable() -> None:
    doc = prepare(DOC)
    assert find_quote(doc, "230,000 claimed fugitives")
    assert find_quote(doc, "at least three police stations")
    assert find_quote(doc, "at least four police stations") is None


def test_real_article_typography() -> None:
    doc = prepare(ARTICLE.read_text(encoding="utf-8"))
    for quote in [
        "The National Post reported",
        '"toolkit"',
        "China's global policing",
        "established nine forbidden countries",
        "persuaded 230,000 claimed fugitives",
        "one in Glasgow and two in London. The Telegraph reported",
        'the report states. "As these only represent the stations',
        "Involuntary Returns - report exposes long-arm policing overseas",
        "Threats to family in China • Targeting victims in the foreign country",
    ]:
        assert find_quote(doc, quote), quote


# --- nearest passage -----------------------------------------------------------------


def test_nearest_passage_shows_the_changed_sentence() -> None:
    passage, similarity = nearest_passage(DOC, "China has opened at least four police stations")
    assert "at least three police stations" in passage
    assert 0.8 < similarity < 1


def test_nearest_passage_of_a_cut_number_shows_the_whole_number() -> None:
    passage, similarity = nearest_passage(DOC, "persuaded 230 claimed fugitives")
    assert "230,000 claimed fugitives" in passage
    assert similarity < 1


def test_nearest_passage_of_an_exact_quote_is_itself() -> None:
    passage, similarity = nearest_passage(DOC, "230,000 claimed fugitives")
    assert "230,000 claimed fugitives" in passage
    assert similarity == pytest.approx(1.0)


def test_nearest_passage_of_unrelated_text_is_empty() -> None:
    assert nearest_passage(DOC, "zzzz qqqq xxxx") == ("", 0.0)
    assert nearest_passage("", "anything") == ("", 0.0)


def test_nearest_passage_in_the_article() -> None:
    doc = prepare(ARTICLE.read_text(encoding="utf-8"))
    passage, similarity = nearest_passage(
        doc, "The report lists four Chinese overseas service stations in the UK"
    )
    assert passage.startswith("The report lists three Chinese")
    assert similarity > 0.85


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (230000, "“persuaded” 230,000 claimed fugitives"),
        (230000, "230\u00a0000 fugitives"),
        (230000, "some 230k fugitives"),
        (230000, "two hundred and thirty thousand fugitives"),
        (9, "Established nine forbidden countries"),
        (3, "at least three police stations"),
        (3, "at least Three police stations"),
        (54, "at least 54 police-run centres"),
        (33, "thirty-three stations"),
        (12, "a dozen stations"),
        (1_500_000, "1.5 million people"),
        (1.5, "a rise of 1.5 per cent"),
        (30.0, "30 Chinese surveillance stations"),
        (2, "two in London."),
        (110, "the emergency number, 110."),
    ],
)
def test_value_found(value: float, text: str) -> None:
    assert value_in_text(value, text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3, "30 Chinese stations"),  # a digit inside a longer number
        (3, "thirty-three stations"),  # a word inside a longer number
        (230, "230,000 claimed fugitives"),  # a group of a separated number
        (3, "3.5 per cent"),
        (5, "3.5 per cent"),
        (54, "at least 55 stations"),
        (4, "the fourth station"),  # ordinals are not counts
        (1, "someone said"),  # a number word inside a word
        (9, "established ninety stations"),
    ],
)
def test_value_not_found(value: float, text: str) -> None:
    assert not value_in_text(value, text)


def test_numbers_in_text_in_order() -> None:
    text = "In 25 cities across 21 countries, nine forbidden countries and 1,005 cases"
    assert numbers_in_text(text) == [25, 21, 9, 1005]


def test_number_forms_examples() -> None:
    assert number_forms(3) == {"3", "three"}
    assert {"230000", "230,000", "230 000", "230k", "two hundred and thirty thousand"} <= (
        number_forms(230000)
    )
    assert number_forms(1.5) == {"1.5"}
    assert "twenty-one" in number_forms(21.0)


@given(st.integers(min_value=0, max_value=10**12 - 1))
@settings(max_examples=300, deadline=None)
def test_every_form_of_an_integer_is_found(n: int) -> None:
    for form in number_forms(n):
        assert value_in_text(n, f"they counted {form} stations."), form


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=10**6))
@settings(max_examples=300, deadline=None)
def test_words_of_an_integer_state_only_that_integer(n: int, other: int) -> None:
    text = f"they counted {number_to_words(n)} stations"
    assert numbers_in_text(text) == [n]
    if other != n:
        assert not value_in_text(other, text)


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
@settings(max_examples=100, deadline=None)
def test_decimal_forms_found(d: object) -> None:
    value = float(str(d))
    for form in number_forms(value):
        assert value_in_text(value, f"a share of {form} per cent")


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "text"),
    [
        ("2022-01-22", "On 22 January 2022, the Director"),
        ("2022-01-22", "January 22, 2022"),
        ("2022-01-22", "on the 22nd of January"),
        ("2022-01-22", "22 Jan. 2022"),
        ("2022-01-22", "22/01/2022"),
        ("2022-01-22", "2022-01-22"),
        ("2022-09-02", "A new law adopted on 2 September, going"),
        ("2022-12-01", "going into effect on 1\u00a0December"),
        ("2022-09", "Safeguard Defenders, September 2022"),
        ("2022-09", "in Sept. 2022"),
        ("2022-09", "On 12 September, Safeguard"),
        ("2022-05", "published in May"),
        ("2016", "founded in late 2016."),
        ("2016-09/2016-12", "which was founded in late 2016"),
        ("2016-09/2016-12", "founded at the end of 2016"),
        ("2016-04/2016-08", "in mid-2016"),
        ("2021-04/2022-07", "Between April 2021 and July 2022"),
        ("2021-04/2022-07", "Between April 2021 \u2013 July 2022"),
    ],
)
def test_date_found(date: str, text: str) -> None:
    assert date_in_text(date, text)


@pytest.mark.parametrize(
    ("date", "text"),
    [
        ("2022-01-22", "On 22 January 2021"),  # the wrong year beside the day
        ("2022-01-22", "in January 2022"),  # a month is not a day
        ("2022-09-02", "On 12 September"),  # 2 inside 12
        ("2022-09-02", "On 20 September"),
        ("2022-05", "it may violate the law"),  # "may" the verb
        ("2022-09", "September 2021"),
        ("2016", "in 20160 cases"),
        ("2016-01/2016-03", "founded in late 2016"),  # the wrong part of the year
        ("2021-04/2022-07", "Between April 2021 and June 2022"),
    ],
)
def test_date_not_found(date: str, text: str) -> None:
    assert not date_in_text(date, text)


# --- properties ----------------------------------------------------------------------

_ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")
_ARTICLE = prepare(_ARTICLE_TEXT)


_WORD_STARTS = [0] + [i + 1 for i, c in enumerate(_ARTICLE_TEXT) if c.isspace()]


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_any_passage_of_the_article_is_found(data: st.DataObject) -> None:
    # Any run of whole words: a passage cut inside a number ("0 claimed" from "230,000
    # claimed") must not match, so passages start and end at spaces.
    start = data.draw(st.sampled_from(_WORD_STARTS[:-1]))
    end = data.draw(st.sampled_from([i - 1 for i in _WORD_STARTS if start < i - 1 < start + 400]))
    passage = _ARTICLE_TEXT[start:end]
    if not key(passage):
        return
    # Retyped plainly: straight quotes, hyphens, single spaces.
    retyped = fold(passage)
    assert find_quote(_ARTICLE, passage) is not None
    assert find_quote(_ARTICLE, retyped) is not None


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_any_substring_is_found_unless_it_cuts_a_number(data: st.DataObject) -> None:
    n = len(_ARTICLE_TEXT)
    start = data.draw(st.integers(0, n - 1))
    end = data.draw(st.integers(start + 1, min(n, start + 400)))
    passage = _ARTICLE_TEXT[start:end]
    cuts = start in _ARTICLE.inside_numbers or end in _ARTICLE.inside_numbers
    if key(passage) and not cuts:
        assert find_quote(_ARTICLE, passage) is not None


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_passage_of_the_article_is_its_own_nearest(data: st.DataObject) -> None:
    start = data.draw(st.sampled_from([i for i in _WORD_STARTS if i < len(_ARTICLE_TEXT) - 60]))
    passage = " ".join(_ARTICLE_TEXT[start:].split()[:8])
    if len(key(passage)) < 20:
        return
    found, similarity = nearest_passage(_ARTICLE, passage)
    assert key(passage) in key(found)
    assert similarity > 0.8


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.text(max_size=50))
@settings(max_examples=200, deadline=None)
def test_matching_never_crashes(document: str, quote: str) -> None:
    match = find_quote(document, quote)
    if match is not None:
        assert key(match.text) or not key(quote)
    _passage, similarity = nearest_passage(document, quote)
    assert 0.0 <= similarity <= 1.0
    numbers_in_text(quote)


def test_nearest_passage_in_text_without_spaces_stays_local() -> None:
    document = "中国" * 300 + "海外警察服务站" + "中国" * 300
    passage, similarity = nearest_passage(document, "海外警察服务中心")
    assert "海外警察服务" in passage
    assert len(passage) < 120
    assert similarity > 0.5
