"""The event's vocabulary as patterns: kind words, virtual-venue words, narrative cues, event nouns.

Contract: each function builds one table from a rule file of the bundle it is given
(``event_kinds.jsonl``, ``venue.jsonl``, ``narrative.jsonl``), once per bundle (:func:`derived`); the
words are data, never written here. The event stage and the prose reader both read them from here.
"""

from __future__ import annotations

import re

from note_extract.core.models import EventKind
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import KindRow, NarrativeRow, VenueRow


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
