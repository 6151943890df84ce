"""Merging kept proposals into a user's registry file.

Contract: :func:`read_proposals` reads a JSON Lines file of
:class:`~note_extract.review.suggest.Proposal` rows (blank and ``#`` lines skipped), raising
:class:`~note_extract.core.errors.RuleFileError` with file and line on a bad row, and for a file that
is not UTF-8 text. :func:`add_proposals`
applies those with ``keep`` true, in file order, to the registry file at ``target``: a file that does
not exist yet starts as a copy of the shipped registry (a user registry replaces the shipped one, so
it must hold its entries too). ``new`` adds an entry; ``aliases`` adds acronyms and aliases to an
existing entry. A proposal or a name is refused — and reported, never applied — when it would make
one name or alias belong to two entries (compared on the resolver's keys, as
:func:`~note_extract.lexicon.registry.load_registry` checks), when a new id is taken, when an ``aliases``
target does not exist, or when a parent is unknown; a name is refused when it could never name an
organization on its own (:func:`name_problem`: empty, one letter, only words of the ``filler`` list
of ``roles.jsonl`` such as "the" or "of", or holding a control or format character). Names an entry
already has are skipped silently. Existing lines, comments included, are kept byte for byte
(line ends too) except the lines of entries that changed, which keep their line end; new entries are
appended with the file's own line end (CRLF when its lines end so). The file is written atomically
and loaded again (so it is known to be valid) before :class:`AddReport` is returned; nothing is
written when nothing changed. A registry that is a symbolic link is changed where it points (the
link stays). Two runs on one registry at a time take turns (a lock on its folder), so neither
addition is lost. A registry that is not UTF-8 raises ``RuleFileError``; one that cannot be written
(or a full disk) raises :class:`~note_extract.core.errors.OutputError`.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from note_extract.batch.output import output_errors, write_atomic
from note_extract.core.errors import RuleFileError
from note_extract.core.resources import data_path
from note_extract.core.text import compact_key, name_key
from note_extract.lexicon.registry import entry_line, load_registry
from note_extract.parties.refs import role_rules
from note_extract.review.suggest import Proposal
from note_extract.rules.bundle import shipped_rules
from note_extract.rules.checks import entry_keys
from note_extract.rules.rows import OrgEntry

_WORDS = re.compile(r"[^\W_]+")


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
    except UnicodeDecodeError as exc:
        raise RuleFileError(
            f"{path}: not a proposals file (not UTF-8 text at byte {exc.start}); "
            "write one with: note-extract orgs suggest"
        ) from exc
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


def name_problem(name: str, filler: frozenset[str], acronym: bool = False) -> str | None:
    """Why ``name`` cannot be an organization's acronym or alias, or None when it can (an acronym is
    matched case-sensitively, so "AN" is no filler word, but "An" is)."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        return "holds a control or format character"
    words = _WORDS.findall(name)
    if sum(len(w) for w in words) < 2:
        return "is empty or a single letter"
    if acronym and name.isupper():
        return None
    if all(w.casefold() in filler or len(w) == 1 for w in words):
        return "holds only words that never name an organization (the, of, ...)"
    return None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (one ``orgs add`` on a registry at a time)."""
    with output_errors(folder, "cannot lock the registry's folder"):
        fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _read_registry(real: Path, report: AddReport) -> str:
    """The registry's text (the shipped one for a file that does not exist yet)."""
    source = real if real.exists() else data_path("organizations.jsonl")
    report.created = not real.exists()
    try:
        return source.read_bytes().decode("utf-8")
    except OSError as exc:
        raise RuleFileError(f"{source}: cannot read the registry: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"{source}: the registry is not UTF-8 text (byte {exc.start})") from exc


def add_proposals(proposals: list[Proposal], target: Path, filler: frozenset[str] | None = None) -> AddReport:
    """Apply the kept proposals to the registry file ``target``; see the module docstring. ``filler``:
    the words that never name an organization alone (default: the shipped ``roles.jsonl``)."""
    report = AddReport(target=target)
    real = Path(os.path.realpath(target))
    words = filler if filler is not None else role_rules(shipped_rules()).filler
    with _locked(real.parent if real.parent.exists() else Path()):
        text = _read_registry(real, report)
        _apply(proposals, real, text, words, report)
    return report


def _apply(
    proposals: list[Proposal], real: Path, text: str, filler: frozenset[str], report: AddReport
) -> None:
    """Apply the proposals to ``text`` and write it to ``real`` when anything changed."""
    lines = text.splitlines(keepends=True)
    crlf = sum(line.endswith("\r\n") for line in lines) * 2 > len(lines)
    newline = "\r\n" if crlf else "\n"
    registry = load_registry(real) if not report.created else load_registry()
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
        elif problem := _proposal_problem(proposal, filler):
            report.refused.append(f"{proposal.id}: {problem}")
        elif proposal.action == "new":
            _add_new(proposal, entries, owners, changed, report)
        else:
            _add_names(proposal, entries, owners, changed, report)
    if not changed:
        report.created = False
        return
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    for org_id in dict.fromkeys(changed):
        row = entry_line(entries[org_id])
        if org_id in line_of:
            old = lines[line_of[org_id]]
            lines[line_of[org_id]] = row + old[len(old.rstrip("\r\n")) :]
        else:
            lines.append(row + newline)
    new_text = "".join(lines)
    check = real.with_name(f".{real.name}.check")
    with output_errors(real):
        try:
            write_atomic(check, new_text)
            load_registry(check)
        finally:
            check.unlink(missing_ok=True)
        write_atomic(real, new_text)


def _proposal_problem(proposal: Proposal, filler: frozenset[str]) -> str | None:
    """Why a proposal's acronyms or aliases cannot be added, naming the first bad one."""
    names = [(name, True) for name in proposal.acronyms] + [(name, False) for name in proposal.aliases]
    if proposal.action == "new":
        names.insert(0, (proposal.name, False))
    for name, acronym in names:
        if problem := name_problem(name, filler, acronym):
            return f"the name {name!r} {problem}; remove it from the proposal"
    return None


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
