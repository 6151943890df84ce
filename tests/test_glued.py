"""Words a text extraction ran together are parted where the pieces are known words, on evidence."""

from __future__ import annotations

import random
import re

from note_extract.core.spans import CleanSpan
from note_extract.pipeline import Pipeline
from note_extract.read.glued import part_glued
from note_extract.read.mapped import MappedText
from note_extract.rules.bundle import shipped_rules

from .conftest import NOTES_DIR, extract

RULES = shipped_rules()

GLUED_NOTE = (
    "INFORMATIONNOTE1\n\n"
    "Event: RegionalSeminar on the Implementation of Resolution 1540 (2004)\n\n"
    "Organizers: United Nations Office for Disarmament Affairs(UNODA)and the Organization of American\n"
    "States\n\n"
    "Dateandvenue: 14-16 May 2019, Lima, Peru\n\n"
    "1. The seminar was held with thefinancial support of the European Union. The seminar gathered "
    "officials of the region for a regional exchange on implementation and financial support.\n"
)


def test_a_glued_note_reads_as_written_with_spaces(pipeline: Pipeline) -> None:
    record = extract(pipeline, GLUED_NOTE)
    assert record.event.title == "Regional Seminar on the Implementation of Resolution 1540 (2004)"
    assert str(record.event.start_date) == "2019-05-14"
    assert (record.event.venue.city, record.event.venue.country_code) == ("Lima", "PE")
    assert {o.id for o in record.organizers} >= {"unoda", "oas"}


def test_parting_keeps_every_character_at_its_raw_offset() -> None:
    raw = GLUED_NOTE
    parted = part_glued(RULES, MappedText.identity(raw))
    assert parted.text.replace(" ", "") == raw.replace(" ", "")
    for i, char in enumerate(parted.text):
        a, b = parted.to_raw(CleanSpan(i, i + 1))
        if char != " " or b > a:
            assert raw[a:b] == char
    assert "Regional Seminar" in parted.text and "Date and venue" in parted.text
    assert "the financial support" in parted.text and "(UNODA) and" in parted.text


def test_one_compound_in_a_clean_note_is_left_as_written() -> None:
    text = "Event: Workshop on Counterterrorism\n\nThe workshop on counter terrorism was held in Lima.\n"
    assert part_glued(RULES, MappedText.identity(text)).text == text


def test_the_repository_notes_are_not_parted() -> None:
    for path in sorted(NOTES_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert part_glued(RULES, MappedText.identity(text)).text == text, path.name


_GAP = re.compile(r"(?<=[a-z]{3}) (?=[a-z]{3})")


def test_generated_glue_is_parted_back() -> None:
    """Words of the note's own vocabulary (each written apart once) glued at random are parted back;
    no space is put where the text had none."""
    base = (
        "The national workshop on the implementation of the resolution was organized by the regional "
        "centre with the financial support of the European Union and the participation of national "
        "experts from the ministries of foreign affairs and of defence, customs and the border police."
    )
    rng = random.Random(18)
    for _ in range(20):
        glued = _GAP.sub(lambda m: "" if rng.random() < 0.3 else " ", base)
        parted = part_glued(RULES, MappedText.identity(f"{glued}\n\n{base}\n")).text
        if glued != base:
            assert parted == f"{base}\n\n{base}\n", glued
