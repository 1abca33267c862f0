"""Dates written with month names in the document's language are found in quotes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claimcheck.datewords import date_in_words, date_words
from tests.conftest import minimal_ledger


@pytest.mark.parametrize(
    ("language", "date", "quote"),
    [
        ("fr", "2022-09-12", "le rapport publié le 12 septembre 2022"),
        ("fr", "2022-09-01", "dès le 1er septembre"),
        ("fr", "2022-02-03", "le 3 févr. 2022"),
        ("fr", "2022-09", "en septembre 2022"),
        ("de", "2022-09-12", "am 12. September 2022 veröffentlicht"),
        ("de", "2022-09-12", "am 12. Sept. 2022"),
        ("es", "2022-09-12", "el 12 de septiembre de 2022"),
        ("es", "2022-09", "en septiembre de 2022"),
        ("es", "2022-09", "en septiembre del 2022"),
        ("pt", "2022-09-12", "em 12 de setembro de 2022"),
        ("pt-BR", "2022-09-12", "em 12 de setembro de 2022"),
        ("it", "2022-09-12", "il 12 settembre 2022"),
        ("nl", "2022-09-12", "op 12 september 2022"),
        ("fr", "2016-09/2016-12", "de septembre 2016 à décembre 2016"),
    ],
)
def test_dates_found_in_each_language(language: str, date: str, quote: str) -> None:
    assert date_in_words(date, quote, language)


@pytest.mark.parametrize(
    ("language", "date", "quote"),
    [
        ("fr", "2022-09-12", "le 13 septembre 2022"),  # another day
        ("fr", "2022-09-12", "le 112 septembre"),  # not a day of its own
        ("fr", "2022-09-12", "le 12 octobre 2022"),  # another month
        ("fr", "2022-09-12", "le 12 septembre 2021"),  # a year beside it, the wrong one
        ("es", "2022-09", "en septiembre de 2021"),
        ("fr", "2022-09", "septembrement 2022"),  # not the month's word
        ("fr", "2016-09/2016-12", "de septembre 2016 à novembre 2016"),  # one end only
        ("en", "2022-09-12", "le 12 septembre 2022"),  # English ledgers do not read French
        ("ja", "2022-09-12", "le 12 septembre 2022"),  # a language without them
        ("fr", "2022", "en 2022"),  # a year alone is digits: textmatch's job
    ],
)
def test_dates_not_found_where_they_are_not(language: str, date: str, quote: str) -> None:
    assert not date_in_words(date, quote, language)


def test_a_form_in_the_language_for_messages() -> None:
    assert date_words("2022-09-12", "fr") == "12 septembre 2022"
    assert date_words("2022-09-12", "de") == "12. September 2022"
    assert date_words("2022-09-12", "es") == "12 de septiembre de 2022"
    assert date_words("2022-09", "pt") == "setembro de 2022"
    assert date_words("2022-09-12", "en") is None
    assert date_words("2022", "fr") is None


def _dated(quote: str, date: str) -> dict[str, Any]:
    data = minimal_ledger(kind="date", quote=quote, date=date)
    for key in ("measure", "value"):
        del data["claims"][0][key]
    data["document"] = {"title": "T", "text": "doc.txt", "language": "fr"}
    return data


def _anchor_messages(cli: Any, path: Any) -> list[str]:
    result = cli("verify", "--offline", "--format", "json", path)
    findings = json.loads(result.stdout)["findings"]
    return [f["message"] for f in findings if f["check"].startswith("anchor")]


def test_french_quote_anchors_its_date(cli, write_ledger) -> None:  # type: ignore[no-untyped-def]
    quote = "publié le 12 septembre 2022"
    path = write_ledger(_dated(quote, "2022-09-12"), document=f"Le rapport, {quote}.\n")
    messages = _anchor_messages(cli, path)
    assert not any("not found in its quote" in m for m in messages), messages


def test_a_date_missing_says_how_the_language_writes_it(cli, write_ledger) -> None:  # type: ignore[no-untyped-def]
    quote = "publié le 13 septembre 2022"
    path = write_ledger(_dated(quote, "2022-09-12"), document=f"Le rapport, {quote}.\n")
    result = cli("verify", "--offline", "--format", "json", path)
    assert result.exit_code == 1, result.output
    miss = next(
        f
        for f in json.loads(result.stdout)["findings"]
        if "date 2022-09-12 not found in its quote" in f["message"]
    )
    assert miss["detail"].startswith("looked for “12 septembre 2022”, “12 September 2022”")
