"""Stage 1b: rebuild table-like header blocks as labelled lines, keeping every character's raw offset.

Input: :class:`~note_extract.read.normalize.Normalized`. Output: the same note whose clean text has each
table-like block whose first column holds header labels (``data/labels.jsonl``, matched by
:mod:`~note_extract.layout.labels`) rewritten as one ``Label: value`` line per row, so that
:func:`~note_extract.layout.layout.split_layout` reads every layout the same way. Blocks recognized:

* bordered tables: markdown pipe tables, pandoc grid tables (``+---+``), boxed tables drawn with
  box characters (``│``, ``├──┼``), HTML tables (already turned into pipe rows by normalize, a cell
  broken by ``<br>`` included). Rows are the lines between rule lines; without rules, a line whose
  first cell is empty continues the row above; a table laid out across (labels in its first row,
  values below) is read column by column;
* plain-text columns, read by :mod:`~note_extract.layout.columns`: two-column fixed-width text
  (``pdftotext -layout``), TAB-separated labels and values, column-by-column dumps.

A cell's lines are joined by :func:`~note_extract.layout.cells.join_cell` (a space, or nothing and no hyphen
when a word was hyphenated at a line end inside the cell: ``Com-`` / ``mittee``). Every character of a
cell keeps its own raw offset (the map of :class:`~note_extract.read.mapped.MappedText`); only the glue
(``": "``, spaces) is new, mapped to the point where it stands. Text outside such blocks is
untouched; nothing is dropped but border characters, padding and line-end hyphens.
"""

from __future__ import annotations

import itertools
import re
from array import array

from note_extract.core.spans import CleanSpan
from note_extract.layout.cells import Line, Piece, is_label, joined, label_row, strip
from note_extract.layout.cells import lines as split_lines
from note_extract.layout.columns import columns, dump, tabbed
from note_extract.read.mapped import MappedText
from note_extract.read.normalize import Normalized
from note_extract.rules.bundle import Rules

_BARS = "|\u2502\u2503\u2551"
_RULE = re.compile("^[ \\t]*[-=+:|_\u2500-\u257f][-=+:|_ \\t\u2500-\u257f]*$")
_BORDER_STARTS = frozenset("-=+:|_" + "".join(chr(c) for c in range(0x2500, 0x2580)))
_WIKI_RULE = re.compile(r"[ \t]*\|[-}][-}\t ]*$")  # a wiki table's row mark or end
_RULE_FILL = re.compile("[-=_\u2500\u2501\u2550]{3}")
_ANY_BORDER = re.compile("[|_\u2500-\u257f]|---|:[ \t]*$", re.MULTILINE)
_HEADER_CHARS = 6000  # header blocks stand at the top of a note; the body is not scanned
_BODY_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\d{1,2}|[IVX]{1,4})[.)][ \t]+[A-Z]", re.MULTILINE)


def _cells_of(text: str, line: Line) -> list[CleanSpan]:
    """The cell spans of a bar row (outside the outer bars nothing counts)."""
    bars = [line.start + i for i, ch in enumerate(line.text) if ch in _BARS]
    cells = [strip(text, left + 1, right) for left, right in itertools.pairwise(bars)]
    if bars and text[bars[-1] + 1 : line.end].strip():  # a row whose last cell runs on (an HTML <br>)
        cells.append(strip(text, bars[-1] + 1, line.end))
    return cells


def _is_rule(line: Line) -> bool:
    if _WIKI_RULE.match(line.text) is not None:
        return True
    return _RULE.match(line.text) is not None and _RULE_FILL.search(line.text) is not None


def _is_bar_row(line: Line) -> bool:
    stripped = line.text.lstrip()
    return bool(stripped) and stripped[0] in _BARS


def _bordered(rules: Rules, text: str, lines: list[Line], index: int) -> tuple[int, list[Piece]] | None:
    """The bordered table starting at ``lines[index]``: (index after it, rebuilt pieces)."""
    lead = lines[index].text.lstrip()[:1]
    if not lead or lead not in _BORDER_STARTS:
        return None
    if not (_is_rule(lines[index]) or _is_bar_row(lines[index])):
        return None
    end, data = _table_lines(lines, index)
    if all(kind == "rule" for kind, _ in data):
        return None
    grid = any(kind == "rule" and line.text.lstrip()[:1] not in _BARS for kind, line in data[1:-1])
    rows = _table_rows(rules, text, data, grid)
    transposed = _transposed(rules, text, rows)
    if transposed is not None:
        rows = transposed
    elif not any(is_label(rules, joined(text, row[0])) for row in rows if row):
        return None
    return end, _rows_pieces(rules, text, rows)


_TableLine = tuple[str, Line]
"""A line of a bordered table and what it is: "rule", "row", or "more" (a row's text wrapped on)."""


def _table_lines(lines: list[Line], index: int) -> tuple[int, list[_TableLine]]:
    """The lines of the table starting at ``lines[index]``, and the index after them."""
    end = index
    data: list[_TableLine] = []
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
    return end, data


def _table_rows(rules: Rules, text: str, data: list[_TableLine], grid: bool) -> list[list[list[CleanSpan]]]:
    """The table's rows, each a list of cells, each cell the spans of its lines: a rule starts a new row
    (a grid table's wrapped cells are rows between rules), and so does a line that opens one."""
    rows: list[list[list[CleanSpan]]] = []
    new_row = True
    for kind, line in data:
        if kind == "rule":
            new_row = True
            continue
        if kind == "more":
            rows[-1][-1].append(_strip_span(text, line.start, line.end))
            continue
        cells = _cells_of(text, line)
        if not cells:
            continue
        starts_row = new_row or _opens_row(rules, text, rows[-1][0] if rows else None, cells[0], grid)
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
    return rows


def _transposed(
    rules: Rules, text: str, rows: list[list[list[CleanSpan]]]
) -> list[list[list[CleanSpan]]] | None:
    """A table laid out across (labels in its first row, values in the rows below), as label rows;
    None when it is not one."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    if not all(is_label(rules, joined(text, cell)) for cell in rows[0] if cell):
        return None
    if any(row and is_label(rules, joined(text, row[0])) for row in rows[1:]):
        return None
    out: list[list[list[CleanSpan]]] = []
    for column, label in enumerate(rows[0]):
        value = [
            span for row in rows[1:] if column < len(row) for span in row[column] if span.end > span.start
        ]
        out.append([label, value])
    return out


def _opens_row(rules: Rules, text: str, label: list[CleanSpan] | None, first: CleanSpan, grid: bool) -> bool:
    """Whether a line whose first cell is ``first`` opens a new row after a row labelled ``label`` (None
    before the first row): never with an empty first cell; never when it completes a wrapped label
    ("With the" / "financial support of:"); inside a grid row, only after a complete label (rows not
    parted by a rule line)."""
    if label is None:
        return True
    if first.end <= first.start:
        return False
    if is_label(rules, joined(text, [*label, first])) and not is_label(rules, joined(text, label)):
        return False
    return not grid or is_label(rules, joined(text, label))


def _closed(line: Line) -> bool:
    stripped = line.text.rstrip()
    return bool(stripped) and stripped[-1] in _BARS


def _strip_span(text: str, a: int, b: int) -> CleanSpan:
    a, b = strip(text, a, b)
    while b > a and text[b - 1] in _BARS:
        b -= 1
    return strip(text, a, b)


def _rows_pieces(rules: Rules, text: str, rows: list[list[list[CleanSpan]]]) -> list[Piece]:
    pieces: list[Piece] = []
    for row in rows:
        if not row:
            continue
        label = [s for s in row[0] if s.end > s.start]
        values = [[s for s in cell if s.end > s.start] for cell in row[1:]]
        if label and not is_label(rules, joined(text, label)):
            values = [label, *values]
            label = []
        row_pieces = label_row(text, label, values)
        if not row_pieces:
            continue
        if pieces:
            pieces.append("\n")
        pieces.extend(row_pieces)
    return pieces


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
                if piece.end > piece.start:
                    point = clean.ends[piece.end - 1]
        cursor = end
    keep(cursor, len(clean.text))
    return MappedText("".join(parts), starts, ends, clean.raw_length)


def rebuild_tables(rules: Rules, note: Normalized) -> Normalized:
    """The note with its table-like header blocks rewritten as labelled lines; see the module docstring."""
    text = note.text
    body = _BODY_START.search(text, 0, _HEADER_CHARS)
    head = text[: body.start() if body is not None else _HEADER_CHARS]
    has_tab = "\t" in note.raw
    if not has_tab and "  " not in head and not _ANY_BORDER.search(head):
        return note  # no wide gap, TAB, border or line ending in a colon: no block to rebuild
    lines = split_lines(head)
    blocks: list[tuple[int, int, list[Piece]]] = []
    index = 0
    while index < len(lines):
        found = (
            _bordered(rules, text, lines, index)
            or columns(rules, text, lines, index)
            or (tabbed(rules, note, lines, index) if has_tab else None)
            or dump(rules, text, lines, index)
        )
        if found is None:
            index += 1
            continue
        after, pieces = found
        blocks.append((lines[index].start, lines[after - 1].end, pieces))
        index = after
    if not blocks:
        return note
    return Normalized(raw=note.raw, clean=_assemble(note, blocks), furniture=note.furniture, stops=note.stops)
