"""Text matching pinned to exact answers: forms of numbers and dates, nearest passages."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from claimcheck.textmatch import (
    Match,
    _widen,
    date_forms,
    date_in_text,
    find_quote,
    nearest_passage,
    number_forms,
    number_to_words,
    numbers_in_text,
)

from .test_textmatch import DOC


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging: a trimming loop that stops making progress never ends."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- number forms ----------------------------------------------------------------------

NNBSP = "\u202f"


def test_number_forms_of_thousands() -> None:
    assert number_forms(2000) == {
        "2000",
        "2,000",
        "2 000",
        f"2{NNBSP}000",
        "2k",
        "two thousand",
    }
    assert number_forms(1000) == {
        "1000",
        "1,000",
        "1 000",
        f"1{NNBSP}000",
        "1k",
        "one thousand",
    }
    # Not a round thousand: no "k".
    assert number_forms(2500) == {
        "2500",
        "2,500",
        "2 500",
        f"2{NNBSP}500",
        "two thousand five hundred",
    }
    assert number_forms(999) == {
        "999",
        "nine hundred and ninety-nine",
        "nine hundred ninety-nine",
        "nine hundred and ninety nine",
    }


def test_number_forms_of_millions_and_billions() -> None:
    assert number_forms(1_500_000) == {
        "1500000",
        "1,500,000",
        "1 500 000",
        f"1{NNBSP}500{NNBSP}000",
        "one million five hundred thousand",
        "1.5 million",
        "1.5m",
    }
    assert number_forms(1_000_000) == {
        "1000000",
        "1,000,000",
        "1 000 000",
        f"1{NNBSP}000{NNBSP}000",
        "one million",
        "1 million",
        "1m",
    }
    assert {"2 billion", "2bn", "2000 million", "2000m"} <= number_forms(2_000_000_000)
    assert {"2.5 billion", "2.5bn"} <= number_forms(2_500_000_000)
    # A million that is not a whole number of tenths has no short form.
    assert not {f for f in number_forms(1_250_000) if "million" in f or f.endswith("m")} - {
        "one million two hundred and fifty thousand",
        "one million two hundred fifty thousand",
    }
    assert "999999" in number_forms(999_999) and "999.9k" not in number_forms(999_999)


def test_number_forms_of_twelve_negatives_and_huge_values() -> None:
    assert number_forms(12) == {"12", "twelve", "a dozen"}
    assert number_forms(-4) == {"-4"}
    assert number_forms(10**12) == {
        "1000000000000",
        "1,000,000,000,000",
        "1 000 000 000 000",
        f"1{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000",
        "1000 billion",
        "1000bn",
        "1000000 million",
        "1000000m",
    }


# --- the similarity shown with a nearest passage -------------------------------------


def test_punctuation_around_the_passage_does_not_lower_the_similarity() -> None:
    with deadline(5):
        doc = "Officials said (230,000 claimed fugitives) were returned."
        assert nearest_passage(doc, "230,000 claimed fugitives") == (
            "(230,000 claimed fugitives)",
            1.0,
        )
        assert nearest_passage("He wrote: ...and so it ended, twice.", "and so it ended") == (
            "...and so it ended,",
            1.0,
        )


def test_punctuation_the_quote_has_too_is_kept() -> None:
    with deadline(5):
        passage, similarity = nearest_passage("He said (so it was) and left.", "(so it was)")
        assert (passage, similarity) == ("(so it was)", 1.0)
        # Only punctuation at all: nothing left to trim, and no endless trimming either.
        assert nearest_passage("?!?! ... !?!?", "?!?!") == ("?!?!", 1.0)


# --- nearest passage: exactly which passage ------------------------------------------


@pytest.mark.parametrize(
    ("quote", "passage", "similarity"),
    [
        (
            "China has opened at least four police stations",
            "China has opened at least three police stations",
            0.9114,
        ),
        (
            "persuaded 230 claimed fugitives",
            "\u201cpersuaded\u201d 230,000 claimed fugitives.",
            0.9333,
        ),
        ("230,000 claimed fugitives", "230,000 claimed fugitives.", 1.0),
        (
            "Safeguard Defenders publish a report titled",
            "Safeguard Defenders published a report titled",
            0.9744,
        ),
    ],
)
def test_nearest_passage_is_exactly_the_closest_text(
    quote: str, passage: str, similarity: float
) -> None:
    found, ratio = nearest_passage(DOC, quote)
    assert found == passage
    assert ratio == pytest.approx(similarity, abs=1e-4)


def test_nearest_passage_prefers_the_closer_of_two_similar_sentences() -> None:
    doc = (
        "The council approved forty new homes in March. "
        "Residents objected to the plan for weeks. "
        "The council approved fifty new homes in April."
    )
    assert nearest_passage(doc, "The council approved fifty new homes in May")[0] == (
        "The council approved fifty new homes in April."
    )
    assert nearest_passage(doc, "The council approved forty new homes in May")[0] == (
        "The council approved forty new homes in March."
    )


# --- date forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "forms"),
    [
        ("2016", ["2016"]),
        ("2022-09", ["September 2022", "September"]),
        ("2022-09-02", ["2 September 2022", "2 September", "September 2, 2022"]),
        ("2016-09/2016-12", ["September 2016 … December 2016"]),
        ("2021-04-01/2022", ["1 April 2021 … 2022"]),
        ("2019/2020-03-15", ["2019 … 15 March 2020"]),
    ],
)
def test_date_forms(date: str, forms: list[str]) -> None:
    assert date_forms(date) == forms


@pytest.mark.parametrize("date", ["2016", "2022-09", "2022-09-02", "2021-04/2022-07"])
def test_each_date_form_is_found_as_the_date(date: str) -> None:
    for form in date_forms(date):
        assert date_in_text(date, f"It happened in {form.replace(' … ', ' and ')}.")


# --- number words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a hundred", [100]),
        ("a dozen eggs", [12]),
        ("two dozen", [24]),
        ("three dozen and one", [36, 1]),
        ("a dozen dozen", [12]),
        ("twenty dozen", [20]),  # "twenty dozen" is not how 240 is said
        ("hundred", []),
        ("thousand", []),
        ("the hundred", []),
        ("hundred and one", [1]),
        ("one hundred and five", [105]),
        ("a hundred and one", [101]),
        ("twelve hundred", [1200]),
        ("eleven hundred and twelve", [1112]),
        ("ninety-nine hundred", [9900]),
        ("zero hundred", [0]),
        ("one hundred hundred", [100]),
        ("one hundred and zero", [100, 0]),
        ("a thousand", [1000]),
        ("one thousand and one", [1001]),
        ("one hundred thousand", [100000]),
        ("thirty thousand and forty", [30040]),
        ("two million three thousand", [2003000]),
        ("three thousand million", [3000]),  # a larger scale after a smaller one
        ("two thousand three million", [2003]),  # a larger scale ends the number
        ("one thousand two thousand", [1002]),  # so does the same scale again
        ("one hundred and thousand", [100]),  # no scale right after "and"
        ("zero thousand five", [0, 5]),  # zero is not multiplied
        ("zero hundred five", [0, 5]),
        ("one hundred five hundred", [105]),  # hundreds only of less than a hundred
        ("one hundred zero hundred", [100]),
        ("twenty zero", [20, 0]),  # "twenty-five", never "twenty-zero"
        ("two dozen three", [24, 3]),  # a dozen ends the number
        ("zero dozen", [0]),
        ("two and three", [2, 3]),
        ("one and twenty", [1, 20]),
        ("one two", [1, 2]),
        ("a", []),
    ],
)
def test_number_words_read_as_a_reader_would(text: str, values: list[float]) -> None:
    assert numbers_in_text(text) == values


def test_number_forms_of_zero() -> None:
    assert number_forms(0) == {"0", "zero"}


# --- dates: intervals by qualifier, month names ------------------------------------------


@pytest.mark.parametrize(
    ("date", "text", "found"),
    [
        ("2016-09/2016-12", "late 2016", True),
        ("2016-09/2016-12", "Late 2016", True),
        ("2016-09/2016-12", "late 2017", False),
        ("2016-09/2016-12", "early 2016", False),
        ("2016-09/2016-12", "in the first half of 2016", False),
        ("2016-03/2016-05", "in the first\nhalf of 2016", True),
        ("2016-07/2016-09", "late 2016", True),  # September is late
        ("2016-06/2016-08", "late 2016", False),
        ("2016/2016-01", "early 2016", True),  # from the year's start to January
        ("2016/2016-01", "mid-2016", False),
        ("2016-11/2016", "late 2016", True),  # from November to the year's end
        ("2016-11/2016", "mid 2016", False),
        ("2016-02/2016-03", "winter 2016", True),
        ("2016-04/2016-05", "winter 2016", False),
    ],
)
def test_an_interval_found_by_a_qualified_year(date: str, text: str, found: bool) -> None:
    assert date_in_text(date, text) is found


@pytest.mark.parametrize(
    ("date", "text", "found"),
    [
        ("2022-09", "Sept. 2022", True),
        ("2022-09", "Sept. 2021", False),  # the year after the dot is read
        ("2022-05", "May 2022", True),
        ("2022-05", "MAY 2022", True),
        ("2022-05", "may 2022", False),  # a verb
        ("2022-05-05", "5 may 2022", False),
        ("2022-05-05", "5 May 2022", True),
        ("2022-03", "Mar. 2022", True),
        ("2022-03", "mar 2022", False),  # a verb
        ("2022-03", "march 2022", True),  # the full name in any case
        ("2022-03-05", "5 march 2022", True),
        ("2022-04", "april 2022", True),
        ("2022-04", "Apr. 2022", True),
        ("2022-09", "published 2022-09", True),  # ISO, year and month
        ("2022-09", "published 2022-09-14", True),
        ("2022-09", "published 2022-091", False),
        # A full month name ending a sentence is not read with the next one's year.
        ("2022-09", "It rained in September. 2021 was dry.", True),
        ("2022-04", "It rained in April. 2021 was dry.", True),
    ],
)
def test_month_names_and_their_abbreviations(date: str, text: str, found: bool) -> None:
    assert date_in_text(date, text) is found


# --- numbers in words, whole passages --------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (5, "five"),
        (105, "one hundred and five"),
        (110, "one hundred and ten"),
        (1005, "one thousand and five"),
        (1100, "one thousand one hundred"),
        (1_000_005, "one million and five"),
        (3_000_100, "three million one hundred"),
        (2_000_000_000, "two billion"),
        (
            999_999_999_999,
            "nine hundred and ninety-nine billion nine hundred and ninety-nine million nine "
            "hundred and ninety-nine thousand nine hundred and ninety-nine",
        ),
    ],
)
def test_number_to_words(n: int, words: str) -> None:
    assert number_to_words(n) == words


def test_number_to_words_says_and_before_a_group_below_a_hundred() -> None:
    assert number_to_words(1_005_000_000) == "one billion and five million"
    assert number_to_words(2_000_005_000) == "two billion and five thousand"
    assert number_to_words(2_300_000) == "two million three hundred thousand"


def test_digits_grouped_by_spaces_are_read_whole_and_as_parts() -> None:
    # "in 25 300 cases" may be 25,300 or a list: every reading is offered.
    assert numbers_in_text("in 25 300 cases") == [25300, 25, 300]
    assert numbers_in_text("in 25\u00a0300\u00a0001 cases") == [25300001, 25, 300, 1]
    assert numbers_in_text("in 25,300 cases") == [25300]


@pytest.mark.parametrize("n", [-1, 10**12])
def test_number_to_words_refuses_what_it_cannot_say(n: int) -> None:
    with pytest.raises(ValueError, match="outside 0 … 10\\*\\*12"):
        number_to_words(n)


def test_a_passage_is_widened_to_whole_words_within_forty_characters() -> None:
    t = "x" * 9 + " " + "y" * 45
    # The space 41 characters back is too far: the passage starts where it was cut.
    assert _widen(t, 50, 52) == "yyyyy"
    assert _widen("abc def", 1, 3) == "abc"  # back to the text's start
    # Text without spaces (a long URL, Chinese script): back to the start only within 40.
    assert _widen("x" * 100, 40, 45) == "x" * 45
    assert _widen("x" * 100, 41, 45) == "x" * 4
    # A word longer than 40 characters after the passage is not swallowed.
    assert _widen("see " + "a" * 60 + " more", 4, 10) == "a" * 6
    # A no-break space, a tab or a newline end a word too.
    assert _widen("ab\u00a0cdef gh", 4, 5) == "cdef"
    assert _widen("ab\tcdef\ngh", 4, 5) == "cdef"
    assert _widen("eXtraXlarge", 3, 4) == "eXtraXlarge"  # letters never end words


def test_a_passage_is_widened_up_to_forty_characters_after_it() -> None:
    # The next space 40 characters on is too far; 39 is near enough.
    assert _widen("aa" + "b" * 40 + " tail", 0, 2) == "aa"
    assert _widen("aa" + "b" * 39 + " tail", 0, 2) == "aa" + "b" * 39
    # The text's end counts as a space up to 40 characters on.
    assert _widen("ab" + "c" * 40, 0, 2) == "ab" + "c" * 40
    assert _widen("ab" + "c" * 41, 0, 2) == "ab"


def test_a_passage_after_any_space_is_not_widened_back() -> None:
    # A thin space is a space: the passage starts a word already.
    assert _widen("ab cd\u2009ef gh", 6, 8) == "ef"


# --- quotes: exactly which occurrence ----------------------------------------------------


def test_an_elided_quote_is_found_from_its_first_part_to_its_last() -> None:
    text = "Safeguard Defenders contend that the stations function as outposts."
    assert find_quote(text, "Safeguard Defenders contend … the stations … outposts") == Match(
        0, 66, "Safeguard Defenders contend that the stations function as outposts"
    )
    assert find_quote(text, "the stations … outposts … Safeguard") is None


def test_the_first_occurrence_that_cuts_no_number_is_found() -> None:
    text = "a further 24. a further 2 units. a further 2 units."
    assert find_quote(text, "a further 2") == Match(14, 25, "a further 2")
    assert find_quote(text, "a further") == Match(0, 9, "a further")
    # The occurrence right after one that cuts a number: "5 5" cuts 55, the next "55" is it.
    assert find_quote("See pages 5 55.", "55") == Match(12, 14, "55")
