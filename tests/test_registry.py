"""The registry loads, and a broken registry fails with the file and line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from note_extract.core.errors import RuleFileError
from note_extract.core.text import compact_key, name_key
from note_extract.lexicon.registry import load_registry


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "orgs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_shipped_registry_loads_with_unique_names() -> None:
    registry = load_registry()
    assert len(registry) >= 100
    owners: dict[str, str] = {}
    for entry in registry.entries:
        keys = {name_key(n) for n in entry.names()} | {compact_key(a) for a in entry.acronyms}
        for key in keys:
            assert owners.setdefault(key, entry.id) == entry.id, (
                f"{key!r} is listed by {owners[key]} and {entry.id}"
            )


def test_shipped_registry_has_the_parents_users_rely_on() -> None:
    registry = load_registry()
    assert registry.by_id["unlirec"].parent == "unoda"
    assert registry.by_id["cicte"].parent == "oas"


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, ['{"id": "a", "name": "Alpha", "type": "ngo"}', "{not json"])
    with pytest.raises(RuleFileError, match=r"orgs\.jsonl:2: invalid JSON"):
        load_registry(path)


def test_bad_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, ["# comment", '{"id": "a", "name": "Alpha", "type": "club"}'])
    with pytest.raises(RuleFileError, match=r"orgs\.jsonl:2: type"):
        load_registry(path)


def test_duplicate_id_and_unknown_parent_are_rejected(tmp_path: Path) -> None:
    dup = write(
        tmp_path,
        ['{"id": "a", "name": "Alpha", "type": "ngo"}', '{"id": "a", "name": "Beta", "type": "ngo"}'],
    )
    with pytest.raises(RuleFileError, match="repeats id 'a'"):
        load_registry(dup)
    orphan = write(tmp_path, ['{"id": "a", "name": "Alpha", "type": "ngo", "parent": "zzz"}'])
    with pytest.raises(RuleFileError, match="unknown parent 'zzz'"):
        load_registry(orphan)
