"""Record diffs: what two sets of records say differently, field by field, by meaning rather than bytes.

Contract: :func:`compare` takes two records as their JSON objects (as ``run`` writes them; any schema
version holding the fields read) and returns the :class:`Change` list between them:

- event fields one by one (``event.title``, ``event.venue.city`` ...) and ``language``;
- each role list (``organizers``, ``sponsors``, ``hosts``, ``observers``) as a set of identities: the
  registry id, else the written name with case and spacing folded (as the pipeline tells parties apart);
  a name that gains an id (a registry change resolves it) is one ``resolved`` change, not a removal and
  an addition;
- participant groups, keyed by label (else country, else order), their members as such sets;
- issues by code (their count per code);
- confidence, where both records carry it (``event.confidence.*``, ``confidence`` of an entity
  reference in a role list or a participant group): a change larger than ``Options.tolerance``
  (:data:`DEFAULT_TOLERANCE`), except the confidence of an event field whose value changed (part of
  that change).

A field one of the two records lacks (another schema version) is not compared. Spans, the text as
written that they locate (``event.date_text``, ``event.venue.text``) and the ``extractor`` block are
compared only with ``Options.spans``; ``source``, ``sections``, ``mentions`` and ``furniture`` never
are.

:func:`diff_folders` compares two record folders note by note (paired by relative path), holding one
pair of records at a time; the notes one side lacks are paired as renames (by the given rename map,
else by equal ``source.sha256``), else reported added or removed. :func:`diff_files` compares two
record files. Both return a :class:`DiffReport`. Nothing here reads notes or writes files; an
unreadable record raises :class:`~note_extract.core.errors.InputError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from note_extract.batch.records import read_record_json, record_files
from note_extract.core.errors import InputError
from note_extract.core.models import Event, Venue

Record = Mapping[str, Any]
"""A record as its JSON object."""
Kind = Literal["event", "roles", "participants", "issues", "confidence", "spans", "extractor"]
Op = Literal["changed", "added", "removed", "resolved", "unresolved"]
Status = Literal["changed", "added", "removed", "renamed"]

KINDS: tuple[Kind, ...] = ("event", "roles", "participants", "issues", "confidence", "spans", "extractor")
ROLES = ("organizers", "sponsors", "hosts", "observers")
NOTES_FIELD = "notes"
"""The protected-field name of notes added, removed or renamed."""
ALL_FIELDS = "all"
"""The protected-field name that stands for every change."""


DEFAULT_TOLERANCE = 0.05
"""Confidence moves of at most this much are no change by default: a refit of the confidence model
moves every value a little."""


@dataclass(frozen=True, slots=True)
class Options:
    """What a comparison looks at."""

    spans: bool = False
    """Compare spans and the extractor block too."""
    tolerance: float = DEFAULT_TOLERANCE
    """Confidence changes up to this much (absolute) are no change."""


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two records of a note."""

    field: str
    """Record path: ``event.start_date``, ``organizers``, ``participants``, ``issues``,
    ``event.confidence.title``, ``organizers.confidence`` ..."""
    kind: Kind
    op: Op
    old: Any = None
    """The value before (JSON); for a role, an entity ``{"id", "text"}``; for issues, a count."""
    new: Any = None
    where: str | None = None
    """What in the field changed: the participant group, the issue code, the entity whose confidence
    moved."""

    def as_dict(self) -> dict[str, Any]:
        """The change as JSON."""
        return {
            "field": self.field,
            "kind": self.kind,
            "op": self.op,
            "old": self.old,
            "new": self.new,
            "where": self.where,
        }


@dataclass(frozen=True, slots=True)
class NoteDiff:
    """A note whose records differ: added, removed, renamed (with or without changes) or changed."""

    note: str
    """The record's path relative to its folder, without ``.json`` (the new side's when renamed)."""
    status: Status
    changes: tuple[Change, ...] = ()
    old_note: str | None = None
    """The old side's path when renamed."""
    summary: Mapping[str, Any] | None = None
    """Title, dates and venue of an added or removed note."""

    def as_dict(self) -> dict[str, Any]:
        """The note's diff as JSON."""
        return {
            "note": self.note,
            "status": self.status,
            "old_note": self.old_note,
            "summary": dict(self.summary) if self.summary is not None else None,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass
class DiffReport:
    """The differences between two sets of records: only the notes that differ are kept."""

    notes: list[NoteDiff] = field(default_factory=list)
    compared: int = 0
    """Notes on either side, a pair counting once."""
    options: Options = field(default_factory=Options)

    def count(self, status: Status) -> int:
        """How many notes have ``status``."""
        return sum(1 for n in self.notes if n.status == status)

    @property
    def unchanged(self) -> int:
        """Notes whose records mean the same (renamed ones are not counted here)."""
        return self.compared - len(self.notes)

    def changes(self) -> Iterator[Change]:
        """Every change of every note."""
        for note in self.notes:
            yield from note.changes

    def by_kind(self) -> dict[str, int]:
        """Changes per kind, in the order of :data:`KINDS`, kinds without a change left out."""
        counts = Counter(c.kind for c in self.changes())
        return {kind: counts[kind] for kind in KINDS if counts[kind]}

    def by_field(self) -> dict[str, int]:
        """Changes per field, sorted by field."""
        return dict(sorted(Counter(c.field for c in self.changes()).items()))

    def fails(self, protected: Iterable[str]) -> bool:
        """Whether a change touches a protected field (``all``: any difference at all; ``notes``: a
        note added, removed or renamed); see :func:`protects`."""
        return bool(self.protected(protected))

    def protected(self, protected: Iterable[str]) -> dict[str, int]:
        """How many notes changed each protected name (``all``, ``notes``, a field) that changed."""
        names = tuple(protected)
        touched: Counter[str] = Counter()
        for note in self.notes:
            hit = {n for n in names if n == ALL_FIELDS or (n == NOTES_FIELD and note.status != "changed")}
            hit.update(n for n in names for c in note.changes if protects((n,), c.field))
            touched.update(hit)
        return {n: touched[n] for n in names if touched[n]}

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON: a summary, then the notes that differ."""
        return {
            "summary": {
                "compared": self.compared,
                "unchanged": self.unchanged,
                **{status: self.count(status) for status in ("changed", "added", "removed", "renamed")},
                "by_kind": self.by_kind(),
                "by_field": self.by_field(),
            },
            "options": {"spans": self.options.spans, "tolerance": self.options.tolerance},
            "notes": [n.as_dict() for n in self.notes],
        }


def protects(names: Iterable[str], field_name: str) -> bool:
    """Whether ``field_name`` is one of ``names`` or lies under one (``event`` protects
    ``event.start_date``; ``organizers`` protects ``organizers.confidence``)."""
    return any(field_name == n or field_name.startswith(n + ".") for n in names)


def known_fields() -> frozenset[str]:
    """The field names :func:`compare` reports, for checking a list of protected fields (confidence
    fields below ``event.confidence`` are open: any name is taken)."""
    event = {f"event.{name}" for name in Event.model_fields if name != "venue"}
    venue = {f"event.venue.{name}" for name in Venue.model_fields}
    roles = {f"{r}{sub}" for r in (*ROLES, "participants") for sub in ("", ".confidence", ".span")}
    other = {"event", "event.venue", "event.confidence", "language", "issues", "participants.label_span"}
    extractor = {"extractor", "extractor.version", "extractor.rules_sha256"}
    return frozenset(event | venue | roles | other | extractor | {NOTES_FIELD, ALL_FIELDS})


def check_protected(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` checked against :func:`known_fields`; raises
    :class:`~note_extract.core.errors.InputError` naming an unknown one."""
    known = known_fields()
    checked = tuple(n.strip() for n in names if n.strip())
    for name in checked:
        if name not in known and not name.startswith("event.confidence."):
            raise InputError(
                f"--fail-on-change: unknown field {name!r}; fields are all, notes, language, event, "
                f"event.<field>, event.venue.<field>, {', '.join(ROLES)}, participants, issues, extractor"
            )
    return checked


# --- one pair of records ---------------------------------------------------------------------------


WRITTEN = frozenset({"event.date_text", "event.venue.text"})
"""Fields that hold the text as written where a value was read: they go with the spans."""


def _is_span(key: str) -> bool:
    return key == "span" or key.endswith("_span")


def _leaves(prefix: str, value: Mapping[str, Any], out: dict[str, Any], spans: bool) -> None:
    """The event's fields as ``path: value``, nested objects flattened, confidence left out."""
    for key, item in value.items():
        name = f"{prefix}.{key}"
        if key == "confidence" or (not spans and (_is_span(key) or name in WRITTEN)):
            continue
        if isinstance(item, Mapping):
            _leaves(name, item, out, spans)
        else:
            out[name] = item


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Changed values of the keys both sides have."""
    changes: list[Change] = []
    for name, before in old.items():
        if name in new and new[name] != before:
            spanlike = _is_span(name.rsplit(".", 1)[-1]) or name in WRITTEN
            kind: Kind = "spans" if spanlike else "extractor" if name.startswith("extractor.") else "event"
            changes.append(Change(name, kind, "changed", before, new[name]))
    return changes


def _event_changes(old: Record, new: Record, options: Options) -> list[Change]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _leaves("event", old["event"], before, options.spans)
    _leaves("event", new["event"], after, options.spans)
    for side, record in ((before, old), (after, new)):
        if "language" in record:
            side["language"] = record["language"]
        if options.spans and isinstance(record.get("extractor"), Mapping):
            _leaves("extractor", record["extractor"], side, True)
    changes = _field_changes(before, after)
    changed = {c.field for c in changes}
    moved = _confidence_changes(
        "event.confidence", old["event"].get("confidence"), new["event"].get("confidence"), options
    )
    return changes + [c for c in moved if not _confident_of(c.field) & changed]


def _confident_of(name: str) -> set[str]:
    """The event fields ``event.confidence.<key>`` is the confidence of (a changed value's confidence
    is part of that change, not one more)."""
    key = name.rsplit(".", 1)[-1]
    return {f"event.{key}", f"event.venue.{key}"}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _moved(old: Any, new: Any, options: Options) -> bool:
    a, b = _number(old), _number(new)
    return a is not None and b is not None and abs(a - b) > options.tolerance + 1e-12


def _confidence_changes(prefix: str, old: Any, new: Any, options: Options) -> list[Change]:
    """Confidence values both sides carry that moved more than the tolerance."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return []
    return [
        Change(f"{prefix}.{key}", "confidence", "changed", value, new[key])
        for key, value in old.items()
        if key in new and _moved(value, new[key], options)
    ]


def text_key(ref: Mapping[str, Any]) -> str:
    """An entity reference's written name, case and spacing folded, as an identity."""
    return "text:" + " ".join(str(ref.get("text") or "").split()).casefold()


def identity(ref: Mapping[str, Any]) -> str:
    """What makes two entity references one party: the id, else the written name (case and spacing
    folded); the rule the pipeline tells parties apart by."""
    ident = ref.get("id")
    return str(ident) if ident else text_key(ref)


def entity(ref: Mapping[str, Any]) -> dict[str, Any]:
    """An entity reference as a change shows it: its id and its written name, spacing collapsed."""
    return {"id": ref.get("id"), "text": " ".join(str(ref.get("text") or "").split())}


def _by_identity(refs: Any) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for ref in refs if isinstance(refs, list) else ():
        if isinstance(ref, Mapping):
            found.setdefault(identity(ref), ref)
    return found


def _relabelled(old: Mapping[str, Any], new: Mapping[str, Any]) -> Op:
    if not old.get("id"):
        return "resolved"
    return "unresolved" if not new.get("id") else "changed"


def _pair_by_text(
    removed: dict[str, Mapping[str, Any]], added: dict[str, Mapping[str, Any]]
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Removed and added references written alike (a name that gained, lost or changed its id), taken
    out of both."""
    by_text: dict[str, str] = {}
    for key, ref in added.items():
        by_text.setdefault(text_key(ref), key)
    pairs = []
    for key, ref in list(removed.items()):
        match = by_text.pop(text_key(ref), None)
        if match is not None:
            pairs.append((ref, added.pop(match)))
            del removed[key]
    return pairs


def _member_changes(
    name: str, kind: Kind, old_refs: Any, new_refs: Any, options: Options, where: str | None = None
) -> list[Change]:
    """The set difference of two lists of entity references, then what moved in the shared ones."""
    old, new = _by_identity(old_refs), _by_identity(new_refs)
    removed = {k: v for k, v in old.items() if k not in new}
    added = {k: v for k, v in new.items() if k not in old}
    changes = [
        Change(name, kind, _relabelled(a, b), entity(a), entity(b), where)
        for a, b in _pair_by_text(removed, added)
    ]
    changes += [Change(name, kind, "removed", entity(ref), None, where) for ref in removed.values()]
    changes += [Change(name, kind, "added", None, entity(ref), where) for ref in added.values()]
    for key, before in old.items():
        after = new.get(key)
        if after is None:
            continue
        label = _entity_label(before) if where is None else f"{where}: {_entity_label(before)}"
        if _moved(before.get("confidence"), after.get("confidence"), options):
            changes.append(
                Change(
                    f"{name}.confidence",
                    "confidence",
                    "changed",
                    before["confidence"],
                    after["confidence"],
                    label,
                )
            )
        if options.spans and before.get("span") != after.get("span"):
            changes.append(
                Change(f"{name}.span", "spans", "changed", before.get("span"), after.get("span"), label)
            )
    return changes


def _entity_label(ref: Mapping[str, Any]) -> str:
    ident = ref.get("id")
    return str(ident) if ident else " ".join(str(ref.get("text") or "").split())


def group_label(group: Mapping[str, Any]) -> str:
    """A participant group as a change names it: its label, else its country, else ``(no label)``."""
    label = group.get("label")
    if label:
        return " ".join(str(label).split())
    code = group.get("country_code")
    return f"({code})" if code else "(no label)"


def _groups(groups: Any) -> dict[str, Mapping[str, Any]]:
    """Participant groups by key: the label folded, else the country, else the source and order."""
    found: dict[str, Mapping[str, Any]] = {}
    unlabelled: Counter[str] = Counter()
    for group in groups if isinstance(groups, list) else ():
        if not isinstance(group, Mapping):
            continue
        if group.get("label"):
            key = "label:" + " ".join(str(group["label"]).split()).casefold()
        elif group.get("country_code"):
            key = f"country:{group['country_code']}"
        else:
            source = str(group.get("found_in", "header"))
            unlabelled[source] += 1
            key = f"#{source}:{unlabelled[source]}"
        found.setdefault(key, group)
    return found


def _group_value(group: Mapping[str, Any]) -> dict[str, Any]:
    members = group.get("members")
    return {
        "group": group_label(group),
        "members": [entity(m) for m in members if isinstance(m, Mapping)]
        if isinstance(members, list)
        else [],
    }


def _participant_changes(old: Any, new: Any, options: Options) -> list[Change]:
    before, after = _groups(old), _groups(new)
    changes: list[Change] = []
    for key, group in before.items():
        if key not in after:
            changes.append(
                Change(
                    "participants", "participants", "removed", _group_value(group), None, group_label(group)
                )
            )
            continue
        other = after[key]
        changes += _member_changes(
            "participants",
            "participants",
            group.get("members"),
            other.get("members"),
            options,
            group_label(group),
        )
        if options.spans and group.get("label_span") != other.get("label_span"):
            changes.append(
                Change(
                    "participants.label_span",
                    "spans",
                    "changed",
                    group.get("label_span"),
                    other.get("label_span"),
                    group_label(group),
                )
            )
    changes += [
        Change("participants", "participants", "added", None, _group_value(group), group_label(group))
        for key, group in after.items()
        if key not in before
    ]
    return changes


def _issue_counts(issues: Any) -> Counter[str]:
    return Counter(
        str(i["code"])
        for i in (issues if isinstance(issues, list) else ())
        if isinstance(i, Mapping) and "code" in i
    )


def _issue_changes(old: Any, new: Any) -> list[Change]:
    before, after = _issue_counts(old), _issue_counts(new)
    changes = []
    for code in sorted(before.keys() | after.keys()):
        a, b = before[code], after[code]
        if a != b:
            op: Op = "added" if not a else "removed" if not b else "changed"
            changes.append(Change("issues", "issues", op, a, b, code))
    return changes


def compare(old: Record, new: Record, options: Options | None = None) -> list[Change]:
    """Every difference of meaning between two records of one note; see the module docstring."""
    options = options or Options()
    changes = _event_changes(old, new, options)
    for role in ROLES:
        if role in old and role in new:
            changes += _member_changes(role, "roles", old[role], new[role], options)
    if "participants" in old and "participants" in new:
        changes += _participant_changes(old["participants"], new["participants"], options)
    if "issues" in old and "issues" in new:
        changes += _issue_changes(old["issues"], new["issues"])
    return changes


# --- folders and files -----------------------------------------------------------------------------


def note_summary(record: Record) -> dict[str, Any]:
    """What names an added or removed note: its title, dates and venue."""
    event = record["event"]
    venue = event.get("venue") if isinstance(event.get("venue"), Mapping) else {}
    return {
        "title": event.get("title"),
        "start_date": event.get("start_date"),
        "end_date": event.get("end_date"),
        "city": venue.get("city"),
        "country": venue.get("country"),
    }


def _sha(record: Record) -> str | None:
    source = record.get("source")
    return str(source["sha256"]) if isinstance(source, Mapping) and source.get("sha256") else None


def _pair_renames(
    removed: dict[str, Path], added: dict[str, Path], renames: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(old, new) note pairs taken out of ``removed`` and ``added``: the given renames first, then
    records of identical source bytes (each record read once, only its digest kept)."""
    pairs = [(a, b) for a, b in renames.items() if a in removed and b in added]
    for a, b in pairs:
        del removed[a], added[b]
    by_sha: dict[str, list[str]] = {}
    for key, path in added.items():
        sha = _sha(read_record_json(path))
        if sha is not None:
            by_sha.setdefault(sha, []).append(key)
    for key, path in list(removed.items()):
        sha = _sha(read_record_json(path))
        if sha is not None and by_sha.get(sha):
            match = by_sha[sha].pop(0)
            pairs.append((key, match))
            del removed[key], added[match]
    return pairs


def diff_folders(
    old_dir: Path, new_dir: Path, options: Options | None = None, renames: Mapping[str, str] | None = None
) -> DiffReport:
    """The differences between the records of two folders; see the module docstring. ``renames`` maps
    old relative paths (without ``.json``) to new ones."""
    options = options or Options()
    old, new = record_files(old_dir), record_files(new_dir)
    report = DiffReport(options=options)
    notes: list[NoteDiff] = []
    for key in sorted(old.keys() & new.keys()):
        changes = compare(read_record_json(old[key]), read_record_json(new[key]), options)
        if changes:
            notes.append(NoteDiff(key, "changed", tuple(changes)))
    removed = {k: p for k, p in old.items() if k not in new}
    added = {k: p for k, p in new.items() if k not in old}
    for a, b in _pair_renames(removed, added, renames or {}):
        changes = compare(read_record_json(old[a]), read_record_json(new[b]), options)
        notes.append(NoteDiff(b, "renamed", tuple(changes), old_note=a))
    notes += [NoteDiff(k, "removed", summary=note_summary(read_record_json(p))) for k, p in removed.items()]
    notes += [NoteDiff(k, "added", summary=note_summary(read_record_json(p))) for k, p in added.items()]
    report.notes = sorted(notes, key=lambda n: n.note)
    report.compared = len(old.keys() | new.keys()) - sum(1 for n in notes if n.status == "renamed")
    return report


def diff_files(old_path: Path, new_path: Path, options: Options | None = None) -> DiffReport:
    """The differences between two record files, taken as two records of one note."""
    options = options or Options()
    changes = compare(read_record_json(old_path), read_record_json(new_path), options)
    report = DiffReport(options=options, compared=1)
    if changes:
        report.notes.append(NoteDiff(new_path.stem, "changed", tuple(changes)))
    return report
