"""Shared fixtures: one pipeline per test session, paths to the real notes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from note_extract.core.models import EntityRef, NoteRecord
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(RAW_DIR.glob("*.txt"))
NOTES_DIR = Path(__file__).resolve().parent / "notes"
# Hand-built notes, one per input form the seeds do not show (see tests/test_wild.py).
WILD = sorted(p for p in NOTES_DIR.iterdir() if p.suffix in {".txt", ".md", ".html"})
ALL_NOTES = SEEDS + WILD


def display(path: Path) -> str:
    """The path a record of ``path`` names: relative to the project root."""
    return path.relative_to(ROOT).as_posix()


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


@pytest.fixture(scope="session")
def seed_records(pipeline: Pipeline) -> dict[str, NoteRecord]:
    return {path.stem[:3]: pipeline.extract_file(path, display(path)) for path in SEEDS}


@pytest.fixture(scope="session")
def note_records(pipeline: Pipeline) -> dict[str, NoteRecord]:
    """Every seed and hand-built note's record, by file stem."""
    return {path.stem: pipeline.extract_file(path, display(path)) for path in ALL_NOTES}


def extract(pipeline: Pipeline, text: str, note_id: str = "note") -> NoteRecord:
    """Extract a note given as text (tests build notes by hand)."""
    from note_extract.core.models import Source

    source = Source(path=f"{note_id}.txt", sha256="0" * 64, size=len(text.encode()), encoding="utf-8")
    return pipeline.extract_text(text, source, note_id)


def ref_ids(refs: Sequence[EntityRef]) -> list[str | None]:
    """Each reference's id, or its text when it has none."""
    return [r.id or r.text for r in refs]


def member_ids(record: NoteRecord) -> list[str | None]:
    """The ids (or texts) of every participant group's members, in order."""
    return [m.id or m.text for g in record.participants for m in g.members]
