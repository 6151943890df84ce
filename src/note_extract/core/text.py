"""Text keys shared by every layer: accent- and case-folding, and the keys names are compared on.

Contract: pure functions of a string. :func:`fold` lower-cases, strips accents and punctuation and
collapses spaces; :func:`name_key` is the key an organization name is looked up by (``&`` as "and",
"United Nations" as "un", British and American spellings as one, no "the"); :func:`compact_key` is
that key with its spaces removed, for acronym variants ("UN LIREC" and "UNLIREC").
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_only).strip()


_REWRITES = (
    (re.compile(r"\bunited nations\b"), "un"),
    (re.compile(r"\bu n\b"), "un"),
    (re.compile(r"\bcentre\b"), "center"),
    (re.compile(r"\borganisation"), "organization"),
    (re.compile(r"\bprogramme\b"), "program"),
    (re.compile(r"\bdefence\b"), "defense"),
    (re.compile(r"\bthe\b"), " "),
    (re.compile(r"\s+"), " "),
)


def name_key(text: str) -> str:
    """Normalized comparison key: folded, '&' as 'and', 'United Nations' as 'un', no 'the'."""
    key = fold(text.replace("&", " and "))
    for pattern, replacement in _REWRITES:
        key = pattern.sub(replacement, key)
    return key.strip()


def compact_key(text: str) -> str:
    """Key with every separator removed, for acronym variants ('UN LIREC' == 'UNLIREC')."""
    return name_key(text).replace(" ", "")
