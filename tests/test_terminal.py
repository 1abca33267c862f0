"""What a person sees in a terminal, a pipe or a CI log: widths, padding, colour, help
wording and shell completion."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.reporters.layout import TrimmedLines, fits
from claimcheck.reporters.table import console_for

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
REPORTS = [
    ["verify", "--offline"],
    ["verify", "--offline", "--verbose"],
    ["check"],
    ["claims"],
    ["claims", "--measure", "stations"],
    ["sources"],
]


def _run(args: list[str], width: int | None = None, **env: str) -> str:
    extra = {"terminal_width": width} if width else {}
    result = CliRunner().invoke(app, args, env=env, prog_name="claimcheck", **extra)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_fits_60_columns_and_names_types_in_words(command: str) -> None:
    out = _run([command, "--help"] if command else ["--help"], width=60)
    too_wide = [line for line in out.splitlines() if len(line) > 60]
    assert not too_wide
    # Types in words (SECONDS, REGEX, LEDGER), never Python's (<list[str]>, <float range>).
    assert not re.search(r"<(list\[|str>|int|float|bool|Path|path)", out), out


def test_ledger_argument_reads_as_words() -> None:
    out = _run(["links", "--help"], width=100)
    assert "Usage: claimcheck links [OPTIONS] [LEDGER]..." in out
    assert "--fail-on STATUS,..." in out and "--exclude REGEX" in out
    assert "--timeout SECONDS" in out and "--ttl DURATION" in out


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_reports_fit_60_columns(args: list[str]) -> None:
    out = _run(args, COLUMNS="60")
    too_wide = [line for line in out.splitlines() if len(line) > 60]
    assert not too_wide, too_wide[:3]


def test_a_narrow_listing_is_one_block_per_record() -> None:
    out = _run(["sources"], COLUMNS="60")
    assert "\nsd-110-overseas\n  claims     36\n" in out
    # Every word stays whole: no id or title cut into pieces or ellipses.
    assert "…" not in out
    wide = _run(["sources"], COLUMNS="160")
    assert re.search(r"^ sd-110-overseas +36 ", wide, re.MULTILINE)


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_no_trailing_padding_when_piped(args: list[str]) -> None:
    out = _run(args)
    padded = [line for line in out.splitlines() if line != line.rstrip()]
    assert not padded, padded[:3]


def test_trimmed_lines_keeps_text_and_unfinished_lines() -> None:
    sink = io.StringIO()
    out = TrimmedLines(sink)
    out.write("a  \nb ")
    out.write(" c   \n")
    out.write("tail ")
    assert sink.getvalue() == "a\nb  c\n"
    out.flush()
    assert sink.getvalue() == "a\nb  c\ntail "


def test_fits_keeps_words_whole() -> None:
    assert fits(["id", "title"], [["a", "one two"]], 20)
    assert not fits(["id", "title"], [["a", "unbreakable-word-of-some-length"]], 20)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("value", "coloured"), [(None, True), ("", True), ("1", False)])
def test_an_empty_no_color_does_not_count(
    monkeypatch: pytest.MonkeyPatch, value: str | None, coloured: bool
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    tty = _Tty()
    console_for(tty).print("x", style="red")
    assert bool(re.search(r"\x1b\[[0-9;]*31m", tty.getvalue())) is coloured


def test_completion_answers_commands_options_and_choices() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_CLAIMCHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        return _run([], **env).split()

    assert complete("claimcheck ve") == ["verify"]
    assert "--offline" in complete("claimcheck verify --off")
    assert complete("claimcheck verify --format ma") == ["markdown"]
    assert complete("claimcheck claims --kind da") == ["date"]


def test_completion_script_is_shown_and_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Typer's switch to name the shell rather than detect it from the process tree; read
    # when the command is built, so set before the runner builds it.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    env = {"HOME": str(tmp_path)}
    script = _run(["--show-completion", "bash"], **env)
    assert "_CLAIMCHECK_COMPLETE=complete_bash" in script
    assert "_CLAIMCHECK_COMPLETE=complete_zsh" in _run(["--show-completion", "zsh"], **env)
    _run(["--install-completion", "bash"], **env)
    installed = (tmp_path / ".bash_completions" / "claimcheck.sh").read_text(encoding="utf-8")
    assert "_CLAIMCHECK_COMPLETE=complete_bash" in installed
    assert "claimcheck.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
