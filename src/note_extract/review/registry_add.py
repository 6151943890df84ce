"""Merging kept proposals into a user's registry file.

Contract: :func:`read_proposals` reads a JSON Lines file of
:class:`~note_extract.review.suggest.Proposal` rows (blank and ``#`` lines skipped), raising
:class:`~note_extract.core.errors.RuleFileError` with file and line on a bad row. :func:`add_proposals`
applies those with ``keep`` true, in file order, to the registry file at ``target``: a file that does
not exist yet starts as a copy of the shipped registry (a user registry replaces the shipped one, so
it must hold its entries too). ``new`` adds an entry; ``aliases`` adds acronyms and aliases to an
existing entry. A proposal or a name is refused — and reported, never applied — when it would make
one name or alias belong to two entries (compared on the resolver's keys, as
:func:`~note_extract.lexicon.registry.load_registry` checks), when a new id is taken, when an ``aliases``
target does not exist, or when a parent is unknown. Names an entry already has are skipped silently.
Existing lines, comments included, are kept byte for byte except the lines of entries that changed;
new entries are appended. The file is written atomically and loaded again (so it is known to be
valid) before :class:`AddReport` is returned; nothing is written when nothing changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from note_extract.batch.output import write_atomic
from note_extract.core.errors import RuleFileError
from note_extract.core.resources import data_path
from note_extract.core.text import compact_key, name_key
from note_extract.lexicon.registry import entry_line, load_registry
from note_extract.review.suggest import Proposal
from note_extract.rules.checks import entry_keys
from note_extract.rules.rows import OrgEntry


@dataclass
class AddReport:
    """What :func:`add_proposals` changed and refused."""

    target: Path
    created: bool = False
    changes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    skipped: int = 0
    """Proposals with ``keep`` false."""

    def lines(self) -> list[str]:
        """The report as lines for a person."""
        out = [f"created {self.target} from the shipped registry"] if self.created else []
        out += self.changes
        out += [f"refused: {reason}" for reason in self.refused]
        out.append(
            f"{len(self.changes)} change(s), {len(self.refused)} refused, {self.skipped} not kept"
            + (f" -> {self.target}" if self.changes else "; registry unchanged")
        )
        return out


def read_proposals(path: Path) -> list[Proposal]:
    """Every proposal in a JSON Lines file; see the module docstring."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read proposals: {exc.strerror or exc}") from exc
    proposals: list[Proposal] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            proposals.append(Proposal.model_validate_json(stripped))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "row"
            raise RuleFileError(f"{path}:{lineno}: {where}: {first['msg']}") from exc
    return proposals


def add_proposals(proposals: list[Proposal], target: Path) -> AddReport:
    """Apply the kept proposals to the registry file ``target``; see the module docstring."""
    report = AddReport(target=target)
    if target.exists():
        text = target.read_text(encoding="utf-8")
    else:
        text = data_path("organizations.jsonl").read_text(encoding="utf-8")
        report.created = True
    lines = text.splitlines()
    registry = load_registry(target) if not report.created else load_registry()
    entries: dict[str, OrgEntry] = {e.id: e for e in registry.entries}
    line_of: dict[str, int] = {}
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            line_of[str(json.loads(stripped)["id"])] = index
    owners: dict[str, str] = {}
    for entry in entries.values():
        for key in entry_keys(entry):
            owners[key] = entry.id
    changed: list[str] = []
    for proposal in proposals:
        if not proposal.keep:
            report.skipped += 1
            continue
        if proposal.action == "new":
            _add_new(proposal, entries, owners, changed, report)
        else:
            _add_names(proposal, entries, owners, changed, report)
    if not changed:
        if report.created:
            report.created = False
        return report
    for org_id in dict.fromkeys(changed):
        row = entry_line(entries[org_id])
        if org_id in line_of:
            lines[line_of[org_id]] = row
        else:
            lines.append(row)
    new_text = "\n".join(lines) + "\n"
    check = target.with_name(f".{target.name}.check")
    try:
        write_atomic(check, new_text)
        load_registry(check)
    finally:
        check.unlink(missing_ok=True)
    write_atomic(target, new_text)
    return report


def _add_new(
    proposal: Proposal,
    entries: dict[str, OrgEntry],
    owners: dict[str, str],
    changed: list[str],
    report: AddReport,
) -> None:
    """Add a ``new`` proposal's entry, or refuse it whole."""
    if proposal.id in entries:
        report.refused.append(f"{proposal.id}: id already in the registry (propose aliases instead)")
        return
    if proposal.parent is not None and proposal.parent not in entries:
        report.refused.append(f"{proposal.id}: unknown parent {proposal.parent!r}")
        return
    try:
        entry = proposal.entry()
    except ValidationError as exc:
        report.refused.append(f"{proposal.id}: {exc.errors()[0]['msg']}")
        return
    for key, name in entry_keys(entry).items():
        if key in owners:
            report.refused.append(f"{proposal.id}: {name!r} is already listed by {owners[key]}")
            return
    entries[entry.id] = entry
    for key in entry_keys(entry):
        owners[key] = entry.id
    changed.append(entry.id)
    names = ", ".join([*entry.acronyms, *entry.aliases]) or "no other names"
    report.changes.append(f"+ {entry.id}: new entry {entry.name!r} ({entry.type}): {names}")


def _add_names(
    proposal: Proposal,
    entries: dict[str, OrgEntry],
    owners: dict[str, str],
    changed: list[str],
    report: AddReport,
) -> None:
    """Add an ``aliases`` proposal's names to its entry, refusing each name another entry lists."""
    entry = entries.get(proposal.id)
    if entry is None:
        report.refused.append(f"{proposal.id}: no such entry in the registry")
        return
    acronyms, aliases = list(entry.acronyms), list(entry.aliases)
    added: list[str] = []
    for names, keyer, bucket in (
        (proposal.acronyms, compact_key, acronyms),
        (proposal.aliases, name_key, aliases),
    ):
        for name in names:
            key = keyer(name)
            owner = owners.get(key)
            if owner == entry.id:
                continue
            if owner is not None:
                report.refused.append(f"{entry.id}: {name!r} is already listed by {owner}")
                continue
            bucket.append(name)
            owners[key] = entry.id
            added.append(name)
    if not added:
        return
    entries[entry.id] = OrgEntry.model_validate(
        {**entry.model_dump(), "acronyms": tuple(acronyms), "aliases": tuple(aliases)}
    )
    changed.append(entry.id)
    report.changes.append(f"~ {entry.id}: + " + ", ".join(repr(n) for n in added))
