"""One ``--registry FILE`` option on every command that resolves names: run, extract, check, resolve,
orgs (list, suggest), review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.cli.main import app
from note_extract.core.resources import data_path

runner = CliRunner()

NOTE = """Event: Workshop on biosafety
Organizers: Zanzibar Biosafety Forum (ZBF) and the United Nations Office for Disarmament Affairs
Date and venue: 3-4 May 2016, Lima, Peru
Participants: Peru
"""


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(notes folder, user registry that knows ZBF, output folder)."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "zbf.txt").write_text(NOTE, encoding="utf-8")
    registry = tmp_path / "orgs.jsonl"
    entry = {"id": "zbf", "name": "Zanzibar Biosafety Forum", "acronyms": ["ZBF"], "type": "ngo"}
    registry.write_text(
        data_path("organizations.jsonl").read_text(encoding="utf-8") + json.dumps(entry) + "\n",
        encoding="utf-8",
    )
    return notes, registry, tmp_path / "out"


def _organizer_ids(record: dict[str, object]) -> list[object]:
    organizers = record["organizers"]
    assert isinstance(organizers, list)
    return [o["id"] for o in organizers]


def test_every_resolving_command_takes_the_registry(setup: tuple[Path, Path, Path], tmp_path: Path) -> None:
    notes, registry, out = setup
    note = str(notes / "zbf.txt")
    plain = runner.invoke(app, ["extract", note])
    assert plain.exit_code == 0 and "zbf" not in _organizer_ids(json.loads(plain.stdout))
    extracted = runner.invoke(app, ["extract", note, "--registry", str(registry)])
    assert extracted.exit_code == 0, extracted.output
    assert "zbf" in _organizer_ids(json.loads(extracted.stdout))

    ran = runner.invoke(
        app, ["run", str(notes), "-o", str(out), "--registry", str(registry), "--no-progress"]
    )
    assert ran.exit_code == 0, ran.output
    assert "zbf" in _organizer_ids(json.loads((out / "zbf.json").read_text(encoding="utf-8")))

    checked = runner.invoke(app, ["check", note, "--registry", str(registry)])
    assert "Zanzibar" not in checked.output, checked.output
    assert "Zanzibar" in runner.invoke(app, ["check", note]).output

    resolved = runner.invoke(app, ["resolve", "ZBF", "--registry", str(registry)])
    assert resolved.exit_code == 0 and "zbf" in resolved.output
    assert "zbf" not in runner.invoke(app, ["resolve", "ZBF"]).output.split()

    listed = runner.invoke(app, ["orgs", "--registry", str(registry)])
    assert listed.exit_code == 0 and "zbf\tZBF" in listed.output

    plain_out = tmp_path / "plain"
    assert runner.invoke(app, ["run", str(notes), "-o", str(plain_out), "--no-progress"]).exit_code == 0
    unknown = runner.invoke(app, ["orgs", "suggest", str(plain_out), "-o", str(tmp_path / "a.jsonl")])
    assert unknown.exit_code == 0, unknown.output
    assert "Zanzibar" in (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    assert "no raw text" not in unknown.output
    known = runner.invoke(
        app, ["orgs", "suggest", str(plain_out), "-o", str(tmp_path / "b.jsonl"), "--registry", str(registry)]
    )
    assert known.exit_code == 0, known.output
    assert "Zanzibar" not in (tmp_path / "b.jsonl").read_text(encoding="utf-8")

    site = tmp_path / "site"
    reviewed = runner.invoke(app, ["review", str(plain_out), "-o", str(site), "--registry", str(registry)])
    assert reviewed.exit_code == 0, reviewed.output
    assert "no raw text" not in reviewed.output
    assert "Zanzibar" not in (site / "proposals.html").read_text(encoding="utf-8")


def test_a_missing_registry_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resolve", "ZBF", "--registry", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "orgs add" in result.output
