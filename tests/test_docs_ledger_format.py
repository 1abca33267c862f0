"""Keep docs/ledger-format.md honest: every field is documented, every example loads."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic.dataclasses import is_pydantic_dataclass
from pydantic.fields import FieldInfo

from claimcheck import models
from claimcheck.loader import parse_ledger
from claimcheck.textmatch import date_in_text, find_quote, prepare, value_in_text

PAGE = Path(__file__).resolve().parent.parent / "docs" / "ledger-format.md"
FENCE = re.compile(r"^```json[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _models() -> list[type]:
    """Every pydantic model and dataclass defined in claimcheck.models (not the private
    base)."""
    return [
        obj
        for name, obj in inspect.getmembers(models, inspect.isclass)
        if (issubclass(obj, BaseModel) or is_pydantic_dataclass(obj))
        and obj.__module__ == models.__name__
        and not name.startswith("_")
    ]


def _fields(model: type) -> dict[str, FieldInfo]:
    if issubclass(model, BaseModel):
        return model.model_fields
    return model.__pydantic_fields__  # type: ignore[attr-defined, no-any-return]


def _field_names() -> list[tuple[str, str]]:
    """(model, name as written in a ledger) for every field of every model."""
    out = []
    for model in _models():
        for name, info in _fields(model).items():
            out.append((model.__name__, info.alias or name))
    return out


def _json_blocks() -> list[str]:
    return FENCE.findall(_page())


def _complete_ledgers() -> list[str]:
    out = []
    for block in _json_blocks():
        try:
            data = json.loads(block)
        except json.JSONDecodeError:
            continue  # a fragment written for reading, not loading
        if isinstance(data, dict) and "sources" in data and "claims" in data:
            out.append(block)
    return out


def test_models_found() -> None:
    names = {m.__name__ for m in _models()}
    assert {"Ledger", "Document", "Source", "Party", "Place", "Measure", "Claim"} <= names
    assert {"Period", "SumCheck", "BeforeCheck", "CountOfCheck", "CompareCheck"} <= names
    assert ("Ledger", "$schema") in _field_names()


@pytest.mark.parametrize(("model", "field"), _field_names())
def test_every_field_is_documented(model: str, field: str) -> None:
    assert f"`{field}`" in _page(), f"{model}.{field} is not mentioned as `{field}`"


def test_json_blocks_are_json() -> None:
    blocks = _json_blocks()
    assert blocks
    for block in blocks:
        json.loads(block)


def test_page_has_a_complete_ledger() -> None:
    assert _complete_ledgers(), "the page needs at least one complete ledger example"


def _line_of(block: str) -> str:
    page = _page()
    return f"line-{page[: page.find(block)].count(chr(10)) + 1}"


@pytest.mark.parametrize("block", _complete_ledgers(), ids=_line_of)
def test_complete_ledgers_load(block: str) -> None:
    parse_ledger(block, "doc")


@pytest.mark.parametrize("block", _complete_ledgers(), ids=_line_of)
def test_complete_ledgers_anchor_in_the_bundled_article(block: str) -> None:
    """Examples written for data/article.txt quote it verbatim and state their figures."""
    ledger = parse_ledger(block, "doc")
    if ledger.document is None or ledger.document.text != "article.txt":
        pytest.skip("not a ledger of the bundled article")
    article = prepare((PAGE.parent.parent / "data" / "article.txt").read_text(encoding="utf-8"))
    for claim in ledger.claims:
        assert find_quote(article, claim.quote), f"{claim.id}: quote not in data/article.txt"
        if claim.value is not None:
            assert value_in_text(claim.value, claim.quote), f"{claim.id}: value not in quote"
        if claim.kind == "date" and claim.date is not None:
            assert date_in_text(claim.date, claim.quote), f"{claim.id}: date not in quote"
