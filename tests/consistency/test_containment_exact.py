"""Containment share rules at their edges: "most" at exactly half, "half" via scale."""

from __future__ import annotations

from typing import Any

from claimcheck.results import Status

from .test_rules import PLACES, Small, place


def share(p: str, kind: str, of: str = "world") -> dict[str, Any]:
    return {"measure": "stations", "place": p, "share": kind, "share_of": of, "as_of": "2022-09-12"}


def verdict(small: Small, claims: dict[str, dict[str, Any]]) -> tuple[Status, str]:
    f = next(f for f in small(claims, places=PLACES) if "s" in f.claims)
    return f.status, f.message


def test_most_at_exactly_half_is_not_most(small: Small) -> None:
    # World 10 = Europe + North America 5: Europe is exactly 5, half of 10, not most.
    base = {"world": place("world", 10, parts_complete=True), "na": place("na", 5)}
    status, message = verdict(
        small, {**base, "europe": place("europe", 5), "s": share("europe", "most")}
    )
    assert status is Status.FAIL
    assert "needs Europe > 5 (half of World 10)" in message
    status, _ = verdict(
        small,
        {**base, "na": place("na", 4), "europe": place("europe", 6), "s": share("europe", "most")},
    )
    assert status is Status.PASS


def test_half_is_scaled_from_the_whole(small: Small) -> None:
    base = {"world": place("world", 10, parts_complete=True), "na": place("na", 5)}
    status, message = verdict(
        small, {**base, "europe": place("europe", 5), "s": share("europe", "half")}
    )
    assert status is Status.PASS
    assert "needs Europe = 5; the figures give Europe 5" in message
    status, message = verdict(
        small,
        {
            "world": place("world", 10, parts_complete=True),
            "na": place("na", 4),
            "europe": place("europe", 6),
            "s": share("europe", "half"),
        },
    )
    assert status is Status.FAIL
    assert "needs Europe = 5; the figures give Europe 6" in message
