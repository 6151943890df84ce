"""The terminal table of ``run``: one line per note at 80 and 140 columns, dates and counts whole,
titles cut with an ellipsis; the issue summary broken only between codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from note_extract.batch.convert import NoteResult
from note_extract.cli import main

TITLE = (
    "Regional workshop on the implementation of Security Council resolution 1540 (2004) for Caribbean States"
)


def _results() -> list[NoteResult]:
    return [
        NoteResult(
            path=f"notes/2016/caribbean_workshop_{n}.txt",
            status="converted",
            id=f"n{n}",
            title=TITLE,
            start_date="2016-07-28",
            end_date=end,
            venue="Port of Spain, Trinidad and Tobago",
            organizations=12,
            issue_codes=("org-unresolved",) * n,
        )
        for n, end in enumerate(("2016-07-29", "2016-08-02", "2017-01-03", "2016-07-28", None))
    ]


@pytest.mark.parametrize("width", [80, 140])
def test_the_run_table_keeps_one_line_per_note(width: int) -> None:
    buffer = io.StringIO()
    main._print_table(_results(), Console(file=buffer, width=width, force_terminal=False))
    lines = buffer.getvalue().splitlines()
    rows = [line for line in lines if line.startswith("\u2502")]
    assert len(rows) == 5, buffer.getvalue()
    for row, dates in zip(
        rows,
        ("2016-07-28/29", "2016-07-28/08-02", "2016-07-28/2017-01-03", "2016-07-28", "2016-07-28"),
        strict=True,
    ):
        assert dates in row, row
        assert len(row) <= width
    assert all("\u2026" in row for row in rows)
    assert all(TITLE not in row for row in rows) or width > 200


def test_the_issue_summary_breaks_only_between_codes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=(0, 0): shutil.os.terminal_size((40, 24))
    )
    codes = [f"org-unresolved {n}" for n in range(1, 6)] + ["venue-country-inferred 3"]
    main._say_wrapped("issues: ", codes)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    joined = " ".join(line.strip() for line in lines)
    assert joined == "issues: " + ", ".join(codes)


def test_run_without_out_says_where_it_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from .conftest import SEEDS

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / SEEDS[0].name).write_bytes(SEEDS[0].read_bytes())
    result = CliRunner().invoke(main.app, ["run", "in", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert f"no -o given: records go to {tmp_path / 'data' / 'out'}" in result.stderr
    written = CliRunner().invoke(main.app, ["schema", "--out-dir", "s"])
    assert f"wrote {tmp_path / 's'}" in written.output
