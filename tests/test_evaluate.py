"""Field-level scoring against gold records: counts, misses, wrong merges, and the eval command."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from note_extract.cli import app
from note_extract.evaluate import evaluate, load_records

from .conftest import GOLDEN_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def gold() -> dict[str, dict[str, Any]]:
    return load_records(GOLDEN_DIR)


def test_identical_records_score_perfectly(gold: dict[str, dict[str, Any]]) -> None:
    report = evaluate(copy.deepcopy(gold), gold)
    assert report.notes == len(gold) and not report.missing and not report.misses
    assert all(s.f1 == 1.0 for s in report.fields.values())
    assert report.fields["city"].exact_share == 1.0


def test_a_rightly_empty_venue_is_exact_but_not_a_true_positive(gold: dict[str, dict[str, Any]]) -> None:
    note = "104_empty_venue_2016"
    report = evaluate({note: gold[note]}, {note: gold[note]})
    city = report.fields["city"]
    assert (city.tp, city.fp, city.fn, city.exact, city.compared) == (0, 0, 0, 1, 1)


def test_errors_are_counted_and_listed(gold: dict[str, dict[str, Any]]) -> None:
    note = "004_c564594f294c2866"
    predicted = copy.deepcopy(gold[note])
    predicted["event"]["start_date"] = "2010-11-10"
    predicted["event"]["venue"]["city"] = None
    lost = predicted["organizers"].pop()
    predicted["participants"][0]["members"].append({"text": "Nowhere Institute", "id": None})
    report = evaluate({note: predicted}, {note: gold[note]})
    start = report.fields["start_date"]
    assert (start.tp, start.fp, start.fn) == (0, 1, 1)
    city = report.fields["city"]
    assert (city.tp, city.fp, city.fn, city.exact) == (0, 0, 1, 0)
    assert report.fields["organizers"].fn == 1
    assert report.fields["participants"].fp == 1
    assert f"{note}: start_date: expected '2010-11-09', got '2010-11-10'" in report.misses
    assert f"{note}: organizers: missed {lost['id']}" in report.misses
    assert f"{note}: participants: unexpected text:nowhere institute" in report.misses


def test_an_organization_resolved_to_another_identity_is_a_wrong_merge(
    gold: dict[str, dict[str, Any]],
) -> None:
    note = "004_c564594f294c2866"
    predicted = copy.deepcopy(gold[note])
    mention = predicted["mentions"]["organizations"][0]
    mention["id"] = "opcw" if mention["id"] != "opcw" else "iaea"
    report = evaluate({note: predicted}, {note: gold[note]})
    assert len(report.wrong_merges) == 1 and mention["text"] in report.wrong_merges[0]


def test_eval_command_prints_the_table_and_fails_on_a_missing_record(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    first = sorted(GOLDEN_DIR.glob("*.json"))[0]
    (out / first.name).write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(out), str(GOLDEN_DIR)])
    assert result.exit_code == 1
    assert "no record for:" in result.output and "precision" in result.output
    as_json = runner.invoke(app, ["eval", str(out), str(GOLDEN_DIR), "--json"])
    data = json.loads(as_json.stdout)
    assert data["notes"] == 1 and data["fields"]["title"]["f1"] == 1.0
