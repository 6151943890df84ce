"""The event's vocabulary as patterns: kind words, virtual-venue words, narrative cues, event nouns, and
the word lists of the prose reader and the venue reader (``prose.jsonl``).

Contract: each function builds one table from a rule file of the bundle it is given
(``event_kinds.jsonl``, ``venue.jsonl``, ``narrative.jsonl``, ``prose.jsonl``), once per bundle
(:func:`derived`); the words are data, never written here. The event stage, the prose reader and the
venue reader read them from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from note_extract.core.models import EventKind
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import KindRow, NarrativeRow, ProseRow, VenueRow


@derived
def kind_pattern(rules: Rules) -> tuple[re.Pattern[str], dict[str, EventKind]]:
    """Any event-kind word as a whole word, any case, and each word's (case-folded) kind."""
    table: dict[str, EventKind] = {}
    for row in rules.rows("event_kinds.jsonl", KindRow):
        for word in row.words:
            table.setdefault(word.casefold(), row.kind)
    words = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE), table


@derived
def virtual_pattern(rules: Rules) -> re.Pattern[str]:
    """Any word of ``venue.jsonl`` that makes a venue virtual, as a whole word, any case."""
    words = [w for row in rules.rows("venue.jsonl", VenueRow) for w in row.words]
    return re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )


def kind_words(rules: Rules) -> dict[str, EventKind]:
    """Every event-kind word of ``data/event_kinds.jsonl`` (case-folded) and its kind."""
    return kind_pattern(rules)[1]


@derived
def narrative_cues(rules: Rules) -> tuple[tuple[re.Pattern[str], int], ...]:
    """The weighted cue patterns of ``data/narrative.jsonl``."""
    rows = rules.rows("narrative.jsonl", NarrativeRow)
    return tuple(
        (re.compile(r"\b(?:" + "|".join(re.escape(w) for w in row.words) + r")\b", re.IGNORECASE), row.weight)
        for row in rows
    )


@derived
def event_nouns(rules: Rules) -> re.Pattern[str]:
    """Any event-kind word of ``data/event_kinds.jsonl``, as a whole word, any case."""
    words = "|".join(re.escape(w) for w in sorted(kind_words(rules), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


@derived
def prose_words(rules: Rules) -> dict[str, tuple[str, ...]]:
    """The words of each kind of ``data/prose.jsonl`` (cue rows aside), in file order."""
    words: dict[str, list[str]] = {}
    for row in rules.rows("prose.jsonl", ProseRow):
        if row.kind != "cue":
            words.setdefault(row.kind, []).extend(row.words)
    return {kind: tuple(found) for kind, found in words.items()}


def _prose_phrases(rules: Rules, kind: str) -> tuple[str, ...]:
    return tuple(p for row in rules.rows("prose.jsonl", ProseRow) if row.kind == kind for p in row.phrases)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _words(rules: Rules, kind: str) -> str:
    """The alternation of one kind's words, longest first."""
    return _alternation(prose_words(rules).get(kind, ()))


def _phrase(phrase: str) -> str:
    """A phrase as a pattern: its words escaped, any spacing between them."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


@derived
def abbreviations(rules: Rules) -> frozenset[str]:
    """Words (case-folded) after which a full stop ends no sentence ("Mr.", "U.S.")."""
    return frozenset(w.casefold() for w in prose_words(rules).get("abbreviation", ()))


@derived
def articles(rules: Rules) -> frozenset[str]:
    """Articles (case-folded) that open a capitalized run but belong to no event's name."""
    return frozenset(w.casefold() for w in prose_words(rules).get("article", ()))


@derived
def page_date_pattern(rules: Rules) -> re.Pattern[str]:
    """What stands before a page's own date, alone on its line start: "Posted on", "Publié le"."""
    return re.compile(rf"^[ \t]*(?:{_words(rules, 'page_date')})\b[^\n]{{0,14}}$", re.IGNORECASE)


@derived
def duration_pattern(rules: Rules) -> re.Pattern[str]:
    """A stated duration: a number (digits or a word) and a unit ("two-day", "3 jours")."""
    return re.compile(rf"(?P<n>\d{{1,2}}|[a-z]+)[- ](?:{_words(rules, 'duration_unit')})\b", re.IGNORECASE)


@derived
def trailing_place_pattern(rules: Rules) -> re.Pattern[str]:
    """A place word and a capitalized name of up to three words at the end of a name ("... in Minsk")."""
    return re.compile(
        rf"\s+(?:{_words(rules, 'trailing_place')})\s+(?P<place>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){{0,2}})$"
    )


@derived
def years_ago(rules: Rules) -> tuple[re.Pattern[str], dict[str, int]]:
    """ "N years ago" in each phrasing of ``years_ago`` rows (the number in group ``n0``, ``n1``, …), and
    the value of each spelled-out number (case-folded)."""
    values: dict[str, int] = {}
    for row in rules.rows("prose.jsonl", ProseRow):
        if row.kind == "number_words":
            values.update((w.casefold(), v) for w, v in zip(row.words, row.values, strict=True))
    number = "|".join([r"\d{1,3}", *(re.escape(w) for w in values)])
    forms = [
        _phrase(phrase).replace(re.escape("{n}"), rf"(?P<n{i}>{number})")
        for i, phrase in enumerate(_prose_phrases(rules, "years_ago"))
    ]
    return re.compile("|".join(forms), re.IGNORECASE), values


@derived
def adoption_pattern(rules: Rules) -> re.Pattern[str]:
    """A word that starts like an adoption ("adopted", "adoptée")."""
    return re.compile(rf"\b(?:{_words(rules, 'adoption')})", re.IGNORECASE)


@derived
def city_run(rules: Rules) -> re.Pattern[str]:
    """A capitalized name of up to four words, with a connector between two ("Port of Spain")."""
    word = r"[A-ZÀ-Þ][\w'\u2019.-]*"
    return re.compile(rf"{word}(?:[ \t]+(?:(?:{_words(rules, 'name_connector')})[ \t]+)?{word}){{0,3}}")


@derived
def place_article(rules: Rules) -> re.Pattern[str]:
    """An article after a place word ("in the", "à l'")."""
    return re.compile(rf"(?:{_words(rules, 'place_article')})\s+", re.IGNORECASE)


@derived
def demonym_government(rules: Rules) -> re.Pattern[str]:
    """A demonym before a word for its government ("the Peruvian Government"); the demonym in group 1."""
    return re.compile(rf"\b([A-Z][a-zà-ÿ]+)\s+(?:{_words(rules, 'government')})\b")


@derived
def government_of(rules: Rules) -> re.Pattern[str]:
    """What ends right before a country that names its government ("the Government of ")."""
    phrases = sorted(set(_prose_phrases(rules, "government_of")), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(_phrase(p) for p in phrases)})\s+$")
