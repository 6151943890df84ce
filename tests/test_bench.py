"""The benchmark: a deterministic synthetic corpus that the pipeline converts, and the bench command.

Fast tests only: nothing here asserts a timing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.batch.batch import run_batch
from note_extract.batch.convert import NoteResult
from note_extract.bench.bench import generate_corpus, worker_counts
from note_extract.cli.main import app
from note_extract.core.settings import Settings
from note_extract.read.reader import read_note

from .conftest import RAW_DIR, SEEDS

pytestmark = pytest.mark.slow  # benchmarks: run by make test and CI, left out by make test-fast

runner = CliRunner()
_LABEL = re.compile(r"^(?:\|\s*|\*\*)?([A-Za-z][A-Za-z /&]+?)(?:\*\*)?\s*:", re.MULTILINE)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate_corpus(RAW_DIR, tmp_path / "a", 15, seed=7)
    generate_corpus(RAW_DIR, tmp_path / "b", 15, seed=7)
    generate_corpus(RAW_DIR, tmp_path / "c", 15, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert first == sorted(first) and all(p.parent == tmp_path / "a" for p in first)


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path: Path) -> None:
    generate_corpus(RAW_DIR, tmp_path / "small", 6, seed=3)
    generate_corpus(RAW_DIR, tmp_path / "large", 12, seed=3)
    small, large = _files(tmp_path / "small"), _files(tmp_path / "large")
    assert all(large[name] == data for name, data in small.items())


def test_writes_the_requested_number_of_files(tmp_path: Path) -> None:
    files = generate_corpus(RAW_DIR, tmp_path, 23, seed=1)
    assert len(files) == 23 == len(list(tmp_path.iterdir()))
    assert len({p.name for p in files}) == 23
    stems = {p.stem for p in SEEDS}
    assert all(p.stem.split("_", 1)[1] in stems for p in files)


def test_every_variation_converts_and_differs_from_its_source(tmp_path: Path) -> None:
    files = generate_corpus(RAW_DIR, tmp_path, 60, seed=11)
    results: list[NoteResult] = []
    run_batch(tmp_path, None, Settings(), workers=1, force=True, files=files, on_result=results.append)
    assert [r.status for r in results] == ["converted"] * 60, [
        (r.path, r.error) for r in results if r.status != "converted"
    ]
    sources = {p.stem: read_note(p)[0] for p in SEEDS}
    texts = [read_note(p)[0] for p in files]
    for path, text in zip(files, texts, strict=True):
        assert text != sources[path.stem.split("_", 1)[1]], path.name
    unix = [t.replace("\r\n", "\n").strip() for t in texts]
    changed = [u != sources[p.stem.split("_", 1)[1]].strip() for p, u in zip(files, unix, strict=True)]
    assert sum(changed) >= 50  # more than line ends and bytes
    assert len(set(unix)) == 60
    assert any("\r\n" in t for t in texts)
    seed_labels = {m for s in sources.values() for m in _LABEL.findall(s)}
    corpus_labels = {m for t in texts for m in _LABEL.findall(t)}
    assert corpus_labels - seed_labels  # labels spelled in ways the real notes do not


def test_no_source_notes_is_an_input_error(tmp_path: Path) -> None:
    from note_extract.core.errors import InputError

    with pytest.raises(InputError, match=r"no \*\.txt notes"):
        generate_corpus(tmp_path, tmp_path / "out", 3)


def test_worker_counts() -> None:
    assert worker_counts(None, cpus=1) == (1, 2)
    assert worker_counts("4") == (1, 2, 4)
    assert worker_counts("6") == (1, 2, 4, 6)
    assert worker_counts("3, 8") == (1, 2, 3, 8)
    for bad in ("two", "0", "", "1,-2"):
        with pytest.raises(ValueError):
            worker_counts(bad)


def test_bench_command_reports_positive_figures_as_json(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    result = runner.invoke(
        app,
        [
            "bench",
            "--notes",
            "20",
            "--json",
            "--workers",
            "2",
            "--keep",
            str(corpus),
            "--scale",
            "10,30",
            "--startup",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    expected = {
        "notes",
        "seed",
        "source",
        "corpus",
        "cpus",
        "generate_s",
        "setup_s",
        "pipeline_s",
        "pipeline_notes_per_s",
        "pipeline_failed",
        "tokenizer",
        "tokenizer_s",
        "tokenizer_notes_per_s",
        "ratio",
        "batches",
        "peak_rss_main_mb",
        "peak_rss_worker_mb",
        "total_s",
        "profile",
        "targets",
    }
    assert expected <= set(report)
    assert report["notes"] == 20 and report["pipeline_failed"] == 0
    for key in ("pipeline_notes_per_s", "tokenizer_notes_per_s", "ratio", "peak_rss_main_mb", "total_s"):
        assert report[key] > 0, key
    assert report["peak_rss_worker_mb"] > 0  # the 2-worker run started worker processes
    assert [b["workers"] for b in report["batches"]] == [1, 2]
    assert all(b["notes_per_s"] > 0 and b["speedup"] > 0 and b["failed"] == 0 for b in report["batches"])
    assert {t["name"] for t in report["targets"]} >= {"notes/s per core", "speed-up 1->2 workers"}
    assert report["profile"] is None
    assert len(list(corpus.glob("*.txt"))) == 20
    assert report["startup"]["help_s"] > 0 and report["startup"]["check_s"] > 0
    points = report["scale"]["points"]
    assert [p["notes"] for p in points] == [10, 30]
    assert all(p["peak_rss_mb"] > 20 and p["exit_code"] == 0 for p in points)
    assert (
        report["scale"]["growth"]
        == max(p["peak_rss_mb"] for p in points) / min(p["peak_rss_mb"] for p in points) - 1
    )


def test_bench_prints_start_up_and_memory_figures_with_their_targets(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench", "--notes", "5", "--workers", "1", "--scale", "5,10", "--startup"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"^start-up, --help: [0-9.]+ s   \[target < 0\.5 s: (met|MISSED)\]$", result.stdout, re.M
    )
    assert re.search(
        r"^start-up, check on one note: [0-9.]+ s   \[target < 1 s: (met|MISSED)\]$", result.stdout, re.M
    )
    assert re.search(r"^run over 10 notes, 1 worker: peak RSS [0-9]+ MB in [0-9]+ s$", result.stdout, re.M)
    assert re.search(
        r"^run peak memory growth, 5 -> 10 notes: [-+][0-9.]+%   \[target < 10%: (met|MISSED)\]$",
        result.stdout,
        re.M,
    )


def test_bench_rejects_a_bad_worker_list() -> None:
    result = runner.invoke(app, ["bench", "--notes", "2", "--workers", "two"])
    assert result.exit_code == 2


def test_bench_help_has_an_example() -> None:
    result = runner.invoke(app, ["bench", "--help"])
    assert result.exit_code == 0 and "Example: note-extract bench --notes 2000" in result.output
