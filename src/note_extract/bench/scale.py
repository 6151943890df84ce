"""Benchmark: start-up time of the command line, and whether ``run``'s memory stays flat with scale.

Contract: :func:`startup` runs ``python -m note_extract`` in fresh processes (``--help``, and ``check``
on one note) and keeps the best wall-clock time of ``repeat`` runs of each: what a user or a
pre-commit hook waits for. :func:`scale` generates the largest corpus asked for once
(:func:`~note_extract.bench.bench.generate_corpus`; the first N notes of a larger corpus are the N notes of
a smaller one), gives each smaller count a folder of hard links to its first N notes, and runs
``note-extract run FOLDER -o OUT --workers 1 --force --no-progress`` on each in a child process,
records written to a temporary folder; the figure is the child's peak resident memory
(``ru_maxrss`` from ``wait4``: one worker, so the one process holds both the pipeline and the
batch's bookkeeping). :attr:`ScaleResult.growth` is the largest peak over the smallest, minus one;
the target is under 10%. Nothing is printed; ``on_stage`` is told what is about to run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from note_extract.bench.bench import generate_corpus
from note_extract.bench.defaults import DEFAULT_SCALE

TARGET_HELP_S = 0.5
TARGET_CHECK_S = 1.0
TARGET_GROWTH = 0.10


@dataclass(frozen=True, slots=True)
class Startup:
    """Best wall-clock seconds of ``--help`` and of ``check`` on one note, each in a fresh process."""

    help_s: float
    check_s: float
    note: str


@dataclass(frozen=True, slots=True)
class ScalePoint:
    """One ``run`` over ``notes`` notes."""

    notes: int
    seconds: float
    peak_rss_mb: float
    exit_code: int


@dataclass(frozen=True, slots=True)
class ScaleResult:
    """``run``'s peak memory at each corpus size."""

    points: tuple[ScalePoint, ...]

    @property
    def growth(self) -> float:
        """Largest peak over the smallest peak, minus one (0.05 is 5% more)."""
        peaks = [p.peak_rss_mb for p in self.points]
        return max(peaks) / min(peaks) - 1.0 if peaks else 0.0


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "note_extract", *args]


def _timed(args: list[str], cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def startup(note: Path, repeat: int = 3) -> Startup:
    """Best of ``repeat`` fresh-process runs of ``--help`` and of ``check NOTE``."""
    with tempfile.TemporaryDirectory(prefix="note-extract-startup-") as empty:  # no pyproject.toml there
        where = Path(empty)
        target = str(note.absolute())
        help_s = min(_timed(_command("--help"), where) for _ in range(repeat))
        check_s = min(_timed(_command("check", target), where) for _ in range(repeat))
    return Startup(help_s, check_s, note.as_posix())


def _run_peak(folder: Path, out: Path, config: Path | None, rules: Path | None) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB and exit code of one ``run`` in a child process."""
    args = _command("run", str(folder), "-o", str(out), "--workers", "1", "--force", "--no-progress")
    if config is not None:
        args += ["--config", str(config)]
    if rules is not None:
        args += ["--rules", str(rules)]
    t0 = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, child.returncode


def scale(
    source: Path,
    counts: Sequence[int] = DEFAULT_SCALE,
    *,
    seed: int,
    config: Path | None = None,
    rules: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Peak memory of ``run`` over corpora of each size in ``counts``; see the module docstring."""
    stage = on_stage or (lambda _: None)
    counts = sorted(set(counts))
    if not counts or counts[0] < 1:
        raise ValueError("corpus sizes must be at least 1")
    points = []
    with tempfile.TemporaryDirectory(prefix="note-extract-scale-") as tmp:
        root = Path(tmp)
        stage(f"generating {counts[-1]} notes for the memory runs")
        files = generate_corpus(source, root / "all", counts[-1], seed)
        for count in counts:
            folder = root / "all"
            if count < counts[-1]:
                folder = root / f"first-{count}"
                folder.mkdir()
                for path in files[:count]:
                    (folder / path.name).hardlink_to(path)
            stage(f"run over {count} notes (1 worker) for peak memory")
            seconds, peak, code = _run_peak(folder, root / f"out-{count}", config, rules)
            points.append(ScalePoint(count, seconds, peak, code))
    return ScaleResult(tuple(points))


def startup_lines(result: Startup) -> list[str]:
    """The start-up figures next to their targets."""

    def mark(value: float, goal: float) -> str:
        return f"   [target < {goal:g} s: {'met' if value < goal else 'MISSED'}]"

    return [
        f"start-up, --help: {result.help_s:.2f} s" + mark(result.help_s, TARGET_HELP_S),
        f"start-up, check on one note: {result.check_s:.2f} s" + mark(result.check_s, TARGET_CHECK_S),
    ]


def scale_lines(result: ScaleResult) -> list[str]:
    """The memory figures, and the growth next to its target."""
    lines = [
        f"run over {p.notes} notes, 1 worker: peak RSS {p.peak_rss_mb:.0f} MB in {p.seconds:.0f} s"
        + ("" if p.exit_code == 0 else f"   (exit code {p.exit_code})")
        for p in result.points
    ]
    met = "met" if result.growth < TARGET_GROWTH else "MISSED"
    lines.append(
        f"run peak memory growth, {result.points[0].notes} -> {result.points[-1].notes} notes: "
        f"{result.growth:+.1%}   [target < {TARGET_GROWTH:.0%}: {met}]"
    )
    return lines
