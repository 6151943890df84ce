"""Regressions for the defects found by hostile testing (numbered as in the issue that lists them):
data loss, crashes and hangs, wrong output and misleading messages."""

from __future__ import annotations

import json
import os
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


def test_records_of_two_input_folders_in_one_output_folder_are_kept(tmp_path: Path) -> None:
    out = _records(tmp_path, notes={"a.txt": NOTE})
    other = tmp_path / "other"
    other.mkdir()
    (other / "b.txt").write_text(NOTE, encoding="utf-8")
    for _ in range(2):
        code, output = _run("run", str(other), "-o", str(out), "-w", "1")
        assert code == 0 and "removed" not in output, output
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "b.json"]


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


# 5. a small PDF gets around the size limit


def _text_pdf(path: Path, lines: int, encrypt: bool = False) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    options = {"encrypt": pdfencrypt.StandardEncryption("user", "owner")} if encrypt else {}
    drawing = canvas.Canvas(str(path), invariant=1, **options)  # type: ignore[arg-type]
    for page in range(lines // 40 + 1):
        for n in range(min(40, lines - page * 40)):
            drawing.drawString(72, 760 - 18 * n, f"Line {page}-{n}: the Committee met the experts again.")
        drawing.showPage()
    drawing.save()


def test_the_size_limit_applies_to_the_text_of_a_pdf(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    _text_pdf(notes / "big.pdf", 200)
    (tmp_path / "limit.toml").write_text("max_note_bytes = 3000\n", encoding="utf-8")
    code, output = _run("run", str(notes), "-o", str(tmp_path / "out"), "-w", "1", "--config", "limit.toml")
    assert code == 1, output
    assert "big.pdf: its text is more than the limit of 3,000 bytes" in output


# 21. misleading PDF messages


def test_a_pdf_read_after_an_encrypted_one_gets_its_own_reason(tmp_path: Path) -> None:
    from note_extract.core.errors import InputError
    from note_extract.read.reader import read_note

    _text_pdf(tmp_path / "locked.pdf", 3, encrypt=True)
    with pytest.raises(InputError, match="encrypted"):
        read_note(tmp_path / "locked.pdf")
    import io

    import pypdfium2 as pdfium

    buffer = io.BytesIO()
    pdfium.PdfDocument.new().save(buffer)  # a PDF of no pages, which pdfium refuses to load
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as caught:
        read_note(empty)
    assert "encrypted" not in str(caught.value)


def test_a_text_note_that_mentions_a_pdf_signature_is_text(tmp_path: Path) -> None:
    from note_extract.core.errors import InputError
    from note_extract.read.reader import read_note

    mentions = tmp_path / "mentions.txt"
    mentions.write_text("Files begin with %PDF-1.7 when they are PDFs.\n" + NOTE, encoding="utf-8")
    text, _ = read_note(mentions)
    assert text.startswith("Files begin with %PDF-1.7")
    fake = tmp_path / "fake.txt"
    fake.write_bytes(b"%PDF-1.7\nnot really a PDF")
    with pytest.raises(InputError) as caught:
        read_note(fake)
    assert "named .pdf" not in str(caught.value) and "starts like a PDF" in str(caught.value)


def test_check_gives_a_hint_that_fits_the_file(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    (tmp_path / "doc.txt").write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    code, output = _run("check", "scan.png", "doc.txt")
    assert code == 1, output
    lines = output.splitlines()
    png = next(line for line in lines if line.startswith("scan.png"))
    docx = next(line for line in lines if line.startswith("doc.txt"))
    assert "OCR" in png and "convert the note to plain text" not in png
    assert "save" in docx and "OCR" not in docx


def test_a_full_disk_is_one_error_not_one_per_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import note_extract.batch.convert as convert

    def full(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(convert, "write_atomic", full)
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(5):
        (notes / f"n{n}.txt").write_text(NOTE, encoding="utf-8")
    code, output = _run("run", str(notes), "-o", str(tmp_path / "out"), "-w", "1")
    assert code == 2, output
    assert output.count("error:") == 1 and "the disk is full" in output, output
    assert "internal error" not in output and "failed:" not in output, output


# 7. a bare CR in a CSV field


def test_a_bare_carriage_return_in_a_csv_cell_is_quoted(tmp_path: Path) -> None:
    import csv

    out = _records(tmp_path, notes={"n\r=SUM(1).txt": NOTE})
    code, output = _run("export", str(out), "--to", "csv", "-o", str(tmp_path / "tables"))
    assert code == 0, output
    data = (tmp_path / "tables" / "events.csv").read_bytes()
    assert b'"n\r=SUM(1).txt"' in data
    rows = list(csv.reader(data.decode("utf-8").splitlines(keepends=True)))
    assert len(rows) == 2  # the header and one event: no row starts at the carriage return


# 8. file names that are workflow commands


def test_plain_output_never_starts_a_line_with_a_workflow_command(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "::error title=pwn::x.txt").write_text(NOTE, encoding="utf-8")
    (notes / "::add-mask::y.txt").write_bytes(b"\x00\x01binary")
    code, output = _run("run", str(notes), "-o", str(tmp_path / "out"), "-w", "1")
    assert code == 1, output  # the binary one fails
    code, output2 = _run("check", str(notes), "--min-severity", "info")
    assert code == 1, output2
    assert "\\x3a:error title=pwn::x.txt" in output  # the names are shown...
    for line in (output + output2).splitlines():
        assert not line.lstrip().startswith("::"), line  # ...but never as a command


# 9. terminal escapes and bidi overrides


def test_registry_listing_resolve_and_suggest_escape_terminal_controls(tmp_path: Path) -> None:
    registry = tmp_path / "mine.jsonl"
    registry.write_text(
        json.dumps({"id": "evil", "name": "Evil\x1b]0;PWNED\x07 Agency\u202e", "type": "ngo"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.note_extract]\nregistry = "{registry}"\n', encoding="utf-8"
    )
    outputs = [_run("orgs")[1], _run("resolve", "Evil Agency")[1]]
    out = _records(tmp_path, notes={"a.txt": NOTE.replace("UNODA", "Bad\u202eName\x1b[31m Institute")})
    code, output = _run("orgs", "suggest", str(out), "-o", str(tmp_path / "p.jsonl"), "--notes", "notes")
    assert code == 0, output
    outputs.append(output)
    for text in outputs:
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text
    assert "\\x1b]0;PWNED\\x07" in outputs[0] and "\\u202e" in outputs[0]


# 10. /dev/zero and FIFOs


def test_devices_and_fifos_are_refused_without_reading_or_waiting(tmp_path: Path) -> None:
    (tmp_path / "z.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "f.txt")
    for name in ("z.txt", "f.txt"):
        code, output = _run("check", name)
        assert code == 1 and "not a regular file" in output, output
        code, output = _run("run", name, "-o", "out", "-w", "1")
        assert code == 1 and "not a regular file" in output and "internal error" not in output, output
        code, output = _run("extract", name)
        assert code == 2 and "error:" in output and "not a regular file" in output, output


def test_the_size_limit_holds_while_reading(tmp_path: Path) -> None:
    from note_extract.core.errors import InputError
    from note_extract.read.reader import read_note

    with pytest.raises(InputError, match="not a regular file"):
        read_note(Path("/dev/zero"), limit=1000)


# 11. symbolic link loops


def test_a_symbolic_link_loop_is_walked_once(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a.txt").write_text(NOTE, encoding="utf-8")
    (notes / "loop").symlink_to(".")
    (notes / "sub" / "back").symlink_to("..")
    from note_extract.batch.batch import discover

    assert [p.relative_to(notes).as_posix() for p in discover(notes)] == ["a.txt"]


# 12. a killed worker


def test_a_killed_worker_restarts_the_pool_and_the_batch_goes_on(tmp_path: Path) -> None:
    import multiprocessing
    import signal

    from note_extract.batch.batch import run_batch
    from note_extract.core.settings import Settings

    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(24):
        (notes / f"n{n:02d}.txt").write_text(NOTE.replace("Lima", f"Lima {n}"), encoding="utf-8")
    killed: list[int] = []

    def kill_one(_result: object) -> None:
        if not killed:  # the pool's workers are this process's children
            for child in multiprocessing.active_children():
                assert child.pid is not None
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)

    summary = run_batch(notes, tmp_path / "out", Settings(), workers=2, on_result=kill_one)
    assert killed and summary.total == 24
    assert summary.restarts >= 1 and summary.interrupted
    done = summary.count("converted") + summary.count("unchanged")  # a record written before the kill
    assert done + summary.count("failed") == 24 and done >= 22
    assert len(list((tmp_path / "out").glob("*.json"))) == done


# 13. tracebacks instead of one error line


def test_unwritable_targets_are_one_error_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocked = tmp_path / "file"  # root writes anywhere: a file in the way stands for it
        blocked.write_text("x", encoding="utf-8")
        target = blocked / "sub"
    else:
        blocked = tmp_path / "ro"
        blocked.mkdir(mode=0o500)
        target = blocked / "sub"
    out = _records(tmp_path)
    registry = tmp_path / "mine.jsonl"
    registry.write_text('{"id": "alpha", "name": "Alpha Network", "type": "ngo"}\n', encoding="utf-8")
    proposals = tmp_path / "p.jsonl"
    proposals.write_text(_new("gamma", "Gamma Council"), encoding="utf-8")
    for args in (
        ["export", str(out), "--to", "csv", "-o", str(target)],
        ["export", str(out), "--to", "sqlite", "-o", str(target / "x.sqlite")],
        ["review", str(out), "-o", str(target), "--notes", "notes"],
        ["orgs", "suggest", str(out), "-o", str(target / "p.jsonl")],
        ["orgs", "add", str(proposals), "--registry", str(target / "r.jsonl")],
    ):
        code, output = _run(*args)
        assert code == 2 and output.count("error:") == 1, (args, output)


def test_bad_registry_proposals_and_settings_are_one_error_line(tmp_path: Path) -> None:
    registry = tmp_path / "mine.jsonl"
    registry.write_bytes(b'{"id": "alpha", "name": "Alpha \xff Network", "type": "ngo"}\n')
    proposals = tmp_path / "p.jsonl"
    proposals.write_text(_new("gamma", "Gamma Council"), encoding="utf-8")
    code, output = _run("orgs", "add", str(proposals), "--registry", str(registry))
    assert code == 2 and "error:" in output and "not UTF-8" in output, output
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    code, output = _run("orgs", "add", str(binary), "--registry", str(tmp_path / "new.jsonl"))
    assert code == 2 and "error:" in output, output
    (tmp_path / "tool.toml").write_text("tool = 5\n", encoding="utf-8")
    code, output = _run("rules", "--config", "tool.toml")
    assert code == 2 and "error:" in output and "not a table" in output, output


def test_a_scheduler_that_is_no_address_is_one_error_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text(NOTE, encoding="utf-8")
    code, output = _run("run", str(notes), "-o", "out", "--executor", "dask", "--scheduler", "not an address")
    assert code == 2 and "error:" in output and "Dask scheduler" in output, output


# 14. the API's contract


def test_extract_refuses_what_is_not_text_with_a_documented_error() -> None:
    from note_extract import extract
    from note_extract.core.errors import NoteExtractError

    with pytest.raises(TypeError, match="takes the note's text as str"):
        extract(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="decode bytes first"):
        extract(NOTE.encode())  # type: ignore[arg-type]
    with pytest.raises(NoteExtractError, match="unpaired surrogate"):
        extract("Event: \ud800 workshop\n")


def test_extract_folder_yields_a_failed_result_for_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from note_extract import Pipeline, extract_folder

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(NOTE, encoding="utf-8")
    real = Pipeline.extract_file

    def broken(self: Pipeline, path: Path, display: str | None = None) -> object:
        if path.name == "a.txt":
            raise RuntimeError("boom")
        return real(self, path, display)

    monkeypatch.setattr(Pipeline, "extract_file", broken)
    results = list(extract_folder(tmp_path))
    assert [getattr(r, "status", "record") for r in results] == ["failed", "record"]
    assert "internal error RuntimeError: boom" in (getattr(results[0], "error", "") or "")


# 17. UTF-16 and UTF-32


def test_utf16_with_a_stray_byte_and_utf32_are_decoded_and_reported(tmp_path: Path) -> None:
    from note_extract.api import extract_file

    (tmp_path / "u16.txt").write_bytes(NOTE.encode("utf-16") + b"\x41")
    (tmp_path / "u32.txt").write_bytes(NOTE.encode("utf-32"))
    odd = extract_file(tmp_path / "u16.txt")
    assert odd.event.title == "A workshop"
    assert "invalid-bytes" in {issue.code for issue in odd.issues}
    wide = extract_file(tmp_path / "u32.txt")
    assert wide.source.encoding == "utf-32" and wide.event.title == "A workshop"
    assert "invalid-bytes" not in {issue.code for issue in wide.issues}


# 20. bad rules fail once, at load


@pytest.mark.parametrize(
    ("name", "row", "reason"),
    [
        (
            "furniture.jsonl",
            {"id": "x", "kind": "page_number", "action": "delete", "pattern": "(a"},
            "compile",
        ),
        (
            "furniture.jsonl",
            {"id": "x", "kind": "page_number", "action": "delete", "pattern": "^(a+)+$"},
            "repeat",
        ),
        ("labels.jsonl", {"field": "title", "labels": ["Event", ""]}, "empty"),
    ],
)
def test_a_bad_rule_row_fails_the_load_once(
    tmp_path: Path, name: str, row: dict[str, object], reason: str
) -> None:
    from note_extract.core.resources import data_path

    rules = tmp_path / "rules"
    rules.mkdir()
    shipped = data_path(name).read_text(encoding="utf-8")
    (rules / name).write_text(shipped + json.dumps(row) + "\n", encoding="utf-8")
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(3):
        (notes / f"n{n}.txt").write_text(NOTE, encoding="utf-8")
    code, output = _run("run", str(notes), "-o", "out", "-w", "1", "--rules", str(rules))
    assert code == 2 and output.count("error:") == 1 and reason in output, output
    assert "internal" not in output


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{name.__class__.__mro__}", "plain field"),
        ("{name:>300000000}", "plain field"),
        ("{nosuch}", "does not give"),
    ],
)
def test_a_finding_template_is_plain_known_fields(tmp_path: Path, template: str, reason: str) -> None:
    from note_extract.core.resources import data_path

    rules = tmp_path / "rules"
    rules.mkdir()
    lines = []
    for line in data_path("findings.jsonl").read_text(encoding="utf-8").splitlines():
        if '"code": "org-unresolved"' in line:
            row = json.loads(line)
            row["message"] = f"unknown {template}"
            line = json.dumps(row)
        lines.append(line)
    (rules / "findings.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = _run("rules", "--rules", str(rules))
    assert code == 2 and "error:" in output and reason in output, output


def test_a_bad_gazetteer_fails_the_load_once(tmp_path: Path) -> None:
    import gzip

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "cities.tsv.gz").write_bytes(gzip.compress(b"Lima\tPE\tmany\t1\t\n"))
    code, output = _run("rules", "--rules", str(rules))
    assert code == 2 and "error:" in output and "cities.tsv.gz:1" in output, output
    (rules / "cities.tsv.gz").write_bytes(b"not gzip")
    code, output = _run("rules", "--rules", str(rules))
    assert code == 2 and "cannot read the gazetteer" in output, output
