"""Configure once: the file found from the working folder up, CLAIMCHECK_ variables, the
command line, and ``claimcheck config`` saying where each value came from."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

PYPROJECT = """\
[project]
name = "newsroom-desk"

[tool.claimcheck]
timeout = 30
max-per-host = 2
retries = 1
fail-on = ["broken", "gone"]
cache = ".cache/links.sqlite3"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (``.git``) with a pyproject.toml; the run starts in a subfolder."""
    monkeypatch.delenv("CLAIMCHECK_CONFIG")
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    sub = tmp_path / "articles" / "2026"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    return tmp_path


def settings(cli: Callable[..., Result], *args: str) -> dict[str, dict[str, object]]:
    result = cli("config", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    return doc["settings"]  # type: ignore[no-any-return]


def test_precedence_command_line_then_environment_then_file_then_default(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_TIMEOUT", "10")
    monkeypatch.setenv("CLAIMCHECK_MAX_PER_HOST", "3")
    got = settings(cli, "--timeout", "5")
    assert got["timeout"] == {
        "value": 5.0,
        "shown": "5",
        "source": "command line",
        "from": "--timeout",
    }
    assert got["max-per-host"]["value"] == 3
    assert got["max-per-host"]["source"] == "environment"
    assert got["max-per-host"]["from"] == "CLAIMCHECK_MAX_PER_HOST"
    assert got["retries"]["value"] == 1
    assert got["retries"]["from"] == f"{project / 'pyproject.toml'}:7"
    assert got["confirm"] == {"value": 1, "shown": "1", "source": "default", "from": None}
    assert got["fail-on"]["value"] == ["broken", "gone"]
    # A relative path in the file is relative to the file, not to the working folder.
    assert got["cache"]["value"] == str(project / ".cache" / "links.sqlite3")


def test_table_shows_each_setting_with_its_provenance(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("CLAIMCHECK_CONFIRM", "2")
    result = cli("config", "--ttl", "12h")
    assert result.exit_code == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert f"{project / 'pyproject.toml'} [tool.claimcheck]" in result.stdout
    assert lines["timeout"].split()[1:] == ["30", f"{project / 'pyproject.toml'}:5"]
    assert lines["confirm"].split()[1:] == ["2", "environment", "CLAIMCHECK_CONFIRM"]
    assert lines["ttl"].split()[1:] == ["12h", "command", "line", "--ttl"]
    assert lines["retries"].split()[1:] == ["1", f"{project / 'pyproject.toml'}:7"]
    assert lines["offline"].split()[1:] == ["false", "default"]


def test_claimcheck_toml_wins_over_pyproject_in_the_same_folder(
    project: Path, cli: Callable[..., Result]
) -> None:
    (project / "claimcheck.toml").write_text("timeout = 7\n", encoding="utf-8")
    result = cli("config", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["file"] == str(project / "claimcheck.toml")
    assert doc["settings"]["timeout"]["value"] == 7.0
    assert doc["settings"]["retries"]["source"] == "default"  # pyproject not merged
    assert "[tool.claimcheck] ignored" in result.stderr


def test_pyproject_without_the_table_is_passed_over(
    project: Path, cli: Callable[..., Result]
) -> None:
    inner = project / "articles"
    (inner / "pyproject.toml").write_text('[project]\nname = "inner"\n', encoding="utf-8")
    doc = json.loads(cli("config", "--format", "json").stdout)
    assert doc["file"] == str(project / "pyproject.toml")


def test_search_stops_at_the_repository_root(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMCHECK_CONFIG")
    (tmp_path / "claimcheck.toml").write_text("timeout = 7\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    doc = json.loads(cli("config", "--format", "json").stdout)
    assert doc["file"] is None
    assert doc["settings"]["timeout"]["source"] == "default"
    # Outside any repository the search goes on up.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "free").mkdir()
    monkeypatch.chdir(tmp_path / "free")
    doc = json.loads(cli("config", "--format", "json").stdout)
    assert doc["file"] == str(tmp_path / "claimcheck.toml")


def test_config_option_and_variable_name_the_file(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    named = tmp_path / "ci.toml"
    named.write_text("retries = 4\n", encoding="utf-8")
    doc = json.loads(cli("config", "--format", "json", "--config", str(named)).stdout)
    assert doc["settings"]["retries"]["value"] == 4
    monkeypatch.setenv("CLAIMCHECK_CONFIG", str(named))
    doc = json.loads(cli("config", "--format", "json").stdout)
    assert doc["settings"]["retries"]["from"] == f"{named}:1"
    result = cli("config", "--config", str(tmp_path / "missing.toml"))
    assert result.exit_code == 2
    assert "no such configuration file" in result.stderr


def write(project: Path, body: str) -> Path:
    path = project / "claimcheck.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_unknown_keys_and_wrong_types_are_located_errors_all_at_once(
    project: Path, cli: Callable[..., Result]
) -> None:
    path = write(
        project,
        '''\
        # a note = "not a key"
        description = """
        timout = 4
        [hosts."decoy"]
        """
        timout = 5
        retries = "two"

        [hosts."example.com"]
        delay = 0.5
        acept = [403]

        [[rewrite]]
        from = "http://a.example/"
        to = "https://b.example/"

        [[rewrite]]
        form = "http://c.example/"
        to = "https://d.example/"
        ''',
    )
    result = cli("config")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{path}:2: description: unknown setting" in lines
    assert f"{path}:6: timout: unknown setting (did you mean timeout?)" in lines
    assert f"{path}:7: retries: must be a whole number, not a string" in lines
    assert any(
        line.startswith(f'{path}:11: hosts."example.com".acept: unknown key') for line in lines
    )
    assert f"{path}:18: rewrite[2].form: unknown key (did you mean from?)" in lines
    assert "Traceback" not in result.output


def test_invalid_toml_is_located(project: Path, cli: Callable[..., Result]) -> None:
    path = write(project, "timeout = 5\nretries = = 3\nconfirm = 1\n")
    result = cli("config")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:2:11: invalid TOML: Invalid value")
    path = write(project, "timeout = 5\nretries = [1,\n")
    result = cli("config")
    assert result.stderr.startswith(f"{path}:3:1: invalid TOML:")


def test_literal_secret_in_the_file_is_an_error_and_never_printed(
    project: Path, cli: Callable[..., Result]
) -> None:
    secret = "Bearer hunter2-0123456789abcdef"
    path = write(
        project,
        f"""\
        [hosts."api.example.org"]
        headers = {{ "Accept-Language" = "en", Authorization = "{secret}" }}
        cookies = {{ session = "s3cr3t-cookie" }}
        """,
    )
    result = cli("config")
    assert result.exit_code == 2
    assert f'{path}:2: hosts."api.example.org".headers.Authorization: a secret' in result.stderr
    assert f'{path}:3: hosts."api.example.org".cookies.session: cookie values' in result.stderr
    assert "hunter2" not in result.output
    assert "s3cr3t" not in result.output


def test_secrets_from_the_environment_are_shown_by_name_only(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        project,
        """\
        [hosts."api.example.org"]
        headers = { Authorization = { env = "DESK_TOKEN" } }
        cookies = { session = { env = "DESK_SESSION" } }
        """,
    )
    monkeypatch.setenv("DESK_TOKEN", "Bearer top-secret-value")
    monkeypatch.setenv("COLUMNS", "200")
    result = cli("config")
    assert result.exit_code == 0, result.stderr
    assert "Authorization=$DESK_TOKEN (set)" in result.stdout
    assert "session=$DESK_SESSION (NOT SET)" in result.stdout
    assert "top-secret" not in result.output
    doc = json.loads(cli("config", "--format", "json").stdout)
    assert doc["hosts"][0]["headers"] == {"Authorization": "$DESK_TOKEN (set)"}


def test_bad_environment_values_are_errors_and_unknown_names_warnings(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_TIMEOUT", "soon")
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", "maybe")
    result = cli("config")
    assert result.exit_code == 2
    assert "environment: CLAIMCHECK_NO_CACHE: must be 1/0, true/false" in result.stderr
    assert "environment: CLAIMCHECK_TIMEOUT: must be a number, not 'soon'" in result.stderr
    monkeypatch.delenv("CLAIMCHECK_TIMEOUT")
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", "yes")
    monkeypatch.setenv("CLAIMCHECK_MAX_PER_HOTS", "9")
    result = cli("config", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["settings"]["no-cache"]["value"] is True
    assert (
        "warning: environment variable CLAIMCHECK_MAX_PER_HOTS is not a claimcheck setting "
        "(did you mean CLAIMCHECK_MAX_PER_HOST?)" in result.stderr
    )


def test_a_configuration_error_stops_verify_before_any_work(
    project: Path, cli: Callable[..., Result]
) -> None:
    path = write(project, "max-per-host = 0\n")
    result = cli("verify", "--offline")
    assert result.exit_code == 2
    assert f"{path}:1: max-per-host: must be at least 1" in result.stderr


def test_offline_from_the_environment_skips_links(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_OFFLINE", "1")
    result = cli("verify", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["links"] == []


def test_terminal_control_characters_in_the_file_are_shown_escaped(
    project: Path, cli: Callable[..., Result]
) -> None:
    write(project, 'user-agent = "desk\\u001b]0;pwned\\u0007 agent"\n')
    result = cli("config")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b" in result.stdout
    doc = cli("config", "--format", "json").stdout
    assert "\x1b" not in doc
    assert json.loads(doc)["settings"]["user-agent"]["value"] == "desk\x1b]0;pwned\x07 agent"
