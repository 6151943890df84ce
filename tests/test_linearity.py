"""Every stage is linear (or n log n) in the note's length: hostile notes of ~40 KB, doubled, take at
most 2.5 times the CPU time (a quadratic stage would take four times as long).

Each shape is one way a stage used to go quadratic: a label line with a long run of spaces in its
value, a date repeated on every line (all in one sentence, or one sentence each), an unclosed markdown
link repeated, thousands of unknown organizer names in a header field, organizations with their
acronyms in parentheses, a long comma list, a long run of numbers, and prose naming many unknown
bodies. Times are CPU times, the best of five runs, the two sizes taken in turn, with Python's cyclic
garbage collector run before each and paused during it: a full collection falls wherever the count of
allocations crosses its threshold, so it adds a step of noise to one size and not the other, and it
measures the interpreter, not the stage.
"""

from __future__ import annotations

import gc
import hashlib
import random
import string
import time
from collections.abc import Callable

import pytest

from note_extract.core.models import Source
from note_extract.pipeline import Pipeline

SIZE = 40_000
"""Characters of the smaller note of each pair."""
GROWTH = 2.5
"""The largest allowed ratio of the doubled note's time to the smaller one's."""
RUNS = 5
FLOOR_S = 0.05
"""Below this many CPU seconds a note's time is mostly noise on a busy machine; the smaller time is taken
as at least this (a quadratic stage takes seconds at these sizes)."""


def _word(rng: random.Random, n: int = 7) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


def _joined(make: Callable[[random.Random], str], size: int, sep: str) -> str:
    """Pieces made by ``make`` joined by ``sep`` until they hold ``size`` characters."""
    rng = random.Random(7)
    pieces: list[str] = []
    total = 0
    while total < size:
        piece = make(rng)
        pieces.append(piece)
        total += len(piece) + len(sep)
    return sep.join(pieces)


def _org(rng: random.Random) -> str:
    return f"{_word(rng).title()} {_word(rng).title()} Institute"


def _with_acronym(rng: random.Random) -> str:
    acronym = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
    return f"{_word(rng).title()} {_word(rng).title()} Agency ({acronym})"


def _council(rng: random.Random) -> str:
    return f"Experts from the {_word(rng).title()} {_word(rng).title()} Council attended."


SHAPES: dict[str, Callable[[int], str]] = {
    "label value of spaces": lambda n: "Event: x" + " " * n + "y",
    "dated lines, one sentence": lambda n: "Posted on 5 June 2019\n" * (n // 22),
    "dated lines, a sentence each": lambda n: "Posted on 5 June 2019.\n" * (n // 23),
    "unclosed links": lambda n: "[x](" * (n // 4),
    "unknown organizers": lambda n: (
        "Information Note\nEvent: Workshop\nOrganizers: " + _joined(_org, n, ", ")
    ),
    "parenthesized acronyms": lambda n: (
        "The workshop was organized by " + _joined(_with_acronym, n, ", ") + "."
    ),
    "comma list": lambda n: "Participants: " + _joined(_word, n, ", ") + "\n",
    "numbers": lambda n: (
        "The meeting on 5 June 2019 " + _joined(lambda rng: str(rng.randrange(100_000)), n, " ")
    ),
    "unknown bodies in prose": lambda n: (
        "On 5 June 2019 a workshop was held in Vienna. " + _joined(_council, n, " ")
    ),
}


def _cpu(pipeline: Pipeline, text: str) -> float:
    source = Source(
        path="hostile.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        size=len(text.encode()),
        encoding="utf-8",
    )
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        pipeline.extract_text(text, source, "hostile")
        return time.process_time() - started
    finally:
        gc.enable()


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_doubling_a_hostile_note_at_most_doubles_its_time(pipeline: Pipeline, shape: str) -> None:
    small, large = SHAPES[shape](SIZE), SHAPES[shape](2 * SIZE)
    assert 1.9 < len(large) / len(small) < 2.1
    _cpu(pipeline, small[:2000])  # what a stage builds on first use is not timed
    best_small = best_large = float("inf")
    for _ in range(RUNS):
        best_small = min(best_small, _cpu(pipeline, small))
        best_large = min(best_large, _cpu(pipeline, large))
    assert best_large <= GROWTH * max(best_small, FLOOR_S), (
        f"{shape}: {best_small:.3f}s at {len(small)} characters, {best_large:.3f}s at {len(large)}"
    )
