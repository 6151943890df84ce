"""Command-line interface. Thin by design: every command checks its arguments and calls the library.

Exit codes: 0 success; 1 a note failed (``run``) or broke a rule (``check``); 2 usage or set-up error.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from note_extract.cli.bench import bench
from note_extract.cli.check import check
from note_extract.cli.diff import diff
from note_extract.cli.export import export
from note_extract.cli.options import (
    ConfigOption,
    RegistryOption,
    RulesOption,
    fail,
    guard,
    say,
    settings_for,
)
from note_extract.cli.review import orgs_app, review
from note_extract.core.about import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from note_extract.batch.batch import BatchSummary
    from note_extract.batch.convert import NoteResult

# Only what --help needs is imported here; each command imports the library it runs (start-up time).

app = typer.Typer(
    name="note-extract",
    help="Turn UN Security Council 1540 Committee information notes into validated JSON records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
DEFAULT_OUT = "data/out"
"""Where ``run`` writes records when no ``-o`` is given (relative to the working directory)."""
SUMMARY_TABLE_MAX = 50
"""On a terminal, a table of the notes is printed after a run of at most this many notes."""


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
        Path,
        typer.Argument(
            help="A note file (.txt, .md, .html, .rtf, .pdf).", exists=True, dir_okay=False, metavar="NOTE"
        ),
    ],
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Extract one note and print its record to stdout.

    Example: note-extract extract data/raw/004_c564594f294c2866.txt
    """
    from note_extract.api import extract_file  # lazy: start-up
    from note_extract.batch.output import record_json  # lazy: start-up

    record = extract_file(path, settings=settings_for(config, rules_dir, registry))
    sys.stdout.write(record_json(record))


_COLUMNS = ("note", "status", "title", "dates", "venue", "orgs", "issues")


def _dates(start: str | None, end: str | None) -> str:
    """An ISO date or interval, as short as ISO 8601 allows: 2016-07-28/29, 2016-07-28/08-02."""
    if not start:
        return "-"
    if not end or end == start:
        return start
    if end[:7] == start[:7]:
        return f"{start}/{end[8:]}"
    if end[:4] == start[:4]:
        return f"{start}/{end[5:]}"
    return f"{start}/{end}"


def _summary_cells(r: NoteResult) -> tuple[str, ...]:
    """One note's summary: the cells of ``_COLUMNS``."""
    if r.status != "converted":
        return (r.path, r.status, "see below" if r.status == "failed" else "", "", "", "", "")
    dates = _dates(r.start_date, r.end_date)
    return (
        r.path,
        r.status,
        r.title or "-",
        dates,
        r.venue or "-",
        str(r.organizations),
        str(len(r.issue_codes)),
    )


def _summary_line(r: NoteResult) -> str:
    """One note's summary for a log or a pipe: one line, never wrapped."""
    path, status, title, dates, venue, orgs, issues = _summary_cells(r)
    if status != "converted":
        return f"{path}  {status}"
    title = title if len(title) <= 80 else title[:79] + "\u2026"
    return f"{path}  {dates}  {venue}  orgs {orgs}  issues {issues}  {title}"


def _widths(names: list[str], rows: list[list[str]], total: int) -> list[int]:
    """Column widths for one line per note: status, dates and counts whole; note, title and venue share
    what is left (title first), each at least 6 wide, cut with an ellipsis when longer."""
    whole = [max([len(name), *(len(row[n]) for row in rows)]) for n, name in enumerate(names)]
    widths = list(whole)
    shares = {"note": 0.3, "title": 0.5, "venue": 0.2}
    flexible = {n: shares[name] for n, name in enumerate(names) if name in shares}
    room = total - (3 * len(names) + 2) - sum(w for n, w in enumerate(whole) if n not in flexible)
    if sum(whole[n] for n in flexible) > room:
        for n, share in flexible.items():
            widths[n] = max(6, min(whole[n], int(room * share)))
        spare = room - sum(widths[n] for n in flexible)
        for n in sorted(flexible, key=lambda n: -flexible[n]):
            grow = max(0, min(spare, whole[n] - widths[n]))
            widths[n] += grow
            spare -= grow
    return widths


def _print_table(listed: list[NoteResult], console: Console | None = None) -> None:
    """The per-note summary for a terminal: a table, one line per note, every cell plain text."""
    from rich.console import Console  # lazy: start-up
    from rich.table import Table  # lazy: start-up
    from rich.text import Text  # lazy: start-up

    from note_extract.core.display import terminal_text  # lazy: start-up

    console = console or Console(stderr=True)
    table = Table(title="Notes", show_lines=False)
    rows = [[terminal_text(cell) for cell in _summary_cells(r)] for r in listed]
    shown = list(range(len(_COLUMNS)))
    if all(r.status == "converted" for r in listed):
        shown.remove(1)  # every note converted: the status column says nothing
    rows = [[row[n] for n in shown] for row in rows]
    names = [_COLUMNS[n] for n in shown]
    for column, width in zip(names, _widths(names, rows, console.width), strict=True):
        table.add_column(column, overflow="ellipsis", no_wrap=True, width=width)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)


def _say_wrapped(head: str, items: list[str]) -> None:
    """``head`` and the items, comma-separated, broken only between items to fit the terminal."""
    import shutil  # lazy: start-up

    width = shutil.get_terminal_size((100, 24)).columns if sys.stderr.isatty() else 10**6
    line = head
    for n, item in enumerate(items):
        piece = item + ("," if n + 1 < len(items) else "")
        if len(line) + 1 + len(piece) > width and line.strip():
            say(line.rstrip())
            line = "  "
        line += ("" if line.endswith((" ", "  ")) else " ") + piece
    say(line.rstrip())


class _Lines:
    """Where ``run`` sends records (``-o -``) and per-note lines, as each note finishes."""

    def __init__(self, *, records: bool, lines: bool, table: bool) -> None:
        self.records = records
        self.lines = lines
        self.table = table
        self.listed: list[NoteResult] = []
        self.closed = False

    def __call__(self, result: NoteResult) -> None:
        if self.records and result.line is not None and not self.closed:
            try:
                sys.stdout.write(result.line)
            except BrokenPipeError:  # the reader stopped (``run -o - | head``): stop quietly
                self.closed = True
                raise
        if self.lines:
            say(_summary_line(result))
        elif self.table and len(self.listed) <= SUMMARY_TABLE_MAX:
            self.listed.append(result)


def _quiet_stdout() -> None:
    """After a broken pipe: send the rest of stdout nowhere, so exiting does not complain again."""

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class Executor(StrEnum):
    """Where ``run`` converts notes."""

    local = "local"
    dask = "dask"


@app.command()
def run(
    in_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of notes (searched recursively) or one note.", exists=True, metavar="IN_DIR"
        ),
    ],
    out: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--out",
            help="Output folder, or '-' for JSON Lines on stdout. Default: data/out under the working "
            "directory (said before the run starts).",
            metavar="OUT",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", min=0, help="Worker processes; 0 means one per CPU.", metavar="N"),
    ] = 0,
    force: Annotated[bool, typer.Option("--force", help="Convert every note, even unchanged ones.")] = False,
    glob: Annotated[
        list[str] | None,
        typer.Option("--glob", help="File patterns to take (repeatable).", metavar="PATTERN"),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal, not in CI)."),
    ] = None,
    executor: Annotated[
        Executor,
        typer.Option(
            "--executor",
            help="Where notes are converted: local processes or a Dask cluster.",
            metavar="local|dask",
        ),
    ] = Executor.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); without it --executor dask starts a local "
            "cluster of --workers processes. Workers must see the notes and OUT at the same paths.",
            metavar="ADDRESS",
        ),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help="Convert only the notes of IN_DIR (a folder in a git work tree) added, edited or renamed "
            "since this git revision, uncommitted edits included; delete the records of notes deleted "
            "or renamed since.",
            metavar="REV",
        ),
    ] = None,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Convert a folder of notes into one JSON record per note.

    Records go to OUT/<path relative to IN_DIR>.json. Unchanged notes (same bytes, same rules and
    settings) are skipped unless --force. A note that fails is reported and the others go on; the exit
    code is 1 when any failed. Records and anything else this command writes are never read as notes,
    even when OUT is IN_DIR.

    Off a terminal, one line per note goes to stderr as each note finishes; on a terminal, a progress
    bar, then a table when there are at most 50 notes. Failures and totals come last.

    Example: note-extract run data/raw -o data/out --workers 2
    (in CI, only the notes a pull request touched: note-extract run notes -o out --changed-since origin/main;
    on a cluster: note-extract run notes -o out --executor dask --scheduler tcp://host:8786)
    """

    from note_extract.batch.batch import (  # lazy: start-up
        DEFAULT_PATTERNS,
        count_notes,
        default_workers,
        iter_notes,
        run_batch,
    )
    from note_extract.rules.bundle import rules_for  # lazy: start-up

    settings = settings_for(config, rules_dir, registry)
    rules_for(settings)  # a bad rule file or language stops the run before any output
    if scheduler is not None and executor is not Executor.dask:
        raise fail("--scheduler goes with --executor dask")
    if out is None:
        out = DEFAULT_OUT
        say(f"no -o given: records go to {Path(out).resolve()}")
    to_stdout = out == "-"
    out_dir = None if to_stdout else Path(out)
    patterns = tuple(glob) if glob else DEFAULT_PATTERNS
    n_workers = workers or default_workers()
    terminal = sys.stderr.isatty()
    show = progress if progress is not None else (terminal and not os.environ.get("CI"))
    files: list[Path] | None = None
    if changed_since is not None:
        from note_extract.batch.changes import notes_since  # lazy: start-up

        files, stale = notes_since(in_dir, changed_since, patterns, out_dir)
        say(f"{len(files)} notes changed since {changed_since}, {len(stale)} stale records removed")
    elif next(iter_notes(in_dir, patterns, out_dir), None) is None:
        raise fail(f"no note files matching {', '.join(patterns)} under {in_dir}")
    sink = _Lines(records=to_stdout, lines=not terminal, table=terminal)

    def convert(on_result: Callable[[NoteResult], None]) -> BatchSummary:
        return run_batch(
            in_dir,
            out_dir,
            settings,
            workers=n_workers,
            force=force,
            patterns=patterns,
            on_result=on_result,
            files=files,
            executor=executor.value,
            scheduler=scheduler,
        )

    try:
        if show:
            from rich.console import Console  # lazy: start-up
            from rich.progress import (  # lazy: start-up
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            ) as bar:
                total = len(files) if files is not None else count_notes(in_dir, patterns, out_dir)
                loading = f"loading the pipeline in {n_workers} worker(s) (language model, rules)"
                task = bar.add_task(loading, total=total)

                def tick(result: NoteResult) -> None:
                    sink(result)
                    bar.update(task, advance=1, description="converting")

                summary = convert(tick)
        else:
            summary = convert(sink)
    except BrokenPipeError:
        _quiet_stdout()
        raise typer.Exit(0) from None
    if sink.table and 0 < len(sink.listed) <= SUMMARY_TABLE_MAX:
        _print_table(sink.listed)
    _report(summary, out_dir)


def _report(summary: BatchSummary, out_dir: Path | None) -> None:
    """The end of a run: failures, removed records, totals; exit 1 when a note failed."""
    from note_extract.batch.convert import LOW_CONFIDENCE  # lazy: start-up

    for failed in summary.failures:
        say(f"failed: {failed.path}: {failed.error}")
    for gone in summary.removed:
        say(f"removed: {gone}: its note is gone")
    if summary.restarts:
        say(
            f"a worker process died ({summary.restarts} time(s)) while converting one of: "
            f"{', '.join(summary.interrupted)}; each was converted again on its own"
        )
    issues = summary.issues_by_code()
    removed = f", {len(summary.removed)} removed (note gone)" if summary.removed else ""
    say(
        f"{summary.count('converted')} converted, {summary.count('unchanged')} unchanged, "
        f"{summary.count('failed')} failed{removed}" + (f" -> {out_dir}" if out_dir else "")
    )
    if issues:
        _say_wrapped("issues: ", [f"{code} {n}" for code, n in issues.items()])
    if summary.low_confidence:
        say(
            f"low confidence (below {LOW_CONFIDENCE:g}): {summary.low_confidence} values in "
            f"{summary.low_confidence_notes} notes (check --min-confidence {LOW_CONFIDENCE:g} lists them)"
        )
    if summary.count("failed"):
        raise typer.Exit(1)


@app.command()
def schema(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Where to write the schema.", file_okay=False, metavar="DIR")
    ] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the file differs instead of writing it.")
    ] = False,
) -> None:
    """Write the record's JSON Schema (generated from the models) into DIR (default: schemas/ under the
    working directory) and say where.

    Example: note-extract schema --check
    """
    from note_extract.batch.output import write_atomic  # lazy: start-up
    from note_extract.core.display import terminal_text  # lazy: start-up
    from note_extract.record.schema import SCHEMA_FILE, schema_text  # lazy: start-up

    target = out_dir / SCHEMA_FILE
    text = schema_text()
    if check:
        if not target.is_file():
            raise fail(f"{target} is missing; run: note-extract schema", 1)
        if target.read_text(encoding="utf-8") != text:
            raise fail(f"{target} is out of date; run: note-extract schema", 1)
        typer.echo(terminal_text(f"{target} is up to date"))
        return
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise fail(f"{target}: cannot write: {exc.strerror or exc}") from None
    typer.echo(terminal_text(f"wrote {target.resolve()}"))


@app.command()
def resolve(
    name: Annotated[
        str,
        typer.Argument(help="An organization name as a note writes it.", metavar="NAME", hidden=True),
    ],
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Show how a name resolves against the registry, and why.

    NAME: an organization name as a note writes it. Only the registry is searched: a national body
    ("Panama: Ministry of Health", method rule) is recognized in a note, not here.

    Example: note-extract resolve "UN LIREC"
    """
    from note_extract.core.display import terminal_text  # lazy: start-up
    from note_extract.pipeline import Pipeline  # lazy: start-up

    pipeline = Pipeline(settings_for(config, rules_dir, registry))
    result = pipeline.resolver.resolve(name)
    if result.entry is not None:
        typer.echo(
            terminal_text(
                f"{name!r} -> {result.entry.id} ({result.entry.name}) "
                f"method={result.method} score={result.score:.1f}"
            )
        )
    elif result.ambiguous:
        typer.echo(terminal_text(f"{name!r} is ambiguous: " + ", ".join(e.id for e in result.ambiguous)))
    else:
        typer.echo(terminal_text(f"{name!r} is unresolved"))
    for entry, score in result.candidates:
        typer.echo(terminal_text(f"  candidate {entry.id:<24} {score:5.1f}  {entry.name}"))
    if result.entry is None:
        raise typer.Exit(1)


@app.command(name="rules")
def rules_command(
    config: ConfigOption = None, rules_dir: RulesOption = None, registry: RegistryOption = None
) -> None:
    """List the rule files in force: name, rows, and the file read (shipped, or yours).

    Each file of --rules DIR (or of the rules setting) replaces the shipped file of the same name;
    the registry setting replaces organizations.jsonl.

    Example: note-extract rules --rules my_rules
    """
    from note_extract.core.display import terminal_text  # lazy: start-up
    from note_extract.rules.bundle import rules_for  # lazy: start-up

    bundle = rules_for(settings_for(config, rules_dir, registry))
    for name in sorted(bundle.paths):
        count = bundle.count(name)
        rows = "lazy" if count is None else str(count)
        where = str(bundle.path(name)) if bundle.overridden(name) else "shipped"
        typer.echo(terminal_text(f"{name:<22} {rows:>6}  {where}"))
    typer.echo(f"digest {bundle.digest}")


@app.command(name="eval")
def eval_command(
    out_dir: Annotated[
        Path,
        typer.Argument(help="Folder of records to score.", exists=True, file_okay=False, metavar="OUT_DIR"),
    ],
    gold_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of gold files: golden records or compact gold (format read per file).",
            exists=True,
            file_okay=False,
            metavar="GOLD_DIR",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    only: Annotated[
        Path | None,
        typer.Option(
            "--only",
            help="Score only gold files named like a note in this folder.",
            exists=True,
            metavar="DIR",
        ),
    ] = None,
    aliases: Annotated[
        Path | None,
        typer.Option(
            "--aliases",
            help="Equivalent names for compact gold, {name: [names]} (default: gold_aliases.json "
            "in or beside GOLD_DIR).",
            exists=True,
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Score records against hand-checked gold: per-field counts and shares, and every miss.

    Exit codes: 0 every gold file has a record; 1 some are missing; 2 the gold folder holds no gold
    file. Compact gold (names, as the shared corpus writes it): note-extract eval corpus-out
    ../shared/corpus/gold

    Example (as make eval): note-extract run tests/notes -o out && note-extract run data/raw -o out &&
    note-extract eval out tests/golden
    """

    from note_extract.quality.evaluate import evaluate_folder  # lazy: start-up
    from note_extract.rules.bundle import REGISTRY_FILE, rules_for  # lazy: start-up

    registry_file = rules_for(settings_for(config, rules_dir, registry)).path(REGISTRY_FILE)
    result = evaluate_folder(out_dir, gold_dir, only=only, aliases=aliases, registry=registry_file)
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
app.command()(diff)
app.add_typer(orgs_app, name="orgs")
guard(app)
