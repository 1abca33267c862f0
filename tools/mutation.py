"""Mutation testing of one module with only its own tests (a benchmark, not part of CI).

Wraps mutmut 3 (``pip install -e '.[mutation]'``). mutmut mutates a copy of the tree under
``mutants/`` and wants its settings in ``pyproject.toml``; this script copies the working
tree (committed or not, ignored files left out) to a scratch folder, writes there the
settings for the chosen module and test files, runs mutmut, and prints the share of
mutants caught and every survivor with its diff. Survivors listed in
``tools/mutation_equivalent.toml`` (changes shown not to alter behaviour, each with its
reason) are left out of the score.

    .venv/bin/python tools/mutation.py claimcheck/dates.py
    .venv/bin/python tools/mutation.py claimcheck/textmatch.py --tests tests/test_textmatch.py

Per mutant, mutmut runs only the selected tests that reach the mutated function, with a
CPU-time limit derived from their measured duration (a mutant that loops is "timeout",
which counts as caught).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "tools" / "mutation_equivalent.toml"

# The test files that exercise each core module (the default for --tests).
RELEVANT_TESTS: dict[str, list[str]] = {
    "claimcheck/dates.py": [
        "tests/test_dates_exact.py",
        "tests/consistency/",
        "tests/test_textmatch.py",
        "tests/test_anchor.py",
    ],
    "claimcheck/textmatch.py": [
        "tests/test_textmatch.py",
        "tests/test_textmatch_exact.py",
        "tests/test_textmatch_prepare.py",
        "tests/test_textmatch_passages.py",
        "tests/test_anchor.py",
    ],
    "claimcheck/links/safety.py": [
        "tests/links/test_safety_offline.py",
        "tests/links/test_safety_exact.py",
    ],
    "claimcheck/links/classify.py": [
        "tests/links/test_statuses.py",
        "tests/links/test_classify_exact.py",
        "tests/links/test_classify_pages.py",
    ],
    "claimcheck/consistency/bounds.py": [
        "tests/consistency/",
    ],
    "claimcheck/consistency/containment.py": [
        "tests/consistency/",
    ],
    "claimcheck/consistency/flows.py": ["tests/consistency/"],
    "claimcheck/consistency/nesting.py": ["tests/consistency/"],
    "claimcheck/consistency/facts.py": ["tests/consistency/"],
    "claimcheck/consistency/events.py": ["tests/consistency/"],
    "claimcheck/evidence/__init__.py": ["tests/evidence/"],
    "claimcheck/evidence/run.py": ["tests/evidence/"],
    "claimcheck/evidence/locate.py": ["tests/evidence/"],
    "claimcheck/evidence/verdict.py": ["tests/evidence/"],
    "claimcheck/links/transport.py": [
        "tests/links/test_transport.py",
        "tests/links/test_transport_exact.py",
        "tests/links/test_statuses.py",
        "tests/links/test_network_env.py",
        "tests/links/test_link_deadline.py",
        "tests/links/test_parser_hostile.py",
    ],
}

# Tests that assert wall-clock speed: mutmut's trampolines slow every call, so they fail
# without any mutant and would stop mutmut before it starts. Speed is measured in bench/.
TIMED_TESTS = [
    "tests/links/test_statuses.py::test_gzip_bomb_is_survived",
    "tests/links/test_statuses.py::test_drip_feed_is_cut_at_the_total_timeout",
]

CAUGHT = {"killed", "timeout"}
MUTANT_LINE = re.compile(r"^\s*(\S+__mutmut_\d+): (.+)$")


@dataclass(frozen=True)
class Equivalent:
    """A survivor shown not to change behaviour: identified by its changed lines."""

    module: str
    removed: str
    added: str
    why: str


def load_equivalents(path: Path = EQUIVALENT_FILE) -> list[Equivalent]:
    """The equivalent mutants recorded in ``path`` (empty when the file is missing)."""
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Equivalent(e["module"], _norm(e["removed"]), _norm(e["added"]), e["why"])
        for e in data.get("equivalent", [])
    ]


def _norm(code: str) -> str:
    return " ".join(code.split())


def changed_lines(diff: str) -> tuple[str, str]:
    """The removed and added lines of a mutmut diff, whitespace-normalised."""
    removed = [
        ln[1:] for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")
    ]
    added = [ln[1:] for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return _norm("\n".join(removed)), _norm("\n".join(added))


def copy_tree(dest: Path) -> None:
    """Copy the working tree's files (tracked or new, not ignored) to ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if not src.is_file():
            continue  # deleted but still in the index
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


def write_settings(tree: Path, module: str, tests: list[str]) -> None:
    """Append the ``[tool.mutmut]`` table for this run to the copy's pyproject.toml."""
    top = sorted(
        p.name
        for p in tree.iterdir()
        if p.name not in {"mutants", "tests", "pyproject.toml"} and not p.name.startswith(".")
    )
    quoted = ", ".join(f'"{t}"' for t in tests)
    also = ", ".join(f'"{t}"' for t in top)
    deselect = ", ".join(f'"--deselect", "{t}"' for t in TIMED_TESTS)
    with (tree / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(
            "\n[tool.mutmut]\n"
            f'source_paths = ["{module}"]\n'
            f"pytest_add_cli_args_test_selection = [{quoted}]\n"
            # Same examples each run, no deadline: tests/conftest.py's "mutation" profile.
            f'pytest_add_cli_args = ["-p", "no:cacheprovider", '
            f'"--hypothesis-profile=mutation", {deselect}]\n'
            # The rest of the package must be importable beside the mutated module.
            f"also_copy = [{also}]\n"
        )


def mutmut_exe() -> str:
    """The mutmut beside this interpreter, else the one on PATH."""
    here = Path(sys.executable).parent / "mutmut"
    found = str(here) if here.exists() else shutil.which("mutmut")
    if not found:
        sys.exit("mutmut is not installed: .venv/bin/pip install -e '.[mutation]'")
    return found


def run(module: str, tests: list[str], children: int, keep: Path | None) -> int:
    """Run mutmut on ``module``; print the score and survivors; 0 if ≥ the bar."""
    exe = mutmut_exe()
    scratch = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="claimcheck-mutation-"))
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    try:
        copy_tree(scratch)
        missing = [t for t in tests if not (scratch / t).exists()]
        tests = [t for t in tests if t not in missing]
        if missing:
            print(f"(no such test file, skipped: {', '.join(missing)})")
        write_settings(scratch, module, tests)
        proc = subprocess.run(
            [exe, "run", "--max-children", str(children)],
            cwd=scratch,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
            return 2
        listing = subprocess.run(
            [exe, "results", "--all", "true"], cwd=scratch, capture_output=True, text=True
        ).stdout
        statuses = {
            m.group(1): m.group(2).strip()
            for m in map(MUTANT_LINE.match, listing.splitlines())
            if m
        }
        return report(exe, scratch, module, statuses)
    finally:
        if keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


def report(exe: str, scratch: Path, module: str, statuses: dict[str, str]) -> int:
    """Print the score of ``module`` and its survivors; 0 when at least 90% caught."""
    equivalents = [e for e in load_equivalents() if e.module == module]
    survivors: list[tuple[str, str]] = []
    equivalent_hits: list[tuple[str, Equivalent]] = []
    for name, status in sorted(statuses.items()):
        if status in CAUGHT:
            continue
        diff = subprocess.run(
            [exe, "show", name], cwd=scratch, capture_output=True, text=True
        ).stdout
        removed, added = changed_lines(diff)
        match = next((e for e in equivalents if (e.removed, e.added) == (removed, added)), None)
        if match is not None and status == "survived":
            equivalent_hits.append((name, match))
        else:
            survivors.append((f"{name} ({status})", diff))
    total = len(statuses)
    counted = total - len(equivalent_hits)
    caught = sum(1 for s in statuses.values() if s in CAUGHT)
    score = caught / counted if counted else 1.0
    for title, diff in survivors:
        print(f"\n== survived: {title}")
        print("\n".join(ln for ln in diff.splitlines() if ln.startswith(("-", "+", "@"))))
    for name, e in equivalent_hits:
        print(f"\n(equivalent, left out: {name}: {e.why})")
    print(
        f"\n{module}: {caught}/{counted} mutants caught = {score:.1%} "
        f"({total} generated, {len(equivalent_hits)} equivalent left out, "
        f"{len(survivors)} survived)"
    )
    return 0 if score >= 0.9 else 1


def main() -> int:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("module", help="path of the module to mutate, e.g. claimcheck/dates.py")
    parser.add_argument("--tests", nargs="+", help="test files to run (default: the module's own)")
    parser.add_argument("--children", type=int, default=2, help="parallel test processes")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it afterwards")
    args = parser.parse_args()
    module = args.module.replace("\\", "/")
    tests = args.tests or RELEVANT_TESTS.get(module)
    if not tests:
        parser.error(f"no default tests for {module}: give --tests")
    return run(module, tests, args.children, args.keep)


if __name__ == "__main__":
    sys.exit(main())
