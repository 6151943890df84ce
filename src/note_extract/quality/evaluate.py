"""Field-level accuracy of records against hand-checked gold records.

Contract: :func:`evaluate` pairs records and gold records by ``id`` and scores each field. Single-valued
fields (title, start and end date, city, country code, kind) count a true positive when both agree
on a value, a false positive when a value is given but wrong or not in the gold, a false negative
when the gold has a value the record misses or gets wrong; their ``exact`` share counts a note as
right when the values are equal, both empty included (a note with no venue rightly left empty).
Set-valued fields (organizers, sponsors, hosts, observers, participants, resolutions) compare the
sets of identities. Organization mentions at the
same span with two different resolved ids are counted as wrong merges: the error a user trusts least.
Gold records are read as JSON and compared by value; the record schema is not re-validated here.

:func:`evaluate_folder` reads a gold folder whose files may be full golden records (scored here) or
compact gold files (names instead of ids, scored by :mod:`note_extract.quality.gold`), told apart file by
file. A gold folder with no gold file, or none left by ``only``, is an error, never a perfect score.
Either way it also measures the records' confidences against the gold
(:mod:`note_extract.quality.calibration`): per field family a reliability table, ECE, AUROC and the
share at 0.9 or more with its accuracy. These are honest figures only on notes the confidence models
were not fitted on (``make train`` prints its cross-validated ones).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from note_extract.core.errors import InputError
from note_extract.lexicon.registry import load_registry
from note_extract.quality.calibration import Calibration, collect, format_calibration, summarize
from note_extract.quality.gold import (
    ALIASES_FILE,
    CompactReport,
    NameMatcher,
    find_aliases,
    format_compact,
    is_compact,
    load_aliases,
    score_compact,
)

Record = dict[str, Any]


@dataclass
class FieldScore:
    """Counts for one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    compared: int = 0

    @property
    def exact_share(self) -> float | None:
        """Share of notes whose value equals the gold's (single-valued fields); None for sets."""
        return self.exact / self.compared if self.compared else None

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when the gold has nothing."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores by field, the misses, and wrong alias merges."""

    notes: int = 0
    missing: list[str] = field(default_factory=list)
    fields: dict[str, FieldScore] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    wrong_merges: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "notes": self.notes,
            "missing_records": self.missing,
            "fields": {
                name: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "exact": None if s.exact_share is None else round(s.exact_share, 4),
                }
                for name, s in self.fields.items()
            },
            "wrong_merges": self.wrong_merges,
            "misses": self.misses,
        }


def _venue(key: str) -> Callable[[Record], Any]:
    return lambda r: r["event"]["venue"].get(key)


SINGLE: dict[str, Callable[[Record], Any]] = {
    "title": lambda r: r["event"].get("title"),
    "kind": lambda r: r["event"].get("kind"),
    "start_date": lambda r: r["event"].get("start_date"),
    "end_date": lambda r: r["event"].get("end_date"),
    "city": _venue("city"),
    "country": _venue("country_code"),
}


def _ids(refs: Iterable[Record]) -> set[str]:
    return {r.get("id") or "text:" + " ".join(str(r["text"]).split()).casefold() for r in refs}


SETS: dict[str, Callable[[Record], set[str]]] = {
    "organizers": lambda r: _ids(r["organizers"]),
    "sponsors": lambda r: _ids(r["sponsors"]),
    "hosts": lambda r: _ids(r["hosts"]),
    "observers": lambda r: _ids(r["observers"]),
    "participants": lambda r: {i for g in r["participants"] for i in _ids(g["members"])},
    "resolutions": lambda r: {f"{m['number']} ({m['year']})" for m in r["mentions"]["resolutions"]},
}


def load_records(folder: Path) -> dict[str, Record]:
    """Every ``*.json`` record under ``folder`` by id (files starting with '.' or '_' skipped)."""
    records: dict[str, Record] = {}
    for path in sorted(folder.rglob("*.json")):
        if path.name.startswith((".", "_")) or path.name == ALIASES_FILE:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            records[str(data["id"])] = data
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: not a record: {exc}") from exc
    return records


def load_gold(folder: Path) -> dict[str, Record]:
    """The gold records under ``folder`` (as :func:`load_records`); an empty folder is an error, since
    scores against nothing would read as perfect."""
    gold = load_records(folder)
    if not gold:
        raise InputError(f"{folder}: no gold records (*.json) to score against")
    return gold


def evaluate(predicted: dict[str, Record], gold: dict[str, Record]) -> Report:
    """Score ``predicted`` against ``gold``; see the module docstring."""
    report = Report(fields={name: FieldScore() for name in [*SINGLE, *SETS]})
    for note_id in sorted(gold):
        expected = gold[note_id]
        got = predicted.get(note_id)
        if got is None:
            report.missing.append(note_id)
            continue
        report.notes += 1
        for name, getter in SINGLE.items():
            want, have = getter(expected), getter(got)
            score = report.fields[name]
            score.compared += 1
            if have == want:  # right, or rightly left empty (a note with no venue)
                score.exact += 1
                score.tp += want is not None
                continue
            if have is not None:
                score.fp += 1
            if want is not None:
                score.fn += 1
            report.misses.append(f"{note_id}: {name}: expected {want!r}, got {have!r}")
        for name, set_getter in SETS.items():
            want_set, have_set = set_getter(expected), set_getter(got)
            score = report.fields[name]
            score.tp += len(want_set & have_set)
            score.fp += len(have_set - want_set)
            score.fn += len(want_set - have_set)
            for extra in sorted(have_set - want_set):
                report.misses.append(f"{note_id}: {name}: unexpected {extra}")
            for lost in sorted(want_set - have_set):
                report.misses.append(f"{note_id}: {name}: missed {lost}")
        gold_ids = {tuple(m["span"]): m.get("id") for m in expected["mentions"]["organizations"]}
        for mention in got["mentions"]["organizations"]:
            want_id = gold_ids.get(tuple(mention["span"]))
            if want_id and mention.get("id") and mention["id"] != want_id:
                report.wrong_merges.append(
                    f"{note_id}: {mention['text']!r} at {mention['span']} "
                    f"resolved to {mention['id']}, gold {want_id}"
                )
    return report


def format_report(report: Report) -> str:
    """A plain-text table, then the misses."""
    lines = [
        f"{report.notes} notes compared"
        + (f"; no record for: {', '.join(report.missing)}" if report.missing else "")
    ]
    lines.append(
        f"{'field':<14}{'precision':>10}{'recall':>10}{'f1':>8}{'exact':>8}{'tp':>6}{'fp':>6}{'fn':>6}"
    )
    for name, s in report.fields.items():
        exact = "" if s.exact_share is None else f"{s.exact_share:.3f}"
        lines.append(
            f"{name:<14}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}{exact:>8}"
            f"{s.tp:>6}{s.fp:>6}{s.fn:>6}"
        )
    lines.append(f"wrong alias merges: {len(report.wrong_merges)}")
    lines.extend(f"  {m}" for m in report.wrong_merges)
    if report.misses:
        lines.append("misses:")
        lines.extend(f"  {m}" for m in report.misses)
    return "\n".join(lines) + "\n"


@dataclass
class Evaluation:
    """The scores of one output folder against one gold folder, in each gold format found."""

    records: Report | None = None
    compact: CompactReport | None = None
    aliases: Path | None = None
    calibration: dict[str, Calibration] = field(default_factory=dict)
    """Per field family, how well the records' confidences match right and wrong values."""

    @property
    def missing(self) -> list[str]:
        """Gold ids with no output record, in either format."""
        return [
            *(self.records.missing if self.records else []),
            *(self.compact.missing if self.compact else []),
        ]

    def as_dict(self) -> dict[str, Any]:
        """One format's JSON summary, or both under ``records`` and ``compact``."""
        calibration = {"calibration": {name: c.as_dict() for name, c in self.calibration.items()}}
        if self.records is not None and self.compact is not None:
            mixed = {"format": "mixed", "records": self.records.as_dict(), "compact": self._compact()}
            return mixed | calibration
        if self.compact is not None:
            return self._compact() | calibration
        assert self.records is not None
        return self.records.as_dict() | calibration

    def _compact(self) -> dict[str, Any]:
        assert self.compact is not None
        return {**self.compact.as_dict(), "aliases": None if self.aliases is None else str(self.aliases)}

    def format(self) -> str:
        """The plain-text table of each format found."""
        parts = [format_report(self.records)] if self.records is not None else []
        if self.compact is not None:
            parts.append(format_compact(self.compact, self.aliases))
        parts.append(format_calibration(self.calibration))
        return "".join(parts)


def note_ids(folder: Path) -> set[str]:
    """The stems of the notes under ``folder`` (recursive; README files skipped)."""
    return {
        p.stem
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith((".", "_")) and not p.name.upper().startswith("README")
    }


def evaluate_folder(
    out_dir: Path,
    gold_dir: Path,
    only: Path | None = None,
    aliases: Path | None = None,
    registry: Path | None = None,
) -> Evaluation:
    """Score the records in ``out_dir`` against every gold file in ``gold_dir``.

    ``only`` keeps the gold files whose id is the stem of a note in that folder. ``aliases`` is an
    alias table for compact gold names (default: ``gold_aliases.json`` in or beside ``gold_dir``);
    ``registry`` the organization registry gold names resolve through (default: the shipped one).
    """
    gold = load_records(gold_dir)
    if not gold:
        raise InputError(f"{gold_dir}: no gold files (*.json); nothing to score against")
    if only is not None:
        keep = note_ids(only)
        gold = {k: v for k, v in gold.items() if k in keep}
        if not gold:
            raise InputError(f"{gold_dir}: no gold file for any note in {only}")
    predicted = load_records(out_dir)
    full = {k: v for k, v in gold.items() if not is_compact(v)}
    compact = {k: v for k, v in gold.items() if is_compact(v)}
    result = Evaluation()
    if full:
        result.records = evaluate(predicted, full)
    groups: tuple[frozenset[str], ...] = ()
    if compact:
        result.aliases = aliases if aliases is not None else find_aliases(gold_dir)
        groups = load_aliases(result.aliases) if result.aliases is not None else ()
    matcher = NameMatcher(registry=load_registry(registry), aliases=groups)
    if compact:
        result.compact = score_compact(predicted, compact, matcher)
    result.calibration = summarize(collect(predicted, gold, matcher))
    return result
