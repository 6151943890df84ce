"""Benchmark of PDF notes and of the Dask executor, next to text notes.

Contract: :func:`measure_pdf` writes each given text note as a PDF (its clean text laid out by
:func:`note_extract.bench.pdf_write.render_pdf`, one column and two columns with a running header and page
numbers in turn) and times, in this process, after a warm-up: the whole path of a text note (read,
extract, serialize as ``run`` writes it) over the text notes, then the same over the PDFs, then the
PDF text layer alone (read and page furniture). It reports pages/s and notes/s. :func:`measure_dask`
times ``run_batch`` over the same files with ``workers`` local processes and with a local Dask cluster
of as many single-threaded worker processes (cluster start-up timed apart). Nothing is printed.
"""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from note_extract.batch.batch import run_batch
from note_extract.batch.output import record_json
from note_extract.bench.pdf_write import PdfLayout, render_pdf
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.read.normalize import normalize
from note_extract.read.pdf import page_furniture, page_spans
from note_extract.read.reader import read_note

WARM_UP = 5
_LAYOUTS = (
    PdfLayout(),
    PdfLayout(columns=2, running_header="1540 Committee - Information Note", page_numbers="Page {n}"),
)


@dataclass(frozen=True, slots=True)
class PdfBench:
    """Single-process throughput of the same notes as text and as PDF; times in seconds."""

    notes: int
    pages: int
    render_s: float
    text_s: float
    text_notes_per_s: float
    pdf_s: float
    pdf_notes_per_s: float
    pdf_pages_per_s: float
    read_s: float
    """Reading the PDFs' text layer (pdfium, reflow, page furniture) alone."""
    read_pages_per_s: float
    failed: int


@dataclass(frozen=True, slots=True)
class DaskBench:
    """``run_batch`` with local worker processes and with a local Dask cluster of as many workers."""

    notes: int
    workers: int
    local_s: float
    local_notes_per_s: float
    cluster_start_s: float
    dask_s: float
    dask_notes_per_s: float


def _convert(pipeline: Pipeline, path: Path) -> None:
    raw, source = read_note(path)
    record_json(pipeline.extract_text(raw, source, path.stem))


def measure_pdf(
    files: Sequence[Path], settings: Settings, *, on_stage: Callable[[str], None] | None = None
) -> PdfBench:
    """Time text notes and their PDFs; see the module docstring. Raises ValueError on no files."""
    if not files:
        raise ValueError("no notes to measure")
    stage = on_stage or (lambda _: None)
    pipeline = Pipeline(settings)
    with tempfile.TemporaryDirectory(prefix="note-extract-bench-pdf-") as folder:
        stage(f"writing {len(files)} notes as PDFs")
        t0 = time.perf_counter()
        pdfs = []
        for index, path in enumerate(files):
            target = Path(folder) / f"{path.stem}.pdf"
            target.write_bytes(
                render_pdf(
                    normalize(pipeline.rules, read_note(path)[0]).text, _LAYOUTS[index % len(_LAYOUTS)]
                )
            )
            pdfs.append(target)
        render_s = time.perf_counter() - t0
        for path in [*files[:WARM_UP], *pdfs[:WARM_UP]]:
            _convert(pipeline, path)

        stage("text notes, single process")
        gc.collect()
        t0 = time.perf_counter()
        for path in files:
            _convert(pipeline, path)
        text_s = time.perf_counter() - t0

        stage("the same notes as PDFs, single process")
        failed = 0
        gc.collect()
        t0 = time.perf_counter()
        for path in pdfs:
            try:
                _convert(pipeline, path)
            except Exception:  # counted; the benchmark goes on
                failed += 1
        pdf_s = time.perf_counter() - t0

        stage("PDF text layer alone")
        pages = 0
        t0 = time.perf_counter()
        for path in pdfs:
            try:
                raw, source = read_note(path)
            except Exception:  # counted above
                continue
            page_furniture(raw, page_spans(source))
            pages += len(source.pages or [])
        read_s = time.perf_counter() - t0
    return PdfBench(
        notes=len(files),
        pages=pages,
        render_s=render_s,
        text_s=text_s,
        text_notes_per_s=len(files) / text_s,
        pdf_s=pdf_s,
        pdf_notes_per_s=len(pdfs) / pdf_s,
        pdf_pages_per_s=pages / pdf_s,
        read_s=read_s,
        read_pages_per_s=pages / read_s,
        failed=failed,
    )


def measure_dask(
    files: Sequence[Path],
    settings: Settings,
    workers: int = 2,
    *,
    on_stage: Callable[[str], None] | None = None,
) -> DaskBench:
    """Time ``run_batch`` locally and on a local Dask cluster; see the module docstring."""
    from distributed import LocalCluster  # optional: dask extra

    stage = on_stage or (lambda _: None)
    root = Path(files[0]).parent
    with tempfile.TemporaryDirectory(prefix="note-extract-bench-dask-") as out:
        stage(f"run_batch with {workers} local workers")
        t0 = time.perf_counter()
        run_batch(root, Path(out) / "local", settings, workers=workers, force=True, files=list(files))
        local_s = time.perf_counter() - t0
        stage(f"run_batch on a local Dask cluster of {workers} workers")
        t0 = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster:  # type: ignore[no-untyped-call]
            start_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            run_batch(
                root,
                Path(out) / "dask",
                settings,
                force=True,
                files=list(files),
                executor="dask",
                scheduler=cluster.scheduler_address,
            )
            dask_s = time.perf_counter() - t0
    return DaskBench(
        notes=len(files),
        workers=workers,
        local_s=local_s,
        local_notes_per_s=len(files) / local_s,
        cluster_start_s=start_s,
        dask_s=dask_s,
        dask_notes_per_s=len(files) / dask_s,
    )
