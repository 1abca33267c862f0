"""The command-line interface: parsing and rendering only; the work is in :mod:`claimcheck.api`.

One module per command (``verify``, ``check``, ``links``, ``claims``, ``sources``,
``schema``), options and error handling shared in :mod:`claimcheck.cli.common`, the app
in :mod:`claimcheck.cli.app`.
"""

import sys

# httpx imports its own command line (click, pygments, rich) when it is imported: 40 ms
# of every run of ours, for a program we never call. A None entry makes that import fail
# at once, and httpx then defines a stub in its place.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from claimcheck.cli.app import app, main  # noqa: E402

__all__ = ["app", "main"]
