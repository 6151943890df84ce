"""The organization registry: canonical identities and every name they go by.

Contract: :func:`load_registry` reads ``data/organizations.jsonl`` (or a user file), validates each
row (:class:`OrgEntry`) and checks cross-row rules — unique ids, parents that exist, no name or
alias shared by two entries (compared on :func:`entry_keys`, the keys the resolver looks names up by)
— raising :class:`~note_extract.core.errors.RuleFileError` with file and line. :func:`entry_line` is the
one JSON Lines form an entry is written in. It never guesses: name-to-identity lookup lives in
:mod:`note_extract.lexicon.resolve`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from note_extract.core.resources import data_path, load_rows
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.checks import check_registry
from note_extract.rules.rows import OrgEntry


@dataclass(frozen=True)
class Registry:
    """Validated registry entries, indexed by id."""

    entries: tuple[OrgEntry, ...]
    source: Path
    by_id: dict[str, OrgEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, org_id: str) -> OrgEntry | None:
        """Return the entry with this id, or ``None``."""
        return self.by_id.get(org_id)


DEFAULT_REGISTRY = "organizations.jsonl"


def entry_line(entry: OrgEntry) -> str:
    """The entry as one JSON Lines row (fields in model order, defaults left out), without newline."""
    return json.dumps(entry.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


def load_registry(path: Path | None = None) -> Registry:
    """Load and cross-check the registry at ``path`` (default: the shipped one)."""
    source = path if path is not None else data_path(DEFAULT_REGISTRY)
    entries = load_rows(source, OrgEntry)
    check_registry(source, entries)
    return Registry(entries=tuple(entries), source=source)


@derived
def rules_registry(rules: Rules) -> Registry:
    """The registry of a rule bundle (checked when the bundle was loaded)."""
    return Registry(entries=rules.rows(DEFAULT_REGISTRY, OrgEntry), source=rules.path(DEFAULT_REGISTRY))
