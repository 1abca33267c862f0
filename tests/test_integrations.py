"""The ready-made integrations, run for real: the pre-commit hooks through pre-commit
itself, and the shell steps of the GitHub Action with a fake runner environment."""

from __future__ import annotations

import json
import os
import re
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


@pytest.mark.slow
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
    blocks = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(
            r"^(claimcheck [^.\n]+?)\.+(Passed|Failed)\n(.*?)(?=^claimcheck |\Z)", out, re.M | re.S
        )
    }
    for name in ("claimcheck verify (offline)", "claimcheck links"):
        verdict, text = blocks[name]
        # Both hooks ran on the ledgers (the bad one stops the run: exit 2, located).
        assert verdict == "Failed" and "exit code: 2" in text, text
        assert "story-ledger.json:22:9: $.claims[0].sources[0]: unknown source id" in text
    assert "package.json" not in out and "claims.schema.json" not in out


def test_pre_commit_hooks_file_is_what_the_docs_say() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["claimcheck-verify"]["entry"] == "claimcheck verify --offline"
    assert hooks["claimcheck-links"]["entry"] == "claimcheck links"
    assert "manual" in hooks["claimcheck-links"]["stages"]
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for hook_id in hooks:
        assert hook_id in docs


# --- the GitHub Action --------------------------------------------------------------------------

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
_EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


class FakeRunner:
    """Runs the action's shell steps as the runner would: expressions resolved, inputs as
    environment variables, GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY as files."""

    def __init__(self, tmp: Path, inputs: dict[str, str]) -> None:
        self.tmp = tmp
        self.inputs = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        self.inputs |= inputs
        self.outputs: dict[str, dict[str, str]] = {}
        (tmp / "runner-temp").mkdir()
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.files = {n: tmp / n for n in ("output", "path", "summary", "pip-log")}
        for f in self.files.values():
            f.touch()

    def value(self, expr: str) -> str:
        head, _, name = expr.partition(".")
        if head == "inputs":
            return self.inputs[name]
        if expr == "runner.temp":
            return str(self.tmp / "runner-temp")
        if expr == "github.action_path":
            return str(ROOT)
        if head == "steps":
            step, _, output = name.partition(".outputs.")
            return self.outputs.get(step, {}).get(output, "")
        raise AssertionError(f"an expression the fake runner does not know: {expr}")

    def resolve(self, text: str) -> str:
        return _EXPR.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, step: dict[str, Any]) -> bool:
        cond = step.get("if", "true")
        cond = re.sub(r"always\(\)\s*&&\s*", "", cond)
        cond = re.sub(r"(inputs|steps)\.[\w.-]+", lambda m: repr(self.value(m.group())), cond)
        return bool(eval(cond.replace("&&", " and ").replace("true", "True")))

    def run(self, step: dict[str, Any], workspace: Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        env |= {self.resolve(k): self.resolve(str(v)) for k, v in step.get("env", {}).items()}
        extra_path = [p for p in self.files["path"].read_text().splitlines() if p]
        env |= {
            "PATH": os.pathsep.join([str(self.bin), *extra_path, env["PATH"]]),
            "RUNNER_TEMP": str(self.tmp / "runner-temp"),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(self.files["output"]),
            "GITHUB_PATH": str(self.files["path"]),
            "GITHUB_STEP_SUMMARY": str(self.files["summary"]),
            "FAKE_PIP_LOG": str(self.files["pip-log"]),
            "NO_COLOR": "1",
        }
        cwd = workspace / self.resolve(step.get("working-directory", "."))
        before = self.files["output"].read_text()
        # As GitHub runs `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        script = self.tmp / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        cmd = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
        done = subprocess.run(cmd, cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        new = self.files["output"].read_text()[len(before) :]
        if "id" in step:
            self.outputs[step["id"]] = dict(
                line.split("=", 1) for line in new.splitlines() if "=" in line
            )
        return done


def _fake_python(runner: FakeRunner) -> None:
    """``python3 -m venv`` makes a folder whose ``python -m pip install`` only logs what it
    would install, and whose bin has the claimcheck under test: no network, no install."""
    claimcheck = Path(sys.executable).with_name("claimcheck")
    shim = runner.bin / "python3"
    shim.write_text(
        "#!/bin/sh\n"
        'if [ "$1 $2" = "-m venv" ]; then\n'
        '  mkdir -p "$3/bin"\n'
        f'  ln -sf {claimcheck} "$3/bin/claimcheck"\n'
        '  printf \'#!/bin/sh\\necho "$@" >> "$FAKE_PIP_LOG"\\n\' > "$3/bin/python"\n'
        '  chmod +x "$3/bin/python"\n'
        "  exit 0\n"
        "fi\n"
        f'exec {sys.executable} "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)


def _run_action(tmp_path: Path, workspace: Path, **inputs: str) -> tuple[FakeRunner, list[str]]:
    runner = FakeRunner(tmp_path, inputs)
    _fake_python(runner)
    ran = []
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or not runner.condition(step):
            continue
        done = runner.run(step, workspace)
        ran.append(step["name"])
        runner.outputs.setdefault("_last", {})["code"] = str(done.returncode)
        runner.outputs["_last"]["out"] = done.stdout + done.stderr
    return runner, ran


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "repo"
    (ws / "ledgers").mkdir(parents=True)
    (ws / "ledgers" / "article.txt").write_text("There were three stations.\n", encoding="utf-8")
    data = _ledger()
    data["claims"].append(dict(data["claims"][0], id="d", quote="four stations", value=4))
    data["checks"] = [{"kind": "equal", "id": "x", "left": "c", "right": "d"}]
    (ws / "ledgers" / "story.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return ws


def test_action_runs_once_writes_every_report_and_fails_on_the_exit_code(
    tmp_path: Path, workspace: Path
) -> None:
    runner, ran = _run_action(
        tmp_path, workspace, ledgers="ledgers/story.json", args="--offline --verbose"
    )
    assert ran == ["Install claimcheck", "Run claimcheck", "Fail on claimcheck's exit code"]
    # Installed from the action's own checkout, into its own environment.
    assert runner.files["pip-log"].read_text().split() == ["-m", "pip", "install", "--quiet",
                                                           str(ROOT)]  # fmt: skip
    outputs = runner.outputs["run"]
    assert outputs["exit-code"] == "1"  # 3 is not 4: a failed check
    reports = Path(outputs["reports"])
    assert json.loads((reports / "report.json").read_text())["exit_code"] == 1
    assert outputs["sarif"] == str(reports / "claimcheck.sarif")
    assert (reports / "junit.xml").read_text().startswith("<?xml")
    summary = runner.files["summary"].read_text()
    assert summary.startswith("## claimcheck verify") and "FAILED" in summary
    # The last step fails the job with claimcheck's own code, and says why.
    assert runner.outputs["_last"]["code"] == "1"
    assert "findings or links failed (exit 1)" in runner.outputs["_last"]["out"]


def test_action_annotations_name_files_from_the_repository_root(
    tmp_path: Path, workspace: Path
) -> None:
    runner = FakeRunner(tmp_path, {"ledgers": "story.json", "args": "--offline",
                                   "working-directory": "ledgers"})  # fmt: skip
    _fake_python(runner)
    steps = {s["name"]: s for s in ACTION["runs"]["steps"]}
    runner.run(steps["Install claimcheck"], workspace)
    done = runner.run(steps["Run claimcheck"], workspace)
    assert done.returncode == 0  # the step itself never fails: the last one does
    assert "::error file=ledgers/story.json,line=" in done.stdout


def test_action_passes_when_all_is_well_and_keeps_the_link_store(
    tmp_path: Path, workspace: Path
) -> None:
    good = _ledger(url="https://example.org/three")  # excluded below: never fetched
    (workspace / "ledgers" / "story.json").write_text(json.dumps(good), encoding="utf-8")
    runner, _ = _run_action(tmp_path, workspace, ledgers="ledgers", command="links",
                            args="--exclude .")  # fmt: skip
    assert runner.outputs["run"]["exit-code"] == "0"
    assert runner.outputs["_last"]["code"] == "0"
    # The store the cache steps save is where the run wrote it.
    store = tmp_path / "runner-temp" / "claimcheck-store"
    steps = {s["name"]: s for s in ACTION["runs"]["steps"]}
    assert runner.resolve(steps["Save the link store"]["with"]["path"]) == str(store)
    assert (
        steps["Restore the link store"]["with"]["key"]
        == steps["Save the link store"]["with"]["key"]
    )
    assert (
        steps["Restore the link store"]["with"]["restore-keys"]
        == "claimcheck-links-${{ runner.os }}-"
    )


def test_action_inputs_never_reach_a_script_unquoted() -> None:
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]  # script injection


def test_a_bad_command_input_is_refused(tmp_path: Path, workspace: Path) -> None:
    runner, _ = _run_action(tmp_path, workspace, command="rm -rf /")
    assert runner.outputs["_last"]["code"] == "2"


def test_the_container_definition_copies_what_the_wheel_needs() -> None:
    """The image is built in the docs' example, not in CI: at least every file it copies
    exists, and it copies every file the wheel is built from."""
    import tomllib

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = {
        src
        for line in dockerfile.splitlines()
        if line.startswith("COPY ") and "--from" not in line
        for src in line.split()[1:-1]
    }
    assert copied and all((ROOT / src).exists() for src in copied)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {p.split("/")[0] for p in [*wheel["packages"], *wheel["force-include"]]}
    needed |= {project["project"]["readme"], "pyproject.toml"}
    assert needed <= copied, needed - copied
    assert "USER " in dockerfile and 'ENTRYPOINT ["claimcheck"]' in dockerfile
