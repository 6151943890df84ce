"""The ``note-extract bench`` command: throughput and memory on a synthetic corpus.

Thin by design: it checks its arguments, calls :func:`note_extract.bench.bench.run_bench` and prints the
figures next to their targets (stage messages go to stderr, the report to stdout). Register it with
``app.command()(bench)``. Exit codes: 0 the benchmark ran (whether or not targets were met);
2 usage or set-up error (no notes in the source folder, bad worker list, bad config).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from note_extract.bench.defaults import DEFAULT_NOTES, DEFAULT_SCALE, DEFAULT_SEED
from note_extract.cli.options import ConfigOption, RulesOption, say, settings_for

if TYPE_CHECKING:
    from note_extract.bench.bench import BenchResult, Target
    from note_extract.core.settings import Settings

SOURCE = Path("data/raw")
DEFAULT_SCALE_TEXT = ",".join(str(n) for n in DEFAULT_SCALE)


def bench(
    notes: Annotated[
        int, typer.Option("--notes", "-n", min=1, help="How many notes to generate.", metavar="N")
    ] = DEFAULT_NOTES,
    seed: Annotated[
        int, typer.Option("--seed", help="Corpus seed; the same seed gives the same files.", metavar="SEED")
    ] = DEFAULT_SEED,
    source: Annotated[
        Path,
        typer.Option(
            "--source",
            help="Folder of real notes (*.txt) to vary.",
            exists=True,
            file_okay=False,
            metavar="DIR",
        ),
    ] = SOURCE,
    workers: Annotated[
        str | None,
        typer.Option(
            "--workers",
            "-w",
            help=(
                "Worker counts for run_batch: a maximum N (times 1, 2, 4, ... N) or a list such as 1,2,4. "
                "1 and 2 are always timed. Default: the CPU count."
            ),
            show_default=False,
            metavar="N|LIST",
        ),
    ] = None,
    profile: Annotated[
        bool, typer.Option("--profile", help="Also print the top 25 cProfile lines of a single-process pass.")
    ] = False,
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            help="Write the corpus to this folder and keep it (default: a temporary folder, removed after).",
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    scale_counts: Annotated[
        str,
        typer.Option(
            "--scale",
            help="Corpus sizes for memory runs of 'run' (peak memory must stay flat), e.g. "
            f"{DEFAULT_SCALE_TEXT} as make bench gives (about 20 minutes on 2 busy cores); "
            "'none' (the default) skips them.",
            metavar="N,N",
        ),
    ] = "none",
    startup_times: Annotated[
        bool,
        typer.Option("--startup/--no-startup", help="Time --help and check on one note (make bench does)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    pdf_notes: Annotated[
        int,
        typer.Option(
            "--pdf-notes",
            min=0,
            help="How many of the notes (at most --notes) to also time as PDFs (pages/s, notes/s); 0 skips.",
            metavar="N",
        ),
    ] = 200,
    dask_notes: Annotated[
        int,
        typer.Option(
            "--dask-notes",
            min=0,
            help="Time this many notes with 2 local workers and on a local Dask cluster of 2; 0 skips.",
            metavar="N",
        ),
    ] = 0,
    real: Annotated[
        Path | None,
        typer.Option(
            "--real",
            help="Folder of real texts (*.txt) measured as the yardstick's second mix (make bench gives "
            "the shared corpus when it is there); the first mix is the generated notes, the third --source.",
            exists=True,
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    config: ConfigOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """Measure throughput and memory on a synthetic corpus made from the real notes.

    Generates NOTES variations of the notes in --source (dates, venues, header order and labels,
    paragraphs, HTML debris, CRLF), then times: the pipeline in one process (notes/s per core); the
    tokenizer alone on the same texts (the floor: the pipeline's own tokenization, its token rule and
    spaCy Doc); 'run' with 1 and 2 (or more) workers; and peak memory of the main process and of the
    largest worker. Targets: >= 250 notes/s per core, within 3x the tokenizer, peak < 400 MB,
    near-linear from 1 to 2 workers (>= 1.8x). Then the first --pdf-notes notes are written as PDFs
    and timed as text and as PDF (pages/s, notes/s), and with --dask-notes N, N notes are converted
    with 2 local workers and on a local Dask cluster of 2. With --startup, in fresh processes: start-up
    of --help (< 0.5 s) and of check on one note (< 1 s). With --scale, the peak memory of 'run'
    (1 worker) over each corpus size, which must not grow by 10% or more from the smallest to the largest.
    Last, the yardstick, in CPU time: run's work per note (read, extract, write the record) for three
    mixes (the first 1,000 generated notes, the real texts of --real, the seeds of --source), and its
    ratio to the I/O floor and to spaCy's tokenizer (LF line ends), both measured in the same run.

    Example: note-extract bench --notes 2000 --real ../shared/corpus/notes
    (make bench runs: note-extract bench --startup --scale 10000,100000 --real ../shared/corpus/notes)
    """
    from note_extract.bench.bench import run_bench, worker_counts  # lazy: start-up

    try:
        counts = worker_counts(workers)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--workers") from None
    try:
        sizes = () if scale_counts == "none" else tuple(int(n) for n in scale_counts.split(","))
    except ValueError:
        raise typer.BadParameter("give sizes such as 10000,100000, or none", param_hint="--scale") from None
    if any(n < 1 for n in sizes):
        raise typer.BadParameter("sizes must be at least 1", param_hint="--scale")
    settings = settings_for(config, rules_dir)
    result = run_bench(
        source,
        settings,
        notes=notes,
        seed=seed,
        workers=counts,
        profile=profile,
        keep=keep,
        real=real,
        on_stage=lambda stage: say(f"bench: {stage} ..."),
    )
    data = {**result.as_dict(), **_pdf_and_dask(source, settings, seed, min(pdf_notes, notes), dask_notes)}
    lines: list[str] = format_extra(data).splitlines()
    from note_extract.bench.scale import scale, scale_lines, startup, startup_lines  # lazy: start-up

    if startup_times:
        say("bench: start-up of --help and check on one note ...")
        first = min(source.glob("*.txt"))
        timed = startup(first)
        data["startup"] = asdict(timed)
        lines += startup_lines(timed)
    if sizes:
        grown = scale(
            source,
            sizes,
            seed=seed,
            config=config,
            rules=settings.rules,
            on_stage=lambda stage: say(f"bench: {stage} ..."),
        )
        data["scale"] = {"points": [asdict(p) for p in grown.points], "growth": grown.growth}
        lines += scale_lines(grown)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(format_result(result) + "".join(line + "\n" for line in lines), nl=False)


def _pdf_and_dask(
    source: Path, settings: Settings, seed: int, pdf_notes: int, dask_notes: int
) -> dict[str, Any]:
    """The PDF and Dask figures, on the first notes of the same corpus (``pdf`` and ``dask`` keys)."""

    from note_extract.bench.bench import generate_corpus  # lazy: start-up
    from note_extract.bench.pdf import measure_dask, measure_pdf  # lazy: start-up

    extra: dict[str, Any] = {}

    def stage(text: str) -> None:
        say(f"bench: {text} ...")

    with tempfile.TemporaryDirectory(prefix="note-extract-bench-extra-") as folder:
        files = generate_corpus(source, Path(folder), max(pdf_notes, dask_notes, 1), seed)
        if pdf_notes:
            extra["pdf"] = asdict(measure_pdf(files[:pdf_notes], settings, on_stage=stage))
        if dask_notes:
            extra["dask"] = asdict(measure_dask(files[:dask_notes], settings, 2, on_stage=stage))
    return extra


def format_extra(extra: dict[str, Any]) -> str:
    """The PDF and Dask figures as lines of text (none when they were skipped)."""
    lines = []
    pdf = extra.get("pdf")
    if pdf:
        lines.append(
            f"PDF: the first {pdf['notes']} notes as PDFs ({pdf['pages']} pages), single process: "
            f"{pdf['pdf_pages_per_s']:.0f} pages/s = {pdf['pdf_notes_per_s']:.0f} notes/s, against "
            f"{pdf['text_notes_per_s']:.0f} notes/s as text; "
            f"text layer alone {pdf['read_pages_per_s']:.0f} pages/s"
            + (f"   ({pdf['failed']} failed)" if pdf["failed"] else "")
        )
    dask = extra.get("dask")
    if dask:
        lines.append(
            f"Dask: {dask['notes']} notes, run_batch {dask['workers']} workers "
            f"{dask['local_notes_per_s']:.0f} notes/s; local Dask cluster of {dask['workers']} "
            f"{dask['dask_notes_per_s']:.0f} notes/s "
            f"(+ {dask['cluster_start_s']:.1f} s to start it)"
        )
    return "".join(line + "\n" for line in lines)


def _mark(target: Target | None) -> str:
    """``target >= 250: met`` next to a figure, or nothing."""
    if target is None:
        return ""
    return f"   [target {target.goal}: {'met' if target.met else 'MISSED'}]"


def format_result(result: BenchResult) -> str:
    """The report as lines of text, each figure followed by its target and whether it is met."""
    targets = {t.name: t for t in result.targets()}
    corpus = f"kept in {result.corpus}" if result.corpus else "temporary"
    lines = [
        f"notes: {result.notes} generated from {result.source} (seed {result.seed}, {corpus}) "
        f"in {result.generate_s:.1f} s; {result.cpus} CPU(s) available",
        f"total time: {result.total_s:.1f} s",
        f"single process: {result.notes} notes in {result.pipeline_s:.2f} s = "
        f"{result.pipeline_notes_per_s:.0f} notes/s per core (Pipeline built in {result.setup_s:.2f} s)"
        + _mark(targets.get("notes/s per core")),
        f"tokenizer only ({result.tokenizer}): {result.tokenizer_notes_per_s:.0f} notes/s, "
        f"pipeline/tokenizer = {result.ratio:.1f}x" + _mark(targets.get("pipeline/tokenizer")),
    ]
    for run in result.batches:
        line = (
            f"run_batch {run.workers} worker{'s' if run.workers > 1 else ' '}: "
            f"{run.seconds:.2f} s = {run.notes_per_s:.0f} notes/s, speed-up {run.speedup:.2f}x"
        )
        if run.load_1m is not None:
            line += f" (load average {run.load_1m:.1f} on {result.cpus} CPUs)"
        if run.workers == 2:
            line += _mark(targets.get("speed-up 1->2 workers"))
        if run.failed:
            line += f"   ({run.failed} failed)"
        lines.append(line)
    lines.append(
        f"peak RSS main process: {result.peak_rss_main_mb:.0f} MB" + _mark(targets.get("peak RSS main MB"))
    )
    lines.append(
        f"peak RSS largest worker: {result.peak_rss_worker_mb:.0f} MB"
        + _mark(targets.get("peak RSS worker MB"))
    )
    from note_extract.bench.yardstick import mix_lines  # lazy: start-up

    lines += mix_lines(result.mixes)
    if result.review_s is not None:
        lines.append(f"review site: {result.review_notes} notes in {result.review_s:.1f} s")
    if result.pipeline_failed:
        lines.append(f"failed in the single-process run: {result.pipeline_failed}")
    if result.profile:
        lines += ["", "profile, single process, top 25 by cumulative time:", result.profile.rstrip("\n")]
    return "\n".join(lines) + "\n"
