"""The escaping module: what it shows escaped, and that each format's quoting is exact."""

from __future__ import annotations

import json
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.reporters.escape import (
    UNSAFE,
    gh_data,
    gh_property,
    json_text,
    md_code,
    md_text,
    visible,
)

KEPT = {"\u200c", "\u200d"}  # ZWNJ and ZWJ: scripts and emoji need them


def test_every_control_format_separator_surrogate_and_noncharacter_is_unsafe() -> None:
    missed = []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        must = cat in ("Cc", "Cf", "Cs", "Zl", "Zp") or (cp & 0xFFFE) == 0xFFFE
        must = must or 0xFDD0 <= cp <= 0xFDEF
        if must and ch not in KEPT and not UNSAFE.fullmatch(ch):
            missed.append(hex(cp))
    assert not missed


def test_visible_spells_each_character_like_python() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\t\n\r") == "\\t\\n\\r"
    assert visible("\x9b\u202e\ufffe\U000e0041") == "\\x9b\\u202e\\ufffe\\U000e0041"
    assert visible("\ud800") == "\\ud800"
    text = "plain, naïve, 北京, emoji 👩\u200d💻, [red]markup[/red]"
    assert visible(text) is text  # nothing unsafe: the same object, no copy


@given(st.text())
def test_visible_leaves_nothing_unsafe_and_is_idempotent(text: str) -> None:
    shown = visible(text)
    assert UNSAFE.search(shown) is None
    assert visible(shown) == shown


@given(st.text())
def test_json_text_is_valid_exact_and_raw_free(text: str) -> None:
    out = json_text({"v": text, "k": [text]})
    assert json.loads(out) == {"v": text, "k": [text]}
    assert [c for c in UNSAFE.findall(out) if c != "\n"] == []
    out.encode("utf-8")  # a lone surrogate would fail here


@given(st.text())
def test_workflow_command_escapes_leave_one_line_and_no_separator(text: str) -> None:
    data, prop = gh_data(text), gh_property(text)
    assert "\n" not in data and "\r" not in data
    assert ":" not in prop and "," not in prop
    # GitHub decodes %25, %0D, %0A (and %3A, %2C in properties): the shown text is back.
    decoded = data.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert decoded == visible(text)


def test_markdown_text_neutralises_markup_mentions_and_links() -> None:
    out = md_text("**b** <i>x</i> [l](u) @octocat #12 www.evil.example https://e.x/a|b")
    assert "\\*\\*b\\*\\*" in out and "\\<i\\>" in out and "\\[l\\]" in out
    assert "`@`octocat" in out and "`#`12" in out
    assert "`www.evil.example`" in out and "`https://e.x/a%7Cb`" in out


def test_markdown_code_span_fence_outgrows_backticks() -> None:
    assert md_code("a``b") == "```a``b```"
    assert md_code("`x`") == "`` `x` ``"
    assert md_code("a|b", in_table=True) == "`a\\|b`"
    assert md_code("a|b") == "`a|b`"
