"""Small helpers for messages people read."""


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 claim``, ``3 claims``, ``2 countries`` (give ``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
