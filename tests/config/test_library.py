"""The configuration from Python: another folder and environment, and LinkOptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.config import ConfigError, link_options, load_config
from claimcheck.links import LinkOptions
from claimcheck.results import LinkStatus


def test_folder_and_environment_are_parameters(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "claimcheck.toml").write_text(
        'fail-on-http = true\nca-file = "certs/corp.pem"\n'
        '[hosts."example.org"]\nmax-per-host = 1\n'
        '[[rewrite]]\nfrom = "http://"\nto = "https://"\n',
        encoding="utf-8",
    )
    config = load_config(
        {"retries": 0}, cwd=tmp_path, environ={"CLAIMCHECK_TIMEOUT": "7", "CLAIMCHECK_CONFIG": ""}
    )
    options = link_options(config)
    assert isinstance(options, LinkOptions)
    assert (options.timeout, options.retries) == (7.0, 0)
    assert LinkStatus.INSECURE in options.fail_on
    assert options.ca_file == tmp_path / "certs" / "corp.pem"
    assert options.hosts[0].pattern == "example.org"
    assert options.hosts[0].max_per_host == 1
    assert options.hosts[0].origin == f"{tmp_path / 'claimcheck.toml'}:3"
    assert [r.describe() for r in options.rewrites] == ["http:// → https://"]


def test_problems_are_a_list_of_located_lines(tmp_path: Path) -> None:
    (tmp_path / "claimcheck.toml").write_text("retries = -1\nconfirm = true\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cwd=tmp_path, environ={}, config_path=tmp_path / "claimcheck.toml")
    path = tmp_path / "claimcheck.toml"
    assert err.value.problems == [
        f"{path}:1: retries: must be at least 0",
        f"{path}:2: confirm: must be a whole number, not a boolean",
    ]
