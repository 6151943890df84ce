"""Running a batch on a Dask distributed cluster.

Contract: :func:`dask_results` hands each job to :func:`note_extract.batch.convert.convert_one` — the very
function a local run calls per note — on the workers of a Dask cluster, a few notes per task
(``chunk``), and yields one :class:`~note_extract.batch.convert.NoteResult` per job in input order, with a
bounded number of tasks in flight. The guarantees of a local run hold because the work is the same:
a worker skips a note whose record is unchanged, writes each record atomically where a local run
would, and turns a bad note into a failed result. What a cluster adds: a task lost with its worker
(or any other cluster error) becomes a failed result for each of its notes, and the batch goes on.
The workers must see the notes and the output folder at the same paths as the machine that starts
the run (a shared file system). ``scheduler`` is a scheduler address (``tcp://host:8786``); None
starts a local cluster of ``workers`` processes for the run. Needs the ``dask`` extra
(``pip install 'note_extract[dask]'``).
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from note_extract.batch.convert import NoteResult, convert_one
from note_extract.core.errors import NoteExtractError
from note_extract.core.settings import Settings

Job = tuple[Path, str, Path | None]
_PER_THREAD = 4
"""Tasks in flight per worker thread."""
CHUNK = 16
"""Notes per task: a Dask task costs about a millisecond of scheduling, a note a few."""


def _client(stack: ExitStack, scheduler: str | None, workers: int) -> Any:
    try:
        from distributed import Client, LocalCluster  # optional: dask extra
    except ImportError as exc:
        raise NoteExtractError(
            "the dask executor needs Dask's distributed scheduler: pip install 'note_extract[dask]'"
        ) from exc
    try:
        if scheduler is None:
            # The cluster is ours: its own start and stop chatter (a nanny that waited for a worker
            # process to exit, on a loaded machine) is not the user's business; errors still show.
            local = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR
            )
            cluster = stack.enter_context(local)
            return stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        return stack.enter_context(Client(scheduler, timeout="30s"))  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as exc:  # unreachable, or not an address at all
        raise NoteExtractError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def convert_chunk(settings: Settings, jobs: list[Job], force: bool) -> list[NoteResult]:
    """``convert_one`` over a few notes, in order (one task, less overhead)."""
    return [convert_one(settings, path, display, target, force) for path, display, target in jobs]


def dask_results(
    settings: Settings,
    jobs: Iterable[Job],
    force: bool,
    scheduler: str | None = None,
    workers: int = 2,
    chunk: int = CHUNK,
) -> Iterator[NoteResult]:
    """Convert ``jobs`` on a Dask cluster; see the module docstring."""
    with ExitStack() as stack:
        client = _client(stack, scheduler, workers)
        threads = sum(client.nthreads().values()) or 1
        window = threads * _PER_THREAD
        pending: deque[tuple[list[Job], Any]] = deque()
        stream = iter(jobs)
        while part := list(itertools.islice(stream, chunk)):
            pending.append((part, client.submit(convert_chunk, settings, part, force, pure=False)))
            if len(pending) >= window:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())


def _collect(jobs: list[Job], future: Any) -> list[NoteResult]:
    """The results of one task's notes; a cluster failure fails each of them."""
    try:
        results = future.result()
    except Exception as exc:  # a lost worker or a cluster error fails these notes, not the batch
        error = f"cluster error {type(exc).__name__}: {exc}"
        return [
            NoteResult(path=display, status="failed", id=path.stem, error=error) for path, display, _ in jobs
        ]
    finally:
        future.release()
    if not isinstance(results, list) or len(results) != len(jobs):  # pragma: no cover - never happens
        raise TypeError(f"unexpected task result {results!r}")
    return results
