"""Coverage: the article's figures and dates that no claim tracks, and the share in verify."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck import api
from claimcheck.coverage import holding, scan
from tests.conftest import DATA

ARTICLE = (
    "The group was founded in late 2016. On 12 September 2022 it counted 54 stations.\n"
    "Nine countries are forbidden; 230,000 people returned between April 2021 and July 2022.\n"
    "A second report followed in December 2022, listing forty-eight more. It ran on 2022-12-05.\n"
)


def _found(text: str) -> list[tuple[str, str]]:
    return [(kind, text[s:e]) for kind, s, e in scan(text)]


def test_scan_finds_digits_words_and_dates_of_any_precision() -> None:
    assert _found(ARTICLE) == [
        ("date", "late 2016"),
        ("date", "12 September 2022"),
        ("figure", "54"),
        ("figure", "Nine"),
        ("figure", "230,000"),
        ("date", "April 2021"),
        ("date", "July 2022"),
        ("date", "December 2022"),
        ("figure", "forty-eight"),
        ("date", "2022-12-05"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2019 and 2020", [("date", "2019"), ("date", "2020")]),
        ("September 12, 2022", [("date", "September 12, 2022")]),
        ("on 1 December", [("date", "1 December")]),
        ("3.5 per cent", [("figure", "3.5 per cent")]),
        ("a hundred", [("figure", "a hundred")]),
        ("no figure here", []),
        ("You may go", []),
    ],
)
def test_scan_cases(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def _ledger(claims: list[dict[str, Any]], left_out: list[dict[str, str]] | None = None) -> Any:
    data: dict[str, Any] = {
        "document": {"title": "T", "text": "doc.txt"},
        "sources": [{"id": "s", "title": "S"}],
        "measures": [{"id": "stations", "name": "stations"}],
        "claims": [
            {"id": f"c{i}", "text": "t", "sources": ["s"], **c} for i, c in enumerate(claims)
        ],
    }
    if left_out is not None:
        data["left_out"] = left_out
    return data


def test_a_quote_covers_the_items_inside_it(write_ledger: Any) -> None:
    path = write_ledger(
        _ledger(
            [{"quote": "On 12 September 2022 it counted 54 stations"}],
            [{"quote": "founded in late 2016", "reason": "background"}],
        ),
        document=ARTICLE,
    )
    rows = api.coverage(path, every=True).records
    status = {r["text"]: (r["status"], r["claims"], r["reason"]) for r in rows}
    assert status["54"] == ("covered", ["c0"], None)
    assert status["12 September 2022"][0] == "covered"
    assert status["late 2016"] == ("left-out", [], "background")
    assert status["230,000"][0] == "uncovered"
    nine = next(r for r in rows if r["text"] == "Nine")
    assert nine["line"] == 2 and nine["column"] == 1
    assert (
        nine["sentence"]
        == "Nine countries are forbidden; 230,000 people returned between April 2021 and July 2022."
    )
    uncovered = api.coverage(path).records
    assert {r["text"] for r in uncovered} == {
        "Nine",
        "230,000",
        "April 2021",
        "July 2022",
        "December 2022",
        "forty-eight",
        "2022-12-05",
    }


def test_verify_warns_with_the_share_and_never_fails(write_ledger: Any) -> None:
    path = write_ledger(_ledger([{"quote": "it counted 54 stations"}]), document=ARTICLE)
    report = api.verify(path, api.VerifyOptions(offline=True))
    cov = next(f for f in report.findings if f.check == "coverage")
    assert cov.status == "warn"
    assert cov.message == (
        "10% of the figures and dates tracked: 1 by claims, 0 left out, 9 not yet (10 in all)"
    )
    assert "'late 2016' (line 1)" in (cov.detail or "")
    assert report.exit_code == 0


def test_a_left_out_passage_not_in_the_article_is_a_warning(write_ledger: Any) -> None:
    ledger = _ledger([], [{"quote": "not in the article at all", "reason": "r"}])
    path = write_ledger(ledger, document="No figures.")
    report = api.verify(path, api.VerifyOptions(offline=True))
    cov = next(f for f in report.findings if f.check == "coverage")
    assert cov.status == "warn"
    assert "passages not found in the article: left_out[0]" in (cov.detail or "")


def test_the_bundled_ledgers_track_every_figure_and_date() -> None:
    """Each item is covered by a claim or left out with a reason in the ledger."""
    for name in ("claims.json", "patrolling.json"):
        rows = api.coverage(DATA / name, every=True).records
        assert rows
        assert all(r["status"] != "uncovered" for r in rows), name
        assert all(r["reason"] for r in rows if r["status"] == "left-out")


def test_cli_lists_line_and_sentence(write_ledger: Any, cli: Any) -> None:
    path = write_ledger(_ledger([{"quote": "it counted 54 stations"}]), document=ARTICLE)
    result = cli("coverage", str(path), "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["coverage"]
    assert len(rows) == 9
    assert rows[0]["text"] == "late 2016" and rows[0]["line"] == 1
    table = cli("coverage", str(path))
    assert "forty-eight" in table.stdout and "10% tracked" in table.stdout


def test_cli_without_a_document_is_a_usage_error(write_ledger: Any, cli: Any) -> None:
    data = _ledger([{"quote": "q"}])
    del data["document"]
    result = cli("coverage", str(write_ledger(data)))
    assert result.exit_code == 2
    assert "names no document" in result.stderr


_SPAN = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1]))


@given(st.lists(_SPAN, max_size=12), st.lists(_SPAN, max_size=25))
def test_the_sweep_finds_exactly_the_quotes_that_hold_each_item(
    items: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> None:
    items = sorted(items)
    expected = [
        [i for i, (s, e) in enumerate(spans) if s <= start and end <= e] for start, end in items
    ]
    assert holding(items, spans) == expected
