"""Finding, reading and layering the configuration: defaults < file < environment <
command line, each value remembering where it came from."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from claimcheck.config.hosts import Problems, parse_hosts, parse_rewrites
from claimcheck.config.keys import (
    ENV_PREFIX,
    KEYS,
    TABLE_KEYS,
    Key,
    closest,
    display,
    parse_value,
    suggest,
)
from claimcheck.config.locate import KeyPath, key_lines, line_of
from claimcheck.links.policy import HostPolicy, Rewrite

CONFIG_NAMES = ("claimcheck.toml", "pyproject.toml")
"""Looked for in this order in each folder: ``claimcheck.toml`` wins over ``pyproject.toml``."""
CONFIG_ENV = ENV_PREFIX + "CONFIG"
"""Names the configuration file explicitly (``none``: use no file)."""


class ConfigError(ValueError):
    """The configuration cannot be used: every problem, located, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Setting:
    """One effective setting and where its value came from."""

    name: str
    value: object
    source: str
    """``default``, ``file``, ``environment`` or ``command line``."""
    where: str | None = None
    """``pyproject.toml:12``, ``CLAIMCHECK_TIMEOUT`` or ``--timeout``."""

    @property
    def shown(self) -> str:
        """The value as ``claimcheck config`` prints it."""
        return display(KEYS[self.name], self.value)


@dataclass
class Config:
    """The effective configuration of one run."""

    file: Path | None = None
    """The configuration file used, if any."""
    table: str = ""
    """``[tool.claimcheck]`` or ``claimcheck.toml`` (the whole file)."""
    settings: dict[str, Setting] = field(default_factory=dict)
    hosts: tuple[HostPolicy, ...] = ()
    rewrites: tuple[Rewrite, ...] = ()
    warnings: list[str] = field(default_factory=list)
    """Things worth a line on stderr (a pyproject table shadowed, an unknown variable)."""

    def value(self, name: str) -> object:
        """The effective value of setting ``name``."""
        return self.settings[name].value


def _is_root(folder: Path) -> bool:
    return (folder / ".git").exists()


def find_config(start: Path) -> tuple[Path | None, list[str]]:
    """The configuration file for a run started in ``start``, and warnings.

    Each folder from ``start`` up is searched for ``claimcheck.toml``, then for a
    ``pyproject.toml`` holding a ``[tool.claimcheck]`` table (one without it is passed
    over). The search stops at the first found, at a repository root (a folder holding
    ``.git``, searched too) and at the filesystem root.
    """
    warnings: list[str] = []
    folder = start.resolve()
    for here in (folder, *folder.parents):
        own = here / "claimcheck.toml"
        pyproject = here / "pyproject.toml"
        has_table = pyproject.is_file() and _has_table(pyproject)
        if own.is_file():
            if has_table:
                warnings.append(
                    f"{_shown(pyproject)}: [tool.claimcheck] ignored: {_shown(own)} in the same "
                    "folder is used instead"
                )
            return own, warnings
        if has_table:
            return pyproject, warnings
        if _is_root(here):
            break
    return None, warnings


def _has_table(path: Path) -> bool:
    """Whether a pyproject.toml has ``[tool.claimcheck]`` (an unreadable one is read
    later, for its located error, only if it mentions the table)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return re.search(r"^\s*\[+\s*tool\s*\.\s*claimcheck\b", text, re.M) is not None
    tool = data.get("tool")
    return isinstance(tool, dict) and "claimcheck" in tool


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read(path: Path) -> tuple[str, dict[str, object]]:
    label = _shown(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError([f"{label}: cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{label}: not UTF-8 (byte {exc.start})"]) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if m:
            where = f"{label}:{m.group(1)}:{m.group(2)}"
        else:  # "(at end of document)"
            last = text.rsplit("\n", 1)[-1]
            where = f"{label}:{text.count(chr(10)) + 1}:{len(last) + 1}"
        message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
        raise ConfigError([f"{where}: invalid TOML: {message}"]) from None


@dataclass
class _FileLayer:
    values: dict[str, tuple[object, str]] = field(default_factory=dict)
    hosts: list[HostPolicy] = field(default_factory=list)
    rewrites: list[Rewrite] = field(default_factory=list)
    table: str = ""


def _file_layer(path: Path, problems: list[str]) -> _FileLayer:
    """Read and check every key of the file; problems are appended, located."""
    text, data = _read(path)
    label = _shown(path)
    lines = key_lines(text)
    layer = _FileLayer()
    base: KeyPath = ()
    root: object = data
    if path.name == "pyproject.toml":
        base = ("tool", "claimcheck")
        tool = data.get("tool", {})
        root = tool.get("claimcheck", {}) if isinstance(tool, dict) else {}
        layer.table = "[tool.claimcheck]"
    else:
        layer.table = "(whole file)"

    def report(key_path: KeyPath, shown: str, message: str) -> None:
        problems.append(f"{label}:{line_of(lines, key_path)}: {shown}: {message}")

    if not isinstance(root, dict):
        report(base, "tool.claimcheck", "must be a table")
        return layer
    for name, raw in root.items():
        path_k = (*base, name)
        if name == "hosts":
            for where, policy in parse_hosts(raw, path_k, Problems(report)):
                origin = f"{label}:{line_of(lines, where)}"
                layer.hosts.append(replace(policy, origin=origin))
        elif name == "rewrite":
            for where, rule in parse_rewrites(raw, path_k, Problems(report)):
                layer.rewrites.append(replace(rule, origin=f"{label}:{line_of(lines, where)}"))
        elif name in KEYS:
            try:
                value = parse_value(KEYS[name], raw)
            except ValueError as exc:
                report(path_k, name, str(exc))
                continue
            if isinstance(value, Path) and not value.is_absolute():
                value = path.parent / value  # relative to the file, not the working folder
            layer.values[name] = (value, f"{label}:{line_of(lines, path_k)}")
        else:
            choices = [*KEYS, *TABLE_KEYS]
            report(path_k, name, "unknown setting" + suggest(name, choices))
    return layer


def _env_layer(
    environ: Mapping[str, str], problems: list[str], warnings: list[str]
) -> dict[str, tuple[object, str]]:
    by_env: dict[str, Key] = {k.env: k for k in KEYS.values()}
    out: dict[str, tuple[object, str]] = {}
    for var in sorted(environ):
        if not var.startswith(ENV_PREFIX) or var == CONFIG_ENV or not environ[var].strip():
            continue  # an empty variable counts as unset, as in most shells' idioms
        key = by_env.get(var)
        if key is None:
            near = closest(var.removeprefix(ENV_PREFIX), list(KEYS))
            hint = f" (did you mean {KEYS[near].env}?)" if near else ""
            warnings.append(f"environment variable {var} is not a claimcheck setting{hint}")
            continue
        try:
            out[key.name] = (parse_value(key, environ[var], from_text=True), var)
        except ValueError as exc:
            problems.append(f"environment: {var}: {exc}")
    return out


def load_config(
    cli: Mapping[str, object] | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Config:
    """The effective configuration: defaults < file < environment < ``cli``.

    ``cli`` maps setting names to the values given on the command line (only those
    given); ``config_path`` (or ``CLAIMCHECK_CONFIG``) names the file instead of the
    search from ``cwd`` (``none`` for no file). Raises :class:`ConfigError` with every
    problem located (``file:line: key: message``, ``environment: VAR: message``,
    ``--option: message``).
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []
    config = Config()
    chosen = config_path
    if chosen is None and env.get(CONFIG_ENV, "").strip():
        chosen = Path(env[CONFIG_ENV].strip())
    if chosen is not None and str(chosen).lower() == "none":
        path: Path | None = None
    elif chosen is not None:
        path = chosen
        if not path.is_file():
            raise ConfigError([f"{_shown(path)}: no such configuration file"])
    else:
        path, config.warnings = find_config(cwd or Path.cwd())
    layer = _file_layer(path, problems) if path is not None else _FileLayer()
    config.file, config.table = path, layer.table
    env_values = _env_layer(env, problems, config.warnings)
    cli_values: dict[str, tuple[object, str]] = {}
    for name, raw in (cli or {}).items():
        flag = "--" + name
        try:
            cli_values[name] = (parse_value(KEYS[name], raw), flag)
        except ValueError as exc:
            problems.append(f"{flag}: {exc}")
    if problems:
        raise ConfigError(problems)
    for name in KEYS:
        for source, values in (
            ("command line", cli_values),
            ("environment", env_values),
            ("file", layer.values),
        ):
            if name in values:
                value, where = values[name]
                config.settings[name] = Setting(name, value, source, where)
                break
        else:
            config.settings[name] = Setting(name, KEYS[name].default, "default")
    config.hosts = tuple(layer.hosts)
    config.rewrites = tuple(layer.rewrites)
    return config
