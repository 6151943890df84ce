"""Checks across the rows of one rule file, run at load after every row is valid.

Contract: each check takes the file's path and its validated rows and raises
:class:`~note_extract.core.errors.RuleFileError` naming the file (and the line, read again from the
file only when there is a fault) when the rows break a rule no single row can: the catalogue of
findings must word every code once with templates that parse, name only plain fields (no attribute,
index, conversion or format spec: ``{name.__class__}`` or ``{name:>300000000}`` are refused), and only
the fields the shipped wording of that code names (a finding gives no others), so a template never
fails a note (:func:`check_catalogue`); the registry
must have unique ids, known parents, and no name or alias shared by two entries (:func:`check_registry`,
compared on :func:`entry_keys`, the keys the resolver looks names up by); the date words have one row
per language (:func:`check_date_words`).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, get_args

from note_extract.core.errors import RuleFileError
from note_extract.core.findings import RAW_FIELD, FindingCode
from note_extract.core.resources import data_path, numbered_rows
from note_extract.core.text import compact_key, name_key
from note_extract.rules.rows import DateWordsRow, IssueKind, OrgEntry

FINDINGS_FILE = "findings.jsonl"
GAZETTEER_FIELDS = 5


def template_fields(template: str) -> set[str]:
    """The field names a ``str.format`` template uses (ValueError when it cannot be parsed, or when a
    field is not a plain name: an attribute, an index, a conversion or a format spec)."""
    names: set[str] = set()
    for _text, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"field {{{shown}}} is not a plain field name")
        names.add(name)
    return names


@cache
def shipped_fields() -> dict[str, set[str]]:
    """The fields each code's shipped templates name (and the note's text at the span, ``raw``):
    the fields a finding of that code gives."""
    fields: dict[str, set[str]] = {}
    for _lineno, row in numbered_rows(data_path(FINDINGS_FILE), IssueKind):
        fields[row.code] = {RAW_FIELD}.union(*(template_fields(t) for t in row.templates()))
    return fields


def check_catalogue(path: Path, rows: Sequence[Any]) -> None:
    """Refuse a catalogue that lacks a code, repeats one, or has a template that cannot be parsed
    (the check :class:`~note_extract.rules.bundle.Rules` runs on the rows it loaded from ``findings.jsonl``;
    the file is read again only to name the line of a fault)."""
    try:
        checked_catalogue(path, [(None, row) for row in rows])
    except RuleFileError:
        checked_catalogue(path, numbered_rows(path, IssueKind))
        raise


def checked_catalogue(source: Path, rows: Sequence[tuple[int | None, IssueKind]]) -> dict[str, IssueKind]:
    kinds: dict[str, IssueKind] = {}
    for lineno, row in rows:
        where = f"{source}:{lineno}" if lineno is not None else str(source)
        if row.code in kinds:
            raise RuleFileError(f"{where}: code {row.code!r} is already listed")
        for template in row.templates():
            try:
                used = template_fields(template)
            except ValueError as exc:
                raise RuleFileError(f"{where}: template {template!r}: {exc}") from exc
            known = shipped_fields().get(row.code, used) if source != data_path(FINDINGS_FILE) else used
            if unknown := sorted(used - known):
                raise RuleFileError(
                    f"{where}: template {template!r} names {', '.join(unknown)}, which a {row.code} "
                    f"finding does not give (it gives: {', '.join(sorted(known))})"
                )
        kinds[row.code] = row
    missing = [code for code in get_args(FindingCode) if code not in kinds]
    if missing:
        raise RuleFileError(f"{source}: no row for code {', '.join(repr(c) for c in missing)}")
    return kinds


def entry_keys(entry: OrgEntry) -> dict[str, str]:
    """The lookup keys of an entry, each with the name it comes from: every name and alias on the
    resolver's name key, every acronym on its compact key (so "UN LIREC" and "UNLIREC" are one key)."""
    keys: dict[str, str] = {}
    for name in entry.names():
        keys.setdefault(name_key(name), name)
    for acronym in entry.acronyms:
        keys.setdefault(compact_key(acronym), acronym)
    return keys


def _row_lines(source: Path) -> list[int]:
    """1-based line numbers of the data rows of a JSON Lines file, in order."""
    lines = source.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if line.strip() and not line.strip().startswith("#")]


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


def check_date_words(source: Path, rows: Sequence[DateWordsRow]) -> None:
    """One row per language in ``date_words.jsonl``."""
    seen: set[str] = set()
    for row in rows:
        if row.language in seen:
            raise RuleFileError(f"{source}: language {row.language!r} has more than one row")
        seen.add(row.language)


def check_gazetteer(source: Path, data: bytes) -> None:
    """A user's ``cities.tsv.gz`` must be gzip'd UTF-8 text of rows of name, country, population,
    capital (0 or 1) and aliases, tab-separated (the shipped one is built so and not read here)."""
    import gzip  # lazy: only a user's gazetteer is checked

    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{source}: cannot read the gazetteer: {exc}") from exc
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != GAZETTEER_FIELDS or not cells[2].isdigit() or cells[3] not in {"0", "1"}:
            raise RuleFileError(f"{source}:{lineno}: expected name, country, population, capital, aliases")
