"""Fit the confidence models (``src/note_extract/data/confidence.jsonl``) from the project's gold.

Usage: ``make train`` (or ``python scripts/train_confidence.py [--check] [--corpus DIR]``).

Every training set's notes go through the pipeline, each with :data:`WRAPPINGS` seeded wrapped
renderings (``tests/wrappings.py``: the decorations converters and channels put around a note, so the
models see values read from forms half-understood; a wrapped note is judged against the note's own
gold). Each decided value gets its features (:mod:`note_extract.record.confidence`) and its verdict
against the gold (:mod:`note_extract.quality.calibration`). Per field family, a logistic regression
(scikit-learn, L2, fixed settings) is fitted on every value, a role list weighing as much as one value;
its calibration, a Platt scaling of the model's score, is fitted on out-of-fold scores (5 folds grouped
by note: a note and all its wrappings fall in one fold, so no note's score comes from weights that saw
it or any rendering of it). The cross-validated figures (each note scored by models and calibration
fitted without it) are printed per set, over the notes themselves, then over the wrappings.
Deterministic: the same notes, gold and code give the same file, byte for byte.
``tests/heldout3`` is never trained on: it is the held-out measure. ``--check`` only says whether the
shipped file's digests still match the training data, the feature code and what the extraction gives
the notes (features and verdicts), exit 1 when stale.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from note_extract.batch.batch import DEFAULT_PATTERNS, discover
from note_extract.batch.output import record_json
from note_extract.core.errors import InputError
from note_extract.core.models import Source
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
FEATURE_CODE = (
    ROOT / "src" / "note_extract" / "record" / "confidence.py",
    ROOT / "src" / "note_extract" / "record" / "form.py",
    ROOT / "tests" / "wrappings.py",
    Path(__file__).resolve(),
)
FAMILIES = ("event", "party", "participant")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


WRAP = _load("wrappings", ROOT / "tests" / "wrappings.py")
Judge = Callable[[dict[str, Any]], list[Outcome]]
EVENT_FIELDS = frozenset({"title", "start_date", "end_date", "city", "country"})
FOLDS = 5
C = 1.0
WRAPPINGS = 6
"""Wrapped renderings per note, each a seeded random stack of the decorations of ``tests/wrappings.py``."""
WRAPPED_WEIGHT = 1.0
"""Each wrapped value's weight in the fit (the same as a note's own value)."""
WRAPPABLE = frozenset({".txt", ".md", ".html"})


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
    weight: float = 1.0
    """The value's weight in the logistic fit (the calibration weighs every value alike)."""
    wrapped: bool = False


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


def _wrappings(s: TrainingSet, path: Path, raw: str, count: int) -> Iterator[str]:
    """The note's seeded wrapped renderings (none for a PDF: its pages are not text a converter wraps)."""
    if path.suffix not in WRAPPABLE:
        return
    for k in range(count):
        seed = int.from_bytes(hashlib.sha256(f"{s.name}/{path.stem}/{k}".encode()).digest()[:4], "big")
        yield str(WRAP.wrap(raw, seed)[0])


def _note_samples(
    pipeline: Pipeline, stem: str, raw: str, source: Source, judge: Judge
) -> Iterator[tuple[str, str | None, Features, bool, float]]:
    """The note's values with their features, verdict and weight in the fit: a role list weighs as
    much as one value (a long list read from one clause is one reading, right or wrong together)."""
    parts = pipeline.parts(raw, source, stem)
    record = json.loads(record_json(pipeline.assembler.record(parts)))
    evidence = Evidence(
        parts.note.text, parts.layout, parts.event, parts.roles, parts.mentions, parts.findings
    )
    found = list(_joined(evidence, judge(record)))
    listed = Counter(role for _family, role, _features, _right in found if role is not None)
    for family, role, features, right in found:
        yield family, role, features, right, 1.0 / listed[role] if role is not None else 1.0


def _judge(matcher: NameMatcher, stem: str, gold: dict[str, Any], record: dict[str, Any]) -> list[Outcome]:
    return collect({stem: record}, {stem: gold}, matcher)


def samples(pipeline: Pipeline, sets: Sequence[TrainingSet], wrappings: int = WRAPPINGS) -> list[Sample]:
    """Every decided value of every training note and of its wrapped renderings, with its features and
    verdict (a wrapped note is judged against the note's own gold)."""
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
                judge = partial(_judge, matcher, path.stem, gold[path.stem])
                for found in _note_samples(pipeline, path.stem, raw, source, judge):
                    out.append(Sample(s.name, path.stem, *found))
                for text in _wrappings(s, path, raw, wrappings):
                    wrapped = Source(path=path.name, sha256="0" * 64, size=len(text), encoding="utf-8")
                    for found in _note_samples(pipeline, path.stem, text, wrapped, judge):
                        out.append(Sample(s.name, path.stem, *found, wrapped=True))
    return out


def _model_of(family: str) -> str:
    return "event" if family in EVENT_FIELDS else family


def _matrix(rows: Sequence[Sample], names: Sequence[str]) -> np.ndarray:
    return np.array([[r.features.get(n, 0.0) for n in names] for r in rows], dtype=float)


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> LogisticRegression | float:
    """A fitted model, or the share of right values when one class is missing."""
    if y.min() == y.max():
        return float(y.mean())
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000)
    model.fit(x, y, sample_weight=w)
    return model


def _scores(model: LogisticRegression | float, x: np.ndarray) -> np.ndarray:
    if isinstance(model, float):
        share = min(max(model, 0.02), 0.98)
        return np.full(len(x), float(np.log(share / (1 - share))))
    return np.asarray(model.decision_function(x), dtype=float)


def _platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling of out-of-fold scores; a family whose held-out scores do not rank right above
    wrong (slope not positive) gets its share of right values instead, for every value."""
    share = float(np.clip(y.mean(), 0.02, 0.98))
    if y.min() == y.max():
        return 0.0, float(np.log(share / (1 - share)))
    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=5000)
    model.fit(z.reshape(-1, 1), y, sample_weight=w)
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
    w = np.array([r.weight * (WRAPPED_WEIGHT if r.wrapped else 1.0) for r in rows])
    each = np.array([WRAPPED_WEIGHT if r.wrapped else 1.0 for r in rows])
    groups = np.array([f"{r.set}/{r.note_id}" for r in rows])
    folds = _folds(groups)
    oof = np.zeros(len(rows))
    for train, test in folds:
        oof[test] = _scores(_fit(x[train], y[train], w[train]), x[test])
    cross = np.zeros(len(rows))
    for train, test in folds:
        a, b = _platt(oof[train], y[train], each[train])
        cross[test] = _sigmoid(a * oof[test] + b)
    final = _fit(x, y, w)
    a, b = _platt(oof, y, each)
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


def values_digest(rows: Sequence[Sample]) -> str:
    """sha256 over the features and verdict of every value of the notes themselves (wrappings aside):
    what the extraction gave the fit, so an extraction change makes the shipped weights stale."""
    digest = hashlib.sha256()
    for r in rows:
        if not r.wrapped:
            features = {k: round(v, 6) for k, v in sorted(r.features.items())}
            line = [r.set, r.note_id, r.family, r.role, features, r.right]
            digest.update(json.dumps(line, sort_keys=True).encode() + b"\n")
    return digest.hexdigest()


def training_samples(sets: Sequence[TrainingSet], wrappings: int = WRAPPINGS) -> list[Sample]:
    """The values of every training note (and ``wrappings`` wrapped renderings of each)."""
    with tempfile.TemporaryDirectory() as folder:  # the features never read the shipped weights
        (Path(folder) / TARGET.name).write_text("# none\n", encoding="utf-8")
        return samples(Pipeline(Settings(rules=Path(folder))), sets, wrappings)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, write the file, print the cross-validated figures per set (or only check the digest)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--check", action="store_true", help="exit 1 when the shipped weights are stale")
    args = parser.parse_args(argv)
    sets = training_sets(args.corpus)
    digest = data_digest(sets)
    if args.check:
        now = (digest, values_digest(training_samples(sets, 0)))
        shipped = shipped_digests()
        print("up to date" if shipped == now else f"stale: shipped {shipped}, now {now}")
        return 0 if shipped == now else 1
    rows = training_samples(sets)
    lines = [
        "# Confidence models, fitted by scripts/train_confidence.py (make train) from the sets named in the",
        "# source row; see note_extract.record.confidence. Do not edit by hand: make train rewrites it.",
        json.dumps(
            {
                "kind": "source",
                "digest": digest,
                "values": values_digest(rows),
                "sets": [s.name for s in sets],
                "notes": len({(r.set, r.note_id) for r in rows}),
                "wrappings": WRAPPINGS,
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
    wrapped = sum(r.wrapped for r in rows)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(rows)} values of {notes} notes ({wrapped} of wrappings)")
    probabilities = np.array([cross[i] for i in range(len(rows))])
    for name in [s.name for s in sets] + ["all", "wrapped"]:
        keep = [
            i
            for i, r in enumerate(rows)
            if r.wrapped == (name == "wrapped") and name in ("all", "wrapped", r.set)
        ]
        found = _outcomes([rows[i] for i in keep], probabilities[keep])
        print(f"== cross-validated by note: {name}")
        print(format_calibration(summarize(found)), end="")
    return 0


def shipped_digests() -> tuple[str, str] | None:
    """The digests (data and code, values) the shipped file was fitted on."""
    for line in TARGET.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            if row.get("kind") == "source":
                return str(row["digest"]), str(row.get("values"))
    return None


if __name__ == "__main__":
    sys.exit(main())
