"""The two coordinate systems of a note, as two types the type checker keeps apart.

Every stage after normalization works on the clean text and speaks in :class:`CleanSpan`; a record
speaks in :class:`RawSpan`, offsets into the note as decoded. Both are ``[start, end)`` pairs and
unpack like tuples, but neither is accepted where the other is expected, so a clean offset cannot
reach a record unmapped. :meth:`note_extract.read.mapped.MappedText.to_raw` is the one way from the
first to the second.
"""

from __future__ import annotations

from typing import NamedTuple


class CleanSpan(NamedTuple):
    """``[start, end)`` in a note's clean text."""

    start: int
    end: int


class RawSpan(NamedTuple):
    """``[start, end)`` in a note's raw text (as decoded; for a PDF, the text its pages gave)."""

    start: int
    end: int
