"""Entity references: turning hits and candidate names into :class:`Ref` values.

Contract: :class:`RefBuilder` gives a clean-text span an identity: a registry entry for organization
hits, ``country:XX`` for countries, the resolver's verdict for a candidate name, or a national body
(``national:xx:slug``, method ``rule``) when a name is one country's agency. A :class:`Ref` stays in
clean-text coordinates; the assembly step (:mod:`note_extract.record.assemble`) turns it into the record's
:class:`~note_extract.core.models.EntityRef`. Every doubtful outcome — a fuzzy match, an ambiguous or
unresolved name — comes back as a :class:`~note_extract.core.findings.Finding` beside the reference;
nothing is resolved silently and nothing is collected behind the caller's back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from note_extract.core.findings import Finding, finding
from note_extract.core.models import Candidate, EntityType, Match
from note_extract.core.spans import CleanSpan
from note_extract.core.text import fold
from note_extract.lexicon.countries import CountryIndex
from note_extract.lexicon.entities import Hit
from note_extract.lexicon.registry import Registry
from note_extract.lexicon.resolve import Resolver
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import (
    BodyHeadRow,
    FillerRow,
    GovernmentRow,
    GovernmentWordRow,
    LocationRow,
    NameHeadRow,
    OrgEntry,
    RoleRow,
    StateBodyRow,
)


@dataclass(frozen=True)
class RoleRules:
    """The contents of ``data/roles.jsonl``."""

    locations: tuple[str, ...]
    filler: frozenset[str]
    national_heads: dict[str, EntityType]
    name_heads: frozenset[str]
    governments: tuple[str, ...]
    government_words: frozenset[str] = frozenset()
    """Words that name a State's government after a demonym ("the Peruvian Government")."""
    heads: frozenset[str] = frozenset()
    """The one list of head words a name must hold to be read as a party: name heads, national body
    heads and the other body heads, case folded."""
    lower_case_heads: frozenset[str] = frozenset()
    """French and Spanish heads after which a name goes on in lower case."""
    state_body: re.Pattern[str] = re.compile(r"(?!)")
    """Finds a word or phrase that makes a name a State's own body (``state_body`` rows)."""


@derived
def role_rules(rules: Rules) -> RoleRules:
    """The rows of ``data/roles.jsonl``, by kind."""
    locations: list[str] = []
    filler: set[str] = set()
    heads: dict[str, EntityType] = {}
    name_heads: set[str] = set()
    governments: list[str] = []
    government_words: set[str] = set()
    body_heads: set[str] = set()
    lower_case_heads: set[str] = set()
    state_bodies: set[str] = set()
    for wrapped in rules.rows("roles.jsonl", RoleRow):
        row = wrapped.root
        if isinstance(row, StateBodyRow):
            state_bodies.update(w.casefold() for w in row.words)
        elif isinstance(row, GovernmentWordRow):
            government_words.update(w.casefold() for w in row.words)
        elif isinstance(row, BodyHeadRow):
            body_heads.update(w.casefold() for w in row.words)
            if row.lower_case_name:
                lower_case_heads.update(w.casefold() for w in row.words)
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
    return RoleRules(
        tuple(locations),
        frozenset(filler),
        heads,
        frozenset(name_heads),
        tuple(governments),
        frozenset(government_words),
        frozenset(name_heads | set(heads) | body_heads),
        frozenset(lower_case_heads),
        _phrases(state_bodies),
    )


def _phrases(words: set[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for ``words`` on word boundaries, longest first (never matches when
    empty)."""
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'\u2019-])(?:{alternatives})(?![\w'\u2019-])", re.IGNORECASE)


_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


_CERTAIN: dict[str, Match] = {m: Match(method=m, score=100.0) for m in ("exact", "alias", "rule")}
"""The match of a name read by the phrase matcher or a rule (immutable, so shared)."""


def slug(text: str) -> str:
    """A stable id fragment from a name."""
    return _SLUG.sub("-", fold(text)).strip("-")


Relation = Literal["field", "agent", "object", "subject", "coagent", "partner", "apposition"]


@dataclass(frozen=True, slots=True)
class RoleEvidence:
    """How a role candidate was found, kept on its :class:`Ref` as features for a confidence scorer.

    - ``source``: ``"header"`` (a labelled field's value) or ``"prose"`` (a clause of the text);
    - ``cue``: the cue phrase, case and spacing folded ("organized by", "hosted a", "with funding
      from"), or the header field's name ("organizers");
    - ``relation``: where the party stands to the cue: ``"field"`` (a header value), ``"agent"`` (after
      a passive's agent word: "organized by X"), ``"object"`` (after a nominal cue: "with funding from
      X", "at the invitation of X"), ``"subject"`` (before an active verb: "X organized a"),
      ``"coagent"`` (a phrase set inside that subject: "X, together with Y, organized"), ``"partner"``
      (a with-phrase after the verb's object: "X co-hosted a workshop with Y"), ``"apposition"`` (the party
      a phrase between commas follows: "the Government of Togo, as host,");
    - ``distance``: characters between the cue and the party (0 for a header field);
    - ``list_size`` and ``position``: how many parties the cue took, and this one's place among them
      (0-based), so a long coordinated list can be told from a lone party;
    - ``as_country``: the party was written as a body of its State (a ministry) and stands for it.

    Never changes the record: it rides along the reference and compares equal whatever it holds."""

    source: Literal["header", "prose"]
    cue: str
    relation: Relation
    distance: int = 0
    list_size: int = 1
    position: int = 0
    as_country: bool = False


@dataclass(frozen=True, slots=True)
class Ref:
    """An organization or country as written, with its identity, in clean-text coordinates."""

    span: CleanSpan
    text: str
    """The clean text at ``span`` (the record shows the raw text there)."""
    id: str | None
    name: str | None
    match: Match
    acronym: str | None = None
    type: EntityType | None = None
    country_code: str | None = None
    parent: str | None = None
    evidence: RoleEvidence | None = field(default=None, compare=False)
    """How the party was found in its role (None outside the role lists)."""


def identity(ref: Ref) -> str:
    """What makes two references one party: the identity, else the name as written (case and spacing
    folded)."""
    return ref.id or "text:" + " ".join(ref.text.split()).casefold()


def add_unique(target: list[Ref], ref: Ref) -> None:
    """Append ``ref`` unless ``target`` already lists the same party (the first mention is kept).

    A short list is scanned; a long one (a header listing thousands of names) keeps the identities it
    holds in a set, so adding n parties costs n steps, not n squared."""
    key = identity(ref)
    if len(target) < _SCAN_LIMIT:
        if all(identity(existing) != key for existing in target):
            target.append(ref)
        return
    seen = _seen_in(target)
    if key not in seen.keys:
        target.append(ref)
        seen.keys.add(key)
        seen.size = len(target)


_SCAN_LIMIT = 24
"""Up to this many parties a list is scanned for an identity; past it, a set of them is kept."""
_SEEN_LISTS = 8
"""How many long lists keep their set of identities at a time."""


@dataclass(slots=True)
class _Seen:
    """The identities a long list of parties holds, as of when it had ``size`` parties."""

    target: list[Ref]
    keys: set[str]
    size: int


_seen: dict[int, _Seen] = {}


def _seen_in(target: list[Ref]) -> _Seen:
    """The identities ``target`` holds: kept from the last call while the list is the same and has not
    grown by other means, else counted again."""
    seen = _seen.get(id(target))
    if seen is None or seen.target is not target or seen.size != len(target):
        seen = _Seen(target, {identity(existing) for existing in target}, len(target))
        while len(_seen) >= _SEEN_LISTS:
            _seen.pop(next(iter(_seen), None) or 0, None)
        _seen[id(target)] = seen
    return seen


@dataclass(frozen=True)
class RefBuilder:
    """Builds the references of one note's clean text."""

    rules: Rules
    text: str
    registry: Registry
    countries: CountryIndex
    resolver: Resolver

    def _org_ref(self, entry: OrgEntry, start: int, end: int, match: Match) -> Ref:
        return Ref(
            span=CleanSpan(start, end),
            text=self.text[start:end],
            id=entry.id,
            name=entry.name,
            acronym=entry.acronym,
            type=entry.type,
            country_code=entry.country,
            parent=entry.parent,
            match=match,
        )

    def country_ref(self, code: str, start: int, end: int, method: Literal["exact", "alias", "rule"]) -> Ref:
        """A country as an entity (method ``rule`` when read from a phrase such as "the Peruvian
        Government")."""
        return Ref(
            span=CleanSpan(start, end),
            text=self.text[start:end],
            id=f"country:{code}",
            name=self.countries.name(code),
            type="country",
            country_code=code,
            match=_CERTAIN[method],
        )

    def from_hit(self, hit: Hit) -> Ref:
        """The reference for a phrase-matcher hit (an exact or alias match by construction)."""
        written = self.text[hit.start : hit.end]
        if hit.kind == "country":
            exact = self.countries.name(hit.key).casefold() == written.casefold()
            return self.country_ref(hit.key, hit.start, hit.end, "exact" if exact else "alias")
        entry = self.registry.by_id[hit.key]
        method: Literal["exact", "alias"] = (
            "exact" if written.casefold() == entry.name.casefold() else "alias"
        )
        return self._org_ref(entry, hit.start, hit.end, _CERTAIN[method])

    def demonym(self, word: str) -> str | None:
        """The country code a demonym ("Peruvian", "gabonais") names, if any."""
        return self.countries.demonym(word)

    def country_code(self, name: str) -> str | None:
        """The country code a name written as a country ("Peru", "le Pérou") names, if any."""
        return self.countries.lookup(name)

    def org_entry(self, key: str) -> OrgEntry | None:
        """The registry entry of organization ``key``, if the registry holds it."""
        return self.registry.by_id.get(key)

    def standing_for(self, code: str, ref: Ref) -> Ref:
        """Country ``code`` written as ``ref`` (a ministry standing for its country in a role list)."""
        return Ref(
            span=ref.span,
            text=ref.text,
            id=f"country:{code}",
            name=self.countries.name(code),
            type="country",
            country_code=code,
            match=_CERTAIN["rule"],
        )

    def national_type(self, name: str) -> EntityType | None:
        """The type a national body gets from its head words, if any."""
        heads = role_rules(self.rules).national_heads
        for word in name.split():
            found = heads.get(word.casefold())
            if found is not None:
                return found
        return None

    def state_body(self, name: str) -> bool:
        """Whether ``name`` is a State's own body by its words ("Ministry of Foreign Affairs", "Customs",
        "Dirección Nacional de Aduanas"), whichever State it belongs to."""
        return role_rules(self.rules).state_body.search(name) is not None

    def national_ref(self, code: str, start: int, end: int, name_end: int | None = None) -> Ref:
        """A national body of country ``code`` (method ``rule``)."""
        name = _SPACES.sub(" ", self.text[start : name_end if name_end is not None else end]).strip(" .,;")
        kind = self.national_type(name) or "government"
        return Ref(
            span=CleanSpan(start, end),
            text=self.text[start:end],
            id=f"national:{code.lower()}:{slug(name)}",
            name=f"{name} ({self.countries.name(code)})",
            type=kind,
            country_code=code,
            match=_CERTAIN["rule"],
        )

    def _doubt(
        self, name: str, span: CleanSpan, ambiguous: Sequence[OrgEntry], candidates: list[Candidate]
    ) -> Finding:
        """The finding of a name the registry does not resolve: ambiguous, or unresolved with its
        nearest entries."""
        if ambiguous:
            return finding("org-ambiguous", span, name=name, ids=", ".join(e.id for e in ambiguous))
        closest = (
            ", ".join(
                f"{c.name if not c.id else (self.registry.by_id[c.id].acronym or c.name)} {c.score:.1f}"
                for c in candidates
            )
            or "none"
        )
        return finding("org-unresolved", span, name=name, closest=closest)

    def from_candidate(
        self, start: int, end: int, country: str | None, acronym: CleanSpan | None = None
    ) -> tuple[Ref, Finding | None]:
        """Resolve a candidate name; fall back to a national body of ``country``, else unresolved.
        Returns the reference and, for a fuzzy, ambiguous or unresolved name, the finding that says so;
        a State's body (:meth:`state_body`) with no ``country`` is unresolved with no nearest names
        (``national-body-stateless``): the registry's entries are other States' bodies.

        ``acronym`` is the span of the acronym written after the name ("Full Name (ACR)"): the name is
        resolved first, the acronym when the name gives nothing.
        """
        name_end = acronym.start if acronym is not None else end
        name = _SPACES.sub(" ", self.text[start:name_end]).strip(" (")
        result = self.resolver.resolve(name)
        if result.entry is None and not result.ambiguous and acronym is not None:
            by_acronym = self.resolver.resolve(self.text[acronym.start : acronym.end])
            if by_acronym.entry is not None:
                result = by_acronym
        span = CleanSpan(start, end)
        candidates = [Candidate(id=e.id, name=e.name, score=s) for e, s in result.candidates]
        if result.entry is not None:
            match = Match(
                method=result.method,
                score=result.score,
                candidates=candidates if result.method == "fuzzy" else [],
            )
            doubt = None
            if result.method == "fuzzy":
                entry = result.entry.acronym or result.entry.name
                doubt = finding("org-fuzzy", span, name=name, entry=entry, score=f"{result.score:.1f}")
            return self._org_ref(result.entry, start, end, match), doubt
        if (
            country is not None
            and not result.ambiguous
            and (self.national_type(name) or self.state_body(name))
        ):
            return self.national_ref(country, start, end, name_end), None
        if not result.ambiguous and self.state_body(name):
            # a State's body with no State to give it: the registry's nearest entries are other States'
            doubt = finding("national-body-stateless", span, name=name)
            candidates = []
        else:
            doubt = self._doubt(name, span, result.ambiguous, candidates)
        written_acronym = self.text[acronym[0] : acronym[1]] if acronym is not None else None
        ref = Ref(
            span=span,
            text=self.text[start:end],
            id=None,
            name=None,
            acronym=written_acronym,
            match=Match(method="unresolved", score=result.score, candidates=candidates),
        )
        return ref, doubt
