"""Cells and rows of rebuilt header blocks (shared by :mod:`~note_extract.layout.tables` and
:mod:`~note_extract.layout.columns`).

Contract: a block is rebuilt as :data:`Piece` values, each either a clean-text span kept with its own
raw map or a short glue string (``": "``, a space, a line break). :func:`join_cell` joins the line
spans of one cell (a space; nothing after a line-end hyphen that splits a word, the hyphen dropped; a
line break before a line that opens a group of its own); :func:`label_row` writes a row as
``label: value``. Nothing here reads or changes the note itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from note_extract.core.spans import CleanSpan
from note_extract.layout.labels import field_of_label
from note_extract.rules.bundle import Rules

Piece = CleanSpan | str  # a clean span kept with its raw map, or new glue text

_GROUP_START = re.compile(r"[A-Z][\w ,'/()-]{1,60}?[ \t]*:[ \t]+\S")
_HYPHEN_END = re.compile(r"[a-z\u00e0-\u00ff]-$")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the clean text: its bounds and its text."""

    start: int
    end: int
    text: str


def lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets."""
    out = []
    pos = 0
    for piece in text.split("\n"):
        out.append(Line(pos, pos + len(piece), piece))
        pos += len(piece) + 1
    return out


def strip(text: str, a: int, b: int) -> CleanSpan:
    """``[a, b)`` of the clean text without the spaces and TABs at its ends."""
    while a < b and text[a] in " \t":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    return CleanSpan(a, b)


def is_label(rules: Rules, text: str) -> bool:
    """True when ``text`` (a trailing colon allowed) is a header label."""
    label = text.strip().rstrip(":").strip()
    return bool(label) and field_of_label(rules, label) is not None


def joined(text: str, spans: list[CleanSpan]) -> str:
    """The text of ``spans`` joined by spaces."""
    return " ".join(text[a:b] for a, b in spans)


def join_cell(text: str, spans: list[CleanSpan]) -> list[Piece]:
    """The pieces of one cell: its line spans joined by a space, by nothing after a line-end hyphen
    that splits a word (the hyphen dropped), or by a line break before a line that opens a group of
    its own ("International organizations: ...")."""
    out: list[Piece] = []
    for span in spans:
        a, b = span
        if b <= a:
            continue
        if out:
            last = out[-1]
            assert not isinstance(last, str)
            if _HYPHEN_END.search(text, last.start, last.end) and text[a].islower():
                out[-1] = CleanSpan(last.start, last.end - 1)
            elif _GROUP_START.match(text, a, b):
                out.append("\n")  # a line that opens a group ("International organizations: ...")
            else:
                out.append(" ")
        out.append(span)
    return out


def label_row(text: str, label: list[CleanSpan], values: list[list[CleanSpan]]) -> list[Piece]:
    """``label: value`` pieces of one row (``values`` are the cells after the label cell)."""
    pieces = join_cell(text, label)
    if label and not joined(text, label).rstrip().endswith(":"):
        pieces.append(": ")
    elif label:
        pieces.append(" ")
    first = True
    for cell in values:
        cell_pieces = join_cell(text, cell)
        if not cell_pieces:
            continue
        if not first:
            pieces.append(" ")
        pieces.extend(cell_pieces)
        first = False
    return pieces
