"""Text that remembers where every character came from.

:class:`MappedText` pairs a string with, for each of its characters, the ``[start, end)`` range of
the raw text it was derived from (kept in two compact arrays). Edits return a new value (nothing is
mutated), and :meth:`MappedText.to_raw` turns any clean-text span back into raw offsets. A
character produced by a replacement maps to the whole raw range of the text it replaced, so
``raw[to_raw(...)]`` always covers what was written.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from note_extract.core.spans import CleanSpan, RawSpan

_COUNTING: array[int] = array("q")


class Finder(Protocol):
    """What finds the matches an edit replaces: a compiled pattern, or an object with its ``finditer``."""

    def finditer(self, string: str) -> Iterator[re.Match[str]]: ...


def _counting(n: int) -> array[int]:
    """``array([0, 1, ..., n - 1])`` or longer: one shared, growing array sliced by every identity map."""
    global _COUNTING
    if len(_COUNTING) < n:
        _COUNTING = array("q", range(max(n, 2 * len(_COUNTING))))
    return _COUNTING


@dataclass(frozen=True, slots=True)
class MappedText:
    """A string with a per-character map into the raw text."""

    text: str
    starts: array[int]
    ends: array[int]
    raw_length: int

    @classmethod
    def identity(cls, raw: str) -> MappedText:
        """The raw text mapped onto itself."""
        n = len(raw)
        counting = _counting(n + 1)
        return cls(raw, counting[:n], counting[1 : n + 1], n)

    def to_raw(self, span: CleanSpan) -> RawSpan:
        """The raw span covering a clean one; an empty span maps to a point."""
        start, end = span
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        if start == end:
            point = self.starts[start] if start < len(self.text) else self.raw_length
            return RawSpan(point, point)
        return RawSpan(self.starts[start], self.ends[end - 1])

    def edit(self, pattern: Finder, replace: Callable[[re.Match[str]], str | int]) -> MappedText:
        """Apply ``replace`` to every match of ``pattern`` (a compiled pattern, or anything that finds
        matches the same way).

        ``replace`` returns either the replacement string (each of its characters maps to the raw range
        of the whole match) or the number of a group to keep (its characters keep their own mapping).
        """
        pieces: list[str] = []
        starts: array[int] = array("q")
        ends: array[int] = array("q")
        last = 0
        changed = False
        for match in pattern.finditer(self.text):
            a, b = match.span()
            out = replace(match)
            if isinstance(out, str) and out == match.group(0):
                continue
            changed = True
            pieces.append(self.text[last:a])
            starts.extend(self.starts[last:a])
            ends.extend(self.ends[last:a])
            if isinstance(out, int):
                ga, gb = match.span(out)
                if ga >= 0:
                    pieces.append(self.text[ga:gb])
                    starts.extend(self.starts[ga:gb])
                    ends.extend(self.ends[ga:gb])
            elif out:
                rs = self.starts[a] if a < len(self.text) else self.raw_length
                re_ = self.ends[b - 1] if b > a else rs
                pieces.append(out)
                starts.extend(array("q", [rs]) * len(out))
                ends.extend(array("q", [re_]) * len(out))
            last = b
        if not changed:
            return self
        pieces.append(self.text[last:])
        starts.extend(self.starts[last:])
        ends.extend(self.ends[last:])
        return MappedText("".join(pieces), starts, ends, self.raw_length)

    def delete_spans(
        self, spans: Iterable[CleanSpan], joiner: Callable[[int, int], str] | None = None
    ) -> MappedText:
        """Remove the given clean spans (sorted, non-overlapping); ``joiner`` may supply glue text."""
        pieces: list[str] = []
        starts: array[int] = array("q")
        ends: array[int] = array("q")
        last = 0
        for span in spans:
            a, b = span
            pieces.append(self.text[last:a])
            starts.extend(self.starts[last:a])
            ends.extend(self.ends[last:a])
            glue = joiner(a, b) if joiner is not None else ""
            if glue:
                rs, re_ = self.to_raw(span)
                pieces.append(glue)
                starts.extend(array("q", [rs]) * len(glue))
                ends.extend(array("q", [re_]) * len(glue))
            last = b
        pieces.append(self.text[last:])
        starts.extend(self.starts[last:])
        ends.extend(self.ends[last:])
        return MappedText("".join(pieces), starts, ends, self.raw_length)
