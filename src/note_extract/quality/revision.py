"""Records of a folder of notes at a git revision and now, for ``note-extract diff --rev``.

Contract: :func:`records_since` takes a folder of notes in a git work tree and a revision, and writes
into a working folder the records of the notes that changed since (:func:`~note_extract.batch.changes
.changes_since`): ``old/`` holds those of the notes as they were at the revision (edited, deleted and
renamed ones), ``new/`` those of the notes as they are now (edited, added and renamed ones), both made
with the same settings and rules. It returns both folders, the renames (record paths without
``.json``), how many notes the two sides hold together, and the notes that failed to convert. A note
that has not changed gives the same record on both sides, so it is counted but never extracted. What a
change of code, rules or registry does is not shown here (both sides use the ones in force): build the
records with each and compare the folders. Nothing outside the working folder is written.

:func:`diff_revision` does it in a temporary folder (removed afterwards) and returns the
:class:`~note_extract.quality.diff.DiffReport` of the two sides, with every note of the folder counted
as compared, and the notes that failed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from note_extract.batch.batch import count_notes, run_batch
from note_extract.batch.changes import changes_since, read_at
from note_extract.batch.convert import NoteResult
from note_extract.quality.diff import DiffReport, Options, diff_folders

if TYPE_CHECKING:
    from note_extract.core.settings import Settings


@dataclass(frozen=True)
class RevisionRecords:
    """The two record folders of :func:`records_since` and what a diff needs beside them."""

    old_dir: Path
    new_dir: Path
    renames: dict[str, str]
    compared: int
    failures: tuple[NoteResult, ...]


def _key(rel: str) -> str:
    return PurePosixPath(rel).with_suffix("").as_posix()


def records_since(
    notes_dir: Path,
    rev: str,
    settings: Settings,
    work_dir: Path,
    *,
    workers: int = 1,
    patterns: Iterable[str],
) -> RevisionRecords:
    """Records of the notes changed since ``rev``, as they were and as they are; see the module
    docstring."""
    pats = tuple(patterns)
    changes = changes_since(notes_dir, rev, pats)
    old_notes, old_dir, new_dir = work_dir / "notes-old", work_dir / "old", work_dir / "new"
    old_files: list[Path] = []
    for rel, data in read_at(notes_dir, rev, changes.edited):
        path = old_notes / PurePosixPath(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        old_files.append(path)
    old_notes.mkdir(parents=True, exist_ok=True)
    failures: list[NoteResult] = []
    for root, files, out in (
        (old_notes, old_files, old_dir),
        (notes_dir, [notes_dir / PurePosixPath(rel) for rel in changes.changed], new_dir),
    ):
        summary = run_batch(root, out, settings, workers=workers, force=True, files=files)
        failures += summary.failures
    gone = len(changes.deleted) - len(changes.renamed)
    return RevisionRecords(
        old_dir=old_dir,
        new_dir=new_dir,
        renames={_key(a): _key(b) for a, b in changes.renamed.items()},
        compared=count_notes(notes_dir, pats) + gone,
        failures=tuple(failures),
    )


def diff_revision(
    notes_dir: Path,
    rev: str,
    settings: Settings,
    options: Options | None = None,
    *,
    workers: int = 1,
    patterns: Iterable[str],
) -> tuple[DiffReport, tuple[NoteResult, ...]]:
    """The record diff of the notes under ``notes_dir`` at ``rev`` against now, and the notes that
    failed; see the module docstring."""
    with tempfile.TemporaryDirectory(prefix="note-extract-diff-") as work:
        made = records_since(notes_dir, rev, settings, Path(work), workers=workers, patterns=patterns)
        report = diff_folders(made.old_dir, made.new_dir, options, made.renames)
    report.compared = made.compared
    return report, made.failures
