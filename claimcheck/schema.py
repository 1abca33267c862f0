"""The ledger's JSON Schema, exported from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from claimcheck.models import Ledger

SCHEMA_ID = "https://claimcheck.invalid/claims.schema.json"
SCHEMA_FILE = "claims.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ledger, as the models define it."""
    schema = Ledger.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "claimcheck ledger",
        "description": (
            "A ledger of an article's factual claims and the sources that support them. "
            "Exported by `claimcheck schema`; see docs/ledger-format.md."
        ),
    } | {k: v for k, v in schema.items() if k not in {"title", "description"}}


def schema_text() -> str:
    """The schema as the committed ``claims.schema.json`` holds it (stable, newline-ended)."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
