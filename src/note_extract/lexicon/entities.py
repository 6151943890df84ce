"""Stage 4: find organizations and countries in clean text with spaCy phrase matching.

Contract: :class:`EntityFinder` is built once from the registry and the country index. Text and
patterns are cut into tokens by one rule (words, dotted initialisms such as "U.S.", single punctuation
marks; whitespace of any kind only separates, so a name wrapped over lines still matches) and matched
on a ``spacy.blank`` vocabulary (no trained model, nothing downloaded) by two ``PhraseMatcher``s:
names and aliases case-insensitively (``LOWER``), acronyms case-sensitively
(``ORTH``), so "WHO" is found and "who" is not. Overlaps keep the longest match. A name right after a
capitalized word that is not a function word is the tail of a longer, unknown name ("National
Security Council" is not the Security Council) and is dropped. A name directly
followed by its own acronym — "Central American Integration System (SICA)", "... Export Control/BAFA"
— becomes one hit, and so does a parent written right before its child ("United States Department
of State Export Control and Related Border Security Program" is EXBS). Output hits are clean-text
spans; mapping to raw offsets is the caller's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

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


_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+|[^\w\s]")
_CAPITALIZED_BEFORE = re.compile(r"(?<![\w.])([A-Z][\w'-]*) $")
_ACRONYM_GLUE = re.compile(r"^\s*[(/-]?\s*$")
_ACRONYM_CLOSE = re.compile(r"\s*\)")


class EntityFinder:
    """Phrase matchers over the registry and the countries."""

    def __init__(
        self,
        registry: Registry,
        countries: CountryIndex,
        function_words: frozenset[str],
        language: str = "en",
    ) -> None:
        self.nlp: Any = spacy.blank(language)
        self.function_words = function_words
        self._names = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._acronyms = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._kinds: dict[str, tuple[HitKind, str]] = {}
        self._parents = {entry.id: entry.parent for entry in registry.entries if entry.parent is not None}
        for entry in registry.entries:
            label = f"org:{entry.id}"
            self._kinds[label] = ("org", entry.id)
            self._add(self._names, label, list(entry.names()))
            self._add(self._acronyms, label + "#acr", list(entry.acronyms))
            self._kinds[label + "#acr"] = ("org", entry.id)
        for code, names in countries.names.items():
            label = f"country:{code}"
            self._kinds[label] = ("country", code)
            self._add(self._names, label, list(names))
            acronyms = list(countries.acronyms.get(code, ()))
            self._add(self._acronyms, label + "#acr", acronyms)
            self._kinds[label + "#acr"] = ("country", code)

    def tokens(self, text: str) -> tuple[Doc, list[tuple[int, int]]]:
        """A spaCy Doc of ``text``'s tokens (whitespace of any kind and length only separates)."""
        offsets = [m.span() for m in _TOKEN.finditer(text)]
        words = [text[a:b] for a, b in offsets]
        return Doc(self.nlp.vocab, words=words, spaces=[True] * len(words)), offsets

    def _add(self, matcher: PhraseMatcher, label: str, phrases: list[str]) -> None:
        docs = [self.tokens(p)[0] for p in phrases if _TOKEN.search(p)]
        if docs:
            matcher.add(label, docs)

    def find(self, text: str) -> list[Hit]:
        """All hits in ``text``, non-overlapping, in order; see the module docstring."""
        doc, offsets = self.tokens(text)
        matches: list[tuple[int, int, str]] = []
        strings = self.nlp.vocab.strings
        for matcher in (self._names, self._acronyms):
            matches.extend((start, end, strings[match_id]) for match_id, start, end in matcher(doc))
        hits: list[Hit] = []
        for first, last, label in _longest_first(matches):
            kind, key = self._kinds[label]
            start, end = offsets[first][0], offsets[last - 1][1]
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
