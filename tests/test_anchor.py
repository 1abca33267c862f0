"""Anchoring: quotes in the document, figures in their quotes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimcheck.anchor import FIGURE_CHECK, QUOTE_CHECK, check_anchors
from claimcheck.loader import LoadedLedger, load_ledger
from claimcheck.results import Finding, Status

DOC = (
    "On 12 September, Safeguard Defenders published a report.\u00a0 The report states that "
    "30 Chinese surveillance stations were established in 25 cities.\n\n"
    "Between April 2021 and July 2022, Chinese police “persuaded” 230,000 claimed fugitives "
    "to return to China “voluntarily”.\n\n"
    "Established nine forbidden countries, where Chinese nationals are no longer allowed "
    "to live.\n\n"
    "A new law adopted on 2 September, going into effect on 1 December, establishes full "
    "extraterritoriality.\n\n"
    "Safeguard Defenders is a human rights non-profit organisation based in Spain which was "
    "founded in late 2016.\n\n"
    "Safeguard Defenders contend that the stations function as outposts for the policy of "
    "“involuntary return” – China’s covert operations.\n\n"
    "China has opened at least three police stations on Canadian soil, The National "
    "Postreported.\n"
)


def _claim(cid: str, quote: str, **extra: Any) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "id": cid,
        "kind": "fact",
        "text": f"The claim {cid}.",
        "quote": quote,
        "sources": ["s"],
    }
    claim.update(extra)
    return claim


def _count(cid: str, quote: str, value: float, **extra: Any) -> dict[str, Any]:
    return _claim(cid, quote, kind="count", measure="m", value=value, **extra)


def _ledger(tmp_path: Path, claims: list[dict[str, Any]], *, document: bool = True) -> LoadedLedger:
    data: dict[str, Any] = {
        "sources": [{"id": "s", "title": "S"}],
        "claims": claims,
        "measures": [{"id": "m", "name": "M"}],
    }
    if document:
        data["document"] = {"title": "D", "text": "doc.txt"}
        (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return load_ledger(path)


def _run(tmp_path: Path, claims: list[dict[str, Any]]) -> list[Finding]:
    loaded = _ledger(tmp_path, claims)
    return check_anchors(loaded, loaded.document_text())


def _failures(findings: list[Finding], check: str | None = None) -> list[Finding]:
    return [f for f in findings if f.status is Status.FAIL and check in (None, f.check)]


def _line_of(tmp_path: Path, needle: str) -> int:
    lines = (tmp_path / "claims.json").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# --- everything anchored -------------------------------------------------------------


def test_all_anchored_gives_one_pass_per_check(tmp_path: Path) -> None:
    findings = _run(
        tmp_path,
        [
            _count("stations", "30 Chinese surveillance stations", 30),
            _count("returns", "“persuaded” 230,000 claimed fugitives", 230000),
            _count("forbidden", "Established nine forbidden countries", 9),
            _count("canada", "at least three police stations", 3, bound="at_least"),
            _claim("postreported", "on Canadian soil, The National Post reported"),
            _claim("adopted", "A new law adopted on 2 September", kind="date", date="2022-09-02"),
            _claim("effect", "going into effect on 1 December", kind="date", date="2022-12-01"),
            _claim(
                "founded", "which was founded in late 2016", kind="date", date="2016-09/2016-12"
            ),
            _claim(
                "campaign",
                "Between April 2021 and July 2022, Chinese police",
                kind="period",
                period={"start": "2021-04", "end": "2022-07"},
            ),
            _claim("return", '"involuntary return" - China\'s covert operations'),
        ],
    )
    assert [(f.check, f.status) for f in findings] == [
        (QUOTE_CHECK, Status.PASS),
        (FIGURE_CHECK, Status.PASS),
    ]
    assert findings[0].message.startswith("10 quotes found in ")
    assert findings[0].message.endswith("doc.txt")
    # Four counts, three dates, two ends of a period.
    assert findings[1].message == "9 figures found in their quotes"


def test_no_figures_pass_says_so(tmp_path: Path) -> None:
    findings = _run(tmp_path, [_claim("plain", "Safeguard Defenders contend")])
    figure = [f for f in findings if f.check == FIGURE_CHECK]
    assert [f.status for f in figure] == [Status.PASS]
    assert "no claim has a figure" in figure[0].message


# --- quote misses --------------------------------------------------------------------


def test_quote_absent_shows_nearest_passage(tmp_path: Path) -> None:
    findings = _run(
        tmp_path,
        [
            _claim("ok", "Safeguard Defenders contend"),
            _count("canada", "China has opened at least four police stations", 4),
        ],
    )
    [miss] = _failures(findings, QUOTE_CHECK)
    assert miss.claims == ("canada",)
    assert miss.message.startswith("claim 'canada': quote not found in the document (")
    assert miss.message.endswith("doc.txt)")
    assert miss.detail is not None
    assert "at least three police stations" in miss.detail
    assert "% similar" in miss.detail
    line = _line_of(tmp_path, '"quote": "China has opened at least four')
    assert miss.location is not None
    assert miss.location.endswith(f"claims.json:{line}:16")
    # No pass finding for a check that failed.
    assert not [f for f in findings if f.check == QUOTE_CHECK and f.status is Status.PASS]


def test_quote_with_nothing_similar(tmp_path: Path) -> None:
    [miss] = _failures(_run(tmp_path, [_claim("x", "zzzz qqqq xxxx")]), QUOTE_CHECK)
    assert miss.detail == "nothing in the document resembles the quote"


def test_long_nearest_passage_is_trimmed(tmp_path: Path) -> None:
    quote = (
        "Safeguard Defenders is a human rights charity based in Spain which was founded in "
        "late 2016. Safeguard Defenders contend that the stations function as outposts for "
        "the policy of involuntary return, China's covert operations, and much more besides"
    )
    [miss] = _failures(_run(tmp_path, [_claim("long", quote)]), QUOTE_CHECK)
    assert miss.detail is not None
    assert len(miss.detail) < 260
    assert miss.detail.endswith("…”")


@pytest.mark.parametrize(
    "quote",
    [
        "on Canadian soil, The National Post reported",  # run-together word
        '"persuaded" 230,000 claimed fugitives',  # straight for curly quotes
        "‘involuntary return’ — China’s covert",  # other curly quotes, em dash
        "published a report. The report states",  # NBSP and double space
        '"involuntary return" - China\'s covert',  # hyphen for en dash
        "ESTABLISHED NINE FORBIDDEN COUNTRIES",
    ],
)
def test_quote_typography_is_forgiven(tmp_path: Path, quote: str) -> None:
    assert not _failures(_run(tmp_path, [_claim("q", quote)]))


def test_quote_with_a_changed_figure_is_a_miss(tmp_path: Path) -> None:
    findings = _run(tmp_path, [_count("returns", "230.000 claimed fugitives", 230000)])
    [miss] = _failures(findings, QUOTE_CHECK)
    assert "230,000 claimed fugitives" in (miss.detail or "")


def test_quote_with_no_words_is_a_miss(tmp_path: Path) -> None:
    assert _failures(_run(tmp_path, [_claim("empty", "“ ”")]), QUOTE_CHECK)


# --- figure misses -------------------------------------------------------------------


def test_figure_absent_from_quote(tmp_path: Path) -> None:
    findings = _run(tmp_path, [_count("stations", "30 Chinese surveillance stations", 54)])
    [miss] = _failures(findings)
    assert miss.check == FIGURE_CHECK
    assert miss.claims == ("stations",)
    assert miss.message == "claim 'stations': figure 54 not found in its quote"
    assert miss.detail is not None
    assert "fifty-four" in miss.detail and "30 Chinese surveillance stations" in miss.detail
    line = _line_of(tmp_path, '"value": 54')
    assert miss.location is not None and miss.location.endswith(f":{line}:16")
    # The quote itself is in the document: that check passes.
    assert [f.status for f in findings if f.check == QUOTE_CHECK] == [Status.PASS]


def test_figure_as_number_word(tmp_path: Path) -> None:
    claims = [
        _count("nine", "Established nine forbidden countries", 9),
        _count("ten", "Established nine forbidden countries", 10),
    ]
    misses = _failures(_run(tmp_path, claims), FIGURE_CHECK)
    assert [m.claims for m in misses] == [("ten",)]


def test_figure_with_thousands_separator(tmp_path: Path) -> None:
    claims = [
        _count("whole", "“persuaded” 230,000 claimed fugitives", 230000.0),
        _count("part", "“persuaded” 230,000 claimed fugitives", 230),
    ]
    misses = _failures(_run(tmp_path, claims), FIGURE_CHECK)
    assert [m.claims for m in misses] == [("part",)]
    assert misses[0].message == "claim 'part': figure 230 not found in its quote"


def test_figure_inside_a_longer_number_is_a_miss(tmp_path: Path) -> None:
    [miss] = _failures(_run(tmp_path, [_count("three", "30 Chinese surveillance stations", 3)]))
    assert miss.check == FIGURE_CHECK


def test_date_absent_from_quote(tmp_path: Path) -> None:
    claims = [
        _claim("adopted", "A new law adopted on 2 September", kind="date", date="2022-09-12"),
    ]
    findings = _run(tmp_path, claims)
    [miss] = _failures(findings)
    assert miss.check == FIGURE_CHECK
    assert miss.message == "claim 'adopted': date 2022-09-12 not found in its quote"
    assert miss.detail is not None and "12 September 2022" in miss.detail
    line = _line_of(tmp_path, '"date": "2022-09-12"')
    assert miss.location is not None and miss.location.endswith(f":{line}:15")


def test_date_with_nbsp_in_quote(tmp_path: Path) -> None:
    claims = [
        _claim("effect", "going into effect on 1\u00a0December", kind="date", date="2022-12-01")
    ]
    findings = _run(tmp_path, claims)
    assert not _failures(findings)


def test_interval_date_from_late(tmp_path: Path) -> None:
    claims = [
        _claim("founded", "founded in late 2016", kind="date", date="2016-09/2016-12"),
        _claim("wrong", "founded in late 2016", kind="date", date="2016-01/2016-03"),
    ]
    misses = _failures(_run(tmp_path, claims))
    assert [m.claims for m in misses] == [("wrong",)]


def test_period_end_absent_from_quote(tmp_path: Path) -> None:
    claims = [
        _claim(
            "campaign",
            "Between April 2021 and July 2022, Chinese police",
            kind="period",
            period={"start": "2021-04", "end": "2022-08"},
        )
    ]
    [miss] = _failures(_run(tmp_path, claims))
    assert miss.message == "claim 'campaign': period end 2022-08 not found in its quote"
    assert miss.detail is not None and "August 2022" in miss.detail
    line = _line_of(tmp_path, '"end": "2022-08"')
    assert miss.location is not None and miss.location.endswith(f":{line}:16")


def test_period_with_en_dash(tmp_path: Path) -> None:
    claims = [
        _claim(
            "campaign",
            "April 2021 \u2013 July 2022",
            kind="period",
            period={"start": "2021-04", "end": "2022-07"},
        )
    ]
    findings = check_anchors(_ledger(tmp_path, claims), None)
    assert not _failures(findings, FIGURE_CHECK)


def test_claim_without_figure_gets_no_figure_check(tmp_path: Path) -> None:
    # A fact's quote has no number; a date on a count is not a figure of that claim.
    claims = [
        _claim("fact", "Safeguard Defenders contend"),
        _count("count", "30 Chinese surveillance stations", 30, as_of="2022-01"),
    ]
    findings = _run(tmp_path, claims)
    assert not _failures(findings)
    assert [f.message for f in findings if f.check == FIGURE_CHECK] == [
        "1 figure found in its quote"
    ]


def test_both_misses_of_one_claim(tmp_path: Path) -> None:
    findings = _run(tmp_path, [_count("both", "at least four police stations", 5)])
    assert sorted(f.check for f in _failures(findings)) == [FIGURE_CHECK, QUOTE_CHECK]


def test_repeated_quotes_are_each_reported(tmp_path: Path) -> None:
    claims = [_claim(f"c{i}", "this is not in the document at all") for i in range(3)]
    misses = _failures(_run(tmp_path, claims), QUOTE_CHECK)
    assert [m.claims for m in misses] == [("c0",), ("c1",), ("c2",)]
    assert len({m.location for m in misses}) == 3


# --- no document ---------------------------------------------------------------------


def test_no_document_is_unknown_but_figures_are_checked(tmp_path: Path) -> None:
    claims = [_count("stations", "30 Chinese surveillance stations", 31)]
    loaded = _ledger(tmp_path, claims, document=False)
    assert loaded.document_text() is None
    findings = check_anchors(loaded, None)
    quote = [f for f in findings if f.check == QUOTE_CHECK]
    assert [(f.status, f.message) for f in quote] == [
        (Status.UNKNOWN, "quotes could not be anchored: the ledger names no document")
    ]
    assert [f.claims for f in _failures(findings, FIGURE_CHECK)] == [("stations",)]


def test_findings_serialise(tmp_path: Path) -> None:
    findings = _run(tmp_path, [_count("x", "at least four police stations", 4)])
    line = _line_of(tmp_path, "at least four police stations")
    # What a JSON consumer reads back: every field of the finding, the detail and where.
    assert [json.loads(json.dumps(f.to_json())) for f in findings] == [
        {
            "check": FIGURE_CHECK,
            "status": "pass",
            "claims": [],
            "message": "1 figure found in its quote",
        },
        {
            "check": QUOTE_CHECK,
            "status": "fail",
            "claims": ["x"],
            "message": f"claim 'x': quote not found in the document ({tmp_path / 'doc.txt'})",
            "detail": "nearest passage (86% similar): \u201cat least three police stations\u201d",
            "location": f"{tmp_path / 'claims.json'}:{line}:16",
        },
    ]


def test_nearest_passages_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("claimcheck.anchor.MAX_NEAREST", 1)
    claims = [_claim("a", "at least four police stations"), _claim("b", "nine allowed countries")]
    misses = _failures(_run(tmp_path, claims), QUOTE_CHECK)
    assert "at least three police stations" in (misses[0].detail or "")
    assert misses[1].detail == "nearest passage not searched (more than 1 quotes missing)"


def test_document_named_but_not_given(tmp_path: Path) -> None:
    findings = check_anchors(_ledger(tmp_path, [_claim("x", "Safeguard Defenders contend")]), None)
    [quote] = [f for f in findings if f.check == QUOTE_CHECK]
    assert quote.status is Status.UNKNOWN
    assert "not read" in quote.message


def test_bundled_ledger_is_anchored() -> None:
    path = Path(__file__).resolve().parent.parent / "data" / "claims.json"
    loaded = load_ledger(path)
    findings = check_anchors(loaded, loaded.document_text())
    assert [f for f in findings if f.status is not Status.PASS] == []
