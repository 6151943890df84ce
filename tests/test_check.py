"""`note-extract check`: the CI gate — rules, severities, exit codes, locations, formats."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from note_extract.cli.main import app
from note_extract.core.errors import RuleFileError
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.quality.check import (
    Checker,
    CheckFinding,
    CheckReport,
    LineIndex,
    NoteCheck,
    format_github,
    format_junit,
    github_escape_data,
    github_escape_property,
)

from .conftest import ROOT

runner = CliRunner()

CLEAN = "Event: A workshop\n\nOrganizers: UNODA\n\nDate and venue: 4 October 2017, Georgetown, Guyana\n"
NO_ORGANIZERS_BAD_DATE = (
    "Event: A workshop\n\nParticipants: UNODA\n\nDate and venue: sometime soon, Georgetown, Guyana\n"
)
NO_DATE = "Event: A workshop\n\nOrganizers: UNODA\n\nVenue: Georgetown, Guyana\n"
UNRESOLVED = (
    "Event: A workshop\n\nOrganizers: UNODA and the LIRECC\n\nDate and venue: 4 October 2017, Lima, Peru\n"
)
CITY_ONLY = "Event: A workshop\n\nOrganizers: UNODA\n\nDate and venue: 4 October 2017, Georgetown\n"
FUZZY = (
    "Event: A workshop\n\nOrganizers: UNODA\n\nParticipants: Interpoll\n\n"
    "Date and venue: 4 October 2017, Lima, Peru\n"
)
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[^,:]+::[^\r\n]*$")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in its own folder, so no ./pyproject.toml is picked up by accident."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


def write(rel: str, text: str | bytes) -> Path:
    path = Path(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return runner.invoke(app, ["check", *args])


def test_a_clean_note_passes() -> None:
    write("notes/clean.txt", CLEAN)
    result = run("notes/clean.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 note checked: 0 failed, 0 errors, 0 warnings\n"


def test_missing_organizers_and_unreadable_date_fail_with_their_lines() -> None:
    write("notes/bad.txt", NO_ORGANIZERS_BAD_DATE)
    result = run("notes/bad.txt")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        'notes/bad.txt:1:1: error[organizers-missing] the note names no organizer — add an "Organizers:" '
        "line to the header",
        'notes/bad.txt:5:17: error[date-unparsed] no date could be read in "sometime soon, Georgetown, '
        'Guyana" — write the date as e.g. 9-11 November 2010',
        "1 note checked: 1 failed, 2 errors, 0 warnings",
    ]


def test_a_note_without_a_date_fails() -> None:
    write("no_date.txt", NO_DATE)
    result = run("no_date.txt")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        'no_date.txt:1:1: error[date-missing] the note gives no event date — add a "Date and venue:" line'
    )


def test_a_missing_venue_is_an_error_pointing_at_the_date_line() -> None:
    write("n.txt", "Event: A workshop\n\nOrganizers: UNODA\n\nDate: 4 October 2017\n")
    result = run("n.txt")
    assert result.exit_code == 1
    assert "n.txt:5:7: error[venue-missing] the note gives no venue" in result.stdout


def test_a_virtual_event_needs_no_venue() -> None:
    write("n.txt", "Event: A webinar\n\nOrganizers: UNODA\n\nDate and venue: 4 October 2017, online\n")
    assert run("n.txt").exit_code == 0


def test_an_unresolved_organization_is_an_error_at_its_line_and_column() -> None:
    write("n.txt", UNRESOLVED)
    result = run("n.txt")
    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith('n.txt:3:27: error[org-unresolved] "LIRECC" is not a known organization')
    assert first.endswith("— add an alias to the registry or fix the spelling")
    assert result.stdout.splitlines()[-1] == "1 note checked: 1 failed, 1 error, 0 warnings"


def test_windows_line_ends_give_the_same_lines_and_columns() -> None:
    write("n.txt", UNRESOLVED.replace("\n", "\r\n"))
    assert run("n.txt").stdout.startswith("n.txt:3:27: error[org-unresolved]")


def test_a_warning_alone_passes_and_strict_turns_it_into_a_failure() -> None:
    write("n.txt", CITY_ONLY)
    lenient = run("n.txt")
    assert lenient.exit_code == 0, lenient.output
    assert lenient.stdout.startswith(
        "n.txt:5:33: warning[venue-country-missing] no country found in the venue"
    )
    result = run("n.txt", "--strict")
    assert result.exit_code == 1
    assert "n.txt:5:33: error[venue-country-missing]" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 note checked: 1 failed, 1 error, 0 warnings"


def test_severity_overrides_come_from_the_config_file() -> None:
    write("n.txt", UNRESOLVED)
    write("cfg.toml", '[tool.note_extract]\nseverity = { "org-unresolved" = "warning" }\n')
    result = run("n.txt", "--config", "cfg.toml")
    assert result.exit_code == 0
    assert "n.txt:3:27: warning[org-unresolved]" in result.stdout


def test_a_code_switched_off_is_neither_reported_nor_failing() -> None:
    write("n.txt", NO_ORGANIZERS_BAD_DATE)
    write("cfg.toml", 'severity = { "organizers-missing" = "off", "date-unparsed" = "off" }\n')
    result = run("n.txt", "--config", "cfg.toml", "--min-severity", "info")
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 note checked: 0 failed, 0 errors, 0 warnings\n"


def test_fuzzy_matches_are_info_hidden_by_default_and_can_be_switched_off() -> None:
    write("n.txt", FUZZY)
    default = run("n.txt")
    assert default.exit_code == 0
    assert default.stdout == (
        "1 note checked: 0 failed, 0 errors, 0 warnings, 1 info (1 below --min-severity warning not shown)\n"
    )
    shown = run("n.txt", "--min-severity", "info")
    assert 'n.txt:5:15: info[org-fuzzy] "Interpoll" read as INTERPOL' in shown.stdout
    write("pyproject.toml", '[tool.note_extract]\nseverity = { "org-fuzzy" = "off" }\n')
    off = run("n.txt", "--min-severity", "info")  # ./pyproject.toml is read without --config
    assert off.stdout == "1 note checked: 0 failed, 0 errors, 0 warnings\n"


def test_min_severity_hides_findings_but_never_what_fails() -> None:
    write("a.txt", NO_ORGANIZERS_BAD_DATE)
    write("b.txt", CITY_ONLY)
    result = run("a.txt", "b.txt", "--min-severity", "error")
    assert result.exit_code == 1
    assert "warning[" not in result.stdout and "error[organizers-missing]" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "2 notes checked: 1 failed, 2 errors, 1 warning (1 below --min-severity error not shown)"
    )


def test_an_unknown_code_in_the_config_is_a_usage_error_naming_it() -> None:
    write("n.txt", CLEAN)
    write("cfg.toml", 'severity = { "org-unresolvd" = "error" }\n')
    result = run("n.txt", "--config", "cfg.toml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown issue code 'org-unresolvd'" in result.stderr


def test_a_bad_severity_value_is_a_usage_error() -> None:
    write("n.txt", CLEAN)
    write("cfg.toml", 'severity = { "org-fuzzy" = "fatal" }\n')
    result = run("n.txt", "--config", "cfg.toml")
    assert result.exit_code == 2
    assert result.stdout == "" and "cfg.toml" in result.stderr


def test_a_missing_path_is_a_usage_error_and_nothing_is_checked() -> None:
    write("n.txt", CLEAN)
    result = run("n.txt", "no/such/note.txt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: no/such/note.txt: no such file or directory\n"


def test_no_paths_is_a_usage_error() -> None:
    assert run().exit_code == 2


def test_a_broken_registry_is_a_set_up_error() -> None:
    write("n.txt", CLEAN)
    write("orgs.jsonl", '{"id": "x", "name": "Xylo Group", "type": "ngo"}\n{"id": \n')
    write("cfg.toml", 'registry = "orgs.jsonl"\n')
    result = run("n.txt", "--config", "cfg.toml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "orgs.jsonl:2: invalid JSON" in result.stderr


def _kinds(path: Path | None = None) -> dict[str, object]:
    from note_extract.rules.catalogue import load_catalogue

    return dict(load_catalogue(path).kinds)


def test_a_broken_rule_file_names_file_and_line(tmp_path: Path) -> None:
    shipped = (ROOT / "src" / "note_extract" / "data" / "findings.jsonl").read_text(encoding="utf-8")
    rows = [line for line in shipped.splitlines(keepends=True) if line.startswith("{")]
    loud = write("loud.jsonl", rows[0].replace('"check": "error"', '"check": "loud"'))
    with pytest.raises(RuleFileError, match=r"loud\.jsonl:1: check"):
        _kinds(loud)
    repeated = write("repeated.jsonl", "".join(rows) + rows[0])
    with pytest.raises(
        RuleFileError, match=rf"repeated\.jsonl:{len(rows) + 1}: code 'unreadable' is already"
    ):
        _kinds(repeated)
    missing = write("missing.jsonl", "".join(rows[1:]))
    with pytest.raises(RuleFileError, match="no row for code 'unreadable'"):
        _kinds(missing)
    unknown = write("unknown.jsonl", "".join(rows) + rows[0].replace('"unreadable"', '"no-such-code"'))
    with pytest.raises(RuleFileError, match=rf"unknown\.jsonl:{len(rows) + 1}: code"):
        _kinds(unknown)
    broken = write("broken.jsonl", "".join(rows).replace("the extractor failed: {error}", "failed: {error"))
    with pytest.raises(RuleFileError, match=r"broken\.jsonl:\d+: template"):
        _kinds(broken)


def test_an_unreadable_note_is_reported_and_the_others_still_checked() -> None:
    write("notes/a_binary.txt", b"\x00\x01\x02binary\x00")
    write("notes/b_clean.txt", CLEAN)
    write("notes/c_bad.txt", NO_DATE)
    result = run("notes")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "notes/a_binary.txt:1:1: error[unreadable] looks like a binary file (NUL bytes), not a text note "
        "— leave it out of the notes folder (or narrow --glob); a text note has no NUL bytes"
    )
    assert lines[1].startswith("notes/c_bad.txt:1:1: error[date-missing]")
    assert lines[-1] == "3 notes checked: 2 failed, 2 errors, 0 warnings"


def test_an_extractor_crash_is_reported_for_that_note_only(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("a.txt", "CRASH\n" + CLEAN)
    write("b.txt", CLEAN)
    original = pipeline.extract_text

    def flaky(raw: str, *args: object, **kwargs: object) -> object:
        if raw.startswith("CRASH"):
            raise RuntimeError("boom")
        return original(raw, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_text", flaky)
    report = Checker(Settings(), pipeline=pipeline).run([(Path("a.txt"), "a.txt"), (Path("b.txt"), "b.txt")])
    assert [(n.path, [f.code for f in n.findings]) for n in report.notes] == [
        ("a.txt", ["internal-error"]),
        ("b.txt", []),
    ]
    assert "RuntimeError: boom" in report.notes[0].findings[0].message


def test_folders_are_searched_recursively_in_path_order() -> None:
    write("notes/z.txt", NO_DATE)
    write("notes/sub/deeper/a.md", NO_DATE)
    write("notes/sub/b.html", CLEAN)
    write("notes/.hidden/c.txt", NO_DATE)
    write("notes/ignored.docx", "not a note")
    result = run("notes")
    paths = [line.split(":")[0] for line in result.stdout.splitlines()[:-1]]
    assert paths == ["notes/sub/deeper/a.md", "notes/z.txt"]
    assert result.stdout.splitlines()[-1].startswith("3 notes checked: 2 failed")


def test_a_note_given_twice_is_checked_once() -> None:
    write("notes/a.txt", CLEAN)
    result = run("notes", "notes/a.txt", "./notes/a.txt")
    assert result.stdout.startswith("1 note checked")


def test_a_folder_without_notes_is_a_usage_error() -> None:
    Path("empty").mkdir()
    result = run("empty")
    assert result.exit_code == 2
    assert "no note files" in result.stderr


def test_json_report_lists_findings_and_the_summary() -> None:
    write("a.txt", NO_ORGANIZERS_BAD_DATE)
    write("b.txt", FUZZY)
    result = run("a.txt", "b.txt", "--format", "json", "--min-severity", "info")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["path"], f["line"], f["column"], f["severity"], f["code"]) for f in data["findings"]] == [
        ("a.txt", 1, 1, "error", "organizers-missing"),
        ("a.txt", 5, 17, "error", "date-unparsed"),
        ("b.txt", 5, 15, "info", "org-fuzzy"),
    ]
    assert data["findings"][0]["hint"] == 'add an "Organizers:" line to the header'
    assert data["summary"] == {
        "notes": 2,
        "failed": 1,
        "errors": 2,
        "warnings": 0,
        "info": 1,
        "hidden": 0,
        "min_severity": "info",
        "strict": False,
    }
    assert [(n["path"], n["failed"]) for n in data["notes"]] == [("a.txt", True), ("b.txt", False)]
    assert result.stderr.strip() == "2 notes checked: 1 failed, 2 errors, 0 warnings, 1 info"


def test_github_format_gives_workflow_commands() -> None:
    write("a.txt", NO_ORGANIZERS_BAD_DATE)
    write("b.txt", CITY_ONLY)
    write("c.txt", FUZZY)
    result = run("a.txt", "b.txt", "c.txt", "--format", "github", "--min-severity", "info")
    assert result.exit_code == 1
    *commands, summary = result.stdout.splitlines()
    assert all(GITHUB_LINE.match(line) for line in commands), commands
    assert [line.split(" ", 1)[0] for line in commands] == ["::error", "::error", "::warning", "::notice"]
    assert commands[0] == (
        "::error file=a.txt,line=1,col=1,title=organizers-missing::the note names no organizer "
        '— add an "Organizers:" line to the header'
    )
    assert summary == "3 notes checked: 1 failed, 2 errors, 1 warning, 1 info"


def test_github_format_escapes_messages_and_properties() -> None:
    assert github_escape_data("50% done\r\nnext\nline") == "50%25 done%0D%0Anext%0Aline"
    assert github_escape_property("dir,1/a:b.txt") == "dir%2C1/a%3Ab.txt"
    finding = CheckFinding("notes/x,y:z.txt", 3, 4, "error", "date-unparsed", 'no date in "4\nOct" (100%)')
    text = format_github(CheckReport((NoteCheck("notes/x,y:z.txt", (finding,)),)))
    command = text.splitlines()[0]
    assert command == (
        '::error file=notes/x%2Cy%3Az.txt,line=3,col=4,title=date-unparsed::no date in "4%0AOct" (100%25)'
    )


def test_junit_report_has_one_testcase_per_note_and_a_failure_per_error() -> None:
    write("a.txt", NO_ORGANIZERS_BAD_DATE)
    write("b.txt", CITY_ONLY)
    write("c.txt", CLEAN)
    write("d.txt", b"\x00binary")
    result = run("a.txt", "b.txt", "c.txt", "d.txt", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert len(root.findall(".//failure")) == 3
    assert suites[0].get("tests") == "4" and suites[0].get("failures") == "2"
    assert [f.get("type") for f in cases[0].findall("failure")] == ["organizers-missing", "date-unparsed"]
    assert cases[1].find("failure") is None
    out = cases[1].find("system-out")
    assert out is not None and out.text is not None and "warning[venue-country-missing]" in out.text
    assert cases[2].find("failure") is None and cases[2].find("system-out") is None
    assert result.stderr.strip() == "4 notes checked: 2 failed, 3 errors, 1 warning"


def test_junit_report_stays_valid_xml_with_control_characters() -> None:
    finding = CheckFinding("x.txt", 1, 1, "error", "date-unparsed", 'no date in "4\x0cOct\x00"')
    xml = format_junit(CheckReport((NoteCheck("x.txt", (finding,)),)))
    failure = ET.fromstring(xml).find(".//failure")
    assert failure is not None and failure.get("message") == '1:1: no date in "4\ufffdOct\ufffd"'


def test_output_option_writes_the_report_to_a_file() -> None:
    write("a.txt", NO_DATE)
    result = run("a.txt", "--format", "junit", "--output", "reports/check.xml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "1 note checked: 1 failed, 1 error, 0 warnings"
    assert len(ET.parse("reports/check.xml").getroot().findall(".//failure")) == 1


def test_output_is_byte_identical_across_runs() -> None:
    write("b.txt", UNRESOLVED)
    write("a.txt", NO_ORGANIZERS_BAD_DATE)
    for fmt in ("text", "json", "github", "junit"):
        assert run(".", "--format", fmt).stdout == run("b.txt", "a.txt", "--format", fmt).stdout


def test_list_rules_shows_the_severities_in_force() -> None:
    write("cfg.toml", 'severity = { "org-fuzzy" = "off" }\n')
    result = run("--list-rules", "--config", "cfg.toml")
    assert result.exit_code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()}
    assert rows["org-fuzzy"][1] == "off"
    assert rows["title-missing"][1] == "error"


def test_line_index_counts_every_kind_of_line_end() -> None:
    index = LineIndex("ab\ncd\r\nef\rgh")
    assert [index.position(i) for i in (0, 1, 3, 7, 10, 11)] == [
        (1, 1),
        (1, 2),
        (2, 1),
        (3, 1),
        (4, 1),
        (4, 2),
    ]


def test_the_ci_guide_documents_every_rule() -> None:
    guide = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    missing = [code for code in _kinds() if f"`{code}`" not in guide]
    assert not missing


def test_the_pre_commit_hook_runs_the_check_on_notes() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: note-extract-check$", hooks, re.MULTILINE)
    assert re.search(r"^  entry: note-extract check$", hooks, re.MULTILINE)
    assert re.search(r"^  language: python$", hooks, re.MULTILINE)
    files = re.search(r"^  files: '(.+)'$", hooks, re.MULTILINE)
    assert files is not None
    pattern = re.compile(files.group(1))
    assert all(pattern.search(n) for n in ("a.txt", "notes/b.md", "c.html", "d.htm"))
    assert not any(pattern.search(n) for n in ("a.py", "b.txt.bak", "README"))


def test_a_prose_report_gets_hints_that_fit_it_and_both_severities_are_named(tmp_path: Path) -> None:
    from note_extract.core.settings import Settings as _Settings
    from note_extract.quality.check import Checker

    report = tmp_path / "press.txt"
    report.write_text(
        "NEW YORK, 12 March 2019 - The United Nations Office for Disarmament Affairs organized a workshop "
        "on resolution 1540 for officials of Caribbean States.\n",
        encoding="utf-8",
    )
    found = Checker(_Settings()).check_file(report, "press.txt").findings
    hints = " ".join(f.hint or "" for f in found)
    assert found and "line to the header" not in hints
    differing = [f for f in found if f.record_severity is not None]
    for f in differing:
        assert (
            f"in the record, {'an' if f.severity[0] in 'aeiou' else 'a'} {f.severity} for publication"
            in f.text()
        )
