"""Writing records: deterministic JSON, written atomically.

Contract: :func:`record_json` gives the same bytes for the same record (model field order, UTF-8
without escapes, two-space indent, trailing newline); ``source.pages`` and ``source.text``, which only
PDF notes have, are left out when absent, so a text note's record has the same shape as before them.
:func:`write_atomic` writes to a temporary file in the target folder and renames it over the target,
so a reader never sees half a record.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .models import NoteRecord


def _absent(record: NoteRecord) -> dict[str, set[str]] | None:
    """The PDF-only source fields this record lacks, to leave out."""
    absent = {key for key in ("pages", "text") if getattr(record.source, key) is None}
    return {"source": absent} if absent else None


def record_json(record: NoteRecord) -> str:
    """The record as deterministic JSON text (pydantic's serializer: model field order, no ASCII
    escapes, shortest round-trip floats)."""
    return record.model_dump_json(indent=2, exclude=_absent(record)) + "\n"


def record_line(record: NoteRecord) -> str:
    """The record as one JSON Lines line."""
    return record.model_dump_json(exclude=_absent(record)) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
