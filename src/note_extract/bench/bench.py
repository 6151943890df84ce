"""Benchmark: a synthetic corpus made from the real notes, and how fast and lean the pipeline is on it.

Contract, corpus: :func:`generate_corpus` writes N notes into a folder, each a variation of one of the
real notes in a source folder (taken in turn, sorted by name): dates shifted (days, months, years),
the venue's city and country swapped for another pair, header fields reordered, dropped or relabelled
("Organizers:", "Organised by:", ...), the document title line respelled, paragraphs duplicated,
dropped or cut short, HTML debris, CRLF line ends, a BOM or Windows-1252 bytes. Note ``i`` is built by
``random.Random(f"{seed}:{i}")`` alone, so the same seed gives byte-identical files and the first N
notes of a larger corpus are the N notes of a smaller one. File names are
``<index>_<source stem>.txt``; every file differs from its source.

Contract, measurement: :func:`measure` times, on one corpus, in this order:
:func:`~note_extract.batch.batch.run_batch` (with ``force``, writing to a temporary folder) for each worker
count, most workers first so that worker processes start from a main process that has not run the
pipeline (1 worker runs in the main process); then the whole pipeline in this process on the decoded
texts, each record serialized to JSON as ``run`` writes it (file reading and writing excluded, after
a warm-up on the first notes, Pipeline construction timed apart); then the tokenizer alone on the
same texts. The tokenizer floor is the pipeline's own tokenization (``EntityFinder.tokens``: its
token rule and the spaCy ``Doc`` it builds on the ``spacy.blank("en")`` vocabulary); the result
names it. Peak memory is ``ru_maxrss`` of this process (``RUSAGE_SELF``) and of the largest child
process waited for (``RUSAGE_CHILDREN``), in MB; a forked worker's figure includes the pages it shares with
the main process. With ``profile``, one more single-process pass runs under cProfile (so the timed
figures carry no profiler overhead) and the top 25 functions by cumulative time are kept. Nothing is
printed; :class:`BenchResult` carries the figures and the targets they are held to. :func:`run_bench`
then times ``review`` on the first 2,000 notes (:mod:`note_extract.bench.review`).
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import io
import os
import pstats
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from note_extract.batch.batch import default_workers, run_batch
from note_extract.batch.output import record_json
from note_extract.bench.defaults import DEFAULT_NOTES, DEFAULT_SEED
from note_extract.bench.yardstick import MixFigures, load_average, measure_mix
from note_extract.core.errors import InputError
from note_extract.core.models import Source
from note_extract.core.settings import Settings
from note_extract.read.reader import read_note

if TYPE_CHECKING:
    from note_extract.pipeline import Pipeline

WARM_UP_NOTES = 50
PROFILE_LINES = 25

TARGET_NOTES_PER_S = 250.0
"""Single-process throughput to reach, in notes per second on one core."""
TARGET_TOKENIZER_RATIO = 3.0
"""The pipeline may take at most this many times the tokenizer's time on the same texts."""
TARGET_PEAK_MB = 400.0
"""Peak resident memory of any one process, in MB."""
TARGET_SPEEDUP_2 = 1.8
"""Near-linear scaling from 1 to 2 workers, taken as at least 90% of 2x."""

# --------------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DATE_OR_YEAR = re.compile(
    r"(?<![\w.])(?P<d1>\d{1,2})(?:(?P<sep>\s*[-\u2013\u2014]\s*)(?P<d2>\d{1,2}))?(?P<gap>\s+)"
    rf"(?P<month>{'|'.join(_MONTHS)})\b(?P<gap2>,?\s+)(?P<year>(?:19|20)\d\d)\b"
    r"|(?<![\d(])(?P<bare>19[89]\d|20[0-3]\d)(?![\d)])"
)

_VENUES = (
    ("Panama City", "Panama"),
    ("Lima", "Peru"),
    ("Georgetown", "Guyana"),
    ("Bogotá", "Colombia"),
    ("Santiago", "Chile"),
    ("San José", "Costa Rica"),
    ("Kingston", "Jamaica"),
    ("Mexico City", "Mexico"),
    ("Buenos Aires", "Argentina"),
    ("Quito", "Ecuador"),
    ("Montevideo", "Uruguay"),
    ("Port of Spain", "Trinidad and Tobago"),
    ("Vienna", "Austria"),
    ("Nairobi", "Kenya"),
    ("Bangkok", "Thailand"),
)
_VENUE_PAIR = re.compile(
    "|".join(
        rf"(?P<v{i}>\b{re.escape(city)},\s*{re.escape(country)}\b)"
        for i, (city, country) in enumerate(_VENUES)
    )
)
_VENUE_NAME = re.compile(
    r"\b("
    + "|".join(re.escape(name) for pair in _VENUES for name in sorted(pair, key=len, reverse=True))
    + r")\b"
)

_LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "title": ("Event", "Title", "Event title", "Name of event", "Activity"),
    "organizers": ("Organizers", "Organizer", "Organisers", "Organiser", "Organized by", "Organised by"),
    "participants": ("Participants", "Participant", "Attendees", "Participation"),
    "observers": ("Observer", "Observers"),
    "sponsors": ("Sponsors", "Sponsor", "Sponsored by", "Funded by"),
    "hosts": ("Host", "Hosts", "Hosted by"),
    "date_venue": (
        "Date and venue",
        "Date and Venue",
        "Venue and date",
        "Venue and Date",
        "Dates and venue",
        "Date/venue",
        "Date & venue",
        "Date and place",
    ),
}
_LABEL_GROUP = {label.casefold(): group for group, labels in _LABEL_GROUPS.items() for label in labels}
_DROPPABLE = ("participants", "observers", "sponsors", "hosts")
_LABEL_LINE = re.compile(
    r"^(?P<pre>\|\s*|\*\*|<b>)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(_LABEL_GROUP, key=len, reverse=True))
    + r")(?P<post>(?:\*\*|</b>)?\s*:\s*(?:\*\*|</b>)?)",
    re.IGNORECASE,
)
_BOLD_LABEL = re.compile(
    r"^(?P<pre>\|\s*)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(_LABEL_GROUP, key=len, reverse=True))
    + r")\s*:(?P<space>\s*)",
    re.IGNORECASE | re.MULTILINE,
)
_TABLE_RULE = re.compile(r"^\|[-\s|:]+\|?\s*$")
_HEADING = re.compile(r"^(?:#{1,6}\s|\d{1,2}\.\s+[A-Z])")
_TITLE_LINE = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?Information Note\b.*$", re.IGNORECASE | re.MULTILINE)
_TITLE_VARIANTS = (
    "Information Note\u00b9",
    "Information Note",
    "INFORMATION NOTE\u00b9",
    "## Information Note<sup>1</sup>",
    "## **Information Note**<sup>1</sup>",
    "# Information Note",
    "**Information Note**\u00b9",
)
_PROTECTED = re.compile(
    r"^\s*(?:#|\d{1,2}\.\s|-{3,}|<sup>|\u00b9)|for information|further information|1540experts", re.I
)
_SENTENCE_END = re.compile(r"(?<=[a-z)\]])[.;] (?=[A-Z(])")


def vary_note(text: str, rng: random.Random) -> str:
    """A variation of one note's text (``\\n`` line ends in, the line ends chosen out); see the module."""
    out = text.replace("\r\n", "\n")
    if rng.random() < 0.8:
        out = _shift_dates(out, rng)
    if rng.random() < 0.6:
        out = _swap_venue(out, rng)
    out = _vary_header(out, rng)
    if rng.random() < 0.3:
        out = _TITLE_LINE.sub(lambda _: rng.choice(_TITLE_VARIANTS), out, count=1)
    out = _vary_paragraphs(out, rng)
    if rng.random() < 0.25:
        out = _add_debris(out, rng)
    if rng.random() < 0.1:
        out = "\n" * rng.randint(1, 3) + out
    if rng.random() < 0.3:
        out = out.rstrip("\n") + "\n"
    if rng.random() < 0.2:
        out = out.replace("\n", "\r\n")
    if out == text:
        out = out.replace("\n", "\r\n") if "\n" in out else out + "\n"
    return out


def _shift_dates(text: str, rng: random.Random) -> str:
    """Shift every event-like date: days and months by one offset each, years by another.

    Years in parentheses ("resolution 1540 (2004)") are resolution years and stay. Days stay within
    1..28 so that any month is valid; when no offset allows it, days and months stay.
    """
    matches = list(_DATE_OR_YEAR.finditer(text))
    if not matches:
        return text
    years = [int(m["year"] or m["bare"]) for m in matches]
    days = [int(d) for m in matches for d in (m["d1"], m["d2"]) if d]
    year_shifts = [d for d in range(-6, 7) if min(years) + d >= 2004 and max(years) + d <= 2025]
    day_shifts = [d for d in range(-9, 10) if not days or (min(days) + d >= 1 and max(days) + d <= 28)]
    dy = rng.choice(year_shifts) if year_shifts else 0
    dd = rng.choice(day_shifts) if day_shifts else 0
    dm = rng.randint(-2, 2) if day_shifts else 0

    def shifted(m: re.Match[str]) -> str:
        if m["bare"]:
            return str(int(m["bare"]) + dy)
        month = _MONTHS[(_MONTHS.index(m["month"]) + dm) % 12]
        out = str(int(m["d1"]) + dd)
        if m["d2"]:
            out += m["sep"] + str(int(m["d2"]) + dd)
        return out + m["gap"] + month + m["gap2"] + str(int(m["year"]) + dy)

    return _DATE_OR_YEAR.sub(shifted, text)


def _swap_venue(text: str, rng: random.Random) -> str:
    """Replace the note's "City, Country" venue, and every other mention of that city or country, with
    another pair from a small list whose names the note does not already contain."""
    venue = _VENUE_PAIR.search(text)
    if venue is None:
        return text
    city, country = _VENUES[int(venue.lastgroup[1:]) if venue.lastgroup else 0]
    present = set(_VENUE_NAME.findall(text))
    choices = [(c, k) for c, k in _VENUES if c not in present and k not in present]
    if not choices:
        return text
    new_city, new_country = rng.choice(choices)
    names = {city: new_city, country: new_country}
    pattern = re.compile(rf"\b(?:{re.escape(city)}|{re.escape(country)})\b")
    return pattern.sub(lambda m: names[m.group(0)], text)


def _vary_header(text: str, rng: random.Random) -> str:
    """Relabel, reorder or drop the labelled header fields (markdown table rows or labelled paragraphs).

    A field is its label line and the lines that follow up to the next label or the first heading. A
    table keeps its rule line after its first row.
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if _LABEL_LINE.match(line)), None)
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if _HEADING.match(lines[i])), None)
    if end is None:
        return text
    table = lines[start].lstrip().startswith("|")
    fields, rule, blank_lines_after = _header_fields(lines[start:end], table)
    fields = _varied_fields(fields, rng)
    joined = ["\n".join(f) for f in fields]
    if table:
        joined[0] += "\n" + rule
    header = ("\n" if table else "\n\n").join(joined)
    return "\n".join([*lines[:start], header, *([""] * max(blank_lines_after, 1)), *lines[end:]])


def _header_fields(lines: list[str], table: bool) -> tuple[list[list[str]], str, int]:
    """The header's fields (each its lines, blank tails gone), a table's rule line, and how many blank
    lines followed the last field."""
    rule = "|---|---|"
    fields: list[list[str]] = []
    for line in lines:
        if table and _TABLE_RULE.match(line):
            rule = line
        elif _LABEL_LINE.match(line) or not fields:
            fields.append([line])
        else:
            fields[-1].append(line)
    blank_lines_after = 0
    while fields[-1] and not fields[-1][-1].strip():
        fields[-1].pop()
        blank_lines_after += 1
    fields = [_strip_blank_tail(f) for f in fields]
    return [f for f in fields if f], rule, blank_lines_after


def _varied_fields(fields: list[list[str]], rng: random.Random) -> list[list[str]]:
    """The fields relabelled (half the time), one droppable field now and then dropped, and the order
    now and then shuffled or two neighbours swapped."""
    if rng.random() < 0.5:
        fields = [_relabel(f, rng) for f in fields]
    if len(fields) > 2 and rng.random() < 0.15:
        droppable = [i for i, f in enumerate(fields) if _field_group(f) in _DROPPABLE]
        if droppable:
            del fields[rng.choice(droppable)]
    if len(fields) > 1:
        roll = rng.random()
        if roll < 0.15:
            rng.shuffle(fields)
        elif roll < 0.45:
            i = rng.randrange(len(fields) - 1)
            fields[i], fields[i + 1] = fields[i + 1], fields[i]
    return fields


def _strip_blank_tail(field: list[str]) -> list[str]:
    """The field without its trailing blank lines."""
    while field and not field[-1].strip():
        field = field[:-1]
    return field


def _field_group(field: list[str]) -> str | None:
    """The header field a field's first line labels ("organizers", "title", ...)."""
    m = _LABEL_LINE.match(field[0])
    return _LABEL_GROUP[m["label"].casefold()] if m else None


def _relabel(field: list[str], rng: random.Random) -> list[str]:
    """The field with its label spelled another way from the same group, now and then in capitals."""
    m = _LABEL_LINE.match(field[0])
    if m is None:
        return field
    label = rng.choice(_LABEL_GROUPS[_LABEL_GROUP[m["label"].casefold()]])
    if rng.random() < 0.05:
        label = label.upper()
    return [field[0][: m.start("label")] + label + field[0][m.end("label") :], *field[1:]]


def _vary_paragraphs(text: str, rng: random.Random) -> str:
    """Duplicate, drop or cut short narrative paragraphs after the header (from the first section
    heading on); headings, the contact line, footnotes and short paragraphs are left alone."""
    lines = text.split("\n")
    header = next((i for i, line in enumerate(lines) if _LABEL_LINE.match(line)), 0)
    first = next(
        (
            i
            for i in range(header, len(lines))
            if _HEADING.match(lines[i]) and not _TITLE_LINE.match(lines[i])
        ),
        None,
    )
    if first is None:
        return text
    paragraphs = "\n".join(lines[first:]).split("\n\n")

    def narrative() -> list[int]:
        return [i for i, p in enumerate(paragraphs) if len(p) > 80 and not _PROTECTED.search(p)]

    if rng.random() < 0.15 and (pick := narrative()):
        i = rng.choice(pick)
        paragraphs.insert(i + 1, paragraphs[i])
    if rng.random() < 0.15 and len(pick := narrative()) > 1:
        del paragraphs[rng.choice(pick)]
    if rng.random() < 0.2 and (pick := narrative()):
        i = rng.choice(pick)
        cuts = [m.end() for m in _SENTENCE_END.finditer(paragraphs[i])]
        if cuts:
            paragraphs[i] = paragraphs[i][: rng.choice(cuts)].rstrip()
    return "\n".join([*lines[:first], "\n\n".join(paragraphs)])


def _add_debris(text: str, rng: random.Random) -> str:
    """Converter debris: ``<br>`` at line ends, ``&nbsp;``, ``<p>`` wrappers, ``<b>`` labels, ``&amp;``."""
    kinds = rng.sample(("br", "nbsp", "p", "b", "amp"), rng.randint(1, 3))
    paragraphs = text.split("\n\n")
    candidates = [i for i, p in enumerate(paragraphs) if len(p) > 80 and not _PROTECTED.search(p)]
    if "br" in kinds:
        paragraphs = [
            "\n".join(
                line + "<br>" if line.strip() and rng.random() < 0.3 else line for line in p.split("\n")
            )
            for p in paragraphs
        ]
    if "nbsp" in kinds and candidates:
        i = rng.choice(candidates)
        paragraphs[i] = paragraphs[i].replace(" ", "&nbsp;", rng.randint(1, 4))
    if "p" in kinds and candidates:
        i = rng.choice(candidates)
        paragraphs[i] = f"<p>{paragraphs[i]}</p>"
    if "amp" in kinds and candidates:
        i = rng.choice(candidates)
        paragraphs[i] = paragraphs[i].replace(" and ", " &amp; ", 1)
    out = "\n\n".join(paragraphs)
    if "b" in kinds:
        out = _BOLD_LABEL.sub(lambda m: f"{m['pre'] or ''}<b>{m['label']}:</b>{m['space']}", out)
    return out


def _encode(text: str, rng: random.Random) -> bytes:
    """The note's bytes: mostly UTF-8, sometimes with a BOM, sometimes Windows-1252 when it can be."""
    roll = rng.random()
    if roll < 0.05:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if roll < 0.1:
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            pass
    return text.encode("utf-8")


def source_notes(source: Path) -> list[Path]:
    """The real notes to vary: ``source/*.txt``, sorted; raises InputError when there are none."""
    notes = sorted(p for p in source.glob("*.txt") if p.is_file())
    if not notes:
        raise InputError(f"{source}: no *.txt notes to build a corpus from")
    return notes


def generate_corpus(
    source: Path, out_dir: Path, notes: int = DEFAULT_NOTES, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write ``notes`` variations of the notes in ``source`` into ``out_dir`` (created); see the module.

    Returns the paths written, in index order. Existing files of the same names are overwritten, others
    are left alone. Raises InputError when ``source`` has no notes or one cannot be read.
    """
    paths = source_notes(source)
    seeds = [read_note(path)[0] for path in paths]
    out_dir.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(notes - 1)))
    written = []
    for index in range(notes):
        which = index % len(seeds)
        rng = random.Random(f"{seed}:{index}")
        text = vary_note(seeds[which], rng)
        path = out_dir / f"{index:0{width}d}_{paths[which].stem}.txt"
        path.write_bytes(_encode(text, rng))
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchRun:
    """One timed ``run_batch`` over the corpus."""

    workers: int
    seconds: float
    notes_per_s: float
    speedup: float
    """Throughput relative to the 1-worker run."""
    failed: int
    load_1m: float | None = None
    """The machine's 1-minute load average when the run started (a busy machine cannot scale)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A figure, the goal it is held to, and whether it meets it."""

    name: str
    value: float
    goal: str
    met: bool


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Every figure of one benchmark run; times in seconds, memory in MB."""

    notes: int
    seed: int | None
    """The corpus seed; None when the corpus was not generated here."""
    source: str | None
    """The folder of real notes the corpus was made from."""
    corpus: str | None
    """Where the corpus was kept, or None when it was a temporary folder."""
    cpus: int
    generate_s: float
    setup_s: float
    """Building one Pipeline."""
    pipeline_s: float
    pipeline_notes_per_s: float
    pipeline_failed: int
    tokenizer: str
    """Which tokenizer the floor was measured with."""
    tokenizer_s: float
    tokenizer_notes_per_s: float
    ratio: float
    """Pipeline time over tokenizer time on the same texts."""
    batches: tuple[BatchRun, ...]
    peak_rss_main_mb: float
    peak_rss_worker_mb: float
    """Largest child process waited for; 0 when no worker process ran."""
    total_s: float
    """Wall time of the whole benchmark (corpus generation included when it was generated here)."""
    profile: str | None
    """The top functions by cumulative time of a single-process pass, as pstats prints them."""
    review_notes: int = 0
    """Notes in the timed review site (0 when it was not timed)."""
    review_s: float | None = None
    """Seconds ``review`` took to write the site of ``review_notes`` notes."""
    mixes: tuple[MixFigures, ...] = ()
    """CPU per note against the I/O floor and spaCy's tokenizer, per mix (generated, real texts, seeds)."""

    def batch(self, workers: int) -> BatchRun | None:
        """The run with ``workers`` workers, if one was timed."""
        return next((b for b in self.batches if b.workers == workers), None)

    def targets(self) -> list[Target]:
        """The figures held to the targets: throughput, tokenizer ratio, memory, 1→2 worker scaling."""
        out = [
            Target(
                "notes/s per core",
                self.pipeline_notes_per_s,
                f">= {TARGET_NOTES_PER_S:g}",
                self.pipeline_notes_per_s >= TARGET_NOTES_PER_S,
            ),
            Target(
                "pipeline/tokenizer",
                self.ratio,
                f"<= {TARGET_TOKENIZER_RATIO:g}x",
                self.ratio <= TARGET_TOKENIZER_RATIO,
            ),
            Target(
                "peak RSS main MB",
                self.peak_rss_main_mb,
                f"< {TARGET_PEAK_MB:g}",
                self.peak_rss_main_mb < TARGET_PEAK_MB,
            ),
            Target(
                "peak RSS worker MB",
                self.peak_rss_worker_mb,
                f"< {TARGET_PEAK_MB:g}",
                self.peak_rss_worker_mb < TARGET_PEAK_MB,
            ),
        ]
        two = self.batch(2)
        if two is not None:
            out.append(
                Target(
                    "speed-up 1->2 workers",
                    two.speedup,
                    f">= {TARGET_SPEEDUP_2:g}x",
                    two.speedup >= TARGET_SPEEDUP_2,
                )
            )
        return out

    def as_dict(self) -> dict[str, Any]:
        """Every field, plus ``targets``, as JSON-ready values."""
        data = asdict(self)
        data["targets"] = [asdict(t) for t in self.targets()]
        return data


def worker_counts(spec: str | None, cpus: int | None = None) -> tuple[int, ...]:
    """The worker counts to time, ascending, always with 1 and 2.

    ``None`` means up to the CPU count; ``"N"`` means 1, 2, 4, ... up to N, and N; ``"a,b,c"`` means
    those counts. Raises ValueError on anything else (a non-integer, a count below 1).
    """
    if spec is None:
        spec = str(cpus or default_workers())
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ValueError(
            f"workers must be a number or a comma-separated list of numbers, not {spec!r}"
        ) from None
    if not numbers or min(numbers) < 1:
        raise ValueError(f"worker counts must be at least 1, not {spec!r}")
    counts = {1, 2}
    if len(numbers) == 1:
        step = 1
        while step < numbers[0]:
            counts.add(step)
            step *= 2
    counts.update(numbers)
    return tuple(sorted(counts))


def _max_rss_mb(children: bool) -> float:
    """Peak resident memory in MB: ``ru_maxrss`` of this process, or with ``children`` of the largest
    child process waited for (Linux counts KiB, macOS bytes); 0 where ``resource`` does not exist."""
    try:
        import resource  # optional: Unix only
    except ImportError:  # pragma: no cover - not on Unix
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _tokenizer(pipeline: Pipeline) -> tuple[str, Callable[[str], object]]:
    """The tokenizer floor: the pipeline's own tokenization (token rule and spaCy Doc)."""
    return "EntityFinder.tokens: the pipeline's own token rule", pipeline.finder.tokens


def measure(
    files: Sequence[Path],
    settings: Settings,
    workers: Sequence[int] = (1, 2),
    *,
    profile: bool = False,
    on_stage: Callable[[str], None] | None = None,
) -> BenchResult:
    """Time ``run_batch``, the pipeline and the tokenizer over ``files``; see the module docstring.

    ``files`` are note files, best all in one folder (``run_batch`` mirrors paths relative to their
    common folder). ``workers`` are the counts to time ``run_batch`` with (1 is always added, as the
    base of the speed-up). ``on_stage`` is told what is about to run. The result has ``seed``,
    ``source`` and ``corpus`` None and ``generate_s`` 0; ``total_s`` is the time spent here. Raises
    ValueError when ``files`` is empty or a worker count is below 1.
    """
    if not files:
        raise ValueError("no notes to measure")
    if min(workers, default=1) < 1:
        raise ValueError("worker counts must be at least 1")
    stage = on_stage or (lambda _: None)
    started = time.perf_counter()
    common = Path(os.path.commonpath([Path(f).absolute() for f in files]))
    root = common if common.is_dir() else common.parent
    counts = sorted(set(workers) | {1}, reverse=True)
    timed: dict[int, tuple[float, int, float | None]] = {}
    for count in counts:
        stage(f"run_batch with {count} worker{'s' if count > 1 else ''}")
        with tempfile.TemporaryDirectory(prefix="note-extract-bench-out-") as out:
            gc.collect()
            load = load_average()
            t0 = time.perf_counter()
            summary = run_batch(root, Path(out), settings, workers=count, force=True, files=list(files))
            timed[count] = (time.perf_counter() - t0, summary.count("failed"), load)
    base = len(files) / timed[1][0]
    batches = tuple(
        BatchRun(n, s, len(files) / s, (len(files) / s) / base, failed, load)
        for n, (s, failed, load) in sorted(timed.items())
    )

    stage("single process")
    texts: list[tuple[str, Source, str]] = []
    for path in files:
        raw, source = read_note(path)
        texts.append((raw, source, path.stem))
    t0 = time.perf_counter()
    from note_extract.pipeline import Pipeline  # lazy: start-up

    pipeline = Pipeline(settings)
    setup_s = time.perf_counter() - t0
    for raw, source, note_id in texts[:WARM_UP_NOTES]:
        pipeline.extract_text(raw, source, note_id)
    gc.collect()
    failed = 0
    t0 = time.perf_counter()
    for raw, source, note_id in texts:
        try:
            record_json(pipeline.extract_text(raw, source, note_id))
        except Exception:  # counted, as run_batch counts it; the benchmark goes on
            failed += 1
    pipeline_s = time.perf_counter() - t0

    stage("tokenizer only")
    name, tokenize = _tokenizer(pipeline)
    for raw, _, _ in texts[:WARM_UP_NOTES]:
        tokenize(raw)
    gc.collect()
    t0 = time.perf_counter()
    for raw, _, _ in texts:
        tokenize(raw)
    tokenizer_s = time.perf_counter() - t0

    report = None
    if profile:
        stage("profile (one more single-process pass under cProfile)")
        profiler = cProfile.Profile()
        profiler.enable()
        for raw, source, note_id in texts:
            with contextlib.suppress(Exception):  # failures were counted in the timed pass
                pipeline.extract_text(raw, source, note_id)
        profiler.disable()
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative")
        stats.print_stats(PROFILE_LINES)
        report = stream.getvalue().strip("\n") + "\n"

    return BenchResult(
        notes=len(files),
        seed=None,
        source=None,
        corpus=None,
        cpus=default_workers(),
        generate_s=0.0,
        setup_s=setup_s,
        pipeline_s=pipeline_s,
        pipeline_notes_per_s=len(texts) / pipeline_s,
        pipeline_failed=failed,
        tokenizer=name,
        tokenizer_s=tokenizer_s,
        tokenizer_notes_per_s=len(texts) / tokenizer_s,
        ratio=pipeline_s / tokenizer_s,
        batches=batches,
        peak_rss_main_mb=_max_rss_mb(children=False),
        peak_rss_worker_mb=_max_rss_mb(children=True),
        total_s=time.perf_counter() - started,
        profile=report,
    )


def run_bench(
    source: Path,
    settings: Settings,
    *,
    notes: int = DEFAULT_NOTES,
    seed: int = DEFAULT_SEED,
    workers: Sequence[int] = (1, 2),
    profile: bool = False,
    keep: Path | None = None,
    real: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> BenchResult:
    """Generate a corpus (into ``keep``, or a temporary folder removed afterwards) and measure it; then
    the CPU per note of three mixes against the same run's floors (:mod:`note_extract.bench.yardstick`):
    the first :data:`MIX_NOTES` generated notes, the real texts of ``real`` (skipped when None) and the
    notes of ``source``.

    Raises InputError when ``source`` has no readable notes, ValueError when ``notes`` < 1 or a worker
    count is below 1.
    """
    if notes < 1:
        raise ValueError("the corpus needs at least 1 note")
    stage = on_stage or (lambda _: None)
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        folder = keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="note-extract-bench-")))
        stage(f"generating {notes} notes from {source}")
        t0 = time.perf_counter()
        files = generate_corpus(source, folder, notes, seed)
        generate_s = time.perf_counter() - t0
        result = measure([Path(f) for f in files], settings, workers, profile=profile, on_stage=on_stage)
        from note_extract.bench.review import REVIEW_NOTES, time_review  # lazy: start-up

        stage(f"review site of {min(notes, REVIEW_NOTES)} notes")
        review_notes, review_s = time_review([Path(f) for f in files], settings)
        mixes = _mixes([Path(f) for f in files[:MIX_NOTES]], real, source, settings, stage)
    return replace(
        result,
        seed=seed,
        source=source.as_posix(),
        corpus=keep.as_posix() if keep is not None else None,
        generate_s=generate_s,
        total_s=time.perf_counter() - started,
        review_notes=review_notes,
        review_s=review_s,
        mixes=mixes,
    )


MIX_NOTES = 1000
"""Generated notes in the yardstick's generated mix (each is read ``ROUNDS`` + 1 times)."""


def _mixes(
    generated: list[Path], real: Path | None, source: Path, settings: Settings, stage: Callable[[str], None]
) -> tuple[MixFigures, ...]:
    """The yardstick's figures for the generated notes, the real texts (when given) and the seeds."""
    from note_extract.pipeline import Pipeline  # lazy: start-up

    pipeline = Pipeline(settings)
    mixes = [("generated", generated)]
    if real is not None:
        mixes.append(("real texts", source_notes(real)))
    mixes.append(("seeds", source_notes(source)))
    found = []
    for name, files in mixes:
        stage(f"CPU per note, {name}, against the I/O floor and spaCy's tokenizer")
        found.append(measure_mix(name, files, pipeline))
    return tuple(found)
