"""What the dossier tests share: the bundled dossier's report, made once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck import api

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="session")
def bundled_html() -> str:
    """The HTML report of data/dossier.json (charts take seconds: made once)."""
    return api.report(DATA / "dossier.json").html
