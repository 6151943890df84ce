"""The rule bundle: every rule file loaded once, a folder of user files replacing shipped ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.cli.main import app
from note_extract.core.errors import ConfigError, RuleFileError
from note_extract.core.resources import data_path
from note_extract.core.settings import Settings, load_settings
from note_extract.layout.labels import field_of_label
from note_extract.pipeline import Pipeline
from note_extract.rules.bundle import GAZETTEER_FILE, REGISTRY_FILE, Rules, rule_files, shipped_rules

from .conftest import extract

runner = CliRunner()

NEW_LABEL = "Steered by"
NOTE = f"""Event: Regional Workshop on Export Control Enforcement
Date and venue: 14-16 March 2016, Vienna, Austria
{NEW_LABEL}: United Nations Office for Disarmament Affairs (UNODA)

1. Background

The workshop gathered customs officers of the region.
"""


def _labels_with(label: str) -> str:
    """The shipped labels.jsonl with ``label`` added to the organizers' labels."""
    lines = []
    for line in data_path("labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.startswith("{") and json.loads(line)["field"] == "organizers":
            row = json.loads(line)
            row["labels"].append(label)
            line = json.dumps(row, ensure_ascii=False)
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A rules folder that changes one file: labels.jsonl with a new organizers label."""
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "labels.jsonl").write_text(_labels_with(NEW_LABEL), encoding="utf-8")
    return rules


def _organizer_ids(pipeline: Pipeline) -> list[str | None]:
    return [ref.id for ref in extract(pipeline, NOTE).organizers]


def test_an_override_label_gives_organizers_only_with_the_override(folder: Path) -> None:
    assert _organizer_ids(Pipeline(Settings())) == []
    assert _organizer_ids(Pipeline(Settings(rules=folder))) == ["unoda"]


def test_two_pipelines_with_different_rules_do_not_mix(folder: Path) -> None:
    """Derived tables live on each bundle: whichever runs first, each pipeline keeps its own."""
    mine = Pipeline(Settings(rules=folder))
    shipped = Pipeline(Settings())
    for _ in range(2):
        assert _organizer_ids(mine) == ["unoda"]
        assert _organizer_ids(shipped) == []
    assert field_of_label(mine.rules, NEW_LABEL) == "organizers"
    assert field_of_label(shipped.rules, NEW_LABEL) is None
    assert field_of_label(shipped_rules(), NEW_LABEL) is None


def test_the_override_is_read_and_the_rest_is_shipped(folder: Path) -> None:
    rules = Rules.load(folder)
    assert rules.path("labels.jsonl") == folder / "labels.jsonl"
    assert rules.overridden("labels.jsonl")
    assert not rules.overridden("prose.jsonl")
    assert rules.path("prose.jsonl") == data_path("prose.jsonl")


def test_the_digest_changes_with_an_override(folder: Path) -> None:
    assert Rules.load().digest == shipped_rules().digest
    assert Rules.load(folder).digest != shipped_rules().digest
    assert Pipeline(Settings(rules=folder)).extractor.rules_sha256 != Pipeline().extractor.rules_sha256
    empty = folder.parent / "empty"
    empty.mkdir()
    assert Rules.load(empty).digest == shipped_rules().digest


def test_the_registry_setting_replaces_organizations_and_wins_over_the_folder(
    folder: Path, tmp_path: Path
) -> None:
    shipped = data_path(REGISTRY_FILE).read_text(encoding="utf-8")
    (folder / REGISTRY_FILE).write_text(shipped, encoding="utf-8")
    registry = tmp_path / "orgs.jsonl"
    registry.write_text(shipped, encoding="utf-8")
    assert Rules.load(folder).path(REGISTRY_FILE) == folder / REGISTRY_FILE
    assert Rules.load(folder, registry).path(REGISTRY_FILE) == registry


def test_a_bad_row_in_an_override_names_the_file_and_line(folder: Path) -> None:
    path = folder / "venue.jsonl"
    path.write_text('# virtual venues\n{"kind": "virtual", "words": ["online"]}\n{"kind": "moon"}\n')
    with pytest.raises(RuleFileError, match=r"my-rules/venue\.jsonl:3: kind"):
        Rules.load(folder)
    with pytest.raises(RuleFileError, match=r"venue\.jsonl:3"):
        Pipeline(Settings(rules=folder))


def test_a_registry_override_is_cross_checked_at_load(folder: Path) -> None:
    row = '{"id": "x", "name": "Some Body", "type": "ngo"}\n'
    (folder / REGISTRY_FILE).write_text(row + row, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"organizations\.jsonl:2: .*repeats id 'x'"):
        Rules.load(folder)


def test_an_unknown_file_name_is_an_error_listing_the_known_ones(folder: Path) -> None:
    (folder / "label.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"label\.jsonl: not a known rule file \(known: .*labels\.jsonl"):
        Rules.load(folder)


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="no such rules folder"):
        Rules.load(tmp_path / "nowhere")


def test_every_shipped_rule_file_is_known() -> None:
    """A new rule file must be added to the table."""
    shipped = {p.name for p in data_path(".").iterdir() if p.suffix in {".jsonl", ".gz"}}
    assert shipped == set(rule_files())
    assert GAZETTEER_FILE in rule_files()
    assert rule_files()[GAZETTEER_FILE].model is None  # read on first use, not at load


def test_a_language_override_is_checked_against_the_rules_in_force(folder: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown language 'de' \(known: en, es, fr"):
        Pipeline(Settings(languages=("en", "de")))
    rows = data_path("date_words.jsonl").read_text(encoding="utf-8").splitlines()
    english = next(json.loads(r) for r in rows if r.startswith("{") and json.loads(r)["language"] == "en")
    german = {**english, "language": "de"}
    (folder / "date_words.jsonl").write_text("\n".join([*rows, json.dumps(german)]) + "\n", encoding="utf-8")
    assert Pipeline(Settings(rules=folder, languages=("en", "de"))).rules.overridden("date_words.jsonl")


def test_the_rules_setting_is_read_relative_to_the_settings_file(tmp_path: Path, folder: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f'rules = "{folder.name}"\n', encoding="utf-8")
    assert load_settings(config).rules == folder.resolve()


def test_cli_extract_and_run_take_rules(folder: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    plain = runner.invoke(app, ["extract", str(note)])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["organizers"] == []
    result = runner.invoke(app, ["extract", str(note), "--rules", str(folder)])
    assert result.exit_code == 0, result.output
    assert [o["id"] for o in json.loads(result.stdout)["organizers"]] == ["unoda"]
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(note), "-o", str(out), "--workers", "2", "--rules", str(folder)])
    assert result.exit_code == 0, result.output
    record = json.loads((out / "note.json").read_text(encoding="utf-8"))
    assert [o["id"] for o in record["organizers"]] == ["unoda"]


def test_cli_rules_from_the_settings_file_reach_the_workers(folder: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a", "b"):
        (notes / f"{name}.txt").write_text(NOTE, encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(f'rules = "{folder.name}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(notes), "-o", str(out), "-w", "2", "--config", str(config)])
    assert result.exit_code == 0, result.output
    for name in ("a", "b"):
        record = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert [o["id"] for o in record["organizers"]] == ["unoda"]


def test_cli_a_missing_or_bad_rules_folder_is_a_usage_error(folder: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    missing = runner.invoke(app, ["run", str(note), "-o", str(tmp_path / "out"), "--rules", "no/such/dir"])
    assert missing.exit_code == 2
    assert "no/such/dir" in missing.stderr
    assert not (tmp_path / "out").exists()
    shutil.copy(data_path("labels.jsonl"), folder / "lables.jsonl")
    typo = runner.invoke(app, ["extract", str(note), "--rules", str(folder)])
    assert typo.exit_code == 2
    assert "lables.jsonl: not a known rule file" in typo.stderr
    checked = runner.invoke(app, ["check", str(note), "--rules", str(folder)])
    assert checked.exit_code == 2
    assert "lables.jsonl" in checked.stderr


def test_cli_rules_lists_every_file_and_the_overridden_path(folder: Path) -> None:
    result = runner.invoke(app, ["rules", "--rules", str(folder)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert set(rule_files()) <= set(lines)
    assert str(folder / "labels.jsonl") in lines["labels.jsonl"]
    assert lines["prose.jsonl"].endswith("shipped")
    assert lines[GAZETTEER_FILE].split()[1] == "lazy"
    assert lines["digest"].split()[1] == Rules.load(folder).digest


def _catalogue_with(code: str, **changes: str) -> str:
    """The shipped findings.jsonl with one code's row changed."""
    lines = []
    for line in data_path("findings.jsonl").read_text(encoding="utf-8").splitlines():
        if line.startswith("{") and json.loads(line)["code"] == code:
            line = json.dumps({**json.loads(line), **changes}, ensure_ascii=False)
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_an_override_catalogue_rewords_issues_and_changes_what_check_fails_on(tmp_path: Path) -> None:
    rules = tmp_path / "wording"
    rules.mkdir()
    (rules / "findings.jsonl").write_text(
        _catalogue_with("title-missing", message="no title: add one", check="off"), encoding="utf-8"
    )
    note = tmp_path / "n.txt"
    note.write_text("Organizers: UNODA\nDate and venue: 4 May 2017, Vienna, Austria\n", encoding="utf-8")
    shipped = extract(Pipeline(), note.read_text(encoding="utf-8"))
    changed = extract(Pipeline(Settings(rules=rules)), note.read_text(encoding="utf-8"))
    assert [i.message for i in shipped.issues if i.code == "title-missing"] == [
        "the note gives no event title"
    ]
    assert [i.message for i in changed.issues if i.code == "title-missing"] == ["no title: add one"]
    assert runner.invoke(app, ["check", str(note)]).exit_code == 1
    passed = runner.invoke(app, ["check", str(note), "--rules", str(rules)])
    assert passed.exit_code == 0, passed.output


def test_an_override_catalogue_that_drops_a_code_is_refused_with_its_file(tmp_path: Path) -> None:
    rules = tmp_path / "short"
    rules.mkdir()
    kept = [line for line in _catalogue_with("x").splitlines() if '"code": "ocr-repaired"' not in line]
    (rules / "findings.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"short/findings\.jsonl: no row for code 'ocr-repaired'"):
        Rules.load(rules)


def test_an_override_catalogue_that_repeats_a_code_is_refused_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "twice"
    rules.mkdir()
    text = _catalogue_with("x")
    rows = [line for line in text.splitlines() if line.startswith("{")]
    (rules / "findings.jsonl").write_text(text + rows[0] + "\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    with pytest.raises(
        RuleFileError, match=rf"twice/findings\.jsonl:{line}: code 'unreadable' is already listed"
    ):
        Rules.load(rules)
