"""Confidence: every decided value carries a probability, the shipped models are fitted on the data in
the repository, and the calibration figures are computed right."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from note_extract.api import extract
from note_extract.batch.output import record_json
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.quality.calibration import auroc, calibrate
from note_extract.record.confidence import Scorer, probability
from note_extract.rules.bundle import shipped_rules
from note_extract.rules.rows import ConfidenceModelRow

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _train_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_confidence", ROOT / "scripts" / "train_confidence.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (CORPUS / "gold").is_dir(), reason="the shared corpus is part of the training data")
def test_shipped_weights_were_fitted_on_the_current_training_data_and_feature_code() -> None:
    train = _train_script()
    sets = train.training_sets(CORPUS)
    assert [s.name for s in sets] == ["golden", "reports", "heldout", "heldout2", "corpus", "converted"]
    shipped = train.shipped_digests()
    assert shipped is not None and shipped[0] == train.data_digest(sets), (
        "stale confidence weights: run make train"
    )
    values = train.values_digest(train.training_samples(sets, 0))
    assert shipped[1] == values, "the extraction changed since the weights were fitted: run make train"


def test_training_adds_seeded_wrappings_of_each_note_judged_against_the_note_gold() -> None:
    train = _train_script()
    [golden] = [s for s in train.training_sets(CORPUS) if s.name == "golden"]
    note = ROOT / "tests" / "notes" / "102_bangkok_2018_workshop.txt"
    raw = note.read_text(encoding="utf-8")
    first = list(train._wrappings(golden, note, raw, 6))
    assert first == list(train._wrappings(golden, note, raw, 6)), "the same seeds give the same wrappings"
    assert len(first) == 6 and len(set(first) - {raw}) >= 3, "each seed draws its own decorations"
    assert not list(train._wrappings(golden, note.with_suffix(".pdf"), raw, 6))


def test_every_family_has_a_model_fitted_on_right_and_wrong_values() -> None:
    models = Scorer.of(shipped_rules()).models
    assert set(models) == {"event", "party", "participant"}
    for model in models.values():
        assert model.samples > model.right > 0
        assert model.platt[0] >= 0, (
            "the calibration keeps the model's order, or gives the share of right values"
        )


def test_the_training_sets_leave_out_the_held_out_set() -> None:
    sets = _train_script().training_sets(CORPUS)
    held_out = ("heldout3", "heldout4")
    assert all(h not in str(folder) for h in held_out for s in sets for folder in (*s.notes, s.gold))


def test_records_carry_a_rounded_probability_for_each_event_field_and_each_party() -> None:
    pipeline = Pipeline(Settings())
    note = ROOT / "tests" / "notes" / "102_bangkok_2018_workshop.txt"
    data = json.loads(record_json(pipeline.extract_file(note)))
    confidence = data["event"]["confidence"]
    assert set(confidence) == {"title", "start_date", "end_date", "city", "country"}
    parties = [*data["organizers"], *data["sponsors"], *data["hosts"], *data["observers"]]
    parties += [m for g in data["participants"] for m in g["members"]]
    assert parties
    for p in [*confidence.values(), *(e["confidence"] for e in parties)]:
        assert 0.0 <= p <= 1.0 and round(p, 3) == p
    mentioned = [*data["mentions"]["organizations"], *data["mentions"]["countries"]]
    assert mentioned and all("confidence" not in m for m in mentioned)


def test_a_note_without_a_date_is_sure_of_no_wrong_date_less_than_of_a_written_one() -> None:
    header = "Event: Workshop on export controls\nDate: 4 October 2017\nVenue: Georgetown, Guyana\n"
    bare = "Event: Workshop on export controls\nVenue: Georgetown, Guyana\n"
    with_date = extract(header, note_id="a").event.confidence
    without = extract(bare, note_id="b").event.confidence
    assert with_date is not None and without is not None
    assert with_date.start_date > without.start_date


def test_probability_is_the_calibrated_logistic_of_the_weighted_features() -> None:
    model = ConfidenceModelRow(
        kind="model",
        family="event",
        intercept=-1.0,
        weights={"a": 2.0},
        platt=(0.5, 0.25),
        samples=2,
        right=1,
    )
    z = 0.5 * (-1.0 + 2.0 * 1.0) + 0.25
    assert probability(model, {"a": 1.0, "unknown": 5.0}) == round(1 / (1 + 2.718281828459045 ** (-z)), 3)


def test_auroc_counts_pairs_ordered_right_over_wrong_and_ties_as_half() -> None:
    assert auroc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert auroc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert auroc([0.9, 0.3, 0.6], [True, True, False]) == 0.5
    assert auroc([0.9], [True]) is None


def test_ece_is_the_weighted_gap_between_confidence_and_accuracy_per_tenth() -> None:
    exact = calibrate([(0.95, True)] * 19 + [(0.95, False)] + [(0.25, True)] + [(0.25, False)] * 3)
    assert exact.ece == pytest.approx(0.0)
    off = calibrate([(0.95, False)] * 2)
    assert off.ece == pytest.approx(0.95)
    assert off.high == 2 and off.high_right == 0
    assert sum(n for n, _r, _m in exact.bins) == 24


def test_check_reports_each_value_below_the_threshold_at_its_place(tmp_path: Path) -> None:
    from note_extract.quality.check import Checker

    note = tmp_path / "bare.txt"
    note.write_text("Event: Workshop on export controls\nVenue: Georgetown, Guyana\n", encoding="utf-8")
    checker = Checker(Settings(), min_confidence=1.0)
    found = [f for f in checker.check_file(note).findings if f.code == "low-confidence"]
    record = checker.pipeline.extract_file(note)
    assert record.event.confidence is not None
    assert len(found) == 5 + len(record.organizers) + sum(len(g.members) for g in record.participants)
    [start] = [f for f in found if f.message.startswith("start date")]
    assert "none found" in start.message and f"{record.event.confidence.start_date:.3f}" in start.message
    [title] = [f for f in found if f.message.startswith("title")]
    assert (title.line, title.column) == (1, 8)  # at the title's value
    assert not [f for f in Checker(Settings()).check_file(note).findings if f.code == "low-confidence"]


def test_exports_and_the_batch_summary_carry_the_confidences(tmp_path: Path) -> None:
    from note_extract.batch.convert import LOW_CONFIDENCE, low_confidence
    from note_extract.batch.export import flatten

    record = Pipeline(Settings()).extract_file(ROOT / "tests" / "notes" / "102_bangkok_2018_workshop.txt")
    tables = flatten([record])
    [event] = tables.rows["events"]
    confidence = record.event.confidence
    assert confidence is not None
    values = [
        confidence.title,
        confidence.start_date,
        confidence.end_date,
        confidence.city,
        confidence.country,
    ]
    parties = [r.confidence for _role, refs in record.parties() for r in refs]
    parties += [r.confidence for g in record.participants for r in g.members]
    assert list(event[-6:]) == [*values, min(p for p in [*values, *parties] if p is not None)]
    assert [row[-1] for row in tables.rows["organizations"]] == parties
    assert low_confidence(record) == sum(
        1 for p in [*values, *parties] if p is not None and p < LOW_CONFIDENCE
    )


def test_the_record_lists_every_confidence_by_path_and_its_least() -> None:
    record = Pipeline(Settings()).extract_file(ROOT / "tests" / "notes" / "102_bangkok_2018_workshop.txt")
    listed = record.confidences()
    data = json.loads(record_json(record))
    assert [path for path, _p in listed[:5]] == [f"event.{k}" for k in data["event"]["confidence"]]
    by_path = dict(listed)
    for role in ("organizers", "sponsors", "hosts", "observers"):
        for i, ref in enumerate(data[role]):
            assert by_path[f"{role}[{i}]"] == ref["confidence"]
    for g, group in enumerate(data["participants"]):
        for i, ref in enumerate(group["members"]):
            assert by_path[f"participants[{g}].members[{i}]"] == ref["confidence"]
    assert len(listed) == 5 + sum(
        len(data[r]) for r in ("organizers", "sponsors", "hosts", "observers")
    ) + sum(len(g["members"]) for g in data["participants"])
    assert record.least_confidence() == min(p for _path, p in listed)
