"""Small wording helpers shared by the rules' messages."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 claim``, ``3 claims``, ``0 claims``; ``many`` for an irregular plural."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many if many is not None else word + 's'}"
