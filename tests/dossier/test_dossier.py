"""Dossiers: several ledgers checked as one story, findings naming each ledger's lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from claimcheck import api
from claimcheck.dossier import load_dossier, load_dossier_file
from claimcheck.listing import ClaimFilter
from claimcheck.loader import LedgerError
from claimcheck.results import Finding, Status

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = ("claims.json", "article.txt", "patrolling.json", "patrolling.txt", "gazetteer.json")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """The bundled dossier (both ledgers, their articles, the gazetteer) in a temporary folder."""
    for name in (*FILES, "dossier.json"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _claim(data: dict[str, Any], ident: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in data["claims"] if c["id"] == ident)
    return found


def _line_of(path: Path, claim_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, 1) if f'"id": "{claim_id}"' in ln) - 1


def test_the_bundled_dossier_is_consistent_across_articles() -> None:
    report = api.check(DATA / "dossier.json")
    assert report.exit_code == 0
    agree = [f for f in report.findings if f.check == "consistency.agreement"]
    both = next(f for f in agree if "patrolling:september-stations" in f.claims)
    assert "claims:stations-total" in both.claims
    assert "agree on 54" in both.message
    # Growth from 54 (September) to 102 (December) across the story is growth, not a clash.
    growth = [f for f in report.findings if f.check == "consistency.evolution"]
    assert any("54 + a further 48 = 102" in f.message for f in growth)


def test_a_contradiction_between_two_articles_is_found(story: Path) -> None:
    _edit(story / "patrolling.json", lambda d: _claim(d, "september-stations").update(value=53))
    report = api.check(story / "dossier.json")
    assert report.exit_code == 1
    fails = [f for f in report.findings if f.status is Status.FAIL]
    clash = next(f for f in fails if f.check == "consistency.agreement")
    assert set(clash.claims) >= {"claims:stations-total", "patrolling:september-stations"}
    assert "53" in clash.message and "54" in clash.message
    # Every claim is named with its own ledger's file and line.
    assert clash.detail is not None
    ours = _line_of(story / "patrolling.json", "september-stations")
    theirs = _line_of(story / "claims.json", "stations-total")
    assert f"patrolling:september-stations at {story / 'patrolling.json'}:{ours}" in (clash.detail)
    assert f"claims:stations-total at {story / 'claims.json'}:{theirs}" in clash.detail


def test_the_failure_points_at_the_ledger_that_holds_the_claim(story: Path) -> None:
    _edit(story / "patrolling.json", lambda d: _claim(d, "december-further").update(value=40))
    report = api.check(story / "dossier.json")
    sums = [f for f in report.findings if f.check == "check.sum" and f.status is Status.FAIL]
    assert len(sums) == 1
    assert sums[0].location is not None
    assert sums[0].location.startswith(f"{story / 'patrolling.json'}:")


def test_ledgers_may_reuse_claim_ids(story: Path) -> None:
    def rename(d: dict[str, Any]) -> None:
        _claim(d, "september-stations")["id"] = "stations-total"
        d["checks"][0]["parts"][0] = "stations-total"

    _edit(story / "patrolling.json", rename)
    dossier = load_dossier_file(story / "dossier.json")
    ids = [c.id for c in dossier.ledger.claims]
    assert "claims:stations-total" in ids and "patrolling:stations-total" in ids
    assert api.check(dossier).exit_code == 0


def test_shared_ids_must_be_defined_identically(story: Path) -> None:
    def rename_world(d: dict[str, Any]) -> None:
        d["includes"] = []
        d["places"] = [{"id": "world", "name": "Earth", "kind": "world"}]
        d["measures"] = json.loads((DATA / "gazetteer.json").read_text())["measures"]
        d["sources"].append(json.loads((DATA / "gazetteer.json").read_text())["sources"][0])
        d["parties"] += json.loads((DATA / "gazetteer.json").read_text())["parties"]
        for c in d["claims"]:
            c.pop("place", None)
        d["claims"][1]["place"] = "world"

    _edit(story / "patrolling.json", rename_world)
    with pytest.raises(LedgerError) as err:
        load_dossier_file(story / "dossier.json")
    messages = [str(p) for p in err.value.problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{story / 'patrolling.json'}:")
    assert "$.places[0]: place 'world' of ledger 'patrolling' is defined differently" in messages[0]
    # The bundled ledger has it from the gazetteer: the first definition is there.
    assert f"by ledger 'claims' at {story / 'gazetteer.json'}:" in messages[0]


def test_every_ledgers_problems_are_reported_together(story: Path) -> None:
    _edit(story / "patrolling.json", lambda d: _claim(d, "september-stations").update(value=-1))
    _edit(story / "claims.json", lambda d: d["claims"][0].update(id="Bad"))
    with pytest.raises(LedgerError) as err:
        load_dossier([story / "claims.json", story / "patrolling.json"])
    files = {p.file for p in err.value.problems}
    assert files == {str(story / "claims.json"), str(story / "patrolling.json")}


@pytest.mark.parametrize(
    ("path", "why"),
    [("../claims.json", "climbs out"), ("/etc/passwd", "is absolute")],
)
def test_a_dossier_file_keeps_to_its_folder(story: Path, path: str, why: str) -> None:
    (story / "sub").mkdir()
    (story / "sub" / "dossier.json").write_text(json.dumps({"ledgers": [path]}, indent=2))
    with pytest.raises(LedgerError) as err:
        load_dossier_file(story / "sub" / "dossier.json")
    assert why in str(err.value)
    assert "$.ledgers[0]" in str(err.value)


def test_the_timeline_of_a_measure_spans_the_articles() -> None:
    listing = api.claims(DATA / "dossier.json", ClaimFilter(measure="stations", place="world"))
    assert listing.columns[:2] == ["id", "ledger"]
    ledgers = {row[1] for row in listing.rows}
    assert ledgers == {"data/claims.json", "data/patrolling.json"} or len(ledgers) == 2
    values = [row[listing.columns.index("value")] for row in listing.rows]
    assert "102" in values and "30" in values
    records = listing.records
    assert all(r["ledger"] for r in records)


def test_verify_anchors_each_ledger_in_its_own_article() -> None:
    report = api.verify(DATA / "dossier.json", api.VerifyOptions(offline=True))
    anchors = [f for f in report.findings if f.check.startswith("anchor")]
    assert anchors and all(f.status is Status.PASS for f in anchors)
    assert {f.message.split(":")[0] for f in anchors} == {"claims", "patrolling"}


def test_a_quote_missing_from_its_own_article_is_a_failure(story: Path) -> None:
    # The quote is in the other article: it must not count.
    _edit(
        story / "patrolling.json",
        lambda d: _claim(d, "ireland-closure").update(quote="Europe is home to most"),
    )
    report = api.verify(story / "dossier.json", api.VerifyOptions(offline=True))
    misses: list[Finding] = [
        f for f in report.findings if f.check == "anchor.quote" and f.status is Status.FAIL
    ]
    assert [f.claims for f in misses] == [("patrolling:ireland-closure",)]


def test_separate_ledgers_never_talk_but_say_they_share_a_measure(story: Path, cli: Any) -> None:
    def say_53(d: dict[str, Any]) -> None:
        # Consistent within its own ledger (53 + 49 = 102), not with the other's 54.
        _claim(d, "september-stations").update(value=53)
        _claim(d, "december-further").update(value=49)

    _edit(story / "patrolling.json", say_53)
    apart = cli("check", story / "claims.json", story / "patrolling.json", "--format", "json")
    data = json.loads(apart.stdout)
    assert apart.exit_code == 0  # 53 is never compared with the other ledger's 54
    warns = [f for f in data["findings"] if f["check"] == "dossier.separate"]
    assert len(warns) == 2
    assert "also has figures of countries, stations" in warns[0]["message"]
    args = ("check", "--dossier", story / "claims.json", story / "patrolling.json")
    together = cli(*args, "--format", "json")
    assert together.exit_code == 1
    fails = [f for f in json.loads(together.stdout)["findings"] if f["status"] == "fail"]
    assert [f["check"] for f in fails] == ["consistency.agreement"]
    assert "53 (patrolling:september-stations, 2022-09-12)" in fails[0]["message"]
    assert "dossier.separate" not in together.stdout


def test_ledgers_with_no_measure_in_common_get_no_warning(story: Path, write_ledger: Any) -> None:
    other = write_ledger(
        {
            "sources": [{"id": "s", "title": "S"}],
            "measures": [{"id": "weather-stations", "name": "weather stations"}],
            "claims": [
                {
                    "id": "c",
                    "kind": "count",
                    "text": "t",
                    "quote": "q",
                    "sources": ["s"],
                    "measure": "weather-stations",
                    "value": 54,
                }
            ],
        },
        name="weather.json",
    )
    report = api.check([story / "claims.json", other])
    assert not [f for f in report.findings if f.check == "dossier.separate"]


def test_verify_dossier_flag_merges_ad_hoc_ledgers(story: Path) -> None:
    options = api.VerifyOptions(offline=True, dossier=True)
    report = api.verify([story / "claims.json", story / "patrolling.json"], options)
    assert not report.parts  # one dossier, one report
    ids = {c for f in report.findings for c in f.claims}
    assert "patrolling:september-stations" in ids and "claims:stations-total" in ids


def test_a_folder_as_one_dossier_takes_each_ledger_once(story: Path) -> None:
    # The folder holds both ledgers and the dossier file that lists them.
    report = api.check([story], dossier=True)
    assert not report.parts
    ids = [c for f in report.findings for c in f.claims]
    assert "patrolling:september-stations" in ids
    assert not any(i.startswith(("claims-2:", "patrolling-2:")) for i in ids)
