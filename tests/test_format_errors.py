"""Schema errors explain the format in the ledger's terms, never in the validator's words."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import minimal_ledger

PYDANTIC_WORDS = ("Input should", "List should", "after validation", "valid integer", "Field ")


def _one_error(cli: Any, write_ledger: Any, data: dict[str, Any]) -> str:
    result = cli("check", write_ledger(data))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert not any(w in lines[0] for w in PYDANTIC_WORDS), lines[0]
    return lines[0]


def test_a_string_where_a_number_belongs_says_how_to_write_it(cli, write_ledger) -> None:
    line = _one_error(cli, write_ledger, minimal_ledger(value="230,000"))
    assert line.endswith(
        '$.claims[0].value: a string was given ("230,000") where a number belongs; write the '
        "number without quotes or separators: 230000"
    )


@pytest.mark.parametrize(
    ("typo", "nearest"),
    [("atleast", "did you mean 'at_least'"), ("more than", "did you mean 'more_than'")],
)
def test_a_bound_typo_lists_the_bounds_and_how_to_write_more_than(
    cli, write_ledger, typo: str, nearest: str
) -> None:
    line = _one_error(cli, write_ledger, minimal_ledger(bound=typo))
    assert (
        "is not a bound; write one of exact, at_least, at_most, approx, more_than, fewer_than, "
        'nearly ("more than 54" is "value": 54, "bound": "more_than")'
    ) in line
    assert nearest in line


def test_an_unknown_id_suggests_the_nearest_known_ids(cli, write_ledger) -> None:
    data = minimal_ledger(sources=["sd-reprot"])
    data["sources"] = [
        {"id": "sd-report", "title": "R"},
        {"id": "sd-home", "title": "H"},
        {"id": "telegraph", "title": "T"},
    ]
    line = _one_error(cli, write_ledger, data)
    assert line.endswith(
        "$.claims[0].sources[0]: unknown source id 'sd-reprot'; did you mean 'sd-report'?"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"sources": []}, "$.claims[0].sources: must list at least 1 item; it lists 0"),
        ({"scheduled": "yes"}, 'a string was given ("yes"); write true or false, without quotes'),
        (
            {"scope": "first-batch"},
            'a string was given; write a list, even of one: ["first-batch"]',
        ),
        ({"value": -5}, "-5 is negative; a figure is a number from 0"),
        (
            {"percent": 120, "share_of": "w"},
            "120 is not a percentage: write a number from 0 to 100",
        ),
        ({"text": ""}, "$.claims[0].text: must not be empty"),
        ({"kind": "number"}, '"number" is not a kind of claim; write one of count, date'),
    ],
)
def test_other_messages_speak_the_ledgers_language(
    cli, write_ledger, change: dict[str, Any], expected: str
) -> None:
    line = _one_error(cli, write_ledger, minimal_ledger(**change))
    assert expected in line


def test_a_check_of_an_unknown_kind_names_the_kinds(cli, write_ledger) -> None:
    data = minimal_ledger()
    data["checks"] = [{"kind": "sums", "id": "x", "total": "c", "parts": ["c", "c"]}]
    line = _one_error(cli, write_ledger, data)
    assert (
        '"sums" is not a kind of check; write one of sum, before, count_of, at_most, '
        "at_least, equal; did you mean 'sum'?"
    ) in line


def test_a_sum_of_one_part_says_how_many_it_needs(cli, write_ledger) -> None:
    data = minimal_ledger()
    data["checks"] = [{"kind": "sum", "id": "x", "total": "c", "parts": ["c"]}]
    line = _one_error(cli, write_ledger, data)
    assert line.endswith("$.checks[0].parts: must list at least 2 items; it lists 1")


def test_a_sweep_of_mistakes_never_reads_as_the_validator(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text(
        '{"version": 2, "$schema": 5, "document": "x", "sources": "s", "claims": ["x", '
        '{"id": "a", "text": "t", "quote": "q", "sources": ["s"], "period": "2020", '
        '"attribute": {"subject": "a"}, "percent": "60%", "value": true, "notes": 5}], '
        '"places": [{"id": "p", "name": "P", "kind": "town"}], '
        '"measures": [{"id": "m", "name": "M", "tolerance": 2, "at_most": "x"}], '
        '"checks": [{"id": "c"}], "extra": 1}',
        encoding="utf-8",
    )
    result = cli("check", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 17
    for line in lines:
        assert not any(w in line for w in PYDANTIC_WORDS), line
    text = "\n".join(lines)
    assert "$.version: 2 is not allowed here; write one of 1" in text
    assert (
        '$.claims[1].percent: a string was given ("60%") where a number belongs; write the '
        "number without quotes or separators: 60" in text
    )
    assert "$.checks[0]: needs a 'kind' saying which kind it is" in text
    assert '$.places[0].kind: "town" is not a kind of place; write one of world' in text
