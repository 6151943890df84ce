"""Header blocks written as plain-text columns: ``pdftotext -layout``, TAB-separated, column dumps.

Contract: each reader takes the clean lines of a note and an index and returns ``(index after the
block, pieces)`` when a block of its kind starts there, else None (see :mod:`~note_extract.layout.cells` for
pieces). :func:`columns`: a label column and a value column separated by a run of spaces, a value
wrapping in its column under blank label space, a label wrapped over two lines (``With the financial``
/ ``support of:``); :func:`tabbed`: a label, a TAB, a value; :func:`dump`: three or more labels alone
on their lines, then as many value lines or short paragraphs. A block needs labels of
``data/labels.jsonl`` in its first column; nothing else is touched.
"""

from __future__ import annotations

import re

from note_extract.core.spans import CleanSpan
from note_extract.layout.cells import Line, Piece, is_label, joined, label_row, strip
from note_extract.read.normalize import Normalized
from note_extract.rules.bundle import Rules

_GAP_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<left>\S(?:.*?\S)?)(?P<gap>[ \t]{2,})(?P<right>\S.*?)[ \t]*$")
_ALONE = re.compile(r"^[ \t]*(?P<label>\S.*?)[ \t]*:[ \t]*$")
_MAX_LABEL_WIDTH = 40  # a label column is narrower than this
_COLUMN_SLACK = 3  # a value column may start this many characters left or right of the first one
_MIN_DUMP = 3  # fewer labels alone in a row are labels with their values below, not a dump
_MAX_DUMP_LINES = 3
_HEADING_LIKE = re.compile(r"#|\d{1,2}[.)]\s+[A-Z]")


def _cells(line: Line, column: int) -> tuple[CleanSpan | None, CleanSpan | None] | None:
    """A line's label and value cells when the value column starts at ``column``: only a value (indented
    to the column), a label and a value (a wide gap before the column), or only a label (a wrapped label
    ending before the column); None for a line that is no row of the two columns."""
    indent = len(line.text) - len(line.text.lstrip())
    match = _GAP_LINE.match(line.text)
    if indent >= column - 1:
        return None, CleanSpan(line.start + indent, line.start + len(line.text.rstrip()))
    if match is not None and abs(match.start("right") - column) <= _COLUMN_SLACK:
        left = CleanSpan(line.start + match.start("left"), line.start + match.end("left"))
        return left, CleanSpan(line.start + match.start("right"), line.start + match.end("right"))
    if match is None and len(line.text.rstrip()) < column - 1:
        return CleanSpan(line.start + indent, line.start + len(line.text.rstrip())), None
    return None


def _next_row(rules: Rules, text: str, lines: list[Line], index: int, column: int) -> bool:
    """True when ``lines[index]`` opens another row of the columns: a label cell at the left that is a
    label or the first line of one, with its value at the column."""
    if index >= len(lines):
        return False
    match = _GAP_LINE.match(lines[index].text)
    if match is None or abs(match.start("right") - column) > _COLUMN_SLACK:
        return False
    return _opens_label(rules, match.group("left"), lines, index, column)


def _opens_label(rules: Rules, left: str, lines: list[Line], index: int, column: int) -> bool:
    """True when ``left``, the label cell of ``lines[index]``, is a label, or its first line: "Date and"
    over "venue:" in the next line's label cell."""
    if is_label(rules, left):
        return True
    if index + 1 >= len(lines):
        return False
    below = _cells(lines[index + 1], column)
    if below is None or below[0] is None:
        return False
    a, b = below[0]
    following = lines[index + 1]
    return is_label(rules, f"{left} {following.text[a - following.start : b - following.start]}")


_Row = tuple[list[CleanSpan], list[CleanSpan]]
"""A row of the columns: the spans of its label cell and of its value cell."""


def _value_column(rules: Rules, lines: list[Line], index: int) -> int | None:
    """The value column of a block whose first row is ``lines[index]``: a label cell (or its first line)
    at the left, narrower than a label column, a wide gap, a value; None when it opens no block."""
    line_text = lines[index].text
    indent = len(line_text) - len(line_text.lstrip())
    gap = line_text.find("  ", indent)
    if gap < 0 or gap - indent > _MAX_LABEL_WIDTH:
        return None
    first = _GAP_LINE.match(line_text)
    if first is None or not _opens_label(rules, first.group("left"), lines, index, first.start("right")):
        return None
    return first.start("right")


def _add_cells(
    rules: Rules, text: str, rows: list[_Row], cut: tuple[CleanSpan | None, CleanSpan | None]
) -> bool:
    """Add a line's cells to ``rows``: a label cell goes on the label before it when that is no label
    yet (a label wrapped over two lines), else opens a row. False when the line ends the block."""
    left, right = cut
    if left is not None:
        previous = joined(text, rows[-1][0]) if rows else ""
        if rows and previous and not previous.rstrip().endswith(":") and not is_label(rules, previous):
            rows[-1][0].append(left)
        elif right is None and not is_label(rules, text[left.start : left.end]):
            return False
        else:
            rows.append(([left], []))
    if right is not None:
        if not rows:
            return False
        rows[-1][1].append(right)
    return True


def _column_rows(
    rules: Rules, text: str, lines: list[Line], index: int, column: int
) -> tuple[int, list[_Row]]:
    """The rows of the two columns from ``lines[index]`` on, and the index of the line after them."""
    rows: list[_Row] = []
    end = index
    while end < len(lines):
        if not lines[end].text.strip():
            if _next_row(rules, text, lines, end + 1, column):
                end += 1  # a blank line between two rows of the same columns
                continue
            break
        cut = _cells(lines[end], column)
        if cut is None or not _add_cells(rules, text, rows, cut):
            break
        end += 1
    return end, rows


def _labelled_pieces(text: str, rows: list[tuple[list[CleanSpan], list[list[CleanSpan]]]]) -> list[Piece]:
    """Each row as a ``label: value`` line."""
    pieces: list[Piece] = []
    for label, values in rows:
        if pieces:
            pieces.append("\n")
        pieces.extend(label_row(text, label, values))
    return pieces


def columns(rules: Rules, text: str, lines: list[Line], index: int) -> tuple[int, list[Piece]] | None:
    """A label column and a value column separated by wide gaps (``pdftotext -layout``): the value
    column found from the first row, the rows read down the columns, each row one labelled line."""
    column = _value_column(rules, lines, index)
    if column is None:
        return None
    end, rows = _column_rows(rules, text, lines, index, column)
    if len(rows) < 2 or sum(is_label(rules, joined(text, label)) for label, _ in rows) < 2:
        return None
    return end, _labelled_pieces(text, [(label, [values]) for label, values in rows])


def tabbed(rules: Rules, note: Normalized, lines: list[Line], index: int) -> tuple[int, list[Piece]] | None:
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
        if tab is None or not is_label(rules, text[line.start : tab]):
            break
        label = strip(text, line.start, tab)
        value = strip(text, tab, line.end)
        if pieces:
            pieces.append("\n")
        pieces.extend(label_row(text, [label], [[value]]))
        end += 1
    return (end, pieces) if pieces else None


def _alone_labels(rules: Rules, lines: list[Line], index: int) -> tuple[int, list[CleanSpan]]:
    """The labels alone on their lines from ``lines[index]`` on (blank lines between them allowed), and
    the index of the line after them."""
    labels: list[CleanSpan] = []
    end = index
    while end < len(lines):
        if not lines[end].text.strip() and labels:
            end += 1
            continue
        match = _ALONE.match(lines[end].text)
        if match is None or not is_label(rules, match.group("label")):
            break
        line = lines[end]
        labels.append(CleanSpan(line.start + match.start("label"), line.start + match.end("label")))
        end += 1
    return end, labels


def _value_paragraphs(
    text: str, lines: list[Line], end: int, count: int
) -> tuple[int, list[list[CleanSpan]]]:
    """Up to ``count`` paragraphs from ``lines[end]`` on (or one of ``count`` lines: one value per
    line), each the spans of its lines, and the index of the line after the last."""
    paragraphs: list[list[CleanSpan]] = []
    last_line = end
    while end < len(lines) and len(paragraphs) < count:
        if not lines[end].text.strip():
            end += 1
            continue
        paragraph: list[CleanSpan] = []
        while end < len(lines) and lines[end].text.strip():
            paragraph.append(strip(text, lines[end].start, lines[end].end))
            end += 1
        paragraphs.append(paragraph)
        last_line = end
        if len(paragraphs) == 1 and len(paragraph) == count:
            break  # one value per line
    return last_line, paragraphs


def _dump_values(paragraphs: list[list[CleanSpan]], count: int) -> list[list[CleanSpan]] | None:
    """The ``count`` values the paragraphs hold: one per line of a single paragraph, or one per short
    paragraph; None when they match the labels neither way."""
    if len(paragraphs) == 1 and len(paragraphs[0]) == count:
        return [[line] for line in paragraphs[0]]
    if len(paragraphs) == count and all(len(p) <= _MAX_DUMP_LINES for p in paragraphs):
        return paragraphs
    return None


def dump(rules: Rules, text: str, lines: list[Line], index: int) -> tuple[int, list[Piece]] | None:
    """Three or more labels alone on their lines (blank lines between them allowed), then as many value
    lines, or as many short paragraphs when the values wrap (a column-by-column dump)."""
    if not lines[index].text.rstrip().endswith(":"):
        return None
    end, labels = _alone_labels(rules, lines, index)
    if len(labels) < _MIN_DUMP:
        return None
    last_line, paragraphs = _value_paragraphs(text, lines, end, len(labels))
    values = _dump_values(paragraphs, len(labels))
    if values is None or any(_HEADING_LIKE.match(text, value[0].start) for value in values):
        return None
    rows = [([label], [value]) for label, value in zip(labels, values, strict=True)]
    return last_line, _labelled_pieces(text, rows)
