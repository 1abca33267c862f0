"""Generate a large, valid ledger (and its document) for benchmarks.

    python bench/generate_ledger.py 100000 /tmp/big/claims.json

Places form a tree (world → continents → countries → cities), measures are related
(cities ≤ stations …), claims carry values, bounds, dates, scopes and quotes taken from
a generated document, so every stage of claimcheck has real work to do.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MEASURES = ["stations", "cities", "countries", "offices", "cases", "returns", "arrests", "visits"]


def generate(n_claims: int, seed: int = 0) -> tuple[dict[str, Any], str]:
    """A ledger dict with ``n_claims`` claims and the document text its quotes come from."""
    rng = random.Random(seed)
    places: list[dict[str, Any]] = [{"id": "world", "name": "World", "kind": "world"}]
    leaves: list[str] = []
    for c in range(6):
        cont = f"continent-{c}"
        places.append(
            {"id": cont, "name": f"Continent {c}", "kind": "continent", "within": "world"}
        )
        for k in range(10):
            country = f"country-{c}-{k}"
            places.append(
                {"id": country, "name": f"Country {c}.{k}", "kind": "country", "within": cont}
            )
            for t in range(10):
                city = f"city-{c}-{k}-{t}"
                places.append(
                    {"id": city, "name": f"City {c}.{k}.{t}", "kind": "city", "within": country}
                )
                leaves.append(city)
    all_places = [p["id"] for p in places]
    measures: list[dict[str, Any]] = [
        {"id": m, "name": m.title(), "cumulative": m in {"stations", "returns"}} for m in MEASURES
    ]
    measures[1]["at_most"] = ["stations"]
    measures[2]["at_most"] = ["cities"]
    n_sources = max(1, n_claims // 50)
    sources = [
        {
            "id": f"source-{i}",
            "title": f"Report number {i}",
            "publisher": f"Publisher {i % 40}",
            "kind": "report",
            "published": f"{2023 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            **({"url": f"https://example.org/reports/{i}"} if i % 3 else {}),
        }
        for i in range(n_sources)
    ]
    # A document of distinct sentences; claims quote them, several claims per sentence.
    n_sentences = max(1, min(5000, n_claims // 20))
    sentences = []
    facts = []
    for s in range(n_sentences):
        measure = rng.choice(MEASURES)
        place = rng.choice(all_places)
        value = rng.randint(1, 500)
        year, month = rng.choice([2021, 2022]), rng.randint(1, 12)
        day = rng.randint(1, 28)
        text = (
            f"On {day} {MONTHS[month - 1]} {year}, observers in {place} counted {value:,} "
            f"{measure} (sentence {s})."
        )
        sentences.append(text)
        facts.append((measure, place, value, f"{year}-{month:02d}-{day:02d}", text))
    claims: list[dict[str, Any]] = []
    for i in range(n_claims):
        measure, place, value, day, text = facts[i % n_sentences]
        claim: dict[str, Any] = {
            "id": f"claim-{i}",
            "kind": "count",
            "text": f"{value} {measure} in {place}.",
            "quote": text,
            "sources": [f"source-{rng.randrange(n_sources)}"],
            "measure": measure,
            "value": value,
            "place": place,
            "as_of": day,
            "scope": [f"scope-{i % 3}"],
        }
        if i % 7 == 0:
            claim["bound"] = "at_least"
        claims.append(claim)
    checks = [
        {"kind": "before", "id": f"order-{j}", "first": f"claim-{j}", "then": f"claim-{j + 1}"}
        for j in range(0, min(n_claims - 1, 2000), 2)
    ]
    ledger = {
        "version": 1,
        "document": {"title": "Generated document", "text": "document.txt"},
        "sources": sources,
        "places": places,
        "measures": measures,
        "claims": claims,
        "checks": checks,
    }
    return ledger, "\n\n".join(sentences) + "\n"


def write(n_claims: int, path: Path, seed: int = 0) -> Path:
    """Write the generated ledger to ``path`` and its document beside it."""
    ledger, document = generate(n_claims, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ledger, indent=2), encoding="utf-8")
    (path.parent / "document.txt").write_text(document, encoding="utf-8")
    return path


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("bench/out/claims.json")
    print(write(n, out))
