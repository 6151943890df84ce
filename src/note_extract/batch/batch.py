"""Batch conversion of a folder of notes, in memory that does not grow with the folder.

Contract: :func:`iter_notes` yields note files under a folder (recursively, by glob patterns, hidden
files and folders skipped) in sorted path order, one folder listing at a time; :func:`discover` is the
same as a list. A folder reached twice through symbolic links (``ln -s . loop``) is visited once: the
walk keeps the real folders it has entered. Only regular files (or links to them) are yielded from a
walk; a device or a FIFO inside a folder is never taken as a note. When records go to an output
folder, nothing the batch writes is ever taken as a note, whatever the patterns: not the output folder
when it lies inside the input folder, and not a file that is its own record (``a.json`` when OUT is
the input folder), so ``run same -o same --glob '*'`` is safe.

:func:`run_batch` converts the notes with :func:`convert_one` (one
:class:`~note_extract.pipeline.Pipeline` per worker process), streams results back in input order with
a bounded number in flight, writes each record atomically to ``OUT/<relative path>.json`` and skips
notes whose record already carries the same source sha256 and rules digest (unless ``force``). Paths
are streamed, never listed whole, and the parent keeps only counters and the failed notes: the memory
of a run is the same for a thousand notes or a million. Each result is handed to ``on_result`` as it
comes. A note that fails — unreadable, undecodable, too large, or an unexpected error — becomes a
:class:`NoteResult` with status ``failed`` and its reason; the batch always goes on. Two notes that
would write the same record ("a.txt" and "a.md", always in one folder) are caught before any work: the
second fails with a message naming the first.

A worker process that dies (killed, out of memory) breaks the process pool: the pool is started again
and the notes that were in flight are converted again one at a time, so that the one that kills its
worker again fails alone ("its worker process died") and the batch goes on; the summary counts the
restarts. After a whole-folder run into an output folder, the records whose note is gone from the
input folder (deleted or renamed) are removed (:func:`remove_stale`) and counted in the summary: a
record is removed only when it is a record the tool wrote, its ``source.path`` names no file under
the input folder, and it sits where that note's record would. The output folder keeps the input
folders it was run on (``.note-extract-inputs``); when it holds the records of more than one (``run
a -o out && run b -o out``), or of runs from before that list, nothing is removed, since a record's
note cannot be told gone from belonging to the other folder.

Before any note, the output folder is made and tried (:func:`prepare_output`): a folder that is a
file or cannot be written raises :class:`~note_extract.core.errors.OutputError` once, instead of one
failure per note; temporary files left by an interrupted earlier run are removed
(:func:`~note_extract.batch.output.sweep_temporary`). A full disk stops the batch with one
:class:`~note_extract.core.errors.DiskFullError` (the notes done so far have been handed on).
The input folder is remembered in ``OUT/.note-extract-inputs``
(:func:`~note_extract.batch.records.remember_input`), so ``review`` and ``orgs suggest`` find the raw
notes without ``--notes``.
"""

from __future__ import annotations

import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from note_extract.batch.convert import NoteResult, Status, convert_one, init_worker
from note_extract.batch.executors import dask_results
from note_extract.batch.output import sweep_temporary, temporary_name, write_atomic_bytes, written_record
from note_extract.batch.records import SITE_MARKER, remember_input
from note_extract.core.display import path_text
from note_extract.core.errors import DiskFullError, OutputError

if TYPE_CHECKING:
    from note_extract.core.settings import Settings

DEFAULT_PATTERNS = ("*.txt", "*.md", "*.html", "*.htm", "*.rtf", "*.pdf")


@dataclass
class BatchSummary:
    """Totals of a batch run: counters and the failed notes, never one entry per note."""

    statuses: Counter[str] = field(default_factory=Counter)
    issues: Counter[str] = field(default_factory=Counter)
    failures: list[NoteResult] = field(default_factory=list)
    low_confidence: int = 0
    """Values (event fields, parties) below the low-confidence threshold, over the converted notes."""
    low_confidence_notes: int = 0
    removed: list[str] = field(default_factory=list)
    """Records removed because their note is gone (paths relative to the output folder)."""
    restarts: int = 0
    """How many times a dead worker process made the pool start again."""
    interrupted: list[str] = field(default_factory=list)
    """The notes in flight when a worker died (converted again, one at a time)."""

    def add(self, result: NoteResult) -> None:
        """Count one result (a failure is kept, without its record line)."""
        self.statuses[result.status] += 1
        self.issues.update(result.issue_codes)
        self.low_confidence += result.low_confidence
        self.low_confidence_notes += result.low_confidence > 0
        if result.status == "failed":
            self.failures.append(replace(result, line=None))

    def count(self, status: Status) -> int:
        """How many notes ended with ``status``."""
        return self.statuses[status]

    @property
    def total(self) -> int:
        """How many notes the batch went through."""
        return sum(self.statuses.values())

    def issues_by_code(self) -> dict[str, int]:
        """Issue counts over all converted notes, by code, sorted by code."""
        return dict(sorted(self.issues.items()))


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _walk(
    folder: Path,
    patterns: tuple[str, ...],
    skip: Path | None,
    self_records: bool,
    seen: set[tuple[int, int]],
) -> Iterator[Path]:
    """Regular files of ``folder`` and below, in the order ``sorted()`` gives their paths; a real
    folder already in ``seen`` (device, inode) is not entered again."""
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            entries = sorted((e.name, e.is_dir(), e.is_file()) for e in listing if not e.name.startswith("."))
    except OSError:
        return
    for name, is_dir, is_file in entries:
        path = folder / name
        if is_dir:
            if skip is None or path != skip:
                yield from _walk(path, patterns, skip, self_records, seen)
        elif is_file and _matches(name, patterns) and not (self_records and name.endswith(".json")):
            yield path


def _absolute(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


def iter_notes(
    root: Path, patterns: Iterable[str] = DEFAULT_PATTERNS, out_dir: Path | None = None
) -> Iterator[Path]:
    """Note files under ``root`` (or ``root`` itself when it is a file), in sorted order; see the module
    docstring for what is never yielded when ``out_dir`` is given."""
    if not root.is_dir():
        if root.exists() or root.is_symlink():
            yield root
        return
    patterns = tuple(patterns)
    skip = self_records = None
    if out_dir is not None:
        base, out = _absolute(root), _absolute(out_dir)
        if out != base and out.is_relative_to(base):
            skip = root / out.relative_to(base)
        self_records = out == base
    for path in _walk(root, patterns, skip, bool(self_records), set()):
        if skip is None or not path.is_relative_to(skip):
            yield path


def discover(
    root: Path, patterns: Iterable[str] = DEFAULT_PATTERNS, out_dir: Path | None = None
) -> list[Path]:
    """:func:`iter_notes` as a list."""
    return list(iter_notes(root, patterns, out_dir))


def count_notes(root: Path, patterns: Iterable[str] = DEFAULT_PATTERNS, out_dir: Path | None = None) -> int:
    """How many notes :func:`iter_notes` yields (counted, not listed)."""
    return sum(1 for _ in iter_notes(root, patterns, out_dir))


def output_path(root: Path, path: Path, out_dir: Path) -> Path:
    """``OUT/<path relative to root, suffix replaced by .json>``."""
    rel = path.relative_to(root) if root.is_dir() else Path(path.name)
    return out_dir / rel.with_suffix(".json")


def prepare_output(out_dir: Path) -> None:
    """Make ``out_dir``, check that records can be written into it and sweep stale temporary files.

    Raises :class:`~note_extract.core.errors.OutputError` when it is a file or cannot be made or written.
    """
    shown = path_text(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{shown}: the output folder is a file")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / temporary_name("write-test")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write records there: {exc.strerror or exc}") from None
    sweep_temporary(out_dir)


Job = tuple[Path, str, Path | None]


def _jobs(
    root: Path, out_dir: Path | None, paths: Iterable[Path], on_clash: Callable[[NoteResult], None]
) -> Iterator[Job]:
    """(path, display path, record path) for each note; a note whose record another note of the same
    folder already claimed goes to ``on_clash`` instead. Only the claims of the folders on the current
    path are kept: in sorted order a folder, once left, does not come back."""
    base = root if root.is_dir() else root.parent
    claims: dict[Path, dict[str, str]] = {}  # record folder -> record name -> the note that claimed it
    for path in paths:
        shown = path_text(path.relative_to(base) if path.is_relative_to(base) else path)
        target = output_path(root, path, out_dir) if out_dir is not None else None
        if target is not None:
            folder = target.parent
            for done in [f for f in claims if not folder.is_relative_to(f)]:  # left for good (sorted walk)
                del claims[done]
            claimed = claims.setdefault(folder, {})
            if target.name in claimed:  # "a.txt" and "a.md" would share one record
                on_clash(
                    NoteResult(
                        path=shown,
                        status="failed",
                        id=path_text(path.stem),
                        error=f"its record {path_text(target.name)} would overwrite the record of "
                        f"{claimed[target.name]}; rename one of the two notes",
                    )
                )
                continue
            claimed[target.name] = shown
        yield path, shown, target


def run_batch(
    root: Path,
    out_dir: Path | None,
    settings: Settings,
    *,
    workers: int = 1,
    force: bool = False,
    patterns: Iterable[str] = DEFAULT_PATTERNS,
    on_result: Callable[[NoteResult], None] | None = None,
    files: Iterable[Path] | None = None,
    executor: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
) -> BatchSummary:
    """Convert every note under ``root`` (or ``files``, in the order given); see the module docstring.
    ``executor="dask"`` runs the same per-note function on a Dask cluster (see
    :mod:`note_extract.batch.executors`).

    Raises :class:`~note_extract.core.errors.OutputError` when ``out_dir`` cannot hold records.
    """
    sole = False
    if out_dir is not None:
        prepare_output(out_dir)
        sole = files is None and root.is_dir() and sole_input(root, out_dir)
        if files is None and root.is_dir():
            remember_input(out_dir, root)
    paths = files if files is not None else iter_notes(root, patterns, out_dir)
    summary = BatchSummary()

    def deliver(result: NoteResult) -> None:
        if on_result is not None:
            on_result(result)
        summary.add(result)

    jobs = _jobs(root, out_dir, paths, deliver)
    if executor == "dask":
        results = dask_results(settings, jobs, force, scheduler, workers)
    else:
        results = _results(settings, jobs, workers, force, summary)
    for result in results:
        if result.stop:  # a full disk: every later note would fail the same way
            raise DiskFullError(result.error or "the disk is full")
        deliver(result)
    if out_dir is not None and sole:
        summary.removed = remove_stale(root, out_dir)
    return summary


INPUTS_FILE = ".note-extract-inputs"
"""The file of an output folder that lists the input folders run into it, one absolute path a line."""
UNKNOWN_INPUT = b"?"
"""The line standing for the earlier runs of a folder that held records before the list was kept."""


def _holds_records(out_dir: Path) -> bool:
    return any(name.endswith(".json") for _parent, _dirs, names in os.walk(out_dir) for name in names)


def sole_input(root: Path, out_dir: Path) -> bool:
    """Add ``root`` to the input folders of ``out_dir``; True when it is the only one (see the module
    docstring)."""
    path = out_dir / INPUTS_FILE
    me = os.fsencode(_absolute(root))
    try:
        known = path.read_bytes().splitlines()
    except FileNotFoundError:
        known = [UNKNOWN_INPUT] if _holds_records(out_dir) else []
    except OSError:
        return False
    if me not in known:
        known.append(me)
        try:
            write_atomic_bytes(path, b"".join(line + b"\n" for line in known))
        except OSError:
            return False
    return known == [me]


def _stale(root: Path, out_dir: Path, record: Path) -> bool:
    """True when ``record`` is a record whose note is gone from ``root``."""
    if not written_record(record):
        return False
    try:
        written = json.loads(record.read_bytes())["source"]["path"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(written, str) or Path(written).is_absolute():
        return False
    note = root / written
    if note.exists() or note.is_symlink():
        return False
    return _absolute(output_path(root, note, out_dir)) == _absolute(record)


def remove_stale(root: Path, out_dir: Path) -> list[str]:
    """Remove the records under ``out_dir`` whose note is gone from ``root`` (see the module
    docstring); returns their paths relative to ``out_dir``, sorted. Only a record whose name matches
    no file of its input folder is read."""
    removed: list[str] = []
    same = _absolute(root) == _absolute(out_dir)
    for parent, dirs, names in os.walk(out_dir):
        folder = Path(parent)
        if folder != out_dir and SITE_MARKER in names:
            dirs.clear()
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        records = sorted(n for n in names if n.endswith(".json") and not n.startswith("."))
        if not records:
            continue
        try:
            listing = [p.name for p in (root / folder.relative_to(out_dir)).iterdir()]
        except OSError:
            listing = []
        stems = {Path(n).stem for n in listing if not (same and n.endswith(".json"))}
        for name in records:
            path = folder / name
            if Path(name).stem in stems or not _stale(root, out_dir, path):
                continue
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path_text(path.relative_to(out_dir)))
    return sorted(removed)


def _results(
    settings: Settings, jobs: Iterator[Job], workers: int, force: bool, summary: BatchSummary
) -> Iterator[NoteResult]:
    """Results in job order; with workers, at most ``workers * 8`` notes in flight, in a pool that is
    started again when a worker dies (see the module docstring)."""
    if workers <= 1:
        for path, display, target in jobs:
            yield convert_one(settings, path, display, target, force)
        return
    pool = _Pool(settings, workers, force, summary)
    try:
        pending: deque[tuple[Job, Future[NoteResult]]] = deque()
        for job in jobs:
            pending.append((job, pool.submit(job)))
            if len(pending) >= workers * 8:
                yield from pool.collect(pending, 1)
        yield from pool.collect(pending, len(pending))
    finally:
        pool.close()


class _Pool:
    """A process pool that starts again when a worker dies."""

    def __init__(self, settings: Settings, workers: int, force: bool, summary: BatchSummary) -> None:
        self.settings, self.workers, self.force, self.summary = settings, workers, force, summary
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, initializer=init_worker, initargs=(self.settings,)
        )

    def submit(self, job: Job) -> Future[NoteResult]:
        path, display, target = job
        return self.pool.submit(convert_one, self.settings, path, display, target, self.force)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.summary.restarts += 1
        self.pool = self._start()

    def collect(self, pending: deque[tuple[Job, Future[NoteResult]]], count: int) -> Iterator[NoteResult]:
        """The results of the first ``count`` pending jobs, in order; when the pool breaks, every job in
        flight is converted again, alone, in a new pool."""
        for _ in range(count):
            job, future = pending.popleft()
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            retry = [job, *(j for j, _ in pending)]
            pending.clear()
            self.summary.interrupted.extend(display for _path, display, _target in retry)
            self._restart()
            for again in retry:
                yield self._alone(again)
            return

    def _alone(self, job: Job) -> NoteResult:
        """Convert one job with nothing else in flight; a worker that dies fails this note only."""
        try:
            return self.submit(job).result()
        except BrokenProcessPool:
            self._restart()
            path, display, _target = job
            return NoteResult(
                path=display,
                status="failed",
                id=path_text(path.stem),
                error="its worker process died while converting it (killed, or out of memory)",
            )


def default_workers() -> int:
    """The CPU count available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
