"""Batches on a Dask cluster: the same per-note function, results, records and guarantees as a local run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from note_extract.batch.batch import discover, output_path, run_batch
from note_extract.batch.convert import NoteResult
from note_extract.batch.executors import _collect, dask_results
from note_extract.bench.pdf_write import render_pdf
from note_extract.cli.main import app
from note_extract.core.settings import Settings
from note_extract.read.normalize import normalize
from note_extract.read.reader import read_note
from note_extract.rules.bundle import shipped_rules

from .conftest import ROOT, SEEDS

RULES = shipped_rules()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A small in-process cluster: one worker, one thread."""
    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "data" / "raw", folder)
    raw, _ = read_note(SEEDS[3])
    (folder / "sub").mkdir()
    (folder / "sub" / "seed.pdf").write_bytes(render_pdf(normalize(RULES, raw).text))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nbroken")
    return folder


def _jobs(notes: Path, out: Path) -> list[tuple[Path, str, Path | None]]:
    return [(p, p.relative_to(notes).as_posix(), output_path(notes, p, out)) for p in discover(notes)]


def _records(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def _results(notes: Path, out: Path, **options: str) -> list[NoteResult]:
    """Every note's result of one batch, in order (a summary keeps only counters and failures)."""
    found: list[NoteResult] = []
    run_batch(notes, out, Settings(), on_result=lambda r: found.append(replace(r, line=None)), **options)  # type: ignore[arg-type]
    return found


def test_a_dask_run_gives_the_local_runs_results_and_records(
    notes: Path, tmp_path: Path, scheduler: str
) -> None:
    local = _results(notes, tmp_path / "local")
    cluster = _results(notes, tmp_path / "dask", executor="dask", scheduler=scheduler)
    chunked = list(dask_results(Settings(), _jobs(notes, tmp_path / "chunked"), False, scheduler, chunk=3))
    assert [(r.path, r.status) for r in chunked] == [(r.path, r.status) for r in local]
    assert cluster == local
    assert [r.status for r in cluster].count("converted") == 6
    assert [r.path for r in cluster if r.status == "failed"] == ["broken.pdf"]
    assert _records(tmp_path / "dask") == _records(tmp_path / "local")
    assert len(_records(tmp_path / "dask")) == 6
    again = _results(notes, tmp_path / "dask", executor="dask", scheduler=scheduler)
    assert [r.status for r in again] == ["unchanged"] * 5 + ["failed", "unchanged"]
    assert not list((tmp_path / "dask").rglob("*.tmp"))  # atomic writes leave no temporary file


def test_a_dask_run_to_stdout_streams_the_same_lines(notes: Path, scheduler: str) -> None:
    local, cluster = [], []
    run_batch(notes, None, Settings(), on_result=lambda r: local.append(r.line))
    run_batch(
        notes,
        None,
        Settings(),
        executor="dask",
        scheduler=scheduler,
        on_result=lambda r: cluster.append(r.line),
    )
    assert cluster == local and sum(1 for line in cluster if line) == 6


def test_run_executor_dask_on_the_command_line(notes: Path, tmp_path: Path, scheduler: str) -> None:
    args = ["run", str(notes), "-o", str(tmp_path / "out"), "--no-progress"]
    result = CliRunner().invoke(app, [*args, "--executor", "dask", "--scheduler", scheduler])
    assert result.exit_code == 1, result.output  # broken.pdf failed; the others were converted
    assert "6 converted, 0 unchanged, 1 failed" in result.output
    assert "failed: broken.pdf: " in result.output


def test_a_scheduler_without_the_dask_executor_is_a_usage_error(notes: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(notes), "-o", str(tmp_path), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 2
    assert "--scheduler goes with --executor dask" in result.output


class _LostFuture:
    released = False

    def result(self) -> object:
        raise OSError("worker lost")

    def release(self) -> None:
        self.released = True


def test_a_task_lost_on_the_cluster_fails_only_its_notes() -> None:
    future = _LostFuture()
    results = _collect([(Path("in/a.txt"), "a.txt", None), (Path("in/b.txt"), "b.txt", None)], future)
    assert [(r.path, r.status, r.id) for r in results] == [("a.txt", "failed", "a"), ("b.txt", "failed", "b")]
    assert {r.error for r in results} == {"cluster error OSError: worker lost"}
    assert future.released


@pytest.mark.slow
def test_a_local_cluster_closes_without_killing_its_workers(notes: Path, tmp_path: Path) -> None:
    """``run --executor dask`` with no scheduler starts a LocalCluster and closes it: nothing of the
    cluster's shutdown (the nanny's "still alive after 4.0 seconds, killing") reaches the output."""
    import subprocess
    import sys

    for _ in range(3):
        done = subprocess.run(
            [
                *(sys.executable, "-m", "note_extract", "run", str(notes), "-o", str(tmp_path / "out")),
                *("--force", "--no-progress", "--executor", "dask", "--workers", "2"),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 1 and "6 converted, 0 unchanged, 1 failed" in done.stderr, done.stderr
        assert "nanny" not in done.stderr.lower() and "killing" not in done.stderr.lower(), done.stderr
