"""Decoration: what a converter or a channel wrapped around a note, taken off by its shape.

Contract: every function takes a :class:`~note_extract.read.mapped.MappedText` and returns it without
the decoration it reads, or unchanged when the text shows no evidence of it; kept characters keep their
raw offsets, and a decoded escape maps to the whole escape. Decisions come from the text itself, never
from a converter's name:

* :func:`unwrap` (before anything else): containers and transfer encodings
  (:mod:`~note_extract.read.containers`: quoted-printable, RTF, JSON, an HTML document's scripts and styles);
* :func:`unescape`: escapes left inside the text: ``\\uNNNN``, RTF ``\\'e9``, backslash escapes before
  punctuation, LaTeX-like environment marks (``\\begin{tabular}{ll}``, taken off whole), commands
  with braces (``\\textbf{Event:}``) and ``\\\\`` line ends, wiki bold (``'''``);
* :func:`strip_lines` (on text without markup): e-mail header blocks, forward banners and a reply's
  attribution line ("On ..., J. Doe wrote:") (``data/wrapping.jsonl``); line prefixes most lines
  share (quote marks ``>``/``> >``, time-stamped speaker prefixes, sequential line numbers, box
  borders on both sides, a common indentation); list markers and heading marks before a header
  label; CSV key/value rows (``"Event","..."``); labelled lines whose value is a placeholder
  (``N/A``, ``--``, ``[insert ...]``); trailing columns of numbers (scores, coordinates) on two or
  more lines.

It never drops a word of the note's own text: what goes is decoration, escapes and empty fields.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from note_extract.core.spans import CleanSpan
from note_extract.read.containers import html_head, json_text, quoted_printable, rtf
from note_extract.read.mapped import MappedText
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import LabelRow, WrappingRow


def unwrap(text: MappedText) -> MappedText:
    """The note out of its container or transfer encoding (see :mod:`~note_extract.read.containers`)."""
    for step in (quoted_printable, rtf, json_text, html_head):
        text = step(text)
    return text


# ------------------------------------------------------------------ escapes

_UNICODE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")
_RTF_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_LATEX_ENVIRONMENT = re.compile(r"\\(?:begin|end)\{[A-Za-z*]{1,20}\}(?:\{(?:[^{}\n]|\{[^{}\n]*\})*\})?")
_LATEX_BRACED = re.compile(r"\\[A-Za-z]{2,20}\*?(?:\[[^\]\n]{0,40}\])?\{([^{}\n]*)\}")
_LATEX_LINE_END = re.compile(r"[ \t]*\\\\[ \t]*$", re.MULTILINE)
_LATEX_ITEM = re.compile(r"^([ \t]*)\\item\b[ \t]*", re.MULTILINE)
_WIKI_BOLD = re.compile(r"'''(?=[^'\n]*'''|[ \t]*$)|(?<=\S)'''")
_BACKSLASH = re.compile(r"\\([\"'/:;=<>~@&%$,?])")


def _unicode(match: re.Match[str]) -> str:
    if match.group(1):
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return chr(int(match.group(3), 16))


def unescape(text: MappedText) -> MappedText:
    """Escapes and inline commands decoded; see the module docstring."""
    s = text.text
    if "\\" in s:
        text = text.edit(_UNICODE, _unicode)
        text = text.edit(_RTF_HEX, lambda m: bytes([int(m.group(1), 16)]).decode("cp1252", errors="replace"))
        text = text.edit(_LATEX_ENVIRONMENT, lambda m: "")
        for _ in range(2):  # \textbf{\emph{...}}
            text = text.edit(_LATEX_BRACED, lambda m: 1)
        text = text.edit(_LATEX_LINE_END, lambda m: "")
        text = text.edit(_LATEX_ITEM, lambda m: 1)
        text = text.edit(_BACKSLASH, lambda m: 1)
    if "'''" in s:
        text = text.edit(_WIKI_BOLD, lambda m: "")
    return text


# ------------------------------------------------------------------ lines


@derived
def _vocabulary(rules: Rules) -> dict[str, tuple[str, ...]]:
    words: dict[str, list[str]] = {}
    for row in rules.rows("wrapping.jsonl", WrappingRow):
        words.setdefault(row.kind, []).extend(row.words)
    return {kind: tuple(found) for kind, found in words.items()}


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@derived
def _mail_line(rules: Rules) -> re.Pattern[str]:
    return re.compile(
        rf"^[ \t]*(?P<key>{_alternation(_vocabulary(rules)['mail_header'])})[ \t]*:[ \t]*\S.*$",
        re.IGNORECASE | re.MULTILINE,
    )


@derived
def _banner(rules: Rules) -> re.Pattern[str]:
    return re.compile(
        rf"^[ \t]*[-_=*>]*[ \t]*(?:{_alternation(_vocabulary(rules)['banner'])})[ \t]*[-_=*:]*[ \t]*$",
        re.IGNORECASE | re.MULTILINE,
    )


@derived
def _attribution(rules: Rules) -> re.Pattern[str]:
    words = _alternation(_vocabulary(rules)["attribution"])
    return re.compile(rf"^[^\n]{{0,240}}?[ \t](?:{words})[ \t]*:[ \t]*$", re.IGNORECASE | re.MULTILINE)


_SLOT = r"\[[^\]\n]{0,40}\]|\{\{[^}\n]{0,40}\}\}|<[^<>\n]{1,40}>"
"""An unfilled template slot: ``[insert text]``, ``{{value}}``, ``<name>``."""


@derived
def _placeholder_line(rules: Rules) -> re.Pattern[str]:
    words = _alternation(_vocabulary(rules)["placeholder"])
    return re.compile(
        r"^[ \t]*(?:[-*+\u2022][ \t]+)?(?:\*\*)?[^\W\d_][\w '/()&\u2019-]{0,50}?(?:\*\*)?[ \t]*"
        r"(?:::?|=|\||\t)(?:\*\*)?[ \t]*"
        rf"(?:{words}|{_SLOT})[ \t]*\|?[ \t]*\n",
        re.IGNORECASE | re.MULTILINE,
    )


def _mail_headers(rules: Rules, text: MappedText) -> MappedText:
    """E-mail header blocks (a sender key and another mail key on consecutive lines) and forward
    banners, each line with its line end, taken off."""
    s = text.text
    if ":" not in s:
        return text
    senders = {w.casefold() for w in _vocabulary(rules)["mail_sender"]}
    cuts: list[CleanSpan] = [_with_end(s, *m.span()) for m in _banner(rules).finditer(s)]
    cuts += [_with_end(s, *m.span()) for m in _attribution(rules).finditer(s)]
    block: list[tuple[int, int, str]] = []
    for match in _mail_line(rules).finditer(s):
        if block and s.count("\n", block[-1][1], match.start()) > 1:
            cuts.extend(_block_cuts(s, block, senders, _label_set(rules)))
            block = []
        block.append((match.start(), match.end(), match.group("key").casefold()))
    cuts.extend(_block_cuts(s, block, senders, _label_set(rules)))
    return _cut(text, cuts)


def _block_cuts(
    s: str, block: list[tuple[int, int, str]], senders: set[str], labels: frozenset[str] = frozenset()
) -> list[CleanSpan]:
    """The lines of a mail header block: two keys or more, one of them a sender, or one that labels no
    note field ("Date:" above "Subject:" is a message's date, not the event's)."""
    keys = {key for _, _, key in block}
    if len(keys) < 2 or not (keys & senders or keys - labels):
        return []
    return [_with_end(s, a, b) for a, b, _ in block]


def _with_end(s: str, a: int, b: int) -> CleanSpan:
    """``[a, b)`` with the line end after it."""
    return CleanSpan(a, b + 1 if b < len(s) and s[b] == "\n" else b)


def _cut(text: MappedText, cuts: list[CleanSpan]) -> MappedText:
    if not cuts:
        return text
    merged: list[CleanSpan] = []
    for cut in sorted(cuts):
        if merged and cut.start <= merged[-1].end:
            merged[-1] = CleanSpan(merged[-1].start, max(cut.end, merged[-1].end))
        else:
            merged.append(cut)
    return text.delete_spans(merged)


_QUOTE = re.compile(r"[ \t]*>(?:[ \t]?>)*[ \t]?")
_CHAT = re.compile(
    r"[ \t]*[\[(]?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?[\])]?[ \t]*"
    r"(?:[-\u2013|][ \t]*)?[^\s:\[\]][^:\n\[\]]{0,30}?:[ \t]?"
)
_NUMBERED = re.compile(r"[ \t]*(?P<n>\d{1,5})(?:[ \t]*[|:]|\t|[ \t]{2,}|(?=[ \t]*$))[ \t]?")
_BOX_BAR = "|\u2502\u2503\u2551"
_SHARED = 0.6  # share of non-blank lines that must carry a prefix for it to be decoration
_MIN_LINES = 3
_INDENT = 4  # columns of shared indentation that make a block indented
_BOX_PLAIN = 0.3  # share of boxed lines with no bar inside (text, not table rows)


def _line_spans(s: str) -> list[CleanSpan]:
    spans: list[CleanSpan] = []
    pos = 0
    for line in s.split("\n"):
        spans.append(CleanSpan(pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _shared_prefix(
    text: MappedText, pattern: re.Pattern[str], accept: Callable[[list[tuple[int, re.Match[str]]]], bool]
) -> MappedText:
    """Take off ``pattern`` at the start of every line it matches, when it matches most lines."""
    s = text.text
    lines = _line_spans(s)
    filled = [(i, span) for i, span in enumerate(lines) if s[span[0] : span[1]].strip()]
    if len(filled) < _MIN_LINES:
        return text
    hits = [(i, m) for i, (a, b) in filled if (m := pattern.match(s, a, b)) is not None and m.end() > a]
    if len(hits) < _SHARED * len(filled) or not accept(hits):
        return text
    return text.delete_spans([CleanSpan(*m.span()) for _, m in hits])


def _sequential(hits: list[tuple[int, re.Match[str]]]) -> bool:
    """Line numbers: most numbers are their line's index plus one constant."""
    offsets = Counter(int(m.group("n")) - i for i, m in hits)
    return offsets.most_common(1)[0][1] >= _SHARED * len(hits)


def _any(hits: list[tuple[int, re.Match[str]]]) -> bool:
    return True


def _boxed(text: MappedText) -> MappedText:
    """A bar at both ends of most lines, the right bars in one column, and lines of plain text among
    them (a table has bars inside every row): a box border around the note."""
    s = text.text
    filled = [span for span in _line_spans(s) if s[span[0] : span[1]].strip()]
    boxed = []
    for a, b in filled:
        core = s[a:b].strip()
        if len(core) >= 2 and core[0] in _BOX_BAR and core[-1] in _BOX_BAR:
            plain = not any(c in _BOX_BAR for c in core[1:-1])
            boxed.append((a, b, len(s[a:b].rstrip()), plain))
    if len(filled) < _MIN_LINES or len(boxed) < _SHARED * len(filled):
        return text
    seen = Counter(w for _, _, w, _ in boxed).most_common(1)[0][1]
    if seen < _SHARED * len(boxed) or sum(p for *_, p in boxed) < _BOX_PLAIN * len(boxed):
        return text
    cuts: list[CleanSpan] = []
    for a, b, _, _ in boxed:  # a line longer than the box pushes its right bar out: taken off too
        line = s[a:b]
        left = len(line) - len(line.lstrip()) + 1
        if left < len(line) and line[left] == " ":
            left += 1
        right = len(line.rstrip()) - 1
        while right > left and line[right - 1] in " \t":
            right -= 1
        cuts += [CleanSpan(a, a + left), CleanSpan(a + right, b)]
    return text.delete_spans(cuts)


def _dedent(text: MappedText) -> MappedText:
    """The indentation every non-blank line shares, taken off when it is a block's (a TAB or four
    columns and more; a page laid out by a converter keeps its narrow margin)."""
    s = text.text
    filled = [span for span in _line_spans(s) if s[span[0] : span[1]].strip()]
    if len(filled) < _MIN_LINES:
        return text
    indents = [s[a:b][: len(s[a:b]) - len(s[a:b].lstrip(" \t"))] for a, b in filled]
    common = min(indents, key=len)
    if len(common.expandtabs()) < _INDENT or not all(i.startswith(common) for i in indents):
        return text
    return text.delete_spans([CleanSpan(a, a + len(common)) for a, _ in filled])


def strip_prefixes(text: MappedText) -> MappedText:
    """Line prefixes most lines share, taken off (nested ones too): see the module docstring."""
    for _ in range(3):
        before = text.text
        text = _shared_prefix(text, _QUOTE, _any)
        text = _shared_prefix(text, _CHAT, _any)
        text = _shared_prefix(text, _NUMBERED, _sequential)
        text = _boxed(text)
        text = _dedent(text)
        if text.text == before:
            break
    return text


# ------------------------------------------------------------------ labels and values


@derived
def _label_set(rules: Rules) -> frozenset[str]:
    """Every header label, case-folded, its words one space apart."""
    return frozenset(_key(label) for row in rules.rows("labels.jsonl", LabelRow) for label in row.labels)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _labelled(rules: Rules, pattern: re.Pattern[str], s: str) -> list[re.Match[str]]:
    """The matches of ``pattern`` whose ``label`` group is a header label (a line is tried once, at its
    start; the vocabulary is looked up, not matched)."""
    labels = _label_set(rules)
    return [m for m in pattern.finditer(s) if _key(m.group("label")) in labels]


_MARKED_LABEL = re.compile(
    r"^(?P<mark>[ \t]*(?:[-*+\u2022;]|#{1,6})[ \t]+)(?:\*\*)?(?P<label>[^\W\d_][^\n:=|\t*]{0,60}?)"
    r"(?:[ \t]*\([sS]\))?(?:\*\*)?(?P<after>[ \t]*(?:::?|=|\||\t|[ \t]{2}|$))",
    re.MULTILINE,
)
"""A list marker, a definition mark or a heading mark before a header label at a line start."""


_HEADING_LABEL = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]+)?(?P<label>[^\W\d_][^\n#:]{0,60}?)(?:[ \t]*\([sS]\))?(?P<end>[ \t]*#*[ \t]*)$",
    re.MULTILINE,
)
"""A header label alone on its line, without a colon, after heading marks or none (``### Event``,
``EVENT``): it gets a colon."""


_CSV_ROW = re.compile(
    r'^(?P<lead>[ \t]*)"(?P<key>[^"\n]{1,60})"[ \t]*(?P<sep>[,;\t])[ \t]*"(?P<value>(?:[^"\n]|"")*)"[ \t]*$',
    re.MULTILINE,
)
_CSV_QUOTE = re.compile(r'""')
_NUMERIC_TAIL = re.compile(r"(?<![ \t])(?:(?:\t|[ \t]{2,}+)[-+]?\d+(?:[.,]\d+)?%?)+[ \t]*$", re.MULTILINE)
"""Starts only where a run of blanks starts (a tail found inside one also starts at its first blank), so a
long run of blanks is crossed once, not once per blank."""
_DECIMAL = re.compile(r"\d[.,]\d")
_DIGIT_END = re.compile(r"\d[ \t]*$", re.MULTILINE)


def _label_marks(rules: Rules, text: MappedText) -> MappedText:
    """List, definition and heading marks before header labels taken off; three or more labels alone on
    their lines without a colon (after heading marks or none) get their colon."""
    s = text.text
    headings = _labelled(rules, _HEADING_LABEL, s)
    if len(headings) >= _MIN_LINES:  # a header of labels alone, not one section named like a label
        cuts: list[CleanSpan] = []
        for match in headings:
            cuts.append(
                CleanSpan(
                    match.start(), match.start() + len(match.group(0)) - len(match.group(0).lstrip(" \t#"))
                )
            )
            cuts.append(CleanSpan(*match.span("end")))
        colons = {span[0] for span in cuts[1::2]}
        text = text.delete_spans(sorted(cuts), lambda a, b: ":" if a in colons else "") if cuts else text
        s = text.text
    cuts = [CleanSpan(*m.span("mark")) for m in _labelled(rules, _MARKED_LABEL, s)]
    return text.delete_spans(cuts) if cuts else text


_TABLE_START = frozenset("|+\u2502\u250c\u251c\u2514")  # a table row or border after a list mark
_LIST_MARK = re.compile(r"[ \t]*(?P<mark>[-*+\u2022;])[ \t]+(?=\S)")


def _list_runs(rules: Rules, text: MappedText) -> MappedText:
    """A list marker on most lines of the text, or on every line of a run of lines two of which are
    labelled (``- Event: ...`` / ``- Organizers: ...`` and the lines their values wrap onto), taken off."""
    s = text.text
    filled = [span for span in _line_spans(s) if s[span[0] : span[1]].strip()]
    marks = [(a, m) for a, b in filled if (m := _LIST_MARK.match(s, a, b)) is not None]
    if not marks:
        return text
    top = Counter(m.group("mark") for _, m in marks).most_common(1)[0][0]
    if len(filled) >= _MIN_LINES and sum(m.group("mark") == top for _, m in marks) >= _SHARED * len(filled):
        return text.delete_spans([CleanSpan(*m.span()) for _, m in marks if m.group("mark") == top])
    cuts = _labelled_runs(rules, s, [a for a, _ in filled], dict(marks))
    return text.delete_spans(cuts) if cuts else text


def _is_marked_label(rules: Rules, s: str, at: int) -> bool:
    match = _MARKED_LABEL.match(s, at)
    return match is not None and _key(match.group("label")) in _label_set(rules)


def _labelled_runs(
    rules: Rules, s: str, starts: list[int], marked: dict[int, re.Match[str]]
) -> list[CleanSpan]:
    """The marks of each run of lines (from ``starts``) marked alike, two of whose lines are labelled
    or rows of a table."""
    cuts: list[CleanSpan] = []
    run: list[re.Match[str]] = []
    labelled = 0
    for a in [*starts, len(s) + 1]:
        m = marked.get(a)
        if m is not None and (not run or m.group("mark") == run[0].group("mark")):
            run.append(m)
            labelled += _is_marked_label(rules, s, a) or s[m.end() : m.end() + 1] in _TABLE_START
            continue
        if labelled >= 2:
            cuts.extend(CleanSpan(*r.span()) for r in run)
        run = [m] if m is not None else []
        labelled = int(
            m is not None and (_is_marked_label(rules, s, a) or s[m.end() : m.end() + 1] in _TABLE_START)
        )
    return cuts


_SPACED_LABEL = re.compile(
    r"^[ \t]*(?P<label>[^\W\d_][^\t\n:]{0,60}?)(?:[ \t]*\([sS]\))?(?P<gap>\t[ \t]*|[ \t]{2,})(?=[^\s:|=;])",
    re.MULTILINE,
)
"""A header label at a line start followed by a TAB or a run of spaces, then its value."""


def _spaced_labels(rules: Rules, text: MappedText) -> MappedText:
    """Two or more labels parted from their values by a TAB or spaces: the gap read as ``: ``."""
    gaps = [CleanSpan(*m.span("gap")) for m in _labelled(rules, _SPACED_LABEL, text.text)]
    if len(gaps) < 2:
        return text
    return text.delete_spans(gaps, lambda a, b: ": ")


def _csv_rows(text: MappedText) -> MappedText:
    """Key/value rows of a CSV or TSV file with quoted cells read as ``key: value`` lines."""
    rows = list(_CSV_ROW.finditer(text.text))
    if len(rows) < 2:
        return text
    cuts: list[CleanSpan] = []
    glue: dict[int, str] = {}
    for row in rows:
        cuts.append(CleanSpan(row.start("key") - 1, row.start("key")))
        cuts.append(CleanSpan(row.end("key"), row.start("value")))
        glue[row.end("key")] = ": "
        cuts.append(CleanSpan(row.end("value"), row.end()))
    text = text.delete_spans(cuts, lambda a, b: glue.get(a, ""))
    return text.edit(_CSV_QUOTE, lambda m: '"')


def _numeric_tails(text: MappedText) -> MappedText:
    """The same number of numeric columns (one with a decimal at least) at the end of two or more lines:
    scores or coordinates left beside the values, taken off."""
    s = text.text
    tails = [
        m
        for end in _DIGIT_END.finditer(s)
        if (m := _NUMERIC_TAIL.search(s, s.rfind("\n", 0, end.start()) + 1, end.end())) is not None
        and _DECIMAL.search(m.group(0))
    ]
    if len(tails) < 2:
        return text
    counts = Counter(len(m.group(0).split()) for m in tails)
    columns, seen = counts.most_common(1)[0]
    if seen < 2:
        return text
    return text.delete_spans([CleanSpan(*m.span()) for m in tails if len(m.group(0).split()) == columns])


def strip_lines(rules: Rules, text: MappedText) -> MappedText:
    """Line decoration and empty fields taken off; see the module docstring."""
    text = _mail_headers(rules, text)
    text = strip_prefixes(text)
    text = _csv_rows(text)
    text = _list_runs(rules, text)
    text = _label_marks(rules, text)
    text = _spaced_labels(rules, text)
    text = _numeric_tails(text)
    return _cut(text, [CleanSpan(*m.span()) for m in _placeholder_line(rules).finditer(text.text)])
