"""The ``export`` command: records to flat tables (registered in cli.py with ``app.command()(export)``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from note_extract.cli.options import say

FORMATS = ("csv", "jsonl", "parquet", "sqlite")


def _format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not a format; choose one of {', '.join(FORMATS)}")
    return value


def export(
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of records written by 'note-extract run', or a JSON Lines file of records.",
            exists=True,
            metavar="OUT_DIR",
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="csv, jsonl or parquet: a folder of one file per table; sqlite: one file.",
            callback=_format,
            metavar="|".join(FORMATS),
        ),
    ],
    target: Annotated[
        Path,
        typer.Option(
            "-o",
            "--out",
            help="Where to write: a folder (csv, jsonl, parquet) or a database file.",
            metavar="TARGET",
        ),
    ],
    keep_formulas: Annotated[
        bool,
        typer.Option(
            "--keep-formulas",
            help="csv: write cells that start with = + - @ as they are, instead of prefixing a quote "
            "so that spreadsheets show them as text.",
        ),
    ] = False,
) -> None:
    """Export records as flat tables for spreadsheets and databases.

    Tables: events, participant_groups, organizations (one row per note, role and organization;
    participants are role=participant), mentions, issues, sections; all keyed by note_id. Every record
    is validated before anything is written; the exit code is 2 when one is not a valid record.
    In csv, a text cell starting with = + - @ (or tab, carriage return) gets a leading ' so that a
    spreadsheet shows it instead of running it as a formula (--keep-formulas writes it unchanged).

    Example: note-extract export data/out --to sqlite -o notes.sqlite
    """
    from note_extract.batch.export import ExportFormat  # lazy: start-up
    from note_extract.batch.export import export as export_tables  # lazy: start-up

    summary = export_tables(out_dir, ExportFormat(to), target, neutralize=not keep_formulas)
    say(summary.line(target))
