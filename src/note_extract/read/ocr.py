"""OCR repair that keeps offsets: confusable characters read back as the known word they spell.

Contract: :class:`OcrRepairer` is built once from the known words (header labels of
``data/labels.jsonl``, the registry's name words and acronyms, the words of ``data/ocr.jsonl``) and
the confusables of ``data/ocr.jsonl`` (``0``/``O``, ``1``/``l``/``I``, ``rn``/``m``, ``q``/``g``,
ligatures). :meth:`OcrRepairer.repair` returns the note with every token that becomes exactly one known
word only after undoing confusables (``0rganizers``, ``l540``, ``Comrnittee``, ``Ofﬁce``,
``Septernber``, ``Auqust``, ``WC0``) read as that word, and every number written with ``l``, ``I`` or
``O`` for a digit (``20l8``, ``l2``) read as that number, and one :class:`Repair` per token with its raw
span. A token that already is a known word, that could be two known words, or that is shorter than
three characters is left as written: nothing is rewritten blind. The repaired characters map to the
raw span of the token they replace (:meth:`~note_extract.read.mapped.MappedText.edit`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from note_extract.core.findings import Finding, finding
from note_extract.core.spans import CleanSpan, RawSpan
from note_extract.read.normalize import Normalized
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import LabelRow, OcrRow


@dataclass(frozen=True, slots=True)
class Repair:
    """A token read as a known word: where it is written, and the word."""

    span: RawSpan
    word: str

    def finding(self) -> Finding:
        """The ``ocr-repaired`` finding that tells where the repair was applied."""
        return finding("ocr-repaired", self.span, word=self.word)


# Where a confusable shows: a digit beside a letter, "rn", a "q", a ligature, a lower-case "l" before a
# capital ("lNTERPOL") or a capital "I" after a lower-case letter ("Internationai"). The token around it
# is then read whole.
_FEATURE = re.compile(  # one character class first, so the scan skips ahead fast; "rn" and "q" by find
    "[lI0-9\ufb00-\ufb04](?:(?<=l)(?=[A-Z])|(?<=[0-9])(?=[^\\W\\d_])|(?<=[^\\W\\d_][0-9])|(?<=[a-z]I)"
    "|(?<=[\ufb00-\ufb04]))"
)
_LITERALS = ("rn", "q")
_MIN_LENGTH = 3
# Digits and the letters OCR reads them as, with at least one digit and one such letter.
_NUMBER = re.compile(r"(?=[lIO]*[0-9])(?=[0-9]*[lIO])[0-9lIO]{2,4}")
_DIGITS = str.maketrans("lIO", "110")


@derived
def _rows(rules: Rules) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    rows = rules.rows("ocr.jsonl", OcrRow)
    swaps = tuple((r.seen, r.meant) for r in rows if r.kind == "confusable" and r.seen and r.meant)
    words = tuple(w for r in rows if r.kind == "words" for w in r.words)
    return swaps, words


def _label_words(rules: Rules) -> list[str]:
    rows = rules.rows("labels.jsonl", LabelRow)
    return [w for row in rows for label in row.labels for w in re.findall(r"[^\W_]+", label)]


class OcrRepairer:
    """Reads OCR-damaged tokens as known words; see the module docstring."""

    def __init__(self, rules: Rules, extra_words: Iterable[str]) -> None:
        swaps, words = _rows(rules)
        self._swaps = swaps
        table: dict[str, dict[str, str]] = {}  # key -> casefolded word -> first spelling seen
        for word in [*words, *_label_words(rules), *extra_words]:
            if len(word) >= _MIN_LENGTH:
                table.setdefault(self._key(word), {}).setdefault(word.casefold(), word)
        self._known = {folded for found in table.values() for folded in found}
        self._words = {key: next(iter(found.values())) for key, found in table.items() if len(found) == 1}

    def _key(self, token: str) -> str:
        key = token.casefold()
        for seen, meant in self._swaps:
            key = key.replace(seen, meant)
        return key

    def word_for(self, token: str) -> str | None:
        """The known word ``token`` spells once confusables are undone, or None. A number with letters
        OCR puts for digits ("20l8", "l2") is read as that number."""
        if _NUMBER.fullmatch(token):
            return token.translate(_DIGITS)
        if len(token) < _MIN_LENGTH or token.lower() in self._known:  # lower() keeps ligatures
            return None
        return self._words.get(self._key(token))

    def repair(self, note: Normalized) -> tuple[Normalized, list[Repair]]:
        """The note with damaged tokens read as their words, and the repairs made."""
        text = note.text
        edits: list[tuple[CleanSpan, str]] = []
        done = -1
        for at in _features(text):
            if at < done:
                continue
            token = _token(text, at)
            done = token.end
            word = self.word_for(text[token.start : token.end])
            if word is not None:
                edits.append((token, word))
        if not edits:
            return note, []
        words = {span.start: word for span, word in edits}  # tokens never overlap
        clean = note.clean.delete_spans([span for span, _ in edits], lambda a, b: words[a])
        repairs = [Repair(note.clean.to_raw(span), word) for span, word in edits]
        return Normalized(raw=note.raw, clean=clean, furniture=note.furniture), repairs


def _features(text: str) -> list[int]:
    """Sorted positions where a confusable shows."""
    found = [m.start() for m in _FEATURE.finditer(text)]
    for literal in _LITERALS:
        at = text.find(literal)
        while at >= 0:
            found.append(at)
            at = text.find(literal, at + 1)
    found.sort()
    return found


def _token(text: str, at: int) -> CleanSpan:
    """The word around position ``at``."""
    start = end = at
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return CleanSpan(start, end)


def registry_words(names: Iterable[str]) -> list[str]:
    """The words of registry names and acronyms that OCR repair may restore."""
    return [w for name in names for w in re.findall(r"[^\W_]+", name) if w[:1].isupper() or w[:1].isdigit()]
