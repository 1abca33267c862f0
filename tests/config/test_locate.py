"""Lines of TOML keys, found robustly: strings that look like keys or tables are skipped."""

from __future__ import annotations

import tomllib

from claimcheck.config.locate import KeyPath, key_lines, line_of

DOC = '''\
# [tool.fake] in a comment
title = """
[tool.claimcheck]
timeout = 1
"""
literal = \'\'\'a = 'b' \'\'\'\'
"quoted.key" = 1
dotted . inner = { a = 1, "b.c" = [1, 2] }
arr = [
  "x # not a comment",
  { k = "]" },
]

[tool.claimcheck]
timeout = 5  # seconds

[tool.claimcheck.hosts."example.com"]
headers.X-One = "1"

[[tool.claimcheck.rewrite]]
from = "http://a/"

[[tool.claimcheck.rewrite]]
from = "http://b/"
to = 'https://c/'
'''


def _paths(value: object, base: KeyPath = ()) -> list[KeyPath]:
    out: list[KeyPath] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*base, k))
            out += _paths(v, (*base, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append((*base, i))
            out += _paths(v, (*base, i))
    return out


def test_every_key_has_its_line() -> None:
    lines = key_lines(DOC)
    assert lines[("title",)] == 2
    assert lines[("literal",)] == 6
    assert lines[("quoted.key",)] == 7
    assert lines[("dotted", "inner", "b.c", 1)] == 8
    assert lines[("arr", 1, "k")] == 11
    assert lines[("tool", "claimcheck", "timeout")] == 15
    assert lines[("tool", "claimcheck", "hosts", "example.com", "headers", "X-One")] == 18
    assert lines[("tool", "claimcheck", "rewrite", 0, "from")] == 21
    assert lines[("tool", "claimcheck", "rewrite", 1, "to")] == 25
    # Nothing from inside the strings was taken for a key.
    assert ("timeout",) not in lines
    assert ("tool", "fake") not in lines
    # Every path tomllib sees has a line.
    for path in _paths(tomllib.loads(DOC)):
        assert path in lines, path


def test_line_of_falls_back_to_the_nearest_ancestor() -> None:
    lines = key_lines(DOC)
    assert line_of(lines, ("tool", "claimcheck", "timeout", "nothing")) == 15
    assert line_of(lines, ("absent",)) == 1
