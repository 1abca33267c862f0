"""Configure once: ``[tool.claimcheck]`` in pyproject.toml or a claimcheck.toml, the
``CLAIMCHECK_…`` environment variables and the command line, layered in that order.

Public API::

    config = load_config({"timeout": 5.0})   # only the options given on the command line
    options = link_options(config)           # LinkOptions for check_ledger_links
    data = describe(config)                  # what `claimcheck config --format json` prints

See docs/config.md.
"""

from __future__ import annotations

from claimcheck.config.describe import describe, link_options
from claimcheck.config.keys import KEYS, Key, parse_duration, parse_statuses
from claimcheck.config.load import (
    CONFIG_ENV,
    Config,
    ConfigError,
    Setting,
    find_config,
    load_config,
)

__all__ = [
    "CONFIG_ENV",
    "KEYS",
    "Config",
    "ConfigError",
    "Key",
    "Setting",
    "describe",
    "find_config",
    "link_options",
    "load_config",
    "parse_duration",
    "parse_statuses",
]
