"""Notes 110-127: header layouts of other converters, checked against expectations written by hand.

The expectations in ``header_expected.py`` were read off each note before the header reader could read
them; the golden records hold the full records, reviewed by eye.
"""

from __future__ import annotations

from typing import Any

import pytest

from note_extract.core.models import EntityRef, NoteRecord

from .header_expected import DEV, EXPECTED, HELD_OUT


def ids(refs: list[EntityRef]) -> set[str]:
    return {r.id or "text:" + " ".join(r.text.split()).casefold() for r in refs}


def summary(record: NoteRecord) -> dict[str, Any]:
    event = record.event
    return {
        "title": event.title,
        "start": event.start_date and str(event.start_date),
        "end": event.end_date and str(event.end_date),
        "city": event.venue.city,
        "country": event.venue.country_code,
        "virtual": event.venue.virtual,
        "organizers": ids(record.organizers),
        "sponsors": ids(record.sponsors),
        "hosts": ids(record.hosts),
        "participants": {i for g in record.participants if g.found_in == "header" for i in ids(g.members)},
    }


def test_the_split_covers_every_note_once() -> None:
    assert sorted(DEV + HELD_OUT) == sorted(EXPECTED)
    assert not set(DEV) & set(HELD_OUT)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_header_fields_match_the_hand_written_expectation(
    key: str, note_records: dict[str, NoteRecord]
) -> None:
    record = next(r for stem, r in note_records.items() if stem.startswith(key + "_"))
    assert summary(record) == EXPECTED[key]
