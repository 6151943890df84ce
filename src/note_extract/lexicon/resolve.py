"""Alias resolution: a written organization name to one registry identity, or to none.

Contract: :class:`Resolver` answers :meth:`Resolver.resolve` for one isolated name. Order: the
canonical name on a normalized key (``exact``); a listed alias or acronym on the same key, or an
acronym with its spaces and hyphens removed (``alias``); rapidfuzz similarity on the keys of long
names, accepted only at or above ``fuzzy_cutoff`` and ``fuzzy_margin`` points ahead of the best
other identity (``fuzzy``). Anything else is ``unresolved`` and carries the best candidates. Short or
acronym-like names are never matched fuzzily, and a key listed by two entries resolves to neither.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from note_extract.core.text import compact_key, name_key
from note_extract.lexicon.registry import Registry
from note_extract.rules.rows import OrgEntry

_TOKENS = re.compile(r"[^\W_]+")


def acronym_like(text: str) -> bool:
    """True for a short run of capitalized tokens ('UN LIRECC', 'BWC-ISU'): never matched fuzzily."""
    tokens = _TOKENS.findall(text)
    return 0 < len(tokens) <= 3 and all(sum(c.isupper() for c in t) >= max(2, len(t) // 2) for t in tokens)


Method = Literal["exact", "alias", "fuzzy", "unresolved"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of resolving one name."""

    entry: OrgEntry | None
    method: Method
    score: float
    candidates: tuple[tuple[OrgEntry, float], ...] = ()
    ambiguous: tuple[OrgEntry, ...] = ()


@dataclass
class Resolver:
    """Name-to-identity lookup over a :class:`~note_extract.lexicon.registry.Registry`."""

    registry: Registry
    fuzzy_cutoff: float = 90.0
    fuzzy_margin: float = 3.0
    min_fuzzy_length: int = 8
    _exact: dict[str, set[str]] = field(init=False, default_factory=dict)
    _alias: dict[str, set[str]] = field(init=False, default_factory=dict)
    _compact: dict[str, set[str]] = field(init=False, default_factory=dict)
    _choices: list[str] = field(init=False, default_factory=list)
    _choice_ids: list[str] = field(init=False, default_factory=list)
    _acronym_choices: list[str] = field(init=False, default_factory=list)
    _acronym_ids: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        exact: defaultdict[str, set[str]] = defaultdict(set)
        alias: defaultdict[str, set[str]] = defaultdict(set)
        compact: defaultdict[str, set[str]] = defaultdict(set)
        for entry in self.registry.entries:
            exact[name_key(entry.name)].add(entry.id)
            for name in entry.aliases:
                alias[name_key(name)].add(entry.id)
            for acronym in entry.acronyms:
                alias[name_key(acronym)].add(entry.id)
                compact[compact_key(acronym)].add(entry.id)
                self._acronym_choices.append(compact_key(acronym))
                self._acronym_ids.append(entry.id)
            for name in entry.names():
                key = name_key(name)
                if len(key) >= self.min_fuzzy_length:
                    self._choices.append(key)
                    self._choice_ids.append(entry.id)
        self._exact = dict(exact)
        self._alias = dict(alias)
        self._compact = dict(compact)

    def _entries(self, ids: set[str]) -> tuple[OrgEntry, ...]:
        return tuple(self.registry.by_id[i] for i in sorted(ids))

    def resolve(self, text: str) -> Verdict:
        """Resolve one isolated name; see the module docstring for the order of attempts."""
        key = name_key(text)
        if not key:
            return Verdict(None, "unresolved", 0.0)
        tables: tuple[tuple[dict[str, set[str]], Method], ...] = (
            (self._exact, "exact"),
            (self._alias, "alias"),
        )
        for table, method in tables:
            ids = table.get(key)
            if ids:
                if len(ids) > 1:
                    return Verdict(None, "unresolved", 100.0, ambiguous=self._entries(ids))
                return Verdict(self.registry.by_id[next(iter(ids))], method, 100.0)
        if len(key.split()) <= 3:
            ids = self._compact.get(key.replace(" ", ""))
            if ids:
                if len(ids) > 1:
                    return Verdict(None, "unresolved", 100.0, ambiguous=self._entries(ids))
                return Verdict(self.registry.by_id[next(iter(ids))], "alias", 100.0)
        if acronym_like(text):
            candidates = self.candidates(key.replace(" ", ""), acronyms=True)
            return Verdict(None, "unresolved", candidates[0][1] if candidates else 0.0, candidates)
        candidates = self.candidates(key)
        if len(key) >= self.min_fuzzy_length and candidates:
            best, score = candidates[0]
            runner_up = candidates[1][1] if len(candidates) > 1 else 0.0
            if score >= self.fuzzy_cutoff and score - runner_up >= self.fuzzy_margin:
                return Verdict(best, "fuzzy", score, candidates)
        return Verdict(None, "unresolved", candidates[0][1] if candidates else 0.0, candidates)

    def candidates(
        self, key: str, limit: int = 3, acronyms: bool = False
    ) -> tuple[tuple[OrgEntry, float], ...]:
        """The best distinct registry entries for a key (names, or compact acronyms), best first."""
        choices, ids = (
            (self._acronym_choices, self._acronym_ids) if acronyms else (self._choices, self._choice_ids)
        )
        if not choices:
            return ()
        hits = process.extract(key, choices, scorer=fuzz.ratio, processor=None, limit=limit * 4)
        best: dict[str, float] = {}
        for _choice, score, index in hits:
            org_id = ids[index]
            best[org_id] = max(best.get(org_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return tuple((self.registry.by_id[i], round(s, 1)) for i, s in ranked)


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with at most one letter wrong, missing, extra, or two letters swapped."""
    return abs(len(a) - len(b)) <= 1 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1
