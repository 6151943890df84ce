"""Command-line interface. Thin by design: every command checks its arguments and calls the library.

Exit codes: 0 success; 1 a note failed (``run``) or broke a rule (``check``); 2 usage or set-up error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .api import extract_file
from .batch import DEFAULT_PATTERNS, BatchSummary, NoteResult, default_workers, run_batch
from .cli_bench import bench
from .cli_check import check
from .cli_export import export
from .cli_options import ConfigOption, settings_for
from .cli_review import orgs_app, review
from .errors import NoteExtractError
from .output import record_json, write_atomic
from .pipeline import Pipeline
from .schema import SCHEMA_FILE, schema_text
from .settings import Settings

app = typer.Typer(
    name="note-extract",
    help="Turn UN Security Council 1540 Committee information notes into validated JSON records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"note-extract {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn UN Security Council 1540 Committee information notes into validated JSON records."""


@app.command()
def extract(
    path: Annotated[
        Path, typer.Argument(help="A note file (.txt, .md, .html, .pdf).", exists=True, dir_okay=False)
    ],
    config: ConfigOption = None,
) -> None:
    """Extract one note and print its record to stdout.

    Example: note-extract extract data/raw/004_c564594f294c2866.txt
    """
    try:
        record = extract_file(path, settings=settings_for(config))
    except NoteExtractError as exc:
        raise _fail(str(exc)) from None
    sys.stdout.write(record_json(record))


_COLUMNS = ("note", "status", "title", "dates", "venue", "orgs", "issues")


def _summary_cells(r: NoteResult) -> tuple[str, ...]:
    """One note's summary: the cells of ``_COLUMNS``."""
    if r.status != "converted":
        return (r.path, r.status, "see below" if r.status == "failed" else "", "", "", "", "")
    dates = r.start_date or "-"
    if r.end_date and r.end_date != r.start_date:
        dates += f" to {r.end_date}"
    title = (r.title or "-")[:60] + ("..." if r.title and len(r.title) > 60 else "")
    return (r.path, r.status, title, dates, r.venue or "-", str(r.organizations), str(len(r.issue_codes)))


def _summary_table(listed: list[NoteResult]) -> Table:
    """The per-note summary for a terminal."""
    table = Table(title="Notes", show_lines=False)
    for column in _COLUMNS:
        table.add_column(column, overflow="fold")
    for r in listed:
        table.add_row(*_summary_cells(r))
    return table


def _summary_lines(listed: list[NoteResult]) -> list[str]:
    """The per-note summary for a log or a pipe: one line per note, never wrapped."""
    lines = []
    for r in listed:
        path, status, title, dates, venue, orgs, issues = _summary_cells(r)
        if status != "converted":
            lines.append(f"{path}  {status}")
        else:
            lines.append(f"{path}  {dates}  {venue}  orgs {orgs}  issues {issues}  {title}")
    return lines


class Executor(StrEnum):
    """Where ``run`` converts notes."""

    local = "local"
    dask = "dask"


def _run(
    in_dir: Path,
    out_dir: Path | None,
    settings: Settings,
    workers: int,
    force: bool,
    files: list[Path],
    on_result: Callable[[NoteResult], None],
    executor: Executor,
    scheduler: str | None,
) -> BatchSummary:
    """``run_batch`` with the command's options; a cluster that cannot be used is a set-up error."""
    try:
        return run_batch(
            in_dir,
            out_dir,
            settings,
            workers=workers,
            force=force,
            files=files,
            on_result=on_result,
            executor=executor.value,
            scheduler=scheduler,
        )
    except NoteExtractError as exc:
        raise _fail(str(exc)) from None


@app.command()
def run(
    in_dir: Annotated[
        Path, typer.Argument(help="Folder of notes (searched recursively) or one note.", exists=True)
    ],
    out: Annotated[
        str, typer.Option("-o", "--out", help="Output folder, or '-' for JSON Lines on stdout.")
    ] = "data/out",
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=0, help="Worker processes; 0 means one per CPU.")
    ] = 0,
    force: Annotated[bool, typer.Option("--force", help="Convert every note, even unchanged ones.")] = False,
    glob: Annotated[
        list[str] | None, typer.Option("--glob", help="File patterns to take (repeatable).")
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal, not in CI)."),
    ] = None,
    executor: Annotated[
        Executor,
        typer.Option("--executor", help="Where notes are converted: local processes or a Dask cluster."),
    ] = Executor.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); without it --executor dask starts a local "
            "cluster of --workers processes. Workers must see the notes and OUT at the same paths.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Convert a folder of notes into one JSON record per note.

    Records go to OUT/<path relative to IN_DIR>.json. Unchanged notes (same bytes, same rules and
    settings) are skipped unless --force. A note that fails is reported and the others go on; the exit
    code is 1 when any failed.

    Example: note-extract run data/raw -o data/out --workers 2
    (on a cluster: note-extract run notes -o out --executor dask --scheduler tcp://host:8786)
    """
    import os

    try:
        settings = settings_for(config)
    except NoteExtractError as exc:
        raise _fail(str(exc)) from None
    if scheduler is not None and executor is not Executor.dask:
        raise _fail("--scheduler goes with --executor dask")
    to_stdout = out == "-"
    out_dir = None if to_stdout else Path(out)
    patterns = tuple(glob) if glob else DEFAULT_PATTERNS
    n_workers = workers or default_workers()
    show = progress if progress is not None else (err.is_terminal and not os.environ.get("CI"))
    from .batch import discover

    files = discover(in_dir, patterns)
    if not files:
        raise _fail(f"no note files matching {', '.join(patterns)} under {in_dir}")

    def emit(result: NoteResult) -> None:
        if result.line is not None:
            sys.stdout.write(result.line)

    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("notes", total=len(files))

            def tick(result: NoteResult) -> None:
                emit(result)
                bar.advance(task)

            summary = _run(in_dir, out_dir, settings, n_workers, force, files, tick, executor, scheduler)
    else:
        summary = _run(in_dir, out_dir, settings, n_workers, force, files, emit, executor, scheduler)
    if len(summary.results) <= 50:
        if err.is_terminal:
            err.print(_summary_table(summary.results))
        else:
            for line in _summary_lines(summary.results):
                err.print(line, highlight=False, soft_wrap=True)
    for failed in (r for r in summary.results if r.status == "failed"):
        err.print(f"failed: {failed.path}: {failed.error}", highlight=False, soft_wrap=True)
    issues = summary.issues_by_code()
    err.print(
        f"{summary.count('converted')} converted, {summary.count('unchanged')} unchanged, "
        f"{summary.count('failed')} failed" + (f" -> {out_dir}" if out_dir else ""),
        highlight=False,
    )
    if issues:
        err.print("issues: " + ", ".join(f"{code} {n}" for code, n in issues.items()), highlight=False)
    if summary.count("failed"):
        raise typer.Exit(1)


@app.command()
def schema(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Where to write the schema.", file_okay=False)
    ] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the file differs instead of writing it.")
    ] = False,
) -> None:
    """Write the record's JSON Schema (generated from the models) into schemas/.

    Example: note-extract schema --check
    """
    target = out_dir / SCHEMA_FILE
    text = schema_text()
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            raise _fail(f"{target} is out of date; run: note-extract schema", 1)
        typer.echo(f"{target} is up to date")
        return
    write_atomic(target, text)
    typer.echo(f"wrote {target}")


@app.command()
def resolve(
    name: Annotated[str, typer.Argument(help="An organization name as a note writes it.")],
    config: ConfigOption = None,
) -> None:
    """Show how a name resolves against the registry, and why.

    Example: note-extract resolve "UN LIREC"
    """
    try:
        pipeline = Pipeline(settings_for(config))
    except NoteExtractError as exc:
        raise _fail(str(exc)) from None
    result = pipeline.resolver.resolve(name)
    if result.entry is not None:
        typer.echo(
            f"{name!r} -> {result.entry.id} ({result.entry.name}) "
            f"method={result.method} score={result.score:.1f}"
        )
    elif result.ambiguous:
        typer.echo(f"{name!r} is ambiguous: " + ", ".join(e.id for e in result.ambiguous))
    else:
        typer.echo(f"{name!r} is unresolved")
    for entry, score in result.candidates:
        typer.echo(f"  candidate {entry.id:<24} {score:5.1f}  {entry.name}")
    if result.entry is None:
        raise typer.Exit(1)


@app.command(name="eval")
def eval_command(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder of records to score.", exists=True, file_okay=False)
    ],
    gold_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of gold files: golden records or compact gold (format read per file).",
            exists=True,
            file_okay=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    only: Annotated[
        Path | None,
        typer.Option("--only", help="Score only gold files named like a note in this folder.", exists=True),
    ] = None,
    aliases: Annotated[
        Path | None,
        typer.Option(
            "--aliases",
            help="Equivalent names for compact gold, {name: [names]} (default: gold_aliases.json "
            "in or beside GOLD_DIR).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Score records against hand-checked gold: per-field counts and shares, and every miss.

    Exit 1 when a gold file has no record, 2 when the gold folder has no gold file.

    Example: note-extract eval .eval-out/corpus ../shared/corpus/gold
    """
    import json

    from .evaluate import evaluate_folder

    try:
        registry = settings_for(config).registry
        result = evaluate_folder(out_dir, gold_dir, only=only, aliases=aliases, registry=registry)
    except NoteExtractError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(result.format(), nl=False)
    if result.missing:
        raise typer.Exit(1)


app.command()(export)
app.command()(check)
app.command()(bench)
app.command()(review)
app.add_typer(orgs_app, name="orgs")
