"""The ledger's schema as pydantic models.

The JSON Schema that editors and ``claimcheck schema`` use is exported from these
models, so this module is the authoritative definition of the format. Unknown fields
are rejected so that a typo is an error, not a silently ignored key. Checks that span
several objects (dangling or duplicate ids, containment cycles, safe paths) live in
:mod:`claimcheck.integrity`, which reports them with JSON paths.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from claimcheck.dates import DATE_PATTERN, Span, hull, parse_span, validate_date

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_VALUE = 10**15
"""Figures above this are typos, and floats lose whole units past it."""

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=200),
    Field(description="A lowercase slug such as `stations-total`."),
]
DateStr = Annotated[
    str,
    StringConstraints(pattern=DATE_PATTERN),
    AfterValidator(validate_date),
    Field(
        description=(
            "ISO 8601 with the precision the source gives (`2016`, `2022-09`, `2022-09-12`) "
            "or an interval of two such dates (`2016-09/2016-12`)."
        ),
        examples=["2022-09-12", "2022-09", "2016-09/2016-12"],
    ),
]
Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://\S+$", max_length=4000),
    Field(description="An absolute http(s) URL."),
]
Text = Annotated[str, StringConstraints(min_length=1)]

Bound = Literal["exact", "at_least", "at_most", "approx", "more_than", "fewer_than", "nearly"]
Language = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$", max_length=35),
    Field(
        description=(
            "The language the text is written in, as a BCP 47 tag (`en`, `de`, `pt-BR`). "
            "Numbers written in words are found in en, fr, es, de, it, pt and nl."
        ),
        examples=["en", "de", "fr"],
    ),
]
ClaimKind = Literal["count", "date", "period", "fact", "quote"]


_STRICT = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class _Strict(BaseModel):
    # strict: "54" is not a number and "yes" is not a boolean, as the JSON Schema says.
    model_config = _STRICT


class Document(_Strict):
    """The article the claims come from."""

    title: Text
    text: str = Field(
        description=(
            "Path of the article's plain text, relative to the ledger's folder; it must stay "
            "inside that folder."
        )
    )
    author: str | None = None
    publisher: str | None = None
    published: DateStr | None = None
    url: Url | None = None
    language: Language = "en"
    provenance: str | None = Field(
        default=None, description="Where the text comes from and how it was obtained."
    )
    notes: str | None = None


class Source(_Strict):
    """A work the article cites or draws on: where a claim was read."""

    id: Slug
    title: Text
    publisher: str | None = None
    author: str | None = None
    kind: Literal["report", "article", "announcement", "statement", "website", "other"] = "other"
    published: DateStr | None = None
    accessed: DateStr | None = Field(
        default=None, description="When the citation was last read at its URL."
    )
    url: Url | None = Field(
        default=None, description="The checked address; leave it out when none is established."
    )
    archive_url: Url | None = None
    via: Slug | None = Field(
        default=None, description="Id of the source through which this one is known."
    )
    language: Language | None = None
    notes: str | None = None


class Party(_Strict):
    """Someone who says, counts or announces something: attribution, not location."""

    id: Slug
    name: Text
    kind: Literal["person", "organisation", "government", "outlet"] = "organisation"
    affiliation: Slug | None = Field(
        default=None, description="Id of the party this one is part of."
    )
    notes: str | None = None


class Place(_Strict):
    """A place, inside at most one other place."""

    id: Slug
    name: Text
    kind: Literal[
        "world", "continent", "country", "region", "province", "county", "city", "district", "site"
    ] = "region"
    within: Slug | None = Field(default=None, description="Id of the place that contains this one.")
    notes: str | None = None


class Measure(_Strict):
    """What a count counts: stations, cities, countries, returns …"""

    id: Slug
    name: Text
    unit: str | None = None
    cumulative: bool = Field(
        default=False,
        description="A running total: a later figure for the same place cannot be smaller.",
    )
    tolerance: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Relative tolerance for `approx` values (0.1 = within 10%).",
    )
    at_most: list[Slug] = Field(
        default_factory=list,
        description=(
            "Measures this one never exceeds for the same place, time and scope "
            "(cities `at_most` stations)."
        ),
    )
    notes: str | None = None


class ScopeDef(_Strict):
    """A scope qualifier, declared so that it can sit inside a wider one."""

    id: Slug
    name: str | None = None
    within: Slug | None = Field(
        default=None,
        description=(
            "Id of the wider scope this one narrows (`fuzhou-only` within "
            "`fuzhou-and-qingtian`): a count in this scope never exceeds the wider one's."
        ),
    )
    notes: str | None = None


class Attribute(_Strict):
    """A categorical fact: the value of one property of one subject."""

    subject: Slug = Field(description="Who or what the fact is about (`wang-x`, `report`).")
    property: Slug = Field(description="Which property (`nationality`, `first-city`).")
    value: Text = Field(
        description="Its value in words; claims giving one subject's property different "
        "values at overlapping times contradict each other (compared without case)."
    )


class Period(_Strict):
    """A span of time with a start and an end."""

    start: DateStr
    end: DateStr


class Passage(_Strict):
    """The words of one source that a claim rests on, as the source writes them."""

    source: Slug = Field(description="Id of the source, one of the claim's `sources`.")
    text: Text = Field(
        description=(
            "The passage verbatim, as it appears in the source (typography and line breaks "
            "need not match); it should hold the claim's figure or date."
        )
    )
    page: Annotated[int, Field(ge=1)] | Annotated[str, StringConstraints(min_length=1)] | None = (
        Field(
            default=None,
            description="Where in the source: the page of a PDF (`12`, or a printed label `iv`).",
        )
    )
    section: str | None = Field(
        default=None, description="Where in the source: the heading of the section."
    )
    accessed: DateStr | None = Field(
        default=None,
        description="When the passage was read at the source (else the source's `accessed`).",
    )


# A ledger may hold a million claims: a slotted dataclass takes half the memory of a
# model (no per-claim ``__dict__`` nor set of the fields given), validated the same way.
# Every field is a ``Field(...)``, so the JSON Schema lists them in this order.
@pydantic_dataclass(config=_STRICT, slots=True, kw_only=True)
class Claim:
    """One checkable statement of the article."""

    id: Slug = Field()
    kind: ClaimKind = Field(
        default="fact",
        description=(
            "`count` has a `measure` and a `value`; `date` has a `date`; `period` has a "
            "`period`; `fact` and `quote` state something without a figure."
        ),
    )
    text: Text = Field(description="The claim in plain words.")
    quote: Text = Field(description="The verbatim words of the document that make the claim.")
    sources: list[Slug] = Field(min_length=1, description="Ids of the sources that support it.")
    passages: list[Passage] = Field(
        default_factory=list,
        description=(
            "For each source whose words are known, the passage that supports the claim; "
            "`claimcheck evidence` checks that the source still says it."
        ),
    )
    said_by: list[Slug] = Field(
        default_factory=list, description="Ids of the parties the claim is attributed to."
    )
    measure: Slug | None = Field(default=None)
    value: (
        Annotated[int, Field(ge=0, le=MAX_VALUE)]
        | Annotated[float, Field(ge=0, le=MAX_VALUE, allow_inf_nan=False)]
        | None
    ) = Field(
        default=None,
        description="The figure: a non-negative number (a count, a sum, an amount).",
    )
    bound: Bound = Field(default="exact")
    place: Slug | None = Field(default=None)
    as_of: DateStr | None = Field(default=None, description="The moment at which a quantity holds.")
    date: DateStr | None = Field(default=None, description="When the event happened.")
    period: Period | None = Field(default=None)
    scope: list[Slug] = Field(
        default_factory=list,
        description=(
            "Qualifiers that narrow what is counted (`first-batch`, `fuzhou-and-qingtian`); "
            "claims with different scopes are not compared for agreement."
        ),
    )
    share: Literal["most", "half", "all", "plurality"] | None = Field(
        default=None,
        description=(
            "The claim's place holds this share of the measure counted at `share_of` "
            '("Europe is home to most of the stations": `most` of `world`). '
            "`most` is more than half; `plurality` is more than any sibling place "
            "(same `within`) with a figure, and needs no `share_of`."
        ),
    )
    percent: (
        Annotated[int, Field(ge=0, le=100)]
        | Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
        | None
    ) = Field(
        default=None,
        description=(
            "The claim's place holds this percentage of the measure counted at `share_of` "
            '("60% of the stations are in Europe"); the claim\'s `bound` applies to it, and '
            "a whole exact percentage stands for a rounded one (60 is 59.5 to 60.5)."
        ),
    )
    event: Slug | None = Field(
        default=None,
        description=(
            "The event a `date` claim dates (`report-published`): every claim naming the "
            "same event must give it compatible dates."
        ),
    )
    attribute: Attribute | None = Field(
        default=None,
        description="A categorical fact the claim states: a subject's property and its value.",
    )
    share_of: Slug | None = Field(default=None, description="Id of the place the share is of.")
    scheduled: bool = Field(
        default=False,
        description=(
            "The date is announced ahead (a law that takes effect later), so it may fall "
            "after its sources' publication."
        ),
    )
    parts_complete: bool = Field(
        default=False,
        description=(
            "The claims on the places inside this claim's place (same measure, time and scope), "
            "taking the outermost of those that contain one another, are all of its parts, so "
            "they sum to its value."
        ),
    )
    notes: str | None = Field(default=None)

    def when(self) -> str | None:
        """The claim's time as written: its ``as_of``, else its ``date``, else its period."""
        if self.as_of is not None:
            return self.as_of
        if self.date is not None:
            return self.date
        if self.period is not None:
            if self.period.start == self.period.end:
                return self.period.start  # a period of one day, month or year
            return f"{self.period.start}/{self.period.end}"
        return None

    def span(self) -> Span | None:
        """The days the claim's time covers (a period spans its start to its end)."""
        if self.as_of is not None:
            return parse_span(self.as_of)
        if self.date is not None:
            return parse_span(self.date)
        if self.period is not None:
            if self.period.start == self.period.end:
                return parse_span(self.period.start)
            return hull(parse_span(self.period.start), parse_span(self.period.end))
        return None


_CLAIM = TypeAdapter(Claim)


def claim_record(claim: Claim) -> dict[str, object]:
    """The claim as JSON, without the fields left empty or at their default."""
    out: dict[str, object] = _CLAIM.dump_python(
        claim, mode="json", exclude_none=True, exclude_defaults=True
    )
    return out


def renamed(claim: Claim, new_id: str) -> Claim:
    """A copy of the claim under another id (not validated again: a dossier qualifies
    ids with the ledger's name)."""
    copy = object.__new__(Claim)
    for name in Claim.__slots__:
        object.__setattr__(copy, name, getattr(claim, name))
    copy.id = new_id
    return copy


class SumCheck(_Strict):
    """A total equals the sum of its parts."""

    kind: Literal["sum"]
    id: Slug
    total: Slug
    parts: list[Slug] = Field(min_length=2, description="At least two claims.")
    note: str | None = None


class BeforeCheck(_Strict):
    """One dated claim precedes another."""

    kind: Literal["before"]
    id: Slug
    first: Slug
    then: Slug
    note: str | None = None


class CountOfCheck(_Strict):
    """A stated count equals the number of listed claims."""

    kind: Literal["count_of"]
    id: Slug
    count: Slug
    items: list[Slug] = Field(min_length=1)
    note: str | None = None


class CompareCheck(_Strict):
    """``left`` is at most / at least / equal to ``right``."""

    kind: Literal["at_most", "at_least", "equal"]
    id: Slug
    left: Slug
    right: Slug
    note: str | None = None


Check = Annotated[SumCheck | BeforeCheck | CountOfCheck | CompareCheck, Field(discriminator="kind")]


IncludePath = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1000),
    Field(
        description=(
            "Path of a file whose `sources`, `parties`, `places` and `measures` this file "
            "uses, relative to this file's folder; it must stay inside the ledger's (or "
            "dossier's) folder."
        )
    ),
]


class LeftOut(_Strict):
    """A passage of the article whose figures and dates the ledger leaves out on purpose."""

    quote: Text = Field(description="Verbatim words of the document holding the figures or dates.")
    reason: Text = Field(description="Why they are not tracked by a claim.")


class Ledger(_Strict):
    """A ledger: the claims of one document and the sources that support them."""

    schema_ref: str | None = Field(default=None, alias="$schema")
    version: Literal[1] = 1
    includes: list[IncludePath] = Field(
        default_factory=list,
        description=(
            "Shared definitions (a gazetteer, or another ledger) whose sources, parties, "
            "places and measures this ledger uses as if it defined them."
        ),
    )
    document: Document | None = None
    sources: list[Source]
    claims: list[Claim]
    parties: list[Party] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    scopes: list[ScopeDef] = Field(
        default_factory=list,
        description="Scope qualifiers that nest; undeclared scope slugs are free labels.",
    )
    checks: list[Check] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(
        default_factory=list,
        description=(
            "Passages whose figures and dates no claim tracks, on purpose, each with the "
            "reason (`claimcheck coverage` lists the others)."
        ),
    )


class Gazetteer(_Strict):
    """Definitions shared by several ledgers: included, never checked on its own."""

    schema_ref: str | None = Field(default=None, alias="$schema")
    version: Literal[1] = 1
    title: str | None = None
    includes: list[IncludePath] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    notes: str | None = None


class DossierFile(_Strict):
    """Several ledgers of one story, checked as one."""

    schema_ref: str | None = Field(default=None, alias="$schema")
    title: Text | None = None
    ledgers: list[IncludePath] = Field(
        min_length=1,
        description="The ledgers' paths, relative to the dossier file's folder, inside it.",
    )
    notes: str | None = None
