"""The ``note-extract diff`` command: what two sets of records say differently, by meaning.

Thin by design: it checks its arguments, calls :mod:`note_extract.quality.diff` (and, with ``--rev``,
:mod:`note_extract.quality.revision`) and prints. Register it with ``app.command()(diff)``. Exit codes:
0 no difference (or differences without ``--fail-on-change``); 1 a difference in a protected field with
``--fail-on-change``; 2 usage or set-up error (no such path, a folder against a file, an unknown
field, a record that cannot be read, a revision git does not know).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from note_extract.cli.options import ConfigOption, RulesOption, fail, say, settings_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from note_extract.core.settings import Settings
    from note_extract.quality.diff import DiffReport, Options


class DiffFormat(StrEnum):
    """Report formats."""

    text = "text"
    markdown = "markdown"
    json = "json"


_STYLES = {"heading": "bold", "added": "green", "removed": "red", "changed": "yellow", "plain": ""}


def _print_text(lines: list[tuple[str, str]]) -> None:
    """The text report on stdout: coloured on a terminal, plain otherwise."""
    if not sys.stdout.isatty():
        for _style, line in lines:
            typer.echo(line)
        return
    from rich.console import Console  # lazy: start-up
    from rich.text import Text  # lazy: start-up

    console = Console(highlight=False, soft_wrap=True)
    for style, line in lines:
        console.print(Text(line, style=_STYLES.get(style, "")))


def diff(
    old: Annotated[
        Path | None,
        typer.Argument(
            help="Old records: a folder or a record file (with --rev: the folder of notes).",
            exists=True,
            show_default=False,
            metavar="OLD",
        ),
    ] = None,
    new: Annotated[
        Path | None,
        typer.Argument(
            help="New records: a folder or a record file, as OLD.",
            exists=True,
            show_default=False,
            metavar="NEW",
        ),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            help="Compare the records the notes under OLD (a folder in a git work tree) gave at this "
            "revision with those they give now; only the notes changed since are extracted.",
            metavar="REV",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, markdown (a pull request) or json.")
    ] = DiffFormat.text,
    spans: Annotated[
        bool, typer.Option("--spans", help="Compare spans and the extractor block too.")
    ] = False,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            min=0.0,
            help="Confidence changes up to this much are no change (0 reports every move).",
            metavar="X",
        ),
    ] = 0.05,
    fail_on_change: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on-change",
            help="Exit 1 when one of these fields changes (comma-separated, repeatable): 'all' for any "
            "difference, 'notes' for notes added, removed or renamed, or fields such as "
            "event.start_date,organizers ('event' covers every event field).",
            metavar="FIELDS",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE (the summary goes to stderr).",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", "-w", min=0, help="With --rev: worker processes; 0 means one per CPU.", metavar="N"
        ),
    ] = 1,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """Show what two sets of records say differently: event fields, organizers, sponsors, hosts and
    observers (as sets of identities), participant groups, issues by code and confidence; spans and
    the extractor block only with --spans.

    OLD and NEW are two record folders (records paired by path; renamed notes found by their source
    digest) or two record files. With --rev REV, OLD is a folder of notes in a git work tree and NEW is
    not given: the notes changed since REV are extracted as they were at REV and as they are now.

    Example: note-extract diff base-out head-out --fail-on-change event.start_date,organizers
    (or: note-extract diff --rev main data/raw --format markdown)
    """
    from note_extract.quality.diff import Options, check_protected  # lazy: start-up
    from note_extract.quality.diff_format import (  # lazy: start-up
        json_text,
        markdown,
        plain_text,
        summary_line,
        text_lines,
    )

    protected = check_protected(n for item in fail_on_change or () for n in item.split(","))
    if fail_on_change is not None and not protected:
        raise fail("--fail-on-change needs a field list, or 'all'")
    options = Options(spans=spans, tolerance=tolerance)
    report = _report(old, new, rev, options, workers, lambda: settings_for(config, rules_dir))
    if output_format is DiffFormat.text and output is None:
        _print_text(text_lines(report))
    else:
        formatted = {
            DiffFormat.markdown: markdown,
            DiffFormat.json: json_text,
            DiffFormat.text: plain_text,
        }[output_format](report)
        _write(formatted, output)
        if output is not None or output_format is DiffFormat.json:
            say(summary_line(report))
    if protected and report.fails(protected):
        touched = ", ".join(f"{name} ({n})" for name, n in report.protected(protected).items())
        say(f"protected fields changed: {touched}")
        raise typer.Exit(1)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from note_extract.batch.output import write_atomic  # lazy: start-up

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise fail(f"{output}: cannot write the report: {exc.strerror or exc}") from None


def _report(
    old: Path | None,
    new: Path | None,
    rev: str | None,
    options: Options,
    workers: int,
    settings: Callable[[], Settings],
) -> DiffReport:
    """The report of OLD against NEW, or of the notes under OLD at REV against now."""
    from note_extract.quality.diff import diff_files, diff_folders  # lazy: start-up

    if rev is None:
        if old is None or new is None:
            raise fail("give OLD and NEW (two record folders or two record files), or --rev REV NOTES_DIR")
        if old.is_dir() != new.is_dir():
            raise fail(f"OLD and NEW must both be folders or both be record files: {old}, {new}")
        return diff_folders(old, new, options) if old.is_dir() else diff_files(old, new, options)
    if old is None or new is not None or not old.is_dir():
        raise fail("with --rev REV give one folder of notes (in a git work tree), and no NEW")
    from note_extract.batch.batch import DEFAULT_PATTERNS, default_workers  # lazy: start-up
    from note_extract.quality.revision import diff_revision  # lazy: start-up

    report, failures = diff_revision(
        old, rev, settings(), options, workers=workers or default_workers(), patterns=DEFAULT_PATTERNS
    )
    for failed in failures:
        say(f"failed: {failed.path}: {failed.error}")
    return report
