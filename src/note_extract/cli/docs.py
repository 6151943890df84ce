"""The command line's documentation, generated from the commands' own ``--help``.

Contract: :func:`cli_markdown` is ``docs/cli.md``: every command and subcommand's ``--help`` text, as
click prints it at 100 columns, in the order the app lists them. :func:`command_table` is the README's
command table: one row per command (usage and the first paragraph of its help). :func:`with_table`
puts a table between the README's ``<!-- commands -->`` and ``<!-- /commands -->`` markers.
``python -m note_extract.cli.docs`` writes both files; ``--check`` exits 1 naming the file that differs
(a test runs it, so the docs cannot drift from the commands). Nothing here changes what a command does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from note_extract.cli.main import app

WIDTH = 100
START, END = "<!-- commands -->", "<!-- /commands -->"


def _context(command: Any, name: str, parent: Any = None) -> Any:
    return command.context_class(
        command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH
    )


def _commands() -> Iterator[tuple[str, Any, Any]]:
    """(full name, command, context) for every command, subcommands after their group (click's
    objects, as typer builds them)."""
    root = typer.main.get_command(app)
    root_ctx = _context(root, "note-extract")
    yield "note-extract", root, root_ctx
    for name, command in getattr(root, "commands", {}).items():
        ctx = _context(command, name, root_ctx)
        yield f"note-extract {name}", command, ctx
        for sub_name, sub in getattr(command, "commands", {}).items():
            yield f"note-extract {name} {sub_name}", sub, _context(sub, sub_name, ctx)


def cli_markdown() -> str:
    """The text of docs/cli.md."""
    parts = [
        "# Command line\n\n",
        "Generated from each command's `--help` by `python -m note_extract.cli.docs`; a test fails when\n",
        "this file and the commands differ.\n",
    ]
    for name, command, ctx in _commands():
        parts.append(f"\n## `{name}`\n\n```text\n{command.get_help(ctx).rstrip()}\n```\n")
    return "".join(parts)


def _usage(command: Any, ctx: Any) -> str:
    pieces = command.collect_usage_pieces(ctx)
    args = [re.sub(r"[{}]", "", p) for p in pieces if p != "[OPTIONS]"]
    return " ".join(args)


def _summary(command: Any) -> str:
    text = (command.help or "").split("\n\n")[0]
    return " ".join(text.split()).replace("|", "\\|")


def command_table() -> str:
    """The README's command table."""
    rows = ["| command | what it does |", "| --- | --- |"]
    for name, command, ctx in _commands():
        if name == "note-extract":
            continue
        usage = f"{name} {_usage(command, ctx)}".strip()
        rows.append(f"| `{usage}` | {_summary(command)} |")
    return "\n".join(rows) + "\n"


def with_table(readme: str) -> str:
    """``readme`` with the command table between its markers (a ValueError when they are missing)."""
    start, end = readme.index(START) + len(START), readme.index(END)
    return readme[:start] + "\n" + command_table() + readme[end:]


def main(argv: list[str]) -> int:
    """Write (or with ``--check`` compare) README.md and docs/cli.md under the current folder."""
    root = Path.cwd()
    targets = {
        root / "README.md": with_table((root / "README.md").read_text(encoding="utf-8")),
        root / "docs" / "cli.md": cli_markdown(),
    }
    stale = [
        path
        for path, text in targets.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    if "--check" in argv:
        for path in stale:
            print(
                f"{path} differs from the commands' --help; run: python -m note_extract.cli.docs",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for path in stale:
        path.write_text(targets[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
