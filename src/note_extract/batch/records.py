"""Reading a batch back: the records in an output folder and the raw text each one was made from.

Contract: :func:`load_batch` returns every ``*.json`` record (:func:`batch_files` lists them without
reading, :func:`load_record` reads one) under a folder (recursively; names starting
with '.' or '_' skipped, and any folder marked as a review site by :data:`SITE_MARKER`, whose
``records/`` are copies), validated as :class:`~note_extract.core.models.NoteRecord`, sorted by relative
path; a file that is not a valid record raises :class:`~note_extract.core.errors.InputError` naming it.
:func:`read_source` finds the raw note a record names — ``NOTES_DIR/source.path`` for each notes
folder given, in order (``source.path`` is relative to the folder the batch was run on), else
``source.path`` as written (absolute, or relative to the working directory) — decodes it as the
pipeline did, and takes the first file whose sha256 is the record's. It never raises for a missing
or changed file: it returns a :class:`SourceText` whose ``text`` is ``None`` and whose ``problem``
says what is wrong and how to fix it, because offsets into a different text would highlight the
wrong characters.

:func:`iter_record_files` yields the same files one folder listing at a time.
:func:`record_files` lists the record files of a folder (the same ones, keyed by their relative path
without ``.json``) without reading them, and :func:`read_record_json` reads one record as its JSON
object, unvalidated, for readers that must take records of other schema versions (a record diff);
it raises :class:`~note_extract.core.errors.InputError` for a file that is not JSON or not a record.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from note_extract.core.errors import InputError
from note_extract.core.models import NoteRecord
from note_extract.read.reader import decode

SITE_MARKER = ".note-extract-site"
"""The file that marks a folder as a review site the tool wrote (and may replace)."""


def _record_files(out_dir: Path) -> Iterator[Path]:
    """``*.json`` files under ``out_dir``, not in hidden or ``_`` folders nor in a marked site."""
    for parent, dirs, names in os.walk(out_dir):
        folder = Path(parent)
        if folder != out_dir and SITE_MARKER in names:
            dirs.clear()
            continue
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        for name in names:
            if name.endswith(".json") and not name.startswith((".", "_")):
                yield folder / name


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """One record and where it was read from."""

    rel: str
    """POSIX path of the record file relative to the output folder, without ``.json``."""
    record: NoteRecord


@dataclass(frozen=True, slots=True)
class SourceText:
    """The raw text of a note, or why it could not be had."""

    path: Path
    text: str | None
    problem: str | None = None


def record_files(out_dir: Path) -> dict[str, Path]:
    """The record files under ``out_dir`` by relative POSIX path without ``.json``; see the module
    docstring. Nothing is read."""
    found: dict[str, Path] = {}
    for path in sorted(_record_files(out_dir)):
        rel = path.relative_to(out_dir)
        if not path.is_file():
            continue
        found[rel.with_suffix("").as_posix()] = path
    return found


def iter_record_files(out_dir: Path) -> Iterator[tuple[str, Path]]:
    """The record files of :func:`record_files`, in the same order, one folder listing at a time (the
    list of a batch is never held whole)."""

    def walk(folder: Path, prefix: str) -> Iterator[tuple[str, Path]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        if prefix and any(entry.name == SITE_MARKER for entry in entries):
            return  # a review site inside the output folder: its records/ are copies
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            path = Path(entry.path)
            if entry.is_dir():
                yield from walk(path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".json") and entry.is_file():
                yield f"{prefix}{entry.name[: -len('.json')]}", path

    yield from walk(out_dir, "")


def batch_files(out_dir: Path) -> list[tuple[str, Path]]:
    """Every record file under ``out_dir`` as (relative name without ``.json``, path), in path order;
    nothing is read, so a caller can take the records one at a time (:func:`load_record`)."""
    return list(record_files(out_dir).items())


def load_record(path: Path) -> NoteRecord:
    """One record file, validated; an unreadable or invalid one raises InputError naming it."""
    try:
        return NoteRecord.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        raise InputError(f"{path}: not a note record: {where}: {first['msg']}") from exc


def load_batch(out_dir: Path) -> list[LoadedRecord]:
    """Every record under ``out_dir``; see the module docstring."""
    return [LoadedRecord(rel=rel, record=load_record(path)) for rel, path in batch_files(out_dir)]


INPUTS_FILE = ".note-extract-inputs"
"""In an output folder: the absolute input folders records were written from, one a line."""


def remember_input(out_dir: Path, in_dir: Path) -> None:
    """Add ``in_dir`` (absolute) to the input folders remembered in ``out_dir``; never raises (a batch
    whose inputs cannot be remembered still runs; ``--notes`` then says where the notes are)."""
    marker = out_dir / INPUTS_FILE
    folder = str(in_dir.resolve())
    try:
        known = recorded_inputs(out_dir)
        if Path(folder) not in known:
            marker.write_text("".join(f"{p}\n" for p in (*known, folder)), encoding="utf-8")
    except (OSError, ValueError):
        return


def recorded_inputs(out_dir: Path) -> tuple[Path, ...]:
    """The input folders remembered in ``out_dir`` (none when it has no record of them)."""
    try:
        lines = (out_dir / INPUTS_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ()
    return tuple(Path(line) for line in lines if line.strip() and "\0" not in line)


def notes_folders(out_dir: Path, given: Sequence[Path] = ()) -> tuple[Path, ...]:
    """Where the raw notes of ``out_dir``'s records are looked for: the folders given, else the ones the
    batch remembered."""
    return tuple(given) or recorded_inputs(out_dir)


def read_record_json(path: Path) -> dict[str, Any]:
    """The JSON object of the record file ``path``, unvalidated beyond being an object with an ``id``
    and an ``event``; see the module docstring."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise InputError(f"{path}: not a note record: not JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("event"), dict) or "id" not in data:
        raise InputError(f"{path}: not a note record: no id and event")
    return data


def source_paths(record: NoteRecord, notes_dirs: Sequence[Path] = ()) -> list[Path]:
    """Where the raw note of ``record`` is looked for, in order."""
    written = Path(record.source.path)
    if written.is_absolute() or not notes_dirs:
        return [written]
    return [folder / written for folder in notes_dirs]


def read_source(record: NoteRecord, notes_dirs: Sequence[Path] = ()) -> SourceText:
    """The decoded raw text of ``record``'s note, checked against its sha256; see the module docstring."""
    found: SourceText | None = None
    for path in source_paths(record, notes_dirs):
        candidate = _read_one(record, path, bool(notes_dirs))
        if candidate.text is not None:
            return candidate
        found = found or candidate
    assert found is not None
    return found


def _read_one(record: NoteRecord, path: Path, given: bool) -> SourceText:
    hint = "check --notes" if given else "pass --notes with the folder the batch was run on"
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        return SourceText(path, None, f"raw note {path} {reason}; {hint}")
    if hashlib.sha256(data).hexdigest() != record.source.sha256:
        return SourceText(
            path,
            None,
            f"raw note {path} differs from the one the record was made from (sha256); "
            "re-run note-extract run on it",
        )
    text, _encoding = decode(data)
    return SourceText(path, text)
