"""The ``note-extract check`` command: a CI gate for new or edited notes.

Thin by design: it checks its arguments, calls :mod:`note_extract.quality.check` and prints. Register it with
``app.command()(check)``. Exit codes: 0 every note passed; 1 a note has an error finding (with
``--strict``, a warning too); 2 usage or set-up error (no such path, bad config, broken rule file),
reported on stderr with nothing else printed.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from note_extract.cli.options import ConfigOption, RegistryOption, RulesOption, fail, say, settings_for


class OutputFormat(StrEnum):
    """Report formats."""

    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


class MinSeverity(StrEnum):
    """The lowest severity printed."""

    error = "error"
    warning = "warning"
    info = "info"


def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Note files, or folders searched recursively for notes.",
            show_default=False,
            metavar="PATH...",
            hidden=True,  # described in the docstring: the help would show a Python type for it
            readable=False,  # an unreadable note is a finding for that note, not a usage error
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="text, json, github (workflow commands) or junit (XML)."),
    ] = OutputFormat.text,
    min_severity: Annotated[
        MinSeverity,
        typer.Option("--min-severity", help="Lowest severity printed; never changes what fails."),
    ] = MinSeverity.warning,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings count (and print) as errors.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE (the summary still goes to stderr).",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    glob: Annotated[
        list[str] | None,
        typer.Option("--glob", help="File patterns to take in folders (repeatable).", metavar="PATTERN"),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="Print the rules with the severities in force and exit.")
    ] = False,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            help="Report each value whose confidence is below P as a low-confidence finding.",
            min=0.0,
            max=1.0,
            metavar="P",
        ),
    ] = None,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Check notes before publication: exit 1 when a note lacks what a publishable note must have.

    PATH...: note files, or folders searched recursively for notes (--glob). A named file that cannot
    be read is a finding for that file; the others are still checked.

    Runs the extractor on each note without writing anything and reports, per finding, file, line,
    column, severity, rule code, message and what to do. Severities per code come from the shipped
    rules (see --list-rules) and [tool.note_extract] severity = {"org-fuzzy" = "off"}.

    With --min-confidence P, each event field and party whose confidence is below P is reported
    (low-confidence: a warning, so it fails only under --strict).

    Example: note-extract check data/raw/004_c564594f294c2866.txt --format github --min-confidence 0.9
    """
    from note_extract.batch.batch import DEFAULT_PATTERNS  # lazy: start-up
    from note_extract.core.models import Severity  # lazy: start-up
    from note_extract.quality.check import (  # lazy: start-up
        Checker,
        format_rules,
        note_files,
        render,
        severities,
        summary_line,
    )
    from note_extract.rules.bundle import rules_for  # lazy: start-up
    from note_extract.rules.catalogue import catalogue  # lazy: start-up

    settings = settings_for(config, rules_dir, registry)
    rules = catalogue(rules_for(settings)).kinds
    effective = severities(rules, settings)
    if list_rules:
        typer.echo(format_rules(rules, effective), nl=False)
        return
    if not paths:
        raise fail("give at least one note file or folder (or --list-rules)")
    files = note_files(paths, tuple(glob) if glob else DEFAULT_PATTERNS)
    checker = Checker(settings, strict=strict, rules=rules, min_confidence=min_confidence)
    report = checker.run(files)
    level: Severity = min_severity.value
    text = render(report, output_format.value, level)
    if output is not None:
        from note_extract.batch.output import write_atomic  # lazy: start-up

        try:
            write_atomic(output, text)
        except OSError as exc:
            raise fail(f"{output}: cannot write the report: {exc.strerror or exc}") from None
        say(summary_line(report, level))
    else:
        sys.stdout.write(text)
        if output_format in (OutputFormat.json, OutputFormat.junit):
            say(summary_line(report, level))
    raise typer.Exit(report.exit_code())
