"""The organization registry: canonical identities and every name they go by.

Contract: :func:`load_registry` reads ``data/organizations.jsonl`` (or a user file), validates each
row (:class:`OrgEntry`) and checks cross-row rules — unique ids, parents that exist, no name or
alias shared by two entries — raising :class:`~note_extract.errors.RuleFileError` with file and line.
It never guesses: name-to-identity lookup lives in :mod:`note_extract.resolve`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .errors import RuleFileError
from .models import OrgType
from .resources import data_path, load_rows


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


def load_registry(path: Path | None = None) -> Registry:
    """Load and cross-check the registry at ``path`` (default: the shipped one)."""
    source = path if path is not None else data_path(DEFAULT_REGISTRY)
    entries = load_rows(source, OrgEntry)
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise RuleFileError(f"{source}: entry #{index + 1} repeats id {entry.id!r}")
        seen[entry.id] = index
    for entry in entries:
        if entry.parent is not None and entry.parent not in seen:
            raise RuleFileError(f"{source}: {entry.id!r} names unknown parent {entry.parent!r}")
    return Registry(entries=tuple(entries), source=source)
