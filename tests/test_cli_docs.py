"""The README's command table and docs/cli.md are the commands' own --help: a test fails when they differ."""

from __future__ import annotations

from note_extract.cli.docs import END, START, cli_markdown, command_table, with_table

from .conftest import ROOT


def test_the_readme_command_table_is_generated_from_the_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert readme == with_table(readme), "README's command table is stale: python -m note_extract.cli.docs"
    for command in ("extract", "run", "check", "review", "orgs suggest", "orgs add", "rules", "diff"):
        assert f"| `note-extract {command}" in command_table(), command


def test_docs_cli_is_every_commands_help() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == cli_markdown(), "docs/cli.md is stale: python -m note_extract.cli.docs"
    assert text.count("--registry FILE") >= 8
