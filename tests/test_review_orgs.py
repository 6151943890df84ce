"""orgs suggest / orgs add: proposals from a batch, merged into a user registry, and a registry that
refuses a name two entries would share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.batch.batch import run_batch
from note_extract.batch.records import load_batch
from note_extract.cli.main import app
from note_extract.core.errors import RuleFileError
from note_extract.core.models import NoteRecord
from note_extract.core.resources import data_path
from note_extract.core.settings import Settings
from note_extract.lexicon.registry import load_registry
from note_extract.pipeline import Pipeline
from note_extract.review.suggest import acronym_pairs, long_form, suggest

from .conftest import NOTES_DIR, RAW_DIR

runner = CliRunner()


def _batch(out: Path, settings: Settings, *folders: Path) -> list[NoteRecord]:
    for folder in folders:
        summary = run_batch(folder, out, settings, workers=1, force=True)
        assert summary.count("failed") == 0
    return [item.record for item in load_batch(out)]


def _unresolved(records: list[NoteRecord]) -> set[str]:
    """Names written in org-unresolved issues, read from the raw text through the issue's span."""
    names = set()
    for record in records:
        for issue in record.issues:
            if issue.code == "org-unresolved":
                assert issue.span is not None
                names.add(issue.message.split('"')[1])
    return names


def test_suggest_then_add_resolves_what_the_seeds_leave_unresolved(tmp_path: Path) -> None:
    records = _batch(tmp_path / "out", Settings(), RAW_DIR, NOTES_DIR)
    unresolved = _unresolved(records)
    assert unresolved, "the seeds and tests/notes have unresolved organizations today"
    proposals = tmp_path / "suggestions.jsonl"
    result = runner.invoke(
        app,
        [
            "orgs",
            "suggest",
            str(tmp_path / "out"),
            "-o",
            str(proposals),
            "--notes",
            str(RAW_DIR),
            "--notes",
            str(NOTES_DIR),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in proposals.read_text(encoding="utf-8").splitlines()]
    spelled = {text for row in rows for text in row["spellings"]}
    assert unresolved <= spelled
    for row in rows:
        assert row["evidence"] and all(e["note"] in {r.id for r in records} for e in row["evidence"])
    registry = tmp_path / "my_orgs.jsonl"
    result = runner.invoke(app, ["orgs", "add", str(proposals), "--registry", str(registry)])
    assert result.exit_code == 0, result.output
    assert f"created {registry}" in result.output
    shipped = load_registry()
    mine = load_registry(registry)
    assert len(mine) == len(shipped) + sum(1 for row in rows if row["action"] == "new")
    after = _batch(tmp_path / "again", Settings(registry=registry), RAW_DIR, NOTES_DIR)
    assert not _unresolved(after) & unresolved
    # applying the same proposals again changes nothing
    again = runner.invoke(app, ["orgs", "add", str(proposals), "--registry", str(registry)])
    assert again.exit_code == 1 and "already in the registry" in again.output
    assert load_registry(registry) == mine


def test_registry_loading_refuses_a_shared_alias(tmp_path: Path) -> None:
    path = tmp_path / "orgs.jsonl"
    path.write_text(
        '# two entries\n{"id": "a", "name": "Alpha Group", "type": "ngo", "aliases": ["The Group"]}\n\n'
        '{"id": "b", "name": "Beta Group", "type": "ngo", "aliases": ["group"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"orgs\.jsonl:4: 'b' lists 'group', which 'a' \(line 2\)"):
        load_registry(path)
    acronyms = tmp_path / "acr.jsonl"
    acronyms.write_text(
        '{"id": "a", "name": "Alpha Group", "type": "ngo", "acronyms": ["UN AG"]}\n'
        '{"id": "b", "name": "Beta Group", "type": "ngo", "acronyms": ["UNAG"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"acr\.jsonl:2: 'b' lists 'UNAG'"):
        load_registry(acronyms)


def test_add_refuses_an_alias_another_entry_lists_and_keeps_the_rest(tmp_path: Path) -> None:
    registry = tmp_path / "mine.jsonl"
    registry.write_text(
        "# my registry\n"
        '{"id": "alpha", "name": "Alpha Network", "type": "ngo"}\n'
        '{"id": "beta", "name": "Beta Institute", "acronyms": ["BI"], "type": "academic"}\n',
        encoding="utf-8",
    )
    proposals = tmp_path / "p.jsonl"
    common = '"reason": "r", "spellings": {}, "notes": [], "evidence": []'
    proposals.write_text(
        f'{{"action": "aliases", "id": "alpha", "name": "Alpha Network", "acronyms": ["AN"], '
        f'"aliases": ["Beta Institute", "Alpha Net"], {common}}}\n'
        f'{{"keep": false, "action": "new", "id": "gamma", "name": "Gamma", {common}}}\n'
        f'{{"action": "new", "id": "delta", "name": "Delta Council", "acronyms": ["BI"], {common}}}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["orgs", "add", str(proposals), "--registry", str(registry)])
    assert result.exit_code == 1, result.output
    assert "refused: alpha: 'Beta Institute' is already listed by beta" in result.output
    assert "refused: delta: 'BI' is already listed by beta" in result.output
    assert "1 change(s), 2 refused, 1 not kept" in result.output
    lines = registry.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# my registry" and lines[2].startswith('{"id": "beta"')
    entry = load_registry(registry).by_id["alpha"]
    assert entry.acronyms == ("AN",) and entry.aliases == ("Alpha Net",)
    assert set(load_registry(registry).by_id) == {"alpha", "beta"}


def test_add_without_a_user_registry_is_a_usage_error(tmp_path: Path) -> None:
    proposals = tmp_path / "p.jsonl"
    proposals.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["orgs", "add", str(proposals), "--config", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('\n{"action": "rename", "id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["orgs", "add", str(bad), "--registry", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 2 and "bad.jsonl:2: action" in result.output


def test_long_forms_before_an_acronym() -> None:
    assert long_form("the European External Action Service ", "EEAS") == "European External Action Service"
    assert long_form("with the Istanbul Cooperation Initiative ", "ICI") == "Istanbul Cooperation Initiative"
    assert long_form("adopted resolution ", "2004") is None
    assert long_form("met in Panama. Then the ", "OAS") is None
    pairs = acronym_pairs(["the Gulf Research Centre (GRC) and the Gulf Research Centre (GRC)."])
    assert dict(pairs["GRC"]) == {"Gulf Research Centre": 2}


NOTE = """Event: Workshop on export controls
Organizers: {orgs}
Date and Venue: 3-4 May 2016, Lima, Peru

1. Background
{body}
"""


def test_clusters_join_acronyms_long_names_and_spellings(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text(
        NOTE.format(
            orgs="Andean Export Control Network and UNODA",
            body="The Andean Export Control Network (AECN) hosted the meeting.",
        ),
        encoding="utf-8",
    )
    (notes / "b.txt").write_text(
        NOTE.format(orgs="AECN, Andean Export Controls Network", body="Nothing else."), encoding="utf-8"
    )
    (notes / "c.txt").write_text(
        NOTE.format(orgs="Pacific Maritime Safety Forum", body="No acronym here."), encoding="utf-8"
    )
    records = _batch(tmp_path / "out", Settings(), notes)
    texts = [p.read_text(encoding="utf-8") for p in sorted(notes.iterdir())]
    proposals = suggest(records, texts, Pipeline(Settings()).resolver)
    by_name = {p.name: p for p in proposals}
    assert set(by_name) == {"Andean Export Control Network", "Pacific Maritime Safety Forum"}, proposals
    aecn = by_name["Andean Export Control Network"]
    assert aecn.action == "new" and aecn.id == "aecn" and aecn.acronyms == ("AECN",)
    assert aecn.aliases == ("Andean Export Controls Network",)
    assert aecn.notes == ("a", "b") and sum(aecn.spellings.values()) == len(aecn.evidence) >= 3
    pmsf = by_name["Pacific Maritime Safety Forum"]
    assert pmsf.acronyms == () and pmsf.notes == ("c",)


def test_shipped_registry_copy_is_what_add_starts_from(tmp_path: Path) -> None:
    proposals = tmp_path / "p.jsonl"
    proposals.write_text(
        '{"action": "new", "id": "zz-new", "name": "Zeta Zone Network", "reason": "r", '
        '"spellings": {}, "notes": [], "evidence": []}\n',
        encoding="utf-8",
    )
    target = tmp_path / "sub" / "reg.jsonl"
    result = runner.invoke(app, ["orgs", "add", str(proposals), "--registry", str(target)])
    assert result.exit_code == 0, result.output
    shipped = data_path("organizations.jsonl").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8").startswith(shipped)
    assert load_registry(target).by_id["zz-new"].name == "Zeta Zone Network"


def test_fuzzy_spellings_become_aliases_of_their_entry(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text(
        NOTE.format(orgs="United Nations Ofice for Disarmament Afairs", body="No acronym here."),
        encoding="utf-8",
    )
    records = _batch(tmp_path / "out", Settings(), notes)
    assert records[0].organizers[0].match.method == "fuzzy"
    proposals = suggest(records, [], Pipeline(Settings()).resolver)
    assert [(p.action, p.id, p.aliases) for p in proposals] == [
        ("aliases", "unoda", ("United Nations Ofice for Disarmament Afairs",))
    ]
    registry = tmp_path / "reg.jsonl"
    path = tmp_path / "p.jsonl"
    path.write_text(proposals[0].model_dump_json() + "\n", encoding="utf-8")
    result = runner.invoke(app, ["orgs", "add", str(path), "--registry", str(registry)])
    assert (
        result.exit_code == 0 and "~ unoda: + 'United Nations Ofice for Disarmament Afairs'" in result.output
    )
    again = _batch(tmp_path / "again", Settings(registry=registry), notes)
    assert again[0].organizers[0].match.method == "alias" and again[0].organizers[0].id == "unoda"


def _record(refs: list[tuple[str, int]], note: str = "n1") -> NoteRecord:
    """A record whose participants are the given unresolved names (text, start)."""
    from note_extract.api import extract
    from note_extract.core.models import EntityRef, Match

    record = extract("Event: Workshop\nDate and venue: 3 May 2016, Lima, Peru\n", note_id=note)
    members = [
        EntityRef(
            text=text,
            span=(start, start + len(text)),
            id=None,
            name=None,
            match=Match(method="unresolved", score=0),
        )
        for text, start in refs
    ]
    group = {"label": None, "members": [m.model_dump() for m in members], "found_in": "text"}
    return NoteRecord.model_validate({**record.model_dump(), "participants": [group]})


def test_suggest_proposes_no_state_body_without_its_state_and_no_persons_title() -> None:
    resolver = Pipeline(Settings()).resolver
    names = [
        "Customs",
        "Police Force",
        "Port Authority",
        "Ministry of Foreign Affairs",
        "National Superintendence of Tax Administration",
        "Acting Director for Peace and Security Department",
        "Senior Associate Stimson Centre",
        "Committee Members",
        "Arab Institute for Security Studies",
        "Global Emerging Pathogens Treatment Consortium",
    ]
    start, refs = 0, []
    for name in names:
        refs.append((name, start))
        start += len(name) + 2
    proposed = {p.name for p in suggest([_record(refs)], [], resolver)}
    assert proposed == {
        "Arab Institute for Security Studies",
        "Global Emerging Pathogens Treatment Consortium",
    }


def test_suggest_normalizes_whitespace_cuts_ids_between_words_and_merges_one_identity() -> None:
    resolver = Pipeline(Settings()).resolver
    long_name = "Caribbean Regional Coordination Mechanism for Nonproliferation Outreach and Training"
    refs = [("Regional Biosafety\nNetwork", 0), (long_name, 40)]
    proposals = suggest([_record(refs)], [], resolver)
    by_name = {p.name: p for p in proposals}
    assert "Regional Biosafety Network" in by_name
    assert all("\n" not in text for p in proposals for text in (p.name, *p.aliases, *p.spellings))
    long_id = by_name[long_name].id
    assert len(long_id) <= 48 and long_name.lower().replace(" ", "-").startswith(long_id)
    texts = ["the Security Council Committee established pursuant to resolution 1540 (1540 Committee) met"]
    refs = [("Security Council's 1540 Committee", 0), ("the 1540 Committe", 60), ("UNSC 1540 Comittee", 90)]
    ids = [p.id for p in suggest([_record(refs)], texts, resolver) if p.action == "aliases"]
    assert len(ids) == len(set(ids))


def test_add_refuses_control_characters(tmp_path: Path) -> None:
    from note_extract.review.registry_add import add_proposals
    from note_extract.review.suggest import Proposal

    proposal = Proposal(
        action="new",
        id="un-1540",
        name="UN 1540\nCommittee",
        reason="r",
        spellings={"UN 1540\nCommittee": 1},
        notes=("n1",),
        evidence=(),
    )
    report = add_proposals([proposal], tmp_path / "orgs.jsonl")
    assert report.refused and "control" in report.refused[0]
    assert not report.changes and not (tmp_path / "orgs.jsonl").exists()
