"""Reading PDF notes: the text layer, page by page, and the furniture page boundaries reveal.

Contract: :func:`read_pdf` returns the note's text and a :class:`~note_extract.core.models.Source` whose
``text`` holds that same text (the record carries it, so every ``span`` stays checkable without the
PDF) and whose ``pages`` lists each page's ``[start, end)`` in it. The text is pdfium's text layer of
each page in page order, with line ends as ``\\n``; a blank line where a wide vertical gap or a new
column separates two blocks (pdfium itself writes none); a line the typesetter wrapped (it ran to a
block's right edge, the next line's first word would not have fitted after it, and the next line is
no list item, heading or label) joined to the next by a space, as in a text note; a line-end hyphen
that pdfium folded into one marker character written back as ``-\\n`` before a lowercase letter
(the line break as printed, which the normalizer joins as in a text note: "weap-\\nons") and as ``-``
before anything else (a compound: "Asia-Pacific" stays one line); and pages joined by a line
holding a form feed (``\\n\\f\\n``). It raises :class:`~note_extract.core.errors.InputError` with a
clear reason for an encrypted or broken PDF and for one with no text layer at all (a scan: it must be
OCR'd first). It never guesses text from images.

:func:`page_furniture` finds, from the text and its page map alone, the lines at the top or bottom of
pages that repeat across pages (running headers and footers, short lines; numbers count as equal,
so "page 2 of 3" repeats), the page numbers and the page breaks, as raw spans of lines the
normalizer removes and records as furniture. The text on either side of a page break is then one
blank line apart, or one space when the page's last line runs on (it ends with no closing
punctuation and the next page starts no list item, heading or label).
:func:`page_of` turns an offset into its 1-based page number; :func:`page_findings` flags pages
without text among pages with text.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from note_extract.core.display import path_text
from note_extract.core.errors import InputError
from note_extract.core.findings import Finding, finding
from note_extract.core.models import FurnitureKind, Source, Span
from note_extract.core.spans import RawSpan

PAGE_JOIN = "\n\f\n"
"""What stands between two pages in the text."""

_HEADER_LENGTH = 120
"""A running header or footer is a short line; a longer one that repeats is content."""
_EDGE_LINES = 3
"""How many non-blank lines at the top and at the bottom of a page may be furniture."""

_GAP = 1.4
"""A vertical step this many times the page's usual line pitch separates two blocks."""
_LEFT_BUCKET = 12.0
"""Lines whose first characters lie within this many points share a right edge."""
_FULL_SLACK = 0.1
"""A second line ending within this share of a block's width from its rightmost end confirms the edge."""
_HEADING_LENGTH = 80
"""A numbered line shorter than this is a heading or a short item, which never runs on to the next page."""
_SPACE = 0.3
"""A space is about this share of a line's height wide."""
_BLOCK_START = re.compile(
    r"\s*(?:[-*\u2022\u25cf\u25aa]|#{1,6}|\(?(?:\d{1,2}|[a-z]|[ivxIVX]{1,4})[.)])\s"  # list item, heading
    r"|\s*[^\W\d_][\w'./-]*(?:[ \t]+[\w'./-]+){0,3}[ \t]*:(?:\s|$)"  # a label: "Organizers:"
)
_FOLDED_HYPHEN = re.compile("[\ufffe\x02]")
_DIGITS = re.compile(r"\b\d+\b")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"(?:-\s*)?(?:(?:page|p\.|p[a\u00e1]gina)\s*)?(?P<n>\d{1,4})(?:\s*(?:of|/|de|sur)\s*\d{1,4})?(?:\s*-)?",
    re.IGNORECASE,
)


_ENCRYPT = re.compile(rb"/Encrypt\b")
PDF_HINT = "if it is a scan, run OCR on it; otherwise save it again as PDF or as plain text (.txt)"


def _unreadable(shown: str, data: bytes, named_pdf: bool, reason: str) -> InputError:
    """The error for a PDF pdfium cannot open, said from the file itself."""
    if _ENCRYPT.search(data):
        return InputError(
            f"{shown}: the PDF is encrypted; decrypt it first", hint="save a decrypted copy and read that"
        )
    what = "not a readable PDF" if named_pdf else "starts like a PDF (%PDF-) but is not a readable PDF"
    return InputError(f"{shown}: {what} ({reason})", hint=PDF_HINT)


def _page_texts(shown: str, data: bytes, named_pdf: bool = True, limit: int | None = None) -> list[str]:
    """The text layer of each page (see :func:`_page_text`), read until the text passes ``limit``
    bytes; raises InputError."""
    import pypdfium2 as pdfium  # lazy: start-up

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _unreadable(shown, data, named_pdf, str(exc).split(" (PDFium")[0]) from exc
    try:
        pages = []
        size = 0
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_page_text(textpage))
                finally:
                    textpage.close()
            finally:
                page.close()
            size += len(pages[-1].encode("utf-8", errors="replace"))
            if limit is not None and size > limit:
                raise InputError(
                    f"{shown}: its text is more than the limit of {limit:,} bytes "
                    f"(read up to page {index + 1} of {len(document)})",
                    hint="a note is rarely over 50 KB of text; raise max_note_bytes in [tool.note_extract] "
                    "if it is one",
                )
        return pages
    except pdfium.PdfiumError as exc:
        raise InputError(f"{shown}: a page of the PDF cannot be read ({exc})") from exc
    finally:
        document.close()


@dataclass(frozen=True, slots=True)
class _Line:
    """A line of pdfium's page text with the position of its first and last characters."""

    text: str
    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    word: float = 0.0
    """The width of the line's first word."""
    height: float = 0.0
    end_bottom: float = 0.0
    """The bottom of the last character: lower than ``bottom`` when pdfium joined a hyphenated line."""


def _measure(textpage: Any, raw_lines: list[str]) -> list[_Line | None]:
    """Each line with its position; None for a blank line."""
    out: list[_Line | None] = []
    index = 0
    for line in raw_lines:
        stripped = line.strip()
        if stripped:
            lead = len(line[: len(line) - len(line.lstrip())].encode("utf-16-le")) // 2
            last = index + lead + len(stripped.encode("utf-16-le")) // 2 - 1
            first_word = stripped.split()[0]
            word_end = index + lead + len(first_word.encode("utf-16-le")) // 2 - 1
            left, bottom, _, top = textpage.get_charbox(index + lead, loose=True)
            _, end_bottom, right, _ = textpage.get_charbox(last, loose=True)
            _, _, word_right, _ = textpage.get_charbox(word_end, loose=True)
            width = float(word_right - left)
            height = float(top - bottom)
            out.append(
                _Line(line, float(left), float(right), float(bottom), width, height, float(end_bottom))
            )
        else:
            out.append(None)
        index += len(line.encode("utf-16-le")) // 2 + 2
    return out


def _page_text(textpage: Any) -> str:
    """One page's text; see the module docstring for what is done to pdfium's lines. Where the lines
    cannot be placed (their characters do not line up with pdfium's character count), they are kept
    as pdfium gives them, one per line."""
    raw = textpage.get_text_range()
    if len(raw.encode("utf-16-le")) // 2 != textpage.count_chars():
        return _unfold(raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
    lines = _measure(textpage, raw.split("\r\n"))
    pitches = [
        a.end_bottom - b.bottom
        for a, b in itertools.pairwise(lines)
        if a is not None and b is not None and a.end_bottom > b.bottom
    ]
    # the usual pitch: the smallest step between lines, ignoring freak ones (a raised or lowered glyph)
    usual = min((p for p in pitches if p >= 0.5 * statistics.median(pitches)), default=0.0)
    edges = _edges([line for line in lines if line is not None])
    pieces: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if line is None:
            pieces.append("\n")
            previous = None
            continue
        if previous is not None:
            pitch = previous.end_bottom - line.bottom
            if usual and (pitch > _GAP * usual or pitch < -0.5 * usual):
                pieces.append("\n\n")
            elif _wrapped(previous, line, edges):
                pieces.append(" ")
            else:
                pieces.append("\n")
        pieces.append(line.text.strip() if previous is not None else line.text.rstrip())
        previous = line
    text = "".join(pieces).replace("\r", "\n").replace("\x00", "")
    return _unfold(text)


def _unfold(text: str) -> str:
    """pdfium's folded line-end hyphens written back (see the module docstring)."""
    return _FOLDED_HYPHEN.sub(lambda m: "-\n" if text[m.end() : m.end() + 1].islower() else "-", text)


def _edges(lines: list[_Line]) -> list[float]:
    """Right edges of text blocks: the rightmost end of the lines of each left position, and of the
    whole page (table cells end there too), each kept when a second line ends near it."""
    groups: dict[int, list[_Line]] = {}
    for line in lines:
        groups.setdefault(round(line.left / _LEFT_BUCKET), []).append(line)
    edges = set()
    for group in [*groups.values(), lines] if lines else []:
        edge = max(line.right for line in group)
        near = edge - _FULL_SLACK * (edge - min(line.left for line in group))
        if sum(1 for line in group if line.right >= near) >= 2:
            edges.add(edge)
    return sorted(edges)


def _wrapped(previous: _Line, line: _Line, edges: list[float]) -> bool:
    """True when ``line`` continues ``previous``: a block's right edge lies just after that line, closer
    than the next line's first word is wide (it would not have fitted), the line ends with no label
    colon, and the next one is no list item, heading or label."""
    reach = previous.right + _SPACE * line.height + line.word
    if not any(previous.right - 1.0 <= edge < reach for edge in edges):
        return False
    tail = previous.text.rstrip()
    return not tail.endswith((":", "\ufffe", "\x02")) and not _BLOCK_START.match(line.text)


def read_pdf(
    path: Path, display_path: str | None = None, *, data: bytes | None = None, limit: int | None = None
) -> tuple[str, Source]:
    """Read a PDF note (its bytes ``data`` when the caller has read them already); see the module
    docstring. Errors name ``display_path`` when given; ``limit`` bounds the text in bytes."""
    shown = display_path if display_path is not None else path_text(path)
    named_pdf = path.suffix.lower() == ".pdf"
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    if b"%PDF-" not in data[:1024]:
        raise InputError(
            f"{shown}: named .pdf but is not a PDF (no %PDF- header)",
            hint="rename it to what it is (.txt, .html, ...) or give the real PDF",
        )
    pages = _page_texts(shown, data, named_pdf, limit)
    if not pages:
        raise InputError(f"{shown}: the PDF has no pages", hint=PDF_HINT)
    if not any(page.strip() for page in pages):
        raise InputError(
            f"{shown}: no text layer on any of its {len(pages)} page(s) (a scan?); OCR it first",
            hint="run OCR on it (ocrmypdf adds a text layer) and read the result",
        )
    spans: list[Span] = []  # the record's pages, raw offsets
    offset = 0
    for page in pages:
        spans.append((offset, offset + len(page)))
        offset += len(page) + len(PAGE_JOIN)
    text = PAGE_JOIN.join(pages)
    source = Source(
        path=display_path if display_path is not None else path.as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="pdf",
        pages=spans,
        text=text,
    )
    return text, source


def page_spans(source: Source) -> list[RawSpan]:
    """The raw span of each page of a PDF note (none for a text note)."""
    return [RawSpan(*page) for page in source.pages or ()]


def page_of(pages: Sequence[Span], offset: int) -> int:
    """The 1-based number of the page holding ``offset`` (the page before, for an offset between two)."""
    starts = [start for start, _ in pages]
    return max(1, bisect.bisect_right(starts, offset))


def _lines(text: str, start: int, end: int) -> list[RawSpan]:
    """``[start, end)`` of each non-blank line of ``text[start:end]``, whitespace trimmed."""
    out = []
    position = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(RawSpan(position + lead, position + lead + len(stripped)))
        position += len(line) + 1
    return out


def _key(line: str) -> str:
    """A line's identity across pages: case, spacing and numbers ignored."""
    return _SPACES.sub(" ", _DIGITS.sub("#", line)).strip().casefold()


PageMark = tuple[FurnitureKind, int, int, bool]
"""A furniture line found by position: kind, raw start and end, and (for a page break) whether the text
runs on across it, so that the lines on either side are joined by a space."""


def page_furniture(text: str, pages: Sequence[RawSpan]) -> list[PageMark]:
    """Running headers and footers, page numbers and page breaks, sorted by position."""
    edges, content = _page_lines(text, pages)
    found = _edge_marks(text, edges, len(pages))
    found += _page_breaks(text, pages, content, {RawSpan(a, b) for _, a, b, _ in found})
    return sorted(set(found), key=lambda item: (item[1], item[2]))


def _page_lines(text: str, pages: Sequence[RawSpan]) -> tuple[list[list[RawSpan]], list[list[RawSpan]]]:
    """Per page: the lines at its top and bottom edges (where furniture stands), and all its lines."""
    edges: list[list[RawSpan]] = []
    content: list[list[RawSpan]] = []
    for start, end in pages:
        lines = _lines(text, start, end)
        head = lines[:_EDGE_LINES]
        tail = [line for line in lines[-_EDGE_LINES:] if line not in head]
        edges.append(head + tail)
        content.append(lines)
    return edges, content


def _edge_marks(text: str, edges: list[list[RawSpan]], page_count: int) -> list[PageMark]:
    """Edge lines that are the page's own number, or that repeat at the edges of half the pages or more
    (two at least): a running header or footer."""
    pages_with: dict[str, set[int]] = {}
    for number, lines in enumerate(edges):
        for a, b in lines:
            pages_with.setdefault(_key(text[a:b]), set()).add(number)
    needed = max(2, (page_count + 1) // 2)
    found: list[PageMark] = []
    for number, lines in enumerate(edges):
        for a, b in lines:
            line = text[a:b]
            match = _PAGE_NUMBER.fullmatch(line)
            if match is not None and int(match.group("n")) == number + 1:
                found.append(("page_number", a, b, False))
            elif page_count >= 2 and len(line) <= _HEADER_LENGTH and len(pages_with[_key(line)]) >= needed:
                found.append(("running_header", a, b, False))
    return found


def _page_breaks(
    text: str,
    pages: Sequence[RawSpan],
    content: list[list[RawSpan]],
    marked: set[RawSpan],
) -> list[PageMark]:
    """A break between each two pages, saying whether the text runs on across it (furniture aside)."""
    found: list[PageMark] = []
    for number, ((_, end), (start, _)) in enumerate(itertools.pairwise(pages)):
        before = [line for line in content[number] if line not in marked]
        after = [line for line in content[number + 1] if line not in marked]
        runs_on = bool(before and after) and _runs_on(text[slice(*before[-1])], text[slice(*after[0])])
        found.append(("page_break", end + 1, start - 1, runs_on))
    return found


def _runs_on(last: str, first: str) -> bool:
    """True when a page's last line ``last`` goes on in the next page's first line ``first``: it ends
    with no closing punctuation, is no short heading ("1. Objectives"), and ``first`` starts no list
    item, heading or label."""
    if last.endswith((".", "!", "?", ":", ";")) or _BLOCK_START.match(first):
        return False
    return not (len(last) < _HEADING_LENGTH and _BLOCK_START.match(last))


def page_findings(text: str, pages: Sequence[RawSpan]) -> list[Finding]:
    """A ``pdf-page-no-text`` finding for each page without text (a scanned page among text pages)."""
    return [
        finding("pdf-page-no-text", RawSpan(start, end), number=number)
        for number, (start, end) in enumerate(pages, 1)
        if not text[start:end].strip()
    ]
