"""Alias resolution: exact, alias, fuzzy above the cutoff, and unresolved with candidates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from note_extract.core.text import name_key
from note_extract.lexicon.registry import Registry
from note_extract.lexicon.resolve import Resolver
from note_extract.rules.rows import OrgEntry

UNLIREC_NAME = (
    "United Nations Regional Centre for Peace, Disarmament and Development in Latin America and the Caribbean"
)
ROWS = [
    {
        "id": "unoda",
        "name": "United Nations Office for Disarmament Affairs",
        "acronyms": ["UNODA"],
        "type": "un_body",
    },
    {
        "id": "unlirec",
        "name": UNLIREC_NAME,
        "acronyms": ["UNLIREC"],
        "aliases": ["LiREC", "UN Regional Center for Peace, Disarmament and Development in Latin America"],
        "type": "un_body",
        "parent": "unoda",
    },
    {"id": "who", "name": "World Health Organization", "acronyms": ["WHO"], "type": "un_body"},
    {"id": "x1", "name": "Alpha Export Control Office", "aliases": ["AECO Agency"], "type": "government"},
    {"id": "x2", "name": "Beta Export Control Office", "aliases": ["aeco agency"], "type": "government"},
]


@pytest.fixture(scope="module")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> Resolver:
    path = Path(tmp_path_factory.mktemp("reg")) / "orgs.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    # load_registry refuses the alias x1 and x2 share; the resolver must still never merge them, so
    # this registry is built from the rows directly.
    return Resolver(Registry(entries=tuple(OrgEntry.model_validate(row) for row in ROWS), source=path))


def test_name_key_ignores_case_the_un_spelling_and_punctuation() -> None:
    assert name_key("The United Nations Regional Centre") == name_key("UN regional center")


def test_canonical_name_is_exact(resolver: Resolver) -> None:
    result = resolver.resolve("the United Nations Office for Disarmament Affairs")
    assert result.entry is not None and result.entry.id == "unoda" and result.method == "exact"


@pytest.mark.parametrize(
    "written",
    [
        "UNLIREC",
        "UN LIREC",
        "UN-LIREC",
        "LiREC",
        "UN Regional Centre for Peace, Disarmament and Development in Latin America",
    ],
)
def test_every_unlirec_spelling_is_one_identity(resolver: Resolver, written: str) -> None:
    result = resolver.resolve(written)
    assert result.entry is not None and result.entry.id == "unlirec"
    assert result.method in {"exact", "alias"}


def test_a_misspelled_long_name_resolves_fuzzily_with_its_score(resolver: Resolver) -> None:
    result = resolver.resolve("United Nations Office for Disarmament Afairs")
    assert result.entry is not None and result.entry.id == "unoda"
    assert result.method == "fuzzy" and 90 <= result.score < 100


def test_a_misspelled_acronym_is_never_fuzzy_but_keeps_candidates(resolver: Resolver) -> None:
    result = resolver.resolve("UN LIRECC")
    assert result.entry is None and result.method == "unresolved"
    assert result.candidates and result.candidates[0][0].id == "unlirec"


def test_an_unknown_name_is_unresolved(resolver: Resolver) -> None:
    result = resolver.resolve("Gorgas Institute for Health Research")
    assert result.entry is None and result.method == "unresolved"


def test_a_name_listed_by_two_entries_is_ambiguous_not_merged(resolver: Resolver) -> None:
    result = resolver.resolve("AECO Agency")
    assert result.entry is None
    assert {e.id for e in result.ambiguous} == {"x1", "x2"}


def test_a_close_runner_up_blocks_a_fuzzy_match(resolver: Resolver) -> None:
    result = resolver.resolve("Gamma Export Control Office")
    assert result.entry is None
