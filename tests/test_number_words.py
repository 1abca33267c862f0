"""Figures written in words are found in the document's language."""

from __future__ import annotations

import pytest

from claimcheck.numberwords import word_forms, words_in_text


@pytest.mark.parametrize(
    ("language", "value", "quote"),
    [
        ("de", 11, "mit elf Stück"),
        ("de", 21, "einundzwanzig Büros"),
        ("de", 1000, "rund tausend Menschen"),
        ("fr", 21, "vingt et un commissariats"),
        ("fr", 21, "vingt-et-un commissariats"),
        ("fr", 54, "cinquante-quatre postes"),
        ("es", 54, "cincuenta y cuatro estaciones"),
        ("es", 1, "una estación"),
        ("it", 54, "cinquantaquattro stazioni"),
        ("pt", 2, "duas esquadras"),
        ("pt", 230000, "duzentos e trinta mil pessoas"),
        ("nl", 11, "elf bureaus"),
        ("nl", 54, "vierenvijftig bureaus"),
        ("pt-BR", 54, "cinquenta e quatro"),
    ],
)
def test_words_found_in_each_language(language: str, value: int, quote: str) -> None:
    assert words_in_text(value, quote, language)


@pytest.mark.parametrize(
    ("language", "value", "quote"),
    [
        ("de", 11, "zwölf Stück"),  # "elf" is not inside "zwölf"
        ("de", 11, "elfmal"),
        ("fr", 21, "vingt commissariats"),
        ("en", 11, "mit elf Stück"),  # English ledgers do not read German
        ("xx", 11, "elf"),
    ],
)
def test_words_not_found_where_they_are_not(language: str, value: int, quote: str) -> None:
    assert not words_in_text(value, quote, language)


def test_unsupported_values_have_no_words() -> None:
    assert word_forms(2.5, "de") == ()
    assert word_forms(11, "ja") == ()


def test_german_quote_anchors_its_figure(cli, write_ledger) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import minimal_ledger

    data = minimal_ledger(quote="mit elf Stück", value=11)
    data["document"] = {"title": "T", "text": "doc.txt", "language": "de"}
    path = write_ledger(data, document="Sie kamen mit elf Stück.\n")
    result = cli("verify", "--offline", "--format", "json", path)
    assert result.exit_code == 0, result.output
    assert '"figure 11 not found' not in result.stdout
    data["document"]["language"] = "en"
    result = cli(
        "verify",
        "--offline",
        "--format",
        "json",
        write_ledger(data, document="Sie kamen mit elf Stück.\n"),
    )
    assert result.exit_code == 1
    assert "figure 11 not found in its quote" in result.stdout
