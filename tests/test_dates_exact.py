"""Ledger dates at their edges: the first year, exact messages, spans built by ``hull``."""

from __future__ import annotations

from datetime import date

import pytest

from claimcheck.dates import DateError, Span, hull, parse_span, validate_date


def test_year_one_is_a_date_and_year_zero_is_not() -> None:
    assert parse_span("0001") == Span(date(1, 1, 1), date(1, 12, 31), "0001")
    assert parse_span("0001-01-01") == Span(date(1, 1, 1), date(1, 1, 1), "0001-01-01")
    assert validate_date("0001-12") == "0001-12"
    with pytest.raises(DateError) as err:
        parse_span("0000")
    assert str(err.value) == "'0000': there is no year 0"
    with pytest.raises(DateError) as err:
        parse_span("0000-05/2001")
    assert str(err.value) == "'0000-05': there is no year 0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-13", "'2022-13' is not a date like 2022, 2022-09 or 2022-09-12"),
        ("22-09-12", "'22-09-12' is not a date like 2022, 2022-09 or 2022-09-12"),
        ("2022-09/", "'' is not a date like 2022, 2022-09 or 2022-09-12"),
        ("2023-02-29", "'2023-02-29' is not a real day (February has 28)"),
        ("2022-04-31", "'2022-04-31' is not a real day (April has 30)"),
        ("2022-09/2022-08", "the interval '2022-09/2022-08' ends before it starts"),
    ],
)
def test_each_bad_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateError) as err:
        parse_span(text)
    assert str(err.value) == message


def test_leap_days_and_month_ends() -> None:
    assert parse_span("2024-02") == Span(date(2024, 2, 1), date(2024, 2, 29), "2024-02")
    assert parse_span("2024-02-29").end == date(2024, 2, 29)
    assert parse_span("2021-09/2022") == Span(date(2021, 9, 1), date(2022, 12, 31), "2021-09/2022")
    assert parse_span("2022/2022") == Span(date(2022, 1, 1), date(2022, 12, 31), "2022/2022")


def test_a_span_without_text_shows_its_days() -> None:
    span = Span(date(2016, 9, 1), date(2016, 12, 31))
    assert str(span) == "2016-09-01/2016-12-31"
    assert str(parse_span("2016-09")) == "2016-09"


def test_hull_covers_both_and_reads_as_an_interval() -> None:
    span = hull(parse_span("2016"), parse_span("2018-03"))
    assert span == Span(date(2016, 1, 1), date(2018, 3, 31), "2016/2018-03")
    assert str(span) == "2016/2018-03"
    # The text is a ledger interval that parses back to the same days.
    assert parse_span(span.text) == span
    inner = hull(parse_span("2016"), parse_span("2016-05"))
    assert (inner.start, inner.end, str(inner)) == (
        date(2016, 1, 1),
        date(2016, 12, 31),
        "2016/2016-05",
    )


def test_comparisons_at_a_shared_day() -> None:
    day = parse_span("2022-09-12")
    month = parse_span("2022-09")
    next_day = parse_span("2022-09-13")
    assert day.overlaps(month) and month.overlaps(day)
    assert not day.overlaps(next_day) and not next_day.overlaps(day)
    assert day.overlaps(day)
    assert day.before(next_day) and not day.before(day) and not next_day.before(day)
    assert not month.before(day) and not day.before(month)
    assert day.not_after(day) and day.not_after(next_day) and not next_day.not_after(day)
    assert month.not_after(day)  # September may begin before the 12th
    assert parse_span("2022-08-31").before(month) and not parse_span("2022-08-31").overlaps(month)


def test_a_date_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(DateError) as err:
        parse_span(2022)  # type: ignore[arg-type]
    assert str(err.value) == 'a date must be a string such as "2022-09-12"'
