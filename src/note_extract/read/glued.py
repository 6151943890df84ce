"""Glued words: words a text extraction ran together, parted again where the pieces are known words.

Contract: :func:`part_glued` takes a :class:`~note_extract.read.mapped.MappedText` and returns it with a
space put between the words of each glued token: a word run into the next with no space
("RegionalSeminar", "Dateandvenue", "thefinancial", "INFORMATIONNOTE"), a word glued to a
parenthesis ("Organization(OPCW)and") or to a number ("NOTE1"). A token is parted only where every
piece is a known word: the vocabulary of the rule files (header labels, the registry's names and
acronyms, country names, event kinds, date connectors, prose and wrapping words) and the word list
``data/words.jsonl``; a token that is itself a known word is never parted. The step acts on evidence:
only a text holding at least :data:`EVIDENCE` glued tokens is changed (one odd compound in a clean note
is left as written). Each space added maps to a point of the raw text; every other character keeps its
raw offset. It never removes a character and never raises because of the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from note_extract.core.spans import CleanSpan
from note_extract.read.mapped import MappedText
from note_extract.rules.bundle import REGISTRY_FILE, Rules, derived
from note_extract.rules.rows import (
    CountryRow,
    DateWordsRow,
    KindRow,
    LabelRow,
    OrgEntry,
    ProseRow,
    WordsRow,
    WrappingRow,
)

EVIDENCE = 3
"""Glued tokens (a word glued to a parenthesis or a number counts too) a text must hold before any is
parted; one of them at least a word run into another."""

_MIN_TOKEN = 5  # a shorter run of letters is never parted
_MIN_GLUED = 6  # a shorter one is parted only at a case change
_LONGEST = 24  # longest piece looked up
_SHORT = 3  # a shorter piece must be a short word of data/words.jsonl ("of", "de")
_SHORT_WORDS = frozenset(
    {"of", "on", "in", "to", "at", "by", "an", "de", "la", "le", "el", "en", "du", "et", "un", "au"}
)
_TOKEN = re.compile(r"[^\W\d_]{2,}(?:[''\u2019][^\W\d_]+)?")
_PAREN_BEFORE = re.compile(r"(?<=[^\W\d_]{2})\((?=[A-Z])")  # "Organization(OPCW"
_PAREN_AFTER = re.compile(r"(?<=[A-Z]\))(?=[^\W\d_]{2})")  # "OPCW)and"
_NUMBER_AFTER = re.compile(r"(?<=[^\W\d_]{3})(?=\d{1,4}\b)")  # "NOTE1"


def _split(phrase: str) -> Iterable[str]:
    return (w for w in re.split(r"[^\w']+", phrase.casefold()) if w)


@derived
def vocabulary(rules: Rules) -> frozenset[str]:
    """Every known word, case-folded (see the module docstring)."""
    words: set[str] = set()
    for row in rules.rows("labels.jsonl", LabelRow):
        for label in row.labels:
            words.update(_split(label))
    for entry in rules.rows(REGISTRY_FILE, OrgEntry):
        for name in (entry.name, *entry.aliases, *entry.acronyms):
            words.update(_split(name))
    for country in rules.rows("countries.jsonl", CountryRow):
        for name in (*country.names, *country.acronyms):
            words.update(_split(name))
    for kind in rules.rows("event_kinds.jsonl", KindRow):
        for word in kind.words:
            words.update(_split(word))
    for dates in rules.rows("date_words.jsonl", DateWordsRow):
        for word in (*dates.range, *dates.range_openers, *dates.list_joiners, *dates.day_month_links):
            words.update(_split(word))
    for prose in rules.rows("prose.jsonl", ProseRow):
        for word in prose.words:
            words.update(_split(word))
    for wrapping in rules.rows("wrapping.jsonl", WrappingRow):
        for word in wrapping.words:
            words.update(_split(word))
    return frozenset(words)


@derived
def listed_words(rules: Rules) -> frozenset[str]:
    """The words the notes write (``data/words.jsonl``), case-folded: never parted; a piece only
    between case changes."""
    rows = rules.rows("words.jsonl", WordsRow)
    return frozenset(w.casefold() for row in rows if row.kind == "word" for w in row.words)


@derived
def short_words(rules: Rules) -> frozenset[str]:
    """The words shorter than three letters that may be a piece (``data/words.jsonl``, kind short)."""
    rows = rules.rows("words.jsonl", WordsRow)
    return frozenset(w.casefold() for row in rows if row.kind == "short" for w in row.words)


class _Known:
    """Membership in either of two sets of words, without building their union."""

    __slots__ = ("first", "second", "short")

    def __init__(self, first: frozenset[str], second: set[str], short: frozenset[str]) -> None:
        self.first, self.second, self.short = first, second, short

    def __contains__(self, word: object) -> bool:
        return word in self.first or word in self.second


def _pieces(word: str, known: _Known) -> list[int] | None:
    """The cut positions that part ``word`` (case-folded) into the fewest known words, or None: each
    piece three letters or more, or a short function word ("of", "de")."""
    n = len(word)
    count = [0] + [-1] * n  # fewest pieces that fill word[:i], -1 when none does
    back = [0] * (n + 1)  # where the last of those pieces starts
    for end in range(1, n + 1):
        for start in range(max(0, end - _LONGEST), end):
            if count[start] < 0 or (start == 0 and end == n):
                continue
            piece = word[start:end]
            if piece not in known or (end - start < _SHORT and piece not in known.short):
                continue
            if count[end] < 0 or count[start] + 1 < count[end]:
                count[end], back[end] = count[start] + 1, start
    if count[n] < 2:
        return None
    cuts: list[int] = []
    at = back[n]
    while at > 0:
        cuts.append(at)
        at = back[at]
    return sorted(cuts)


def _cuts(token: str, known: _Known, whole: frozenset[str]) -> list[int] | None:
    """Where to part one token that is no word of ``whole``: at its case changes when each piece is
    known or parts itself, else wherever the fewest known words fill it."""
    folded = token.casefold()
    if folded in whole or folded in known.first:
        return None
    camel = [i for i in range(1, len(token)) if token[i - 1].islower() and token[i].isupper()]
    if camel:
        edges = [0, *camel, len(token)]
        cuts: list[int] = []
        for a, b in itertools.pairwise(edges):
            piece = folded[a:b]
            if piece in known or piece in whole:  # a case change is evidence enough for a listed word
                cuts.append(b)
                continue
            inner = _pieces(piece, known) if b - a >= _MIN_TOKEN else None
            if inner is None:
                return None
            cuts += [a + c for c in inner] + [b]
        return cuts[:-1]
    if len(token) < _MIN_GLUED:
        return None
    return _pieces(folded, known)


def _parted(tokens: list[str], known: _Known, whole: frozenset[str]) -> dict[str, list[int]]:
    """The tokens that part, and where."""
    found: dict[str, list[int]] = {}
    for token in tokens:
        cuts = _cuts(token, known, whole)
        if cuts:
            found[token] = cuts
    return found


def part_glued(rules: Rules, text: MappedText) -> MappedText:
    """``text`` with its glued tokens parted, when it holds enough of them; see the module docstring."""
    s = text.text
    tokens = set(_TOKEN.findall(s))
    own = {w.casefold() for w in tokens if len(w) >= _SHORT}
    known = _Known(vocabulary(rules), own, short_words(rules))
    whole = listed_words(rules)
    parted = _parted([t for t in tokens if len(t) >= _MIN_TOKEN], known, whole)
    if parted:  # a glued token is no word of the note: part again without the glued ones as pieces
        own -= {t.casefold() for t in parted}
        parted = _parted(list(parted), known, whole)
    if not parted:
        return text
    extra = [m.start() for p in (_PAREN_BEFORE, _PAREN_AFTER, _NUMBER_AFTER) for m in p.finditer(s)]
    glued = [m for m in _TOKEN.finditer(s) if m.group(0) in parted]
    if len(glued) + len(extra) < EVIDENCE:
        return text
    points = [m.start() + c for m in glued for c in parted[m.group(0)]]
    spans = [CleanSpan(p, p) for p in sorted(set(points + extra))]
    return text.delete_spans(spans, lambda a, b: " ")
