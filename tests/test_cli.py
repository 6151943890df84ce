"""The command line: extract, run (parallel, incremental, failure-tolerant), schema, resolve, orgs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from note_extract.cli.main import app

from .conftest import ROOT, SEEDS

runner = CliRunner()


def test_extract_prints_one_record() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS[4])])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == SEEDS[4].stem
    assert record["event"]["venue"]["city"] == "Lima"


def test_extract_missing_file_is_a_usage_error() -> None:
    result = runner.invoke(app, ["extract", "no/such/note.txt"])
    assert result.exit_code == 2


def test_run_converts_a_folder_then_skips_unchanged_notes(tmp_path: Path) -> None:
    notes = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", notes)
    (notes / "sub").mkdir()
    shutil.copy(SEEDS[0], notes / "sub" / "copy.md")
    out = tmp_path / "out"
    first = runner.invoke(app, ["run", str(notes), "-o", str(out), "--workers", "2"])
    assert first.exit_code == 0, first.output
    assert "6 converted, 0 unchanged, 0 failed" in first.output
    assert (out / "sub" / "copy.json").is_file()
    before = {p: p.read_bytes() for p in out.rglob("*.json")}
    second = runner.invoke(app, ["run", str(notes), "-o", str(out), "--workers", "1"])
    assert "0 converted, 6 unchanged, 0 failed" in second.output
    assert {p: p.read_bytes() for p in out.rglob("*.json")} == before
    forced = runner.invoke(app, ["run", str(notes), "-o", str(out), "--force"])
    assert "6 converted" in forced.output
    assert {p: p.read_bytes() for p in out.rglob("*.json")} == before


def test_run_reports_a_broken_note_and_finishes_the_others(tmp_path: Path) -> None:
    notes = tmp_path / "raw"
    notes.mkdir()
    shutil.copy(SEEDS[2], notes / "good.txt")
    (notes / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(notes), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 1
    assert "1 converted, 0 unchanged, 1 failed" in result.output
    assert "broken.txt" in " ".join(result.output.split()) and "binary" in result.output
    assert (out / "good.json").is_file() and not (out / "broken.json").exists()


def test_run_to_stdout_writes_json_lines(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(ROOT / "data" / "raw"), "-o", "-", "--workers", "1"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == [p.stem for p in SEEDS]


def test_schema_check_passes_on_the_committed_schema() -> None:
    result = runner.invoke(app, ["schema", "--check", "--out-dir", str(ROOT / "schemas")])
    assert result.exit_code == 0, result.output


def test_schema_check_fails_when_out_of_date(tmp_path: Path) -> None:
    (tmp_path / "note_record.v1.schema.json").write_text("{}\n")
    assert runner.invoke(app, ["schema", "--check", "--out-dir", str(tmp_path)]).exit_code == 1
    assert runner.invoke(app, ["schema", "--out-dir", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["schema", "--check", "--out-dir", str(tmp_path)]).exit_code == 0


def test_resolve_explains_a_match_and_a_miss() -> None:
    hit = runner.invoke(app, ["resolve", "UN LIREC"])
    assert hit.exit_code == 0 and "unlirec" in hit.stdout and "method=alias" in hit.stdout
    miss = runner.invoke(app, ["resolve", "UN LIRECC"])
    assert miss.exit_code == 1 and "unresolved" in miss.stdout and "unlirec" in miss.stdout


def test_orgs_lists_the_registry() -> None:
    result = runner.invoke(app, ["orgs"])
    assert result.exit_code == 0
    assert any(line.startswith("unlirec\t") for line in result.stdout.splitlines())


def test_bad_settings_file_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("fuzzy_cutoff = 'high'\n")
    result = runner.invoke(app, ["extract", str(SEEDS[0]), "--config", str(config)])
    assert result.exit_code == 2
    assert "fuzzy_cutoff" in result.output


def test_every_command_has_help_with_an_example() -> None:
    for command in ("extract", "run", "schema", "orgs", "resolve"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command


def test_python_dash_m_works() -> None:
    done = subprocess.run([sys.executable, "-m", "note_extract", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("note-extract ")


def test_two_notes_that_would_share_a_record_are_reported_not_overwritten(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(SEEDS[3], notes / "visit.md")
    shutil.copy(SEEDS[4], notes / "visit.txt")
    result = runner.invoke(app, ["run", str(notes), "-o", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 1
    assert "failed: visit.txt: its record visit.json would overwrite the record of visit.md" in result.output
    record = json.loads((tmp_path / "out" / "visit.json").read_text(encoding="utf-8"))
    assert record["source"]["path"] == "visit.md"


def test_help_text_is_printed_as_written() -> None:
    result = runner.invoke(app, ["run", "--help"])
    assert "[tool.note_extract]" in result.output


def test_the_command_line_starts_without_loading_spacy() -> None:
    """--help must stay fast: importing the package and its CLI loads no extraction library."""
    import subprocess
    import sys

    code = (
        "import sys, note_extract, note_extract.cli.main; "
        "print(sorted(m for m in ('spacy', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_run_reads_an_rtf_note_in_a_folder(tmp_path: Path) -> None:
    """A folder's ``.rtf`` notes are found by default and read through their RTF, not as raw markup."""
    notes = tmp_path / "notes"
    notes.mkdir()
    body = "\\par\n".join(
        [
            "Event: Atelier r\\'e9gional sur la r\\'e9solution 1540 (2004)",
            "Date : 12-14 mars 2018",
            "Lieu : Lom\\'e9, Togo",
        ]
    )
    (notes / "lome.rtf").write_text(
        "{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}\\f0 " + body + "\\par\n}", encoding="ascii"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(notes), "-o", str(out), "--workers", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    event = json.loads((out / "lome.json").read_text(encoding="utf-8"))["event"]
    assert event["title"] == "Atelier régional sur la résolution 1540 (2004)"
    assert (event["start_date"], event["end_date"]) == ("2018-03-12", "2018-03-14")
    assert event["venue"]["city"] == "Lomé"
