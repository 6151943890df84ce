"""Showing user-controlled strings (file names, note text, messages) safely.

Contract: :func:`path_text` is the text a record or report stores for a path: its POSIX form, with
bytes that are not valid in the file-system encoding written as ``\\xNN`` (so the text is always valid
UTF-8, and two different names never look the same). :func:`terminal_text` is the text printed on a
terminal or into a log: as :func:`path_text` for undecodable bytes, and every control character
(C0 but tab, DEL, C1, line and paragraph separators) and every bidirectional control (U+061C,
U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) written as ``\\xNN`` or ``\\uNNNN``, so a name
can neither move the cursor, set the window title, ring the bell, reorder what is shown nor break a
one-line-per-note log; a line that would start with ``::`` (after spaces) has its first colon
written ``\\x3a``, so that no file name becomes a GitHub Actions workflow command in a log. Neither
adds markup: callers print the result as plain text.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

_SURROGATE = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\udc80-\udcff]"
)
_WORKFLOW_COMMAND = re.compile(r"^(\s*):(?=:)")


def _byte_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def path_text(path: PurePath | str) -> str:
    """``path`` as valid text: POSIX separators, undecodable bytes as ``\\xNN``."""
    text = path.as_posix() if isinstance(path, PurePath) else os.fspath(path)
    return _SURROGATE.sub(_byte_escape, text)


def terminal_text(text: str) -> str:
    """``text`` with control characters and undecodable bytes escaped, fit to print as one line that
    never starts a workflow command."""
    return _WORKFLOW_COMMAND.sub(r"\1\\x3a", _CONTROL.sub(_byte_escape, text))
