"""Compact gold files: what each rule counts, and how a gold name matches an output entity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from note_extract.core.errors import InputError
from note_extract.quality.gold import NameMatcher, is_compact, load_aliases, norm, score_compact

from .conftest import GOLDEN_DIR

AGENCY = {"text": "Office for Disarmament Affairs", "id": None}


def record(note_id: str = "n1", **parts: Any) -> dict[str, Any]:
    """A minimal record: the event fields and roles the compact scorer reads."""
    event = {
        "title": parts.pop("title", None),
        "start_date": parts.pop("start", None),
        "end_date": parts.pop("end", None),
        "venue": {
            "city": parts.pop("city", None),
            "country_code": parts.pop("country", None),
            "virtual": parts.pop("virtual", False),
        },
    }
    base: dict[str, Any] = {
        "id": note_id,
        "event": event,
        "organizers": [],
        "sponsors": [],
        "hosts": [],
        "observers": [],
        "participants": [],
        "mentions": {"resolutions": parts.pop("resolutions", [])},
    }
    base.update(parts)
    return base


def gold(note_id: str = "n1", **fields: Any) -> dict[str, Any]:
    return {"id": note_id, **fields}


def counts(rec: dict[str, Any], g: dict[str, Any], matcher: NameMatcher | None = None) -> dict[str, Any]:
    report = score_compact({rec["id"]: rec}, {g["id"]: g}, matcher or NameMatcher())
    return {name: (t.hits, t.total) for name, t in report.fields.items()}


def test_norm_ignores_case_accents_punctuation_and_small_words() -> None:
    assert norm("The São-Paulo “Workshop” on U.S. Export") == "sao paulo workshop export"
    assert norm(None) == "" and norm("Addis-Abeba") == norm("addis abeba")
    assert norm("Kingston") != norm("Kingstown")


def test_a_star_is_not_scored_and_null_means_rightly_empty() -> None:
    g = gold(title="*", start=None, end="2020-01-02", city=None, country="JM")
    c = counts(record(title="Anything", start=None, end="2020-01-02", country="JM"), g)
    assert "title" not in c
    assert c["start"] == (1, 1) and c["end"] == (1, 1) and c["city"] == (1, 1) and c["country"] == (1, 1)
    c = counts(record(start="2020-01-01", city="Kingston"), g)
    assert c["start"] == (0, 1) and c["city"] == (0, 1) and c["end"] == (0, 1) and c["country"] == (0, 1)


def test_titles_and_cities_compare_leniently_and_a_city_may_have_several_spellings() -> None:
    g = gold(title="UN Workshop on UNSCR 1540", city=["Addis-Abeba", "Addis Ababa"])
    assert counts(record(title="un workshop, UNSCR 1540", city="Addis Ababa"), g)["title"] == (1, 1)
    assert counts(record(city="ADDIS-ABEBA"), g)["city"] == (1, 1)
    assert counts(record(city="Addis"), g)["city"] == (0, 1)
    assert counts(record(title="UN Workshop on UNSCR 1810"), g)["title"] == (0, 1)


def test_virtual_is_scored_only_when_the_gold_has_it() -> None:
    assert "virtual" not in counts(record(virtual=True), gold())
    assert counts(record(virtual=True), gold(virtual=False))["virtual"] == (0, 1)
    assert counts(record(virtual=None), gold(virtual=False))["virtual"] == (1, 1)


def test_roles_count_recall_precision_and_acceptable_extras() -> None:
    g = gold(organizers=["UNODA", "Peru"], organizers_ok=["OSCE"], sponsors=[], hosts=None)
    rec = record(
        organizers=[
            {"text": "UNODA", "id": "unoda"},
            {"text": "OSCE", "id": "osce"},  # acceptable, not required
            {"text": "Nowhere Institute", "id": None},  # wrong extra
        ],
        sponsors=[{"text": "Canada", "id": "country:CA"}],  # the gold says nobody funded it
        hosts=[{"text": "Peru", "id": "country:PE"}],  # null: rightly empty
    )
    c = counts(rec, g)
    assert c["organizers.recall"] == (1, 2) and c["organizers.precision"] == (2, 3)
    assert c["sponsors.recall"] == (0, 0) and c["sponsors.precision"] == (0, 1)
    assert c["hosts.precision"] == (0, 1)
    report = score_compact({"n1": rec}, {"n1": g}, NameMatcher())
    assert "n1: organizers: missing 'Peru'" in report.misses
    assert "n1: organizers: extra ['nowhere institute']" in report.misses


def test_participants_are_recall_only_and_read_from_every_group() -> None:
    g = gold(participants=["Belarus", "Serbia", "India"])
    groups = [
        {"label": "States", "members": [{"text": "Belarus", "id": "country:BY"}]},
        {"label": None, "members": [{"text": "Serbia", "id": "country:RS"}, {"text": "Chad"}]},
    ]
    c = counts(record(participants=groups), g)
    assert c["participants.recall"] == (2, 3) and "participants.precision" not in c


def test_resolutions_are_number_and_year() -> None:
    g = gold(resolutions=["1540 (2004)", "1810 (2008)"])
    found = [{"number": 1540, "year": 2004}, {"number": 1810, "year": None}]
    assert counts(record(resolutions=found), g)["resolutions.recall"] == (1, 2)


def test_a_gold_file_without_a_record_counts_five_misses() -> None:
    report = score_compact({}, {"n1": gold(title="*", organizers=["UNODA"])}, NameMatcher())
    assert report.missing == ["n1"] and "n1: no output record" in report.misses
    assert {n: (t.hits, t.total) for n, t in report.fields.items()} == dict.fromkeys(
        ("title", "start", "end", "city", "country"), (0, 1)
    )


def test_a_name_matches_by_identity_through_the_registry_and_the_country_index() -> None:
    m = NameMatcher()
    assert m.gold_id("UNODA") == "unoda" and m.gold_id("Jamaica") == "country:JM"
    assert m.gold_id("Nowhere Institute") is None
    # No shared form: only the identity ties them.
    assert m.why("Jamaica", {"text": "Gouvernement jamaïcain", "id": "country:JM"}) == "id"
    assert m.why("United Nations Office for Disarmament Affairs", {"text": "ODA", "id": "unoda"}) == "id"
    assert m.why("UNODA", {"text": "UNODC", "id": "unodc"}) is None


def test_a_match_by_identity_alone_is_listed() -> None:
    rec = record(hosts=[{"text": "the host country", "id": "country:JM"}])
    report = score_compact({"n1": rec}, {"n1": gold(hosts=["Jamaica"])}, NameMatcher())
    assert report.fields["hosts.recall"].hits == 1 and report.fields["hosts.precision"].hits == 1
    assert report.by_id_only == [
        "n1: hosts: 'Jamaica' = country:JM",
        "n1: hosts: output country:JM is a gold name",
    ]


def test_a_name_matches_by_form_by_alias_table_or_closely() -> None:
    m = NameMatcher()
    assert m.why("The OSCE", {"text": "osce", "id": None}) == "form"
    assert m.why("UNODA", {"text": "ODA", "id": None, "acronym": "UNODA"}) == "form"
    close = {"text": "Organisation for the Prohibition of Chemical Weapon", "id": None}
    assert m.why("Organization for the Prohibition of Chemical Weapons", close) == "fuzzy"
    assert m.why("Organization for the Prohibition of Biological Weapons", close) is None
    assert m.why("UNODA", AGENCY) is None
    with_table = NameMatcher(aliases=(frozenset({norm("UNODA"), norm("Office for Disarmament Affairs")}),))
    assert with_table.why("UNODA", AGENCY) == "form"
    assert m.why("ISS", {"text": "ISN", "id": None}) is None  # short forms never match closely


def test_the_format_is_told_per_file() -> None:
    golden = json.loads(sorted(GOLDEN_DIR.glob("*.json"))[0].read_text(encoding="utf-8"))
    assert not is_compact(golden)
    assert is_compact(gold(title="*", organizers=["UNODA"]))


def test_an_alias_table_is_validated(tmp_path: Path) -> None:
    table = tmp_path / "aliases.json"
    table.write_text('{"UNODA": ["Office for Disarmament Affairs"]}', encoding="utf-8")
    assert load_aliases(table) == (frozenset({"unoda", "office disarmament affairs"}),)
    table.write_text('{"UNODA": "Office for Disarmament Affairs"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"aliases\.json"):
        load_aliases(table)


def test_a_role_given_as_a_star_is_skipped() -> None:
    rec = record(hosts=[{"text": "Kenya", "id": "country:KE"}])
    c = counts(rec, gold(hosts="*", sponsors=["EU"]))
    assert "hosts.recall" not in c and "hosts.precision" not in c and c["sponsors.recall"] == (0, 1)
