"""The row models of every rule file: what one line of each ``data/*.jsonl`` file may hold.

Contract: one pydantic model per rule file (the registry's is :class:`OrgEntry`, the catalogue's
:class:`IssueKind`), each frozen and refusing unknown keys, so a row is valid or its file fails at load
with file and line (:class:`~note_extract.rules.bundle.Rules`). The models hold data only: the stages
that read the rows build their tables from them, and this module imports nothing above ``core``.
What would fail every note instead of the load is refused here: a blank word or label in a word
list (it would match everywhere), a furniture pattern that does not compile, and one with a
quantifier nested in another unbounded one (``^(a+)+$``, which takes exponential time on a
near-match; :func:`check_pattern`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, field_validator

from note_extract.core.findings import FindingCode
from note_extract.core.models import EntityType, EventKind, FurnitureKind, OrgType, Severity
from note_extract.core.settings import RuleSeverity

_PARSER: Any = importlib.import_module("re._parser")
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _children(name: str, value: Any) -> list[Any]:
    """The parsed sub-patterns of one node (a group's body, each branch, an assertion's body)."""
    if name == "SUBPATTERN":
        return [value[3]]
    if name == "BRANCH":
        return list(value[1])
    if name in {"ASSERT", "ASSERT_NOT"}:
        return [value[1]]
    return []


def _nested_repeat(items: Any, inside: bool) -> bool:
    """True when a parsed pattern repeats, without bound, something that itself repeats."""
    for op, value in items:
        name = str(op)
        if name in _REPEATS:
            _low, high, sub = value
            unbounded = high == _PARSER.MAXREPEAT or high > 100
            if (inside and high > 1) or _nested_repeat(sub, inside or unbounded):
                return True
        elif any(_nested_repeat(child, inside) for child in _children(name, value)):
            return True
    return False


def check_pattern(pattern: str, flags: int = 0) -> str:
    """``pattern`` when it compiles and has no nested unbounded quantifier; else ValueError."""
    try:
        re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from None
    if _nested_repeat(_PARSER.parse(pattern, flags), False):
        raise ValueError(
            f"pattern {pattern!r} repeats a repeated part (like (a+)+), which can take exponential time; "
            "write it without the nested quantifier"
        )
    return pattern


def _words(value: tuple[str, ...]) -> tuple[str, ...]:
    if any(not word.strip() for word in value):
        raise ValueError("a word or label is empty: it would match everywhere")
    return value


Words = Annotated[tuple[str, ...], AfterValidator(_words)]
"""A word list whose every item has a letter or sign (a blank one would match everywhere)."""


class CountryRow(BaseModel):
    """One row of ``data/countries.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}$")
    names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    display: str | None = None
    not_names: tuple[str, ...] = ()


class DemonymRow(BaseModel):
    """One row of ``data/demonyms.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}$")
    words: tuple[str, ...] = Field(min_length=1)


class DateWordsRow(BaseModel):
    """One row of ``data/date_words.jsonl``: the words that glue dates together in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str = Field(pattern=r"^[a-z]{2,3}$")
    orders: tuple[Literal["dmy", "mdy"], ...] = Field(min_length=1)
    range: tuple[str, ...] = Field(min_length=1)
    range_openers: tuple[str, ...] = ()
    list_joiners: tuple[str, ...] = Field(min_length=1)
    day_month_links: tuple[str, ...] = ()
    month_year_links: tuple[str, ...] = ()
    ordinal_suffixes: tuple[str, ...] = ()
    year_cues: tuple[str, ...] = ()
    ambiguous_months: tuple[str, ...] = ()
    filler: tuple[str, ...] = ()
    """Words a date expression may hold between its parts that carry no date ("the 14th", "el 1 de")."""

    @field_validator(
        "range", "range_openers", "list_joiners", "day_month_links", "month_year_links",
        "ordinal_suffixes", "year_cues", "ambiguous_months", "filler",
    )  # fmt: skip
    @classmethod
    def _no_blank_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not word.strip() or word != word.strip() for word in value):
            raise ValueError("words must be non-empty and carry no surrounding spaces")
        return value


class KindRow(BaseModel):
    """One row of ``data/event_kinds.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: EventKind
    words: Words


class VenueRow(BaseModel):
    """One row of ``data/venue.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["virtual"]
    words: Words


class NarrativeRow(BaseModel):
    """One row of ``data/narrative.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    weight: int
    words: Words


class IssueKind(BaseModel):
    """One row of ``data/findings.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: FindingCode
    severity: Severity = Field(description="The severity the record's issue has.")
    message: str | dict[str, str] = Field(description="Template, or templates by variant.")
    hint: str | None = Field(default=None, description="What the record suggests; may use the fields.")
    check: RuleSeverity = Field(description="Default severity of `note-extract check` for publication.")
    requires: str = Field(min_length=1, description="What a publishable note must have.")
    fix: str = Field(min_length=1, description="What to do when a note does not have it.")
    prose_fix: str | None = Field(
        default=None,
        description="What to do in a prose report (no labelled header), when it differs from fix.",
    )

    def templates(self) -> list[str]:
        """Every template of the row: its message or messages, and its hint."""
        messages = list(self.message.values()) if isinstance(self.message, dict) else [self.message]
        return messages + ([self.hint] if self.hint else [])


FieldName = Literal[
    "title",
    "organizers",
    "cohosts",
    "sponsors",
    "hosts",
    "observers",
    "participants",
    "date_venue",
    "date",
    "start_date",
    "end_date",
    "venue",
]


class LabelRow(BaseModel):
    """One row of ``data/labels.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: FieldName
    labels: Words = Field(min_length=1)


class LanguageRow(BaseModel):
    """One row of ``data/languages.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    words: Words


class SectionRow(BaseModel):
    """One row of ``data/sections.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    headings: Words


class MentionRow(BaseModel):
    """One row of ``data/mentions.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["resolution_keyword"]
    words: Words


class FurnitureRule(BaseModel):
    """One row of ``data/furniture.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: FurnitureKind
    action: Literal["delete", "mark"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _safe_pattern(cls, value: str) -> str:
        if not value:
            raise ValueError("the pattern is empty")
        return check_pattern(value, re.IGNORECASE | re.MULTILINE)


class OcrRow(BaseModel):
    """One row of ``data/ocr.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["confusable", "words"]
    seen: str | None = Field(default=None, min_length=1)
    meant: str | None = Field(default=None, min_length=1)
    words: tuple[str, ...] = ()


class WordsRow(BaseModel):
    """One row of ``data/words.jsonl``: words of one language (``any``: of any); ``word``: words the
    notes write, ``short``: the words under three letters the glued-word reader may part a token into."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["word", "short"]
    language: str = Field(pattern=r"^(?:[a-z]{2,3}|any)$")
    words: tuple[str, ...] = Field(min_length=1)


class WrappingRow(BaseModel):
    """One row of ``data/wrapping.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["mail_header", "mail_sender", "banner", "placeholder", "attribution"]
    words: tuple[str, ...] = Field(min_length=1)


class ProseRow(BaseModel):
    """One row of ``data/prose.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal[
        "cue",
        "place",
        "not_place",
        "anaphor",
        "background",
        "background_heading",
        "future",
        "title_cue",
        "headline_verb",
        "connector",
        "numbers",
        "abbreviation",
        "page_date",
        "article",
        "duration_unit",
        "trailing_place",
        "years_ago",
        "number_words",
        "adoption",
        "name_connector",
        "place_article",
        "government",
        "government_of",
        "coagent",
        "pronoun",
    ]
    role: Literal["organizers", "sponsors", "hosts", "cohosts", "participants"] | None = None
    direction: Literal["forward", "backward", "both", "apposition"] | None = None
    phrases: Words = ()
    words: Words = ()
    values: tuple[int, ...] = ()
    """The number each word stands for, in order (kind ``number_words``)."""


class KnownResolution(BaseModel):
    """One row of ``data/resolutions.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    number: int = Field(ge=1)
    year: int = Field(ge=1946)


class LocationRow(BaseModel):
    """Text that, right before a country, makes it a place."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["location"]
    phrase: str


class FillerRow(BaseModel):
    """Words that never name an organization on their own."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["filler"]
    words: Words


class NationalBodyRow(BaseModel):
    """A head word of a national body's name and the type it gives."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["national_body"]
    head: str
    type: EntityType


class GovernmentRow(BaseModel):
    """Phrases that, right before a country, name its government ("the Government of Guyana")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["government"]
    phrases: Words


class NameHeadRow(BaseModel):
    """Words that start a new name after "and" ("Ministry of Health and Ministry of Defence")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["name_head"]
    words: Words


class GovernmentWordRow(BaseModel):
    """Words that, after a demonym, name a State's government ("the Peruvian Government")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["government_word"]
    words: tuple[str, ...]


class BodyHeadRow(BaseModel):
    """Head words of a body's name; ``lower_case_name``: a name goes on in lower case after it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["body_head"]
    words: tuple[str, ...]
    lower_case_name: bool = False


class StateBodyRow(BaseModel):
    """Words that make a name one State's own body whoever reads it ("Ministry", "Customs", "Police
    Force", "Dirección Nacional"): a name holding one and naming no State belongs to the State its
    sentence or the event's venue gives. ``words`` are single words or phrases, matched case folded
    on word boundaries."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["state_body"]
    words: tuple[str, ...]


class RoleRow(
    RootModel[
        Annotated[
            LocationRow
            | FillerRow
            | NationalBodyRow
            | NameHeadRow
            | GovernmentRow
            | GovernmentWordRow
            | BodyHeadRow
            | StateBodyRow,
            Field(discriminator="kind"),
        ]
    ]
):
    """One row of ``data/roles.jsonl``."""


class SuggestWordsRow(BaseModel):
    """Words ``orgs suggest`` reads names by: ``national_word``, words that name a State's function
    without naming the State (Foreign, Affairs, Port); ``person_title``, words that start or end a
    person's title, not an organization (Director, Chairman, Members); ``state_word``, words that make
    a name of national words a State's body when it starts with one (National, Federal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["national_word", "person_title", "state_word"]
    words: tuple[str, ...]


class OrgEntry(BaseModel):
    """One row of the organization registry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Stable identifier; never reused.")
    name: str = Field(min_length=2, description="Canonical English name.")
    acronyms: tuple[str, ...] = Field(default=(), description="Acronyms, matched case-sensitively.")
    aliases: tuple[str, ...] = Field(default=(), description="Other names and spellings.")
    type: OrgType
    parent: str | None = Field(default=None, description="Id of the parent organization.")
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code for national bodies."
    )

    @property
    def acronym(self) -> str | None:
        """The preferred acronym (the first listed), if any."""
        return self.acronyms[0] if self.acronyms else None

    def names(self) -> Iterator[str]:
        """The canonical name followed by every alias (acronyms excluded)."""
        yield self.name
        yield from self.aliases


ConfidenceFamily = Literal["event", "party", "participant"]
"""The field families the confidence models score: the five event fields (one model, each field with
its own features beside the shared ones), a party in organizers, sponsors, hosts or observers, and a
participant."""


class ConfidenceModelRow(BaseModel):
    """One field family's logistic model: ``z = intercept + sum(weights[f] * x[f])`` over the named
    features, then the calibration fitted on held-out folds: ``p = 1 / (1 + exp(-(a * z + b)))`` with
    ``(a, b) = platt``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["model"]
    family: ConfidenceFamily
    intercept: float
    weights: dict[str, float]
    platt: tuple[float, float]
    samples: int = Field(ge=0, description="Training values (right and wrong) the weights were fitted on.")
    right: int = Field(ge=0, description="How many of them were right.")


class ConfidenceSourceRow(BaseModel):
    """What the models were fitted on: a digest of the training notes, their gold and the feature code,
    and a digest of the values the extraction gave them (features and verdicts), so a change to the
    extraction makes the weights stale too (a test compares both with the repository)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["source"]
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    values: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    sets: tuple[str, ...]
    notes: int = Field(ge=0)
    wrappings: int = Field(default=0, ge=0, description="Wrapped renderings fitted on per note.")


class ConfidenceRow(
    RootModel[Annotated[ConfidenceModelRow | ConfidenceSourceRow, Field(discriminator="kind")]]
):
    """One row of ``data/confidence.jsonl``."""
