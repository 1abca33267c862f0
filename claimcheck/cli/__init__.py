"""The command-line interface: parsing and rendering only; the work is in :mod:`claimcheck.api`.

One module per command (``verify``, ``check``, ``links``, ``claims``, ``sources``,
``schema``), options and error handling shared in :mod:`claimcheck.cli.common`, the app
in :mod:`claimcheck.cli.app`.
"""

from claimcheck.cli.app import app, main

__all__ = ["app", "main"]
