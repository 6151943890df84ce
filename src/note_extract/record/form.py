"""How well a note's form was understood: features that hold across forms, for the confidence models.

Contract: :func:`form_features` describes the whole note (the share of its lines the layout accounted
for as header fields or section text, the markup left in the clean text, how many findings the
stages raised); :func:`around` describes the stretch of text around one value (markup and punctuation
left in it and beside it); :func:`debris` describes a value as read (digits in a name, a label glued
to it, brackets or quotes left unbalanced, markup). Every feature is a number in [0, 1]. These
functions know no form and no note: they only count what a form the reader did not fully understand
leaves behind. Nothing here reads a file or changes a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from note_extract.core.findings import Finding
from note_extract.core.spans import CleanSpan
from note_extract.layout.layout import Layout

Features = dict[str, float]

MARKUP = frozenset("<>{}[]|*#_\\=&~^`")
"""Characters of markup, escapes and containers that clean prose rarely holds."""
_PUNCT = frozenset("<>{}[]|*#_\\=&~^`;:\"'/+@%$")
_LABEL_GLUED = re.compile(r"(?:^|\s)[A-Z][\w/()-]{1,25}\s?:(?:\s|$)")
_DIGIT_RUN = re.compile(r"\d+")
_WINDOW = 40


def _cap(count: float, top: float) -> float:
    return min(count, top) / top


def _lines(text: str) -> list[CleanSpan]:
    """The ``[start, end)`` of every line that holds more than blanks."""
    out = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            out.append(CleanSpan(start, end))
        start = end + 1
    return out


def _accounted(layout: Layout) -> list[CleanSpan]:
    """The spans the layout read: header fields (label to value end), section headings and paragraphs."""
    spans = [CleanSpan(f.label_start, f.value_end) for f in layout.fields]
    for section in layout.sections:
        spans.extend(CleanSpan(*p) for p in section.paragraphs)
        first = section.paragraphs[0][0] if section.paragraphs else section.end
        if section.heading is not None or section.number is not None:
            spans.append(CleanSpan(section.start, max(section.start + 1, first)))
    return sorted(spans)


def _covered(lines: Sequence[CleanSpan], spans: Sequence[CleanSpan]) -> int:
    """How many lines overlap one of the (sorted) spans."""
    count = 0
    index = 0
    for a, b in lines:
        while index < len(spans) and spans[index][1] <= a:
            index += 1
        count += index < len(spans) and spans[index][0] < b
    return count


_BLANKS = frozenset(" \t\n")
_PATTERNS: dict[frozenset[str], re.Pattern[str]] = {}
_SHORT = 1000
"""Below this length a pattern counts faster than one count per mark."""


def _count(value: str, marks: frozenset[str]) -> int:
    if len(value) < _SHORT:
        pattern = _PATTERNS.get(marks)
        if pattern is None:
            pattern = _PATTERNS[marks] = re.compile("[" + re.escape("".join(sorted(marks))) + "]")
        return len(pattern.findall(value))
    return sum(value.count(mark) for mark in marks)


def density(value: str, marks: frozenset[str] = MARKUP) -> float:
    """The share of ``value``'s non-blank characters that are ``marks``, times 10, capped at 1."""
    chars = len(value) - _count(value, _BLANKS)
    if chars <= 0:
        return 0.0
    return _cap(10 * _count(value, marks) / chars, 1)


def form_features(text: str, layout: Layout, findings: Sequence[Finding]) -> Features:
    """What the whole note says of how well its form was read (prefixed ``form.``)."""
    lines = _lines(text)
    accounted = _accounted(layout)
    share = _covered(lines, accounted) / len(lines) if lines else 0.0
    head_lines = [line for line in lines if line[0] < layout.header_end]
    head_share = _covered(head_lines, accounted) / len(head_lines) if head_lines else 1.0
    head = text[: max(layout.header_end, 1)]
    return {
        "form.lines_read": share,
        "form.lines_left": 1.0 - share,
        "form.header_lines_left": 1.0 - head_share,
        "form.markup": density(text),
        "form.header_markup": density(head),
        "form.punct": density(text, _PUNCT),
        "form.issues": _cap(len(findings), 10),
        "form.no_sections": float(not layout.sections),
        "form.fields": _cap(len(layout.fields), 12),
    }


def around(text: str, start: int, end: int) -> Features:
    """Markup and punctuation in the value at ``[start, end)`` and in the text just beside it."""
    value = text[start:end]
    beside = text[max(0, start - _WINDOW) : start] + text[end : end + _WINDOW]
    return {
        "near.markup_in": density(value),
        "near.markup_beside": density(beside),
        "near.punct_beside": density(beside, _PUNCT),
    }


def _unbalanced(value: str) -> bool:
    pairs = (("(", ")"), ("[", "]"), ("{", "}"), ("<", ">"))
    quotes = value.count('"') % 2 or (value.count("\u201c") != value.count("\u201d"))
    return bool(quotes) or any(value.count(a) != value.count(b) for a, b in pairs)


def debris(value: str) -> Features:
    """What a value read from a half-understood form carries: digits that are not a year, a label glued
    to it ("... Date: ..."), unbalanced brackets or quotes, markup, an escape."""
    runs = _DIGIT_RUN.findall(value)
    odd_digits = sum(1 for r in runs if len(r) != 4)
    return {
        "debris.digits": _cap(odd_digits, 3),
        "debris.label": float(_LABEL_GLUED.search(value) is not None),
        "debris.unbalanced": float(_unbalanced(value)),
        "debris.markup": float(any(c in MARKUP for c in value)),
        "debris.escape": float("\\" in value or "&#" in value or "%" in value),
        "debris.tab": float("\t" in value),
    }
