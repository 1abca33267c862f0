"""Nested scopes, each finding as the user reads it: what a narrower scope's figure
implies, disputed figures on either side, times, and where a failure points."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimcheck.results import Finding, Status

from .test_flows_exact import located_at

Small = Callable[..., list[Finding]]

SCOPES = [{"id": "fuzhou-only", "within": "fuzhou-and-qingtian"}, {"id": "fuzhou-and-qingtian"}]
WHY = "fuzhou-only narrows fuzhou-and-qingtian: what it counts is counted there too"


def narrow(value: float, when: str = "2022-09-12", **fields: Any) -> dict[str, Any]:
    return {
        "measure": "stations",
        "value": value,
        "place": "world",
        "as_of": when,
        "scope": ["fuzhou-only"],
        **fields,
    }


def wide(value: float, when: str = "2022-09-12", **fields: Any) -> dict[str, Any]:
    return {**narrow(value, when, **fields), "scope": ["fuzhou-and-qingtian"]}


def scoped(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    return [
        (f.status.value, f.message, f.detail) for f in findings if f.check == "consistency.scope"
    ]


def test_narrower_figure_within_the_wider_passes_without_more_said(small: Small) -> None:
    findings = small({"n": narrow(40), "w": wide(54)}, scopes=SCOPES)
    assert scoped(findings) == [
        (
            "pass",
            "stations in World, 2022-09-12: fuzhou-only 40 (n) ≤ fuzhou-and-qingtian 54 (w)",
            None,
        )
    ]


def test_equal_figures_pass(small: Small) -> None:
    findings = small({"n": narrow(54), "w": wide(54)}, scopes=SCOPES)
    assert [s for s, _, _ in scoped(findings)] == ["pass"]


def test_narrower_figure_over_the_wider_fails_at_the_narrower_figure(
    small: Small, tmp_path: Path
) -> None:
    findings = small({"w": wide(54), "n": narrow(60)}, scopes=SCOPES)
    (f,) = [f for f in findings if f.check == "consistency.scope"]
    assert (f.status, f.message, f.detail) == (
        Status.FAIL,
        "stations in World, 2022-09-12: fuzhou-only 60 (n) ≤ fuzhou-and-qingtian 54 (w)",
        WHY,
    )
    assert f.claims == ("n", "w") and f.measure == "stations"
    assert located_at(f, tmp_path, "n")


def test_open_figures_pass_saying_what_they_imply(small: Small) -> None:
    findings = small(
        {"n": narrow(40, bound="at_least"), "w": wide(100, bound="at_most")}, scopes=SCOPES
    )
    assert scoped(findings) == [
        (
            "pass",
            "stations in World, 2022-09-12: fuzhou-only ≥40 (n) ≤ fuzhou-and-qingtian ≤100 (w): "
            "holds if fuzhou-only is 40 to 100 and fuzhou-and-qingtian 40 to 100",
            None,
        )
    ]
    findings = small({"n": narrow(40, bound="at_least"), "w": wide(54)}, scopes=SCOPES)
    assert scoped(findings)[0][1].endswith(
        ": holds if fuzhou-only is 40 to 54 and fuzhou-and-qingtian 54"
    )


def test_the_finer_time_is_named(small: Small) -> None:
    findings = small({"n": narrow(40, "2022-09-12"), "w": wide(54, "2022-09")}, scopes=SCOPES)
    assert scoped(findings)[0][1].startswith("stations in World, 2022-09-12: ")
    findings = small({"n": narrow(40, "2022-09"), "w": wide(54, "2022-09-12")}, scopes=SCOPES)
    assert scoped(findings)[0][1].startswith("stations in World, 2022-09-12: ")
    findings = small({"n": narrow(40, "2022"), "w": wide(54, "2022-12-31")}, scopes=SCOPES)
    assert scoped(findings)[0][1].startswith("stations in World, 2022-12-31: ")


def test_figures_at_different_times_are_not_compared(small: Small) -> None:
    findings = small({"n": narrow(60, "2022-09-12"), "w": wide(54, "2023-01-01")}, scopes=SCOPES)
    assert scoped(findings) == []


def test_scopes_that_do_not_nest_are_not_compared(small: Small) -> None:
    scopes = [{"id": "fuzhou-only"}, {"id": "fuzhou-and-qingtian"}]
    findings = small({"n": narrow(60), "w": wide(54)}, scopes=scopes)
    assert scoped(findings) == []


def test_a_disputed_figure_that_decides_the_verdict_is_unknown(small: Small) -> None:
    findings = small({"n1": narrow(50), "n2": narrow(60), "w": wide(55)}, scopes=SCOPES)
    (f,) = [f for f in findings if f.check == "consistency.scope"]
    assert (f.status, f.message, f.detail) == (
        Status.UNKNOWN,
        "stations in World, 2022-09-12: fuzhou-only 50 (n1) vs 60 (n2) ≤ fuzhou-and-qingtian "
        "55 (w): depends on which figure is right",
        "the figures disagree: pass with 50 (n1) ≤ 55 (w); fail with 60 (n2) ≤ 55 (w)",
    )
    assert f.location is None
    assert (f.claims, f.measure) == (("n1", "n2", "w"), "stations")


def test_a_disputed_figure_is_judged_for_each_candidate(small: Small, tmp_path: Path) -> None:
    findings = small({"n1": narrow(50), "n2": narrow(60), "w": wide(70)}, scopes=SCOPES)
    assert scoped(findings) == [
        (
            "pass",
            "stations in World, 2022-09-12: fuzhou-only 50 (n1) vs 60 (n2) ≤ fuzhou-and-qingtian "
            "70 (w)",
            "the figures disagree; this holds for each",
        )
    ]
    findings = small({"n1": narrow(50), "n2": narrow(60), "w": wide(40)}, scopes=SCOPES)
    (f,) = [f for f in findings if f.check == "consistency.scope"]
    assert (f.status, f.detail) == (Status.FAIL, "the figures disagree; this fails for each")
    assert located_at(f, tmp_path, "n1")


def test_agreeing_figures_of_one_scope_are_joined_by_equals(small: Small) -> None:
    findings = small(
        {"a": narrow(193000), "b": narrow(200000, bound="nearly"), "w": wide(250000)},
        scopes=SCOPES,
    )
    assert scoped(findings)[0][1] == (
        "stations in World, 2022-09-12: fuzhou-only 193000 (a) = nearly 200000 (b) ≤ "
        "fuzhou-and-qingtian 250000 (w)"
    )


def test_three_nested_scopes_are_each_compared(small: Small) -> None:
    scopes = [
        {"id": "fuzhou-only", "within": "fuzhou-and-qingtian"},
        {"id": "fuzhou-and-qingtian", "within": "all-chinese"},
        {"id": "all-chinese"},
    ]
    findings = small(
        {"n": narrow(40), "w": wide(54), "all": narrow(100, scope=["all-chinese"])},
        scopes=scopes,
    )
    assert sorted(m for _, m, _ in scoped(findings)) == [
        "stations in World, 2022-09-12: fuzhou-and-qingtian 54 (w) ≤ all-chinese 100 (all)",
        "stations in World, 2022-09-12: fuzhou-only 40 (n) ≤ all-chinese 100 (all)",
        "stations in World, 2022-09-12: fuzhou-only 40 (n) ≤ fuzhou-and-qingtian 54 (w)",
    ]
