"""Reporters: pure functions that render a :class:`~claimcheck.results.Report` to a stream.

They are looked up by name so that ``--format`` choices come from this registry, and
imported lazily so that a command pays only for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from claimcheck.results import Listing, Report

Reporter = Callable[[Report, TextIO], None]

REPORTERS: dict[str, str] = {
    "table": "claimcheck.reporters.table",
    "json": "claimcheck.reporters.jsonfmt",
    "markdown": "claimcheck.reporters.markdown",
    "junit": "claimcheck.reporters.junit",
    "github": "claimcheck.reporters.github",
    "sarif": "claimcheck.reporters.sarif",
}
"""Every report format, by the name ``--format`` takes."""


def get_reporter(name: str) -> Reporter:
    """The ``render(report, stream)`` function of format ``name``."""
    module = importlib.import_module(REPORTERS[name])
    render: Reporter = module.render
    return render


def render_listing(listing: Listing, fmt: str, out: TextIO) -> None:
    """Render a listing in ``fmt`` (``table``, ``json`` or ``markdown``)."""
    module = importlib.import_module(REPORTERS[fmt])
    module.render_listing(listing, out)
