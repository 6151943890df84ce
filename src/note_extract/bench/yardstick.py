"""A yardstick that holds still: CPU time per note against two floors measured in the same run.

Contract: :func:`measure_mix` takes note files and a built pipeline and measures, in this process, in
CPU time (``time.process_time``: other work on a shared machine does not count), the best of
``rounds`` passes over the files, after a warm-up pass:

- ``note``: what ``run`` does for each note in one worker: read and decode the file, extract, write
  the record's JSON to a file (in a temporary folder) the way ``run`` writes it (atomically: a
  temporary file renamed over the target);
- ``floor``: the least any converter must do: read and decode the file, write one JSON holding the
  text;
- ``spacy``: spaCy's own tokenizer (``spacy.blank("en")``) on the decoded text with its line ends made
  LF (spaCy's tokenizer caches no piece that holds a plain LF, so CRLF and LF texts would cost it
  differently; normalized, the yardstick does not depend on the files' line ends). None when spaCy is
  not installed.

It returns per-note milliseconds and the ratios of ``note`` to each floor. It never raises because a
note fails to convert (that note is counted in ``failed``). :func:`load_average` is the machine's
1-minute load average, reported beside worker scaling (a busy machine cannot scale).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from note_extract.batch.output import record_json, write_atomic
from note_extract.core.errors import NoteExtractError
from note_extract.read.reader import read_note

if TYPE_CHECKING:
    from note_extract.pipeline import Pipeline

ROUNDS = 3


@dataclass(frozen=True, slots=True)
class MixFigures:
    """CPU milliseconds per note of one mix of notes, and the ratios to the floors."""

    name: str
    notes: int
    note_ms: float
    floor_ms: float
    floor_ratio: float
    spacy_ms: float | None
    spacy_ratio: float | None
    failed: int


def _best(rounds: int, work: Callable[[], object]) -> float:
    """The least CPU seconds ``work`` took over ``rounds`` runs."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def _decoded(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _spacy_tokenizer() -> Callable[[str], object] | None:
    try:
        import spacy  # optional: the yardstick only
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return None
    tokenizer: Callable[[str], object] = spacy.blank("en").tokenizer
    return tokenizer


def measure_mix(name: str, files: Sequence[Path], pipeline: Pipeline, rounds: int = ROUNDS) -> MixFigures:
    """The figures of one mix; see the module docstring. Raises ValueError when ``files`` is empty."""
    if not files:
        raise ValueError(f"{name}: no notes to measure")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="note-extract-yardstick-") as folder:
        out = Path(folder)

        def notes() -> None:
            nonlocal failed
            failed = 0
            for index, path in enumerate(files):
                try:
                    raw, source = read_note(path)
                    text = record_json(pipeline.extract_text(raw, source, path.stem))
                except NoteExtractError:
                    failed += 1
                    continue
                write_atomic(out / f"{index}.json", text)

        def floor() -> None:
            for index, path in enumerate(files):
                (out / f"{index}.floor.json").write_text(
                    json.dumps({"text": _decoded(path)}), encoding="utf-8"
                )

        notes()  # warm-up: what the pipeline builds on first use is not timed
        note_s = _best(rounds, notes)
        floor_s = _best(rounds, floor)
    spacy_s = None
    tokenize = _spacy_tokenizer()
    if tokenize is not None:
        texts = [_decoded(path).replace("\r\n", "\n").replace("\r", "\n") for path in files]
        for text in texts[:50]:
            tokenize(text)
        spacy_s = _best(rounds, lambda: [tokenize(text) for text in texts])
    count = len(files)
    return MixFigures(
        name=name,
        notes=count,
        note_ms=1000 * note_s / count,
        floor_ms=1000 * floor_s / count,
        floor_ratio=note_s / floor_s if floor_s > 0 else float("inf"),
        spacy_ms=1000 * spacy_s / count if spacy_s is not None else None,
        spacy_ratio=note_s / spacy_s if spacy_s else None,
        failed=failed,
    )


def load_average() -> float | None:
    """The 1-minute load average, or None where the system does not tell it."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - not on Unix
        return None


def mix_lines(mixes: Sequence[MixFigures]) -> list[str]:
    """The figures of each mix as lines of text."""
    lines = []
    for mix in mixes:
        spacy = (
            f", spaCy tokenizer (LF) {mix.spacy_ms:.2f} ms = {mix.spacy_ratio:.1f}x"
            if mix.spacy_ms is not None and mix.spacy_ratio is not None
            else ""
        )
        lines.append(
            f"CPU per note, {mix.name} ({mix.notes} notes): run's work {mix.note_ms:.2f} ms; "
            f"I/O floor {mix.floor_ms:.3f} ms = {mix.floor_ratio:.1f}x{spacy}"
            + (f"   ({mix.failed} failed)" if mix.failed else "")
        )
    return lines
