"""Schema errors told in the ledger's terms: what was given, what is expected, how to write it.

pydantic reports *what* failed in its own words ("Input should be a valid integer");
a person writing a ledger needs to know what they wrote and how to write it instead.
:func:`explain` turns one pydantic error into one sentence; nothing here names pydantic.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from claimcheck.models import MAX_VALUE

_HOW = {
    "bound": '"more than 54" is "value": 54, "bound": "more_than"',
    "share": '"most of the stations" is "share": "most" with "share_of" the whole place',
}
_NUMBERISH = re.compile(r"^\s*[+-]?[\d][\d,.\s\u00a0\u202f]*%?\s*$")


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _choices(expected: str) -> list[str]:
    """``'a', 'b' or 'c'`` (the validator's list) as ``['a', 'b', 'c']``; also ``1``."""
    quoted = re.findall(r"'([^']*)'", expected)
    return quoted or [c for c in re.split(r",\s*|\s+or\s+", expected.strip()) if c]


def _nearest(given: object, choices: list[str]) -> str:
    if not isinstance(given, str):
        return ""
    close = difflib.get_close_matches(given.replace(" ", "_").lower(), choices, n=2, cutoff=0.5)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _as_number(text: str) -> str | None:
    """``"230,000"`` → ``230000``: what the string would be as a JSON number, if clear."""
    if not _NUMBERISH.match(text):
        return None
    digits = re.sub(r"[,%\s\u00a0\u202f]", "", text)
    try:
        number = float(digits)
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() else digits


# A claim is a dataclass (:mod:`claimcheck.models`): its errors say the same as a model's.
_DATACLASS_KINDS = {
    "unexpected_keyword_argument": "extra_forbidden",
    "dataclass_type": "model_type",
}

_SINGULAR = {"sources": "source", "claims": "claim", "places": "place", "parties": "party"}


def explain(err: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    """One sentence for one pydantic error at JSON path ``loc``."""
    field = next((p for p in reversed(loc) if isinstance(p, str)), None)
    section = _SINGULAR.get(str(loc[0])) if loc else None
    kind = str(err.get("type", ""))
    kind = _DATACLASS_KINDS.get(kind, kind)
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check its spelling against the schema)"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^[a-z0-9]"):
            return "must be a lowercase slug such as 'stations-total'"
        if "https?" in pattern:
            return "must be an absolute http(s) URL"
        if pattern.startswith("^[0-9]{4}"):
            return "must be a date like 2022, 2022-09, 2022-09-12 or 2016-09/2016-12"
        if pattern.startswith("^[a-z]{2,3}"):
            return "must be a language tag such as 'en', 'de' or 'pt-BR'"
        return f"{_json(given)} is not written as this field expects"
    if kind in ("literal_error", "enum"):
        choices = _choices(str(ctx.get("expected", "")))
        what = {
            "bound": "a bound",
            "kind": f"a kind of {section}" if section else "a kind",
            "share": "a share",
        }.get(field or "", "")
        head = f"{_json(given)} is not {what or 'allowed here'}"
        how = f" ({_HOW[field]})" if field in _HOW else ""
        return f"{head}; write one of {', '.join(choices)}{how}{_nearest(given, choices)}"
    if kind == "union_tag_invalid":
        choices = _choices(str(ctx.get("expected_tags", "")))
        return (
            f"{_json(ctx.get('tag'))} is not a kind of check; write one of "
            f"{', '.join(choices)}{_nearest(ctx.get('tag'), choices)}"
        )
    if kind == "union_tag_not_found":
        key = str(ctx.get("discriminator", "kind")).strip("'")
        return f"needs a '{key}' saying which kind it is"
    if kind in ("int_type", "float_type", "int_parsing", "float_parsing", "finite_number"):
        return _number_message(given, kind)
    if kind in ("greater_than_equal", "greater_than"):
        if field == "value":
            return f"{_json(given)} is negative; a figure is a number from 0 to {MAX_VALUE:,}"
        return f"{_json(given)} is too small: it must be {ctx.get('ge', ctx.get('gt'))} or more"
    if kind in ("less_than_equal", "less_than"):
        if field == "percent":
            return f"{_json(given)} is not a percentage: write a number from 0 to 100"
        if field == "value":
            return f"{_json(given)} is too large: a figure is at most {MAX_VALUE:,}"
        return f"{_json(given)} is too large: it must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "bool_type":
        if isinstance(given, str):
            return f"a string was given ({_json(given)}); write true or false, without quotes"
        return "must be true or false"
    if kind == "list_type":
        if isinstance(given, str):
            return f"a string was given; write a list, even of one: [{_json(given)}]"
        return 'must be a list, such as ["sd-110-overseas"]'
    if kind == "string_type":
        return f"must be text in double quotes, not {_json(given)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be an object in braces, { … }"
    if kind == "too_short":
        least = int(ctx.get("min_length", 1))
        has = int(ctx.get("actual_length", 0))
        items = "item" if least == 1 else "items"
        return f"must list at least {least} {items}; it lists {has}"
    if kind == "too_long":
        return f"lists too many items (at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "value_error":
        return str(err.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{_json(given)} is not valid here (see the schema: claimcheck schema)"


def _number_message(given: object, kind: str) -> str:
    if isinstance(given, str):
        number = _as_number(given)
        how = (
            f"write the number without quotes or separators: {number}"
            if number is not None
            else "write a number without quotes, such as 230000"
        )
        return f"a string was given ({_json(given)}) where a number belongs; {how}"
    if isinstance(given, bool):
        return f"{_json(given)} is not a number; write a number such as 54"
    if kind == "finite_number" or isinstance(given, float):
        return f"must be a finite number from 0 to {MAX_VALUE:,}"
    return f"{_json(given)} is not a number; write a number such as 54"
