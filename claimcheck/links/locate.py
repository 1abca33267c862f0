"""Where in the ledger each checked URL is cited, so annotations land on its line."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from claimcheck.results import LinkResult

if TYPE_CHECKING:
    from claimcheck.loader import LoadedLedger
    from claimcheck.sourcemap import JsonPath


def _files(loaded: LoadedLedger) -> list[LoadedLedger]:
    """The ledger files behind ``loaded``: its members for a dossier, else itself."""
    members = getattr(loaded, "members", None)
    return [m.loaded for m in members] if members else [loaded]


def locate_links(loaded: LoadedLedger, results: list[LinkResult]) -> list[LinkResult]:
    """``results`` with ``location`` set to the first source field that cites each URL.

    A URL cited by several sources points at the first in ledger order (in a dossier,
    in the first ledger citing it), in the field its result is about (``url`` or
    ``archive_url``), else the other one. One scan of each ledger's text.
    """
    first: dict[tuple[str, str], tuple[int, JsonPath]] = {}
    files = _files(loaded)
    for k, led in enumerate(files):
        for index, source in enumerate(led.ledger.sources):
            for field in ("url", "archive_url"):
                value = getattr(source, field)
                if value and value.strip():
                    first.setdefault((value.strip(), field), (k, ("sources", index, field)))
    wanted: dict[int, list[tuple[int, JsonPath]]] = {}
    for i, link in enumerate(results):
        other = "archive_url" if link.kind == "url" else "url"
        found = first.get((link.url, link.kind)) or first.get((link.url, other))
        if found is not None:
            wanted.setdefault(found[0], []).append((i, found[1]))
    out = list(results)
    for k, items in wanted.items():
        located = files[k].locate([p for _, p in items])
        for (i, _), where in zip(items, located, strict=True):
            out[i] = replace(out[i], location=where)
    return out
