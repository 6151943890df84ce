"""Stage 2: split the clean text into header fields and body sections.

Input: :class:`~note_extract.read.normalize.Normalized` (with table-like header blocks already rebuilt as
``Label: value`` lines by :mod:`~note_extract.layout.tables`). Output: :class:`Layout` — the labelled header
fields and the sections. A field is a label of ``data/labels.jsonl`` (matched tolerantly by
:mod:`~note_extract.layout.labels`: case, spacing, a label wrapped onto the next line, ``(s)``, OCR
confusables; the label is kept as written) followed by a colon (or a table bar, or the semicolon OCR
reads for a colon): markdown-table rows, bold or plain ``Label: value`` lines, a label alone with its
value on the following lines, values wrapped over several lines. A value ends at the next label,
always, even on the same line ("... Region 0rganizers: ..."), and at a stop the header's shape set
(:attr:`~note_extract.read.normalize.Normalized.stops`); a date value goes on to the next line
only after a range connector. Sections: headings numbered or not, with or without ``#``; bare names
from ``data/sections.jsonl``. Heading levels are never taken from the count of ``#``. Contact lines
(``mark`` rules of ``data/furniture.jsonl``) are left out of section text and returned as furniture.
All spans here are clean-text spans; later stages map them to raw offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from note_extract.core.spans import CleanSpan
from note_extract.layout.labels import (
    field_of_label,
    label_alternatives,
    label_key,
    label_last_words,
    near_label,
)
from note_extract.read.normalize import Normalized, furniture_rules
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import FieldName, SectionRow


@dataclass(frozen=True, slots=True)
class HeaderField:
    """A labelled header field: the label as written and the value's clean span."""

    field: FieldName
    label: str
    label_start: int
    value_start: int
    value_end: int


@dataclass(frozen=True, slots=True)
class SectionPart:
    """A section in clean-text offsets; ``paragraphs`` are the spans that make up its text."""

    number: str | None
    heading: str | None
    start: int
    end: int
    paragraphs: tuple[CleanSpan, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """Header fields in order of appearance, sections in order, contact lines set apart."""

    fields: tuple[HeaderField, ...]
    header_end: int
    sections: tuple[SectionPart, ...]
    contacts: tuple[CleanSpan, ...]

    def first(self, name: FieldName) -> HeaderField | None:
        """The first field with this name, if any."""
        return next((f for f in self.fields if f.field == name), None)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


@derived
def _label_line(rules: Rules) -> re.Pattern[str]:
    """A header line: an optional table bar, a label (possibly wrapped onto the next line), a colon
    (a cell bar, or the semicolon OCR reads for a colon), and the value up to the end of the line the
    label ends on."""
    return re.compile(
        rf"[ \t]*(?P<pipe>\|[ \t]*)?(?P<label>{label_alternatives(rules)})[ \t]*"
        rf"(?:(?(pipe):?[ \t]*\||::?[ \t]*\|?)|[;|=])[ \t]*(?P<value>(?:[^\n]*[^ \t|\n])?)[ \t|]*$",
        re.IGNORECASE | re.MULTILINE,
    )


@derived
def _inline_label(rules: Rules) -> re.Pattern[str]:
    """A label right before a colon inside a value: where the value before it ends ("... 0rganizers:")."""
    return re.compile(rf"(?P<label>{label_alternatives(rules)})[ \t]*", re.IGNORECASE)


_WORD_START = re.compile(r"(?<=[\s,;.])\S")
_INLINE_REACH = 60  # characters before a colon where its label may start
_INLINE_WORDS = 6  # words before a colon tried as the label's first word, farthest first


@derived
def _heading_patterns(rules: Rules) -> tuple[re.Pattern[str], ...]:
    names = [h for row in rules.rows("sections.jsonl", SectionRow) for h in row.headings]
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return (
        re.compile(r"^[ \t]*#{1,6}[ \t]+(?:(?P<num>" + _NUMBER + r")[.)]?[ \t]+)?(?P<heading>\S.*?)[ \t#]*$"),
        re.compile(
            r"^[ \t]*(?P<num>" + _NUMBER + r")[.)][ \t]+(?P<heading>[A-Z\u00c0-\u00de][^\n]{0,90}?)[ \t]*$"
        ),
        re.compile(rf"^[ \t]*(?P<num>)(?P<heading>{alternatives})[ \t]*:?[ \t]*$", re.IGNORECASE),
    )


_NUMBER = r"\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}"
_TABLE_RULE = re.compile(r"^[ \t]*\|[-:| \t]+\|?[ \t]*$")
_DATE_FIELDS = frozenset({"date", "start_date", "end_date"})
_OPEN_DATE = re.compile(r"(?:[,&-]|\b(?:to|and|until|au|et|al|y|hasta))[ \t]*$", re.IGNORECASE)
_GROUP_LABEL = re.compile(r"^[ \t]*[A-Z][\w ,'/()-]{1,70}?[ \t]*:[ \t]+\S")


_OTHER_LABEL = re.compile(r"^[ \t]*[A-Z][A-Za-z]+(?: [A-Za-z]+){0,2}[ \t]*:[ \t]+\S")
"""A short label the vocabulary does not know ("Event Type: …", "Share: …")."""
_GROUPED_FIELDS = frozenset({"participants", "observers"})
"""Fields whose value holds its own labelled groups ("States: …")."""
_PARAGRAPH_WIDTH = 100
"""A line longer than this that ends a sentence, after a blank line, starts the body."""


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for piece in text.split("\n"):
        lines.append(_Line(pos, pos + len(piece), piece))
        pos += len(piece) + 1
    return lines


def _heading(rules: Rules, line: _Line) -> tuple[str | None, str, int] | None:
    """(number, heading, heading start) when the line is a section heading."""
    stripped = line.text.strip()
    if not stripped or len(stripped) > 100:
        return None
    for index, pattern in enumerate(_heading_patterns(rules)):
        match = pattern.match(line.text)
        if match is None:
            continue
        heading = match.group("heading").strip().rstrip(":").strip()
        if index == 1 and (heading.endswith((".", ";", ",")) or len(heading.split()) > 10):
            continue
        if not heading:
            continue
        number = match.group("num") or None
        return number, heading, line.start + match.start("heading")
    return None


def _field_of(rules: Rules, text: str, line: _Line) -> tuple[FieldName, re.Match[str]] | None:
    # A label ends in a colon or a bar on this line or, wrapped, on the next: a cheap test first.
    following = text.find("\n", line.end + 1)
    window_end = len(text) if following < 0 else following
    if all(text.find(mark, line.start, window_end) < 0 for mark in ":|;"):
        return None
    match = _label_line(rules).match(text, line.start)
    if match is not None:
        name = field_of_label(rules, match.group("label"))
        return (name, match) if name is not None else None
    both = _TWO_LABEL_LINE.match(text, line.start)
    if both is not None:  # "Fecha y lugar / Date and venue:": one label in two languages
        names = {name for part in ("first", "second") if (name := field_of_label(rules, both.group(part)))}
        return (names.pop(), both) if len(names) == 1 else None
    near = _NEAR_LABEL_LINE.match(text, line.start)
    if near is None:
        return None
    name = near_label(rules, near.group("label"))
    return (name, near) if name is not None else None


_TWO_LABEL_LINE = re.compile(
    r"[ \t]*(?P<label>(?P<first>[^\W\d_][^:/\n]{1,40}?)[ \t]*/[ \t]*(?P<second>[^\W\d_][^:/\n]{1,40}?))"
    r"[ \t]*:[ \t]*(?P<value>(?:[^\n]*[^ \t|\n])?)[ \t|]*$",
    re.MULTILINE,
)
"""A line whose label is written in two languages, parted by a slash."""


_NEAR_LABEL_LINE = re.compile(
    r"[ \t]*(?P<label>[^\W\d_][^\W\d_'-]{2,30}(?:[ \t]+[^\W\d_][^\W\d_'-]*){0,3})[ \t]*:"
    r"[ \t]*(?P<value>(?:[^\n]*[^ \t|\n])?)[ \t|]*$",
    re.MULTILINE,
)
"""A line that opens with a short label the vocabulary may know with one typo ("Partcipants: ...")."""


@dataclass(frozen=True, slots=True)
class _Inline:
    """A label met inside a value: where it starts, as written, and where its value starts."""

    start: int
    label: str
    value_start: int


def _inline_fields(rules: Rules, text: str, start: int, end: int) -> list[tuple[FieldName, _Inline]]:
    """Labels written inside ``text[start:end]``, each ending the field before it; a label counts only
    when capitalized as labels are (``Organizers:``, ``0rganizers:``), never ``organized by:``. Only
    the few words before each colon are tried."""
    found: list[tuple[FieldName, _Inline]] = []
    colon = text.find(":", start, end)
    last_words = label_last_words(rules)
    while colon >= 0:
        before = text[max(start, colon - _INLINE_REACH) : colon].split()
        if not before or label_key(re.sub(r"\(s\)$", "", before[-1])) not in last_words:
            colon = text.find(":", colon + 1, end)
            continue
        words = list(_WORD_START.finditer(text, max(start, colon - _INLINE_REACH), colon))
        for word in words[-_INLINE_WORDS:]:
            first = text[word.start()]
            if not (first.isupper() or first.isdigit()) or word.start() == start:
                continue
            match = _inline_label(rules).fullmatch(text, word.start(), colon)
            name = field_of_label(rules, match.group("label")) if match is not None else None
            if match is not None and name is not None:
                found.append((name, _Inline(word.start(), match.group("label"), colon + 1)))
                break
        colon = text.find(":", colon + 1, end)
    return found


def _value_bounds(text: str, start: int, end: int) -> CleanSpan:
    """``[start, end)`` without the blanks, line ends and table bars at its ends."""
    while start < end and text[start] in " \t\n|":
        start += 1
    while end > start and text[end - 1] in " \t\n|":
        end -= 1
    return CleanSpan(start, end)


def _goes_on(text: str, lines: list[_Line], index: int, field: FieldName, start: int, end: int) -> bool:
    """True when line ``index`` goes on with the value ``text[start:end]`` of ``field``: not a paragraph
    of sentences after a blank line (the body), a date value only after a connector ("30 November -" /
    "2 December 2019"), any value after no end mark, before a lower-case word or "(", ",", ";", or a
    participants value before a group label ("States: ...")."""
    line = lines[index]
    after_blank = index > 0 and not lines[index - 1].text.strip()
    paragraph = len(line.text.strip()) > _PARAGRAPH_WIDTH and line.text.rstrip()[-1:] in ".!?"
    if after_blank and paragraph and field not in _GROUPED_FIELDS:
        return False
    prev_char = text[end - 1] if end > start else ""
    if prev_char and field in _DATE_FIELDS and not _OPEN_DATE.search(text, start, end):
        return False
    return (
        not prev_char
        or prev_char not in ".!?"
        or line.text.lstrip()[:1].islower()
        or line.text.lstrip()[:1] in "(,;"
        or (field == "participants" and _GROUP_LABEL.match(line.text) is not None)
    )


def _stopped(stops: tuple[int, ...], end: int, start: int) -> bool:
    """Whether a stop of the note stands between a value's end and the line that would go on with it."""
    return bool(stops) and bisect.bisect_left(stops, end) < bisect.bisect_right(stops, start)


def _continues(note: Normalized, lines: list[_Line], index: int, current: _Open) -> bool:
    """Whether line ``index`` goes on with the open field: :func:`_goes_on`, and no stop between."""
    return _goes_on(note.text, lines, index, current[0], current[3], current[4]) and not _stopped(
        note.stops, current[4], lines[index].start
    )


def split_layout(rules: Rules, note: Normalized) -> Layout:
    """Find the header fields and sections of ``note``; see the module docstring."""
    text = note.text
    lines = _lines(text)
    fields: list[HeaderField] = []
    current: _Open | None = None
    header_end = 0
    body_from = 0
    first_heading: int | None = None
    consumed_to = 0
    for index, line in enumerate(lines):
        if line.start < consumed_to:
            continue
        if _heading(rules, line) is not None and (fields or index > 0 or line.text.lstrip().startswith("#")):
            first_heading = index
            break
        if _TABLE_RULE.match(line.text):
            continue
        found = _field_of(rules, text, line)
        if found is not None:
            if current is not None:
                fields.append(HeaderField(*current))
            name, match = found
            current = (
                name,
                match.group("label"),
                match.start("label"),
                match.start("value"),
                match.end("value"),
            )
            consumed_to = match.end()
            current = _cut_inline(rules, text, current, match.start("value"), match.end("value"), fields)
            header_end = match.end()
            continue
        if not line.text.strip():
            continue
        if current is not None and current[0] not in _GROUPED_FIELDS and _OTHER_LABEL.match(line.text):
            fields.append(HeaderField(*current))  # "Event Type: Roundtable": a field of no known kind ends it
            current = None
            header_end = line.end
            continue
        if current is None:
            if fields:
                break
            continue
        if not _continues(note, lines, index, current):
            break
        current = (current[0], current[1], current[2], current[3], line.end)
        current = _cut_inline(rules, text, current, line.start, line.end, fields)
        header_end = line.end
    if current is not None:
        fields.append(HeaderField(*current))
    if fields:
        body_from = header_end
    clean_fields = []
    for f in fields:
        v_start, v_end = _value_bounds(text, f.value_start, f.value_end)
        clean_fields.append(HeaderField(f.field, f.label, f.label_start, v_start, max(v_start, v_end)))
    sections, contacts = _sections(rules, note, lines, body_from, first_heading)
    return Layout(tuple(clean_fields), header_end, tuple(sections), tuple(contacts))


_Open = tuple[FieldName, str, int, int, int]
"""The field being read: its name, label, label start, value start and value end so far."""


def _cut_inline(
    rules: Rules, text: str, current: _Open, start: int, end: int, fields: list[HeaderField]
) -> _Open:
    """The open field cut at each label written inside ``text[start:end]`` ("... 0rganizers: UNODA"):
    every field before such a label goes to ``fields``; returns the one still open."""
    for name, inline in _inline_fields(rules, text, start, end):
        fields.append(HeaderField(current[0], current[1], current[2], current[3], inline.start))
        current = (name, inline.label, inline.start, inline.value_start, current[4])
    return current


def _contact_spans(rules: Rules, text: str) -> list[CleanSpan]:
    spans: list[CleanSpan] = []
    for rule, pattern in furniture_rules(rules):
        if rule.action == "mark":
            spans.extend(CleanSpan(*m.span()) for m in pattern.finditer(text))
    return sorted(spans)


def _sections(
    rules: Rules, note: Normalized, lines: list[_Line], body_from: int, first_heading: int | None
) -> tuple[list[SectionPart], list[CleanSpan]]:
    text = note.text
    contacts = _contact_spans(rules, text)
    heads: list[tuple[int, str | None, str | None, int]] = []  # line index, number, heading, start
    for index, line in enumerate(lines):
        if line.start < body_from:
            continue
        if first_heading is not None and index < first_heading:
            continue
        found = _heading(rules, line)
        if found is not None:
            heads.append((index, found[0], found[1], line.start))
    parts: list[SectionPart] = []
    starts = [body_from] if not heads or lines[heads[0][0]].start > body_from else []
    bounds: list[tuple[str | None, str | None, int, int]] = []
    if starts:
        bounds.append((None, None, body_from, body_from))
    for _, number, heading, start in heads:
        line_end = text.find("\n", start)
        bounds.append((number, heading, start, len(text) if line_end < 0 else line_end))
    for position, (number, heading, start, content_start) in enumerate(bounds):
        end = bounds[position + 1][2] if position + 1 < len(bounds) else len(text)
        paragraphs = _paragraphs(text, content_start, end, contacts)
        if heading is None and not paragraphs:
            continue
        s, e = _value_bounds(text, start, end)
        parts.append(SectionPart(number, heading, s, max(s, e), tuple(paragraphs)))
    return parts, [c for c in contacts if c.start >= body_from]


def _paragraphs(text: str, start: int, end: int, contacts: list[CleanSpan]) -> list[CleanSpan]:
    """Spans of the text between ``start`` and ``end`` with contact lines cut out."""
    bounds: list[int] = [start]
    for a, b in contacts:
        if b <= start or a >= end:
            continue
        bounds += [a, b]
    bounds.append(end)
    result = []
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        span = _value_bounds(text, a, b)
        if span.end > span.start:
            result.append(span)
    return result
