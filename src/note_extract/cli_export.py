"""The ``export`` command: records to flat tables (registered in cli.py with ``app.command()(export)``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from .errors import NoteExtractError
from .export import ExportFormat
from .export import export as export_tables

err = Console(stderr=True)


def export(
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of records written by 'note-extract run', or a JSON Lines file of records.",
            exists=True,
        ),
    ],
    to: Annotated[
        ExportFormat,
        typer.Option("--to", help="csv, jsonl or parquet: a folder of one file per table; sqlite: one file."),
    ],
    target: Annotated[
        Path,
        typer.Option(
            "-o", "--out", help="Where to write: a folder (csv, jsonl, parquet) or a database file."
        ),
    ],
) -> None:
    """Export records as flat tables for spreadsheets and databases.

    Tables: events, participant_groups, organizations (one row per note, role and organization;
    participants are role=participant), mentions, issues, sections; all keyed by note_id. Every record
    is validated before anything is written; the exit code is 2 when one is not a valid record.

    Example: note-extract export data/out --to sqlite -o notes.sqlite
    """
    try:
        summary = export_tables(out_dir, to, target)
    except NoteExtractError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    err.print(escape(summary.line(target)), highlight=False, soft_wrap=True)
