"""Which language a note is written in, from frequent words listed in ``data/languages.jsonl``.

Contract: :func:`detect_language` returns the ISO 639-1 code whose words occur most often in the
text (English on a tie or an empty text). Cheap by design: it counts whole words, nothing more.
"""

from __future__ import annotations

import re
from collections import Counter

from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import LanguageRow

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 3000
"""Characters read: the header and first paragraphs tell the language as well as the whole note."""


@derived
def _tables(rules: Rules) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((row.code, frozenset(row.words)) for row in rules.rows("languages.jsonl", LanguageRow))


def detect_language(rules: Rules, text: str) -> str:
    """The code of the language whose frequent words are most common in the first ``_SAMPLE``
    characters of ``text``."""
    counts = Counter(w.casefold() for w in _WORD.findall(text, 0, _SAMPLE))
    best, best_score = "en", 0
    for code, words in _tables(rules):
        score = sum(counts[w] for w in words)
        if score > best_score:
            best, best_score = code, score
    return best
