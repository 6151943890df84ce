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
each spelling. Output is deterministic: proposals sorted by how often they are written (descending),
then id.

What is no registry entry is never proposed: a person's title (a name that starts or ends with a
``person_title`` word of ``data/suggest.jsonl``: "Acting Director for ...", "Committee Members"), and a
State's body named without its State (a government head word of ``data/roles.jsonl``, or a first word
of kind ``state_word`` such as "National", and only ``national_word`` words: "Customs", "Ministry of
Foreign Affairs", "National Superintendence of Tax Administration"; such a body belongs to a State, as
``national:<cc>:...``). Whitespace in a name (a line break included) is one space; an id is cut only
between words; proposals for the same existing entry are merged into one. :class:`Collector` takes the
batch one record at a time and keeps every count but at most :data:`LIMIT` pieces of evidence per
spelling, so its memory does not grow with the batch.
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
from note_extract.parties.refs import role_rules
from note_extract.rules.bundle import Rules, shipped_rules
from note_extract.rules.checks import entry_keys
from note_extract.rules.rows import OrgEntry, SuggestWordsRow

SUGGEST_FILE = "suggest.jsonl"

LIMIT = 50
"""Evidence kept per spelling and notes kept per proposal: the rest is counted, not kept, so memory
does not grow with the batch."""
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
    notes: tuple[str, ...] = Field(description=f"Ids of the notes it was written in (the first {LIMIT}).")
    evidence: tuple[Evidence, ...] = Field(
        description=f"Where it was written (the first {LIMIT} per spelling)."
    )
    seen: int = Field(default=0, description="How many places in the batch write it.")

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


def _one_line(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def _collect(record: NoteRecord, resolver: Resolver) -> Iterable[_Seen]:
    """A record's unresolved and fuzzy organization references, one per span, in record order."""
    spans: set[tuple[int, int]] = set()
    for ref in _refs(record):
        if ref.match.method not in ("unresolved", "fuzzy") or ref.type == "country":
            continue
        if ref.span in spans or not name_key(ref.text):
            continue
        spans.add(ref.span)
        if ref.match.method == "unresolved" and resolver.resolve(ref.text).ambiguous:
            continue
        ref = _long_name(ref)
        if ref.text != _one_line(ref.text):
            ref = ref.model_copy(update={"text": _one_line(ref.text)})
        yield _Seen(record.id, ref)


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


SLUG_LIMIT = 48


def _slug(text: str) -> str:
    """An id from a name: lower-case words joined by hyphens, whole words only, at most 48 characters."""
    words = [w for w in re.split(r"[^a-z0-9]+", name_key(text)) if w]
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > SLUG_LIMIT:
            break
        slug = longer
    return slug or (words[0][:SLUG_LIMIT] if words else "org")


def _most_common(counter: Counter[str]) -> str:
    return sorted(counter.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[0][0]


@dataclass
class _Spelling:
    """What the batch wrote under one spelling key: counted in full, evidence kept up to LIMIT."""

    acronym: bool
    first: _Seen
    items: list[_Seen]
    spellings: Counter[str]
    fuzzy: Counter[str]
    notes: dict[str, None]
    seen: int = 0

    def add(self, item: _Seen) -> bool:
        """Count ``item``; True when it is kept as evidence."""
        self.seen += 1
        self.spellings[item.ref.text] += 1
        if item.ref.match.method == "fuzzy" and item.ref.id:
            self.fuzzy[item.ref.id] += 1
        if len(self.notes) < LIMIT:
            self.notes[item.note] = None
        if len(self.items) < LIMIT:
            self.items.append(item)
            return True
        return False


class Collector:
    """The input of :func:`suggest`, taken one record at a time: memory grows with the distinct
    spellings of unknown names, not with the batch."""

    def __init__(
        self, resolver: Resolver, cutoff: float = CLUSTER_CUTOFF, rules: Rules | None = None
    ) -> None:
        self.resolver = resolver
        self.cutoff = cutoff
        self.rules = rules if rules is not None else shipped_rules()
        self.by_key: dict[str, _Spelling] = {}
        self.pairs: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def add(self, record: NoteRecord, text: str | None) -> bool:
        """Take one record and its raw text (None when it could not be read); True when the record is
        kept as evidence of a proposal."""
        kept = False
        for item in _collect(record, self.resolver):
            is_acronym = acronym_like(item.ref.text)
            key = compact_key(item.ref.text) if is_acronym else name_key(item.ref.text)
            found = self.by_key.get(key)
            if found is None:
                found = self.by_key[key] = _Spelling(is_acronym, item, [], Counter(), Counter(), {})
            kept = found.add(item) or kept
        if text is not None:
            self.add_text(text)
        return kept

    def add_text(self, text: str) -> None:
        """Take a raw text's "Long Name (ACR)" pairs."""
        for acronym, forms in acronym_pairs([text]).items():
            self.pairs[acronym].update(forms)

    def proposals(self) -> list[Proposal]:
        """One proposal per cluster; see the module docstring."""
        return _proposals(self)


def suggest(
    records: Iterable[NoteRecord],
    texts: Iterable[str],
    resolver: Resolver,
    cutoff: float = CLUSTER_CUTOFF,
    rules: Rules | None = None,
) -> list[Proposal]:
    """One proposal per cluster of unknown or fuzzy spellings; see the module docstring."""
    collector = Collector(resolver, cutoff, rules)
    for record in records:
        collector.add(record, None)
    for text in texts:
        collector.add_text(text)
    return collector.proposals()


def _proposals(collector: Collector) -> list[Proposal]:
    """Cluster the spellings, then one proposal per cluster, less the names no registry entry is."""
    by_key = collector.by_key
    clusters, expansions_of, acronyms_of = _clustered(collector)
    proposals: list[Proposal] = []
    resolver = collector.resolver
    taken_ids = {entry.id for entry in resolver.registry.entries}
    words = _words(collector.rules)
    for group in clusters.groups():
        found = _proposal(group, [by_key[k] for k in group], expansions_of, acronyms_of, resolver, taken_ids)
        if found is not None and not (found.action == "new" and _left_out(found.name, words)):
            proposals.append(found)
    return sorted(_merged(proposals), key=lambda p: (-p.seen, p.id, p.name))


def _clustered(
    collector: Collector,
) -> tuple[_Clusters, defaultdict[str, Counter[str]], defaultdict[str, Counter[str]]]:
    """The clusters of spelling keys, and each key's long forms and acronyms seen in the batch."""
    by_key = collector.by_key
    pairs: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for acronym, forms in collector.pairs.items():
        pairs[acronym].update(forms)
    written = (text for spelling in by_key.values() for text in spelling.spellings)
    for acronym, forms in acronym_pairs(written).items():
        pairs[acronym].update(forms)
    clusters = _Clusters(by_key)
    long_keys = sorted(k for k, spelling in by_key.items() if not spelling.acronym)
    spelled = [by_key[k].first.ref.text for k in long_keys]
    for index, text in enumerate(spelled):
        for _choice, _score, other in process.extract(
            text,
            spelled,
            scorer=fuzz.token_sort_ratio,
            processor=name_key,
            score_cutoff=collector.cutoff,
            limit=None,
        ):
            if other != index:
                clusters.union(long_keys[index], long_keys[other])
    expansions_of: defaultdict[str, Counter[str]] = defaultdict(Counter)
    acronyms_of: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for acronym, forms in sorted(pairs.items()):
        for form, count in forms.items():
            expansions_of[compact_key(acronym)][form] += count
            acronyms_of[name_key(form)][acronym] += count
            if compact_key(acronym) in by_key and name_key(form) in by_key:
                clusters.union(compact_key(acronym), name_key(form))
    return clusters, expansions_of, acronyms_of


def _proposal(
    group: list[str],
    spellings_in: list[_Spelling],
    expansions_of: Mapping[str, Counter[str]],
    acronyms_of: Mapping[str, Counter[str]],
    resolver: Resolver,
    taken_ids: set[str],
) -> Proposal | None:
    """The proposal for one cluster of spelling keys (None when it would add nothing)."""
    spellings: Counter[str] = Counter()
    for spelling in spellings_in:
        spellings.update(spelling.spellings)
    acronyms: Counter[str] = Counter()
    longs: Counter[str] = Counter()
    for text, count in spellings.items():
        (acronyms if acronym_like(text) else longs)[text] += count
    expansions: Counter[str] = Counter()
    known_acronyms: Counter[str] = Counter()
    for key in group:
        expansions.update(expansions_of.get(key, Counter()))
        known_acronyms.update(acronyms_of.get(key, Counter()))
    votes = _votes(spellings_in, expansions + known_acronyms, resolver)
    evidence = _evidence(spellings_in)
    notes = tuple(sorted({note for spelling in spellings_in for note in spelling.notes}))[:LIMIT]
    seen = sum(spelling.seen for spelling in spellings_in)
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
            reason=_target_reason(sum(sp.fuzzy[entry.id] for sp in spellings_in), expansions, entry),
            spellings=counts,
            notes=notes,
            evidence=evidence,
            seen=seen,
        )
    all_longs = longs + expansions
    name = _one_line(_most_common(all_longs) if all_longs else _most_common(acronyms))
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
        seen=seen,
    )


def _votes(spellings_in: list[_Spelling], written: Counter[str], resolver: Resolver) -> Counter[str]:
    """Registry entries the cluster names: its fuzzy matches, and its long forms or acronyms that resolve."""
    votes: Counter[str] = Counter()
    for spelling in spellings_in:
        votes.update(spelling.fuzzy)
    for text, count in written.items():
        hit = resolver.resolve(text)
        if hit.entry is not None:
            votes[hit.entry.id] += count
    return votes


def _evidence(spellings_in: list[_Spelling]) -> tuple[Evidence, ...]:
    """Where the cluster's spellings were written, by note and span."""
    items = [item for spelling in spellings_in for item in spelling.items]
    return tuple(
        Evidence(
            note=item.note,
            text=item.ref.text,
            span=item.ref.span,
            method=item.ref.match.method,
            score=item.ref.match.score,
        )
        for item in sorted(items, key=lambda i: (i.note, i.ref.span))
    )


@dataclass(frozen=True, slots=True)
class _Words:
    national_heads: frozenset[str]
    """Head words of a State's bodies (Ministry, Customs, Police ...)."""
    generic: frozenset[str]
    """Words that name a State's function without naming the State (Foreign, Affairs, Port ...)."""
    titles: frozenset[str]
    """Words that start or end a person's title (Director, Chairman, Members ...)."""
    state: frozenset[str]
    """Words that make a name a State's body when it starts with one (National, Federal ...)."""


def _words(rules: Rules) -> _Words:
    """The word lists of ``data/suggest.jsonl`` and the national-body heads of ``data/roles.jsonl``."""
    roles = role_rules(rules)
    heads = frozenset(h for h, kind in roles.national_heads.items() if kind == "government")
    generic: set[str] = set(roles.filler) | set(roles.name_heads) | set(roles.national_heads)
    by_kind: dict[str, set[str]] = {"national_word": generic, "person_title": set(), "state_word": set()}
    for row in rules.rows(SUGGEST_FILE, SuggestWordsRow):
        by_kind[row.kind].update(w.casefold() for w in row.words)
    state = by_kind["state_word"]
    return _Words(heads, frozenset(generic | state), frozenset(by_kind["person_title"]), frozenset(state))


_NAME_WORD = re.compile("[^\\W\\d_][\\w'\u2019.-]*")


def _left_out(name: str, words: _Words) -> bool:
    """True for a name that is no registry entry: a person's title ("Acting Director for Peace and
    Security Department"), or a State's body named without its State ("Customs", "Ministry of Foreign
    Affairs"): a government head word, and no other word that is not generic."""
    found = [w.strip("'\u2019.-").casefold() for w in _NAME_WORD.findall(name)]
    if not found:
        return False
    if found[0] in words.titles or found[-1] in words.titles:
        return True
    capital = [w for w, raw in zip(found, _NAME_WORD.findall(name), strict=True) if raw[:1].isupper()]

    def singular(word: str) -> set[str]:
        return {word, word.removesuffix("s"), word + "s"}

    has_head = any(singular(w) & words.national_heads for w in capital) or found[0] in words.state
    return has_head and all(singular(w) & (words.generic | words.national_heads) for w in capital)


def _merged(proposals: list[Proposal]) -> list[Proposal]:
    """Proposals that name one identity (``aliases`` for the same entry) as one."""
    by_id: dict[str, Proposal] = {}
    out: list[Proposal] = []
    for proposal in proposals:
        first = by_id.get(proposal.id) if proposal.action == "aliases" else None
        if first is None:
            if proposal.action == "aliases":
                by_id[proposal.id] = proposal
            out.append(proposal)
            continue
        merged = first.model_copy(
            update={
                "acronyms": tuple(sorted({*first.acronyms, *proposal.acronyms})),
                "aliases": tuple(sorted({*first.aliases, *proposal.aliases})),
                "spellings": dict(sorted((Counter(first.spellings) + Counter(proposal.spellings)).items())),
                "notes": tuple(sorted({*first.notes, *proposal.notes}))[:LIMIT],
                "evidence": tuple(
                    sorted({*first.evidence, *proposal.evidence}, key=lambda e: (e.note, e.span))
                ),
                "seen": first.seen + proposal.seen,
                "reason": first.reason
                if first.reason == proposal.reason
                else f"{first.reason}; {proposal.reason}",
            }
        )
        out[out.index(first)] = merged
        by_id[proposal.id] = merged
    return out


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


def _target_reason(fuzzy: int, expansions: Counter[str], entry: OrgEntry) -> str:
    """Why a cluster is taken as spellings of ``entry``."""
    parts = []
    if fuzzy:
        parts.append(f"{fuzzy} fuzzy match(es) to {entry.id}")
    if expansions:
        parts.append("written in the batch as " + ", ".join(f'"{f}"' for f in sorted(expansions)))
    return "spellings of an existing entry: " + ("; ".join(parts) or "acronym of its name")
