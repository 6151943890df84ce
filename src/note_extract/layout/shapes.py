"""Stage 1c: header labels read wherever they stand, by the shape of their cell, offsets kept.

Input: :class:`~note_extract.read.normalize.Normalized` (after :mod:`~note_extract.layout.tables`).
Output: the same note whose header label cells are rewritten as ``Label: value`` lines, so that
:func:`~note_extract.layout.layout.split_layout` reads them; every kept character keeps its raw offset
and only glue (``": "``, a space, ``"; "``, a label's written form) is new.

A *label cell* is a label of ``data/labels.jsonl`` (any case; words apart, in snake_case, kebab-case
or camelCase; accents optional) standing alone between a *lead* (the line start, or a run of
decoration: ``|``, ``!``, ``*``, ``:``, ``#``, ``{``, ``\\``, quotes, list marks, markup attributes
such as ``scope="row" |``, commands such as ``\\textbf{``) and a *separator* (``:``, ``::``, ``=``,
``|``, ``||``, ``!!``, ``&``, a TAB, two spaces, or the end of the line). Its value is the next cell:
the rest of the line up to the next cell bar, else the next non-empty lines with their own decoration
stripped, up to the next label cell, a structural line (``|-``, ``|}``, ``|===``, ``+++``, ``---``,
``\\hline``, ``\\begin{..}``, ``[section]``) or a blank line after the value. A value wrapped onto
indented lines goes on over them. List syntax in a value (``["a", "b"]``, ``[a, b]``, ``- item`` lines)
becomes ``a; b``; ``[[target|text]]`` links keep their text; quotes around a value go when the header
quotes values. Trailing numeric cells (scores) are left out.

Evidence decides, never a converter's name: a shape (its lead's marks and its separator) is the
header's only when two label cells or more share it (three for labels alone on their lines); a plain
``Label: value`` line is left as it is (its label is only rewritten when written in another case
style). A line prefix that stands before two label cells or more in one shape (a time stamp and a
speaker) is decoration wherever it opens a line. Only the note's head (before its first numbered
heading, at most 6000 characters) is read; nothing outside label cells, their values and the
structural lines between them changes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from note_extract.core.spans import CleanSpan
from note_extract.layout.labels import field_of_label
from note_extract.read.mapped import MappedText
from note_extract.read.normalize import Normalized
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import FieldName, LabelRow

_HEADER_CHARS = 6000
_BODY_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\d{1,2}|[IVX]{1,4})[.)][ \t]+[A-Z]", re.MULTILINE)
_LEAD = re.compile(
    r"(?:\\[A-Za-z]{2,20}\*?\{|(?:[A-Za-z][\w-]{0,20}=\"[^\"\n]{0,40}\"[ \t]*){1,4}\|"
    r"|[ \t]+|[|!*:#{}\\\"'`>~+\u2022]|-(?=[ \t]))*"
)
_ATTRIBUTE = re.compile(r"(?:[A-Za-z][\w-]*=\"[^\"\n]*\"[ \t]*)+\||\\[A-Za-z]+\*?\{")
_SEPARATOR = re.compile(
    r"[ \t]*(?:::?|=|\|\|?|!!|&)(?:[ \t]*(?:::?|=|\|\|?|!!|&))*[ \t]*|\t[ \t]*| {2,}|[ \t]*$"
)
_CLOSE = " \t*'\"`}"
_LABEL_REACH = 70
_LABEL_START = re.compile(r"[^\W\d_]")
_STRUCTURE = re.compile(
    r"[ \t]*(?:\{\|.*|\|[-}+].*|\|={3,}|[-+=~_*#`]{3,}"
    r"|\\(?:hline|toprule|midrule|bottomrule|cline\{[^}\n]*\})"
    r"(?:[ \t]*\\(?:hline|cline\{[^}\n]*\}))*|\\(?:begin|end)\{[^}\n]*\}(?:\{[^}\n]*\})*"
    r"|\[[^\]\n]{1,40}\]|\.\.[ \t]+\S.*)[ \t]*"
)
"""A line of table or document structure: a wiki table's start, row and end; a fence; a LaTeX rule or
environment; a section or attribute line in brackets; an rST directive."""
_VALUE_LEAD = re.compile(r"[ \t]*(?:(?:[|!>]+|[-*+\u2022](?=[ \t])|\\item\b)[ \t]*)?")
_ITEM = re.compile(r"[ \t]*[-*+\u2022][ \t]+\S")
_TRAIL = re.compile(
    r"(?:[ \t]|\\\\?(?![A-Za-z])|\\(?:hline|toprule|midrule|bottomrule|cline\{[^}\n]*\})|\|+|&)*$"
)
_NUMERIC_CELL = re.compile(r"[ \t]*[-+]?\d+(?:[.,]\d+)?%?[ \t]*")
_LINK = re.compile(r"\[\[(?:[^\]|\n]*\|)?([^\]\n]*)\]\]")
_LIST = re.compile(r"\[([^\[\]\n]*)\]")
_LIST_ITEM = re.compile(r"[ \t]*(?:\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'|([^,\"'\n]+?))[ \t]*(?:,|$)")
_NON_ALNUM = re.compile(r"[\W_]+")
_HEAD = 3
_PREFIX_END = re.compile(r"(?<=[:\]>)])[ \t]+")
_PREFIX_REACH = 60
_MIN_SHAPE = 2
_MIN_ALONE = 3
_MAX_VALUE_LINES = 8
_CELL_BARS = ("|", "&", "!")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_SPEAKER = re.compile(r"[^\W\d_]{2,}[ \t]*[:>][ \t]*$")
_WORDS = re.compile(r"[^\W\d_]+(?:[ .'-]{1,2}[^\W\d_]+){0,3}")


@dataclass(frozen=True, slots=True)
class _Cell:
    """A label cell on one line: where its line and label stand, its field, its shape, its value."""

    line: int
    line_start: int
    label: CleanSpan
    field: FieldName
    vocab: str
    shape: tuple[str, str]
    after: int  # where the separator ends (the same-line value starts)


# ------------------------------------------------------------------ labels by their letters


def _compact(text: str) -> str:
    """The letters and digits of ``text``, case-folded, accents off, a trailing ``(s)`` aside."""
    key = _NON_ALNUM.sub("", text.casefold())
    if not key.isascii():
        key = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return key[:-1] if text.rstrip().endswith("(s)") else key


@derived
def _compact_heads(rules: Rules) -> frozenset[str]:
    """The first three letters of every label's key: a line whose cell opens otherwise holds no label."""
    return frozenset(key[:_HEAD] for key in _compact_labels(rules))


@derived
def _compact_labels(rules: Rules) -> dict[str, tuple[FieldName, str]]:
    """Every label by its letters alone (case, spacing, underscores, hyphens and accents aside); a key
    two fields share is left out."""
    table: dict[str, tuple[FieldName, str]] = {}
    clashes: set[str] = set()
    for row in rules.rows("labels.jsonl", LabelRow):
        for label in row.labels:
            key = _compact(label)
            if key in table and table[key][0] != row.field:
                clashes.add(key)
            table.setdefault(key, (row.field, label))
    return {key: value for key, value in table.items() if key not in clashes}


def _label_at(rules: Rules, line: str, start: int) -> tuple[int, int, FieldName, str, re.Match[str]] | None:
    """The longest label standing alone from ``start``: (label end, separator end, field, label of the
    vocabulary, separator match)."""
    if _LABEL_START.match(line, start) is None:
        return None
    if _compact(line[start : start + 4 * _HEAD])[:_HEAD] not in _compact_heads(rules):
        return None
    table = _compact_labels(rules)
    best = None
    for sep in _SEPARATOR.finditer(line, start + 1, min(len(line), start + _LABEL_REACH)):
        if sep.end() == sep.start() and sep.start() < len(line):
            continue
        end = sep.start()
        while end > start and line[end - 1] in _CLOSE:
            end -= 1
        if not (line[end - 1].isalnum() or line[end - 1] == ")"):
            continue
        found = table.get(_compact(line[start:end])) or _two_languages(table, line[start:end])
        if found is not None:
            best = (end, sep.end(), found[0], found[1], sep)
    return best


def _two_languages(table: dict[str, tuple[FieldName, str]], text: str) -> tuple[FieldName, str] | None:
    """A label written in two languages parted by a slash, both halves labels of one field."""
    if " / " not in text:
        return None
    halves = [table.get(_compact(half)) for half in text.split(" / ")]
    if any(h is None for h in halves) or len({h[0] for h in halves if h}) != 1:
        return None
    return halves[0]


def _shape(lead: str, sep: re.Match[str], rest: str) -> tuple[str, str]:
    marks = "".join(_ATTRIBUTE.sub("A", lead).split())
    joiner = "".join(sep.group(0).split()) or ("tab" if "\t" in sep.group(0) else "gap")
    if not rest.strip() and joiner in ("gap", ""):
        joiner = "eol"
    return marks, joiner


def _cell(rules: Rules, index: int, line_start: int, line: str, at: int = 0) -> _Cell | None:
    lead = _LEAD.match(line, at)
    assert lead is not None
    found = _label_at(rules, line, lead.end())
    if found is None:
        return None
    end, after, field, vocab, sep = found
    shape = _shape(line[at : lead.end()], sep, line[after:])
    return _Cell(
        index, line_start, CleanSpan(line_start + lead.end(), line_start + end), field, vocab, shape, after
    )


# ------------------------------------------------------------------ line prefixes


def _prefix_pattern(prefix: str) -> str | None:
    """A pattern for line prefixes of this one's shape (digits and names may differ), or None when it
    holds no digit and no bracket (a prefix must look like a stamp or a speaker)."""
    if _TIME.search(prefix) is None and _SPEAKER.search(prefix) is None:
        return None
    out, pos = [], 0
    while pos < len(prefix):
        words = _WORDS.match(prefix, pos)
        if words is not None:
            out.append(r"[^\W\d_]+(?:[ .'-]{1,2}[^\W\d_]+){0,3}")
            pos = words.end()
        elif prefix[pos].isdigit():
            out.append(r"\d+")
            while pos < len(prefix) and prefix[pos].isdigit():
                pos += 1
        elif prefix[pos] in " \t":
            out.append(r"[ \t]+")
            while pos < len(prefix) and prefix[pos] in " \t":
                pos += 1
        else:
            out.append(re.escape(prefix[pos]))
            pos += 1
    return "".join(out)


def _speaker_prefixes(rules: Rules, text: MappedText, head: int) -> tuple[MappedText, list[int]]:
    """Line prefixes standing before two label cells or more, in one shape, taken off every line, and
    where each such line now starts (a new message: a value does not go on into it)."""
    s = text.text
    shapes: Counter[str] = Counter()
    pos = 0
    for line in s[:head].split("\n"):
        for gap in _PREFIX_END.finditer(line, 0, _PREFIX_REACH):
            pattern = _prefix_pattern(line[: gap.end()])
            if pattern is not None and _cell(rules, 0, pos, line, gap.end()) is not None:
                if _cell(rules, 0, pos, line) is None:
                    shapes[pattern] += 1
                break
        pos += len(line) + 1
    found = [pattern for pattern, n in shapes.items() if n >= _MIN_SHAPE]
    if not found:
        return text, []
    prefix = re.compile("^(?:" + "|".join(found) + ")", re.MULTILINE)
    spans = [m.span() for m in prefix.finditer(s) if m.end() > m.start()]
    starts, removed = [], 0
    for a, b in spans:
        starts.append(a - removed)
        removed += b - a
    return text.delete_spans([CleanSpan(a, b) for a, b in spans]), starts


# ------------------------------------------------------------------ values


_Gap = tuple[int, int, str]
"""A clean span taken out and the glue written in its place."""


def _inner(s: str, a: int, b: int, quoted: bool) -> list[_Gap]:
    """Decoration inside a value ``s[a:b]``: link brackets, a list's brackets and quotes (its items
    joined by ``"; "``), the quotes around it when the header quotes its values."""
    gaps: list[_Gap] = []
    for link in _LINK.finditer(s, a, b):
        gaps += [(link.start(), link.start(1), ""), (link.end(1), link.end(), "")]
    if gaps:
        return gaps
    listed = _LIST.fullmatch(s, a, b)
    if listed is None:
        return _quotes(s, a, b) if quoted else []
    items = list(_LIST_ITEM.finditer(s, listed.start(1), listed.end(1)))
    last = a
    for n, item in enumerate(items):
        group = next(g for g in (1, 2, 3) if item.group(g) is not None)
        gaps.append((last, item.start(group), "; " if n else ""))
        last = item.end(group)
    gaps.append((last, b, ""))
    return [g for g in gaps if g[1] > g[0]]


def _quotes(s: str, a: int, b: int) -> list[_Gap]:
    if b - a >= 2 and s[a] == s[b - 1] and s[a] in "\"'" and s[a] not in s[a + 1 : b - 1].replace('\\"', ""):
        return [(a, a + 1, ""), (b - 1, b, "")]
    return []


def _cells_of_rest(s: str, a: int, b: int, bar: str) -> CleanSpan:
    """The first cell of ``s[a:b]`` when the row's cells are parted by ``bar``; later cells stay only
    when one holds words (numeric cells are scores)."""
    if bar not in _CELL_BARS:
        return CleanSpan(a, b)
    masked = _LINK.sub(lambda m: "x" * len(m.group(0)), s[a:b])
    parts = masked.split(bar)
    if len(parts) == 1:
        return CleanSpan(a, b)
    if all(not p.strip() or _NUMERIC_CELL.fullmatch(p) for p in parts[1:]):
        return CleanSpan(a, a + len(parts[0]))
    return CleanSpan(a, b)


def _trimmed(s: str, a: int, b: int) -> CleanSpan:
    while a < b and s[a] in " \t":
        a += 1
    trail = _TRAIL.search(s, a, b)
    if trail is not None:
        b = trail.start()
    return CleanSpan(a, b)


@dataclass(frozen=True, slots=True)
class _Lines:
    """The head's lines: their bounds, and which are label cells or structure."""

    spans: list[CleanSpan]
    cells: dict[int, _Cell]
    structure: set[int]
    last: list[int]  # the end of the last value read so far
    ends: list[int]  # where each value of a rewritten cell ends


def _value_lines(s: str, lines: _Lines, cell: _Cell) -> list[tuple[int, int, str]]:
    """The spans of a cell's value, each with the glue that joins it to the one before."""
    line_end = lines.spans[cell.line][1]
    bar = cell.shape[1][:1]
    a, b = _trimmed(s, *_cells_of_rest(s, *_trimmed(s, cell.line_start + cell.after, line_end), bar))
    out: list[tuple[int, int, str]] = [(a, b, "")] if b > a else []
    indent = _indent(s, lines.spans[cell.line])
    below = False
    for index in range(cell.line + 1, min(len(lines.spans), cell.line + 1 + _MAX_VALUE_LINES)):
        start, end = lines.spans[index]
        if index in lines.cells or index in lines.structure:
            break
        if start == end or not s[start:end].strip():
            if out:
                break
            continue
        if out and not below and not _goes_on(s, lines.spans[index], indent, out, bar):
            break
        below = below or not out
        lead = _VALUE_LEAD.match(s, start, end)
        assert lead is not None
        item = _ITEM.match(s, start, end) is not None
        va, vb = _trimmed(s, *_cells_of_rest(s, *_trimmed(s, lead.end(), end), bar))
        if vb > va:
            out.append((va, vb, "; " if item and out else " "))
    return out


def _indent(s: str, span: CleanSpan) -> int:
    a, b = span
    return len(s[a:b]) - len(s[a:b].lstrip(" \t"))


def _goes_on(s: str, span: CleanSpan, indent: int, out: list[tuple[int, int, str]], bar: str) -> bool:
    """A line after a value on its label's line goes on with it when indented deeper, or inside an open
    list, or when the row has no end yet (a cell of a ``&`` or ``|`` row)."""
    if _indent(s, span) > indent:
        return True
    so_far = s[out[0][0] : out[-1][1]]
    if so_far.count("[") > so_far.count("]"):
        return True
    return bar in _CELL_BARS and s[span[0] : span[1]].lstrip()[:1] not in "|!&"


# ------------------------------------------------------------------ the pass


def _head(s: str) -> int:
    body = _BODY_START.search(s, 0, _HEADER_CHARS)
    return body.start() if body is not None else min(len(s), _HEADER_CHARS)


def _read_lines(rules: Rules, s: str, head: int) -> _Lines:
    spans: list[CleanSpan] = []
    cells: dict[int, _Cell] = {}
    structure: set[int] = set()
    pos = 0
    for index, line in enumerate(s[:head].split("\n")):
        spans.append(CleanSpan(pos, pos + len(line)))
        if _STRUCTURE.fullmatch(line):
            structure.add(index)
        elif line.strip() and (cell := _cell(rules, index, pos, line)) is not None:
            cells[index] = cell
        pos += len(line) + 1
    return _Lines(spans, cells, structure, [0], [])


def _accepted(lines: _Lines) -> list[_Cell]:
    """The cells of the shapes the header shows often enough (see the module docstring)."""
    shapes = Counter(cell.shape for cell in lines.cells.values())
    return [
        cell
        for cell in lines.cells.values()
        if shapes[cell.shape] >= (_MIN_ALONE if cell.shape == ("", "eol") else _MIN_SHAPE)
    ]


def _rewrite(rules: Rules, s: str, lines: _Lines, cell: _Cell, quoted: bool) -> list[_Gap]:
    """The gaps that turn one label cell and its value into ``Label: value``."""
    values = _value_lines(s, lines, cell)
    if values:
        lines.last[0] = max(lines.last[0], values[-1][1])
        if cell.shape != ("", ":"):
            lines.ends.append(values[-1][1])
    written = s[cell.label[0] : cell.label[1]]
    plain = cell.shape == ("", ":")
    known = field_of_label(rules, written) == cell.field
    if plain and known:
        return []
    gaps: list[_Gap] = [(cell.line_start, cell.label[0], "")] if cell.label[0] > cell.line_start else []
    if not known:
        gaps.append((cell.label[0], cell.label[1], cell.vocab))
    if not values:
        return [*gaps, (cell.label[1], lines.spans[cell.line][1], ":")] if not plain else gaps
    gaps.append((cell.label[1], values[0][0], ": "))
    for (_, b, _), (na, _, glue) in itertools.pairwise(values):
        gaps.append((b, na, glue))
    for a, b, _ in values:
        gaps += _inner(s, a, b, quoted)
    last_line = next(i for i, (x, y) in enumerate(lines.spans) if x <= values[-1][1] <= y)
    if values[-1][1] < lines.spans[last_line][1]:
        gaps.append((values[-1][1], lines.spans[last_line][1], ""))
    return gaps


def _quoted(s: str, lines: _Lines, cells: list[_Cell]) -> bool:
    """Whether the header quotes its values: two or more same-line values in quotes."""
    n = 0
    for cell in cells:
        a, b = _trimmed(s, cell.line_start + cell.after, lines.spans[cell.line][1])
        n += bool(_quotes(s, a, b))
    return n >= _MIN_SHAPE


def _structure_gaps(s: str, lines: _Lines, cells: list[_Cell]) -> list[_Gap]:
    """Structural lines from the first label cell to the end of the last value, and those right around
    them (blank lines aside)."""
    first = min(c.line for c in cells)
    last = max(
        max(c.line for c in cells), next(i for i, (a, b) in enumerate(lines.spans) if b >= lines.last[0])
    )
    while first > 0 and (first - 1 in lines.structure or not s[slice(*lines.spans[first - 1])].strip()):
        first -= 1
    while last + 1 < len(lines.spans) and (
        last + 1 in lines.structure or not s[slice(*lines.spans[last + 1])].strip()
    ):
        last += 1
    return [(*lines.spans[i], "") for i in sorted(lines.structure) if first <= i <= last]


def read_label_cells(rules: Rules, note: Normalized) -> Normalized:
    """The note with its header's label cells as ``Label: value`` lines; see the module docstring."""
    text, stops = _speaker_prefixes(rules, note.clean, _head(note.text))
    s = text.text
    lines = _read_lines(rules, s, _head(s))
    cells = [
        c
        for c in _accepted(lines)
        if c.shape != ("", ":") or field_of_label(rules, _written(s, c)) != c.field
    ]
    if not cells:
        if not stops:
            return note
        return Normalized(raw=note.raw, clean=text, furniture=note.furniture, stops=tuple(stops))
    quoted = _quoted(s, lines, cells)
    gaps: list[_Gap] = []
    for cell in cells:
        gaps += _rewrite(rules, s, lines, cell, quoted)
    if any(c.shape != ("", ":") for c in cells):
        gaps += _structure_gaps(s, lines, cells)
    gaps = _disjoint(gaps)
    glue = {a: g for a, _, g in gaps}
    clean = text.delete_spans([CleanSpan(a, b) for a, b, _ in gaps], lambda a, b: glue.get(a, ""))
    moved = tuple(sorted(_moved(gaps, at) for at in [*stops, *lines.ends]))
    return Normalized(raw=note.raw, clean=clean, furniture=note.furniture, stops=moved)


def _moved(gaps: list[_Gap], at: int) -> int:
    """Where the offset ``at`` of the text before the gaps stands after them."""
    shift = 0
    for a, b, glue in gaps:
        if b > at:
            break
        shift += len(glue) - (b - a)
    return at + shift


def _written(s: str, cell: _Cell) -> str:
    return s[cell.label[0] : cell.label[1]]


def _disjoint(gaps: list[_Gap]) -> list[_Gap]:
    """Gaps sorted, empty ones dropped, an overlapping one merged into the one before."""
    out: list[_Gap] = []
    for a, b, glue in sorted(g for g in gaps if g[1] > g[0]):
        if out and a < out[-1][1]:
            pa, pb, pg = out[-1]
            out[-1] = (pa, max(b, pb), pg)
        else:
            out.append((a, b, glue))
    return out
