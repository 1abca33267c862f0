"""Nearest passages pinned to the exact text shown and its similarity.

Two steps decide what the user sees: alignments are voted for by the quote's
4-character pieces (the rarer ones only), and the best-supported few are compared with
difflib. A misquote of a repetitive text (minutes full of near-identical decisions) has
many alignments about as good; which one is shown, and where it starts and ends, is
pinned here exactly. The misquotes are the kind a person makes: words swapped, left
out, retyped from memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.textmatch import nearest_passage, prepare

ARTICLE = prepare(
    (Path(__file__).resolve().parent.parent / "data" / "article.txt").read_text(encoding="utf-8")
)

LONG = (
    "The committee met on a grey Tuesday morning to consider the long list of amendments "
    "that had been tabled by members from every side of the chamber, and after a debate "
    "that lasted well into the evening it voted by a narrow margin to accept most of them, "
    "though not the one on funding."
)

# Minutes of a council: forty decisions, most alike.
MINUTES = [
    "The council approved sixty new houses in June.",
    "The council approved forty new homes in May.",
    "The council approved ninety new houses in March. Nobody came.",
    "The council approved forty new houses in March.",
    "The council approved forty new homes in April.",
    "The council approved ninety new homes in June. It rained for weeks.",
    "The council approved forty new houses in May. Residents objected.",
    "The council approved ninety new flats in April. It rained for weeks.",
    "The council approved sixty new homes in March.",
    "The council approved ninety new houses in June.",
    "The council approved twelve new flats in June.",
    "The council approved twelve new flats in May. It rained for weeks.",
    "The council approved fifty new homes in May.",
    "The council approved sixty new schools in May.",
    "The council approved forty new homes in June. The mayor spoke.",
    "The council approved fifty new schools in June. Residents objected.",
    "The council approved ninety new flats in May.",
    "The council approved ninety new schools in June. Residents objected.",
    "The council approved sixty new schools in March. The mayor spoke.",
    "The council approved ninety new schools in May.",
    "The council approved sixty new homes in June. Residents objected.",
    "The council approved twelve new homes in April.",
    "The council approved fifty new houses in June. Nobody came.",
    "The council approved forty new houses in June. The mayor spoke.",
    "The council approved fifty new schools in May.",
    "The council approved sixty new schools in April. It rained for weeks.",
    "The council approved fifty new houses in April. It rained for weeks.",
    "The council approved sixty new flats in March. The mayor spoke.",
    "The council approved ninety new flats in April.",
    "The council approved ninety new homes in June.",
    "The council approved ninety new schools in June. Residents objected.",
    "The council approved twelve new schools in March. It rained for weeks.",
    "The council approved twelve new houses in March. Residents objected.",
    "The council approved forty new homes in April.",
    "The council approved sixty new homes in March.",
    "The council approved ninety new schools in April.",
    "The council approved sixty new flats in June. Nobody came.",
    "The council approved twelve new schools in June. It rained for weeks.",
    "The council approved forty new flats in May. It rained for weeks.",
    "The council approved ninety new homes in April.",
]


def minutes(decisions: int) -> str:
    """The first ``decisions`` decisions of the minutes, as one text."""
    return " ".join(MINUTES[:decisions])


@pytest.mark.parametrize(
    ("document", "quote", "passage", "similarity"),
    [
        # The quote's first word changed: the passage starts where that word stands.
        (
            "The council approved fifty new homes in April, said the mayor.",
            "Xyzzy council approved fifty new homes in April",
            "The council approved fifty new homes in April,",
            0.8974,
        ),
        # A stray match of the last word further on does not stretch the passage.
        (
            "The council approved fifty new homes in April, said the mayor of qux town.",
            "The council approved fifty new homes qux",
            "The council approved fifty new homes in April,",
            0.8611,
        ),
        # Nor one of the first word further back.
        (
            "A qux said that later on the council approved fifty new homes in April.",
            "qux council approved fifty new homes in April",
            "the council approved fifty new homes in April.",
            0.9211,
        ),
        # A three-character match is part of the passage.
        (
            "The council approved forty new homes in the May session.",
            "The council approved forty new homes in May",
            "The council approved forty new homes in the May",
            0.96,
        ),
        # A long quote with one word changed, or every fifth word left out: no character
        # is so frequent that difflib may skip it.
        (
            "Unrelated opening words here. " + LONG + " Then other things happened later on.",
            LONG.replace("narrow", "wide"),
            LONG,
            0.9825,
        ),
        (
            "Unrelated opening words here. " + LONG + " Then other things happened later on.",
            " ".join(w for i, w in enumerate(LONG.split()) if i % 5),
            LONG[len("The ") :],
            0.9087,
        ),
        (
            "The council approved forty new homes in March. Residents objected to the plan "
            "for weeks and weeks. The council approved fifty new homes in April.",
            "The council approved fifty new homes in March",
            "The council approved forty new homes in March.",
            0.9474,
        ),
        # The parts of an elided quote are compared as one text.
        (
            "The council approved fifty new homes in April.",
            "council approved \u2026 new homes",
            "council approved fifty new homes",
            0.9020,
        ),
        # A short quote whose first piece is nowhere: the next one finds it.
        ("He lives in Paris today.", "Xaris", "Paris", 0.8),
        ("the cat sat on the mat", "mat", "mat", 1.0),
        # Of two passages as close, the first is shown.
        (
            "On Monday the council\u2019s approval came. On Tuesday the council's approval came.",
            "councils approval",
            "council\u2019s approval",
            1.0,
        ),
    ],
)
def test_nearest_passage_exactly(
    document: str, quote: str, passage: str, similarity: float
) -> None:
    found, ratio = nearest_passage(document, quote)
    assert found == passage
    assert ratio == pytest.approx(similarity, abs=1e-4)


@pytest.mark.parametrize(
    ("quote", "passage", "similarity"),
    [
        (
            (
                "an Further Chinese ‘police centres’ surveilling nationals across USA, Europe and "
                "Canada, Post Millennial, 29 September 2022 Featured image: INVOLUNTARY China’s "
                "covert to force"
            ),
            (
                "embassy. Further reading: Chinese ‘police service centres’ surveilling nationals "
                "across USA, Europe and Canada, The Post Millennial, 29 September 2022 Featured "
                "image: INVOLUNTARY RETURNS China’s covert operation"
            ),
            0.8640,
        ),
        (
            "would be traditionally carried out by an overseas embassy and accordance of",
            "would be traditionally carried out by an overseas embassy and some of",
            0.9180,
        ),
        (
            (
                "extraterritoriality over Chinese and foreigners globally certain crimes fraud, "
                "online scams, etc.). 54 “overseas service stations” in countries on open-source "
                "information Safeguard Defenders so far identified physical stations” 30 countries "
                "five are in collaborating with police in carrying on soil (including Spain),” the "
                "report these only represent the stations set up by Fuzhou and Qingtian Counties, "
                "the total number most higher,” Safeguard Defenders wrote."
            ),
            (
                "extraterritoriality over Chinese and foreigners globally for certain crimes "
                "(fraud, telecom fraud, online scams, etc.). 54 “overseas service stations” in 30 "
                "countries Based on open-source information Safeguard Defenders have so far "
                "identified 54 physical “overseas service stations” in 30 countries across five "
                "continents, “some of which are implicated in collaborating with Chinese police in "
                "carrying out policing operations on foreign soil (including in Spain),” the "
                "report states. “As these only represent the stations set up by Fuzhou and "
                "Qingtian Counties, the total number is most likely higher,” Safeguard Defenders "
                "wrote."
            ),
            0.8497,
        ),
        (
            "by the founded County",
            "by the Fuzhou County",
            0.8000,
        ),
        (
            (
                "law and violate may the territorial integrity of third countries involved in "
                "setting up a parallel policing mechanism using illegal"
            ),
            (
                "law and may violate the territorial integrity of third countries involved in "
                "setting up a parallel policing mechanism using illegal"
            ),
            0.9732,
        ),
        (
            "Defenders have so far identified qux",
            "Defenders have so far identified 54 physical",
            0.8116,
        ),
        (
            "said to part network",
            "said to be part of the network",
            0.8293,
        ),
        (
            "latest Defenders’ Safeguard report",
            "latest Safeguard Defenders’ report",
            0.7000,
        ),
    ],
)
def test_misquotes_of_the_article(quote: str, passage: str, similarity: float) -> None:
    found, ratio = nearest_passage(ARTICLE, quote)
    assert found == passage
    assert ratio == pytest.approx(similarity, abs=1e-4)


@pytest.mark.parametrize(
    ("decisions", "quote", "passage", "similarity"),
    [
        (
            6,
            "in The council forty",
            "June. The council approved",
            0.6000,
        ),
        (
            6,
            "approved forty new homes approved May.",
            "approved forty new homes in May. The council",
            0.7143,
        ),
        (
            20,
            (
                "approved sixty in The council forty new homes in council ninety new in March. "
                "Nobody came. council approved forty new"
            ),
            "approved sixty new schools in May. The council approved forty new",
            0.6275,
        ),
        (
            20,
            (
                "March. Nobody The council approved forty new houses in March. The council "
                "approved forty homes April. The approved ninety homes in It rained for The "
                "council approved forty houses Residents The approved ninety new in April. It "
                "rained for The council homes March. approved ninety new houses in June. council "
                "approved twelve new June. The twelve new flats in May. It rained The"
            ),
            (
                "March. Nobody came. The council approved forty new houses in March. The council "
                "approved forty new homes in April. The council approved ninety new homes in June. "
                "It rained for weeks. The council approved forty new houses in May. Residents "
                "objected. The council approved ninety new flats in April. It rained for weeks. "
                "The council approved sixty new homes in March. The council approved ninety new "
                "houses in June. The council approved twelve new flats in June. The council "
                "approved twelve new flats in"
            ),
            0.8148,
        ),
        (
            20,
            (
                "houses in June. council approved new homes in May. The council new houses March. "
                "Nobody"
            ),
            (
                "June. The council approved forty new homes in May. The council approved ninety "
                "new houses in March. Nobody"
            ),
            0.8025,
        ),
        (
            20,
            "in March. The March. approved ninety",
            "in March. The council approved ninety",
            0.8254,
        ),
        (
            20,
            "sixty homes new in",
            "sixty new houses",
            0.5517,
        ),
        (
            10,
            "council forty approved new houses in",
            "council approved forty new houses in",
            0.8387,
        ),
        (
            10,
            "forty homes April. The ninety homes in",
            "forty new homes in April. The council approved ninety new homes in",
            0.7356,
        ),
        (
            40,
            "in April. The council ninety approved new homes",
            "in April. The council approved ninety new homes",
            0.8500,
        ),
        (
            40,
            (
                "twelve new in The council twelve new flats in It rained for weeks. new homes May. "
                "The council approved sixty new"
            ),
            (
                "Residents objected. The council approved ninety new flats in April. It rained for "
                "weeks. The council approved sixty new"
            ),
            0.7150,
        ),
        (
            40,
            "rained for weeks. The council fifty homes in May.",
            "rained for weeks. The council approved sixty new",
            0.7073,
        ),
    ],
)
def test_misquotes_of_minutes_full_of_alike_sentences(
    decisions: int, quote: str, passage: str, similarity: float
) -> None:
    found, ratio = nearest_passage(minutes(decisions), quote)
    assert found == passage
    assert ratio == pytest.approx(similarity, abs=1e-4)


def test_a_piece_found_more_than_64_times_says_nothing() -> None:
    # Boilerplate repeated on every page: a quote made only of it has no nearest passage.
    assert nearest_passage("abcd " * 64 + "xyz", "abcd") == ("abcd", 1.0)
    assert nearest_passage("abcd " * 65 + "xyz", "abcd") == ("", 0.0)
