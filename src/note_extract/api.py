"""The Python API: records from text, files and folders, without the command line.

Contract: :func:`extract` turns note text into a :class:`~note_extract.core.models.NoteRecord`;
:func:`extract_file` reads a note file (``.txt``, ``.md``, ``.html``, ``.pdf``) and does the same;
:func:`extract_folder` yields the record of every note under a folder, in path order, with the failures
given as :class:`~note_extract.batch.batch.NoteResult` values instead of raising. All take optional
:class:`~note_extract.core.settings.Settings` (default: the shipped rules) and reuse one
:class:`~note_extract.pipeline.Pipeline` per settings value for the life of the process; build a
``Pipeline`` yourself to hold it explicitly. These names are the stable public API, re-exported by the
package: ``from note_extract import extract, extract_file, extract_folder, Pipeline``. Errors are
:class:`~note_extract.core.errors.NoteExtractError` (a file that cannot be read raises ``InputError``);
what a note lacks is in the record's ``issues``. The command line calls these same functions.
:func:`extract` raises ``TypeError`` for text that is not a ``str`` (decode bytes first, or use
:func:`extract_file`) and ``InputError`` for a ``str`` that is not valid Unicode (an unpaired
surrogate). :func:`extract_folder` never raises for a note: an internal error in one note is a
failed ``NoteResult`` too.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from note_extract.batch.batch import DEFAULT_PATTERNS, discover
from note_extract.batch.convert import NoteResult, attempt
from note_extract.core.errors import InputError
from note_extract.core.models import NoteRecord, Source
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline

_PIPELINES: dict[str, Pipeline] = {}


def pipeline_for(settings: Settings | None = None) -> Pipeline:
    """The process's shared :class:`Pipeline` for ``settings`` (built on first use)."""
    settings = settings or Settings()
    key = settings.model_dump_json()
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(settings)
    return _PIPELINES[key]


def extract(
    text: str, *, note_id: str = "note", path: str | None = None, settings: Settings | None = None
) -> NoteRecord:
    """The record of a note given as text. ``source.sha256`` and ``size`` are those of its UTF-8 bytes;
    ``source.path`` is ``path``, or ``note_id`` when no path is given. Raises ``TypeError`` when
    ``text`` is not a ``str`` and ``InputError`` when it holds an unpaired surrogate."""
    if not isinstance(text, str):
        raise TypeError(
            f"extract() takes the note's text as str, not {type(text).__name__}; "
            "decode bytes first (or use extract_file)"
        )
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{path or note_id}: the text is not valid Unicode (an unpaired surrogate "
            f"U+{ord(text[exc.start]):04X} at offset {exc.start})"
        ) from None
    source = Source(
        path=path if path is not None else note_id,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="utf-8",
    )
    return pipeline_for(settings).extract_text(text, source, note_id)


def extract_file(path: str | os.PathLike[str], *, settings: Settings | None = None) -> NoteRecord:
    """The record of one note file; raises ``InputError`` when it cannot be read."""
    return pipeline_for(settings).extract_file(Path(path))


def extract_folder(
    folder: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    patterns: Iterable[str] = DEFAULT_PATTERNS,
) -> Iterator[NoteRecord | NoteResult]:
    """The record of every note under ``folder`` (recursively, sorted by path); a note that cannot be
    read or fails comes as a ``NoteResult`` with status ``failed`` and its reason, and the others go on."""
    root = Path(folder)
    pipeline = pipeline_for(settings)
    base = root if root.is_dir() else root.parent
    for path in discover(root, tuple(patterns)):
        shown = path.relative_to(base).as_posix()
        yield attempt(path, shown, functools.partial(pipeline.extract_file, path, shown))
