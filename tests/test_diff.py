"""note-extract diff: record differences by meaning (event fields, role sets, groups, issues, confidence)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from note_extract.cli.main import app
from note_extract.core.models import NoteRecord
from note_extract.pipeline import Pipeline
from note_extract.quality.diff import (
    Change,
    DiffReport,
    NoteDiff,
    Options,
    compare,
    diff_folders,
    group_label,
)
from note_extract.quality.diff_format import markdown, text_lines

from .conftest import RAW_DIR, ROOT, SEEDS, display

runner = CliRunner()
LIMA = "004_c564594f294c2866"
"""A seed whose header names the date (9 -11 November 2010) and the organizers (UNODA, UN LiREC ...)."""


def _json(record: NoteRecord) -> dict[str, Any]:
    return record.model_dump(mode="json")


@pytest.fixture(scope="module")
def lima(pipeline: Pipeline) -> dict[str, Any]:
    path = RAW_DIR / f"{LIMA}.txt"
    return _json(pipeline.extract_file(path, display(path)))


def _ops(changes: list[Change]) -> list[tuple[str, str, Any, Any]]:
    return [(c.field, c.op, c.old, c.new) for c in changes]


def _run(notes: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(
        app, ["run", str(notes), "-o", str(out), "--workers", "1", "--no-progress", *extra]
    )
    assert result.exit_code == 0, result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- one pair of records ----------------------------------------------------------------------------


def test_the_same_record_has_no_change(lima: dict[str, Any]) -> None:
    assert compare(lima, copy.deepcopy(lima)) == []


def test_a_changed_date_is_one_change_and_spans_only_count_with_spans(lima: dict[str, Any]) -> None:
    new = copy.deepcopy(lima)
    new["event"]["end_date"] = "2010-11-12"
    new["event"]["date_text"] = "9 -12 November 2010"
    new["event"]["date_span"] = [1, 2]
    new["organizers"][0]["span"] = [5, 9]
    new["extractor"]["version"] = "9.9.9"
    assert _ops(compare(lima, new)) == [("event.end_date", "changed", "2010-11-11", "2010-11-12")]
    with_spans = {(c.field, c.kind) for c in compare(lima, new, Options(spans=True))}
    assert with_spans == {
        ("event.end_date", "event"),
        ("event.date_text", "spans"),
        ("event.date_span", "spans"),
        ("organizers.span", "spans"),
        ("extractor.version", "extractor"),
    }


def test_an_added_and_a_removed_organizer(lima: dict[str, Any]) -> None:
    new = copy.deepcopy(lima)
    gone = new["organizers"].pop(0)
    new["organizers"].append({**gone, "id": "opcw", "text": "OPCW", "name": "OPCW"})
    changes = compare(lima, new)
    assert _ops(changes) == [
        ("organizers", "removed", {"id": gone["id"], "text": gone["text"]}, None),
        ("organizers", "added", None, {"id": "opcw", "text": "OPCW"}),
    ]
    reordered = copy.deepcopy(lima)
    reordered["organizers"].reverse()
    reordered["organizers"][0]["text"] = reordered["organizers"][0]["text"].upper()  # same identity
    assert compare(lima, reordered) == []


def test_a_name_the_registry_now_knows_is_resolved_not_removed_and_added(lima: dict[str, Any]) -> None:
    old = copy.deepcopy(lima)
    old["organizers"][0].update(id=None, name=None, text="United  Nations Office")
    new = copy.deepcopy(lima)
    new["organizers"][0].update(text="United Nations\nOffice")
    [change] = compare(old, new)
    assert (change.field, change.op) == ("organizers", "resolved")
    assert change.old == {"id": None, "text": "United Nations Office"}
    assert change.new == {"id": lima["organizers"][0]["id"], "text": "United Nations Office"}
    assert [c.op for c in compare(new, old)] == ["unresolved"]


def test_issues_are_compared_by_code_and_count(lima: dict[str, Any]) -> None:
    new = copy.deepcopy(lima)
    issue = {"code": "venue-missing", "severity": "error", "message": "m", "span": None, "hint": None}
    new["issues"] = [
        *new["issues"],
        issue,
        {**issue, "code": "title-missing"},
        {**issue, "code": "title-missing"},
    ]
    assert [(c.where, c.op, c.old, c.new) for c in compare(lima, new)] == [
        ("title-missing", "added", 0, 2),
        ("venue-missing", "added", 0, 1),
    ]


def test_participant_groups_by_label(lima: dict[str, Any]) -> None:
    new = copy.deepcopy(lima)
    group = new["participants"][0]
    member = group["members"].pop()
    new["participants"].append({**group, "label": "Observers", "members": [member]})
    changes = compare(lima, new)
    assert [(c.field, c.op, c.where) for c in changes] == [
        ("participants", "removed", group_label(group)),
        ("participants", "added", "Observers"),
    ]


def _without_confidence(record: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(record)
    out["event"].pop("confidence", None)
    for role in ("organizers", "sponsors", "hosts", "observers"):
        for ref in out[role]:
            ref.pop("confidence", None)
    for group in out["participants"]:
        for ref in group["members"]:
            ref.pop("confidence", None)
    return out


def test_confidence_is_compared_when_both_sides_have_it_within_a_tolerance(lima: dict[str, Any]) -> None:
    lima = _without_confidence(lima)
    old, new = copy.deepcopy(lima), copy.deepcopy(lima)
    old["event"]["confidence"] = {"title": 0.9, "start_date": 0.8, "city": 0.7}
    new["event"]["confidence"] = {"title": 0.88, "start_date": 0.5, "country": 0.9}
    old["organizers"][0]["confidence"] = 0.9
    new["organizers"][0]["confidence"] = 0.6
    new["organizers"][1]["confidence"] = 0.1  # absent before: not compared
    assert {(c.field, c.old, c.new) for c in compare(old, new, Options(tolerance=0.05))} == {
        ("event.confidence.start_date", 0.8, 0.5),
        ("organizers.confidence", 0.9, 0.6),
    }
    assert compare(old, new) == compare(old, new, Options(tolerance=0.05))  # the default tolerance
    assert {c.field for c in compare(old, new, Options(tolerance=0))} == {
        "event.confidence.title",
        "event.confidence.start_date",
        "organizers.confidence",
    }
    assert compare(old, lima) == [] and compare(lima, new) == []  # absent on one side: no change
    new["event"]["start_date"] = "2001-01-01"  # the confidence of a changed value is part of that change
    assert {c.field for c in compare(old, new)} == {"event.start_date", "organizers.confidence"}


def test_a_field_one_schema_version_lacks_is_not_compared(lima: dict[str, Any]) -> None:
    old = copy.deepcopy(lima)
    del old["event"]["venue"]["country_source"]
    for group in old["participants"]:
        del group["found_in"]
    assert compare(old, lima) == []


# --- folders, files and the command -------------------------------------------------------------------


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Records of the seeds, and of the seeds with the Lima note's end date and one organizer edited."""
    base = tmp_path_factory.mktemp("edited")
    before, after = base / "before", base / "after"
    shutil.copytree(RAW_DIR, before)
    shutil.copytree(RAW_DIR, after)
    _edit(after / f"{LIMA}.txt", "9 -11 November 2010", "9 -12 November 2010")
    _edit(after / f"{LIMA}.txt", "the UNSC 1540 Committee;", "the UNSC 1540 Committee and the OPCW;")
    _run(before, base / "old")
    _run(after, base / "new")
    return base / "old", base / "new"


EXPECTED = [
    ("event.end_date", "changed", "2010-11-11", "2010-11-12"),
    ("organizers", "added", None, {"id": "opcw", "text": "OPCW"}),
]


def test_an_edited_date_and_organizer_are_exactly_two_changes_in_every_format(
    edited: tuple[Path, Path],
) -> None:
    old, new = edited
    # The edit also moves confidences (OPCW, now an organizer, is a less certain participant); those are
    # changes of their own kind, and a tolerance of 1 leaves them out.
    report = diff_folders(old, new)
    assert [n.note for n in report.notes] == [LIMA]
    assert _ops([c for c in report.changes() if c.kind != "confidence"]) == EXPECTED
    report = diff_folders(old, new, Options(tolerance=1.0))
    assert _ops(list(report.changes())) == EXPECTED

    as_json = runner.invoke(app, ["diff", str(old), str(new), "--format", "json", "--tolerance", "1"])
    assert as_json.exit_code == 0, as_json.output
    [note] = json.loads(as_json.stdout)["notes"]
    assert [(c["field"], c["op"], c["old"], c["new"]) for c in note["changes"]] == EXPECTED

    text = runner.invoke(app, ["diff", str(old), str(new), "--tolerance", "1"])
    assert text.exit_code == 0
    changes = [line.strip() for line in text.stdout.splitlines() if line.startswith("  ")]
    assert changes == ["event.end_date: 2010-11-11 -> 2010-11-12", "organizers: + OPCW [opcw]"]

    md = runner.invoke(app, ["diff", str(old), str(new), "--format", "markdown", "--tolerance", "1"])
    html = MarkdownIt("commonmark").enable("table").render(md.stdout)
    assert html.count("<table>") == 3  # notes, kinds, the changed note
    rows = html.split("<table>")[3].split("<tbody>")[1].count("<tr>")
    assert rows == 2
    assert "<td>event.end_date</td>" in html and "<td>+ OPCW [opcw]</td>" in html


def test_fail_on_change_exits_1_for_a_protected_field_only(edited: tuple[Path, Path]) -> None:
    old, new = edited
    args = ["diff", str(old), str(new), "--format", "json"]
    protected = runner.invoke(app, [*args, "--fail-on-change", "event.start_date,organizers"])
    assert protected.exit_code == 1
    assert "protected fields changed: organizers (1)" in protected.output
    assert runner.invoke(app, [*args, "--fail-on-change", "event.end_date"]).exit_code == 1
    assert runner.invoke(app, [*args, "--fail-on-change", "event"]).exit_code == 1
    assert runner.invoke(app, [*args, "--fail-on-change", "all"]).exit_code == 1
    assert runner.invoke(app, [*args, "--fail-on-change", "event.start_date,hosts"]).exit_code == 0
    assert runner.invoke(app, args).exit_code == 0
    unknown = runner.invoke(app, [*args, "--fail-on-change", "event.start_dat"])
    assert unknown.exit_code == 2 and "unknown field" in unknown.output


def test_an_identical_rerun_reports_no_change(tmp_path: Path, edited: tuple[Path, Path]) -> None:
    old, _new = edited
    again = tmp_path / "again"
    _run(RAW_DIR, again, "--force")
    for fmt in ("text", "markdown", "json"):
        result = runner.invoke(
            app, ["diff", str(old), str(again), "--format", fmt, "--fail-on-change", "all"]
        )
        assert result.exit_code == 0, result.output
        assert "no semantic change: 5 notes compared" in result.output or fmt == "json"
    assert json.loads(runner.invoke(app, ["diff", str(old), str(again), "-f", "json"]).stdout)["notes"] == []


def test_notes_added_removed_and_renamed(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(RAW_DIR, tmp_path / "a")
    shutil.copytree(RAW_DIR, tmp_path / "b")
    (tmp_path / "b" / SEEDS[0].name).rename(tmp_path / "b" / "renamed.txt")
    (tmp_path / "b" / SEEDS[1].name).unlink()
    shutil.copy(sorted((ROOT / "tests" / "notes").glob("*.txt"))[0], tmp_path / "b" / "added.txt")
    _run(tmp_path / "a", old)
    _run(tmp_path / "b", new)
    report = diff_folders(old, new)
    assert [(n.status, n.note, n.old_note, n.changes) for n in report.notes] == [
        ("removed", SEEDS[1].stem, None, ()),
        ("added", "added", None, ()),
        ("renamed", "renamed", SEEDS[0].stem, ()),
    ]
    assert report.compared == 6 and report.unchanged == 3
    assert report.fails(["notes"]) and not report.fails(["event", "organizers"])
    result = runner.invoke(app, ["diff", str(old), str(new), "--fail-on-change", "notes"])
    assert result.exit_code == 1
    assert f"renamed  {SEEDS[0].stem} -> renamed" in result.stdout


def test_a_registry_change_that_resolves_a_name(tmp_path: Path) -> None:
    """001 lists 'ICI', which the shipped registry does not know; a registry that does gives its id."""
    rules = tmp_path / "rules"
    rules.mkdir()
    shipped = (ROOT / "src" / "note_extract" / "data" / "organizations.jsonl").read_text(encoding="utf-8")
    entry = {"id": "ici-test", "name": "ICI Test Initiative", "acronyms": ["ICI"], "type": "other"}
    (rules / "organizations.jsonl").write_text(shipped + json.dumps(entry) + "\n", encoding="utf-8")
    _run(RAW_DIR, tmp_path / "old")
    _run(RAW_DIR, tmp_path / "new", "--rules", str(rules))
    report = diff_folders(tmp_path / "old", tmp_path / "new")
    resolved = [c for c in report.changes() if c.op == "resolved"]
    assert [(c.field, c.old, c.new) for c in resolved] == [
        ("participants", {"id": None, "text": "ICI"}, {"id": "ici-test", "text": "ICI"})
    ]
    assert not [c for c in report.changes() if c.field == "participants" and c.op in ("added", "removed")]


def test_two_record_files_and_usage_errors(edited: tuple[Path, Path]) -> None:
    old, new = edited
    files = runner.invoke(app, ["diff", str(old / f"{LIMA}.json"), str(new / f"{LIMA}.json"), "-f", "json"])
    assert files.exit_code == 0, files.output
    assert json.loads(files.stdout)["summary"]["changed"] == 1
    assert runner.invoke(app, ["diff", str(old), str(new / f"{LIMA}.json")]).exit_code == 2
    assert runner.invoke(app, ["diff", str(old)]).exit_code == 2
    assert runner.invoke(app, ["diff", str(old), "no/such/folder"]).exit_code == 2
    bad = new.parent / "bad"
    bad.mkdir(exist_ok=True)
    (bad / f"{LIMA}.json").write_text("[]")
    broken = runner.invoke(app, ["diff", str(old), str(bad)])
    assert broken.exit_code == 2 and "not a note record" in broken.output


def test_markdown_escapes_what_a_record_holds(lima: dict[str, Any]) -> None:
    new = copy.deepcopy(lima)
    new["event"]["title"] = "A | B <script>alert(1)</script> *bold* `code`\nnext"
    report = DiffReport(compared=1)
    report.notes.append(NoteDiff("a|b", "changed", tuple(compare(lima, new))))
    html = MarkdownIt("commonmark").enable("table").render(markdown(report))
    assert "<script>" not in html and "<em>" not in html and "<code>" not in html
    cells = html.split("<table>")[3].split("<tbody>")[1].split("</tr>")[0]
    assert cells.count("<td>") == 2 and "A | B &lt;script&gt;" in cells
    assert all("\n" not in line for _style, line in text_lines(report))


def test_rev_compares_the_notes_at_a_revision_with_now(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    notes = repo / "notes"
    shutil.copytree(RAW_DIR, notes)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "start")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "notes")
    clean = runner.invoke(app, ["diff", "--rev", "HEAD", str(notes), "--fail-on-change", "all"])
    assert clean.exit_code == 0, clean.output
    assert "no semantic change: 5 notes compared" in clean.stdout
    _edit(notes / f"{LIMA}.txt", "9 -11 November 2010", "9 -12 November 2010")
    git("mv", f"notes/{SEEDS[0].name}", "notes/moved.txt")
    (notes / SEEDS[1].name).unlink()
    result = runner.invoke(app, ["diff", "--rev", "HEAD", str(notes), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(n["status"], n["note"]) for n in report["notes"]] == [
        ("removed", SEEDS[1].stem),
        ("changed", LIMA),
        ("renamed", "moved"),
    ]
    assert report["summary"]["compared"] == 5 and report["summary"]["unchanged"] == 2
    [lima] = [n for n in report["notes"] if n["status"] == "changed"]
    assert [(c["field"], c["new"]) for c in lima["changes"]] == [("event.end_date", "2010-11-12")]
    same = runner.invoke(app, ["diff", "--rev", "HEAD~1", str(notes), "--fail-on-change", "all"])
    assert same.exit_code == 1  # every note is new since the empty first commit
    assert runner.invoke(app, ["diff", "--rev", "no-such-rev", str(notes)]).exit_code == 2
    assert runner.invoke(app, ["diff", "--rev", "HEAD", str(tmp_path)]).exit_code == 2


def test_run_changed_since_converts_only_changed_notes_and_drops_stale_records(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    notes = repo / "notes"
    shutil.copytree(RAW_DIR, notes)
    user = ["-c", "user.name=t", "-c", "user.email=t@t"]
    for args in (["init", "-q"], ["add", "."], [*user, "commit", "-q", "-m", "notes"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    out = repo / "out"
    _run(notes, out)
    _edit(notes / f"{LIMA}.txt", "9 -11 November 2010", "9 -12 November 2010")
    (notes / SEEDS[0].name).rename(notes / "moved.txt")
    (notes / SEEDS[1].name).unlink()
    shutil.copy(sorted((ROOT / "tests" / "notes").glob("*.txt"))[0], notes / "sub dir.txt")
    result = runner.invoke(
        app, ["run", str(notes), "-o", str(out), "--changed-since", "HEAD", "--workers", "1", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "3 notes changed since HEAD, 2 stale records removed" in result.output
    assert "3 converted, 0 unchanged, 0 failed" in result.output
    fresh = tmp_path / "fresh"
    _run(notes, fresh)
    assert sorted(p.name for p in out.glob("*.json")) == sorted(p.name for p in fresh.glob("*.json"))
    assert diff_folders(fresh, out).notes == []
    nothing = runner.invoke(
        app, ["run", str(notes), "-o", str(out), "--changed-since", "HEAD", "--no-progress"]
    )
    assert "0 stale records removed" in nothing.output and nothing.exit_code == 0
    bad = runner.invoke(app, ["run", str(notes), "-o", str(out), "--changed-since", "nope"])
    assert bad.exit_code == 2 and "does not know the revision" in bad.output
