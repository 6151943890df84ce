"""Running a batch on a Dask distributed cluster.

Contract: :func:`dask_results` hands each job to :func:`note_extract.batch.convert_one` — the very
function a local run calls per note — on the workers of a Dask cluster, and yields one
:class:`~note_extract.batch.NoteResult` per job in input order, with a bounded number of notes in
flight. The guarantees of a local run hold because the work is the same: a worker skips a note whose
record is unchanged, writes each record atomically next to where a local run would, and turns a bad
note into a failed result. What a cluster adds: a task lost with its worker (or any other cluster
error) becomes a failed result naming the note, and the batch goes on. The workers must see the notes
and the output folder at the same paths as the machine that starts the run (a shared file system).
``scheduler`` is a scheduler address (``tcp://host:8786``); None starts a local cluster of
``workers`` processes for the run. Needs the ``dask`` extra (``pip install 'note_extract[dask]'``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from .batch import NoteResult, convert_one
from .errors import NoteExtractError
from .settings import Settings

Job = tuple[Path, str, Path | None]
_PER_THREAD = 8
"""Notes in flight per worker thread."""


def _client(stack: ExitStack, scheduler: str | None, workers: int) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise NoteExtractError(
            "the dask executor needs Dask's distributed scheduler: pip install 'note_extract[dask]'"
        ) from exc
    try:
        if scheduler is None:
            local = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)  # type: ignore[no-untyped-call]
            cluster = stack.enter_context(local)
            return stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        return stack.enter_context(Client(scheduler, timeout="30s"))  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise NoteExtractError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def dask_results(
    settings: Settings, jobs: list[Job], force: bool, scheduler: str | None = None, workers: int = 2
) -> Iterator[NoteResult]:
    """Convert ``jobs`` on a Dask cluster; see the module docstring."""
    with ExitStack() as stack:
        client = _client(stack, scheduler, workers)
        threads = sum(client.nthreads().values()) or 1
        window = threads * _PER_THREAD
        pending: deque[tuple[Job, Any]] = deque()
        for job in jobs:
            path, display, target = job
            future = client.submit(convert_one, settings, path, display, target, force, pure=False)
            pending.append((job, future))
            if len(pending) >= window:
                yield _collect(*pending.popleft())
        while pending:
            yield _collect(*pending.popleft())


def _collect(job: Job, future: Any) -> NoteResult:
    """The result of one note's task; a cluster failure becomes a failed result."""
    path, display, _ = job
    try:
        result = future.result()
    except Exception as exc:  # a lost worker or a cluster error fails this note, not the batch
        return NoteResult(
            path=display, status="failed", id=path.stem, error=f"cluster error {type(exc).__name__}: {exc}"
        )
    finally:
        future.release()
    if not isinstance(result, NoteResult):  # pragma: no cover - convert_one always returns one
        raise TypeError(f"unexpected task result {result!r}")
    return result
