"""Wrap every note with gold in seeded random decorations and compare each record with the note's own.

Usage: ``python scripts/eval_wrappings.py [--count N] [--seed S] [--sets DIR ...] [--failures K]``.
Prints per-field agreement (wrapped record equals the unwrapped note's record on that field) over the
decorations used in development and over those held out (:data:`tests.reshapes.HELD_OUT`), then how
many combinations holding each decoration disagreed on some field.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reshapes import BY_NAME, EVERY, HELD_OUT  # noqa: E402
from tests.wrappings import FIELDS, NOTE_SETS, signature, wrap  # noqa: E402

from note_extract.core.models import Source  # noqa: E402
from note_extract.pipeline import Pipeline  # noqa: E402
from note_extract.read.reader import read_note  # noqa: E402


def _notes(sets: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in sets:
        folder = (ROOT / name).resolve()
        if folder.is_dir():
            found.extend(sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md", ".html"}))
    return found


def _record(pipeline: Pipeline, text: str, name: str) -> dict[str, object]:
    source = Source(path=name, sha256="0" * 64, size=len(text), encoding="utf-8")
    record = pipeline.extract_text(text, source, name)
    data = json.loads(record.model_dump_json())
    assert isinstance(data, dict)
    return signature(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="combinations to run")
    parser.add_argument("--seed", type=int, default=1540)
    parser.add_argument("--sets", nargs="*", default=list(NOTE_SETS))
    parser.add_argument("--failures", type=int, default=0, help="print this many disagreements")
    parser.add_argument("--only", nargs="*", default=None, help="decorations to draw from")
    args = parser.parse_args(argv)
    pipeline = Pipeline()
    notes = _notes(args.sets)
    texts = {p: read_note(p)[0] for p in notes}
    base = {p: _record(pipeline, texts[p], p.stem) for p in notes}
    kinds = tuple(BY_NAME[n] for n in args.only) if args.only else EVERY
    rng = random.Random(args.seed)
    agree: dict[str, Counter[str]] = {"dev": Counter(), "held-out": Counter()}
    runs: Counter[str] = Counter()
    failed_with: Counter[str] = Counter()
    used: Counter[str] = Counter()
    shown = 0
    for _ in range(args.count):
        note = rng.choice(notes)
        seed = rng.randrange(2**31)
        text, names = wrap(texts[note], seed, kinds)
        group = "held-out" if HELD_OUT & set(names) else "dev"
        got = _record(pipeline, text, note.stem)
        want = base[note]
        runs[group] += 1
        wrong = [f for f in FIELDS if got[f] != want[f]]
        for f in FIELDS:
            agree[group][f] += f not in wrong
        used.update(names)
        if wrong:
            failed_with.update(names)
            if shown < args.failures:
                shown += 1
                print(f"-- {note.name} seed {seed} {'+'.join(names)}")
                for f in wrong:
                    print(f"   {f}: {want[f]!r} -> {got[f]!r}")
    print(f"{len(notes)} notes, {args.count} combinations (seed {args.seed})")
    for group in ("dev", "held-out"):
        n = runs[group]
        if n:
            print(f"== {group} decorations: {n} combinations")
            for f in FIELDS:
                print(f"{f:12} {agree[group][f]:5}/{n:<5} {agree[group][f] / n:.3f}")
    print("== combinations that disagreed on some field, per decoration (held-out marked *)")
    for kind in EVERY:
        if used[kind.name]:
            mark = "*" if kind.name in HELD_OUT else " "
            print(f"{mark}{kind.name:20} {failed_with[kind.name]:5}/{used[kind.name]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
