"""The README stays honest: its commands, formats, exit codes and sample are the real ones."""

from __future__ import annotations

import re

from claimcheck.reporters import REPORTERS
from claimcheck.results import ExitCode
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, re.DOTALL)


def test_readme_opens_with_the_two_fresh_machine_commands() -> None:
    install_run, install_test = _shell_blocks(README)[:2]
    assert "pip install ." in install_run and "claimcheck verify" in install_run
    assert "pytest" in install_test and "mypy claimcheck" in install_test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _shell_blocks(README)[1].strip()
    assert test_command in ci.splitlines()


def test_readme_names_every_command_and_format(cli) -> None:
    help_text = cli("--help").stdout
    commands = re.findall(r"^  (\w+)\s{2,}", help_text, re.MULTILINE)
    assert len(commands) >= 6
    for command in commands:
        assert f"claimcheck {command}" in README, command
    for fmt in REPORTERS:
        assert f"`{fmt}`" in README, fmt


def test_readme_documents_every_exit_code() -> None:
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, re.MULTILINE), code


def test_readme_samples_are_the_real_output(cli) -> None:
    samples = re.findall(r"```text\n\$ claimcheck ([^\n]*)\n(.*?)```", README, re.DOTALL)
    assert len(samples) >= 2, "the README shows real output of verify and check"
    for args, sample in samples:
        real = cli(*args.split()).stdout
        real_lines = {ln.rstrip() for ln in real.splitlines()}
        lines = [ln.rstrip() for ln in sample.splitlines() if ln.strip() and ln.strip() != "…"]
        missing = [ln for ln in lines if ln not in real_lines]
        assert not missing, f"claimcheck {args}: README lines not in today's output: {missing[:3]}"
