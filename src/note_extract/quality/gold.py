"""Scoring records against compact gold files: names instead of ids, one value per field.

Contract: a compact gold file is a JSON object with ``id`` and any of ``title``, ``start``, ``end``,
``city``, ``country``, ``virtual``, the role lists ``organizers``, ``sponsors``, ``hosts``,
``observers``, ``participants``, the acceptable extras ``<role>_ok`` and ``resolutions`` as
``"number (year)"`` (:func:`is_compact` tells it from a full golden record). :func:`score_compact`
counts, per field, hits over the number of checks, exactly as the shared corpus's reference scorer
does:

- ``title``, ``start``, ``end``, ``city``, ``country`` (and ``virtual`` when the gold has it): one
  check per note. ``"*"`` is not scored; ``null`` means rightly empty, so an empty output is a hit.
  Titles and cities compare on :func:`norm` (case, accents, punctuation, small words); ``city`` may
  be a list of accepted spellings. A note with no record counts one miss for each of the first five.
- ``<role>.recall``: gold names found in the record's role; ``<role>.precision``: record entities that
  match a gold name or a ``<role>_ok`` name, over all record entities in the role (an empty or
  ``null`` gold role makes every output a wrong extra; a role given as ``"*"`` is skipped).
  Participants (the members of every group) are scored for recall only.
- ``resolutions.recall``: gold resolutions among ``mentions.resolutions``.

A gold name matches a record entity (:class:`NameMatcher`) by identity first — the name resolves
through the country index or (exactly, or by a listed alias or acronym) through the registry to the
entity's id — else by form: a shared :func:`norm` form among the entity's text, name, acronym and
id and the gold name with its equivalents in an alias table (``{"UNODA": ["United Nations Office for
Disarmament Affairs", ...]}``), or a rapidfuzz ``token_sort_ratio`` of at least 92 between forms of
four characters or more. Every match is explainable by :meth:`NameMatcher.why`; a match found by
identity alone (no shared or close form) is listed in :attr:`CompactReport.by_id_only`, the one place
where these counts can differ from a form-only scorer's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz

from note_extract.core.errors import InputError
from note_extract.lexicon.countries import CountryIndex, country_index
from note_extract.lexicon.registry import Registry, load_registry
from note_extract.lexicon.resolve import Resolver
from note_extract.rules.bundle import shipped_rules

Record = dict[str, Any]

SINGLE_FIELDS = ("title", "start", "end", "city", "country")
ROLES = ("organizers", "sponsors", "hosts", "observers", "participants")
RECALL_ONLY = frozenset({"participants"})
ALIASES_FILE = "gold_aliases.json"
FUZZY_CUTOFF = 92
FUZZY_MIN_LENGTH = 4

_DASHES_AND_MARKS = re.compile(r"[\u2010-\u2015\-/_.,()'\u2019\"\u201c\u201d\u00ab\u00bb]")
_SMALL_WORDS = re.compile(r"\b(the|of|and|for|on|in|u s|us)\b")
_SPACES = re.compile(r"\s+")


def norm(value: object) -> str:
    """Comparison form: accents off, lower case, dashes and quotes as spaces, small words dropped."""
    decomposed = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    text = _SMALL_WORDS.sub(" ", _DASHES_AND_MARKS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def is_compact(data: Mapping[str, Any]) -> bool:
    """True for a compact gold file, False for a full golden record (which has ``event``)."""
    return "event" not in data and "schema_version" not in data


_FORM_KEYS = ("text", "name", "canonical_name", "acronym", "id", "canonical_id", "label")
_FORM_LISTS = ("aliases", "acronyms")


def forms(entity: Mapping[str, Any] | str) -> frozenset[str]:
    """The :func:`norm` forms an output entity goes by (text, name, acronym, id and the like)."""
    if isinstance(entity, str):
        return frozenset({norm(entity)}) - {""}
    out = {norm(entity[k]) for k in _FORM_KEYS if isinstance(entity.get(k), str) and entity[k]}
    for key in _FORM_LISTS:
        out.update(norm(v) for v in entity.get(key) or [])
    return frozenset(out) - {""}


def load_aliases(path: Path) -> tuple[frozenset[str], ...]:
    """Groups of equivalent names (as :func:`norm` forms) from a ``{name: [equivalent, ...]}`` file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not an alias table: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(a, str) for a in v)
        for k, v in data.items()
    ):
        raise InputError(f"{path}: an alias table maps each name to a list of names")
    return tuple(frozenset({norm(k), *(norm(a) for a in v)}) for k, v in data.items())


def find_aliases(gold_dir: Path) -> Path | None:
    """The alias table kept with a gold folder: ``gold_aliases.json`` in it or beside it."""
    for folder in (gold_dir, gold_dir.parent):
        candidate = folder / ALIASES_FILE
        if candidate.is_file():
            return candidate
    return None


Why = Literal["id", "form", "fuzzy"]


@dataclass
class NameMatcher:
    """Decides whether a gold name denotes an output entity, and says why."""

    registry: Registry | None = None
    countries: CountryIndex | None = None
    aliases: tuple[frozenset[str], ...] = ()
    _ids: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _forms: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def _resolver(self) -> Resolver:
        return Resolver(self.registry if self.registry is not None else load_registry())

    @cached_property
    def _country_index(self) -> CountryIndex:
        return self.countries if self.countries is not None else country_index(shipped_rules())

    def gold_id(self, name: str) -> str | None:
        """The identity a gold name stands for: ``country:XX``, a registry id, or None."""
        if name not in self._ids:
            code = self._country_index.lookup(name)
            if code is not None:
                self._ids[name] = f"country:{code}"
            else:
                found = self._resolver.resolve(name)
                sure = found.entry is not None and found.method in ("exact", "alias")
                self._ids[name] = found.entry.id if sure and found.entry is not None else None
        return self._ids[name]

    def gold_forms(self, name: str) -> frozenset[str]:
        """The gold name's form and the forms of every alias group it belongs to."""
        if name not in self._forms:
            own = norm(name)
            out = {own}
            for group in self.aliases:
                if own in group:
                    out |= group
            self._forms[name] = frozenset(out)
        return self._forms[name]

    def same_id(self, name: str, entity: Mapping[str, Any] | str) -> bool:
        """True when the gold name resolves to the entity's id."""
        gold_id = self.gold_id(name)
        return gold_id is not None and not isinstance(entity, str) and entity.get("id") == gold_id

    def same_form(self, name: str, entity: Mapping[str, Any] | str) -> Why | None:
        """``form`` for a shared form, ``fuzzy`` for close forms, else None."""
        wanted, have = self.gold_forms(name), forms(entity)
        if wanted & have:
            return "form"
        for g in wanted:
            for f in have:
                if min(len(g), len(f)) >= FUZZY_MIN_LENGTH and fuzz.token_sort_ratio(g, f) >= FUZZY_CUTOFF:
                    return "fuzzy"
        return None

    def why(self, name: str, entity: Mapping[str, Any] | str) -> Why | None:
        """How ``name`` matches ``entity``: same id first, then same form, then close form; or None."""
        return "id" if self.same_id(name, entity) else self.same_form(name, entity)

    def find(self, names: Iterable[str], entities: Iterable[Any]) -> Why | None:
        """The best reason any name matches any entity: a form before an id alone."""
        pairs = [(n, e) for n in names for e in entities]
        if any(self.same_form(n, e) for n, e in pairs):
            return "form"
        return "id" if any(self.same_id(n, e) for n, e in pairs) else None


@dataclass
class Tally:
    """Hits over checks for one field."""

    hits: int = 0
    total: int = 0

    @property
    def share(self) -> float | None:
        """hits / total, or None when nothing was checked."""
        return self.hits / self.total if self.total else None


@dataclass
class CompactReport:
    """Counts per field, the misses, and notes without a record."""

    notes: int = 0
    missing: list[str] = field(default_factory=list)
    fields: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    by_id_only: list[str] = field(default_factory=list)

    def add(self, name: str, hits: int, total: int = 1) -> None:
        """Count ``hits`` out of ``total`` checks for field ``name``."""
        tally = self.fields.setdefault(name, Tally())
        tally.hits += hits
        tally.total += total

    @property
    def overall(self) -> Tally:
        """Every field's hits over every field's checks."""
        return Tally(sum(t.hits for t in self.fields.values()), sum(t.total for t in self.fields.values()))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: ``summary`` maps each field to ``[share, hits, total]``."""
        overall = self.overall
        return {
            "format": "compact",
            "notes": self.notes,
            "missing_records": self.missing,
            "summary": {n: [_round(t.share), t.hits, t.total] for n, t in self.fields.items()},
            "overall": [_round(overall.share), overall.hits, overall.total],
            "misses": self.misses,
            "matched_by_id_only": self.by_id_only,
        }


def _round(share: float | None) -> float | None:
    return None if share is None else round(share, 3)


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def role_entities(record: Record, role: str) -> list[Any]:
    """The entities of a role; participant groups give their members."""
    out: list[Any] = []
    for item in record.get(role) or []:
        if isinstance(item, dict) and isinstance(item.get("members"), list):
            out.extend(item["members"])
        else:
            out.append(item)
    return out


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _single_checks(gold: Record, event: Record) -> dict[str, tuple[bool, Any]]:
    """Each scored single field: (right?, the output's value)."""
    city = gold.get("city")
    cities = {norm(c) for c in (city if isinstance(city, list) else [city])}
    got: dict[str, Any] = {
        "title": event.get("title"),
        "start": event.get("start_date"),
        "end": event.get("end_date"),
        "city": _get(event, "venue.city"),
        "country": _get(event, "venue.country_code"),
        "virtual": _get(event, "venue.virtual"),
    }
    checks = {
        "title": (norm(got["title"]) == norm(gold.get("title")), got["title"]),
        "start": (str(got["start"]) == str(gold.get("start")), got["start"]),
        "end": (str(got["end"]) == str(gold.get("end")), got["end"]),
        "city": (norm(got["city"]) in cities, got["city"]),
        "country": ((got["country"] or None) == gold.get("country"), got["country"]),
    }
    if "virtual" in gold:
        checks["virtual"] = (bool(got["virtual"]) == bool(gold["virtual"]), got["virtual"])
    return {name: check for name, check in checks.items() if gold.get(name) != "*"}


def _score_roles(report: CompactReport, note_id: str, gold: Record, record: Record, m: NameMatcher) -> None:
    for role in ROLES:
        if gold.get(role) == "*":
            continue
        want = _names(gold.get(role))
        got = role_entities(record, role)
        hit = []
        for name in want:
            why = m.find([name], got)
            if why is not None:
                hit.append(name)
            if why == "id":
                report.by_id_only.append(f"{note_id}: {role}: {name!r} = {m.gold_id(name)}")
        report.add(f"{role}.recall", len(hit), len(want))
        report.misses.extend(f"{note_id}: {role}: missing {w!r}" for w in want if w not in hit)
        if role in RECALL_ONLY:
            continue
        acceptable = want + _names(gold.get(f"{role}_ok"))
        extra = []
        for entity in got:
            why = m.find(acceptable, [entity])
            if why is None:
                extra.append(entity)
            elif why == "id":
                report.by_id_only.append(f"{note_id}: {role}: output {entity.get('id')} is a gold name")
        report.add(f"{role}.precision", len(got) - len(extra), len(got))
        report.misses.extend(f"{note_id}: {role}: extra {sorted(forms(e))[:2]}" for e in extra)


def _score_resolutions(report: CompactReport, note_id: str, gold: Record, record: Record) -> None:
    have = {
        f"{r.get('number')} ({r.get('year')})"
        for r in _get(record, "mentions.resolutions") or []
        if isinstance(r, dict)
    }
    want = _names(gold.get("resolutions"))
    report.add("resolutions.recall", sum(w in have for w in want), len(want))
    report.misses.extend(f"{note_id}: resolutions: missing {w}" for w in want if w not in have)


def score_compact(
    records: Mapping[str, Record], gold: Mapping[str, Record], matcher: NameMatcher | None = None
) -> CompactReport:
    """Score ``records`` (by id) against compact ``gold`` files (by id); see the module docstring."""
    m = matcher if matcher is not None else NameMatcher()
    report = CompactReport()
    for note_id in sorted(gold):
        expected = gold[note_id]
        record = records.get(note_id)
        if record is None:
            report.missing.append(note_id)
            report.misses.append(f"{note_id}: no output record")
            for name in SINGLE_FIELDS:
                report.add(name, 0)
            continue
        report.notes += 1
        event = record.get("event") or {}
        for name, (right, got) in _single_checks(expected, event).items():
            report.add(name, int(right))
            if not right:
                report.misses.append(f"{note_id}: {name}: want {expected.get(name)!r} got {got!r}")
        _score_roles(report, note_id, expected, record, m)
        _score_resolutions(report, note_id, expected, record)
    return report


def format_compact(report: CompactReport, aliases: Path | None = None) -> str:
    """The misses, then one line per field (hits/checks and share), then the overall share."""
    lines = [
        f"{report.notes} notes compared (compact gold"
        + (f", name equivalents from {aliases}" if aliases is not None else "")
        + ")"
        + (f"; no record for: {', '.join(report.missing)}" if report.missing else "")
    ]
    lines.extend(f"  miss {m}" for m in report.misses)
    lines.extend(f"  by id only {m}" for m in report.by_id_only)
    for name, tally in report.fields.items():
        share = "-" if tally.share is None else f"{tally.share:.3f}"
        lines.append(f"{name:<24}{tally.hits:>5}/{tally.total:<5}{share:>6}")
    overall = report.overall
    lines.append(f"overall {overall.hits}/{overall.total} = {overall.share or 0.0:.3f}")
    return "\n".join(lines) + "\n"
