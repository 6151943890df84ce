"""The output contract: one :class:`NoteRecord` per note.

These pydantic models are the single source of truth for the record. ``schemas/`` holds the JSON
Schema generated from them (``note-extract schema``); a test fails when the two drift apart.
Every ``span`` is a pair ``[start, end)`` of character offsets into the raw note as decoded, so
``raw[start:end] == text`` for every object that carries both — except a section, whose ``text`` is
cleaned and whose ``span`` covers the section as written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1.3.0"] = "1.3.0"
"""1.1.0 adds, without changing any 1.0.0 field: ``source.pages`` and ``source.text`` (PDF notes),
``event.venue.country_source``, ``mentions.resolutions[].year_inferred``, and the acronym a note defines
for an unresolved name. 1.2.0 adds ``participants[].found_in``. 1.3.0 adds ``event.confidence`` and the
``confidence`` of every party in a role list."""

Probability = Annotated[float, Field(ge=0.0, le=1.0)]

Span = Annotated[
    tuple[int, int],
    Field(description="[start, end) character offsets into the raw note text (after decoding)."),
]
Severity = Literal["error", "warning", "info"]
MatchMethod = Literal["exact", "alias", "fuzzy", "rule", "unresolved"]
OrgType = Literal[
    "un_body",
    "intergovernmental",
    "regional_organization",
    "government",
    "ngo",
    "academic",
    "private",
    "other",
]
EntityType = Literal[OrgType, "country"]
EventKind = Literal[
    "workshop",
    "seminar",
    "meeting",
    "conference",
    "visit",
    "training",
    "roundtable",
    "dialogue",
    "briefing",
    "forum",
    "exercise",
    "peer_review",
    "event",
    "other",
]
Precision = Literal["day", "month", "year"]
PartyRole = Literal["organizer", "sponsor", "host", "observer", "participant"]
"""A party's role, singular, as one row of an export or one highlight of the review site names it; the
record keeps a list per role under the plural (``organizers`` ... ``participants``)."""
FurnitureKind = Literal[
    "document_title",
    "disclaimer",
    "contact",
    "footnote_marker",
    "page_number",
    "page_break",
    "running_header",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Candidate(_Model):
    """A registry entry a name was compared with."""

    id: str
    name: str
    score: float = Field(description="Similarity 0-100 between the normalized name and the entry.")


class Match(_Model):
    """How a written name was tied to an identity."""

    method: MatchMethod = Field(
        description=(
            "exact: the canonical name; alias: a listed acronym or alias; fuzzy: similar to a listed "
            "name above the cutoff; rule: a national body or country found by a rule; "
            "unresolved: no identity."
        )
    )
    score: float = Field(description="100 for exact and alias matches; the similarity for fuzzy ones.")
    candidates: list[Candidate] = Field(
        default_factory=list, description="Best registry entries, for fuzzy and unresolved matches."
    )


class EntityRef(_Model):
    """An organization or country as written in the note, with its resolved identity."""

    text: str = Field(description="The text as written (raw[span[0]:span[1]]).")
    span: Span
    id: str | None = Field(description="Stable identity: a registry id, 'country:XX', or 'national:xx:slug'.")
    name: str | None = Field(description="Canonical name, null when unresolved.")
    acronym: str | None = Field(
        default=None,
        description="The registry's acronym; for an unresolved name, the acronym the note defines for it.",
    )
    type: EntityType | None = None
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2 where it applies.")
    parent: str | None = Field(default=None, description="Registry id of the parent organization.")
    match: Match
    confidence: Probability | None = Field(
        default=None,
        description=(
            "In a role list (organizers, sponsors, hosts, observers, participants' members): the calibrated "
            "probability, rounded to 3 decimals, that this party holds this role in this event. Left out "
            "of mentions."
        ),
    )


class ParticipantGroup(_Model):
    """Participants in one of the groups the note itself uses."""

    label: str | None = Field(description="The group's label as written, null when the note has none.")
    label_span: Span | None = None
    country_code: str | None = Field(default=None, description="Set when the group is one country's.")
    members: list[EntityRef]
    found_in: Literal["header", "text"] = Field(
        default="header",
        description=(
            "header: a group of the note's participants field; text: parties the narrative names as taking "
            "part (for a note read from prose, every participant; for a header note with no participants "
            "field, those its body names)."
        ),
    )


class Venue(_Model):
    """Where the event took place."""

    text: str | None = Field(description="The venue part of the header as written.")
    span: Span | None = None
    place: str | None = Field(default=None, description="A building or site named before the city.")
    city: str | None = None
    country: str | None = None
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    country_source: Literal["written", "gazetteer", "government"] | None = Field(
        default=None,
        description=(
            "For venues read from prose: written, the note names the country; gazetteer, the note names "
            "only the city and the country was taken from the city gazetteer; government, the note names "
            "no place and the country is that of the government that held or hosted the event (both with "
            "an info issue). Null for header venues."
        ),
    )
    virtual: bool = Field(default=False, description="True for online or hybrid events.")


class EventConfidence(_Model):
    """For each decided event field, the calibrated probability (3 decimals) that the value is right; a
    field left empty ("none found") has the probability that it is rightly empty."""

    title: Probability
    start_date: Probability
    end_date: Probability
    city: Probability = Field(description="The venue's city.")
    country: Probability = Field(description="The venue's country code.")


class Event(_Model):
    """The event the note reports on."""

    title: str | None = Field(description="The title as written, cleaned of markup and line breaks.")
    title_span: Span | None = None
    kind: EventKind
    start_date: date | None = None
    end_date: date | None = Field(default=None, description="Inclusive; equals start_date for one day.")
    days: list[date] = Field(default_factory=list, description="Days the note names explicitly.")
    date_precision: Precision | None = None
    year_inferred: bool = False
    date_text: str | None = Field(
        default=None,
        description=(
            "The date as written, cleaned of markup and with whitespace collapsed; date_span locates it."
        ),
    )
    date_span: Span | None = None
    venue: Venue
    found_in: Literal["header", "text", "none"] = Field(
        description="header: from labelled fields; text: inferred from narrative text (lower confidence)."
    )
    confidence: EventConfidence | None = Field(
        default=None,
        description=(
            "How likely each field is right: a logistic model over how the value was found (label or cue, "
            "place, fit to its type, debris, agreement, rivals), calibrated on notes held out from its "
            "fitting (data/confidence.jsonl)."
        ),
    )


class Section(_Model):
    """A titled part of the note body."""

    number: str | None = Field(description="The section number as written, without its dot.")
    heading: str | None = Field(description="Null for text before the first heading.")
    text: str = Field(description="Clean text: markup, footnotes, page furniture and contact line removed.")
    span: Span = Field(description="The whole section in the raw note, heading included (text is cleaned).")


class Resolution(_Model):
    """A Security Council resolution cited in the note."""

    number: int
    year: int | None = Field(
        description="The year as written, else the adoption year of a resolution of the 1540 family."
    )
    year_inferred: bool = Field(default=False, description="True when the note does not write the year.")
    text: str
    span: Span


class DateMention(_Model):
    """A date or date range anywhere in the note."""

    text: str
    span: Span
    start_date: date
    end_date: date
    precision: Precision
    year_inferred: bool


class EmailMention(_Model):
    """An e-mail address."""

    address: str
    span: Span


class Mentions(_Model):
    """Everything mentioned anywhere in the note, in order of appearance."""

    organizations: list[EntityRef]
    countries: list[EntityRef]
    resolutions: list[Resolution]
    dates: list[DateMention]
    emails: list[EmailMention]


class Furniture(_Model):
    """Page furniture and boilerplate recognized and set apart from the content."""

    kind: FurnitureKind
    text: str
    span: Span


class Issue(_Model):
    """Something the pipeline could not do or doubts."""

    code: str = Field(description="Stable kebab-case code, e.g. 'venue-missing'.")
    severity: Severity
    message: str
    span: Span | None = None
    hint: str | None = Field(default=None, description="What a person can do about it.")


class Source(_Model):
    """The raw file the record was made from."""

    path: str = Field(description="POSIX path as given, relative to the input folder in batch runs.")
    sha256: str
    size: int = Field(description="Size in bytes.")
    encoding: str = Field(
        description="The encoding the bytes were decoded with; 'pdf' for text read from a PDF's text layer."
    )
    pages: list[Span] | None = Field(
        default=None,
        description=(
            "PDF notes only: [start, end) of each page in the text the spans index, in page order "
            "(a span's page is the last page starting at or before it). Absent for text notes."
        ),
    )
    text: str | None = Field(
        default=None,
        description=(
            "PDF notes only: the text read from the PDF, which every span indexes "
            "(text[start:end] == the value's text). Absent for text notes, whose spans index the file."
        ),
    )


class Extractor(_Model):
    """What produced the record; identical values mean identical output for identical input."""

    version: str
    rules_sha256: str = Field(description="Digest of the rule files and settings in force.")


class NoteRecord(_Model):
    """One information note, extracted."""

    schema_version: Literal["1.3.0"] = SCHEMA_VERSION
    id: str = Field(description="The file stem.")
    source: Source
    extractor: Extractor
    language: str = Field(description="ISO 639-1 code of the note's language.")
    event: Event
    organizers: list[EntityRef]
    sponsors: list[EntityRef]
    hosts: list[EntityRef]
    observers: list[EntityRef]
    participants: list[ParticipantGroup]
    sections: list[Section]
    mentions: Mentions
    furniture: list[Furniture]
    issues: list[Issue]

    def confidences(self) -> list[tuple[str, float]]:
        """Every decided value's confidence as ``(path, probability)``, in record order: the five event
        fields (``event.title`` ... ``event.country``), then each party of each role list
        (``organizers[0]`` ..., ``participants[1].members[2]``); a value without one is left out."""
        out: list[tuple[str, float]] = []
        if self.event.confidence is not None:
            out += [(f"event.{name}", p) for name, p in self.event.confidence.model_dump().items()]
        for role, refs in (
            ("organizers", self.organizers),
            ("sponsors", self.sponsors),
            ("hosts", self.hosts),
            ("observers", self.observers),
        ):
            out += [(f"{role}[{i}]", r.confidence) for i, r in enumerate(refs) if r.confidence is not None]
        for g, group in enumerate(self.participants):
            out += [
                (f"participants[{g}].members[{i}]", r.confidence)
                for i, r in enumerate(group.members)
                if r.confidence is not None
            ]
        return out

    def least_confidence(self) -> float | None:
        """The lowest confidence of any decided value (the one to read first), None when none has one."""
        return min((p for _path, p in self.confidences()), default=None)

    def parties(self) -> list[tuple[PartyRole, list[EntityRef]]]:
        """Each role's list but the participants' (kept in groups), under the role's singular name."""
        return [
            ("organizer", self.organizers),
            ("sponsor", self.sponsors),
            ("host", self.hosts),
            ("observer", self.observers),
        ]
