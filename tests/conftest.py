"""Shared fixtures: one pipeline per test session, paths to the real notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from note_extract.models import NoteRecord
from note_extract.pipeline import Pipeline
from note_extract.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(RAW_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


@pytest.fixture(scope="session")
def seed_records(pipeline: Pipeline) -> dict[str, NoteRecord]:
    return {path.stem[:3]: pipeline.extract_file(path, f"data/raw/{path.name}") for path in SEEDS}


def extract(pipeline: Pipeline, text: str, note_id: str = "note") -> NoteRecord:
    """Extract a note given as text (tests build notes by hand)."""
    from note_extract.models import Source

    source = Source(path=f"{note_id}.txt", sha256="0" * 64, size=len(text.encode()), encoding="utf-8")
    return pipeline.extract_text(text, source, note_id)
