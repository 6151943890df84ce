"""Regressions for the defects found by trying to break the tool (numbered as in the hardening issue)."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.cli.main import app
from note_extract.pipeline import Pipeline

from .conftest import ROOT, SEEDS, extract

runner = CliRunner()

NOTE = "Event: A workshop\n\nOrganizers: UNODA\n\nDate and venue: 4 October 2017, Lima, Peru\n"


def note(title: str = "A workshop", date_venue: str = "4 October 2017, Lima, Peru") -> str:
    return f"Event: {title}\n\nOrganizers: UNODA\n\nDate and venue: {date_venue}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test in its own folder, so no ./pyproject.toml is picked up."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# 1. user-controlled strings are printed as plain text, never as markup


def test_markup_in_titles_and_file_names_is_printed_as_written(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "note [draft].txt").write_text(note(title="Closing [/x] the [bold]gap[/bold]"), encoding="utf-8")
    result = runner.invoke(app, ["run", str(notes), "-o", str(tmp_path / "out")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "note [draft].txt" in result.stderr
    assert "Closing [/x] the [bold]gap[/bold]" in result.stderr
    assert "1 converted, 0 unchanged, 0 failed" in result.stderr


def test_a_settings_error_keeps_the_table_name(tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[tool.note_extract]\nfuzzy_cutoff = 5\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["run", "a.txt", "-o", "out", "--config", str(config)])
    assert result.exit_code == 2
    assert "[tool.note_extract] fuzzy_cutoff" in result.stderr


# 2. an impossible day is an error, never the whole month


@pytest.mark.parametrize("written", ["32 July 2016", "0 July 2016", "15-32 July 2016"])
def test_an_impossible_day_is_unparsed_not_a_month(pipeline: Pipeline, written: str) -> None:
    record = extract(pipeline, note(date_venue=f"{written}, Lima, Peru"))
    assert record.event.start_date is None and record.event.end_date is None
    unparsed = [i for i in record.issues if i.code == "date-unparsed"]
    assert unparsed and unparsed[0].severity == "error"


def test_check_fails_a_note_with_an_impossible_day(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(note(date_venue="32 July 2016, Lima, Peru"), encoding="utf-8")
    result = runner.invoke(app, ["check", "a.txt"])
    assert result.exit_code == 1
    assert "error[date-unparsed]" in result.stdout


# 3. an unreadable named file is a finding for that file


def test_check_reports_an_unreadable_named_file_and_checks_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "u.txt").write_text(NOTE, encoding="utf-8")
    (tmp_path / "other.txt").write_text(note(date_venue="sometime, Lima, Peru"), encoding="utf-8")
    locked = (tmp_path / "u.txt").resolve()
    real_access, real_open = os.access, os.open

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if Path(str(path)).resolve() == locked:
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(path)).resolve() == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "open", open_)
    result = runner.invoke(app, ["check", "u.txt", "other.txt"])
    assert result.exit_code == 1, result.output
    assert "u.txt:1:1: error[unreadable] cannot read: Permission denied" in result.stdout
    assert "other.txt:" in result.stdout and "date-unparsed" in result.stdout


# 4. files get the mode a normal write gives


def test_records_schema_and_database_get_normal_permissions(tmp_path: Path, umask_022: None) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text(NOTE, encoding="utf-8")
    assert runner.invoke(app, ["run", "notes", "-o", "out"]).exit_code == 0
    assert runner.invoke(app, ["schema", "--out-dir", "schemas"]).exit_code == 0
    exported = runner.invoke(app, ["export", "out", "--to", "sqlite", "-o", "notes.sqlite"])
    assert exported.exit_code == 0, exported.output
    for written in (Path("out/a.json"), *Path("schemas").iterdir(), Path("notes.sqlite")):
        assert stat.S_IMODE(written.stat().st_mode) == 0o644, written


def test_a_rewritten_record_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text(NOTE, encoding="utf-8")
    assert runner.invoke(app, ["run", "notes", "-o", "out"]).exit_code == 0
    Path("out/a.json").chmod(0o640)
    assert runner.invoke(app, ["run", "notes", "-o", "out", "--force"]).exit_code == 0
    assert stat.S_IMODE(Path("out/a.json").stat().st_mode) == 0o640


# 5. unusual file names give valid reports and records


def test_junit_report_is_valid_xml_with_control_characters_in_a_name(tmp_path: Path) -> None:
    (tmp_path / "bad\x1bname.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["check", ".", "--format", "junit"])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert root.find("testsuite/testcase") is not None


def test_a_non_utf8_file_name_gives_valid_reports_and_a_record(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / name).write_text(NOTE, encoding="utf-8")
    checked = runner.invoke(app, ["check", "notes", "--format", "json", "-o", "report.json"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(Path("report.json").read_bytes().decode("utf-8"))
    assert report["notes"][0]["path"] == "notes/caf\\xe9.txt"
    result = runner.invoke(app, ["run", "notes", "-o", "out"])
    assert result.exit_code == 0, result.output
    record = json.loads(next(Path("out").iterdir()).read_bytes().decode("utf-8"))
    assert record["source"]["path"] == "caf\\xe9.txt"


# 6. records are never read as notes


def test_run_into_its_own_input_folder_with_any_glob_is_safe(tmp_path: Path) -> None:
    (tmp_path / "same").mkdir()
    (tmp_path / "same" / "a.txt").write_text(NOTE, encoding="utf-8")
    first = runner.invoke(app, ["run", "same", "-o", "same", "--glob", "*"])
    assert first.exit_code == 0, first.output
    good = Path("same/a.json").read_bytes()
    second = runner.invoke(app, ["run", "same", "-o", "same", "--glob", "*"])
    assert second.exit_code == 0, second.output
    assert "0 converted, 1 unchanged, 0 failed" in second.stderr
    assert Path("same/a.json").read_bytes() == good
    assert json.loads(good)["source"]["path"] == "a.txt"


def test_an_output_folder_inside_the_input_folder_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text(NOTE, encoding="utf-8")
    assert runner.invoke(app, ["run", "notes", "-o", "notes/out", "--glob", "*"]).exit_code == 0
    again = runner.invoke(app, ["run", "notes", "-o", "notes/out", "--glob", "*", "--force"])
    assert again.exit_code == 0, again.output
    assert "1 converted, 0 unchanged, 0 failed" in again.stderr
    assert sorted(p.name for p in Path("notes/out").iterdir() if not p.name.startswith(".")) == ["a.json"]


# 7. CSV cells that start like a formula are neutralized


def _export_titles(tmp_path: Path, *extra: str) -> list[str]:
    (tmp_path / "notes").mkdir(exist_ok=True)
    (tmp_path / "notes" / "a.txt").write_text(note(title='=HYPERLINK("http://x.example","y")'), "utf-8")
    (tmp_path / "notes" / "b.txt").write_text(note(title="@SUM(1+1)"), "utf-8")
    (tmp_path / "notes" / "c.txt").write_text(note(title="A plain workshop"), "utf-8")
    assert runner.invoke(app, ["run", "notes", "-o", "out"]).exit_code == 0
    result = runner.invoke(app, ["export", "out", "--to", "csv", "-o", "tables", *extra])
    assert result.exit_code == 0, result.output
    with Path("tables/events.csv").open(encoding="utf-8", newline="") as handle:
        return [row["title"] for row in csv.DictReader(handle)]


def test_csv_export_neutralizes_formulas(tmp_path: Path) -> None:
    assert _export_titles(tmp_path) == [
        '\'=HYPERLINK("http://x.example","y")',
        "'@SUM(1+1)",
        "A plain workshop",
    ]


def test_csv_export_keeps_formulas_when_asked(tmp_path: Path) -> None:
    titles = _export_titles(tmp_path, "--keep-formulas")
    assert titles == ['=HYPERLINK("http://x.example","y")', "@SUM(1+1)", "A plain workshop"]


# 8. an output folder that cannot hold records is one set-up error


def test_an_output_folder_that_is_a_file_is_one_setup_error(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / "notes" / name).write_text(NOTE, encoding="utf-8")
    Path("out").write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["run", "notes", "-o", "out"])
    assert result.exit_code == 2
    assert result.stderr.count("error:") == 1 and "failed" not in result.stderr
    assert "out: the output folder is a file" in result.stderr


# 9. temporary files of a killed run are swept


def test_temporary_files_left_by_a_killed_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text(NOTE, encoding="utf-8")
    out = Path("out/sub")
    out.mkdir(parents=True)
    dead = out / ".a.json.99999999.0123abcd.tmp"  # no process has this id (above the kernel's limit)
    legacy = Path("out") / ".a.json.k2j4h5_x.tmp"  # an older version's name, an hour old
    live = Path("out") / f".b.json.{os.getpid()}.0123abcd.tmp"  # a run still writing
    for path in (dead, legacy, live):
        path.write_text("{", encoding="utf-8")
    old = time.time() - 7200
    os.utime(legacy, (old, old))
    assert runner.invoke(app, ["run", "notes", "-o", "out"]).exit_code == 0
    assert not dead.exists() and not legacy.exists() and live.exists()


# 10. PDFs and other binary files are recognized


def test_a_pdf_without_nul_bytes_is_refused_as_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" * 20
    )
    result = runner.invoke(app, ["run", "notes", "-o", "out"])
    assert result.exit_code == 1
    assert "failed: a.txt: starts like a PDF (%PDF-) but is not a readable PDF" in result.stderr


def test_a_nul_byte_after_the_first_4_kib_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_bytes(NOTE.encode() + b"x" * 5000 + b"\x00tail\n")
    result = runner.invoke(app, ["run", "notes", "-o", "out"])
    assert result.exit_code == 1
    assert "failed: a.txt: looks like a binary file (NUL bytes), not a text note" in result.stderr
    assert not Path("out/a.json").exists()


# 11. stray bytes in a UTF-8 note are replaced and located


def test_stray_bytes_in_a_utf8_note_are_replaced_and_reported(tmp_path: Path) -> None:
    text = note(title="Séminaire régional sur le contrôle", date_venue="4 October 2017, Georgetown")
    data = text.encode("utf-8").replace(b"Georgetown", b"Georgetown\xff\xfe")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_bytes(data)
    assert runner.invoke(app, ["run", "notes", "-o", "out"]).exit_code == 0
    record = json.loads(Path("out/a.json").read_text(encoding="utf-8"))
    assert record["source"]["encoding"] == "utf-8"
    assert record["event"]["title"] == "Séminaire régional sur le contrôle"
    raw = data.decode("utf-8", errors="replace")
    bad = [i for i in record["issues"] if i["code"] == "invalid-bytes"]
    assert len(bad) == 1 and raw[slice(*bad[0]["span"])] == "\ufffd\ufffd"


def test_a_windows_1252_note_is_still_read_as_windows_1252(tmp_path: Path) -> None:
    data = note(title="Séminaire régional sur le contrôle").encode("cp1252")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_bytes(data)
    assert runner.invoke(app, ["run", "notes", "-o", "out"]).exit_code == 0
    record = json.loads(Path("out/a.json").read_text(encoding="utf-8"))
    assert record["source"]["encoding"] == "cp1252"
    assert record["event"]["title"] == "Séminaire régional sur le contrôle"
    assert not [i for i in record["issues"] if i["code"] == "invalid-bytes"]


# 12. notes above a size limit fail with their size; the limit is a setting


def test_a_note_above_the_size_limit_fails_with_its_size(tmp_path: Path) -> None:
    Path("settings.toml").write_text("max_note_bytes = 1000\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "small.txt").write_text(NOTE, encoding="utf-8")
    (tmp_path / "notes" / "big.txt").write_text(NOTE + "x" * 2000, encoding="utf-8")
    result = runner.invoke(app, ["run", "notes", "-o", "out", "--config", "settings.toml"])
    assert result.exit_code == 1
    assert "failed: big.txt: 2," in result.stderr and "more than the limit of 1,000" in result.stderr
    assert "1 converted, 0 unchanged, 1 failed" in result.stderr


def test_the_default_limit_refuses_a_30_mb_note_without_reading_it(tmp_path: Path) -> None:
    from note_extract.core.settings import Settings

    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(30_000_000)
    assert 50_000 < Settings().max_note_bytes < 30_000_000
    result = runner.invoke(app, ["check", "big.txt"])
    assert result.exit_code == 1
    assert "error[unreadable] 30,000,000 bytes, more than the limit" in result.stdout


# 13. languages are validated with the settings


@pytest.mark.parametrize("languages", ['["xx"]', "[]"])
def test_bad_languages_are_a_settings_error(tmp_path: Path, languages: str) -> None:
    Path("settings.toml").write_text(f"languages = {languages}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["run", "a.txt", "-o", "out", "--config", "settings.toml"])
    assert result.exit_code == 2, result.output
    assert "[tool.note_extract] languages:" in result.stderr
    assert not Path("out").exists()


# 14. smaller ones


def test_eval_against_an_empty_gold_folder_is_an_error(tmp_path: Path) -> None:
    Path("gold").mkdir()
    Path("out").mkdir()
    result = runner.invoke(app, ["eval", "out", "gold"])
    assert result.exit_code == 2
    assert "no gold files" in result.stderr


def test_messages_are_never_wrapped_off_a_terminal(tmp_path: Path) -> None:
    deep = tmp_path / ("folder-with-a-long-name-" * 4) / "settings.toml"
    deep.parent.mkdir()
    deep.write_text("fuzzy_cutoff = 5\n", encoding="utf-8")
    Path("a.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["run", "a.txt", "-o", "out", "--config", str(deep)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) > 120 and "fuzzy_cutoff" in lines[0]


@pytest.mark.parametrize(
    "command",
    [
        "check",
        "run",
        "export",
        "eval",
        "extract",
        "schema",
        "resolve",
        "bench",
        "review",
        "orgs suggest",
        "orgs add",
    ],
)
def test_help_shows_no_python_types(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    for python_type in ("list[", "<str>", "<int", "<float>", "Path]"):
        assert python_type not in result.stdout, python_type


def test_an_unknown_export_format_is_named_plainly(tmp_path: Path) -> None:
    Path("out").mkdir()
    result = runner.invoke(app, ["export", "out", "--to", "xlsx", "-o", "t"])
    assert result.exit_code == 2
    assert "Value error" not in result.output and "'xlsx' is not a format" in result.output


def test_schema_check_says_missing_when_the_file_is_missing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--check", "--out-dir", "nowhere"])
    assert result.exit_code == 1
    assert "is missing" in result.stderr and "out of date" not in result.stderr


def test_control_characters_in_names_are_printed_escaped(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a\x07b\x1b[31m.txt").write_text(NOTE, encoding="utf-8")
    result = runner.invoke(app, ["run", "notes", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert "a\\x07b\\x1b[31m.txt" in result.stderr
    assert "\x07" not in result.stderr and "\x1b" not in result.stderr


def test_run_to_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    for index in range(6):
        (tmp_path / f"n{index}.txt").write_text(NOTE, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "note_extract", "run", ".", "-o", "-", "--workers", "1", "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    errors = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, errors
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors


def test_the_eval_help_example_runs_and_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = runner.invoke(app, ["eval", "--help"]).stdout
    example = " ".join(text.split("Example (as make eval):", 1)[1].split())
    commands = [part.split()[1:] for part in example.split("&&")]
    assert [c[0] for c in commands] == ["run", "run", "eval"]
    monkeypatch.chdir(ROOT)
    out = str(tmp_path / "out")
    for args in commands:
        args = [out if a == "out" else a for a in args]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)


def test_the_license_is_an_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    requires = project["build-system"]["requires"]
    assert any(r.startswith("setuptools>=77") for r in requires), requires


def test_seeds_still_convert(tmp_path: Path) -> None:
    """The guard for all of the above: the real notes still convert with no failure."""
    result = runner.invoke(app, ["run", str(SEEDS[0].parent), "-o", "out", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"{len(SEEDS)} converted, 0 unchanged, 0 failed" in result.stderr


def test_one_long_line_without_spaces_is_read_in_linear_time(pipeline: Pipeline) -> None:
    started = time.perf_counter()
    record = extract(pipeline, NOTE + "a" * 200_000 + "\n")
    assert time.perf_counter() - started < 10  # about 1 s; an e-mail scan from each letter took a minute
    assert record.event.title == "A workshop"
