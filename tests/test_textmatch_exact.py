"""Text matching pinned to exact answers: forms of numbers and dates, nearest passages."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from claimcheck.textmatch import date_forms, date_in_text, nearest_passage, number_forms

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
