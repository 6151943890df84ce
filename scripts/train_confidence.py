"""Fit the confidence models (``src/note_extract/data/confidence.jsonl``) from the project's gold.

Usage: ``make train`` (or ``python scripts/train_confidence.py [--check] [--corpus DIR]``).

Every training set's notes go through the pipeline; each decided value gets its features
(:mod:`note_extract.record.confidence`) and its verdict against the gold
(:mod:`note_extract.quality.calibration`). Per field family, a logistic regression (scikit-learn, L2,
fixed settings) is fitted on every value; its calibration, a Platt scaling of the model's score, is
fitted on out-of-fold scores (5 folds grouped by note, so no note's score comes from weights that saw
it). The cross-validated figures (each note scored by models and calibration fitted without it) are
printed per set. Deterministic: the same notes, gold and code give the same file, byte for byte.
``tests/heldout3`` is never trained on: it is the held-out measure. ``--check`` only says whether the
shipped file's digest still matches the training data and feature code (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from note_extract.batch.batch import DEFAULT_PATTERNS, discover
from note_extract.batch.output import record_json
from note_extract.core.errors import InputError
from note_extract.core.settings import Settings
from note_extract.lexicon.registry import load_registry
from note_extract.pipeline import Pipeline
from note_extract.quality.calibration import (
    Outcome,
    collect,
    format_calibration,
    summarize,
)
from note_extract.quality.evaluate import load_records
from note_extract.quality.gold import NameMatcher, find_aliases, load_aliases
from note_extract.read.reader import read_note
from note_extract.record.confidence import (
    Evidence,
    Features,
    event_features,
    participant_features,
    party_features,
)

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "note_extract" / "data" / "confidence.jsonl"
FEATURE_CODE = (ROOT / "src" / "note_extract" / "record" / "confidence.py", Path(__file__).resolve())
FAMILIES = ("event", "party", "participant")
EVENT_FIELDS = frozenset({"title", "start_date", "end_date", "city", "country"})
FOLDS = 5
C = 1.0


@dataclass(frozen=True)
class TrainingSet:
    """Notes and the gold they are scored against."""

    name: str
    notes: tuple[Path, ...]
    gold: Path


def training_sets(corpus: Path) -> list[TrainingSet]:
    """The sets fitted on: golden records, the hand-written sets, the shared corpus (when present)."""
    tests = ROOT / "tests"
    sets = [
        TrainingSet("golden", (ROOT / "data" / "raw", tests / "notes"), tests / "golden"),
        TrainingSet("reports", (tests / "reports" / "notes",), tests / "reports" / "gold"),
        TrainingSet("heldout", (tests / "heldout" / "notes",), tests / "heldout" / "gold"),
        TrainingSet("heldout2", (tests / "heldout2" / "notes",), tests / "heldout2" / "gold"),
        TrainingSet("corpus", (corpus / "notes",), corpus / "gold"),
        TrainingSet("converted", (corpus / "converted" / "notes",), corpus / "converted" / "gold"),
    ]
    return [s for s in sets if s.gold.is_dir() and all(n.is_dir() for n in s.notes)]


def _strip_confidence(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_confidence(v) for k, v in value.items() if k != "confidence"}
    if isinstance(value, list):
        return [_strip_confidence(v) for v in value]
    return value


def data_digest(sets: Sequence[TrainingSet]) -> str:
    """sha256 over every training note, every gold file (confidence keys left out, so refreshing the
    golden records' confidences does not make the weights stale) and the feature and training code."""
    digest = hashlib.sha256()
    for s in sets:
        for folder in s.notes:
            for path in discover(folder, DEFAULT_PATTERNS):
                digest.update(f"{s.name}/note/{path.name}\n".encode())
                digest.update(path.read_bytes())
        for path in sorted(s.gold.glob("*.json")):
            data = _strip_confidence(json.loads(path.read_text(encoding="utf-8")))
            digest.update(f"{s.name}/gold/{path.name}\n".encode())
            digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    for path in FEATURE_CODE:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Sample:
    """One decided value: its set, note, family, features and verdict."""

    set: str
    note_id: str
    family: str
    role: str | None
    features: Features
    right: bool


def _joined(evidence: Evidence, found: Sequence[Outcome]) -> Iterator[tuple[str, str | None, Features, bool]]:
    by_event = {o.family: o for o in found if o.role is None}
    by_party = {(o.role, o.index): o for o in found if o.role is not None}
    for family, features in event_features(evidence).items():
        if family in by_event:
            yield family, None, features, by_event[family].right
    for role, index, features in party_features(evidence):
        if (role, index) in by_party:
            yield "party", role, features, by_party[role, index].right
    for index, features in enumerate(participant_features(evidence)):
        if ("participants", index) in by_party:
            yield "participant", "participants", features, by_party["participants", index].right


def samples(pipeline: Pipeline, sets: Sequence[TrainingSet]) -> list[Sample]:
    """Every decided value of every training note, with its features and verdict."""
    registry = load_registry()
    out: list[Sample] = []
    for s in sets:
        gold = load_records(s.gold)
        aliases_path = find_aliases(s.gold)
        aliases = load_aliases(aliases_path) if aliases_path is not None else ()
        matcher = NameMatcher(registry=registry, countries=pipeline.countries, aliases=aliases)
        for folder in s.notes:
            for path in discover(folder, DEFAULT_PATTERNS):
                if path.stem not in gold:
                    continue
                try:
                    raw, source = read_note(path, path.name)
                except InputError:  # a note that cannot be read has no record, hence no values
                    continue
                parts = pipeline.parts(raw, source, path.stem)
                record = json.loads(record_json(pipeline.assembler.record(parts)))
                evidence = Evidence(
                    parts.note.text, parts.layout, parts.event, parts.roles, parts.mentions, parts.findings
                )
                found = collect({path.stem: record}, {path.stem: gold[path.stem]}, matcher)
                for family, role, features, right in _joined(evidence, found):
                    out.append(Sample(s.name, path.stem, family, role, features, right))
    return out


def _model_of(family: str) -> str:
    return "event" if family in EVENT_FIELDS else family


def _matrix(rows: Sequence[Sample], names: Sequence[str]) -> np.ndarray:
    return np.array([[r.features.get(n, 0.0) for n in names] for r in rows], dtype=float)


def _fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression | float:
    """A fitted model, or the share of right values when one class is missing."""
    if y.min() == y.max():
        return float(y.mean())
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000)
    model.fit(x, y)
    return model


def _scores(model: LogisticRegression | float, x: np.ndarray) -> np.ndarray:
    if isinstance(model, float):
        share = min(max(model, 0.02), 0.98)
        return np.full(len(x), float(np.log(share / (1 - share))))
    return np.asarray(model.decision_function(x), dtype=float)


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling of out-of-fold scores; a family whose held-out scores do not rank right above
    wrong (slope not positive) gets its share of right values instead, for every value."""
    share = float(np.clip(y.mean(), 0.02, 0.98))
    if y.min() == y.max():
        return 0.0, float(np.log(share / (1 - share)))
    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=5000)
    model.fit(z.reshape(-1, 1), y)
    slope = float(model.coef_[0][0])
    if slope <= 0:
        return 0.0, float(np.log(share / (1 - share)))
    return slope, float(model.intercept_[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=float)


def _folds(groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    splits = min(FOLDS, len(set(groups.tolist())))
    return list(GroupKFold(n_splits=splits).split(np.zeros(len(groups)), groups=groups))


def fit_family(rows: Sequence[Sample]) -> tuple[dict[str, Any], np.ndarray]:
    """The family's shipped row and the cross-validated probability of each of its values."""
    names = sorted({n for r in rows for n in r.features})
    x = _matrix(rows, names)
    y = np.array([int(r.right) for r in rows])
    groups = np.array([f"{r.set}/{r.note_id}" for r in rows])
    folds = _folds(groups)
    oof = np.zeros(len(rows))
    for train, test in folds:
        oof[test] = _scores(_fit(x[train], y[train]), x[test])
    cross = np.zeros(len(rows))
    for train, test in folds:
        a, b = _platt(oof[train], y[train])
        cross[test] = _sigmoid(a * oof[test] + b)
    final = _fit(x, y)
    a, b = _platt(oof, y)
    if isinstance(final, float):
        intercept, weights = float(_scores(final, x[:1])[0]), dict.fromkeys(names, 0.0)
    else:
        intercept = float(final.intercept_[0])
        weights = {n: round(float(w), 6) for n, w in zip(names, final.coef_[0], strict=True)}
    row = {
        "kind": "model",
        "family": _model_of(rows[0].family),
        "intercept": round(intercept, 6),
        "weights": weights,
        "platt": [round(a, 6), round(b, 6)],
        "samples": len(rows),
        "right": int(y.sum()),
    }
    return row, cross


def _outcomes(rows: Sequence[Sample], probabilities: np.ndarray) -> list[Outcome]:
    """The cross-validated values as outcomes."""
    return [
        Outcome(r.note_id, r.family, r.role, 0, round(float(p), 3), r.right)
        for r, p in zip(rows, probabilities, strict=True)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, write the file, print the cross-validated figures per set (or only check the digest)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--check", action="store_true", help="exit 1 when the shipped weights are stale")
    args = parser.parse_args(argv)
    sets = training_sets(args.corpus)
    digest = data_digest(sets)
    if args.check:
        shipped = shipped_digest()
        print("up to date" if shipped == digest else f"stale: shipped {shipped}, data {digest}")
        return 0 if shipped == digest else 1
    with tempfile.TemporaryDirectory() as folder:  # the features never read the shipped weights
        (Path(folder) / TARGET.name).write_text("# none\n", encoding="utf-8")
        rows = samples(Pipeline(Settings(rules=Path(folder))), sets)
    lines = [
        "# Confidence models, fitted by scripts/train_confidence.py (make train) from the sets named in the",
        "# source row; see note_extract.record.confidence. Do not edit by hand: make train rewrites it.",
        json.dumps(
            {
                "kind": "source",
                "digest": digest,
                "sets": [s.name for s in sets],
                "notes": len({(r.set, r.note_id) for r in rows}),
            }
        ),
    ]
    cross: dict[int, float] = {}
    for family in FAMILIES:
        members = [i for i, r in enumerate(rows) if _model_of(r.family) == family]
        if not members:
            continue
        row, probabilities = fit_family([rows[i] for i in members])
        lines.append(json.dumps(row, ensure_ascii=False))
        cross.update(zip(members, probabilities.tolist(), strict=True))
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    notes = len({(r.set, r.note_id) for r in rows})
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(rows)} values of {notes} notes")
    probabilities = np.array([cross[i] for i in range(len(rows))])
    for name in [s.name for s in sets] + ["all"]:
        keep = [i for i, r in enumerate(rows) if name in ("all", r.set)]
        found = _outcomes([rows[i] for i in keep], probabilities[keep])
        print(f"== cross-validated by note: {name}")
        print(format_calibration(summarize(found)), end="")
    return 0


def shipped_digest() -> str | None:
    """The digest the shipped file was fitted on."""
    for line in TARGET.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            if row.get("kind") == "source":
                return str(row["digest"])
    return None


if __name__ == "__main__":
    sys.exit(main())
