"""Writing a note as a PDF, for tests and the benchmark: the same note in the shapes PDFs come in.

Contract: :func:`render_pdf` lays out a note's text (best its clean text, see
:func:`note_extract.normalize.normalize`) on pages (A4 unless told) with a standard font and returns
the PDF bytes, identical for identical input. Each line of the text is a paragraph wrapped to the
column; a blank line is a gap; consecutive lines that are markdown table rows (``| a | b |``) become a
ruled table, each cell wrapped in its own column (the first as wide as its longest cell, up to 45%).
:class:`PdfLayout` chooses one or two columns (a column is filled before the next starts, as a
typesetter does), a running header and page numbers on every page, and hyphenated line breaks (a
long lowercase word that does not fit is split with a hyphen). It needs ``reportlab`` (installed with
the ``dev`` extra) and is never used to read notes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

_MARGIN = 64.0
_GUTTER = 24.0
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")
_SPLITTABLE = re.compile(r"[a-z]{7,}")


@dataclass(frozen=True, slots=True)
class PdfLayout:
    """How a note is laid out on its pages."""

    columns: int = 1
    running_header: str | None = None
    page_numbers: str | None = None
    """A format such as ``"{n}"`` or ``"Page {n}"`` printed at the foot of every page, or None."""
    hyphenate: bool = False
    font_size: float = 10.0
    page_width: float = 595.27
    """In points; the default is A4 portrait."""
    page_height: float = 841.89


class _Writer:
    """A cursor over columns and pages of a reportlab canvas."""

    def __init__(self, layout: PdfLayout) -> None:
        from reportlab.pdfgen import canvas  # optional: dev extra, PDF fixtures

        self.layout = layout
        self.buffer = io.BytesIO()
        self.canvas: Any = canvas.Canvas(
            self.buffer, pagesize=(layout.page_width, layout.page_height), invariant=1
        )
        self.leading = layout.font_size * 1.35
        usable = layout.page_width - 2 * _MARGIN
        self.width = (usable - _GUTTER * (layout.columns - 1)) / layout.columns
        self.page = 0
        self.column = 0
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.column = 0
        self.y = self.layout.page_height - _MARGIN
        self.canvas.setFont("Helvetica", self.layout.font_size * 0.9)
        if self.layout.running_header:
            self.canvas.drawString(_MARGIN, self.layout.page_height - _MARGIN / 2, self.layout.running_header)
        if self.layout.page_numbers:
            label = self.layout.page_numbers.format(n=self.page)
            self.canvas.drawCentredString(self.layout.page_width / 2, _MARGIN / 2, label)
        self.canvas.setFont("Helvetica", self.layout.font_size)

    @property
    def x(self) -> float:
        return _MARGIN + self.column * (self.width + _GUTTER)

    def room(self, height: float) -> None:
        """Move to the next column or page unless ``height`` fits below the cursor."""
        if self.y - height >= _MARGIN:
            return
        if self.column + 1 < self.layout.columns:
            self.column += 1
            self.y = self.layout.page_height - _MARGIN
        else:
            self._new_page()

    def text_width(self, text: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth  # optional: dev extra, PDF fixtures

        return float(stringWidth(text, "Helvetica", self.layout.font_size))

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` (hyphenating when the layout says so)."""
        lines: list[str] = []
        line = ""
        words = text.split()
        while words:
            word = words.pop(0)
            candidate = f"{line} {word}" if line else word
            if self.text_width(candidate) <= width or not line:
                line = candidate
                continue
            split = self._hyphen_split(line, word, width) if self.layout.hyphenate else None
            if split is not None:
                head, tail = split
                lines.append(f"{line} {head}-")
                line = ""
                words.insert(0, tail)
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        return lines

    def _hyphen_split(self, line: str, word: str, width: float) -> tuple[str, str] | None:
        """The longest ``(head, tail)`` split of a long lowercase ``word`` whose head fits on ``line``."""
        match = _SPLITTABLE.search(word)
        if match is None or match.start() != 0:
            return None
        for cut in range(match.end() - 3, 2, -1):
            if self.text_width(f"{line} {word[:cut]}-") <= width:
                return word[:cut], word[cut:]
        return None

    def paragraph(self, text: str) -> None:
        for line in self.wrap(text, self.width):
            self.room(self.leading)
            self.y -= self.leading
            self.canvas.drawString(self.x, self.y + self.leading * 0.25, line)

    def gap(self) -> None:
        self.y -= self.leading * 0.6

    def table(self, rows: list[list[str]]) -> None:
        width = max(len(row) for row in rows)
        pad = 3.0
        # the first column fits its longest cell on one line where it can, as a typesetter sizes it
        longest = max(self.text_width(row[0]) for row in rows) + 2 * pad + 1
        first = min(longest, self.width * 0.45) if width > 1 else self.width
        rest = (self.width - first) / max(1, width - 1)
        widths = [first] + [rest] * (width - 1)
        for row in rows:
            cells = [self.wrap(cell, w - 2 * pad) for cell, w in zip(row, widths, strict=False)]
            height = max(len(cell) for cell in cells) * self.leading + 2 * pad
            self.room(height)
            x = self.x
            for lines, w in zip(cells, widths, strict=False):
                self.canvas.rect(x, self.y - height, w, height)
                for i, line in enumerate(lines):
                    baseline = self.y - pad - (i + 1) * self.leading + self.leading * 0.25
                    self.canvas.drawString(x + pad, baseline, line)
                x += w
            self.y -= height

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def render_pdf(text: str, layout: PdfLayout | None = None) -> bytes:
    """The note as PDF bytes; see the module docstring."""
    writer = _Writer(layout or PdfLayout())
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _TABLE_ROW.match(lines[i]):
            rows = []
            while i < len(lines) and _TABLE_ROW.match(lines[i]):
                if not _TABLE_RULE.match(lines[i]):
                    rows.append(_cells(lines[i]))
                i += 1
            writer.table(rows)
            continue
        if lines[i].strip():
            writer.paragraph(lines[i])
        else:
            writer.gap()
        i += 1
    return writer.finish()
