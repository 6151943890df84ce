"""Notes changed since a git revision: which to extract again, which records are stale.

Contract: :func:`changes_since` asks git (``git -C ROOT``) which note files under ``ROOT`` differ between
revision ``REV`` and the work tree — committed, staged and unstaged edits, and untracked files that are
not ignored — and returns them as a :class:`NoteChanges` of POSIX paths relative to ``ROOT``: added or
edited notes, deleted notes, and renames (git's rename detection; a rename whose text also changed is a
rename too). A note file is one whose name matches the patterns and no part of whose path is hidden;
nothing under the output folder, and no ``.json`` file when the output folder is ``ROOT``, is ever one.
:func:`read_at` gives the bytes of files as they were at ``REV``. :func:`remove_stale` deletes the
records of notes that are gone, and only a record that names the note as its source. Git is never asked
to change anything. A folder outside a git work tree, a revision git does not know, or no ``git``
command raise :class:`~note_extract.core.errors.InputError`.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from note_extract.core.display import path_text
from note_extract.core.errors import InputError


@dataclass(frozen=True)
class NoteChanges:
    """The note files that differ between a revision and the work tree, relative to the folder."""

    changed: tuple[str, ...] = ()
    """Added or edited since the revision (a rename's new path included): to extract now."""
    deleted: tuple[str, ...] = ()
    """At the revision and gone now (a rename's old path included)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Old path -> new path."""
    edited: tuple[str, ...] = ()
    """Paths at the revision whose text differs now or that are gone: the old side of a comparison."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False, timeout=600
        )
    except FileNotFoundError:
        raise InputError("git is not installed; --rev and --changed-since need it") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {args[0]} in {path_text(root)}: {message[-1] if message else 'failed'}")
    return done.stdout


def _check(root: Path, rev: str) -> None:
    if not root.is_dir():
        raise InputError(f"{path_text(root)}: a revision needs a folder of notes in a git work tree")
    _git(root, "rev-parse", "--is-inside-work-tree")
    if rev.startswith("-"):
        raise InputError(f"{rev!r} is not a revision")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except InputError:
        raise InputError(f"git does not know the revision {rev!r} in {path_text(root)}") from None


def _selector(root: Path, patterns: tuple[str, ...], out_dir: Path | None) -> tuple[str | None, bool]:
    """The output folder as a path relative to ``root`` (when inside it), and whether it is ``root``."""
    if out_dir is None:
        return None, False
    base = Path(os.path.normpath(root.absolute()))
    out = Path(os.path.normpath(out_dir.absolute()))
    if out == base:
        return None, True
    return (out.relative_to(base).as_posix() if out.is_relative_to(base) else None), False


def _is_note(rel: str, patterns: tuple[str, ...], out_rel: str | None, self_records: bool) -> bool:
    path = PurePosixPath(rel)
    if any(part.startswith(".") for part in path.parts):
        return False
    if out_rel is not None and (rel == out_rel or rel.startswith(out_rel + "/")):
        return False
    if self_records and path.name.endswith(".json"):
        return False
    return any(fnmatchcase(path.name, p) for p in patterns)


def _entries(raw: bytes) -> Iterator[tuple[str, str, str | None]]:
    """(status letter, path, new path of a rename or copy) from ``git diff --name-status -z``."""
    tokens = [os.fsdecode(t) for t in raw.split(b"\0")]
    i = 0
    while i < len(tokens) and tokens[i]:
        status = tokens[i][0]
        if status in "RC":
            yield status, tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            yield status, tokens[i + 1], None
            i += 2


def changes_since(root: Path, rev: str, patterns: Iterable[str], out_dir: Path | None = None) -> NoteChanges:
    """The note files under ``root`` that differ between ``rev`` and the work tree; see the module
    docstring."""
    _check(root, rev)
    pats = tuple(patterns)
    out_rel, self_records = _selector(root, pats, out_dir)

    def note(rel: str) -> bool:
        return _is_note(rel, pats, out_rel, self_records)

    changed: set[str] = set()
    deleted: set[str] = set()
    edited: set[str] = set()
    renamed: dict[str, str] = {}
    raw = _git(root, "diff", "--name-status", "-z", "-M", "--relative", "--no-ext-diff", rev, "--", ".")
    for status, path, target in _entries(raw):
        if status == "R" and target is not None:
            if note(path):
                deleted.add(path)
                edited.add(path)
            if note(target):
                changed.add(target)
            if note(path) and note(target):
                renamed[path] = target
        elif status == "C" and target is not None:
            changed.update([target] if note(target) else [])
        elif note(path):
            if status != "A":
                edited.add(path)
            (deleted if status == "D" else changed).add(path)
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    changed.update(rel for rel in (os.fsdecode(t) for t in untracked.split(b"\0")) if rel and note(rel))
    return NoteChanges(
        changed=tuple(sorted(changed)),
        deleted=tuple(sorted(deleted)),
        renamed=dict(sorted(renamed.items())),
        edited=tuple(sorted(edited)),
    )


def read_at(root: Path, rev: str, rels: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes at ``rev``) of each file ``rels`` names relative to ``root`` that existed then."""
    wanted = list(rels)
    if not wanted:
        return
    prefix = os.fsdecode(_git(root, "rev-parse", "--show-prefix").strip())
    request = b"".join(os.fsencode(f"{rev}:{prefix}{rel}") + b"\n" for rel in wanted)
    out = _git(root, "cat-file", "--batch", stdin=request)
    at = 0
    for rel in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[-1] == b"missing":
            continue
        size = int(header[2])
        if header[1] == b"blob":
            yield rel, out[at : at + size]
        at += size + 1


def notes_since(
    root: Path, rev: str, patterns: Iterable[str], out_dir: Path | None
) -> tuple[list[Path], list[Path]]:
    """For ``run --changed-since``: the note files to convert (added, edited or renamed since ``rev``),
    in sorted order, and the records deleted because their note is gone (none without ``out_dir``)."""
    changes = changes_since(root, rev, patterns, out_dir)
    stale = remove_stale(out_dir, changes.deleted) if out_dir is not None else []
    return [root / PurePosixPath(rel) for rel in changes.changed], stale


def remove_stale(out_dir: Path, rels: Iterable[str]) -> list[Path]:
    """Delete ``OUT/<rel with .json>`` for each gone note ``rel`` whose record names it as its source;
    returns the records deleted."""
    removed: list[Path] = []
    for rel in rels:
        record = out_dir / PurePosixPath(rel).with_suffix(".json")
        try:
            source = json.loads(record.read_bytes()).get("source", {})
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(source, dict) and source.get("path") == rel:
            record.unlink(missing_ok=True)
            removed.append(record)
    return removed
