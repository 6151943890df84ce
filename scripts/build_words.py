"""Build src/note_extract/data/words.jsonl: the words the project's own notes write, by language.

Usage: ``python scripts/build_words.py``. Reads the seeds (``data/raw``) and the hand-written notes
with gold in the repository (``tests/notes``, ``tests/reports/notes``, ``tests/heldout/notes``,
``tests/heldout2/notes``) and the month and weekday names of dateparser's locale data, and writes one
row of month and weekday names per language (``en``, ``fr``, ``es``), a row ``any`` of every word
read from the notes, and the row of short function words (:data:`SHORT`). The glued-word
reader (:mod:`note_extract.read.glued`) parts a token only into words of this list and of the other
rule files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("data/raw", "tests/notes", "tests/reports/notes", "tests/heldout/notes", "tests/heldout2/notes")
OUT = ROOT / "src" / "note_extract" / "data" / "words.jsonl"
SHORT = ("of", "on", "in", "to", "at", "by", "an", "de", "la", "le", "el", "en", "du", "et", "un", "au")
"""Function words under three letters that glue to the next or the last word ("Implementationof")."""
_TAG = re.compile(r"<[^>]+>|&[#\w]+;")
_WORD = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[a-z\u00e0-\u00ff][A-Z]")
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip


def note_words() -> set[str]:
    """Every word of the notes, case-folded; a token with a case change inside ("RegionalSeminar") is
    left out: it may be two words glued."""
    found: set[str] = set()
    for name in SOURCES:
        for path in sorted((ROOT / name).glob("*")):
            if path.suffix not in {".txt", ".md", ".html"}:
                continue
            text = _TAG.sub(" ", path.read_text(encoding="utf-8", errors="replace"))
            found |= {w.casefold() for w in _WORD.findall(text) if not _CAMEL.search(w)}
    return found


def date_names() -> dict[str, set[str]]:
    """Month and weekday names of each language, from dateparser's locale data."""
    from dateparser.languages.loader import default_loader

    names: dict[str, set[str]] = {}
    for code in ("en", "fr", "es"):
        info = default_loader.get_locale(code).info
        names[code] = {
            str(t).casefold() for key in _MONTH_KEYS for t in info.get(key, []) if str(t).isalpha()
        }
    return names


def main() -> None:
    header = (
        "# Words for the glued-word reader (read/glued.py), built by scripts/build_words.py; regenerate it,\n"
        "# do not edit it by hand. kind word: the words the seeds and hand-written notes write, with\n"
        "# dateparser's month and weekday names (never parted; a piece only between case changes).\n"
        "# kind short: the words under three letters a glued token may be parted into (of, de, ...).\n"
    )
    rows = [{"kind": "short", "language": "any", "words": list(SHORT)}]
    rows += [{"kind": "word", "language": c, "words": sorted(w)} for c, w in sorted(date_names().items())]
    rows.append({"kind": "word", "language": "any", "words": sorted(note_words())})
    OUT.write_text(header + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
