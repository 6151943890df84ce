"""Registry proposals from a batch: the organizations the registry did not know, clustered.

Contract: :func:`suggest` takes a batch (records, and the raw text of each where it could be read)
and a :class:`~note_extract.lexicon.resolve.Resolver`, and returns one :class:`Proposal` per cluster of
spellings of one organization. It collects every organization reference (roles, participant groups,
mentions; one per note and span) whose match is ``unresolved`` or ``fuzzy``, except names the
registry lists for several entries (those need a person, not a new alias). Spellings are joined into
one cluster when

- rapidfuzz's ``token_sort_ratio`` over the resolver's name keys (``processor=name_key``, given
  explicitly) is at least ``cutoff`` — for long names only, never for acronym-like ones;
- they are the same acronym written with or without spaces and hyphens (``UN LIREC``, ``UNLIREC``);
- the batch writes one as the other's acronym anywhere, as "Long Name (ACR)" (:func:`acronym_pairs`,
  a Schwartz-Hearst style match: the long form starts at a word with the acronym's first letter and
  holds its letters in order).

A cluster whose fuzzy matches, or whose acronym's long form (or long name's acronym), resolves to a
registry entry becomes ``action="aliases"`` for that entry (the entry with most evidence wins; ties by
id); any other becomes ``action="new"``: the long form seen in the batch as name (else the acronym,
with a note to write the long name), acronym-like spellings as acronyms, the others as aliases, type
``other``. Every proposal carries its evidence (note, text, span, method, score) and the count of
each spelling. Output is deterministic: proposals sorted by evidence count (descending), then id.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from note_extract.core.models import EntityRef, MatchMethod, NoteRecord, OrgType, Span
from note_extract.core.text import compact_key, name_key
from note_extract.lexicon.resolve import Resolver, acronym_like
from note_extract.rules.checks import entry_keys
from note_extract.rules.rows import OrgEntry

CLUSTER_CUTOFF = 88.0
"""Lowest token_sort_ratio at which two long spellings are taken as one organization."""

Action = Literal["new", "aliases"]


class Evidence(BaseModel):
    """One place in the batch where a spelling was written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = Field(description="Record id of the note.")
    text: str
    span: Span
    method: MatchMethod
    score: float


class Proposal(BaseModel):
    """One registry change proposed from a batch; ``orgs add`` applies the ones with ``keep`` true."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keep: bool = Field(default=True, description="Set to false (or delete the line) to leave it out.")
    action: Action = Field(description="new: a new registry entry; aliases: names for an existing one.")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="The new id, or the existing entry's.")
    name: str = Field(min_length=2, description="Canonical name (for aliases: the existing entry's).")
    type: OrgType = "other"
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    reason: str = Field(description="Why this proposal, and what to check before keeping it.")
    spellings: dict[str, int] = Field(description="Each spelling as written, with how often.")
    notes: tuple[str, ...] = Field(description="Ids of the notes it was written in.")
    evidence: tuple[Evidence, ...]

    def entry(self) -> OrgEntry:
        """The registry entry a ``new`` proposal adds (validated)."""
        return OrgEntry(
            id=self.id,
            name=self.name,
            acronyms=self.acronyms,
            aliases=self.aliases,
            type=self.type,
            parent=self.parent,
            country=self.country,
        )


def proposal_line(proposal: Proposal) -> str:
    """One proposal as a JSON Lines row (with newline)."""
    return proposal.model_dump_json() + "\n"


@dataclass(frozen=True, slots=True)
class _Seen:
    note: str
    ref: EntityRef


def _refs(record: NoteRecord) -> Iterable[EntityRef]:
    yield from record.organizers
    yield from record.sponsors
    yield from record.hosts
    yield from record.observers
    for group in record.participants:
        yield from group.members
    yield from record.mentions.organizations


def _long_name(ref: EntityRef) -> EntityRef:
    """An unresolved "Long Name (ACR)" as its long name: the acronym is paired from the raw text."""
    opening = ref.text.rfind("(")
    if ref.match.method != "unresolved" or not ref.acronym or opening <= 0 or not ref.text.endswith(")"):
        return ref
    name = ref.text[:opening].rstrip()
    return EntityRef.model_validate(
        {**ref.model_dump(), "text": name, "span": (ref.span[0], ref.span[0] + len(name))}
    )


def _collect(records: Iterable[NoteRecord], resolver: Resolver) -> list[_Seen]:
    """Unresolved and fuzzy organization references, one per note and span, in batch order."""
    seen: list[_Seen] = []
    for record in records:
        spans: set[tuple[int, int]] = set()
        for ref in _refs(record):
            if ref.match.method not in ("unresolved", "fuzzy") or ref.type == "country":
                continue
            if ref.span in spans or not name_key(ref.text):
                continue
            spans.add(ref.span)
            if ref.match.method == "unresolved" and resolver.resolve(ref.text).ambiguous:
                continue
            seen.append(_Seen(record.id, _long_name(ref)))
    return seen


_ACRONYM_IN_PARENS = re.compile(r"\(\s*([A-Z][A-Za-z0-9&./-]{1,15})\s*\)")
_CLAUSE_BREAK = re.compile(r"[.;:!?\n\r\t|*#>\[\]()\"“”]")
_WORD = re.compile(r"\S+")


def _letters(acronym: str) -> str:
    return "".join(c for c in acronym.casefold() if c.isalnum())


def _holds_in_order(letters: str, text: str) -> bool:
    position = 0
    folded = text.casefold()
    for letter in letters:
        position = folded.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def long_form(before: str, acronym: str) -> str | None:
    """The long form an acronym in parentheses stands for, from the text just before it, or None."""
    letters = _letters(acronym)
    if len(letters) < 2 or sum(c.isupper() for c in acronym) < 2:
        return None
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = list(_WORD.finditer(clause))[-(len(letters) * 2 + 3) :]
    valid: list[str] = []
    for start in reversed(range(len(words))):
        word = words[start].group()
        if not word[:1].isupper() or word[0].casefold() != letters[0]:
            continue
        candidate = clause[words[start].start() : words[-1].end()].strip(" ,-\u2013")
        if len(words) - start >= 2 and _holds_in_order(letters, candidate):
            valid.append(candidate)
    for candidate in valid:
        initials = "".join(w[0] for w in re.findall("[^\\W\\d_][\\w'\u2019]*", candidate) if w[0].isupper())
        if initials.casefold() == letters:
            return candidate
    return valid[0] if valid else None


def acronym_pairs(texts: Iterable[str]) -> dict[str, Counter[str]]:
    """Every "Long Name (ACR)" in the texts: acronym as written -> long forms as written, counted."""
    pairs: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for match in _ACRONYM_IN_PARENS.finditer(text):
            acronym = match.group(1)
            found = long_form(text[max(0, match.start() - 300) : match.start()], acronym)
            if found is not None:
                pairs[acronym][found] += 1
    return dict(sorted(pairs.items()))


class _Clusters:
    """Union-find over spelling keys."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        grouped: defaultdict[str, list[str]] = defaultdict(list)
        for key in sorted(self.parent):
            grouped[self.find(key)].append(key)
        return list(grouped.values())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-")[:48] or "org"


def _most_common(counter: Counter[str]) -> str:
    return sorted(counter.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[0][0]


def suggest(
    records: Iterable[NoteRecord],
    texts: Iterable[str],
    resolver: Resolver,
    cutoff: float = CLUSTER_CUTOFF,
) -> list[Proposal]:
    """One proposal per cluster of unknown or fuzzy spellings; see the module docstring."""
    seen = _collect(records, resolver)
    pairs = acronym_pairs([*texts, *(s.ref.text for s in seen)])
    by_key: defaultdict[str, list[_Seen]] = defaultdict(list)
    for item in seen:
        is_acronym = acronym_like(item.ref.text)
        by_key[compact_key(item.ref.text) if is_acronym else name_key(item.ref.text)].append(item)
    clusters = _Clusters(by_key)
    long_keys = sorted(k for k, items in by_key.items() if not acronym_like(items[0].ref.text))
    spelled = [by_key[k][0].ref.text for k in long_keys]
    for index, text in enumerate(spelled):
        for _choice, _score, other in process.extract(
            text,
            spelled,
            scorer=fuzz.token_sort_ratio,
            processor=name_key,
            score_cutoff=cutoff,
            limit=None,
        ):
            if other != index:
                clusters.union(long_keys[index], long_keys[other])
    expansions_of: defaultdict[str, Counter[str]] = defaultdict(Counter)
    acronyms_of: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for acronym, forms in pairs.items():
        for form, count in forms.items():
            expansions_of[compact_key(acronym)][form] += count
            acronyms_of[name_key(form)][acronym] += count
            if compact_key(acronym) in by_key and name_key(form) in by_key:
                clusters.union(compact_key(acronym), name_key(form))

    proposals: list[Proposal] = []
    taken_ids = {entry.id for entry in resolver.registry.entries}
    for group in clusters.groups():
        items = [item for key in group for item in by_key[key]]
        found = _proposal(group, items, expansions_of, acronyms_of, resolver, taken_ids)
        if found is not None:
            proposals.append(found)
    return sorted(proposals, key=lambda p: (-len(p.evidence), p.id, p.name))


def _proposal(
    group: list[str],
    items: list[_Seen],
    expansions_of: Mapping[str, Counter[str]],
    acronyms_of: Mapping[str, Counter[str]],
    resolver: Resolver,
    taken_ids: set[str],
) -> Proposal | None:
    """The proposal for one cluster of spelling keys (None when it would add nothing)."""
    spellings = Counter(item.ref.text for item in items)
    acronyms: Counter[str] = Counter()
    longs: Counter[str] = Counter()
    for text, count in spellings.items():
        (acronyms if acronym_like(text) else longs)[text] += count
    expansions: Counter[str] = Counter()
    known_acronyms: Counter[str] = Counter()
    for key in group:
        expansions.update(expansions_of.get(key, Counter()))
        known_acronyms.update(acronyms_of.get(key, Counter()))
    votes: Counter[str] = Counter()
    for item in items:
        if item.ref.match.method == "fuzzy" and item.ref.id:
            votes[item.ref.id] += 1
    for written, count in (expansions + known_acronyms).items():
        hit = resolver.resolve(written)
        if hit.entry is not None:
            votes[hit.entry.id] += count
    evidence = tuple(
        Evidence(
            note=item.note,
            text=item.ref.text,
            span=item.ref.span,
            method=item.ref.match.method,
            score=item.ref.match.score,
        )
        for item in sorted(items, key=lambda i: (i.note, i.ref.span))
    )
    notes = tuple(sorted({item.note for item in items}))
    counts = dict(sorted(spellings.items()))
    if votes:
        target_id = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        entry = resolver.registry.by_id[target_id]
        keys = entry_keys(entry)
        new_acronyms = _distinct(acronyms + known_acronyms, compact_key, keys)
        new_aliases = _distinct(longs + expansions, name_key, keys)
        if not new_acronyms and not new_aliases:
            return None
        return Proposal(
            action="aliases",
            id=entry.id,
            name=entry.name,
            type=entry.type,
            acronyms=new_acronyms,
            aliases=new_aliases,
            parent=entry.parent,
            country=entry.country,
            reason=_target_reason(items, expansions, entry),
            spellings=counts,
            notes=notes,
            evidence=evidence,
        )
    all_longs = longs + expansions
    name = _most_common(all_longs) if all_longs else _most_common(acronyms)
    chosen_acronyms = _distinct(acronyms + known_acronyms, compact_key, {})
    aliases = _distinct(all_longs, name_key, {name_key(name): name})
    base = _slug(chosen_acronyms[0] if chosen_acronyms else name)
    new_id, n = base, 1
    while new_id in taken_ids:
        n += 1
        new_id = f"{base}-{n}"
    taken_ids.add(new_id)
    reason = "not in the registry"
    if not all_longs:
        reason += "; only the acronym was seen in the batch: write the long name as name before keeping"
    reason += "; type unknown: set it"
    return Proposal(
        action="new",
        id=new_id,
        name=name,
        acronyms=chosen_acronyms if all_longs else (name,),
        aliases=aliases,
        reason=reason,
        spellings=counts,
        notes=notes,
        evidence=evidence,
    )


def _distinct(counter: Counter[str], key: Callable[[str], str], taken: Mapping[str, str]) -> tuple[str, ...]:
    """Spellings with a key not yet taken, most common spelling per key, sorted."""
    best: dict[str, tuple[int, str]] = {}
    for text, count in counter.items():
        k = key(text)
        if not k or k in taken:
            continue
        current = best.get(k)
        if current is None or (count, text) > current:
            best[k] = (count, text)
    return tuple(sorted(text for _count, text in best.values()))


def _target_reason(items: list[_Seen], expansions: Counter[str], entry: OrgEntry) -> str:
    """Why a cluster is taken as spellings of ``entry``."""
    fuzzy = sum(1 for item in items if item.ref.match.method == "fuzzy" and item.ref.id == entry.id)
    parts = []
    if fuzzy:
        parts.append(f"{fuzzy} fuzzy match(es) to {entry.id}")
    if expansions:
        parts.append("written in the batch as " + ", ".join(f'"{f}"' for f in sorted(expansions)))
    return "spellings of an existing entry: " + ("; ".join(parts) or "acronym of its name")
