"""The distribution as another repository installs it: name, licence, command, data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, minimal_ledger


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_has_a_free_name_the_licence_and_the_command(wheel: Path) -> None:
    assert wheel.name.startswith("claimcheck_ledger-")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        entry = zf.read(next(n for n in names if n.endswith("/entry_points.txt"))).decode()
        licence = zf.read(next(n for n in names if n.endswith("/LICENSE"))).decode()
    assert "Name: claimcheck-ledger\n" in meta
    assert "License-Expression: MIT\n" in meta
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "claimcheck = claimcheck.cli:main" in entry
    for path in (
        "claimcheck/_data/claims.json",
        "claimcheck/_data/gazetteer.json",  # the bundled ledger includes it
        "claimcheck/_data/article.txt",
        "claimcheck/cli/app.py",
        "claimcheck/api.py",
    ):
        assert path in names


def test_installed_wheel_runs_in_another_repository(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:  # a pure-Python wheel installs by unpacking
        zf.extractall(site)
    repo = tmp_path / "newsroom"
    repo.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "claimcheck", *args],
            cwd=repo, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    bundled = json.loads(run("verify", "--offline", "--format", "json").stdout)
    assert Path(bundled["ledger"]) == site / "claimcheck" / "_data" / "claims.json"
    assert bundled["ok"] is True
    (repo / "claims.json").write_text(json.dumps(minimal_ledger()), encoding="utf-8")
    own = json.loads(run("check", "--format", "json").stdout)
    assert own["ledger"] == "claims.json"


def test_readme_says_how_to_install_elsewhere_on_its_first_screen() -> None:
    head = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:45])
    assert "claimcheck-ledger" in head
    assert "pipx install 'git+<repository-url>'" in head and "placeholder" in head
    assert "uv tool install" in head and "/path/to/checkout" in head
