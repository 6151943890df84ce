"""The PDF and Dask figures of the benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.bench.bench import generate_corpus
from note_extract.bench.pdf import measure_dask, measure_pdf
from note_extract.cli.bench import format_extra
from note_extract.cli.main import app
from note_extract.core.settings import Settings

from .conftest import ROOT

pytestmark = pytest.mark.slow  # benchmarks: run by make test and CI, left out by make test-fast


def test_measure_pdf_times_the_same_notes_as_text_and_as_pdf(tmp_path: Path) -> None:
    files = generate_corpus(ROOT / "data" / "raw", tmp_path, 6)
    result = measure_pdf(files, Settings())
    assert result.notes == 6 and result.failed == 0
    assert result.pages >= 6  # every note has at least one page
    for value in (
        result.text_notes_per_s,
        result.pdf_notes_per_s,
        result.pdf_pages_per_s,
        result.read_pages_per_s,
    ):
        assert value > 0
    assert result.pdf_pages_per_s == result.pages / result.pdf_s


def test_measure_dask_times_local_workers_and_a_local_cluster(tmp_path: Path) -> None:
    files = generate_corpus(ROOT / "data" / "raw", tmp_path, 3)
    result = measure_dask(files, Settings(), workers=1)
    assert (result.notes, result.workers) == (3, 1)
    assert result.local_notes_per_s > 0 and result.dask_notes_per_s > 0 and result.cluster_start_s > 0


def test_the_bench_command_prints_pdf_throughput_next_to_text() -> None:
    args = ["bench", "--notes", "4", "--workers", "1", "--pdf-notes", "4"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith("PDF:"))
    assert "the first 4 notes as PDFs" in line and "pages/s" in line and "notes/s as text" in line
    report = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert report["pdf"]["notes"] == 4 and report["pdf"]["failed"] == 0
    assert "dask" not in report


def test_format_extra_says_nothing_when_both_were_skipped() -> None:
    assert format_extra({}) == ""
    dask = {
        "notes": 10,
        "workers": 2,
        "local_notes_per_s": 40.0,
        "dask_notes_per_s": 20.0,
        "cluster_start_s": 3.0,
    }
    assert format_extra({"dask": dask}) == (
        "Dask: 10 notes, run_batch 2 workers 40 notes/s; "
        "local Dask cluster of 2 20 notes/s (+ 3.0 s to start it)\n"
    )
