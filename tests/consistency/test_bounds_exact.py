"""Interval arithmetic pinned to exact intervals and exact wording."""

from __future__ import annotations

import pytest

from claimcheck.consistency.bounds import (
    ANY,
    INF,
    Bounds,
    bounds_of,
    fmt_bounds,
    fmt_number,
    fmt_value,
    intersect_all,
    total,
)


@pytest.mark.parametrize(
    ("value", "bound", "expected"),
    [
        (54, "exact", Bounds(54, 54)),
        (54, "at_least", Bounds(54, INF)),
        (54, "more_than", Bounds(54, INF, lo_open=True)),
        (54, "at_most", Bounds(0, 54)),
        (54, "fewer_than", Bounds(0, 54, hi_open=True)),
        (0, "at_most", Bounds(0, 0)),
        (0, "fewer_than", Bounds(0, 0, hi_open=True)),
        (-5, "at_most", Bounds(-INF, -5)),
        (200, "approx", Bounds(180, 220)),
        (-200, "approx", Bounds(-220, -180)),
        (200, "nearly", Bounds(180, 200, hi_open=True)),
        (-200, "nearly", Bounds(-220, -200, hi_open=True)),
    ],
)
def test_bounds_of_each_bound(value: float, bound: str, expected: Bounds) -> None:
    got = bounds_of(value, bound, 0.1)
    assert (got.lo_open, got.hi_open) == (expected.lo_open, expected.hi_open)
    assert got.lo == pytest.approx(expected.lo) and got.hi == pytest.approx(expected.hi)


def test_at_most_zero_is_exactly_zero() -> None:
    b = bounds_of(0, "at_most")
    assert b.exact and not b.empty
    assert b.contains(0) and not b.contains(1) and not b.contains(-1)
    assert fmt_bounds(b) == "0"
    assert bounds_of(0, "fewer_than").empty


@pytest.mark.parametrize(
    ("b", "text"),
    [
        (Bounds(3, 3), "3"),
        (Bounds(3, INF), "≥3"),
        (Bounds(3, INF, lo_open=True), ">3"),
        (Bounds(0, 5), "≤5"),
        (Bounds(0, 5, hi_open=True), "<5"),
        (Bounds(-INF, 5), "≤5"),
        (Bounds(-3, 5), "≤5"),
        (Bounds(0, 5, lo_open=True), ">0 to 5"),
        (Bounds(3, 50), "3 to 50"),
        (Bounds(3, 50, lo_open=True, hi_open=True), ">3 to <50"),
        (Bounds(2.5, 7.25), "2.5 to 7.25"),
        (ANY, "any value"),
        (Bounds(-INF, INF, True, True), "any value"),
        (Bounds(5, 3), "nothing (needs ≥5 and ≤3)"),
        (Bounds(4, 4, lo_open=True), "nothing (needs ≥4 and ≤4)"),
        (Bounds(5, -INF), "nothing (needs ≥5 and ≤−∞)"),
    ],
)
def test_fmt_bounds(b: Bounds, text: str) -> None:
    assert fmt_bounds(b) == text
    assert str(b) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (54.0, "54"),
        (0.5, "0.5"),
        (-3.0, "-3"),
        (INF, "∞"),
        (-INF, "−∞"),
        (1234567.25, "1.23457e+06"),
        (0.1 + 0.2, "0.3"),
    ],
)
def test_fmt_number(x: float, text: str) -> None:
    assert fmt_number(x) == text


@pytest.mark.parametrize(
    ("bound", "text"),
    [
        ("exact", "54"),
        ("at_least", "≥54"),
        ("at_most", "≤54"),
        ("approx", "~54"),
        ("more_than", ">54"),
        ("fewer_than", "<54"),
        ("nearly", "nearly 54"),
        ("unheard-of", "54"),
    ],
)
def test_fmt_value(bound: str, text: str) -> None:
    assert fmt_value(54, bound) == text


def test_empty_and_exact_with_open_ends() -> None:
    assert Bounds(3, 3).exact and not Bounds(3, 3).empty
    assert Bounds(3, 3, lo_open=True).empty and not Bounds(3, 3, lo_open=True).exact
    assert Bounds(3, 3, hi_open=True).empty
    assert Bounds(3, 2.9).empty and not Bounds(3, 3.1).empty
    assert not Bounds(3, 3.1, True, True).empty
    assert not Bounds(0.1 + 0.2, 0.3).empty  # float slack
    assert not Bounds(3, INF).exact and not Bounds(3, INF, lo_open=True).empty


def test_intersection_keeps_the_tighter_end_and_its_openness() -> None:
    a, b = Bounds(3, 10, lo_open=True), Bounds(5, 10, hi_open=True)
    assert a & b == Bounds(5, 10, False, True)
    assert b & a == Bounds(5, 10, False, True)
    assert Bounds(3, 10) & Bounds(3, 12, lo_open=True) == Bounds(3, 10, True, False)
    assert Bounds(3, 12, lo_open=True) & Bounds(3, 10) == Bounds(3, 10, True, False)
    assert Bounds(3, 10, hi_open=True) & Bounds(1, 10) == Bounds(3, 10, False, True)
    assert Bounds(1, 10) & Bounds(3, 10, hi_open=True) == Bounds(3, 10, False, True)
    assert (Bounds(0, 4) & Bounds(5, 9)).empty
    assert Bounds(0, 5).meets(Bounds(5, 9)) and not Bounds(0, 5, hi_open=True).meets(Bounds(5, 9))


def test_difference_is_exact() -> None:
    assert bounds_of(10, "at_least") - bounds_of(3) == Bounds(7, INF)
    assert bounds_of(10) - bounds_of(3, "at_most") == Bounds(7, 10)
    assert bounds_of(5, "more_than") - bounds_of(2, "fewer_than") == Bounds(3, INF, True, False)
    assert bounds_of(10, "fewer_than") - bounds_of(4, "more_than") == Bounds(-INF, 6, False, True)


def test_scale() -> None:
    assert Bounds(10, 30, True, False).scale(0.5) == Bounds(5, 15, True, False)
    assert Bounds(10, INF, hi_open=True).scale(2) == Bounds(20, INF, False, True)
    assert Bounds(10, INF, True, True).scale(0) == Bounds(0.0, 0.0)


def test_hull_is_the_smallest_cover() -> None:
    assert Bounds(1, 3).hull(Bounds(5, 9)) == Bounds(1, 9)
    assert Bounds(5, 9, True, True).hull(Bounds(1, 3)) == Bounds(1, 9, False, True)
    assert Bounds(1, 9, True, True).hull(Bounds(1, 9)) == Bounds(1, 9)
    assert Bounds(1, 9, True, True).hull(Bounds(1, 9, True, True)) == Bounds(1, 9, True, True)
    assert Bounds(1, 9, True, False).hull(Bounds(1, 9, True, True)) == Bounds(1, 9, True, False)
    assert Bounds(5, 3).hull(Bounds(1, 2)) == Bounds(1, 2)  # the empty one adds nothing
    assert Bounds(1, 2).hull(Bounds(5, 3)) == Bounds(1, 2)


@pytest.mark.parametrize(
    ("a", "b", "cle", "ple", "clt", "plt"),
    [
        (Bounds(1, 3), Bounds(3, 5), True, True, False, True),
        (Bounds(1, 3, hi_open=True), Bounds(3, 5), True, True, True, True),
        (Bounds(1, 3), Bounds(3, 5, lo_open=True), True, True, True, True),
        (Bounds(1, 2), Bounds(3, 5), True, True, True, True),
        (Bounds(3, 5), Bounds(1, 3), False, True, False, False),
        (Bounds(3, 5, lo_open=True), Bounds(1, 3), False, False, False, False),
        (Bounds(3, 5), Bounds(1, 3, hi_open=True), False, False, False, False),
        (Bounds(4, 5), Bounds(1, 3), False, False, False, False),
        (Bounds(1, 5), Bounds(2, 4), False, True, False, True),
    ],
)
def test_order_at_touching_ends(
    a: Bounds, b: Bounds, cle: bool, ple: bool, clt: bool, plt: bool
) -> None:
    assert (a.certainly_le(b), a.possibly_le(b), a.certainly_lt(b), a.possibly_lt(b)) == (
        cle,
        ple,
        clt,
        plt,
    )


def test_total_and_intersect_all() -> None:
    assert total([]) == Bounds(0.0, 0.0)
    parts = [Bounds(1, 2, lo_open=True), Bounds(3, INF), Bounds(0, 4, hi_open=True)]
    assert total(parts) == Bounds(4, INF, True, True)
    assert intersect_all([]) == ANY
    assert intersect_all(parts) == Bounds(3, 2, False, False)
    assert intersect_all([Bounds(1, 9), Bounds(1, 9, lo_open=True)]) == Bounds(1, 9, True, False)
    assert intersect_all([Bounds(1, 9, hi_open=True), Bounds(1, 9)]) == Bounds(1, 9, False, True)
    assert intersect_all([Bounds(1, 9), Bounds(2, 8)]) == Bounds(2, 8)


def test_slack_for_float_sums_never_reaches_a_whole_unit() -> None:
    # 8,000,000,000 and 8,000,000,001 differ, however large the figures.
    assert not Bounds(8e9, 8e9).meets(Bounds(8e9 + 1, 8e9 + 1))
    assert not Bounds(8e9, 8e9).certainly_le(Bounds(8e9 - 1, 8e9 - 1))
    # Rounding of decimal sums is still forgiven, small or large.
    assert total([Bounds(0.1, 0.1), Bounds(0.2, 0.2)]).meets(Bounds(0.3, 0.3))
    big = total([Bounds(1e12, 1e12), Bounds(0.1, 0.1), Bounds(0.2, 0.2)])
    assert big.meets(Bounds(1e12 + 0.3, 1e12 + 0.3))
    assert big.exact
