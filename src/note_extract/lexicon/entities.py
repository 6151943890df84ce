"""Stage 4: find organizations and countries in clean text by phrase matching over tokens.

Contract: :class:`EntityFinder` is built once from the registry and the country index. Text and
patterns are cut into tokens by one rule (words, dotted initialisms such as "U.S.", single punctuation
marks; whitespace of any kind only separates, so a name wrapped over lines still matches) and matched
by two token tables that match as spaCy's ``PhraseMatcher`` does (every phrase at every token, all
lengths): names and aliases case-insensitively (on each token's ``lower()``, spaCy's ``LOWER``),
acronyms case-sensitively (``ORTH``), so "WHO" is found and "who" is not. The tables hold plain
strings: a note adds nothing to them, so memory stays flat however many notes and new words pass.
Overlaps keep the longest match. A name right after a capitalized word that is not a function word is
the tail of a longer, unknown name ("National Security Council" is not the Security Council) and is
dropped. A name directly followed by its own acronym — "Central American Integration System (SICA)",
"... Export Control/BAFA" — becomes one hit, and so does a parent written right before its child
("United States Department of State Export Control and Related Border Security Program" is EXBS).
Output hits are clean-text spans; mapping to raw offsets is the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Literal

from note_extract.core.spans import CleanSpan
from note_extract.lexicon.countries import CountryIndex
from note_extract.lexicon.registry import Registry

HitKind = Literal["org", "country"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One recognized name: clean-text span, what it is, and its registry id or country code."""

    start: int
    end: int
    kind: HitKind
    key: str
    acronym: bool

    @property
    def span(self) -> CleanSpan:
        """Where the name is written."""
        return CleanSpan(self.start, self.end)


_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+|[^\w\s]")
_CAPITALIZED_BEFORE = re.compile(r"(?<![\w.])([A-Z][\w'-]*) $")
_ACRONYM_GLUE = re.compile(r"^\s*[(/-]?\s*$")
_ACRONYM_CLOSE = re.compile(r"\s*\)")


class _Node:
    """One node of a phrase table: the next token keys, and the labels of the phrases that end here."""

    __slots__ = ("labels", "next")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.labels: list[str] = []


class _PhraseTable:
    """Phrases as token sequences and the labels each one stands for (a trie of token keys)."""

    def __init__(self) -> None:
        self.root = _Node()

    def add(self, label: str, keys: Sequence[str]) -> None:
        node = self.root
        for key in keys:
            node = node.next.setdefault(key, _Node())
        if label not in node.labels:
            node.labels.append(label)

    def find(self, keys: Sequence[str]) -> list[tuple[int, int, str]]:
        """Every ``(start, end, label)`` whose phrase is ``keys[start:end]``: at every start, every
        length, overlaps included (as spaCy's ``PhraseMatcher`` returns them)."""
        found: list[tuple[int, int, str]] = []
        first = self.root.next
        count = len(keys)
        # Only the tokens that start some phrase are walked (picked out without a Python step each).
        for start in compress(range(count), map(first.__contains__, keys)):
            node: _Node | None = first[keys[start]]
            end = start + 1
            while node is not None:
                if node.labels:
                    found.extend((start, end, label) for label in node.labels)
                if end == count:
                    break
                node = node.next.get(keys[end])
                end += 1
        return found


class EntityFinder:
    """Phrase tables over the registry and the countries."""

    def __init__(
        self,
        registry: Registry,
        countries: CountryIndex,
        function_words: frozenset[str],
    ) -> None:
        self.function_words = function_words
        self._names = _PhraseTable()
        self._acronyms = _PhraseTable()
        self._kinds: dict[str, tuple[HitKind, str]] = {}
        self._parents = {entry.id: entry.parent for entry in registry.entries if entry.parent is not None}
        for entry in registry.entries:
            label = f"org:{entry.id}"
            self._kinds[label] = ("org", entry.id)
            self._add(label, list(entry.names()), acronyms=False)
            self._add(label + "#acr", list(entry.acronyms), acronyms=True)
            self._kinds[label + "#acr"] = ("org", entry.id)
        for code, names in countries.names.items():
            label = f"country:{code}"
            self._kinds[label] = ("country", code)
            self._add(label, list(names), acronyms=False)
            self._add(label + "#acr", list(countries.acronyms.get(code, ())), acronyms=True)
            self._kinds[label + "#acr"] = ("country", code)

    def tokens(self, text: str) -> tuple[list[str], list[re.Match[str]]]:
        """``text``'s tokens and the match of each, which says where it stands (whitespace of any kind
        and length only separates)."""
        matches = list(_TOKEN.finditer(text))
        return [m.group() for m in matches], matches

    def _add(self, label: str, phrases: list[str], *, acronyms: bool) -> None:
        table = self._acronyms if acronyms else self._names
        for phrase in phrases:
            words = self.tokens(phrase)[0]
            if words:
                table.add(label, words if acronyms else [w.lower() for w in words])

    def find(self, text: str) -> list[Hit]:
        """All hits in ``text``, non-overlapping, in order; see the module docstring."""
        words, tokens = self.tokens(text)
        matches = self._names.find([w.lower() for w in words])
        matches.extend(self._acronyms.find(words))
        hits: list[Hit] = []
        for first, last, label in _longest_first(matches):
            kind, key = self._kinds[label]
            start, end = tokens[first].start(), tokens[last - 1].end()
            acronym = label.endswith("#acr")
            hit = Hit(start, end, kind, key, acronym)
            if (
                kind == "org"
                and not acronym
                and self._embedded(text, start)
                and not (hits and self._is_parent_before(text, hits[-1], hit))
            ):
                continue
            hits.append(hit)
        return self._merge_parents(text, _merge_acronyms(text, hits))

    def _is_parent_before(self, text: str, before: Hit, hit: Hit) -> bool:
        """True when ``before`` is ``hit``'s parent and only whitespace separates them."""
        return (
            before.kind == "org"
            and self._parents.get(hit.key) == before.key
            and not text[before.end : hit.start].strip()
        )

    def _merge_parents(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Join a parent written right before its child into the child: "Caribbean Community (CARICOM)
        Implementation Agency for Crime and Security" is one organization, CARICOM IMPACS."""
        merged: list[Hit] = []
        for hit in hits:
            if merged and hit.kind == "org" and self._is_parent_before(text, merged[-1], hit):
                merged[-1] = Hit(merged[-1].start, hit.end, "org", hit.key, False)
            else:
                merged.append(hit)
        return merged

    def _embedded(self, text: str, start: int) -> bool:
        """True when a name is the tail of a longer proper name ("National [Security Council]")."""
        before = _CAPITALIZED_BEFORE.search(text, max(0, start - 40), start)
        return before is not None and before.group(1).casefold() not in self.function_words


def _longest_first(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping token matches ``(start, end, label)``: longest first, then earliest (the rule of
    ``spacy.util.filter_spans``), returned in text order."""
    taken: set[int] = set()
    kept = []
    for start, end, label in sorted(matches, key=lambda m: (m[0] - m[1], m[0], m[2])):
        if start in taken or end - 1 in taken:
            continue
        kept.append((start, end, label))
        taken.update(range(start, end))
    return sorted(kept)


def _merge_acronyms(text: str, hits: list[Hit]) -> list[Hit]:
    """Join a name and the acronym of the same identity that follows it into one hit."""
    merged: list[Hit] = []
    index = 0
    while index < len(hits):
        hit = hits[index]
        if index + 1 < len(hits):
            nxt = hits[index + 1]
            between = text[hit.end : nxt.start]
            if (
                not hit.acronym
                and nxt.key == hit.key
                and nxt.kind == hit.kind
                and _ACRONYM_GLUE.match(between)
            ):
                end = nxt.end
                close = _ACRONYM_CLOSE.match(text, end)
                if "(" in between and close is not None:
                    end = close.end()
                merged.append(Hit(hit.start, end, hit.kind, hit.key, False))
                index += 2
                continue
        merged.append(hit)
        index += 1
    return merged
