"""Converting one note: the unit of work every executor runs.

Contract: :func:`convert_one` reads one note, extracts its record with a per-process
:class:`~note_extract.pipeline.Pipeline` (built on first use, or by :func:`init_worker` in a pool's
worker) and writes the record atomically, or returns it as a line; it never raises for a bad note: a
note that cannot be read, decoded or extracted becomes a :class:`NoteResult` with status ``failed`` and
its reason. It needs nothing but its arguments, so a process pool or a Dask worker can run it.
A record that cannot be written fails its note with the reason; a full disk marks the result
``stop``, so the batch ends with one error instead of one per note. A note is "unchanged" (skipped)
only when its record holds the same source sha256, rules digest, extractor version and schema
version; a file at the record's path that is not a record (the user's
own ``a.json`` beside ``a.txt``) is never replaced: the note fails, naming that file.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from note_extract.batch.output import output_errors, record_json, record_line, record_object, write_atomic
from note_extract.core.display import path_text
from note_extract.core.errors import DiskFullError, NoteExtractError, OutputError
from note_extract.core.models import SCHEMA_VERSION
from note_extract.read.reader import read_note

if TYPE_CHECKING:
    from note_extract.core.models import NoteRecord
    from note_extract.core.settings import Settings
    from note_extract.pipeline import Pipeline

T = TypeVar("T")
Status = Literal["converted", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What happened to one note."""

    path: str
    status: Status
    id: str
    title: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    venue: str | None = None
    organizations: int = 0
    issue_codes: tuple[str, ...] = ()
    low_confidence: int = 0
    """How many of the record's values (event fields, parties) have a confidence below
    :data:`LOW_CONFIDENCE`."""
    error: str | None = None
    line: str | None = None
    """The record as one JSON line, when the batch writes no files (``out_dir`` is None)."""
    stop: bool = False
    """True when no later note can succeed either (a full disk): the batch stops with this error."""


_PIPELINE: Pipeline | None = None
LOW_CONFIDENCE = 0.9
"""Below this, a value counts as low-confidence in a batch's summary (``check --min-confidence``
reports each one)."""


def low_confidence(record: NoteRecord, threshold: float = LOW_CONFIDENCE) -> int:
    """How many event fields and parties of ``record`` have a confidence below ``threshold``."""
    return sum(1 for _path, p in record.confidences() if p < threshold)


def init_worker(settings: Settings) -> None:
    global _PIPELINE
    from note_extract.pipeline import Pipeline  # lazy: spaCy loads only when a note is converted

    _PIPELINE = Pipeline(settings)


def _worker_pipeline(settings: Settings) -> Pipeline:
    global _PIPELINE
    if _PIPELINE is None or _PIPELINE.settings != settings:
        from note_extract.pipeline import Pipeline  # lazy: spaCy loads only when a note is converted

        _PIPELINE = Pipeline(settings)
    return _PIPELINE


def _unchanged(previous: dict[str, Any], sha256: str, pipeline: Pipeline) -> bool:
    """True when the record ``previous`` is the one this pipeline would write for a note of ``sha256``."""
    try:
        return bool(
            previous["source"]["sha256"] == sha256
            and previous["extractor"]["rules_sha256"] == pipeline.extractor.rules_sha256
            and previous["extractor"]["version"] == pipeline.extractor.version
            and previous["schema_version"] == SCHEMA_VERSION
        )
    except (KeyError, TypeError):
        return False


def previous_record(target: Path) -> dict[str, Any] | None:
    """The record at ``target`` (None when there is no file); raises
    :class:`~note_extract.core.errors.OutputError` when a file there is not a record (a file this tool
    did not write, which it never replaces)."""
    if not (target.exists() or target.is_symlink()):
        return None
    previous = record_object(target)
    if previous is None:
        raise OutputError(
            f"{path_text(target)} exists and is not a record note-extract wrote; it is left as it is: "
            "move it, or write the records into another folder (-o)"
        )
    return previous


def attempt(path: Path, display: str, work: Callable[[], T]) -> T | NoteResult:
    """``work()``, or a failed :class:`NoteResult` naming the note when it raises: the one place a
    note's failure becomes data (a :class:`~note_extract.core.errors.NoteExtractError` gives its
    message, anything else an "internal error" with where it happened); one bad note never stops a batch."""
    try:
        return work()
    except NoteExtractError as exc:
        reason = str(exc).removeprefix(f"{path}: ").removeprefix(f"{display}: ")  # the result names the note
        stop = isinstance(exc, DiskFullError)
        return NoteResult(path=display, status="failed", id=path_text(path.stem), error=reason, stop=stop)
    except Exception as exc:  # one bad note must never stop a batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return NoteResult(
            path=display,
            status="failed",
            id=path_text(path.stem),
            error=f"internal error {type(exc).__name__}: {exc} "
            f"(at {Path(where.filename).name}:{where.lineno})",
        )


def convert_one(settings: Settings, path: Path, display: str, target: Path | None, force: bool) -> NoteResult:
    """Convert one note and write its record to ``target`` (or return it as ``line`` when ``target`` is
    None); never raises for a bad note. Needs nothing but its arguments (and a per-process Pipeline it
    builds on first use), so any executor can run it."""
    return attempt(path, display, lambda: _convert(settings, path, display, target, force))


def _convert(settings: Settings, path: Path, display: str, target: Path | None, force: bool) -> NoteResult:
    pipeline = _worker_pipeline(settings)
    previous = previous_record(target) if target is not None else None
    raw, source = read_note(path, display, limit=settings.max_note_bytes)
    if previous is not None and not force and _unchanged(previous, source.sha256, pipeline):
        return NoteResult(path=display, status="unchanged", id=path.stem)
    record = pipeline.extract_text(raw, source, path_text(path.stem))
    if target is not None:
        with output_errors(target):
            write_atomic(target, record_json(record))
    venue = ", ".join(v for v in (record.event.venue.city, record.event.venue.country) if v) or None
    if record.event.venue.virtual:
        venue = f"{venue} (virtual)" if venue else "virtual"
    return NoteResult(
        path=display,
        status="converted",
        id=record.id,
        title=record.event.title,
        start_date=record.event.start_date.isoformat() if record.event.start_date else None,
        end_date=record.event.end_date.isoformat() if record.event.end_date else None,
        venue=venue,
        organizations=len({m.id or m.text for m in record.mentions.organizations}),
        issue_codes=tuple(i.code for i in record.issues),
        low_confidence=low_confidence(record),
        line=record_line(record) if target is None else None,
    )
