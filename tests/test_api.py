"""The Python API: extract, extract_file, extract_folder and Pipeline, and the README's example."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import note_extract
from note_extract import NoteRecord, NoteResult, Pipeline, extract, extract_file, extract_folder
from note_extract.batch.output import record_json
from note_extract.cli.main import app

from .conftest import ROOT, SEEDS


def test_the_public_names_are_exported() -> None:
    for name in ("extract", "extract_file", "extract_folder", "Pipeline", "NoteRecord", "Settings"):
        assert name in note_extract.__all__
        assert getattr(note_extract, name) is not None


def test_extract_file_gives_the_golden_record() -> None:
    golden = json.loads((ROOT / "tests" / "golden" / f"{SEEDS[4].stem}.json").read_text(encoding="utf-8"))
    record = extract_file(str(SEEDS[4]))
    assert isinstance(record, NoteRecord)
    got = json.loads(record_json(record))
    assert got["event"] == golden["event"]
    assert got["organizers"] == golden["organizers"]


def test_extract_from_text_equals_extract_file_on_the_same_note() -> None:
    raw = SEEDS[3].read_text(encoding="utf-8")
    from_text = extract(raw, note_id=SEEDS[3].stem, path=SEEDS[3].as_posix())
    from_file = extract_file(SEEDS[3])
    assert from_text.model_dump(exclude={"source"}) == from_file.model_dump(exclude={"source"})
    assert from_text.source.sha256 == from_file.source.sha256


def test_a_pipeline_is_reusable_and_needs_no_settings() -> None:
    pipeline = Pipeline()
    assert pipeline.extract_file(SEEDS[0]) == pipeline.extract_file(SEEDS[0])


def test_extract_folder_yields_records_and_failures_in_path_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7\nbroken")
    items = list(extract_folder(tmp_path))
    assert isinstance(items[0], NoteRecord) and items[0].id == "a"
    assert isinstance(items[1], NoteResult) and items[1].status == "failed"
    assert "not a readable PDF" in (items[1].error or "")


def test_the_command_line_prints_what_the_api_returns() -> None:
    result = CliRunner().invoke(app, ["extract", str(SEEDS[2])])
    assert result.exit_code == 0, result.output
    assert result.stdout == record_json(extract_file(SEEDS[2]))


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- api-example -->\n```python\n(.*?)```", readme, re.DOTALL)
    assert match is not None, "the README lost its API example"
    return match.group(1)


def test_the_readme_example_loads_the_seed_records_into_duckdb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_readme_example(), "README.md", "exec"), {"__name__": "readme"})
    printed = out.getvalue()
    # expected from the hand-checked golden records of the seeds, not from the code under test
    by_country: dict[str, list[str]] = {}
    for seed in SEEDS:
        golden = json.loads((ROOT / "tests" / "golden" / f"{seed.stem}.json").read_text(encoding="utf-8"))
        venue = golden["event"]["venue"]["country_code"] or "NULL"
        by_country.setdefault(venue, []).append(golden["event"]["start_date"])
    assert len(SEEDS) == 5
    body = printed.split("├", 1)[1].splitlines()[1:]  # the rows under the column names and types
    rows = [[cell.strip() for cell in line.strip("│").split("│")] for line in body if line.startswith("│")]
    assert {row[0]: (int(row[1]), row[2]) for row in rows} == {
        country: (len(dates), min(dates)) for country, dates in by_country.items()
    }
