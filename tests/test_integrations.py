"""The ready-made integrations, run for real: the pre-commit hooks through pre-commit
itself, and the shell steps of the GitHub Action with a fake runner environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, minimal_ledger

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _ledger(**source: Any) -> dict[str, Any]:
    data = minimal_ledger()
    data["document"] = {"title": "An article", "text": "article.txt"}
    data["sources"] = [{"id": "s", "title": "S", "published": "2022"} | source]
    return data


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is a [dev] dependency")
def test_pre_commit_hooks_run_on_the_ledgers_being_committed(tmp_path: Path) -> None:
    """``pre-commit try-repo`` installs this checkout as the hooks' repository (from the
    package index, as pre-commit does for ``language: python``) and runs both hooks."""
    repo = tmp_path / "newsroom"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "article.txt").write_text("There were three stations.\n", encoding="utf-8")
    # The good ledger's one URL is on loopback: the safety rule skips it, no network.
    good = _ledger(url="http://127.0.0.1:9/three")
    (repo / "claims.json").write_text(json.dumps(good, indent=2), encoding="utf-8")
    bad = _ledger()
    bad["claims"][0]["sources"] = ["nope"]
    (repo / "story-ledger.json").write_text(json.dumps(bad, indent=2), encoding="utf-8")
    # Neither a package manifest nor a schema is a ledger: the hooks' filters skip them.
    (repo / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    (repo / "claims.schema.json").write_text("{}", encoding="utf-8")
    _git(repo, "add", ".")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env |= {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    files = ["claims.json", "story-ledger.json", "package.json", "claims.schema.json"]
    run = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), "--verbose", "--color", "never",
         "--hook-stage", "manual", "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    out = run.stdout + run.stderr
    assert run.returncode == 1, out  # the bad ledger fails
    verify = out[out.index("claimcheck verify (offline)") : out.index("claimcheck links")]
    assert "Failed" in verify
    assert "story-ledger.json:" in verify and "unknown source id 'nope'" in verify
    assert "package.json" not in out and "claims.schema.json" not in out
    links = out[out.index("claimcheck links") :]
    assert "story-ledger.json" in links


def test_pre_commit_hooks_file_is_what_the_docs_say() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["claimcheck-verify"]["entry"] == "claimcheck verify --offline"
    assert hooks["claimcheck-links"]["entry"] == "claimcheck links"
    assert "manual" in hooks["claimcheck-links"]["stages"]
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for hook_id in hooks:
        assert hook_id in docs
