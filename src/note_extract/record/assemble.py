"""The assembly step: stage results in, one validated :class:`~note_extract.core.models.NoteRecord` out.

Contract: every stage before this one works in clean-text coordinates (:class:`~note_extract.core.spans.
CleanSpan`) and reports what it doubts as :class:`~note_extract.core.findings.Finding` values. This module
is the one place that maps their spans to raw offsets (so ``raw[span] == text`` for every value that
carries both) and the one place that builds the record's pydantic models, each validated as it is
built; it words every finding from the catalogue (its ``{raw}`` field is the raw text at the span),
drops repeated ones and orders the issues by position, then severity, then code. It decides no field:
what a value is was settled by its stage (see ``docs/architecture.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from note_extract.core.findings import Finding
from note_extract.core.models import (
    DateMention,
    EmailMention,
    EntityRef,
    Event,
    EventConfidence,
    Extractor,
    Furniture,
    Issue,
    Mentions,
    NoteRecord,
    ParticipantGroup,
    Resolution,
    Section,
    Source,
    Venue,
)
from note_extract.core.spans import CleanSpan, RawSpan
from note_extract.event.event import EventDraft, VenueDraft
from note_extract.layout.layout import Layout
from note_extract.parties.mentions import Mentioned
from note_extract.parties.refs import Ref
from note_extract.parties.roles import Group, Roles
from note_extract.read.normalize import Normalized
from note_extract.record.confidence import Evidence, Scored, Scorer
from note_extract.rules.catalogue import Catalogue

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Parts:
    """Everything the stages found for one note, before assembly."""

    note_id: str
    source: Source
    note: Normalized
    language: str
    layout: Layout
    event: EventDraft
    roles: Roles
    mentions: Mentioned
    findings: list[Finding]


@dataclass(frozen=True)
class Assembler:
    """Builds records for one configuration (the extractor stamp and the catalogue of findings)."""

    extractor: Extractor
    catalogue: Catalogue
    scorer: Scorer | None = None
    """The confidence models; None leaves every confidence out."""

    def score(self, parts: Parts) -> Scored | None:
        """The probabilities of the note's decided values (None without a scorer)."""
        if self.scorer is None:
            return None
        evidence = Evidence(
            parts.note.text, parts.layout, parts.event, parts.roles, parts.mentions, parts.findings
        )
        return self.scorer.score(evidence)

    def record(self, parts: Parts) -> NoteRecord:
        """The validated record of one note; see the module docstring."""
        at = _Mapper(parts.note)
        scored = self.score(parts)
        roles = parts.roles
        parties = scored.parties if scored else {}
        members = iter(scored.participants if scored else ())
        return NoteRecord(
            id=parts.note_id,
            source=parts.source,
            extractor=self.extractor,
            language=parts.language,
            event=_event(at, parts.event, scored),
            organizers=at.refs(roles.organizers, parties.get("organizers")),
            sponsors=at.refs(roles.sponsors, parties.get("sponsors")),
            hosts=at.refs(roles.hosts, parties.get("hosts")),
            observers=at.refs(roles.observers, parties.get("observers")),
            participants=[
                _group(at, g, [next(members, None) for _ in g.members]) for g in roles.participants
            ],
            sections=_sections(at, parts.layout),
            mentions=_mentions(at, parts.mentions),
            furniture=_furniture(at, parts.note, parts.layout),
            issues=self.issues(at, parts.findings),
        )

    def issues(self, at: _Mapper, findings: Iterable[Finding]) -> list[Issue]:
        """The findings worded, each once, in position, severity and code order."""
        seen: set[tuple[str, RawSpan | None, str]] = set()
        out = []
        for found in findings:
            span = at.raw(found.span)
            severity, message, hint = self.catalogue.render(
                found, at.text(span) if span is not None else None
            )
            key = (found.code, span, message)
            if key not in seen:
                seen.add(key)
                out.append(Issue(code=found.code, severity=severity, message=message, span=span, hint=hint))
        return sorted(out, key=lambda i: (i.span[0] if i.span else -1, _SEVERITY_ORDER[i.severity], i.code))


class _Mapper:
    """Clean-text spans of one note to raw offsets and the raw text there."""

    def __init__(self, note: Normalized) -> None:
        self.note = note

    def raw(self, span: CleanSpan | RawSpan | None) -> RawSpan | None:
        """The raw span of a clean one (a raw span is already one)."""
        if span is None or isinstance(span, RawSpan):
            return span
        return self.note.clean.to_raw(span)

    def text(self, span: RawSpan) -> str:
        """The raw text at a raw span."""
        return self.note.raw[span.start : span.end]

    def ref(self, ref: Ref, confidence: float | None = None) -> EntityRef:
        """The record's reference for a stage's (with its confidence in a role list)."""
        span = self.note.clean.to_raw(ref.span)
        return EntityRef(
            text=self.text(span),
            span=span,
            id=ref.id,
            name=ref.name,
            acronym=ref.acronym,
            type=ref.type,
            country_code=ref.country_code,
            parent=ref.parent,
            match=ref.match,
            confidence=confidence,
        )

    def refs(self, refs: Iterable[Ref], confidences: Sequence[float | None] | None = None) -> list[EntityRef]:
        """Each reference mapped, in order, with the confidence at its position when given."""
        if confidences is None:
            return [self.ref(r) for r in refs]
        return [self.ref(r, c) for r, c in zip(refs, confidences, strict=True)]


def _venue(at: _Mapper, venue: VenueDraft) -> Venue:
    span = at.raw(venue.span)
    return Venue(
        text=at.text(span) if span is not None else None,
        span=span,
        place=venue.place,
        city=venue.city,
        country=venue.country,
        country_code=venue.country_code,
        country_source=venue.country_source,
        virtual=venue.virtual,
    )


def _event(at: _Mapper, event: EventDraft, scored: Scored | None) -> Event:
    dates = event.dates
    confidence = EventConfidence(**scored.event) if scored and scored.event else None
    return Event(
        title=event.title,
        title_span=at.raw(event.title_span),
        kind=event.kind,
        start_date=dates.start if dates else None,
        end_date=dates.end if dates else None,
        days=list(dates.days) if dates else [],
        date_precision=dates.precision if dates else None,
        year_inferred=dates.year_inferred if dates else False,
        date_text=dates.text if dates else None,
        date_span=at.raw(dates.span) if dates else None,
        venue=_venue(at, event.venue),
        found_in=event.found_in,
        confidence=confidence,
    )


def _group(at: _Mapper, group: Group, confidences: Sequence[float | None]) -> ParticipantGroup:
    return ParticipantGroup(
        label=group.label,
        label_span=at.raw(group.label_span),
        country_code=group.country_code,
        members=at.refs(group.members, confidences),
        found_in=group.found_in,
    )


def _mentions(at: _Mapper, found: Mentioned) -> Mentions:
    resolutions = []
    for cited in found.resolutions:
        span = at.note.clean.to_raw(cited.span)
        resolutions.append(
            Resolution(
                number=cited.number,
                year=cited.year,
                year_inferred=cited.year_inferred,
                text=at.text(span),
                span=span,
            )
        )
    dates = []
    for d in found.dates:
        span = at.note.clean.to_raw(CleanSpan(d.start, d.end))
        dates.append(
            DateMention(
                text=at.text(span),
                span=span,
                start_date=d.start_date,
                end_date=d.end_date,
                precision=d.precision,
                year_inferred=d.year_inferred,
            )
        )
    return Mentions(
        organizations=at.refs(found.organizations),
        countries=at.refs(found.countries),
        resolutions=resolutions,
        dates=dates,
        emails=[EmailMention(address=e.address, span=at.note.clean.to_raw(e.span)) for e in found.emails],
    )


def _sections(at: _Mapper, layout: Layout) -> list[Section]:
    text = at.note.text
    return [
        Section(
            number=part.number,
            heading=part.heading,
            text="\n\n".join(_unwrap(text[a:b]) for a, b in part.paragraphs),
            span=at.note.clean.to_raw(CleanSpan(part.start, part.end)),
        )
        for part in layout.sections
    ]


def _furniture(at: _Mapper, note: Normalized, layout: Layout) -> list[Furniture]:
    marks = [(mark.span, mark.kind) for mark in note.furniture]
    marks += [(note.clean.to_raw(span), "contact") for span in layout.contacts]
    return [Furniture(kind=kind, text=at.text(span), span=span) for span, kind in sorted(marks)]


_LIST_ITEM = re.compile(r"\s*(?:[-*|]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s")
_RUN_OF_SPACES = re.compile(r"[ \t]{2,}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def _unwrap(text: str) -> str:
    """Each paragraph's lines joined with spaces (the converter's line wrapping undone), except before
    a list item or table row, which keeps its own line; paragraphs stay apart by one blank line."""
    paragraphs = []
    for paragraph in _BLANK_LINE.split(text.strip()):
        lines = [line.strip() for line in paragraph.split("\n")]
        out = lines[0]
        for line in lines[1:]:
            out += ("\n" if _LIST_ITEM.match(line + " ") else " ") + line
        paragraphs.append(_RUN_OF_SPACES.sub(" ", out))
    return "\n\n".join(paragraphs)
