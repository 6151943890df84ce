"""Regressions for the defects found by hostile testing (numbered as in the issue that lists them):
data loss, crashes and hangs, wrong output and misleading messages."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.cli.main import app

runner = CliRunner()

NOTE = "Event: A workshop\n\nOrganizers: UNODA\n\nDate and venue: 4 October 2017, Lima, Peru\n"
COMMON = '"reason": "r", "spellings": {}, "notes": [], "evidence": []'


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test in its own folder, so no ./pyproject.toml is picked up."""
    monkeypatch.chdir(tmp_path)


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _records(tmp_path: Path, name: str = "out", notes: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir(exist_ok=True)
    for file, text in (notes or {"a.txt": NOTE}).items():
        (folder / file).write_text(text, encoding="utf-8")
    code, output = _run("run", str(folder), "-o", str(tmp_path / name), "-w", "1")
    assert code == 0, output
    return tmp_path / name


# 1. review deletes folders it does not own


def test_review_refuses_a_folder_holding_files_it_did_not_write(tmp_path: Path) -> None:
    out = _records(tmp_path, "records")
    code, output = _run("review", str(out), "-o", ".", "--notes", "notes")
    assert code == 2, output
    assert "error:" in output and "did not write" in output
    assert (tmp_path / "notes" / "a.txt").read_text(encoding="utf-8") == NOTE
    assert (out / "a.json").is_file()


def test_review_replaces_its_own_site_and_refuses_a_linked_folder(tmp_path: Path) -> None:
    out = _records(tmp_path)
    site = tmp_path / "site"
    for _ in range(2):  # a site it wrote is its own to replace
        code, output = _run("review", str(out), "-o", str(site), "--notes", "notes")
        assert code == 0, output
    assert (site / "notes" / "a.html").is_file()
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "mine.txt").write_text("mine", encoding="utf-8")
    for entry in (site / "notes").iterdir():
        entry.unlink()
    (site / "notes").rmdir()
    (site / "notes").symlink_to(keep)
    code, output = _run("review", str(out), "-o", str(site), "--notes", "notes")
    assert code == 2, output
    assert "symbolic link" in output
    assert (keep / "mine.txt").read_text(encoding="utf-8") == "mine"


# 2. run m -o m overwrites the user's own m/a.json


def test_run_never_overwrites_a_json_file_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "a.txt").write_text(NOTE, encoding="utf-8")
    mine = '{"my": "data"}\n'
    (folder / "a.json").write_text(mine, encoding="utf-8")
    code, output = _run("run", str(folder), "-o", str(folder), "-w", "1")
    assert code == 1, output
    assert "a.json exists and is not a record" in output
    assert (folder / "a.json").read_text(encoding="utf-8") == mine
    (folder / "a.json").unlink()
    code, output = _run("run", str(folder), "-o", str(folder), "-w", "1", "--force")
    assert code == 0, output
    code, output = _run("run", str(folder), "-o", str(folder), "-w", "1", "--force")
    assert code == 0, output  # its own record it replaces


# 3. orgs add: lock, line endings, symbolic links


def _new(org_id: str, name: str) -> str:
    return f'{{"action": "new", "id": "{org_id}", "name": "{name}", "type": "ngo", {COMMON}}}\n'


def test_orgs_add_keeps_crlf_line_ends_and_writes_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_bytes(
        b'# mine\r\n{"id": "alpha", "name": "Alpha Network", "type": "ngo"}\r\n'
        b'{"id": "beta", "name": "Beta Institute", "type": "academic"}\r\n'
    )
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    proposals = tmp_path / "p.jsonl"
    proposals.write_text(
        _new("gamma", "Gamma Council")
        + '{"action": "aliases", "id": "alpha", "name": "Alpha Network", "aliases": ["Alpha Net"], '
        + COMMON
        + "}\n",
        encoding="utf-8",
    )
    code, output = _run("orgs", "add", str(proposals), "--registry", str(link))
    assert code == 0, output
    assert link.is_symlink()
    data = real.read_bytes()
    assert data.count(b"\r\n") == 4 and b"\n" not in data.replace(b"\r\n", b"")
    assert b"Gamma Council" in data and b"Alpha Net" in data
    assert data.startswith(b'# mine\r\n{"id": "alpha", "name": "Alpha Network", "aliases": ["Alpha Net"]')


def test_concurrent_orgs_add_lose_no_addition(tmp_path: Path) -> None:
    from note_extract.review.registry_add import add_proposals, read_proposals

    registry = tmp_path / "mine.jsonl"
    registry.write_text('{"id": "alpha", "name": "Alpha Network", "type": "ngo"}\n', encoding="utf-8")
    files = []
    for n in range(6):
        path = tmp_path / f"p{n}.jsonl"
        path.write_text(_new(f"org{n}", f"Organization Number {n} Council"), encoding="utf-8")
        files.append(path)
    threads = [
        threading.Thread(target=add_proposals, args=(read_proposals(path), registry)) for path in files
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = {json.loads(line)["id"] for line in registry.read_text(encoding="utf-8").splitlines()}
    assert ids == {"alpha", *(f"org{n}" for n in range(6))}


# 15. orgs add accepts empty and stop-word aliases


@pytest.mark.parametrize(
    ("acronyms", "aliases"),
    [([], ["", " "]), ([], ["the"]), ([], ["of"]), (["A"], []), ([""], []), ([], ["Good\x1b]0;x\x07 Name"])],
)
def test_orgs_add_refuses_names_that_cannot_name_an_organization(
    tmp_path: Path, acronyms: list[str], aliases: list[str]
) -> None:
    registry = tmp_path / "mine.jsonl"
    before = '{"id": "alpha", "name": "Alpha Network", "type": "ngo"}\n'
    registry.write_text(before, encoding="utf-8")
    proposals = tmp_path / "p.jsonl"
    proposals.write_text(
        json.dumps(
            {
                "action": "aliases",
                "id": "alpha",
                "name": "Alpha Network",
                "acronyms": acronyms,
                "aliases": aliases,
                "reason": "r",
                "spellings": {},
                "notes": [],
                "evidence": [],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, output = _run("orgs", "add", str(proposals), "--registry", str(registry))
    assert code == 1, output
    assert "refused: alpha: the name" in output
    assert registry.read_text(encoding="utf-8") == before


# 16. incremental runs trust stale records


def test_a_record_of_another_extractor_version_is_redone(tmp_path: Path) -> None:
    out = _records(tmp_path)
    record = json.loads((out / "a.json").read_text(encoding="utf-8"))
    record["extractor"]["version"] = "0.0.1"
    (out / "a.json").write_text(json.dumps(record), encoding="utf-8")
    code, output = _run("run", str(tmp_path / "notes"), "-o", str(out), "-w", "1")
    assert code == 0, output
    assert "1 converted, 0 unchanged" in output
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["extractor"]["version"] != "0.0.1"


def test_records_of_deleted_notes_are_removed_and_counted(tmp_path: Path) -> None:
    out = _records(tmp_path, notes={"a.txt": NOTE, "b.txt": NOTE.replace("Lima", "Quito")})
    (tmp_path / "notes" / "b.txt").rename(tmp_path / "notes" / "c.txt")
    code, output = _run("run", str(tmp_path / "notes"), "-o", str(out), "-w", "1")
    assert code == 0, output
    assert "1 removed" in output
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "c.json"]
    code, output = _run("export", str(out), "--to", "jsonl", "-o", str(tmp_path / "tables"))
    assert code == 0, output
    assert "exported 2 notes" in output


# 18. long file names


def test_a_note_with_a_long_name_gets_its_record(tmp_path: Path) -> None:
    name = "n" * 246 + ".txt"
    out = _records(tmp_path, notes={name: NOTE})
    assert (out / ("n" * 246 + ".json")).is_file()


# 19. review out -o out/site, twice


def test_a_site_inside_the_records_folder_is_not_read_back(tmp_path: Path) -> None:
    out = _records(tmp_path)
    for _ in range(2):
        code, output = _run("review", str(out), "-o", str(out / "site"), "--notes", "notes")
        assert code == 0, output
        assert "1 note page(s)" in output
    assert sorted(p.name for p in (out / "site" / "notes").iterdir()) == ["a.html"]
    before = sorted(out.iterdir())
    code, output = _run("review", str(out), "-o", str(out), "--notes", "notes")
    assert code == 2 and "did not write" in output, output
    assert sorted(out.iterdir()) == before  # nothing written
