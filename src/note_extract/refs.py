"""Entity references: turning hits and candidate names into :class:`~note_extract.models.EntityRef`.

Contract: :class:`RefMaker` maps clean-text spans to raw offsets (so ``raw[span] == text``) and attaches
an identity: a registry entry for organization hits, ``country:XX`` for countries, the resolver's
verdict for a candidate name, or a national body (``national:xx:slug``, method ``rule``) when a name
is one country's agency. Every doubtful outcome — a fuzzy match, an ambiguous or unresolved name — is
also appended to :attr:`RefMaker.issues`; nothing is resolved silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from .countries import CountryIndex, fold
from .entities import Hit
from .models import Candidate, EntityRef, EntityType, Issue, Match
from .normalize import Normalized
from .registry import OrgEntry, Registry
from .resolve import Resolver
from .rules import Rules, derived


class CueRow(BaseModel):
    """A phrase that switches the role of what follows."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["cue"]
    phrase: str
    role: Literal["organizers", "sponsors", "hosts"]


class LocationRow(BaseModel):
    """Text that, right before a country, makes it a place."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["location"]
    phrase: str


class FillerRow(BaseModel):
    """Words that never name an organization on their own."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["filler"]
    words: tuple[str, ...]


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
    phrases: tuple[str, ...]


class NameHeadRow(BaseModel):
    """Words that start a new name after "and" ("Ministry of Health and Ministry of Defence")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["name_head"]
    words: tuple[str, ...]


class RoleRow(
    RootModel[
        Annotated[
            CueRow | LocationRow | FillerRow | NationalBodyRow | NameHeadRow | GovernmentRow,
            Field(discriminator="kind"),
        ]
    ]
):
    """One row of ``data/roles.jsonl``."""


@dataclass(frozen=True)
class RoleRules:
    """The contents of ``data/roles.jsonl``."""

    cues: tuple[CueRow, ...]
    locations: tuple[str, ...]
    filler: frozenset[str]
    national_heads: dict[str, EntityType]
    name_heads: frozenset[str]
    governments: tuple[str, ...]


@derived
def role_rules(rules: Rules) -> RoleRules:
    """The rows of ``data/roles.jsonl``, by kind."""
    cues: list[CueRow] = []
    locations: list[str] = []
    filler: set[str] = set()
    heads: dict[str, EntityType] = {}
    name_heads: set[str] = set()
    governments: list[str] = []
    for wrapped in rules.rows("roles.jsonl", RoleRow):
        row = wrapped.root
        if isinstance(row, CueRow):
            cues.append(row)
        elif isinstance(row, LocationRow):
            locations.append(row.phrase.casefold())
        elif isinstance(row, FillerRow):
            filler.update(w.casefold() for w in row.words)
        elif isinstance(row, NameHeadRow):
            name_heads.update(w.casefold() for w in row.words)
        elif isinstance(row, GovernmentRow):
            governments.extend(row.phrases)
        else:
            heads[row.head.casefold()] = row.type
    cues.sort(key=lambda c: -len(c.phrase))
    return RoleRules(
        tuple(cues), tuple(locations), frozenset(filler), heads, frozenset(name_heads), tuple(governments)
    )


_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def slug(text: str) -> str:
    """A stable id fragment from a name."""
    return _SLUG.sub("-", fold(text)).strip("-")


@dataclass
class RefMaker:
    """Builds entity references for one note and collects the issues they raise."""

    note: Normalized
    registry: Registry
    countries: CountryIndex
    resolver: Resolver
    rules: Rules
    issues: list[Issue] = field(default_factory=list)

    def _raw(self, start: int, end: int) -> tuple[str, tuple[int, int]]:
        a, b = self.note.raw_span(start, end)
        return self.note.raw[a:b], (a, b)

    def _org_ref(self, entry: OrgEntry, start: int, end: int, match: Match) -> EntityRef:
        text, span = self._raw(start, end)
        return EntityRef(
            text=text,
            span=span,
            id=entry.id,
            name=entry.name,
            acronym=entry.acronym,
            type=entry.type,
            country_code=entry.country,
            parent=entry.parent,
            match=match,
        )

    def country_ref(
        self, code: str, start: int, end: int, method: Literal["exact", "alias", "rule"]
    ) -> EntityRef:
        """A country as an entity (method ``rule`` when read from a phrase such as "the Peruvian
        Government")."""
        text, span = self._raw(start, end)
        return EntityRef(
            text=text,
            span=span,
            id=f"country:{code}",
            name=self.countries.name(code),
            type="country",
            country_code=code,
            match=Match(method=method, score=100.0),
        )

    def from_hit(self, hit: Hit) -> EntityRef:
        """The reference for a phrase-matcher hit (an exact or alias match by construction)."""
        written = self.note.text[hit.start : hit.end]
        if hit.kind == "country":
            exact = self.countries.name(hit.key).casefold() == written.casefold()
            return self.country_ref(hit.key, hit.start, hit.end, "exact" if exact else "alias")
        entry = self.registry.by_id[hit.key]
        method: Literal["exact", "alias"] = (
            "exact" if written.casefold() == entry.name.casefold() else "alias"
        )
        return self._org_ref(entry, hit.start, hit.end, Match(method=method, score=100.0))

    def standing_for(self, code: str, ref: EntityRef) -> EntityRef:
        """Country ``code`` written as ``ref`` (a ministry standing for its country in a role list)."""
        return EntityRef(
            text=ref.text,
            span=ref.span,
            id=f"country:{code}",
            name=self.countries.name(code),
            type="country",
            country_code=code,
            match=Match(method="rule", score=100.0),
        )

    def national_type(self, name: str) -> EntityType | None:
        """The type a national body gets from its head words, if any."""
        heads = role_rules(self.rules).national_heads
        for word in name.split():
            found = heads.get(word.casefold())
            if found is not None:
                return found
        return None

    def national_ref(self, code: str, start: int, end: int, name_end: int | None = None) -> EntityRef:
        """A national body of country ``code`` (method ``rule``)."""
        text, span = self._raw(start, end)
        name = _SPACES.sub(" ", self.note.text[start : name_end if name_end is not None else end]).strip(
            " .,;"
        )
        kind = self.national_type(name) or "government"
        return EntityRef(
            text=text,
            span=span,
            id=f"national:{code.lower()}:{slug(name)}",
            name=f"{name} ({self.countries.name(code)})",
            type=kind,
            country_code=code,
            match=Match(method="rule", score=100.0),
        )

    def from_candidate(
        self, start: int, end: int, country: str | None, acronym: tuple[int, int] | None = None
    ) -> EntityRef:
        """Resolve a candidate name; fall back to a national body of ``country``, else unresolved.

        ``acronym`` is the span of the acronym written after the name ("Full Name (ACR)"): the name is
        resolved first, the acronym when the name gives nothing.
        """
        name_end = acronym[0] if acronym is not None else end
        name = _SPACES.sub(" ", self.note.text[start:name_end]).strip(" (")
        result = self.resolver.resolve(name)
        if result.entry is None and not result.ambiguous and acronym is not None:
            by_acronym = self.resolver.resolve(self.note.text[acronym[0] : acronym[1]])
            if by_acronym.entry is not None:
                result = by_acronym
        text, span = self._raw(start, end)
        candidates = [Candidate(id=e.id, name=e.name, score=s) for e, s in result.candidates]
        if result.entry is not None:
            match = Match(
                method=result.method,
                score=result.score,
                candidates=candidates if result.method == "fuzzy" else [],
            )
            if result.method == "fuzzy":
                self.issues.append(
                    Issue(
                        code="org-fuzzy",
                        severity="info",
                        message=f'"{name}" read as {result.entry.acronym or result.entry.name} '
                        f"(similarity {result.score:.1f})",
                        span=span,
                        hint="add the spelling as an alias in the registry if it is right",
                    )
                )
            return self._org_ref(result.entry, start, end, match)
        if result.ambiguous:
            ids = ", ".join(e.id for e in result.ambiguous)
            self.issues.append(
                Issue(
                    code="org-ambiguous",
                    severity="warning",
                    message=f'"{name}" names several registry entries ({ids})',
                    span=span,
                    hint="write the full name in the note, or remove the shared alias from one entry",
                )
            )
        elif country is not None and self.national_type(name) is not None:
            return self.national_ref(country, start, end, name_end)
        else:
            closest = (
                ", ".join(
                    f"{c.name if not c.id else (self.registry.by_id[c.id].acronym or c.name)} {c.score:.1f}"
                    for c in candidates
                )
                or "none"
            )
            self.issues.append(
                Issue(
                    code="org-unresolved",
                    severity="warning",
                    message=f'"{name}" is not a known organization (closest: {closest})',
                    span=span,
                    hint="add an alias to the registry or fix the spelling",
                )
            )
        written_acronym = self.note.text[acronym[0] : acronym[1]] if acronym is not None else None
        return EntityRef(
            text=text,
            span=span,
            id=None,
            name=None,
            acronym=written_acronym,
            match=Match(method="unresolved", score=result.score, candidates=candidates),
        )
