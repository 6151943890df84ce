"""Containers and transfer encodings a note may come in, taken off by their shape, offsets kept.

Contract: each function takes a :class:`~note_extract.read.mapped.MappedText` and returns it unchanged
unless the whole text has the container's shape, then the note inside it (every kept character maps to
where it is written in the raw text; a decoded escape maps to the whole escape):

* :func:`quoted_printable`: many ``=XX`` byte escapes (``=C3=A9``, ``=3D``) or ``=`` soft line breaks,
  in a text of plain ASCII;
* :func:`rtf`: a text that opens with ``{\\rtf``: control words, groups and braces go, ``\\par`` is a
  line break, ``\\'e9`` and ``\\u233`` are their characters;
* :func:`json_text`: a JSON object (or array) whose one long string field is the note, or whose short
  fields are the note's fields (read as ``key: value`` lines), or JSON lines whose one field carries
  the note a line at a time; string escapes (``\\n``, ``\\"``, ``\\u00e9``) are decoded;
* :func:`html_head`: an HTML document's scripts, styles, comments and doctype, which hold no text of
  the note.

Nothing here knows which converter wrote the text, and nothing is moved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from note_extract.core.spans import CleanSpan
from note_extract.read.mapped import MappedText

_QP_BYTE = re.compile(r"(?:=[0-9A-F]{2})+")
_QP_SOFT = re.compile(r"=[ \t]*\r?\n")
_QP_MIN = 3  # escapes (or soft breaks) a quoted-printable text shows at least


def quoted_printable(text: MappedText) -> MappedText:
    """A quoted-printable body decoded: soft line breaks joined, byte escapes read as UTF-8 (else
    Windows-1252)."""
    s = text.text
    if not s.isascii() or "=" not in s:
        return text
    escapes = len(_QP_BYTE.findall(s))
    soft = len(_QP_SOFT.findall(s))
    if escapes + soft < _QP_MIN or (soft == 0 and "=3D" not in s and escapes < 2 * _QP_MIN):
        return text
    text = text.edit(_QP_SOFT, lambda m: "")
    return text.edit(_QP_BYTE, _qp_bytes)


def _qp_bytes(match: re.Match[str]) -> str:
    data = bytes.fromhex(match.group(0).replace("=", ""))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_RTF_START = re.compile(r"\s*\{\\rtf")
_RTF_DESTINATION = re.compile(
    r"\{\\(?:\*|fonttbl|colortbl|stylesheet|info|pict|header|footer)[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
)
_RTF_WORD_END = re.compile(r"(\\[a-zA-Z]{1,32}-?\d*)[ ]?\r?\n")  # a line end closes a control word
_RTF_NEWLINE = re.compile(r"\r?\n")
_RTF_PAR = re.compile(r"\\(?:par|line|row)\b(?:-?\d+)?[ ]?")
_RTF_CELL = re.compile(r"\\cell\b[ ]?")
_RTF_TAB = re.compile(r"\\tab\b[ ]?")
_RTF_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_RTF_UNICODE = re.compile(r"\\u(-?\d{1,5})[ ]?(?:\\'[0-9a-fA-F]{2}|\?)?")
_RTF_WORD = re.compile(r"\\[a-zA-Z]{1,32}(?:-?\d{1,10})?[ ]?")
_RTF_SYMBOL = re.compile(r"\\([\\{}])")
_RTF_BRACE = re.compile(r"(?<!\\)[{}]")


def rtf(text: MappedText) -> MappedText:
    """An RTF document as its text: see the module docstring."""
    if _RTF_START.match(text.text) is None:
        return text
    text = text.edit(_RTF_DESTINATION, lambda m: "")
    text = text.edit(_RTF_WORD_END, lambda m: m.group(1) + " ")
    text = text.edit(_RTF_NEWLINE, lambda m: "")
    text = text.edit(_RTF_PAR, lambda m: "\n")
    text = text.edit(_RTF_CELL, lambda m: " | ")
    text = text.edit(_RTF_TAB, lambda m: "\t")
    text = text.edit(_RTF_HEX, lambda m: bytes([int(m.group(1), 16)]).decode("cp1252", errors="replace"))
    text = text.edit(_RTF_UNICODE, lambda m: chr(int(m.group(1)) % 65536))
    text = text.edit(_RTF_WORD, lambda m: "")
    text = text.edit(_RTF_BRACE, lambda m: "")
    return text.edit(_RTF_SYMBOL, lambda m: 1)


# A JSON string literal: its content is group 1; a key when a colon follows.
_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"(?P<key>[ \t]*:)?')
_JSON_ESCAPE = re.compile(
    r'\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(["\\/bfnrt]))'
)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "", "f": "\n", "n": "\n", "r": "", "t": "\t"}
_ONE_FIELD = 0.8  # a string this share of all string text or more is the note itself
_JSON_LINES = 0.8  # share of non-blank lines that are JSON objects in a JSON-lines file

_Pair = tuple[str, CleanSpan]
"""A JSON string value: its key (or "") and the span of its content."""


def _json_escape(match: re.Match[str]) -> str:
    if match.group(1):
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    if match.group(3):
        return chr(int(match.group(3), 16))
    return _SIMPLE[match.group(4)]


def _pairs(s: str, start: int, end: int) -> list[_Pair]:
    """The string values between ``start`` and ``end``, each with the key before it."""
    pairs: list[_Pair] = []
    key = ""
    for match in _JSON_STRING.finditer(s, start, end):
        if match.group("key"):
            key = match.group(1)
        else:
            pairs.append((key, CleanSpan(*match.span(1))))
            key = ""
    return pairs


def _parses(s: str) -> bool:
    try:
        json.loads(s)
    except ValueError:
        return False
    return True


def _keep(text: MappedText, spans: list[CleanSpan], glue: Callable[[int], str]) -> MappedText:
    """Only ``spans`` of the text kept, the ``i``-th gap (before span ``i``) replaced by ``glue(i)``."""
    cuts: list[CleanSpan] = []
    last = 0
    for a, b in spans:
        cuts.append(CleanSpan(last, a))
        last = b
    cuts.append(CleanSpan(last, len(text.text)))
    glues = {cut[0]: glue(i) for i, cut in enumerate(cuts)}
    return text.delete_spans([c for c in cuts if c[1] > c[0]], lambda a, b: glues.get(a, ""))


def _one_object(text: MappedText) -> MappedText | None:
    s = text.text
    stripped = s.strip()
    if not stripped or stripped[0] not in "{[" or stripped[-1] not in "}]" or not _parses(stripped):
        return None
    pairs = _pairs(s, 0, len(s))
    if not pairs:
        return None
    total = sum(b - a for _, (a, b) in pairs)
    longest = max(pairs, key=lambda p: p[1][1] - p[1][0])[1]
    if longest[1] - longest[0] >= _ONE_FIELD * total:
        return _keep(text, [longest], lambda i: "")
    return _fields(text, [(key, span) for key, span in pairs if span[1] > span[0]])


def _fields(text: MappedText, pairs: list[_Pair]) -> MappedText:
    """Short JSON fields as ``key: value`` lines: each value kept, its key written before it as glue."""
    return _keep(text, [span for _, span in pairs], lambda i: _field_glue(pairs, i))


def _field_glue(pairs: list[_Pair], i: int) -> str:
    if i >= len(pairs):
        return ""
    label = pairs[i][0].replace("_", " ").strip()
    head = "" if i == 0 else "\n"
    return f"{head}{label}: " if label else head


def _lines_of_objects(text: MappedText) -> MappedText | None:
    s = text.text
    lines: list[CleanSpan] = []
    pos = 0
    for line in s.split("\n"):
        if line.strip():
            lines.append(CleanSpan(pos, pos + len(line)))
        pos += len(line) + 1
    objects = [
        line for line in lines if s[slice(*line)].strip()[:1] == "{" and s[slice(*line)].rstrip()[-1:] == "}"
    ]
    if len(objects) < 2 or len(objects) < _JSON_LINES * len(lines) or not _parses(s[slice(*objects[0])]):
        return None
    per_line = [_pairs(s, a, b) for a, b in objects]
    weight: dict[str, int] = {}
    for pairs in per_line:
        for key, (a, b) in pairs:
            weight[key] = weight.get(key, 0) + b - a
    if not weight:
        return None
    best = max(weight, key=lambda k: weight[k])
    spans = [next((span for key, span in pairs if key == best), None) for pairs in per_line]
    kept = [
        span if span is not None else CleanSpan(a, a) for span, (a, _) in zip(spans, objects, strict=True)
    ]
    return _keep(text, kept, lambda i: "" if i == 0 or i >= len(kept) else "\n")


def json_text(text: MappedText) -> MappedText:
    """The note inside a JSON object or JSON lines, its string escapes decoded; see the module docstring."""
    head = text.text.lstrip()[:1]
    if head not in ("{", "["):
        return text
    inside = _one_object(text) or _lines_of_objects(text)
    if inside is None:
        return text
    return inside.edit(_JSON_ESCAPE, _json_escape)


_HTML_HEAD = re.compile(
    r"<!DOCTYPE[^>]*>|<!--.*?-->|<(script|style|noscript)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


def html_head(text: MappedText) -> MappedText:
    """An HTML document without its scripts, styles, comments and doctype."""
    if "<" not in text.text:
        return text
    return text.edit(_HTML_HEAD, lambda m: "")
