"""Where in the ledger each checked URL is cited, so annotations land on its line."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from claimcheck.results import LinkResult

if TYPE_CHECKING:
    from claimcheck.loader import LoadedLedger
    from claimcheck.sourcemap import JsonPath


def locate_links(loaded: LoadedLedger, results: list[LinkResult]) -> list[LinkResult]:
    """``results`` with ``location`` set to the first source field that cites each URL.

    A URL cited by several sources points at the first in ledger order, in the field its
    result is about (``url`` or ``archive_url``). One scan of the ledger text for all.
    """
    first: dict[tuple[str, str], JsonPath] = {}
    for index, source in enumerate(loaded.ledger.sources):
        for field in ("url", "archive_url"):
            value = getattr(source, field)
            if value and value.strip():
                first.setdefault((value.strip(), field), ("sources", index, field))
    wanted: list[tuple[int, JsonPath]] = []
    for i, link in enumerate(results):
        path = first.get((link.url, link.kind)) or first.get(
            (link.url, "archive_url" if link.kind == "url" else "url")
        )
        if path is not None:
            wanted.append((i, path))
    if not wanted:
        return results
    located = loaded.locate([p for _, p in wanted])
    out = list(results)
    for (i, _), where in zip(wanted, located, strict=True):
        out[i] = replace(out[i], location=where)
    return out
