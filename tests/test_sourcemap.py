"""JSON paths map to the line and column where their values start."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.sourcemap import SourceMap, format_path, prefixes

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


def _paths(value: object, path: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


@given(json_values, st.sampled_from([None, 2]), st.data())
def test_wanted_paths_locate_as_a_full_scan_does(value, indent, data) -> None:
    text = json.dumps(value, indent=indent)
    full = SourceMap(text)
    paths = _paths(value)
    wanted = data.draw(st.lists(st.sampled_from(paths), max_size=3))
    partial = SourceMap(text, prefixes(wanted))
    for p in wanted:
        assert partial.locate(p) == full.locate(p)
        line, col = full.locate(p)  # type: ignore[misc]
        offset = sum(len(ln) + 1 for ln in text.split("\n")[: line - 1]) + col - 1
        # The value found there parses to the value at the path.
        expected = value
        for part in p:
            expected = expected[part]  # type: ignore[index]
        assert json.JSONDecoder().raw_decode(text, offset)[0] == expected


def test_format_path() -> None:
    assert format_path(("claims", 3, "value")) == "$.claims[3].value"
    assert format_path(("a b", 0)) == "$['a b'][0]"
