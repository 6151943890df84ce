"""The header label vocabulary and its tolerant matcher.

Contract: :func:`label_regex` is one compiled pattern that matches any label of ``data/labels.jsonl``
as written in a converted note: in any case, with any spacing, wrapped over two lines, with a trailing
``(s)``, and with OCR confusables (``0``/``O``, ``1``/``l``/``I``, ``rn``/``m``, ``q``/``g``, the
``ﬁ``/``ﬂ``/``ﬀ`` ligatures). :func:`field_of_label` maps the text a match saw back to its field
through a confusable-blind key, so ``0rganizers`` and ``ORGANIZERS`` both give ``organizers``. Nothing
here changes the text: callers keep the label as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from note_extract.lexicon.resolve import one_edit_apart
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import FieldName, LabelRow

# Each letter of a label and what OCR or a converter may have written for it.
_CONFUSABLE: dict[str, str] = {
    "o": "[o0]",
    "l": "[l1i]",
    "i": "[il1]",
    "m": "(?:m|rn)",
    "g": "[gq]",
    "'": "['\u2019]",
}
_LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))
_SPACE = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
_KEY_SWAPS = (("rn", "m"), ("0", "o"), ("1", "l"), ("i", "l"), ("q", "g"), ("\u2019", "'"))
_KEY_SPACES = re.compile(r"\s+")
_PLURAL = re.compile(r"\s*\(s\)$")


def label_key(text: str) -> str:
    """A key that is equal for a label and any tolerated spelling of it."""
    key = _PLURAL.sub("", _KEY_SPACES.sub(" ", text.strip()).casefold())
    for whole, ligature in _LIGATURES:
        key = key.replace(ligature, whole)
    key = key.replace(" -", "-").replace("- ", "-")
    for seen, meant in _KEY_SWAPS:
        key = key.replace(seen, meant)
    return key


def _tolerant(label: str) -> str:
    out: list[str] = []
    index = 0
    text = label.casefold()
    while index < len(text):
        ligature = next(((w, lig) for w, lig in _LIGATURES if text.startswith(w, index)), None)
        if ligature is not None:
            out.append(f"(?:{_tolerant_plain(ligature[0])}|{ligature[1]})")
            index += len(ligature[0])
            continue
        out.append(_tolerant_plain(text[index]))
        index += 1
    return "".join(out)


def _tolerant_plain(text: str) -> str:
    parts = []
    for char in text:
        if char.isspace():
            parts.append(_SPACE)
        elif char == "-":
            parts.append(r"[ \t]?-[ \t]?")
        else:
            parts.append(_CONFUSABLE.get(char, re.escape(char)))
    return "".join(parts)


@derived
def label_fields(rules: Rules) -> dict[str, FieldName]:
    """Every label's key and its field."""
    table: dict[str, FieldName] = {}
    for row in rules.rows("labels.jsonl", LabelRow):
        for label in row.labels:
            table.setdefault(label_key(label), row.field)
    return table


@derived
def label_alternatives(rules: Rules) -> str:
    """The tolerant alternation of every label, longest first, with an optional trailing ``(s)``."""
    labels = sorted(
        {label for row in rules.rows("labels.jsonl", LabelRow) for label in row.labels},
        key=lambda s: (-len(s), s),
    )
    return "(?:" + "|".join(_tolerant(label) for label in labels) + r")(?:[ \t]*\(s\))?"


@derived
def label_regex(rules: Rules) -> re.Pattern[str]:
    """A label followed by a colon or the end of its line (a label cell alone)."""
    return re.compile(rf"(?P<label>{label_alternatives(rules)})(?![\w])", re.IGNORECASE)


def field_of_label(rules: Rules, text: str) -> FieldName | None:
    """The field of a label as written, or None when it is no known label. A label written in two
    languages parted by a slash ("Fecha y lugar / Date and venue") is one label when both halves are
    labels of one field."""
    found = label_fields(rules).get(_label_key(text))
    if found is None and " / " in text:
        halves = {label_fields(rules).get(_label_key(half)) for half in text.split(" / ")}
        return halves.pop() if len(halves) == 1 else None
    return found


_label_key = lru_cache(maxsize=4096)(label_key)

_NEAR_LENGTH = 7
"""Labels this long or longer are still read with one letter wrong, missing, extra or swapped."""


def near_label(rules: Rules, text: str) -> FieldName | None:
    """The field of a label written with one typo ("Partcipants", "Organsiers"), or None: only for a
    label of at least seven letters, and only when every label that close is of one field."""
    key = _label_key(text)
    if len(key) < _NEAR_LENGTH:
        return None
    fields = {
        field
        for known, field in label_fields(rules).items()
        if len(known) >= _NEAR_LENGTH and one_edit_apart(key, known)
    }
    return fields.pop() if len(fields) == 1 else None


@derived
def label_last_words(rules: Rules) -> frozenset[str]:
    """The keys of every label's last word (a colon after any other word ends no label)."""
    return frozenset(label_key(label.split()[-1]) for label in _all_labels(rules))


def _all_labels(rules: Rules) -> list[str]:
    return [label for row in rules.rows("labels.jsonl", LabelRow) for label in row.labels]
