"""The ``review`` command and the ``orgs`` group (list, suggest, add).

Registered in cli.py with ``app.command()(review)`` and ``app.add_typer(orgs_app, name="orgs")``.
Exit codes: 0 success; 1 ``orgs add`` refused a proposal or name (the others were applied);
2 usage or set-up error (no records, bad settings, bad proposals file, no user registry).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from note_extract.cli.options import ConfigOption, RegistryOption, RulesOption, fail, settings_for

if TYPE_CHECKING:
    from note_extract.lexicon.resolve import Resolver

err = Console(stderr=True)

NotesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--notes",
        help=(
            "The folder the batch was run on (repeatable): raw notes are read from NOTES/<source.path>. "
            "Default: the input folders 'run' remembered in OUT_DIR, else source.path as written."
        ),
        file_okay=False,
        metavar="NOTES",
    ),
]
RecordsArgument = Annotated[
    Path,
    typer.Argument(
        help="Folder of records written by 'note-extract run'.",
        exists=True,
        file_okay=False,
        metavar="OUT_DIR",
    ),
]


def _resolver(config: Path | None, rules_dir: Path | None, registry: Path | None = None) -> Resolver:
    """The resolver of the settings in force (the registry and fuzzy thresholds a batch used)."""
    from note_extract.lexicon.registry import rules_registry  # lazy: start-up
    from note_extract.lexicon.resolve import Resolver  # lazy: start-up
    from note_extract.rules.bundle import rules_for  # lazy: start-up

    settings = settings_for(config, rules_dir, registry)
    return Resolver(rules_registry(rules_for(settings)), settings.fuzzy_cutoff, settings.fuzzy_margin)


def review(
    out_dir: RecordsArgument,
    site: Annotated[
        Path, typer.Option("-o", "--out", help="Folder to write the site into.", file_okay=False)
    ],
    notes: NotesOption = None,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Write a static review site over a batch: an index with charts and filters, a page per note with
    every extracted span highlighted in the raw text, and the registry proposals.

    The site works offline from file:// (open SITE/index.html). Each note page needs the raw note: it
    is read from NOTES/<source.path> (by default from the input folders 'run' remembered in OUT_DIR)
    and checked against the record's sha256; a missing or changed note gets a page that says so. Pages
    link the record files in OUT_DIR instead of copying them: keep the two folders side by side.

    Example: note-extract review data/out -o data/site
    """
    from note_extract.review.site import build_site  # lazy: start-up
    from note_extract.rules.bundle import rules_for  # lazy: start-up

    rules = rules_for(settings_for(config, rules_dir, registry))
    resolver = _resolver(config, rules_dir, registry)
    summary = build_site(out_dir, site, resolver, tuple(notes or ()), rules=rules)
    _missing(summary.missing_text, summary.missing)
    err.print(
        f"{summary.notes} note page(s), {summary.proposals} registry proposal(s) -> {site / 'index.html'}",
        highlight=False,
        soft_wrap=True,
    )


def _missing(lines: list[str], count: int | None = None, shown: int = 3) -> None:
    """Say which notes had no raw text: the first few, then how many more."""
    from note_extract.core.display import terminal_text  # lazy: start-up

    total = len(lines) if count is None else count
    for line in lines[:shown]:
        err.print(escape(terminal_text(f"no raw text: {line}")), highlight=False, soft_wrap=True)
    if total > shown:
        err.print(f"... and {total - shown} more note(s) without raw text", highlight=False)


orgs_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)


@orgs_app.callback()
def orgs(ctx: typer.Context, config: ConfigOption = None, registry: RegistryOption = None) -> None:
    """The organization registry: with no subcommand, list it (id, acronym, type, parent, name);
    'suggest' proposes entries from a batch, 'add' merges the kept proposals into your registry.

    Example: note-extract orgs | grep -i lirec
    """
    if ctx.invoked_subcommand is not None:
        return
    from note_extract.core.display import terminal_text  # lazy: start-up
    from note_extract.lexicon.registry import load_registry  # lazy: start-up

    for entry in load_registry(settings_for(config, None, registry).registry).entries:
        cells = (entry.id, entry.acronym or "-", entry.type, entry.parent or "-", entry.name)
        typer.echo("\t".join(terminal_text(cell).replace("\t", "\\t") for cell in cells))


@orgs_app.command("suggest")
def orgs_suggest(
    out_dir: RecordsArgument,
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Proposals file to write (JSON Lines).", dir_okay=False)
    ],
    notes: NotesOption = None,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
    registry: RegistryOption = None,
) -> None:
    """Propose registry entries for the organizations a batch did not resolve (or matched fuzzily).

    Spellings of one organization are clustered (similar names, acronym written with or without
    spaces, "Long Name (ACR)" anywhere in the batch's raw notes); each cluster is one proposal: a new
    entry, or new aliases for an existing one, with its evidence. Edit the file (set "keep" to false,
    fix a name or type), then run 'note-extract orgs add'.

    Names that are no registry entry are left out: persons' titles, and a State's bodies named without
    the State ("Customs", "Ministry of Foreign Affairs"). Raw notes are read as 'review' reads them.

    Example: note-extract orgs suggest data/out -o suggestions.jsonl
    """
    from note_extract.batch.output import output_errors, write_atomic  # lazy: start-up
    from note_extract.batch.records import (  # lazy: start-up
        batch_files,
        load_record,
        notes_folders,
        read_source,
    )
    from note_extract.core.display import terminal_text  # lazy: start-up
    from note_extract.review.suggest import Collector, proposal_line  # lazy: start-up
    from note_extract.rules.bundle import rules_for  # lazy: start-up

    settings = settings_for(config, rules_dir, registry)
    files = batch_files(out_dir)
    if not files:
        raise fail(f"{out_dir}: no records (*.json) found; write some with: note-extract run")
    folders = notes_folders(out_dir, tuple(notes or ()))
    collector = Collector(_resolver(config, rules_dir, registry), rules=rules_for(settings))
    missing = []
    for rel, path in files:
        record = load_record(path)
        source = read_source(record, folders)
        if source.text is None:
            missing.append(f"{rel}: {source.problem}")
        collector.add(record, source.text)
    _missing(missing)
    proposals = collector.proposals()
    with output_errors(out):
        write_atomic(out, "".join(proposal_line(p) for p in proposals))
    for p in proposals:
        names = ", ".join([*p.acronyms, *p.aliases])
        typer.echo(terminal_text(f"{p.action:<7} {p.id:<28} {p.name}" + (f"  [{names}]" if names else "")))
    err.print(f"{len(proposals)} proposal(s) from {len(files)} record(s) -> {out}", highlight=False)


@orgs_app.command("add")
def orgs_add(
    proposals_file: Annotated[
        Path,
        typer.Argument(
            help="Proposals written by 'orgs suggest'.", exists=True, dir_okay=False, metavar="PROPOSALS"
        ),
    ],
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            help="Registry file to change. Default: the one [tool.note_extract] registry names.",
            dir_okay=False,
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Merge the kept proposals into your registry and print what changed.

    A registry file that does not exist yet starts as a copy of the shipped one. An alias that another
    entry already lists is refused (exit 1), the rest is applied. The shipped registry is never changed.

    Example: note-extract orgs add suggestions.jsonl --registry my_orgs.jsonl
    """
    from note_extract.review.registry_add import add_proposals, read_proposals  # lazy: start-up

    target = registry or settings_for(config).registry
    if target is None:
        raise fail(
            "no registry to change: pass --registry FILE or set registry in [tool.note_extract] "
            "(the shipped registry is never changed)"
        )
    report = add_proposals(read_proposals(proposals_file), target)
    for line in report.lines():
        typer.echo(line)
    if report.refused:
        raise typer.Exit(1)
