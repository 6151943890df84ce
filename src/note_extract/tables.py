"""Stage 1b: rebuild table-like header blocks as labelled lines, keeping every character's raw offset.

Input: :class:`~note_extract.normalize.Normalized`. Output: the same note whose clean text has each
table-like block whose first column holds header labels (``data/labels.jsonl``, matched by
:mod:`~note_extract.labels`) rewritten as one ``Label: value`` line per row, so that
:func:`~note_extract.layout.split_layout` reads every layout the same way. Blocks recognized:

* bordered tables: markdown pipe tables, pandoc grid tables (``+---+``), boxed tables drawn with
  box characters (``│``, ``├──┼``), HTML tables (already turned into pipe rows by normalize, a cell
  broken by ``<br>`` included). Rows are the lines between rule lines; without rules, a line whose
  first cell is empty continues the row above; a table laid out across (labels in its first row,
  values below) is read column by column;
* two-column fixed-width text (``pdftotext -layout``): a label column and a value column separated
  by a run of spaces; a value wrapping in its column under blank label space and a label wrapped over
  two lines (``With the financial`` / ``support of:``) join their row;
* TAB-separated label and value;
* a column-by-column dump: three or more labels alone on their lines, then exactly as many value lines.

A cell's lines are joined with a space, or without the hyphen when a word was hyphenated at the end of
a line inside the cell (``Com-`` / ``mittee``). Every character of a cell keeps its own raw offset
(the map of :class:`~note_extract.mapped.MappedText`); only the glue (``": "``, spaces) is new, mapped
to the point where it stands. Text outside such blocks is untouched; nothing is dropped but border
characters, padding and line-end hyphens.
"""

from __future__ import annotations

import itertools
import re
from array import array
from dataclasses import dataclass

from .labels import field_of_label
from .mapped import MappedText
from .normalize import Normalized

Piece = tuple[int, int] | str  # a clean span kept with its raw map, or new glue text

_BARS = "|\u2502\u2503\u2551"
_RULE = re.compile("^[ \\t]*[-=+:|_\u2500-\u257f][-=+:|_ \\t\u2500-\u257f]*$")
_BORDER_STARTS = frozenset("-=+:|_" + "".join(chr(c) for c in range(0x2500, 0x2580)))
_MAX_LABEL_WIDTH = 40  # a label column is narrower than this
_COLUMN_SLACK = 3  # a value column may start this many characters left or right of the first one
_RULE_FILL = re.compile("[-=_\u2500\u2501\u2550]{3}")
_GAP_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<left>\S(?:.*?\S)?)(?P<gap>[ \t]{2,})(?P<right>\S.*?)[ \t]*$")
_ALONE = re.compile(r"^[ \t]*(?P<label>\S.*?)[ \t]*:[ \t]*$")
_HEADER_CHARS = 6000  # header blocks stand at the top of a note; the body is not scanned
_BODY_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\d{1,2}|[IVX]{1,4})[.)][ \t]+[A-Z]", re.MULTILINE)
_MIN_DUMP = 3  # fewer labels alone in a row are labels with their values below, not a dump
_MAX_DUMP_LINES = 3
_HEADING_LIKE = re.compile(r"#|\d{1,2}[.)]\s+[A-Z]")
_GROUP_START = re.compile(r"[A-Z][\w ,'/()-]{1,60}?[ \t]*:[ \t]+\S")
_HYPHEN_END = re.compile(r"[a-z\u00e0-\u00ff]-$")


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for piece in text.split("\n"):
        out.append(_Line(pos, pos + len(piece), piece))
        pos += len(piece) + 1
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    return a, b


def _is_label(text: str) -> bool:
    label = text.strip().rstrip(":").strip()
    return bool(label) and field_of_label(label) is not None


def _joined(text: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(text[a:b] for a, b in spans)


def _cell(text: str, spans: list[tuple[int, int]]) -> list[Piece]:
    """The pieces of one cell: its line spans joined by a space, by nothing after a line-end hyphen
    that splits a word (the hyphen dropped), or by a line break before a line that opens a group of
    its own ("International organizations: ...")."""
    out: list[Piece] = []
    for a, b in spans:
        if b <= a:
            continue
        if out:
            last = out[-1]
            assert isinstance(last, tuple)
            if _HYPHEN_END.search(text, last[0], last[1]) and text[a].islower():
                out[-1] = (last[0], last[1] - 1)
            elif _GROUP_START.match(text, a, b):
                out.append("\n")  # a line that opens a group ("International organizations: ...")
            else:
                out.append(" ")
        out.append((a, b))
    return out


def _row(text: str, label: list[tuple[int, int]], values: list[list[tuple[int, int]]]) -> list[Piece]:
    """``label: value`` pieces of one row (``values`` are the cells after the label cell)."""
    pieces = _cell(text, label)
    if label and not _joined(text, label).rstrip().endswith(":"):
        pieces.append(": ")
    elif label:
        pieces.append(" ")
    first = True
    for cell in values:
        cell_pieces = _cell(text, cell)
        if not cell_pieces:
            continue
        if not first:
            pieces.append(" ")
        pieces.extend(cell_pieces)
        first = False
    return pieces


# ---------------------------------------------------------------- bordered tables


def _cells_of(line: _Line) -> list[tuple[int, int]]:
    """The cell spans of a bar row (outside the outer bars nothing counts)."""
    bars = [i for i, ch in enumerate(line.text) if ch in _BARS]
    cells = []
    for left, right in itertools.pairwise(bars):
        cells.append(_strip(line.text, left + 1, right))
    if bars and line.text[bars[-1] + 1 :].strip():  # a row whose last cell runs on (an HTML <br>)
        cells.append(_strip(line.text, bars[-1] + 1, len(line.text)))
    return [(line.start + a, line.start + b) for a, b in cells]


def _is_rule(line: _Line) -> bool:
    return _RULE.match(line.text) is not None and _RULE_FILL.search(line.text) is not None


def _is_bar_row(line: _Line) -> bool:
    stripped = line.text.lstrip()
    return bool(stripped) and stripped[0] in _BARS


def _bordered(text: str, lines: list[_Line], index: int) -> tuple[int, list[Piece]] | None:
    """The bordered table starting at ``lines[index]``: (index after it, rebuilt pieces)."""
    lead = lines[index].text.lstrip()[:1]
    if not lead or lead not in _BORDER_STARTS:
        return None
    if not (_is_rule(lines[index]) or _is_bar_row(lines[index])):
        return None
    end = index
    data: list[tuple[str, _Line]] = []  # ("rule" | "row" | "more", line)
    while end < len(lines):
        line = lines[end]
        if _is_rule(line):
            data.append(("rule", line))
        elif _is_bar_row(line):
            data.append(("row", line))
        elif data and data[-1][0] in ("row", "more") and line.text.strip() and not _closed(data[-1][1]):
            data.append(("more", line))
        else:
            break
        end += 1
    rows_only = [kind for kind, _ in data if kind != "rule"]
    if not rows_only:
        return None
    grid = any(kind == "rule" and line.text.lstrip()[:1] not in _BARS for kind, line in data[1:-1])
    rows: list[list[list[tuple[int, int]]]] = []
    new_row = True
    for kind, line in data:
        if kind == "rule":
            new_row = True
            continue
        if kind == "more":
            rows[-1][-1].append(_strip_span(text, line.start, line.end))
            continue
        cells = _cells_of(line)
        if not cells:
            continue
        starts_row = new_row or _opens_row(text, rows[-1][0] if rows else None, cells[0], grid)
        if starts_row or not rows:
            rows.append([[c] for c in cells])
        else:
            row = rows[-1]
            for position, cell in enumerate(cells):
                if position < len(row):
                    row[position].append(cell)
                else:
                    row.append([cell])
        new_row = False
    transposed = _transposed(text, rows)
    if transposed is not None:
        rows = transposed
    elif not any(_is_label(_joined(text, row[0])) for row in rows if row):
        return None
    return end, _rows_pieces(text, rows)


def _transposed(
    text: str, rows: list[list[list[tuple[int, int]]]]
) -> list[list[list[tuple[int, int]]]] | None:
    """A table laid out across (labels in its first row, values in the rows below), as label rows;
    None when it is not one."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    if not all(_is_label(_joined(text, cell)) for cell in rows[0] if cell):
        return None
    if any(row and _is_label(_joined(text, row[0])) for row in rows[1:]):
        return None
    out: list[list[list[tuple[int, int]]]] = []
    for column, label in enumerate(rows[0]):
        value = [span for row in rows[1:] if column < len(row) for span in row[column] if span[1] > span[0]]
        out.append([label, value])
    return out


def _opens_row(text: str, label: list[tuple[int, int]] | None, first: tuple[int, int], grid: bool) -> bool:
    """Whether a line whose first cell is ``first`` opens a new row after a row labelled ``label`` (None
    before the first row): never with an empty first cell; never when it completes a wrapped label
    ("With the" / "financial support of:"); inside a grid row, only after a complete label (rows not
    parted by a rule line)."""
    if label is None:
        return True
    if first[1] <= first[0]:
        return False
    if _is_label(_joined(text, [*label, first])) and not _is_label(_joined(text, label)):
        return False
    return not grid or _is_label(_joined(text, label))


def _closed(line: _Line) -> bool:
    stripped = line.text.rstrip()
    return bool(stripped) and stripped[-1] in _BARS


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    a, b = _strip(text, a, b)
    while b > a and text[b - 1] in _BARS:
        b -= 1
    return _strip(text, a, b)


def _rows_pieces(text: str, rows: list[list[list[tuple[int, int]]]]) -> list[Piece]:
    pieces: list[Piece] = []
    for row in rows:
        if not row:
            continue
        label = [s for s in row[0] if s[1] > s[0]]
        values = [[s for s in cell if s[1] > s[0]] for cell in row[1:]]
        if label and not _is_label(_joined(text, label)):
            values = [label, *values]
            label = []
        row_pieces = _row(text, label, values)
        if not row_pieces:
            continue
        if pieces:
            pieces.append("\n")
        pieces.extend(row_pieces)
    return pieces


# ---------------------------------------------------------------- two columns and TABs


def _columns(text: str, lines: list[_Line], index: int) -> tuple[int, list[Piece]] | None:
    """A label column and a value column separated by wide gaps (``pdftotext -layout``)."""
    line_text = lines[index].text
    indent = len(line_text) - len(line_text.lstrip())
    gap = line_text.find("  ", indent)
    if gap < 0 or gap - indent > _MAX_LABEL_WIDTH:
        return None
    first = _GAP_LINE.match(lines[index].text)
    if first is None or not _is_label(first.group("left")):
        return None
    column = first.start("right")
    rows: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []
    end = index
    while end < len(lines):
        line = lines[end]
        if not line.text.strip():
            break
        indent = len(line.text) - len(line.text.lstrip())
        match = _GAP_LINE.match(line.text)
        left: tuple[int, int] | None = None
        right: tuple[int, int] | None = None
        if indent >= column - 1:
            right = (line.start + indent, line.start + len(line.text.rstrip()))
        elif match is not None and abs(match.start("right") - column) <= _COLUMN_SLACK:
            left = (line.start + match.start("left"), line.start + match.end("left"))
            right = (line.start + match.start("right"), line.start + match.end("right"))
        elif match is None and len(line.text.rstrip()) < column - 1:
            left = (line.start + indent, line.start + len(line.text.rstrip()))
        else:
            break
        if left is not None:
            previous = _joined(text, rows[-1][0]) if rows else ""
            if rows and previous and not previous.rstrip().endswith(":") and not _is_label(previous):
                rows[-1][0].append(left)
            else:
                if left is not None and right is None and not _is_label(text[left[0] : left[1]]):
                    break
                rows.append(([left], []))
        if right is not None:
            if not rows:
                break
            rows[-1][1].append(right)
        end += 1
    if len(rows) < 2 or sum(_is_label(_joined(text, label)) for label, _ in rows) < 2:
        return None
    pieces: list[Piece] = []
    for label, values in rows:
        if pieces:
            pieces.append("\n")
        pieces.extend(_row(text, label, [values]))
    return end, pieces


def _tabbed(note: Normalized, lines: list[_Line], index: int) -> tuple[int, list[Piece]] | None:
    """Lines whose label is followed by a TAB (a space in clean text whose raw character is a TAB)."""
    text = note.text
    pieces: list[Piece] = []
    end = index
    while end < len(lines):
        line = lines[end]
        tab = next(
            (
                i
                for i in range(line.start, line.end)
                if text[i] == " " and note.raw[note.clean.starts[i] : note.clean.ends[i]] == "\t"
            ),
            None,
        )
        if tab is None or not _is_label(text[line.start : tab]):
            break
        label = _strip(text, line.start, tab)
        value = _strip(text, tab, line.end)
        if pieces:
            pieces.append("\n")
        pieces.extend(_row(text, [label], [[value]]))
        end += 1
    return (end, pieces) if pieces else None


def _dump(text: str, lines: list[_Line], index: int) -> tuple[int, list[Piece]] | None:
    """Three or more labels alone on their lines (blank lines between them allowed), then as many value
    lines, or as many short paragraphs when the values wrap (a column-by-column dump)."""
    if not lines[index].text.rstrip().endswith(":"):
        return None
    labels: list[tuple[int, int]] = []
    end = index
    while end < len(lines):
        if not lines[end].text.strip() and labels:
            end += 1
            continue
        match = _ALONE.match(lines[end].text)
        if match is None or not _is_label(match.group("label")):
            break
        line = lines[end]
        labels.append((line.start + match.start("label"), line.start + match.end("label")))
        end += 1
    if len(labels) < _MIN_DUMP:
        return None
    paragraphs: list[list[tuple[int, int]]] = []
    last_line = end
    while end < len(lines) and len(paragraphs) < len(labels):
        if not lines[end].text.strip():
            end += 1
            continue
        paragraph: list[tuple[int, int]] = []
        while end < len(lines) and lines[end].text.strip():
            paragraph.append(_strip(text, lines[end].start, lines[end].end))
            end += 1
        paragraphs.append(paragraph)
        last_line = end
        if len(paragraphs) == 1 and len(paragraph) == len(labels):
            break  # one value per line
    if len(paragraphs) == 1 and len(paragraphs[0]) == len(labels):
        values = [[line] for line in paragraphs[0]]  # one value per line
    elif len(paragraphs) == len(labels) and all(len(p) <= _MAX_DUMP_LINES for p in paragraphs):
        values = paragraphs
    else:
        return None
    if any(_HEADING_LIKE.match(text, value[0][0]) for value in values):
        return None
    pieces: list[Piece] = []
    for label, value in zip(labels, values, strict=True):
        if pieces:
            pieces.append("\n")
        pieces.extend(_row(text, [label], [value]))
    return last_line, pieces


# ---------------------------------------------------------------- assembly


def _assemble(note: Normalized, blocks: list[tuple[int, int, list[Piece]]]) -> MappedText:
    clean = note.clean
    parts: list[str] = []
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    cursor = 0

    def keep(a: int, b: int) -> None:
        parts.append(clean.text[a:b])
        starts.extend(clean.starts[a:b])
        ends.extend(clean.ends[a:b])

    for start, end, pieces in blocks:
        keep(cursor, start)
        point = clean.starts[start] if start < len(clean.text) else clean.raw_length
        for piece in pieces:
            if isinstance(piece, str):
                parts.append(piece)
                starts.extend(array("q", [point]) * len(piece))
                ends.extend(array("q", [point]) * len(piece))
            else:
                keep(*piece)
                if piece[1] > piece[0]:
                    point = clean.ends[piece[1] - 1]
        cursor = end
    keep(cursor, len(clean.text))
    return MappedText("".join(parts), starts, ends, clean.raw_length)


def rebuild_tables(note: Normalized) -> Normalized:
    """The note with its table-like header blocks rewritten as labelled lines; see the module docstring."""
    text = note.text
    body = _BODY_START.search(text, 0, _HEADER_CHARS)
    lines = _lines(text[: body.start() if body is not None else _HEADER_CHARS])
    has_tab = "\t" in note.raw
    blocks: list[tuple[int, int, list[Piece]]] = []
    index = 0
    while index < len(lines):
        found = (
            _bordered(text, lines, index)
            or _columns(text, lines, index)
            or (_tabbed(note, lines, index) if has_tab else None)
            or _dump(text, lines, index)
        )
        if found is None:
            index += 1
            continue
        after, pieces = found
        blocks.append((lines[index].start, lines[after - 1].end, pieces))
        index = after
    if not blocks:
        return note
    return Normalized(raw=note.raw, clean=_assemble(note, blocks), furniture=note.furniture)
