"""Stage 1: normalize the raw note into clean text with a map back to raw offsets.

Input: the raw text as decoded. Output: :class:`Normalized` — the clean text as a
:class:`~note_extract.read.mapped.MappedText` and the page furniture that was set apart (each with its raw
span). What it does, in order: repair mojibake (ftfy, per suspicious run), unify line ends, turn
HTML table cells into markdown table cells (a row on one line: breaks between and inside its cells
become spaces) and other HTML line breaks into line breaks, drop footnote
markers, strip HTML tags and decode entities (twice, for converter debris such as
``<sup>&</sup>lt;sup>1</sup>``), remove markdown emphasis and links, unify spaces, dashes and quotes,
join words hyphenated across line ends, part words a text extraction ran together
(:mod:`~note_extract.read.glued`, when the text holds several), then remove the furniture lines listed in
``data/furniture.jsonl`` (disclaimer footnote, running headers, page numbers, page breaks, the
document title), gluing back a sentence the footnote had split. Furniture found by position before
any of this (a PDF's running headers and page numbers, given as raw spans of whole lines) is removed
first, line and all. It never deletes text without recording it as furniture, except markup
characters, and it never moves text. Spaces, dashes and quotes are unified in one pass; a pass whose
pattern needs a character the text does not hold ("<", "&", "*", "[", a non-ASCII one) is skipped,
which changes nothing but the time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ftfy

from note_extract.core.models import FurnitureKind
from note_extract.core.spans import CleanSpan, RawSpan
from note_extract.read.decorate import strip_lines, unescape, unwrap
from note_extract.read.glued import part_glued
from note_extract.read.mapped import MappedText
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import FurnitureRule

if TYPE_CHECKING:
    from note_extract.read.pdf import PageMark


@dataclass(frozen=True, slots=True, order=True)
class FurnitureMark:
    """Furniture set apart from the text: its kind and where it is written (it has no clean span)."""

    span: RawSpan
    kind: FurnitureKind


@dataclass(frozen=True, slots=True)
class Normalized:
    """Clean text, its map to the raw text, and the furniture set apart."""

    raw: str
    clean: MappedText
    furniture: tuple[FurnitureMark, ...]
    stops: tuple[int, ...] = ()
    """Clean offsets, sorted, past which a labelled header value does not go on (where the shape of
    the header ends a value: a table row's end, a new chat message); set by the layout stage."""

    @property
    def text(self) -> str:
        """The clean text."""
        return self.clean.text


_MOJIBAKE = re.compile(
    "(?:[\u00c2\u00c3\u00c5\u00e2]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3})+"
)
_CR = re.compile(r"\r\n?")
# HTML table cells become markdown table cells, so an HTML header table reads like a markdown one.
# Inside a table row, line breaks between cells and paragraph or line-break tags inside a cell would
# split the row; they become nothing and a space (a cell's text stays one line).
_HTML_ROW_GAP = re.compile(r"(?<=>)[ \t\r]*\n\s*(?=<t[dh]\b|</t[dhr]\s*>)", re.IGNORECASE)
_HTML_CELL_BREAK = re.compile(
    r"\s*<(?:br|/?p|/?div)\b[^<>]*>\s*(?=(?:[^<]|<(?!/?t[dhr]\b|/?table\b))*</t[dh]\s*>)", re.IGNORECASE
)
_HTML_CELL = re.compile(r"(?P<open><t[dh]\b[^<>]*>)|</t[dh]\s*>|(?P<row></tr\s*>)", re.IGNORECASE)
_HTML_BREAK = re.compile(
    r"<br\s*/?>(?:[ \t]*\n(?![ \t]*\n))?|</?(?:p|div|tr|li|h[1-6]|table|ul|ol)\b[^<>]*>", re.IGNORECASE
)
_SUP_MARKER = re.compile(r"<sup>\s*[\d*\u2020]{1,3}\s*</sup>", re.IGNORECASE)
_MD_FOOTNOTE_REF = re.compile(r"\[\^[\w-]{1,10}\](?!:)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Lookbehinds come after the first character so the regex engine can scan for it quickly.
_UNI_SUPERSCRIPT = re.compile(
    "[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]"
    "(?<=[\\w.)\"'][\u00b9\u00b2\u00b3\u2070\u2074-\u2079])"
    "[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]*"
)
_MD_STRONG = re.compile(r"\*\*|__(?:(?=\S)|(?<=\S__))")
_MD_EM = re.compile(r"\*(?<![\w*]\*)(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_LABEL_STOP = re.compile(r"[\]\n]")
_TARGET_STOP = re.compile(r"[)\s]")


class _NextStop:
    """The first match of ``stop`` at or after a position, for positions asked in ascending order: each
    character is scanned once, however many positions are asked about."""

    def __init__(self, stop: re.Pattern[str], text: str) -> None:
        self.stop, self.text, self.found = stop, text, -1

    def at(self, position: int) -> int:
        if self.found < position:
            match = self.stop.search(self.text, position)
            self.found = match.start() if match is not None else len(self.text)
        return self.found


class _MarkdownLinks:
    """The matches of ``_MD_LINK`` (``[label](target)``), found in time linear in the text: a label
    ends at the first "]" or line end, a target at the first ")" or space, so the next stop is looked up
    instead of each "[" scanning the rest of the text again."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        label_stop, target_stop = _NextStop(_LABEL_STOP, text), _NextStop(_TARGET_STOP, text)
        position = text.find("[")
        while position >= 0:
            close = label_stop.at(position + 1)
            after = position + 1
            if close > position + 1 and text.startswith("](", close):
                end = target_stop.at(close + 2)
                if end > close + 2 and text.startswith(")", end):
                    match = _MD_LINK.match(text, position, end + 1)
                    if match is not None:
                        yield match
                        after = end + 1
            position = text.find("[", after)


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_UNIFIED = {
    " ": "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t",
    "-": "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d",
    '"': "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033",
    "'": "\u2018\u2019\u201a\u201b\u2032",
}
"""Spaces, dashes, double and single quotes, each unified to its plain ASCII character."""
_UNIFY = {char: plain for plain, chars in _UNIFIED.items() for char in chars}
_TO_UNIFY = re.compile(f"[{''.join(_UNIFY)}]")
_BULLET_GLYPHS = re.compile(
    "^[ \\t]*[\u2022\u25cf\u25aa\u25a0\u2023\u2043\u25e6\uf0b7](?=[ \\t])", re.MULTILINE
)
# Not when the next line is a row of columns ("Com-" / "support of:    mittee"): layout joins those by cell.
_HYPHENATED = re.compile(r"-\n(?<=[a-z]-\n)(?=[a-z])(?![^\n]*\S[ \t]{2,}\S)")
_TERMINAL = ".!?"
_BLANK_AFTER = re.compile(r"[^\n]*(?:\n[ \t]*(?=\n))*\n?")
_NUMBERED_HEADING = re.compile(r"\d{1,2}[.)][ \t]+[A-Z]")  # "1. Background" after a removed line starts anew


@derived
def furniture_rules(rules: Rules) -> tuple[tuple[FurnitureRule, re.Pattern[str]], ...]:
    """The furniture rules, compiled."""
    rows = rules.rows("furniture.jsonl", FurnitureRule)
    return tuple((row, re.compile(row.pattern, re.IGNORECASE | re.MULTILINE)) for row in rows)


def _fix_mojibake(match: re.Match[str]) -> str:
    fixed = ftfy.fix_encoding(match.group(0))
    return fixed if isinstance(fixed, str) else match.group(0)


def _cell_mark(match: re.Match[str]) -> str:
    """``<td>`` opens a markdown cell, ``</tr>`` closes the row, ``</td>`` leaves a space."""
    return "| " if match.group("open") else "|\n" if match.group("row") else " "


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def _record(text: MappedText, pattern: re.Pattern[str], kind: FurnitureKind) -> list[FurnitureMark]:
    return [
        FurnitureMark(text.to_raw(CleanSpan(*match.span())), kind)
        for match in pattern.finditer(text.text)
        if match.end() > match.start()
    ]


def _line_block(text: str, start: int, end: int) -> CleanSpan:
    """Widen a match to the whole lines it sits on, with the blank lines around it."""
    a = start
    while a > 0 and text[a - 1] in " \n":
        a -= 1
    b = end
    while b < len(text) and text[b] in " \n":
        b += 1
    return CleanSpan(a, b)


def _remove_furniture(rules: Rules, text: MappedText) -> tuple[MappedText, list[FurnitureMark]]:
    furniture: list[FurnitureMark] = []
    blocks: list[CleanSpan] = []
    for rule, pattern in furniture_rules(rules):
        if rule.action != "delete":
            continue
        for match in pattern.finditer(text.text):
            if match.end() == match.start():
                continue
            furniture.append(FurnitureMark(text.to_raw(CleanSpan(*match.span())), rule.kind))
            blocks.append(_line_block(text.text, *match.span()))
    if not blocks:
        return text, furniture
    merged: list[CleanSpan] = []
    for block in sorted(blocks):
        if merged and block.start <= merged[-1].end:
            merged[-1] = CleanSpan(merged[-1].start, max(block.end, merged[-1].end))
        else:
            merged.append(block)
    source = text.text

    def joiner(a: int, b: int) -> str:
        before = source[a - 1] if a > 0 else ""
        after = source[b] if b < len(source) else ""
        if not before or not after:
            return ""
        if (
            before not in _TERMINAL
            and (after.islower() or after.isdigit())
            and not _NUMBERED_HEADING.match(source, b)
        ):
            return " "
        return "\n\n"

    return text.delete_spans(merged, joiner), furniture


def _remove_lines(
    text: MappedText, raw: str, marks: Sequence[PageMark]
) -> tuple[MappedText, list[FurnitureMark]]:
    """Remove known furniture lines (raw spans on the untouched text), each with its line end and the
    blank lines after it. Where a page break is removed, the text on either side is one blank line
    apart, or one space when the mark says the text runs on across it."""
    furniture = [FurnitureMark(RawSpan(a, b), kind) for kind, a, b, _ in marks]
    cuts: list[tuple[int, int, str]] = []
    for kind, a, b, runs_on in sorted(marks, key=lambda m: (m[1], m[2])):
        while a > 0 and raw[a - 1] in " \t":
            a -= 1
        blank = _BLANK_AFTER.match(raw, b)
        b = blank.end() if blank else len(raw)
        glue = (" " if runs_on else "\n") if kind == "page_break" else ""
        if cuts and a <= cuts[-1][1]:
            cuts[-1] = (cuts[-1][0], max(b, cuts[-1][1]), cuts[-1][2] or glue)
        else:
            cuts.append((a, b, glue))
    # the text is still the raw text mapped onto itself: a raw offset is also a clean one
    spans = [
        CleanSpan(a - 1, b) if glue == " " and a > 0 and raw[a - 1] == "\n" else CleanSpan(a, b)
        for a, b, glue in cuts
    ]
    glues = {span[0]: glue for span, (_, _, glue) in zip(spans, cuts, strict=True)}
    return text.delete_spans(spans, lambda a, b: glues.get(a, "")), furniture


def _unified(match: re.Match[str]) -> str:
    return _UNIFY[match.group(0)]


def _markup(
    text: MappedText, raw: str, furniture: list[FurnitureMark]
) -> tuple[MappedText, list[FurnitureMark]]:
    """HTML cells, breaks, footnote markers, tags and entities (each pass skipped when the text holds
    none of the characters its pattern starts with: the result is the same)."""
    if "<t" in raw or "<T" in raw:
        text = text.edit(_HTML_ROW_GAP, lambda m: "")
        text = text.edit(_HTML_CELL_BREAK, lambda m: " ")
    if "<" in text.text:
        text = text.edit(_HTML_CELL, _cell_mark)
        text = text.edit(_HTML_BREAK, lambda m: "\n")
        furniture = [*furniture, *_record(text, _SUP_MARKER, "footnote_marker")]
        text = text.edit(_SUP_MARKER, lambda m: "")
    for _ in range(2):
        if "<" in text.text:
            text = text.edit(_TAG, lambda m: "")
        if "&" in text.text:
            text = text.edit(_ENTITY, _unescape)
    return text, furniture


def _markdown(text: MappedText, furniture: list[FurnitureMark]) -> tuple[MappedText, list[FurnitureMark]]:
    """Markdown footnote references, superscript markers, links, escapes and emphasis (each pass
    skipped when the text holds none of the characters its pattern needs: ``isascii`` is free)."""
    if "[^" in text.text:
        furniture = [*furniture, *_record(text, _MD_FOOTNOTE_REF, "footnote_marker")]
        text = text.edit(_MD_FOOTNOTE_REF, lambda m: "")
    if not text.text.isascii():
        furniture = [*furniture, *_record(text, _UNI_SUPERSCRIPT, "footnote_marker")]
        text = text.edit(_UNI_SUPERSCRIPT, lambda m: "")
    if "[" in text.text:
        text = text.edit(_MarkdownLinks(), lambda m: 1)
    if "\\" in text.text:
        text = text.edit(_MD_ESCAPE, lambda m: 1)
    if "*" in text.text or "__" in text.text:
        text = text.edit(_MD_STRONG, lambda m: "")
    if "*" in text.text:
        text = text.edit(_MD_EM, lambda m: 1)
    return text, furniture


def normalize(rules: Rules, raw: str, page_furniture: Sequence[PageMark] = ()) -> Normalized:
    """Run every normalization step over ``raw``; see the module docstring for the contract.

    ``page_furniture`` lists lines already known to be furniture (see
    :func:`note_extract.read.pdf.page_furniture`).
    """
    text = MappedText.identity(raw)
    furniture: list[FurnitureMark] = []
    if page_furniture:
        text, furniture = _remove_lines(text, raw, page_furniture)
    text = unwrap(text)
    if not text.text.isascii():
        text = text.edit(_MOJIBAKE, _fix_mojibake)
    if "\r" in text.text:
        text = text.edit(_CR, lambda m: "\n")
    text, furniture = _markup(text, raw, furniture)
    text = unescape(text)
    text, furniture = _markdown(text, furniture)
    if not text.text.isascii():
        text = text.edit(_INVISIBLE, lambda m: "")
    text = strip_lines(rules, text)
    if not text.text.isascii() or "\t" in text.text:
        text = text.edit(_TO_UNIFY, _unified)
    if not text.text.isascii():
        text = text.edit(_BULLET_GLYPHS, lambda m: "-")
    if "-\n" in text.text:
        text = text.edit(_HYPHENATED, lambda m: "")
    text = part_glued(rules, text)
    text, removed = _remove_furniture(rules, text)
    furniture += removed
    furniture.sort()
    return Normalized(raw=raw, clean=text, furniture=tuple(furniture))
