"""Whether the record's confidences mean what they say: each decided value, right or wrong, and its
probability, measured against gold.

Contract: :func:`outcomes` pairs one record with its gold (a full golden record or a compact gold file)
and gives an :class:`Outcome` per decided value: the five event fields (a value left empty included,
unless the gold does not score the field) and every party of organizers, sponsors, hosts, observers
and the participants (participants only where the gold lists them). "Right" is exactly what the
field's score counts (:mod:`note_extract.quality.gold` for compact gold, identities for golden
records). :func:`summarize` gives, per field family, a 10-bin reliability table, the expected
calibration error (ECE), the AUROC of right against wrong, and the share of values at confidence 0.9
or more with their accuracy; :func:`format_calibration` prints it. Nothing here fits a model: the same
figures serve ``make train`` (on cross-validated probabilities) and ``note-extract eval`` (on the
records as written).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from note_extract.quality.gold import (
    NameMatcher,
    _names,
    _single_checks,
    is_compact,
    role_entities,
)

Record = dict[str, Any]

FIELD_OF_GOLD = {
    "title": "title",
    "start": "start_date",
    "end": "end_date",
    "city": "city",
    "country": "country",
}
PARTY_ROLES = ("organizers", "sponsors", "hosts", "observers")
FAMILIES = ("title", "start_date", "end_date", "city", "country", "party", "participant")
TARGET = frozenset({"title", "start_date", "end_date", "city", "country"})
"""The event fields of the issue's target; with them, the organizers, sponsors and hosts."""
TARGET_ROLES = frozenset({"organizers", "sponsors", "hosts"})
HIGH = 0.9


@dataclass(frozen=True, slots=True)
class Outcome:
    """One decided value: where it is, its confidence, and whether the gold says it is right."""

    note_id: str
    family: str
    role: str | None
    index: int
    confidence: float | None
    right: bool

    @property
    def in_target(self) -> bool:
        """True for the values the issue's figures are taken over."""
        return self.family in TARGET or self.role in TARGET_ROLES


def _event_outcomes(note_id: str, record: Record, gold: Record) -> Iterable[Outcome]:
    event = record.get("event") or {}
    confidence = event.get("confidence") or {}
    if is_compact(gold):
        for name, (right, _got) in _single_checks(gold, event).items():
            family = FIELD_OF_GOLD.get(name)
            if family is not None:
                yield Outcome(note_id, family, None, 0, confidence.get(family), right)
        return
    want, have = gold["event"], event
    pairs = {
        "title": (want.get("title"), have.get("title")),
        "start_date": (want.get("start_date"), have.get("start_date")),
        "end_date": (want.get("end_date"), have.get("end_date")),
        "city": (want["venue"].get("city"), have["venue"].get("city")),
        "country": (want["venue"].get("country_code"), have["venue"].get("country_code")),
    }
    for family, (a, b) in pairs.items():
        yield Outcome(note_id, family, None, 0, confidence.get(family), a == b)


def _identity(entity: Mapping[str, Any]) -> str:
    return str(entity.get("id") or "text:" + " ".join(str(entity["text"]).split()).casefold())


def _party_outcomes(note_id: str, record: Record, gold: Record, matcher: NameMatcher) -> Iterable[Outcome]:
    compact = is_compact(gold)
    for role in (*PARTY_ROLES, "participants"):
        family = "participant" if role == "participants" else "party"
        if compact and (gold.get(role) == "*" or (role == "participants" and role not in gold)):
            continue
        got = role_entities(record, role)
        if compact:
            acceptable = _names(gold.get(role)) + _names(gold.get(f"{role}_ok"))
            verdicts = [matcher.find(acceptable, [entity]) is not None for entity in got]
        else:
            wanted = {_identity(e) for e in role_entities(gold, role)}
            verdicts = [_identity(entity) in wanted for entity in got]
        for index, (entity, right) in enumerate(zip(got, verdicts, strict=True)):
            yield Outcome(note_id, family, role, index, entity.get("confidence"), right)


def outcomes(note_id: str, record: Record, gold: Record, matcher: NameMatcher) -> list[Outcome]:
    """Every decided value of ``record`` judged against ``gold``; see the module docstring."""
    return [*_event_outcomes(note_id, record, gold), *_party_outcomes(note_id, record, gold, matcher)]


def collect(records: Mapping[str, Record], gold: Mapping[str, Record], matcher: NameMatcher) -> list[Outcome]:
    """The outcomes of every gold note that has a record, in note order."""
    return [
        o
        for note_id in sorted(gold)
        if note_id in records
        for o in outcomes(note_id, records[note_id], gold[note_id], matcher)
    ]


@dataclass
class Calibration:
    """The figures of one group of values."""

    count: int = 0
    right: int = 0
    bins: list[tuple[int, int, float]] = field(default_factory=list)
    """Per tenth of [0, 1]: values, right ones, mean confidence."""
    ece: float | None = None
    auroc: float | None = None
    high: int = 0
    high_right: int = 0

    @property
    def accuracy(self) -> float | None:
        """Share of the values that are right."""
        return self.right / self.count if self.count else None

    @property
    def high_share(self) -> float | None:
        """Share of the values at confidence 0.9 or more."""
        return self.high / self.count if self.count else None

    @property
    def high_accuracy(self) -> float | None:
        """Share of those that are right."""
        return self.high_right / self.high if self.high else None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "count": self.count,
            "accuracy": _round(self.accuracy),
            "ece": _round(self.ece),
            "auroc": _round(self.auroc),
            "high_share": _round(self.high_share),
            "high_accuracy": _round(self.high_accuracy),
            "bins": [{"count": n, "right": r, "mean_confidence": round(m, 3)} for n, r, m in self.bins],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def auroc(scores: Sequence[float], right: Sequence[bool]) -> float | None:
    """The probability that a right value outscores a wrong one (ties count half); None without both."""
    pairs = sorted(zip(scores, right, strict=True))
    positives = sum(right)
    negatives = len(right) - positives
    if not positives or not negatives:
        return None
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid_rank = (i + j + 1) / 2  # ranks i+1 .. j, averaged
        rank_sum += mid_rank * sum(1 for _, r in pairs[i:j] if r)
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def calibrate(scored: Sequence[tuple[float, bool]], bins: int = 10) -> Calibration:
    """The reliability table, ECE, AUROC and the 0.9 share of ``(confidence, right)`` pairs."""
    out = Calibration(count=len(scored), right=sum(r for _, r in scored))
    table: list[list[float]] = [[0, 0, 0.0] for _ in range(bins)]
    for p, right in scored:
        cell = table[min(int(p * bins), bins - 1)]
        cell[0] += 1
        cell[1] += right
        cell[2] += p
        if p >= HIGH:
            out.high += 1
            out.high_right += right
    out.bins = [(int(n), int(r), s / n if n else 0.0) for n, r, s in table]
    if scored:
        out.ece = sum(abs(r / n - s / n) * n for n, r, s in table if n) / len(scored)
        out.auroc = auroc([p for p, _ in scored], [r for _, r in scored])
    return out


def summarize(found: Iterable[Outcome]) -> dict[str, Calibration]:
    """Figures per family that has confidences, and over the issue's target values (``target``)."""
    kept = [o for o in found if o.confidence is not None]
    groups: dict[str, list[tuple[float, bool]]] = {}
    for o in kept:
        assert o.confidence is not None
        groups.setdefault(o.family, []).append((o.confidence, o.right))
        if o.in_target:
            groups.setdefault("target", []).append((o.confidence, o.right))
    order = [*FAMILIES, "target"]
    return {name: calibrate(groups[name]) for name in order if name in groups}


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_calibration(summary: Mapping[str, Calibration]) -> str:
    """Per family: count, accuracy, ECE, AUROC, share at >= 0.9 and its accuracy, then the table."""
    if not summary:
        return "confidence: no record carries any\n"
    lines = [f"{'confidence':<12}{'values':>7}{'right':>7}{'ECE':>7}{'AUROC':>7}{'>=0.9':>7}{'acc':>7}"]
    for name, c in summary.items():
        lines.append(
            f"{name:<12}{c.count:>7}{_f(c.accuracy):>7}{_f(c.ece):>7}{_f(c.auroc):>7}"
            f"{_f(c.high_share):>7}{_f(c.high_accuracy):>7}"
        )
    lines.append("reliability (values right/values, mean confidence) per tenth:")
    for name, c in summary.items():
        cells = " ".join(f"{r}/{n}@{m:.2f}" if n else "-" for n, r, m in c.bins)
        lines.append(f"  {name:<11} {cells}")
    return "\n".join(lines) + "\n"
