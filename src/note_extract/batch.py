"""Batch conversion of a folder of notes.

Contract: :func:`discover` lists note files under a folder (recursively, by glob patterns, sorted).
:func:`run_batch` converts them with one :class:`~note_extract.pipeline.Pipeline` per worker process,
streams results back in input order with a bounded number in flight (memory stays flat whatever the
folder size), writes each record atomically to ``OUT/<relative path>.json`` and skips notes whose record
already carries the same source sha256 and rules digest (unless ``force``). A note that fails — unreadable,
undecodable, or an unexpected error — becomes a :class:`NoteResult` with status ``failed`` and its
reason; the batch always goes on. Two notes that would write the same record ("a.txt" and "a.md")
are caught before any work: the second fails with a message naming the first.
"""

from __future__ import annotations

import json
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from .errors import NoteExtractError
from .output import record_json, record_line, write_atomic
from .pipeline import Pipeline
from .reader import read_note
from .settings import Settings

Status = Literal["converted", "unchanged", "failed"]
DEFAULT_PATTERNS = ("*.txt", "*.md", "*.html", "*.htm", "*.pdf")


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
    error: str | None = None
    line: str | None = None
    """The record as one JSON line, when the batch writes no files (``out_dir`` is None)."""


@dataclass
class BatchSummary:
    """Totals of a batch run."""

    results: list[NoteResult] = field(default_factory=list)

    def count(self, status: Status) -> int:
        """How many notes ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    def issues_by_code(self) -> dict[str, int]:
        """Issue counts over all converted notes, by code, sorted by code."""
        counts: dict[str, int] = {}
        for result in self.results:
            for code in result.issue_codes:
                counts[code] = counts.get(code, 0) + 1
        return dict(sorted(counts.items()))


def discover(root: Path, patterns: Iterable[str] = DEFAULT_PATTERNS) -> list[Path]:
    """Note files under ``root`` (or ``root`` itself when it is a file), sorted, hidden files skipped."""
    if root.is_file():
        return [root]
    found: set[Path] = set()
    for pattern in patterns:
        for path in root.rglob(pattern):
            rel = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                found.add(path)
    return sorted(found)


def output_path(root: Path, path: Path, out_dir: Path) -> Path:
    """``OUT/<path relative to root, suffix replaced by .json>``."""
    rel = path.relative_to(root) if root.is_dir() else Path(path.name)
    return out_dir / rel.with_suffix(".json")


_PIPELINE: Pipeline | None = None


def _init_worker(settings: Settings) -> None:
    global _PIPELINE
    _PIPELINE = Pipeline(settings)


def _worker_pipeline(settings: Settings) -> Pipeline:
    global _PIPELINE
    if _PIPELINE is None or _PIPELINE.settings != settings:
        _PIPELINE = Pipeline(settings)
    return _PIPELINE


def _unchanged(target: Path, sha256: str, rules: str) -> bool:
    try:
        with target.open(encoding="utf-8") as handle:
            previous = json.load(handle)
        return bool(previous["source"]["sha256"] == sha256 and previous["extractor"]["rules_sha256"] == rules)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def convert_one(settings: Settings, path: Path, display: str, target: Path | None, force: bool) -> NoteResult:
    """Convert one note (in a worker); never raises for a bad note."""
    try:
        pipeline = _worker_pipeline(settings)
        raw, source = read_note(path, display)
        if (
            target is not None
            and not force
            and _unchanged(target, source.sha256, pipeline.extractor.rules_sha256)
        ):
            return NoteResult(path=display, status="unchanged", id=path.stem)
        record = pipeline.extract_text(raw, source, path.stem)
        if target is not None:
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
            line=record_line(record) if target is None else None,
        )
    except NoteExtractError as exc:
        reason = str(exc).removeprefix(f"{path}: ")  # the result already names the note
        return NoteResult(path=display, status="failed", id=path.stem, error=reason)
    except Exception as exc:  # one bad note must never stop a batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return NoteResult(
            path=display,
            status="failed",
            id=path.stem,
            error=f"internal error {type(exc).__name__}: {exc} "
            f"(at {Path(where.filename).name}:{where.lineno})",
        )


def run_batch(
    root: Path,
    out_dir: Path | None,
    settings: Settings,
    *,
    workers: int = 1,
    force: bool = False,
    patterns: Iterable[str] = DEFAULT_PATTERNS,
    on_result: Callable[[NoteResult], None] | None = None,
    files: list[Path] | None = None,
    executor: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
) -> BatchSummary:
    """Convert every note under ``root``; see the module docstring. ``executor="dask"`` runs the same
    per-note function on a Dask cluster (see :mod:`note_extract.executors`)."""
    paths = files if files is not None else discover(root, patterns)
    base = root if root.is_dir() else root.parent
    jobs = [
        (
            p,
            p.relative_to(base).as_posix() if p.is_relative_to(base) else p.as_posix(),
            output_path(root, p, out_dir) if out_dir is not None else None,
        )
        for p in paths
    ]
    summary = BatchSummary()
    claimed: dict[Path, str] = {}
    kept = []
    for path, shown, target in jobs:
        if target is not None and target in claimed:  # "a.txt" and "a.md" would share one record
            clash = NoteResult(
                path=shown,
                status="failed",
                id=path.stem,
                error=f"its record {target.name} would overwrite the record of {claimed[target]}; "
                "rename one of the two notes",
            )
            summary.results.append(clash)
            if on_result is not None:
                on_result(clash)
            continue
        if target is not None:
            claimed[target] = shown
        kept.append((path, shown, target))
    if executor == "dask":
        from .executors import dask_results

        results = dask_results(settings, kept, force, scheduler, workers)
    else:
        results = _results(settings, kept, workers, force)
    for result in results:
        if on_result is not None:
            on_result(result)
        summary.results.append(replace(result, line=None) if result.line is not None else result)
    return summary


def _results(
    settings: Settings, jobs: list[tuple[Path, str, Path | None]], workers: int, force: bool
) -> Iterator[NoteResult]:
    if workers <= 1 or len(jobs) <= 1:
        for path, display, target in jobs:
            yield convert_one(settings, path, display, target, force)
        return
    window = workers * 8
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque[Future[NoteResult]] = deque()
        for path, display, target in jobs:
            pending.append(pool.submit(convert_one, settings, path, display, target, force))
            if len(pending) >= window:
                yield pending.popleft().result()
        for future in pending:
            yield future.result()


def default_workers() -> int:
    """The CPU count available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
