"""The organization registry: canonical identities and every name they go by.

Contract: :func:`load_registry` reads ``data/organizations.jsonl`` (or a user file), validates each
row (:class:`OrgEntry`) and checks cross-row rules — unique ids, parents that exist, no name or
alias shared by two entries (compared on :func:`entry_keys`, the keys the resolver looks names up by)
— raising :class:`~note_extract.errors.RuleFileError` with file and line. :func:`entry_line` is the
one JSON Lines form an entry is written in. It never guesses: name-to-identity lookup lives in
:mod:`note_extract.resolve`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .errors import RuleFileError
from .models import OrgType
from .resources import data_path, load_rows
from .rules import Rules, derived


class OrgEntry(BaseModel):
    """One row of the organization registry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Stable identifier; never reused.")
    name: str = Field(min_length=2, description="Canonical English name.")
    acronyms: tuple[str, ...] = Field(default=(), description="Acronyms, matched case-sensitively.")
    aliases: tuple[str, ...] = Field(default=(), description="Other names and spellings.")
    type: OrgType
    parent: str | None = Field(default=None, description="Id of the parent organization.")
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code for national bodies."
    )

    @property
    def acronym(self) -> str | None:
        """The preferred acronym (the first listed), if any."""
        return self.acronyms[0] if self.acronyms else None

    def names(self) -> Iterator[str]:
        """The canonical name followed by every alias (acronyms excluded)."""
        yield self.name
        yield from self.aliases


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


def entry_keys(entry: OrgEntry) -> dict[str, str]:
    """The lookup keys of an entry, each with the name it comes from: every name and alias on the
    resolver's name key, every acronym on its compact key (so "UN LIREC" and "UNLIREC" are one key)."""
    from .resolve import compact_key, name_key

    keys: dict[str, str] = {}
    for name in entry.names():
        keys.setdefault(name_key(name), name)
    for acronym in entry.acronyms:
        keys.setdefault(compact_key(acronym), acronym)
    return keys


def entry_line(entry: OrgEntry) -> str:
    """The entry as one JSON Lines row (fields in model order, defaults left out), without newline."""
    return json.dumps(entry.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


def _row_lines(source: Path) -> list[int]:
    """1-based line numbers of the data rows of a JSON Lines file, in order."""
    lines = source.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if line.strip() and not line.strip().startswith("#")]


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


def check_registry(source: Path, entries: Sequence[OrgEntry]) -> None:
    """The checks across rows: unique ids, known parents, no name or alias given to two entries."""
    lines = _row_lines(source)
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise RuleFileError(f"{source}:{lines[index]}: entry #{index + 1} repeats id {entry.id!r}")
        seen[entry.id] = index
    for index, entry in enumerate(entries):
        if entry.parent is not None and entry.parent not in seen:
            raise RuleFileError(
                f"{source}:{lines[index]}: {entry.id!r} names unknown parent {entry.parent!r}"
            )
    owners: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for key, name in entry_keys(entry).items():
            other = owners.setdefault(key, index)
            if other != index:
                raise RuleFileError(
                    f"{source}:{lines[index]}: {entry.id!r} lists {name!r}, which "
                    f"{entries[other].id!r} (line {lines[other]}) already lists; a name or alias "
                    "belongs to one entry"
                )
